// home: the themes a book can be made from; picking one starts a book (or sign-up first).
import { api } from '../api';
import { h } from '../dom';
import { go } from '../router';
import { session } from '../session';
import { alertBox, heading, report, type View } from './view';

export const home: View = () => {
  const list = h('ul', { class: 'cards', 'data-testid': 'theme-list', 'aria-busy': 'true' });
  const error = alertBox();
  api.themes().then((themes) => {
    list.removeAttribute('aria-busy');
    list.replaceChildren(...themes.map((theme) => h('li', { class: 'card' },
      h('h2', {}, theme.name),
      h('p', {}, theme.description),
      h('button', {
        type: 'button', 'data-testid': `theme-${theme.id}`,
        onclick: () => {
          const create = `/create?theme=${encodeURIComponent(theme.id)}`;
          go(session.signedIn() ? create : `/signup?next=${encodeURIComponent(create)}`); // the theme survives signing up
        },
      }, `Choose ${theme.name}`))));
  }, (e) => report(error, e));
  return h('section', {},
    heading('Make a picture book'),
    h('p', { class: 'lead' }, 'Pick a theme. We write the story and draw a picture for every page.'),
    error, list);
};
