#!/usr/bin/env node
// Installs the pinned oneMKL and oneTBB from Intel's official PyPI wheels
// into a prefix directory: <package>/.deps by default (git-ignored).
//
// Two sets. `build` is what compiling the addon needs (headers, oneTBB to
// link, oneMKL); `runtime` is only oneMKL's libraries, for a prebuilt addon
// that found no oneMKL on the machine (it ships its own libtbb): what
// `npm install` fetches into .deps then, and `npx weft install-mkl` into the
// per-user cache.
//
// Why pip --prefix: the wheels carry their libraries and headers as wheel
// *data* files, which `--prefix DIR` lays out as DIR/lib and DIR/include;
// `--target` drops them. Why --no-deps with every wheel pinned: the set is
// reproducible and leaves out the offload runtimes (intel-cmplr-lib-ur, umf,
// ~200 MB) that intel-openmp declares but libiomp5 does not load.
//
// Idempotent: a stamp file records the pinned set; when it covers the set
// asked for and the libraries are present, nothing runs. pip's own cache
// makes a re-fetch cheap.
//
// Usage: node scripts/install/fetch-deps.mjs [--runtime] [--dir DIR] [--force] [--quiet]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The versions live in package.json ("weft": { "pinned" }), their one place.
const versions = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json'), 'utf8')).weft.pinned;
const RUNTIME = [
  `mkl==${versions.mkl}`,
  `intel-openmp==${versions.mkl}`, // libiomp5, for MKL_THREADING_LAYER=INTEL comparison runs
];
export const PINNED = {
  runtime: RUNTIME,
  build: [
    ...RUNTIME,
    `mkl-include==${versions.mkl}`,
    `tbb==${versions.tbb}`, // mkl 2026 requires tbb==2023.*
    `tbb-devel==${versions.tbb}`,
    `tcmlib==${versions.tcmlib}`, // libtcm, loaded by libtbb when TCM_ENABLE=1
  ],
  versions,
};

// Files whose presence means the set is usable.
const REQUIRED = {
  runtime: ['lib/libmkl_rt.so.3', 'lib/libmkl_tbb_thread.so.3'],
  build: ['lib/libmkl_rt.so.3', 'lib/libmkl_tbb_thread.so.3', 'lib/libtbb.so.12', 'include/mkl.h', 'include/oneapi/tbb/task_arena.h'],
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const depsDir = join(root, '.deps');
const stampOf = (dir) => join(dir, '.weft-deps.json');

function log(quiet, msg) {
  if (!quiet) process.stderr.write(`weft: ${msg}\n`);
}

/** True when `dir` already holds the `kind` set (a `build` set covers `runtime`). */
export function depsReady(kind = 'build', dir = depsDir) {
  try {
    const stamp = JSON.parse(readFileSync(stampOf(dir), 'utf8'));
    if (!PINNED[kind].every((pin) => stamp.pinned?.includes(pin))) return false;
  } catch {
    return false;
  }
  return REQUIRED[kind].every((f) => existsSync(join(dir, f)));
}

function findPython() {
  const candidates = [process.env.PYTHON, 'python3', 'python'].filter(Boolean);
  for (const exe of candidates) {
    const r = spawnSync(exe, ['-m', 'pip', '--version'], { encoding: 'utf8' });
    if (r.status === 0) return exe;
  }
  throw new Error(
    `weft needs Python 3 with pip to fetch oneMKL and oneTBB from PyPI, but none of ` +
      `${candidates.join(', ')} runs "-m pip". Install python3-pip, or set PYTHON to a Python that has pip.`,
  );
}

export function fetchDeps({ kind = 'build', dir = depsDir, force = false, quiet = false } = {}) {
  if (!force && depsReady(kind, dir)) {
    log(quiet, `oneMKL${kind === 'build' ? '/oneTBB' : ''} already in ${dir}`);
    return;
  }
  const python = findPython();
  const pins = PINNED[kind];
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(quiet, `fetching ${pins.join(' ')} into ${dir} (pip, ${kind === 'build' ? '~300' : '~250'} MB on first run)`);
  const started = Date.now();
  const r = spawnSync(
    python,
    [
      '-m', 'pip', 'install',
      '--prefix', dir,
      '--no-deps',
      '--only-binary=:all:',
      '--no-warn-script-location',
      '--disable-pip-version-check',
      '--no-compile',
      '--quiet',
      ...pins,
    ],
    // Keep pip away from any virtualenv/user-site settings of the caller.
    { stdio: 'inherit', env: { ...process.env, PIP_USER: '0', PYTHONNOUSERSITE: '1', PIP_ROOT_USER_ACTION: 'ignore' } },
  );
  if (r.status !== 0) {
    throw new Error(`pip install of the pinned Intel wheels failed (exit ${r.status ?? r.signal}); see pip's output above`);
  }
  const missing = REQUIRED[kind].filter((f) => !existsSync(join(dir, f)));
  if (missing.length) {
    throw new Error(`pip finished but ${missing.join(', ')} is missing under ${dir}`);
  }
  writeFileSync(stampOf(dir), JSON.stringify({ kind, pinned: pins, fetchedAt: new Date().toISOString() }, null, 2));
  log(quiet, `${kind === 'build' ? 'oneMKL/oneTBB' : 'oneMKL'} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const dirAt = argv.indexOf('--dir');
  try {
    fetchDeps({
      kind: argv.includes('--runtime') ? 'runtime' : 'build',
      dir: dirAt >= 0 ? resolve(argv[dirAt + 1]) : depsDir,
      force: argv.includes('--force'),
      quiet: argv.includes('--quiet'),
    });
  } catch (err) {
    process.stderr.write(`weft: ${err.message}\n`);
    process.exit(1);
  }
}
