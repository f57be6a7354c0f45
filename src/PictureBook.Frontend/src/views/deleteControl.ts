// Deleting a book: a button that asks once more in place (no window.confirm, which blocks the page and is
// hard to reach with assistive tech), then deletes and returns to the library.
import { api, type Book } from '../api';
import { h } from '../dom';
import { go } from '../router';
import { traceAction } from '../sentry';
import { busy, report } from './view';

export function deleteControl(book: Pick<Book, 'id' | 'title'>, error: HTMLElement): HTMLElement {
  const ask = h('button', { type: 'button', class: 'danger', 'data-testid': 'delete-book' }, 'Delete book');
  const yes = h('button', { type: 'button', class: 'danger', 'data-testid': 'confirm-delete' }, 'Yes, delete it');
  const no = h('button', { type: 'button', class: 'secondary' }, 'Keep it');
  const confirm = h('div', { class: 'confirm', role: 'group', 'aria-label': 'Confirm deletion', hidden: true },
    h('p', {}, `Delete “${book.title}” for good?`), yes, no);

  ask.addEventListener('click', () => { ask.hidden = true; confirm.hidden = false; no.focus(); });
  no.addEventListener('click', () => { confirm.hidden = true; ask.hidden = false; ask.focus(); });
  yes.addEventListener('click', () => void busy(yes, 'Deleting…', async () => {
    try {
      await traceAction('delete book', () => api.deleteBook(book.id));
      go('/library?deleted=1');
    } catch (e) {
      report(error, e);
    }
  }));
  return h('div', { class: 'delete' }, ask, confirm);
}
