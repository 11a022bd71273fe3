#!/usr/bin/env node
// `npm install` entry point: make sure an addon binary exists and oneMKL can
// be found.
//
// - A matching prebuild ships (or an earlier build exists): nothing to
//   compile. If lib/internal/find-mkl.ts finds no oneMKL 2026 on the machine, fetch
//   oneMKL's runtime wheels into <package>/.deps (unless
//   WEFT_SKIP_MKL_DOWNLOAD=1; then `npx weft install-mkl` or WEFT_MKL_DIR
//   later).
// - Otherwise build from source with node-gyp against this Node's own
//   headers, after fetching the whole pinned set (headers, oneTBB, oneMKL)
//   into .deps. PREBUILDS_ONLY=1 refuses to build.
//
// Usage: node scripts/install/install.mjs [--rebuild] [--debug]
//   --rebuild  always compile, even when a prebuild or an earlier build exists
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fetchDeps } from './fetch-deps.mjs';
import { nodeGypRebuildArgs } from './node-gyp.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

function fail(msg) {
  process.stderr.write(`weft: ${msg}\n`);
  process.exit(1);
}

function existingBinary() {
  try {
    return require('node-gyp-build').path(root);
  } catch {
    return undefined;
  }
}

// With a binary in hand only oneMKL's runtime can be missing. The search is
// the one weft runs when it loads (dist/ ships in the package; a git clone
// has no prebuild, so it never gets here before its first build).
async function ensureMklRuntime() {
  let search;
  try {
    const { findMkl } = await import(pathToFileURL(join(root, 'dist', 'internal', 'find-mkl.js')).href);
    search = findMkl(root);
  } catch {
    search = { found: undefined };
  }
  if (search.found) {
    process.stderr.write(`weft: oneMKL found (${search.found.source}): ${search.found.library}\n`);
    return;
  }
  if (process.env.WEFT_SKIP_MKL_DOWNLOAD) {
    process.stderr.write('weft: no oneMKL 2026 found and WEFT_SKIP_MKL_DOWNLOAD is set: run `npx weft install-mkl` or set WEFT_MKL_DIR before using weft\n');
    return;
  }
  fetchDeps({ kind: 'runtime' });
}

const rebuild = args.includes('--rebuild');
const found = rebuild ? undefined : existingBinary();
if (found) {
  process.stderr.write(`weft: using ${found}\n`);
  try {
    await ensureMklRuntime();
  } catch (err) {
    fail(err.message);
  }
  process.exit(0);
}
if (process.env.PREBUILDS_ONLY) fail('PREBUILDS_ONLY is set but no prebuilt binary matches this platform');

try {
  fetchDeps({ kind: 'build' });
} catch (err) {
  fail(err.message);
}

let gypArgs;
try {
  gypArgs = nodeGypRebuildArgs(args.includes('--debug') ? ['--debug'] : []);
} catch (err) {
  fail(err.message);
}
const started = Date.now();
const r = spawnSync(process.execPath, gypArgs, { cwd: root, stdio: 'inherit' });
if (r.status !== 0) fail(`building the addon failed (node-gyp exit ${r.status ?? r.signal})`);
process.stderr.write(`weft: addon built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
