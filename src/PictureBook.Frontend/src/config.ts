// The settings the server hands the page (GET /api/client-config): where errors go and how to tag them.
export interface ClientConfig {
  sentryDsn: string | null;
  environment: string;
  release: string;
  tracesSampleRate: number;
  tracePropagationTargets: string[];
}

const OFF: ClientConfig = { sentryDsn: null, environment: 'unknown', release: 'unknown', tracesSampleRate: 0, tracePropagationTargets: [] };

/** Never fails: without the config the UI still works, only unwatched. */
export async function loadConfig(): Promise<ClientConfig> {
  try {
    const response = await fetch('/api/client-config', { headers: { accept: 'application/json' } });
    return response.ok ? { ...OFF, ...(await response.json()) } : OFF;
  } catch {
    return OFF;
  }
}
