// book: a book being made, live. Polls GET /api/books/{id} every second until it is ready or failed,
// showing each page as it is written (queued → generating → ready).
import { api, ApiError, type Book } from '../api';
import { h } from '../dom';
import { clearProblem } from '../problem';
import { deleteControl } from './deleteControl';
import { alertBox, heading, report, requireSignIn, type View } from './view';

const POLL_MS = 1000;
// While an AI provider is down the book waits (it fails only after a long outage); say so rather than look stuck.
const WAITING: Record<'text' | 'image', string> = {
  text: 'The story service is having trouble; your book will continue as soon as it is back.',
  image: 'The picture service is having trouble; your book will continue as soon as it is back.',
};
const LABELS: Record<Book['status'], string> = {
  queued: 'Waiting in line…',
  generating: 'Writing and drawing…',
  ready: 'Ready!',
  failed: 'Something went wrong while making this book.',
};

export const book: View = (route, signal) => {
  if (!requireSignIn()) return h('div');
  const id = route.params.id;
  const title = heading('Your book');
  const status = h('p', { class: 'status-line', role: 'status', 'aria-live': 'polite', 'data-testid': 'book-status' }, 'Loading…');
  // Labelled by the text under it, which says the same in words ("2 of 4 pages done").
  const progress = h('progress', { max: 1, value: 0, 'aria-labelledby': 'pages-done', 'data-testid': 'book-progress' });
  const done = h('p', { id: 'pages-done', class: 'counter', 'data-testid': 'pages-done' });
  const pages = h('ol', { class: 'page-list', 'data-testid': 'page-list' });
  const actions = h('div', { class: 'actions' });
  const error = alertBox();
  let failures = 0;

  const show = (b: Book) => {
    title.textContent = b.title;
    status.textContent = b.status === 'generating' && b.waitingForProvider ? WAITING[b.waitingForProvider] : LABELS[b.status];
    status.dataset.status = b.status;
    progress.max = b.pageCount;
    progress.value = b.pages.length;
    done.textContent = `${b.pages.length} of ${b.pageCount} pages done`;
    pages.replaceChildren(...b.pages.map((p) => h('li', {}, `Page ${p.number}: `, h('span', {}, p.text))));
    if (b.status === 'failed' && b.error) {
      const detail = b.errorId ? `${b.error} (reference: ${b.errorId})` : b.error;
      report(error, new ApiError({ status: 200, title: LABELS.failed, detail }));
    }
    if ((b.status === 'ready' || b.status === 'failed') && !actions.childElementCount) {
      const read = b.status === 'ready'
        ? h('a', { class: 'button', href: `#/books/${b.id}/read`, 'data-testid': 'read-book' }, 'Read the book')
        : null;
      actions.append(...[read, deleteControl(b, error)].filter((x): x is HTMLElement => x !== null));
      read?.focus();
    }
  };

  const poll = async () => {
    if (signal.aborted) return;
    try {
      const b = await api.book(id);
      failures = 0;
      clearProblem(error);
      show(b);
      if (b.status === 'queued' || b.status === 'generating') setTimeout(poll, POLL_MS);
    } catch (e) {
      if (signal.aborted) return;
      report(error, e);
      // A missing book will not appear; anything else may be a blip: keep trying, more slowly.
      if (e instanceof ApiError && (e.problem.status === 404 || e.problem.status === 401)) return;
      setTimeout(poll, POLL_MS * Math.min(2 ** ++failures, 30));
    }
  };
  void poll();

  return h('section', {}, title, status, progress, done, error, pages, actions,
    h('p', {}, h('a', { href: '#/library' }, 'Back to my books')));
};
