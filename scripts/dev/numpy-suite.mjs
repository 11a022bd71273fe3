#!/usr/bin/env node
// npm run test:numpy: numpy 2.4.6's own numpy/linalg/tests/test_linalg.py
// (and test_regression.py beside it), unchanged, under pytest, with the numpy.linalg functions it tests routed
// to weft (test/numpy-suite/: the bridge, the routes, the pytest plugin,
// deviations.json). Two runs of the file: first with float32/complex64
// calls on scipy.linalg in single precision (the evidence float32
// deviations are held to), then on weft, which writes docs/numpy-suite.md.
// Exits non-zero on any failed unit, any listed deviation that now passes,
// and any deviation entry that matches nothing.
//
// Usage: node scripts/dev/numpy-suite.mjs [--no-docs] [--async] [-- <pytest args, e.g. -k TestSolve>]
// (a run given pytest selection arguments writes no docs). --async: every
// weft call also runs its async twin, and a result that differs by a bit
// fails the unit (about 3x the time: not in CI).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchOracle, fetchPytest, oracleDir, pytestDir, python } from './fetch-oracle.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const suiteDir = join(root, 'test', 'numpy-suite');
const dash = process.argv.indexOf('--');
const own = dash < 0 ? process.argv.slice(2) : process.argv.slice(2, dash);
const pytestArgs = dash < 0 ? [] : process.argv.slice(dash + 1);
const writeDocs = !own.includes('--no-docs') && pytestArgs.length === 0;

if (!existsSync(join(root, 'dist', 'index.js'))) {
  process.stderr.write('numpy-suite: dist/ is not built; run npm run build:ts first\n');
  process.exit(1);
}
fetchOracle();
fetchPytest();

const work = mkdtempSync(join(tmpdir(), 'weft-numpy-suite-'));
// Copies, byte for byte, outside numpy's package: numpy's own conftest.py
// (hypothesis profiles, its pytest options) is not part of this run.
// test_regression.py: numpy.linalg's regression tests, beside the main file.
const FILES = ['test_linalg.py', 'test_regression.py'];
for (const file of FILES) copyFileSync(join(oracleDir, 'numpy', 'linalg', 'tests', file), join(work, file));
const env = {
  ...process.env,
  PYTHONPATH: [suiteDir, oracleDir, pytestDir].join(delimiter),
  PYTHONNOUSERSITE: '1',
  PYTHONDONTWRITEBYTECODE: '1',
  WEFT_NUMPY_SUITE_ASYNC: own.includes('--async') ? '1' : '0',
};

function pytest(route, extra, quiet = false) {
  const args = ['-m', 'pytest', '-p', 'weft_numpy_suite', '-p', 'no:cacheprovider', '-q', '--tb=line',
    '--rootdir', work, '-o', 'addopts=', ...FILES, '--weft-route', route, ...extra, ...pytestArgs];
  const started = Date.now();
  const r = spawnSync(python, args, { cwd: work, env, stdio: quiet ? ['ignore', 'pipe', 'inherit'] : 'inherit', maxBuffer: 1 << 28 });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  const last = quiet ? ` (${r.stdout.toString().trim().split('\n').pop()})` : '';
  process.stdout.write(`numpy-suite: the ${route} run took ${seconds} s${last}\n`);
  return r.status ?? 1;
}

const started = Date.now();
const scipyReport = join(work, 'scipy32.json');
// Its failures are the evidence, not this run's verdict.
let status = pytest('scipy32', ['--weft-report', scipyReport], true);
if (!existsSync(scipyReport)) {
  process.stderr.write(`numpy-suite: the scipy32 run wrote no report (exit ${status})\n`);
  process.exit(1);
}
status = pytest('weft', [
  '--weft-deviations', join(suiteDir, 'deviations.json'),
  '--weft-scipy-report', scipyReport,
  '--weft-report', join(work, 'weft.json'),
  ...(writeDocs ? ['--weft-table', join(root, 'docs', 'numpy-suite.md')] : []),
]);
process.stdout.write(`numpy-suite: ${((Date.now() - started) / 1000).toFixed(0)} s in all${writeDocs ? '; wrote docs/numpy-suite.md' : ''}\n`);
rmSync(work, { recursive: true, force: true });
process.exit(status);
