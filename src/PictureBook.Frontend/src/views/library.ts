// library: the reader's books, newest first, each linking to its progress or its pages.
import { api, type BookSummary } from '../api';
import { h } from '../dom';
import { alertBox, heading, report, requireSignIn, type View } from './view';

export const library: View = (route) => {
  if (!requireSignIn()) return h('div');
  const list = h('ul', { class: 'books', 'data-testid': 'book-list', 'aria-busy': 'true' });
  const error = alertBox();
  const deleted = route.query.get('deleted') ? h('p', { class: 'note', role: 'status', 'data-testid': 'deleted' }, 'The book was deleted.') : null;
  api.books().then((books) => {
    list.removeAttribute('aria-busy');
    list.replaceChildren(...(books.length ? books.map(item) : [h('li', { class: 'empty', 'data-testid': 'no-books' }, 'No books yet.')]));
  }, (e) => report(error, e));
  return h('section', {}, heading('My books'), deleted, error,
    h('p', {}, h('a', { class: 'button', href: '#/create', 'data-testid': 'new-book' }, 'New book')), list);
};

function item(book: BookSummary): HTMLElement {
  const href = book.status === 'ready' ? `#/books/${book.id}/read` : `#/books/${book.id}`;
  return h('li', { class: 'book', 'data-testid': 'book-item' },
    h('a', { href }, book.title),
    h('span', { class: `status status-${book.status}` }, book.status),
    h('span', { class: 'pages' }, `${book.pagesDone}/${book.pageCount} pages`));
}
