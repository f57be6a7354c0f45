// The entry point: read the server's client config, switch on Sentry and RUM, then route hash changes to views.
import { h } from './dom';
import { loadConfig } from './config';
import { pageView, startRum } from './rum';
import { parse, type PageName } from './router';
import { initSentry, setUser, traceNavigation } from './sentry';
import { session } from './session';
import type { View } from './views/view';
import { home } from './views/home';
import { signin, signup } from './views/auth';
import { library } from './views/library';
import { create } from './views/create';
import { book } from './views/book';
import { reader } from './views/reader';

const views: Record<PageName, View> = { home, signup, signin, library, create, book, reader };
const main = document.getElementById('main')!;
const nav = document.getElementById('nav')!;
let leave = new AbortController();
let first = true;

function renderNav(page: PageName): void {
  // aria-current tells screen readers which view they are on (the CSS marks it for everyone else).
  const link = (href: string, text: string, testid: string) =>
    h('a', { href, 'data-testid': testid, 'aria-current': href === `#/${page}` ? 'page' : undefined }, text);
  const signOut = h('button', { type: 'button', class: 'link', 'data-testid': 'nav-signout' }, 'Sign out');
  signOut.addEventListener('click', () => {
    session.clear();
    if (location.hash === '#/') render(); else location.hash = '#/'; // a hash change renders by itself
  });
  nav.replaceChildren(...(session.signedIn()
    ? [link('#/library', 'My books', 'nav-library'), link('#/create', 'New book', 'nav-create'), signOut]
    : [link('#/signin', 'Sign in', 'nav-signin'), link('#/signup', 'Sign up', 'nav-signup')]));
}

function render(): void {
  const route = parse(location.hash);
  leave.abort();
  leave = new AbortController();
  pageView(route.page);
  traceNavigation(route.page, first);
  setUser(session.signedIn());
  renderNav(route.page);
  main.replaceChildren(views[route.page](route, leave.signal));
  document.title = `${main.querySelector('h1')?.textContent ?? 'PictureBook'} · PictureBook`;
  // After the first view, move focus to the new view's heading, as a page load would for a screen reader.
  if (!first) main.querySelector<HTMLElement>('h1')?.focus();
  first = false;
}

// The skip link moves focus without touching the hash, which is the router's (no inline script: CSP-friendly).
document.querySelector('.skip')?.addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});

async function start(): Promise<void> {
  const config = await loadConfig();
  initSentry(config);
  startRum();
  addEventListener('hashchange', render);
  render();
}

void start();
