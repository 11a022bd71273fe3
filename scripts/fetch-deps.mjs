#!/usr/bin/env node
// Installs the pinned oneMKL and oneTBB runtimes and headers from Intel's
// official PyPI wheels into <package>/.deps (git-ignored).
//
// Why pip --prefix: the wheels carry their libraries and headers as wheel
// *data* files, which `--prefix DIR` lays out as DIR/lib and DIR/include;
// `--target` drops them. Why --no-deps with every wheel pinned: the set is
// reproducible and leaves out the offload runtimes (intel-cmplr-lib-ur, umf,
// ~200 MB) that intel-openmp declares but libiomp5 does not load.
//
// Idempotent: a stamp file records the pinned set; when it matches and the
// libraries are present, nothing runs. pip's own cache makes a re-fetch cheap.
//
// Usage: node scripts/fetch-deps.mjs [--force] [--quiet]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PINNED = [
  'mkl==2026.2.0',
  'mkl-include==2026.2.0',
  'intel-openmp==2026.2.0', // libiomp5, for MKL_THREADING_LAYER=INTEL comparison runs
  'tbb==2023.2.0', // mkl 2026 requires tbb==2023.*
  'tbb-devel==2023.2.0',
  'tcmlib==1.6.0', // libtcm, loaded by libtbb when TCM_ENABLE=1
];

// Files whose presence means the install is usable.
const REQUIRED = [
  'lib/libmkl_rt.so.3',
  'lib/libmkl_tbb_thread.so.3',
  'lib/libtbb.so.12',
  'include/mkl.h',
  'include/oneapi/tbb/task_arena.h',
];

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const depsDir = join(root, '.deps');
const stampPath = join(depsDir, '.weft-deps.json');

function log(quiet, msg) {
  if (!quiet) process.stderr.write(`weft: ${msg}\n`);
}

export function depsReady() {
  if (!existsSync(stampPath)) return false;
  try {
    const stamp = JSON.parse(readFileSync(stampPath, 'utf8'));
    if (JSON.stringify(stamp.pinned) !== JSON.stringify(PINNED)) return false;
  } catch {
    return false;
  }
  return REQUIRED.every((f) => existsSync(join(depsDir, f)));
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

export function fetchDeps({ force = false, quiet = false } = {}) {
  if (!force && depsReady()) {
    log(quiet, `oneMKL/oneTBB already in ${depsDir}`);
    return;
  }
  const python = findPython();
  rmSync(depsDir, { recursive: true, force: true });
  mkdirSync(depsDir, { recursive: true });
  log(quiet, `fetching ${PINNED.join(' ')} into ${depsDir} (pip, ~300 MB on first run)`);
  const started = Date.now();
  const r = spawnSync(
    python,
    [
      '-m', 'pip', 'install',
      '--prefix', depsDir,
      '--no-deps',
      '--only-binary=:all:',
      '--no-warn-script-location',
      '--disable-pip-version-check',
      '--no-compile',
      '--quiet',
      ...PINNED,
    ],
    // Keep pip away from any virtualenv/user-site settings of the caller.
    { stdio: 'inherit', env: { ...process.env, PIP_USER: '0', PYTHONNOUSERSITE: '1', PIP_ROOT_USER_ACTION: 'ignore' } },
  );
  if (r.status !== 0) {
    throw new Error(`pip install of the pinned Intel wheels failed (exit ${r.status ?? r.signal}); see pip's output above`);
  }
  const missing = REQUIRED.filter((f) => !existsSync(join(depsDir, f)));
  if (missing.length) {
    throw new Error(`pip finished but ${missing.join(', ')} is missing under ${depsDir}`);
  }
  writeFileSync(stampPath, JSON.stringify({ pinned: PINNED, fetchedAt: new Date().toISOString() }, null, 2));
  log(quiet, `oneMKL/oneTBB ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    fetchDeps({ force: process.argv.includes('--force'), quiet: process.argv.includes('--quiet') });
  } catch (err) {
    process.stderr.write(`weft: ${err.message}\n`);
    process.exit(1);
  }
}
