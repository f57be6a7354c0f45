// Hash routing (#/signin, #/books/<id>): the server only has to serve index.html at /, and no UI path can
// collide with /api, /metrics or /health. Each route maps to one of the fixed page names the RUM contract allows.
//
// The page names are a value, not only a type, so a test can read them as the browser has them and hold them equal
// to the API's (FrontendPages.cs), which accepts no other page in a beacon.
export const PAGE_NAMES = ['home', 'signup', 'signin', 'library', 'create', 'book', 'reader'] as const;
export type PageName = (typeof PAGE_NAMES)[number];

export interface Route {
  page: PageName;
  params: Record<string, string>;
  query: URLSearchParams;
}

/** Which hash shows which view; {@link parse} falls back to 'home'. Exported for the test of the page names. */
export const patterns: ReadonlyArray<readonly [RegExp, PageName, string[]]> = [
  [/^\/?$/, 'home', []],
  [/^\/signup$/, 'signup', []],
  [/^\/signin$/, 'signin', []],
  [/^\/library$/, 'library', []],
  [/^\/create$/, 'create', []],
  [/^\/books\/([^/]+)$/, 'book', ['id']],
  [/^\/books\/([^/]+)\/read$/, 'reader', ['id']],
];

export function parse(hash: string): Route {
  const [path, search] = hash.replace(/^#/, '').split('?', 2);
  for (const [pattern, page, names] of patterns) {
    const match = pattern.exec(path);
    if (match) {
      const params = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1])]));
      return { page, params, query: new URLSearchParams(search ?? '') };
    }
  }
  return { page: 'home', params: {}, query: new URLSearchParams() };
}

export function go(path: string): void {
  location.hash = `#${path}`;
}
