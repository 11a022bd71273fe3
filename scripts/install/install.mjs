#!/usr/bin/env node
// `npm install` entry point: make sure an addon binary exists and oneMKL can
// be found.
//
// - A matching prebuild ships (or an earlier build exists): nothing to
//   compile. If lib/internal/find-mkl.ts finds no oneMKL 2026 on the machine,
//   fetch oneMKL's runtime libraries (Node alone; pip as a fallback) into the
//   per-user cache, once per machine (into <package>/.deps with
//   WEFT_MKL_LOCAL=1; not at all with WEFT_SKIP_MKL_DOWNLOAD=1 or
//   WEFT_OFFLINE=1). A failed fetch is a warning with the remedies, never a
//   failed install: the binary is fine, and weft fetches on first use too.
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
import { fetchDeps, fetchRuntime } from './fetch-deps.mjs';
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
  const findMklModule = await import(pathToFileURL(join(root, 'dist', 'internal', 'find-mkl.js')).href);
  const search = findMklModule.findMkl(root);
  if (search.found) {
    process.stderr.write(`weft: oneMKL found (${search.found.source}): ${search.found.library}\n`);
    return;
  }
  const remedies = () => findMklModule.mklRemedies(root).join('\n');
  const skip = ['WEFT_SKIP_MKL_DOWNLOAD', 'WEFT_OFFLINE'].find((v) => process.env[v] && process.env[v] !== '0');
  if (skip) {
    process.stderr.write(`weft: no oneMKL 2026 found and ${skip} is set, so none was fetched. Before using weft, one of:\n${remedies()}\n`);
    return;
  }
  try {
    await fetchRuntime({ dir: findMklModule.mklInstallDir(root) });
  } catch (err) {
    process.stderr.write(`weft: WARNING: the install succeeded but oneMKL was not fetched: ${err.message}\nBefore using weft, one of:\n${remedies()}\n`);
  }
}

const rebuild = args.includes('--rebuild');
const found = rebuild ? undefined : existingBinary();
if (found) {
  process.stderr.write(`weft: using ${found}\n`);
  try {
    await ensureMklRuntime();
  } catch (err) {
    process.stderr.write(`weft: WARNING: could not check for oneMKL (${err.message}); weft will look for it, and fetch it, when first imported\n`);
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
