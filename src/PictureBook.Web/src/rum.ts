// Real-user monitoring: Web Vitals, error counts and page views, batched per page and sent to POST /api/rum
// (the contract's shape) with sendBeacon when the view changes and when the page is hidden or left.
import { onCLS, onFCP, onINP, onLCP, onTTFB, type Metric } from 'web-vitals';
import type { PageName } from './router';

type VitalName = 'LCP' | 'INP' | 'CLS' | 'TTFB' | 'FCP';
interface Batch { vitals: Array<{ name: VitalName; value: number }>; errors: Array<{ kind: 'error' | 'unhandledrejection' }>; pageView: boolean }

const MAX_ITEMS = 10; // per beacon, as the endpoint allows
let page: PageName | null = null;
let batch: Batch = empty();

function empty(): Batch {
  return { vitals: [], errors: [], pageView: false };
}

export function startRum(): void {
  const record = (metric: Metric) => {
    // The endpoint's ranges: milliseconds up to 10 minutes, CLS up to 100.
    const max = metric.name === 'CLS' ? 100 : 600000;
    const value = Math.min(Math.max(metric.value, 0), max);
    batch.vitals.push({ name: metric.name as VitalName, value: Math.round(value * 10000) / 10000 });
    // Vitals reported while the page is being hidden must leave with this beacon, not wait for a next one.
    if (document.visibilityState === 'hidden') flush();
  };
  onLCP(record); onINP(record); onCLS(record); onTTFB(record); onFCP(record);

  addEventListener('error', () => batch.errors.push({ kind: 'error' }));
  addEventListener('unhandledrejection', () => batch.errors.push({ kind: 'unhandledrejection' }));
  // Registered after web-vitals' own listeners, so the vitals they report on hiding are already in the batch.
  addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') flush(); });
  addEventListener('pagehide', flush);
}

/** A view change: what the old view collected goes out, and the new view counts one page view. */
export function pageView(next: PageName): void {
  flush();
  page = next;
  batch.pageView = true;
}

function flush(): void {
  if (!page) return;
  const { vitals, errors, pageView } = batch;
  batch = empty();
  let first = pageView;
  for (let i = 0; first || i < vitals.length || i < errors.length; i += MAX_ITEMS) {
    send({ page, vitals: vitals.slice(i, i + MAX_ITEMS), errors: errors.slice(i, i + MAX_ITEMS), pageView: first });
    first = false;
  }
}

function send(body: { page: PageName } & Batch): void {
  const json = JSON.stringify(body);
  const blob = new Blob([json], { type: 'application/json' });
  // sendBeacon survives the page being closed; if the browser refuses it (queue full), fetch keepalive does too.
  if (navigator.sendBeacon?.('/api/rum', blob)) return;
  fetch('/api/rum', { method: 'POST', body: json, headers: { 'content-type': 'application/json' }, keepalive: true }).catch(() => {});
}
