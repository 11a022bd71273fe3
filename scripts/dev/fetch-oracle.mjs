#!/usr/bin/env node
// Installs the independent oracle for weft's tests: numpy (and scipy, for
// lu/lu_factor/cho_factor) from PyPI, pinned, into <package>/.deps/oracle.
// Idempotent: a stamp file records the pinned set. Used by test/global-setup.ts.
//
// Usage: node scripts/dev/fetch-oracle.mjs
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ORACLE = ['numpy==2.4.6', 'scipy==1.17.1'];
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const oracleDir = join(root, '.deps', 'oracle');
const stampPath = join(oracleDir, '.weft-oracle.json');
export const python = process.env.PYTHON ?? 'python3';

export function oracleReady() {
  try {
    return JSON.stringify(JSON.parse(readFileSync(stampPath, 'utf8')).pinned) === JSON.stringify(ORACLE);
  } catch {
    return false;
  }
}

export function fetchOracle() {
  if (oracleReady()) return;
  rmSync(oracleDir, { recursive: true, force: true });
  mkdirSync(oracleDir, { recursive: true });
  process.stderr.write(`weft: installing the test oracle (${ORACLE.join(', ')}) into ${oracleDir}\n`);
  const r = spawnSync(
    python,
    ['-m', 'pip', 'install', '--target', oracleDir, '--only-binary=:all:', '--disable-pip-version-check', '--quiet', ...ORACLE],
    { stdio: 'inherit', env: { ...process.env, PIP_USER: '0', PYTHONNOUSERSITE: '1', PIP_ROOT_USER_ACTION: 'ignore' } },
  );
  if (r.status !== 0) throw new Error(`pip install of ${ORACLE.join(' ')} failed (exit ${r.status ?? r.signal})`);
  writeFileSync(stampPath, JSON.stringify({ pinned: ORACLE }, null, 2));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    fetchOracle();
  } catch (err) {
    process.stderr.write(`weft: ${err.message}\n`);
    process.exit(1);
  }
}
