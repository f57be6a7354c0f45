// Hash routing (#/signin, #/books/<id>): the server only has to serve index.html at /, and no UI path can
// collide with /api, /metrics or /health. Each route maps to one of the fixed page names the RUM contract allows.
export type PageName = 'home' | 'signup' | 'signin' | 'library' | 'create' | 'book' | 'reader';

export interface Route {
  page: PageName;
  params: Record<string, string>;
  query: URLSearchParams;
}

const patterns: Array<[RegExp, PageName, string[]]> = [
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
