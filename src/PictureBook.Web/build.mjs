// Bundles src/main.ts into wwwroot/app.js (one minified file, ES2020, with a linked source map) and copies
// public/ (index.html, app.css) next to it. esbuild only strips types: `npm run typecheck` checks them.
import { build } from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';

mkdirSync('wwwroot', { recursive: true });
await build({
  entryPoints: ['src/main.ts'],
  outfile: 'wwwroot/app.js',
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  format: 'esm',
  target: 'es2020',
  legalComments: 'none',
  // Sentry's debug logging is dead weight in production; its tree-shaking flag drops it.
  define: { __SENTRY_DEBUG__: 'false' },
  logLevel: 'warning',
});
cpSync('public', 'wwwroot', { recursive: true });
