// Bundles the compiled server and CLI (dist/src) with their JavaScript dependencies into
// dist/app/: main.js (the `tally` bin and `npm start`) and the SQLite reader and writer workers
// beside it, where dist/src's `new URL('./…-worker.js', import.meta.url)` finds them. One file
// loads in a fraction of the time of ~1,000 modules (docs/decisions/0046-bundled-server.md).
// better-sqlite3 stays a dependency installed by npm: it carries a native addon.
import { build } from 'esbuild';

await build({
  entryPoints: [
    'dist/src/cli/main.js',
    'dist/src/store/sqlite/threads/writer-worker.js',
    'dist/src/store/sqlite/threads/reader-worker.js',
  ],
  outdir: 'dist/app',
  entryNames: '[name]',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Identifiers are kept, so stack traces and logs name the same functions as the source.
  minifyWhitespace: true,
  minifySyntax: true,
  external: ['better-sqlite3', 'pg-native'],
  // The CommonJS dependencies (fastify, pg, …) call require() for Node's own modules.
  banner: { js: "import { createRequire as __tallyRequire } from 'node:module'; const require = __tallyRequire(import.meta.url);" },
  logLevel: 'warning',
});
