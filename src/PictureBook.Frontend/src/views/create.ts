// create: theme, optional title, page count. The click is traced, so its API call and the generation job
// share its trace in Sentry.
import { api } from '../api';
import { field, h } from '../dom';
import { clearProblem } from '../problem';
import { go } from '../router';
import { traceAction } from '../sentry';
import { alertBox, busy, heading, report, requireSignIn, type View } from './view';

export const create: View = (route) => {
  if (!requireSignIn()) return h('div');
  const theme = h('select', { name: 'theme', required: true, 'data-testid': 'theme' });
  const title = h('input', { name: 'title', type: 'text', maxlength: 120, 'data-testid': 'title' });
  const pages = h('input', { name: 'pageCount', type: 'number', min: 1, max: 12, value: 4, inputmode: 'numeric', 'data-testid': 'page-count' });
  const submit = h('button', { type: 'submit', 'data-testid': 'create-submit', disabled: true }, 'Create book');
  const error = alertBox();

  api.themes().then((themes) => {
    const wanted = route.query.get('theme');
    theme.replaceChildren(...themes.map((t) => h('option', { value: t.id, selected: t.id === wanted }, t.name)));
    submit.disabled = false;
  }, (e) => report(error, e));

  // No browser validation: the API's problem details are the one source of the rules and their wording.
  const form = h('form', { novalidate: true }, error,
    field('Theme', theme),
    field('Title (optional)', title, 'Leave empty for the theme’s own title.'),
    field('Pages', pages, 'From 1 to 12.'),
    submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearProblem(error);
    void busy(submit, 'Creating…', async () => {
      try {
        const count = pages.value.trim() === '' ? Number.NaN : Number(pages.value);
        const book = await traceAction('create book', () =>
          api.createBook(theme.value, title.value.trim() || undefined, Number.isFinite(count) ? count : undefined));
        go(`/books/${book.id}`);
      } catch (e) {
        report(error, e);
        error.focus();
      }
    });
  });
  return h('section', { class: 'narrow' }, heading('New book'), form);
};
