// Bundles src/main.ts into wwwroot/app.js (one minified file, ES2020, with a linked source map), copies
// public/ (index.html, app.css) next to it, and writes Brotli and gzip copies of the script and the styles, so the
// API serves them compressed without compressing on every request. esbuild only strips types: `npm run typecheck`
// checks them.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

mkdirSync('wwwroot', { recursive: true });
await build({
  entryPoints: ['src/main.ts'],
  outfile: 'wwwroot/app.js',
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  sourcesContent: false, // the map points at the sources; shipping their text too would make it ~3 MB
  format: 'esm',
  target: 'es2020',
  legalComments: 'none',
  // Sentry's debug logging is dead weight in production; its tree-shaking flag drops it.
  define: { __SENTRY_DEBUG__: 'false' },
  logLevel: 'warning',
});
cpSync('public', 'wwwroot', { recursive: true });

for (const file of ['wwwroot/app.js', 'wwwroot/app.css']) {
  const content = readFileSync(file);
  writeFileSync(`${file}.br`, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
}
