// What every view is: a function from the route to its element. The signal is aborted when the reader leaves
// the view, so polling stops and object URLs are released.
import { ApiError } from '../api';
import { h } from '../dom';
import { alertBox, showProblem } from '../problem';
import { go, type Route } from '../router';
import { session } from '../session';

export type View = (route: Route, signal: AbortSignal) => HTMLElement;

/** The view's heading: the element focused after a view change, so keyboard and screen-reader users start here. */
export function heading(text: string): HTMLHeadingElement {
  return h('h1', { tabindex: -1 }, text);
}

/** Views for signed-in users send everyone else to sign in, and back here afterwards. */
export function requireSignIn(): boolean {
  if (session.signedIn()) return true;
  go(`/signin?next=${encodeURIComponent(location.hash.slice(1))}`);
  return false;
}

/** An error from the API in `box`; an expired sign-in goes to the sign-in view instead. */
export function report(box: HTMLElement, error: unknown): void {
  if (error instanceof ApiError && error.expired) {
    go(`/signin?next=${encodeURIComponent(location.hash.slice(1))}&expired=1`);
    return;
  }
  showProblem(box, error);
}

/** A button that shows it is working and can't be pressed twice while `action` runs. */
export async function busy(button: HTMLButtonElement, label: string, action: () => Promise<void>): Promise<void> {
  const text = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = label;
  try {
    await action();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = text;
  }
}

export { alertBox };
