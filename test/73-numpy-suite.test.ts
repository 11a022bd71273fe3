// The numpy-suite harness itself (test/numpy-suite/, npm run test:numpy):
// the bridge carries every dtype, shape and stride pattern exactly both
// ways, maps weft's errors to numpy's, routes numpy.linalg and falls back
// for the dtypes weft lacks; the pytest plugin sorts units into passed,
// deviation and stale and fails the run on a stale entry.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from './helpers.js';
import { fetchOracle, fetchPytest, oracleDir, pytestDir, python } from '../scripts/dev/fetch-oracle.mjs';

const suiteDir = join(root, 'test', 'numpy-suite');
const env = { ...process.env, PYTHONPATH: [suiteDir, oracleDir, pytestDir].join(delimiter), PYTHONDONTWRITEBYTECODE: '1' };
let work = '';

function runPython(code: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(python, ['-c', code], { env, encoding: 'utf8', timeout: 120_000 });
}

function pythonJson(code: string): Record<string, unknown> {
  const r = runPython(code);
  if (r.status !== 0) throw new Error(`python exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

beforeAll(() => {
  fetchOracle();
  fetchPytest();
  work = mkdtempSync(join(tmpdir(), 'weft-numpy-suite-test-'));
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('numpy-suite bridge', () => {
  it('round-trips dtypes, shapes and strided views exactly, and maps weft errors to numpy classes', () => {
    const out = pythonJson(`
import json, numpy as np, weft_bridge as wb
rng = np.random.default_rng(7)
checks = {}
def views(b):
  return {
    'contiguous': b,
    'negative': b[::-1, :, ::-2],
    'zero-stride': np.lib.stride_tricks.as_strided(b[0, 0], shape=(3, 4, 6), strides=(0, 0, b.itemsize)),
    'offset': b[2:, 1:5, 3:],
    '0-d': np.asarray(b[1, 2, 3]),
    'empty': b[:0],
  }
base = rng.standard_normal((5, 7, 6))
for dt in ('float64', 'float32'):
  for name, x in views(base.astype(dt)).items():
    got = wb.call('copy', x)
    checks[f'copy {name} {dt}'] = got.dtype == x.dtype and got.shape == x.shape and np.array_equal(got, x)
zbase = base + 1j * rng.standard_normal(base.shape)
for dt in ('complex128', 'complex64'):
  for name, x in views(zbase.astype(dt)).items():
    got = wb.call('array', x)
    checks[f'array {name} {dt}'] = got.dtype == x.dtype and got.shape == x.shape and np.array_equal(got, x)
for dt in ('int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'bool'):
  x = (np.arange(12).reshape(3, 4) % 3).astype(dt)[:, ::-2]
  got = wb.call('copy', x)
  checks[f'copy {dt}'] = got.dtype == np.float64 and np.array_equal(got, x.astype(np.float64))
t = wb.call('linalg.transpose', base[1:3, ::2, 1:])
checks['a view result'] = np.array_equal(t, np.swapaxes(base[1:3, ::2, 1:], -1, -2))
d = wb.call('linalg.diagonal', base, {'offset': 2})
checks['an offset view result'] = np.array_equal(d, np.diagonal(base, 2, -2, -1))
swapped = np.eye(3).astype('>f8')
checks['byte-swapped input'] = np.array_equal(wb.call('copy', swapped), np.eye(3))
errors = {}
for label, fn, args in [('singular', 'linalg.inv', [np.ones((2, 2))]),
                        ('shapes', 'linalg.solve', [np.eye(2), np.ones(3)]),
                        ('option', 'linalg.svd', [np.eye(2), {'fullMatrices': 'yes'}]),
                        ('missing', 'linalg.noSuchFunction', [np.eye(2)])]:
  try:
    wb.call(fn, *args)
    errors[label] = None
  except Exception as e:
    errors[label] = type(e).__module__ + '.' + type(e).__name__
print(json.dumps({'checks': checks, 'errors': errors}))
`);
    const checks = out.checks as Record<string, boolean>;
    expect(Object.keys(checks).length).toBeGreaterThanOrEqual(30);
    for (const [name, ok] of Object.entries(checks)) expect(ok, name).toBe(true);
    expect(out.errors).toEqual({
      singular: 'numpy.linalg.LinAlgError',
      shapes: 'builtins.ValueError',
      option: 'builtins.TypeError',
      missing: 'weft_bridge.WeftMissing',
    });
  });

  it('routes numpy.linalg to weft with numpy result types, and float16 to numpy', () => {
    const out = pythonJson(`
import json, numpy as np, routes
routes.install('weft'); routes.live = True
routes.record.reset()
a = np.array([[2., 1.], [1., 3.]])
d = np.linalg.det(a)
r = np.linalg.slogdet(a.astype(np.float32))
u = np.linalg.svd(a)
weft_calls = routes.record.weft
routes.record.reset()
try:
  np.linalg.cholesky(a.astype(np.float16))
  refused = None
except TypeError as e:
  refused = str(e)
print(json.dumps({'det': [type(d).__name__, float(d)], 'slogdet': [type(r).__name__, r.sign.dtype.name, float(r.logabsdet)],
  'svd': type(u).__name__, 'weft': weft_calls, 'fallback': routes.record.fallback,
  'dtypes': sorted(routes.record.fallback_dtypes), 'refused': refused}))
`);
    expect((out.det as unknown[])[0]).toBe('float64');
    expect((out.det as number[])[1]).toBeCloseTo(5, 12);
    expect((out.slogdet as unknown[]).slice(0, 2)).toEqual(['SlogdetResult', 'float32']);
    expect((out.slogdet as number[])[2]).toBeCloseTo(Math.log(5), 5);
    expect(out.svd).toBe('SVDResult');
    expect(out.weft).toBe(3);
    expect(out.fallback).toBe(1);
    expect(out.dtypes).toEqual(['float16']);
    expect(out.refused).toMatch(/unsupported in linalg/);
  });
});

describe('numpy-suite plugin', () => {
  it('sorts units into passed, deviation, stale and unsupported, holds float32 claims to evidence, and fails the run on a stale entry', () => {
    writeFileSync(
      join(work, 'test_linalg.py'),
      [
        'import numpy as np',
        'def test_passes():',
        '    assert np.linalg.det(np.eye(3)) == 1.0',
        'def test_listed_and_fails():',
        '    assert np.linalg.matrix_rank(np.eye(2)).dtype == np.intp',
        'def test_listed_but_passes():',
        '    assert np.linalg.inv(2 * np.eye(2))[0, 0] == 0.5',
        'def test_float16_only():',
        '    assert np.linalg.norm(np.ones(4, dtype=np.float16)) == 2',
        'def test_float32_claim_unbacked():',
        '    np.testing.assert_allclose(np.linalg.inv(np.eye(2, dtype=np.float32)), 2 * np.eye(2))',
        '',
      ].join('\n'),
    );
    const deviations = join(work, 'deviations.json');
    writeFileSync(
      deviations,
      JSON.stringify({
        deviations: [
          { id: 'test_listed_and_fails', reason: 'float64 ranks' },
          { id: 'test_listed_but_passes', reason: 'was wrong once' },
          { id: 'test_float32_claim_unbacked', reason: 'float32', float32: true },
        ],
      }),
    );
    const report = join(work, 'report.json');
    const r = spawnSync(
      python,
      ['-m', 'pytest', '-p', 'weft_numpy_suite', '-p', 'no:cacheprovider', '-q', '--rootdir', work, 'test_linalg.py', '--weft-deviations', deviations, '--weft-report', report],
      { cwd: work, env, encoding: 'utf8', timeout: 120_000 },
    );
    expect(r.status, r.stdout + r.stderr).toBe(1);
    const units = (JSON.parse(spawnSync('cat', [report], { encoding: 'utf8' }).stdout) as { units: Record<string, { category: string }> }).units;
    expect(Object.fromEntries(Object.entries(units).map(([k, v]) => [k, v.category]))).toEqual({
      test_passes: 'passed',
      test_listed_and_fails: 'deviation',
      test_listed_but_passes: 'stale',
      test_float16_only: 'unsupported',
      // A float32 claim with no scipy32 run to hold it to.
      test_float32_claim_unbacked: 'failed',
    });
    expect(r.stdout).toMatch(/2 failed, 2 passed, 1 xfailed/);
  });
});
