// The API client: same-origin fetch with the bearer token, and every non-2xx answer turned into an ApiError
// that carries the RFC 9457 problem details (title, detail, field errors) for the views to show.
import { session } from './session';

export interface Problem {
  status: number;
  title: string;
  detail?: string;
  errors?: Record<string, string[]>;
}

export class ApiError extends Error {
  /** `expired`: the request carried a token the API no longer accepts (the session was cleared). */
  constructor(readonly problem: Problem, readonly expired = false) {
    super(problem.title);
  }
}

export interface Theme { id: string; name: string; description: string; defaultTitle: string }
export type BookStatus = 'queued' | 'generating' | 'ready' | 'failed';
export interface Page { number: number; text: string; illustrationUrl: string }
export interface Book {
  id: string; title: string; theme: string; status: BookStatus; pageCount: number;
  pages: Page[]; error?: string | null; errorId?: string | null; waitingForProvider?: 'text' | 'image' | null;
  createdAt: string; completedAt?: string | null;
}
export interface BookSummary {
  id: string; title: string; theme: string; status: BookStatus; pageCount: number; pagesDone: number;
  error?: string | null; createdAt: string;
}

export async function request(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const token = session.token();
  if (token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError({ status: 0, title: 'The server cannot be reached.', detail: 'Check your connection and try again.' });
  }
  // 401 with a token: it expired or was revoked. Forget it, so the views send the reader to sign in again.
  const expired = response.status === 401 && token !== null;
  if (expired) session.clear();
  if (!response.ok) throw new ApiError(await readProblem(response), expired);
  return response;
}

async function readProblem(response: Response): Promise<Problem> {
  const fallback: Problem = { status: response.status, title: defaultTitle(response.status) };
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return fallback;
  try {
    const body = await response.json();
    return {
      status: response.status,
      title: typeof body.title === 'string' && body.title ? body.title : fallback.title,
      detail: typeof body.detail === 'string' ? body.detail : undefined,
      errors: body.errors && typeof body.errors === 'object' ? body.errors : undefined,
    };
  } catch {
    return fallback;
  }
}

function defaultTitle(status: number): string {
  if (status === 401) return 'Please sign in.';
  if (status === 404) return 'Not found.';
  if (status === 429) return 'Too many requests: wait a moment and try again.';
  if (status >= 500) return 'Something went wrong on our side. Try again in a moment.';
  return `The request failed (${status}).`;
}

const json = async <T>(r: Response): Promise<T> => (await r.json()) as T;

export const api = {
  themes: async () => json<Theme[]>(await request('GET', '/api/themes')),
  register: async (email: string, password: string) => { await request('POST', '/api/auth/register', { email, password }); },
  login: async (email: string, password: string) =>
    json<{ accessToken: string; expiresIn: number }>(await request('POST', '/api/auth/login', { email, password })),
  books: async () => json<BookSummary[]>(await request('GET', '/api/books')),
  book: async (id: string) => json<Book>(await request('GET', `/api/books/${encodeURIComponent(id)}`)),
  createBook: async (theme: string, title: string | undefined, pageCount: number | undefined) =>
    json<{ id: string; status: BookStatus }>(await request('POST', '/api/books', { theme, title, pageCount })),
  deleteBook: async (id: string) => { await request('DELETE', `/api/books/${encodeURIComponent(id)}`); },
  /** Pictures need the bearer token, which an <img src> cannot send: fetch them and show an object URL. */
  illustration: async (url: string) => URL.createObjectURL(await (await request('GET', url)).blob()),
};
