// Builds weft's CommonJS entries, dist/cjs/index.js: lib/index.ts bundled
// into one CommonJS file by esbuild (tsc cannot: lib uses import.meta,
// which a CommonJS emit rejects). `require('weft')` loads it, so a .cts
// file under tsx, whose loader hooks break Node 20's require() of ESM,
// works too. The file sits two levels below the package root, as the
// ESM build's modules do, so their `new URL('../..', import.meta.url)`
// lookups (the addon, package.json) resolve the same way.
//
// Both builds in one process (a dependency require()s weft while the
// app imports it) are two copies of weft's JS: see lib/internal/brand.ts
// for what crosses between them.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist');
const outdir = join(dist, 'cjs');
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
writeFileSync(join(outdir, 'package.json'), '{ "type": "commonjs" }\n');
// The worker-backed Pool's bootstrap (lib/internal/pool-worker.ts) is a
// second entry: a worker_thread starts it by file, beside the bundle
// (lib/internal/workers.ts looks for it there).
for (const [entry, out] of [
  ['index.ts', 'index.js'],
  ['internal/pool-worker.ts', 'pool-worker.js'],
]) {
  await build({
    entryPoints: [join(root, 'lib', entry)],
    outfile: join(outdir, out),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    keepNames: true, // NDArray, not _NDArray
    // import.meta does not exist in CommonJS: give it this file's URL.
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    logLevel: 'warning',
  });
}
// weft/register's CommonJS entry: a require() of the bundle above, not a
// bundle of its own, so that the app's own require('weft') finds the copy
// that register loaded.
await build({
  entryPoints: [join(root, 'lib', 'register.ts')],
  outfile: join(outdir, 'register.js'),
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
});
// Types for `import w = require('weft')`: tsc's declarations, copied beside
// the bundle, where dist/cjs/package.json makes them CommonJS declarations
// (TypeScript before 5.8 refuses a require() of ESM-typed modules).
const declarations = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (['cjs', 'cli'].includes(e.name) && dir === dist ? [] : declarations(join(dir, e.name))) : e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );
for (const file of declarations(dist)) {
  const target = join(outdir, relative(dist, file));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, readFileSync(file, 'utf8').replace(/^\/\/# sourceMappingURL=.*\n?/m, '')); // no maps beside these copies
}
