// Real-user monitoring: Web Vitals, error counts and page views, batched per view and sent to POST /api/rum
// (the contract's shape) with sendBeacon when the view changes and when the page is hidden or left.
import { onCLS, onFCP, onINP, onLCP, onTTFB, type Metric } from 'web-vitals';
import type { PageName } from './router';

type VitalName = 'LCP' | 'INP' | 'CLS' | 'TTFB' | 'FCP';
interface Batch { vitals: Array<{ name: VitalName; value: number }>; errors: Array<{ kind: 'error' | 'unhandledrejection' }>; pageView: boolean }

const MAX_ITEMS = 10; // per beacon, as the endpoint allows
// Loading metrics describe the document's load, so they belong to the view it was loaded on, even when they are
// reported later (LCP is final only at the first input or when the page is hidden). INP and CLS go to the current view.
const LOAD_METRICS = new Set<string>(['LCP', 'FCP', 'TTFB']);
let landing: PageName | null = null;
let current: PageName | null = null;
const pending = new Map<PageName, Batch>();

function batchOf(page: PageName): Batch {
  let batch = pending.get(page);
  if (!batch) pending.set(page, (batch = { vitals: [], errors: [], pageView: false }));
  return batch;
}

export function startRum(): void {
  const record = (metric: Metric) => {
    const page = LOAD_METRICS.has(metric.name) ? landing : current;
    if (!page) return;
    // The endpoint's ranges: milliseconds up to 10 minutes, CLS up to 100.
    const value = Math.min(Math.max(metric.value, 0), metric.name === 'CLS' ? 100 : 600000);
    batchOf(page).vitals.push({ name: metric.name as VitalName, value: Math.round(value * 10000) / 10000 });
    // Vitals reported while the page is being hidden must leave with this beacon, not wait for a next one.
    if (document.visibilityState === 'hidden') flush();
  };
  onLCP(record); onINP(record); onCLS(record); onTTFB(record); onFCP(record);

  const error = (kind: 'error' | 'unhandledrejection') => () => { if (current) batchOf(current).errors.push({ kind }); };
  addEventListener('error', error('error'));
  addEventListener('unhandledrejection', error('unhandledrejection'));
  // Registered after web-vitals' own listeners, so the vitals they report on hiding are already in the batch.
  addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') flush(); });
  addEventListener('pagehide', flush);
}

/** A view change: what was collected so far goes out, and the new view counts one page view. */
export function pageView(next: PageName): void {
  flush();
  landing ??= next;
  current = next;
  batchOf(next).pageView = true;
}

function flush(): void {
  for (const [page, { vitals, errors, pageView }] of pending) {
    let first = pageView;
    for (let i = 0; first || i < vitals.length || i < errors.length; i += MAX_ITEMS) {
      send({ page, vitals: vitals.slice(i, i + MAX_ITEMS), errors: errors.slice(i, i + MAX_ITEMS), pageView: first });
      first = false;
    }
  }
  pending.clear();
}

function send(body: { page: PageName } & Batch): void {
  const json = JSON.stringify(body);
  const blob = new Blob([json], { type: 'application/json' });
  // sendBeacon survives the page being closed; if the browser refuses it (queue full), fetch keepalive does too.
  if (navigator.sendBeacon?.('/api/rum', blob)) return;
  fetch('/api/rum', { method: 'POST', body: json, headers: { 'content-type': 'application/json' }, keepalive: true }).catch(() => {});
}
