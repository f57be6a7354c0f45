// Shows an API problem (or any error) in an alert box: the title, the detail, and each field error.
import { ApiError } from './api';
import { h } from './dom';

/** Renders the error into `box` (a role="alert" element, so screen readers announce it) and returns it. */
export function showProblem(box: HTMLElement, error: unknown): HTMLElement {
  box.replaceChildren();
  box.hidden = false;
  if (error instanceof ApiError) {
    const { title, detail, errors } = error.problem;
    box.append(h('strong', {}, title));
    if (detail) box.append(h('p', {}, detail));
    const items = Object.entries(errors ?? {}).flatMap(([name, messages]) =>
      messages.map((message) => h('li', { 'data-field': name }, message)));
    if (items.length) box.append(h('ul', {}, ...items));
  } else {
    box.append(h('strong', {}, 'Something went wrong.'), h('p', {}, error instanceof Error ? error.message : String(error)));
    // Not an API answer: a bug in the page. Let the global handlers (Sentry, RUM) see it too.
    setTimeout(() => { throw error; });
  }
  return box;
}

export function alertBox(): HTMLElement {
  return h('div', { class: 'alert', role: 'alert', tabindex: -1, 'data-testid': 'error', hidden: true });
}

export function clearProblem(box: HTMLElement): void {
  box.hidden = true;
  box.replaceChildren();
}
