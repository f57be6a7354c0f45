// Browser errors and traces to Sentry, configured by the server (no DSN: Sentry stays off). Navigation spans are
// started by hand with the view's name, so transactions are named "book", not "/" (hash routes share one path).
import * as Sentry from '@sentry/browser';
import type { ClientConfig } from './config';
import type { PageName } from './router';

let enabled = false;

export function initSentry(config: ClientConfig): void {
  if (!config.sentryDsn) return;
  Sentry.init({
    dsn: config.sentryDsn,
    release: config.release,
    environment: config.environment,
    tracesSampleRate: config.tracesSampleRate,
    // The server sends patterns as strings ("^/api/"); Sentry treats strings as substrings, so make them regexes.
    tracePropagationTargets: config.tracePropagationTargets.map((p) => new RegExp(p)),
    integrations: [Sentry.browserTracingIntegration({ instrumentNavigation: false })],
  });
  enabled = true;
}

/** A navigation span per view change (the first view is the page load's). */
export function traceNavigation(page: PageName, first: boolean): void {
  const client = Sentry.getClient();
  if (!enabled || !client) return;
  if (first) {
    const active = Sentry.getActiveSpan();
    if (active) Sentry.updateSpanName(Sentry.getRootSpan(active), page); // the page load's span, named by its view
  } else {
    Sentry.startBrowserTracingNavigationSpan(client, { name: page, attributes: { 'sentry.source': 'route' } });
  }
}

/** Runs a user action (a click) in its own span, so its API calls and the job they start are one trace with it. */
export function traceAction<T>(name: string, action: () => Promise<T>): Promise<T> {
  return enabled ? Sentry.startSpan({ name, op: 'ui.action.click' }, action) : action();
}

export function setUser(signedIn: boolean): void {
  // No e-mail (PII stays off); only whether someone is signed in, as a tag.
  if (enabled) Sentry.setTag('signed_in', signedIn ? 'yes' : 'no');
}
