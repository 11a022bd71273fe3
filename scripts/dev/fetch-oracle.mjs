#!/usr/bin/env node
// Installs the independent oracle for weft's tests: numpy (and scipy, for
// lu/lu_factor/cho_factor) from PyPI, pinned, into <package>/.deps/oracle;
// and, for numpy's own test suite (npm run test:numpy), pytest into
// <package>/.deps/pytest — apart, so that the oracle's stamp and files stay
// as they are for checkouts that share .deps.
// Idempotent: a stamp file records each pinned set. Used by test/global-setup.ts.
//
// Usage: node scripts/dev/fetch-oracle.mjs [--pytest]
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ORACLE = ['numpy==2.4.6', 'scipy==1.17.1'];
// pytest and what it needs (on Python 3.11; pip adds exceptiongroup and
// tomli on older ones).
export const PYTEST = ['pytest==9.2.0', 'iniconfig==2.3.1', 'packaging==26.4', 'pluggy==1.7.0', 'pygments==2.20.0'];
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const oracleDir = join(root, '.deps', 'oracle');
export const pytestDir = join(root, '.deps', 'pytest');
export const python = process.env.PYTHON ?? 'python3';

const stampOf = (dir) => join(dir, '.weft-oracle.json');

function ready(pinned, dir) {
  try {
    return JSON.stringify(JSON.parse(readFileSync(stampOf(dir), 'utf8')).pinned) === JSON.stringify(pinned);
  } catch {
    return false;
  }
}

// Test files run in parallel processes, and each that needs the oracle
// asks for it: the first takes a lock file and installs, the others wait
// for its stamp. A lock older than LOCK_STALE_MS is a killed install's.
const LOCK_STALE_MS = 10 * 60_000;

function install(pinned, dir, what) {
  if (ready(pinned, dir)) return;
  mkdirSync(dirname(dir), { recursive: true });
  const lock = `${dir}.lock`;
  let fd;
  for (;;) {
    try {
      fd = openSync(lock, 'wx');
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    if (ready(pinned, dir)) return;
    try {
      if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) rmSync(lock, { force: true });
    } catch {
      // gone meanwhile: try again
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
  }
  try {
    if (!ready(pinned, dir)) installUnlocked(pinned, dir, what);
  } finally {
    closeSync(fd);
    rmSync(lock, { force: true });
  }
}

function installUnlocked(pinned, dir, what) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  process.stderr.write(`weft: installing ${what} (${pinned.join(', ')}) into ${dir}\n`);
  const r = spawnSync(
    python,
    ['-m', 'pip', 'install', '--target', dir, '--only-binary=:all:', '--disable-pip-version-check', '--quiet', ...pinned],
    { stdio: 'inherit', env: { ...process.env, PIP_USER: '0', PYTHONNOUSERSITE: '1', PIP_ROOT_USER_ACTION: 'ignore' } },
  );
  if (r.status !== 0) throw new Error(`pip install of ${pinned.join(' ')} failed (exit ${r.status ?? r.signal})`);
  writeFileSync(stampOf(dir), JSON.stringify({ pinned }, null, 2));
}

export function oracleReady() {
  return ready(ORACLE, oracleDir);
}

export function fetchOracle() {
  install(ORACLE, oracleDir, 'the test oracle');
}

/** pytest, for numpy's own test suite (scripts/dev/numpy-suite.mjs). */
export function fetchPytest() {
  install(PYTEST, pytestDir, "pytest for numpy's test suite");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    fetchOracle();
    if (process.argv.includes('--pytest')) fetchPytest();
  } catch (err) {
    process.stderr.write(`weft: ${err.message}\n`);
    process.exit(1);
  }
}
