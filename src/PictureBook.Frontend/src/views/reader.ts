// reader: a finished book, one page at a time with its picture. Arrow keys turn pages too.
import { api } from '../api';
import { h } from '../dom';
import { go } from '../router';
import { deleteControl } from './deleteControl';
import { alertBox, heading, report, requireSignIn, type View } from './view';

export const reader: View = (route, signal) => {
  if (!requireSignIn()) return h('div');
  const title = heading('Your book');
  const error = alertBox();
  const stage = h('div', { class: 'reader', 'aria-busy': 'true' });
  const section = h('section', {}, title, error, stage);
  const urls = new Map<number, Promise<string>>();
  signal.addEventListener('abort', () => urls.forEach((u) => void u.then(URL.revokeObjectURL, () => {})));

  api.book(route.params.id).then((book) => {
    if (signal.aborted) return;
    if (book.status !== 'ready') { go(`/books/${book.id}`); return; }
    title.textContent = book.title;
    stage.removeAttribute('aria-busy');
    let index = 0;
    const picture = (n: number) => {
      if (!urls.has(n)) urls.set(n, api.illustration(book.pages[n].illustrationUrl));
      return urls.get(n)!;
    };
    const img = h('img', { 'data-testid': 'page-picture', alt: '' });
    const text = h('p', { class: 'page-text', 'data-testid': 'page-text' });
    const counter = h('p', { class: 'counter', 'aria-live': 'polite', 'data-testid': 'page-counter' });
    const prev = h('button', { type: 'button', 'data-testid': 'prev-page' }, '← Previous');
    const next = h('button', { type: 'button', 'data-testid': 'next-page' }, 'Next →');
    const turn = (to: number) => {
      index = Math.max(0, Math.min(book.pages.length - 1, to));
      const page = book.pages[index];
      text.textContent = page.text;
      counter.textContent = `Page ${page.number} of ${book.pages.length}`;
      img.alt = `Picture for page ${page.number}`;
      prev.disabled = index === 0;
      next.disabled = index === book.pages.length - 1;
      picture(index).then((url) => { if (book.pages[index] === page) img.src = url; }, (e) => report(error, e));
      if (index + 1 < book.pages.length) void picture(index + 1).catch(() => {}); // the next picture, ahead of time
    };
    prev.addEventListener('click', () => turn(index - 1));
    next.addEventListener('click', () => turn(index + 1));
    stage.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowLeft') turn(index - 1);
      if (e.key === 'ArrowRight') turn(index + 1);
    });
    stage.replaceChildren(h('figure', {}, img, h('figcaption', {}, text)),
      h('div', { class: 'page-nav' }, prev, counter, next));
    section.append(h('div', { class: 'actions' }, h('a', { href: '#/library' }, 'Back to my books'), deleteControl(book, error)));
    turn(0);
  }, (e) => report(error, e));
  return section;
};
