// signup and signin: one form, two purposes. Signing up signs in straight away.
import { api, ApiError } from '../api';
import { field, h } from '../dom';
import { clearProblem } from '../problem';
import { go, type Route } from '../router';
import { session } from '../session';
import { alertBox, busy, heading, report, type View } from './view';

function authForm(route: Route, mode: 'signup' | 'signin'): HTMLElement {
  const email = h('input', { name: 'email', type: 'email', autocomplete: 'email', required: true, 'data-testid': 'email' });
  const password = h('input', {
    name: 'password', type: 'password', required: true, 'data-testid': 'password',
    autocomplete: mode === 'signup' ? 'new-password' : 'current-password',
  });
  const submit = h('button', { type: 'submit', 'data-testid': `${mode}-submit` }, mode === 'signup' ? 'Sign up' : 'Sign in');
  const error = alertBox();
  const next = route.query.get('next') || (mode === 'signup' ? '/create' : '/library');

  const form = h('form', { novalidate: true }, error,
    field('E-mail', email),
    field('Password', password, mode === 'signup' ? 'At least 8 characters, with a digit, a lower- and an upper-case letter and a symbol.' : undefined),
    submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearProblem(error);
    void busy(submit, mode === 'signup' ? 'Signing up…' : 'Signing in…', async () => {
      try {
        if (mode === 'signup') await api.register(email.value.trim(), password.value);
        const { accessToken } = await api.login(email.value.trim(), password.value);
        session.save(accessToken, email.value.trim());
        go(next);
      } catch (e) {
        // Identity answers a failed sign-in with a bare 401 ("Unauthorized", "Failed"): say what it means.
        const wrong = mode === 'signin' && e instanceof ApiError && e.problem.status === 401;
        report(error, wrong ? new ApiError({ status: 401, title: 'Wrong e-mail or password.', detail: 'Check both and try again.' }) : e);
        error.focus();
      }
    });
  });

  const other = mode === 'signup'
    ? h('p', {}, 'Already have an account? ', h('a', { href: '#/signin' }, 'Sign in'))
    : h('p', {}, 'New here? ', h('a', { href: '#/signup' }, 'Sign up'));
  const expired = route.query.get('expired') ? h('p', { class: 'note', role: 'status' }, 'Your sign-in expired: please sign in again.') : null;
  return h('section', { class: 'narrow' }, heading(mode === 'signup' ? 'Sign up' : 'Sign in'), expired, form, other);
}

export const signup: View = (route) => authForm(route, 'signup');
export const signin: View = (route) => authForm(route, 'signin');
