// The case table (test/cases.ts) against numpy and scipy, pinned and
// installed from PyPI by scripts/dev/fetch-oracle.mjs: an independent
// implementation (numpy's bundled OpenBLAS/LAPACK) on the same inputs.
//
// Values are compared up to the freedoms the mathematics leaves: the sign of
// a QR column, the sign or phase of a singular vector or eigenvector (and
// nothing at all inside a cluster of equal values), the order of eig's
// eigenvalues. Tolerances scale with the dtype's epsilon, the size, and —
// for the problems whose answer is only as good as the input's conditioning —
// the condition number numpy reports.
//
// The largest relative error per function and dtype is printed and written
// to .deps/oracle/errors.json.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NDArray, reshape, sum } from '../lib/index.js';
import type { AnyNDArray } from '../lib/index.js';
import { registeredOps } from '../lib/internal/registry.js';
import { cases, eps, runCase } from './cases.js';
import type { Case } from './cases.js';
import { rng, root } from './helpers.js';
import { decode, encode } from './oracle-codec.js';
import type { Encoded } from './oracle-codec.js';
import { flatten } from './reference.js';
import { fetchOracle, oracleDir, python } from '../scripts/dev/fetch-oracle.mjs';

type OracleResult = { out?: Record<string, Encoded>; error?: string };

/** Comparisons and logic: bool results (and where's), compared exactly, dtype included. */
const LOGIC = ['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'isclose', 'allclose', 'logicalAnd', 'logicalOr', 'logicalNot',
  'any', 'all', 'isnan', 'isfinite', 'isinf', 'where'].map((op) => `top.${op}`);

/** numpy's behaviour on NaN/Inf is LAPACK-implementation-defined for these; weft's is tested in test/24-errors-and-abort. */
const NAN_DEFINED = new Set(['eig', 'eigvals', 'svd', 'svdvals', 'pinv', 'matrixRank', 'lstsq', 'norm', 'trace', 'diagonal', 'transpose', 'cross', 'top.full',
  ...['add', 'subtract', 'multiply', 'divide', 'power', 'maximum', 'minimum', 'mod', 'hypot', 'arctan2'].map((op) => `top.${op}`),
  ...LOGIC,
  ...['sum', 'prod', 'mean', 'variance', 'std', 'min', 'max', 'argmin', 'argmax', 'cumsum', 'cumprod'].map((op) => `top.${op}`),
  ...['negative', 'abs', 'sign', 'sqrt', 'square', 'reciprocal', 'exp', 'expm1', 'exp2', 'log', 'log1p', 'log2', 'log10', 'sin', 'cos', 'tan',
    'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'tanh', 'floor', 'ceil', 'round', 'clip'].map((op) => `top.${op}`)]);
/** Answers only as good as the input's conditioning allows. */
const SENSITIVE = new Set(['solve', 'inv', 'luSolve', 'choSolve', 'lstsq', 'pinv', 'cond', 'det', 'eig', 'eigvals', 'matrixPower', 'svd', 'eigh', 'choFactor', 'cholesky', 'lu', 'luFactor', 'qr', 'slogdet']);

/** weft's result as named flat arrays, with the oracle's names. */
function named(c: Case, result: unknown): Record<string, { shape: number[]; values: number[] }> {
  const of = (a: NDArray) => ({ shape: a.shape.slice(), values: flatten(a) });
  const r = result as Record<string, unknown>;
  switch (c.fn) {
    case 'top.allclose':
      return { out: { shape: [], values: [result ? 1 : 0] } };
    case 'top.split':
      return Object.fromEntries((result as NDArray[]).map((piece, i) => [String(i), of(piece)]));
    case 'slogdet':
    case 'qr':
    case 'svd':
    case 'lu':
    case 'luFactor':
      return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, of(v as NDArray)]));
    case 'eig':
    case 'eigvals': {
      // Complex NDArrays, or real ones where numpy's are real: `complex` says which (checked against numpy's dtype).
      const w = c.fn === 'eig' ? (r as unknown as { eigenvalues: AnyNDArray }).eigenvalues : (result as AnyNDArray);
      const complex = w.dtype === 'complex128' || w.dtype === 'complex64';
      const parts = { re: of(w.real), im: of(w.imag), complex: { shape: [], values: [complex ? 1 : 0] } };
      if (c.fn === 'eigvals') return parts;
      const v = (r as unknown as { eigenvectors: AnyNDArray }).eigenvectors;
      return { ...parts, vre: of(v.real), vim: of(v.imag) };
    }
    case 'eigh':
      return { eigenvalues: of(r.eigenvalues as NDArray), eigenvectors: of(r.eigenvectors as NDArray) };
    case 'lstsq':
      return { x: of(r.x as NDArray), residuals: of(r.residuals as NDArray), rank: { shape: [], values: [r.rank as number] }, s: of(r.s as NDArray) };
    case 'choFactor': {
      const lower = r.lower as boolean;
      const c2 = r.c as NDArray;
      const n = c2.shape[c2.shape.length - 1]!;
      // Compare the factor's triangle only; the other holds leftovers (scipy's "arbitrary").
      const values = flatten(c2).map((v, i) => {
        const [row, col] = [Math.floor(i / n) % n, i % n];
        return (lower ? col <= row : col >= row) ? v : 0;
      });
      return { out: { shape: c2.shape.slice(), values } };
    }
    default:
      return { out: of(result as NDArray) };
  }
}

const run = (c: Case): unknown => runCase(c);

const relative = (w: number[], o: number[]): number => {
  let err = 0;
  let scale = 0;
  o.forEach((v, i) => {
    if (Number.isNaN(v) || !Number.isFinite(v)) return;
    scale = Math.max(scale, Math.abs(v));
    err = Math.max(err, Math.abs(w[i]! - v));
  });
  return err / Math.max(scale, 1e-300);
};

/** Matrices of a flat row-major array with shape [..., m, n]. */
function items(x: { shape: number[]; values: number[] }): number[][][] {
  const nd = x.shape.length;
  const [m, n] = [x.shape[nd - 2]!, x.shape[nd - 1]!];
  const count = m * n === 0 ? 0 : x.values.length / (m * n);
  return Array.from({ length: count }, (_, i) => Array.from({ length: m }, (_, r) => x.values.slice(i * m * n + r * n, i * m * n + r * n + n)));
}

/** Flips the sign of column j of `w` where it points against `o` (vectors are defined up to sign). */
function alignColumns(w: number[][], o: number[][], columns: number[]): void {
  for (const j of columns) {
    const dot = w.reduce((s, row, i) => s + row[j]! * o[i]![j]!, 0);
    if (dot < 0) w.forEach((row) => (row[j] = -row[j]!));
  }
}

/** Columns whose value is separated from its neighbours: only those have a unique direction. */
function separated(values: number[], scale: number): number[] {
  return values.flatMap((v, j) => {
    const gap = Math.min(...values.filter((_, k) => k !== j).map((u) => Math.abs(u - v)), Infinity);
    return gap > 1e-3 * Math.max(scale, 1e-300) ? [j] : [];
  });
}

interface Outcome {
  err: number;
  checked: string[];
}

/** Compares one case; returns the largest relative error over what was comparable. */
function compare(c: Case, weft: Record<string, { shape: number[]; values: number[] }>, oracle: Record<string, Encoded>): Outcome {
  const o = Object.fromEntries(Object.entries(oracle).map(([k, v]) => [k, decode(v)]));
  for (const [k, v] of Object.entries(o)) {
    expect(weft[k], `${k} present`).toBeDefined();
    expect(weft[k]!.shape, `${k} shape`).toEqual(v.shape);
    v.values.forEach((x, i) => {
      if (Number.isNaN(x)) expect(Number.isNaN(weft[k]!.values[i]!), `${k}[${i}] NaN`).toBe(true);
      else if (!Number.isFinite(x) && c.fn !== 'cond') expect(weft[k]!.values[i], `${k}[${i}]`).toBe(x);
    });
  }
  const checked: string[] = [];
  let err = 0;
  const take = (name: string, w: number[], ref: number[]) => {
    checked.push(name);
    err = Math.max(err, relative(w, ref));
  };
  switch (c.fn) {
    case 'qr': {
      if (o.Q && !c.tags.has('rank-deficient') && !c.tags.has('singular')) {
        // Q's columns and R's rows are defined up to a common sign.
        const [wq, wr, oq, or] = [items(weft.Q!), items(weft.R!), items(o.Q), items(o.R!)];
        const rShape = o.R!.shape.slice(-2) as [number, number];
        const k = Math.min(...rShape);
        if (k === 0) break;
        wq.forEach((q, i) => {
          for (let j = 0; j < k; j++) {
            if (Math.sign(wr[i]![j]![j]!) !== Math.sign(or[i]![j]![j]!)) {
              q.forEach((row) => (row[j] = -row[j]!));
              wr[i]![j] = wr[i]![j]!.map((x) => -x);
            }
          }
        });
        // Complete mode: columns past k span the complement; only the first k are pinned down.
        const firstK = (q: number[][], k: number) => q.map((row) => row.slice(0, k));
        wq.forEach((q, i) => take('Q', firstK(q, k).flat(), firstK(oq[i]!, k).flat()));
        take('R', wr.flat(2), or.flat(2));
      } else if (o.R && !o.Q) {
        take('|R|', weft.R!.values.map(Math.abs), o.R.values.map(Math.abs));
      } else if (o.tau) {
        take('tau', weft.tau!.values, o.tau.values);
      }
      break;
    }
    case 'svd': {
      take('S', weft.S!.values, o.S!.values);
      const k = o.S!.shape[o.S!.shape.length - 1]!;
      if (o.U && k > 0) {
        const [wu, wv, ou, ov] = [items(weft.U!), items(weft.Vh!), items(o.U), items(o.Vh!)];
        wu.forEach((u, i) => {
          const s = o.S!.values.slice(i * k, i * k + k);
          const cols = separated(s, s[0] ?? 0).filter((j) => s[j]! > 1e-6 * s[0]!);
          const vT = wv[i]!.map((row) => row.slice());
          // Flip U's column and Vh's row together, following U.
          for (const j of cols) {
            const dot = u.reduce((acc, row, r) => acc + row[j]! * ou[i]![r]![j]!, 0);
            if (dot < 0) {
              u.forEach((row) => (row[j] = -row[j]!));
              vT[j] = vT[j]!.map((x) => -x);
            }
          }
          take('U', cols.flatMap((j) => u.map((row) => row[j]!)), cols.flatMap((j) => ou[i]!.map((row) => row[j]!)));
          take('Vh', cols.flatMap((j) => vT[j]!), cols.flatMap((j) => ov[i]![j]!));
        });
      }
      break;
    }
    case 'eig':
    case 'eigvals': {
      // LAPACK's order is not fixed: sort both by (re, im) within each matrix.
      const n = o.re!.shape[o.re!.shape.length - 1] ?? 0;
      const sorted = (re: number[], im: number[]) =>
        Array.from({ length: n === 0 ? 0 : re.length / n }, (_, i) =>
          re.slice(i * n, i * n + n).map((r, j) => [r, im[i * n + j]!] as const).sort((p, q) => p[0] - q[0] || p[1] - q[1]),
        ).flat();
      const w = sorted(weft.re!.values, weft.im!.values);
      const ref = sorted(o.re!.values, o.im!.values);
      take('eigenvalues', w.flat(), ref.flat());
      expect(weft.complex!.values, `${c.id}: eigenvalues complex (1) or real (0), as numpy's dtype`).toEqual(o.complex!.values);
      break; // eigenvectors: phase is free; test/22 checks A·v = λ·v instead
    }
    case 'eigh': {
      take('eigenvalues', weft.eigenvalues!.values, o.eigenvalues!.values);
      const n = o.eigenvalues!.shape[o.eigenvalues!.shape.length - 1] ?? 0;
      const [wv, ov] = [items(weft.eigenvectors!), items(o.eigenvectors!)];
      wv.forEach((v, i) => {
        const w = o.eigenvalues!.values.slice(i * n, i * n + n);
        const cols = separated(w, Math.max(...w.map(Math.abs)));
        alignColumns(v, ov[i]!, cols);
        take('eigenvectors', cols.flatMap((j) => v.map((row) => row[j]!)), cols.flatMap((j) => ov[i]!.map((row) => row[j]!)));
      });
      break;
    }
    case 'cond': {
      // cond(-2) = s_min/s_max lies in [0, 1]: an absolute error is the meaningful one.
      const [w, ref] = [weft.out!.values, o.out!.values];
      checked.push('out');
      err = Math.max(err, c.options?.p === -2 ? Math.max(...w.map((v, i) => Math.abs(v - ref[i]!)), 0) : relative(w, ref));
      break;
    }
    case 'norm': {
      // Relative to ‖x‖: a min-type norm of a (nearly) singular matrix is 0 only up to rounding.
      const size = Math.hypot(...flatten(c.args[0] as NDArray).filter(Number.isFinite));
      checked.push('out');
      const [w, ref] = [weft.out!.values, o.out!.values];
      err = Math.max(err, Math.max(0, ...ref.map((v, i) => (Number.isFinite(v) ? Math.abs(w[i]! - v) : 0))) / Math.max(size, 1e-300));
      break;
    }
    default:
      for (const k of Object.keys(o)) take(k, weft[k]!.values, o[k]!.values);
  }
  return { err, checked };
}

// ---------------------------------------------------------------- deliberate deviations

/**
 * Where weft chooses differently from numpy on purpose (docs/api.md says so
 * at each function): returns the reason, and the case then checks weft's
 * documented behaviour instead of numpy's.
 */
function deviation(c: Case): string | undefined {
  if (c.tags.has('nonfinite') && ['svd', 'svdvals', 'pinv', 'matrixRank'].includes(c.fn)) {
    return 'non-finite input: weft raises ERR_NO_CONVERGENCE; numpy returns NaNs from svd/pinv and 0 from matrix_rank when the input has Inf';
  }
  if (c.fn === 'lu' && c.tags.has('empty')) {
    return 'empty input: weft keeps P m×m (so P·L·U has a\'s shape); scipy returns P 0×0';
  }
  return undefined;
}

function checkDeviation(c: Case, error: unknown): void {
  if (c.tags.has('nonfinite')) {
    expect((error as { code?: string })?.code).toBe('ERR_NO_CONVERGENCE');
    return;
  }
  const r = run(c) as { P: NDArray; L: NDArray; U: NDArray };
  const [m, n] = (c.args[0] as NDArray).shape as [number, number];
  expect([r.P.shape, r.L.shape, r.U.shape]).toEqual([[m, m], [m, Math.min(m, n)], [Math.min(m, n), n]]);
}

// ---------------------------------------------------------------- the run

const table = cases().filter((c) => !c.tags.has('nonfinite') || NAN_DEFINED.has(c.fn));
let oracle: { numpy: string; results: Record<string, OracleResult & { kappa?: number }> };
const stats = new Map<string, { cases: number; worst: number; worstCase: string }>();
const deviations = new Set<string>();
const illPosed = new Set<string>();

beforeAll(() => {
  fetchOracle();
  const dir = mkdtempSync(join(tmpdir(), 'weft-oracle-'));
  const input = join(dir, 'cases.json');
  const output = join(dir, 'results.json');
  writeFileSync(
    input,
    JSON.stringify(table.map((c) => ({ id: c.id, fn: c.fn, args: c.args.map(encode), kwargs: Object.fromEntries(Object.entries(c.options ?? {}).map(([k, v]) => [k, encode(v)])) }))),
  );
  const r = spawnSync(python, [join(root, 'test', 'oracle', 'oracle.py'), input, output], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: oracleDir, PYTHONNOUSERSITE: '1', OPENBLAS_NUM_THREADS: '1' },
  });
  if (r.status !== 0) throw new Error(`the numpy oracle failed:\n${r.stderr}`);
  oracle = JSON.parse(readFileSync(output, 'utf8'));
  // The 2-norm condition number of each case's first matrix, for tolerances.
  const kappa = spawnSync(
    python,
    ['-c', `
import json, sys, numpy as np, warnings
warnings.simplefilter('ignore')
out = {}
for case in json.load(open(sys.argv[1])):
    a = case['args'][0]
    if isinstance(a, dict) and 'b64' in a and len(a['shape']) >= 2 and 0 not in a['shape']:
        import base64
        m = np.frombuffer(base64.b64decode(a['b64']), dtype=a['dtype']).reshape(a['shape']).astype(np.float64)
        if np.isfinite(m).all():
            with np.errstate(all='ignore'):
                k = np.linalg.cond(m)
            out[case['id']] = float(np.max(np.nan_to_num(k, nan=1e300, posinf=1e300)))
json.dump(out, open(sys.argv[2], 'w'))
`, input, output + '.kappa'],
    { encoding: 'utf8', env: { ...process.env, PYTHONPATH: oracleDir, PYTHONNOUSERSITE: '1' } },
  );
  if (kappa.status !== 0) throw new Error(`the numpy oracle failed:\n${kappa.stderr}`);
  const kappas = JSON.parse(readFileSync(output + '.kappa', 'utf8')) as Record<string, number>;
  for (const [id, k] of Object.entries(kappas)) oracle.results[id]!.kappa = k;
}, 300_000);

describe('numpy as an oracle', () => {
  it('is numpy 2.4.6 (pinned)', () => {
    expect(oracle.numpy).toBe('2.4.6');
  });

  it('oracle.py computes every linalg op in the registry', () => {
    const source = readFileSync(join(root, 'test', 'oracle', 'oracle.py'), 'utf8');
    const handled = new Set([...source.matchAll(/fn == "([\w.]+)"|fn in \(([^)]*)\)/g)].flatMap((m) => (m[1] ?? m[2]!).match(/[\w.]+/g)!));
    const caseName = (op: { namespace: string; member: string }) => (op.namespace === '' ? `top.${op.member}` : op.member);
    const missing = registeredOps().filter((op) => (op.namespace === 'linalg' || op.namespace === '') && !handled.has(caseName(op)));
    expect(missing.map((op) => op.name)).toEqual([]);
  });

  it('sums a million float32 values within an ulp of math.fsum, and at least as closely as numpy', () => {
    const next = rng(2026);
    const values = new Float32Array(1_000_000).map(() => (2 * next() - 1) * 10 ** (6 * next() - 3));
    const dir = mkdtempSync(join(tmpdir(), 'weft-fsum-'));
    writeFileSync(join(dir, 'x.f32'), values);
    // The whole sum (pairwise along one axis) and the column sums of 125000×8 (rows added in order).
    const r = spawnSync(python, ['-c', `
import json, math, sys, numpy as np
x = np.fromfile(sys.argv[1], dtype=np.float32)
cols = x.reshape(125000, 8)
exact = [math.fsum(x.astype(np.float64))] + [math.fsum(cols[:, j].astype(np.float64)) for j in range(8)]
numpy = [float(np.sum(x))] + [float(v) for v in np.sum(cols, axis=0)]
print(json.dumps({"exact": exact, "numpy": numpy}))
`, join(dir, 'x.f32')], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: oracleDir, PYTHONNOUSERSITE: '1' } });
    if (r.status !== 0) throw new Error(r.stderr);
    const { exact, numpy } = JSON.parse(r.stdout) as { exact: number[]; numpy: number[] };
    const x = new NDArray(values, [values.length]);
    const weft = [sum(x).item(), ...(sum(reshape(x, [125000, 8]), { axis: 0 }).toArray() as number[])];
    weft.forEach((w, i) => {
      const ulp = 2 ** (Math.floor(Math.log2(Math.abs(exact[i]!))) - 23);
      expect(Math.abs(w - exact[i]!), `sum ${i}`).toBeLessThanOrEqual(ulp);
      expect(Math.abs(w - exact[i]!), `sum ${i} against numpy's error`).toBeLessThanOrEqual(Math.abs(numpy[i]! - exact[i]!));
    });
  });

  it.each(table.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const expected = oracle.results[c.id]!;
    let result: unknown;
    let error: unknown;
    try {
      result = run(c);
    } catch (err) {
      error = err;
    }
    const why = deviation(c);
    if (why) {
      deviations.add(`${c.fn}: ${why}`);
      checkDeviation(c, error);
      return;
    }
    if (expected.error) {
      // numpy raised: weft must raise too (numpy's ValueError maps to weft's RangeError).
      expect(error, `numpy: ${expected.error}`).toBeDefined();
      expect((error as Error).name).toBe(expected.error.startsWith('LinAlgError') ? 'LinAlgError' : 'RangeError');
      return;
    }
    expect(error).toBeUndefined();
    // When κ·eps ≳ 1/100 the problem is numerically singular for this dtype:
    // any two correct implementations may disagree completely (even on a
    // rank decision), so only success/failure is compared.
    const kappa = SENSITIVE.has(c.fn) || ['norm', 'matrixRank'].includes(c.fn) ? (expected.kappa ?? 1) : 1;
    if (kappa * eps(c.dtype) > 1e-2) {
      illPosed.add(c.id);
      return;
    }
    if (LOGIC.includes(c.fn)) {
      // Exactly numpy's values and dtype (allclose: a JS boolean for numpy's bool).
      const out = expected.out!.out!;
      expect(result instanceof NDArray ? result.dtype : 'bool', 'dtype').toBe(out.dtype);
      const w = named(c, result).out!;
      expect(w.shape).toEqual(out.shape);
      expect(w.values.map((v) => (Number.isNaN(v) ? 'NaN' : v))).toEqual(decode(out).values.map((v) => (Number.isNaN(v) ? 'NaN' : v)));
      return;
    }
    const { err, checked } = compare(c, named(c, result), expected.out!);
    const n = Math.max(2, ...(c.args.filter((x) => x instanceof NDArray) as NDArray[]).flatMap((x) => x.shape));
    const tolerance = 100 * n * eps(c.dtype) * (SENSITIVE.has(c.fn) ? Math.max(kappa, 1) : 1);
    expect(err, `${checked.join(', ')}: κ ≈ ${kappa.toExponential(1)}`).toBeLessThanOrEqual(tolerance);
    const key = `${c.fn} ${c.dtype}`;
    const s = stats.get(key) ?? { cases: 0, worst: 0, worstCase: '' };
    s.cases += 1;
    if (err > s.worst) Object.assign(s, { worst: err, worstCase: c.id });
    stats.set(key, s);
  });

  it('reports the largest relative error per function and dtype', () => {
    const rows = [...stats.entries()].sort(([a], [b]) => a.localeCompare(b));
    const report = Object.fromEntries(rows.map(([k, v]) => [k, v]));
    const summary = { numpy: oracle.numpy, cases: table.length, compared: rows.reduce((n, [, v]) => n + v.cases, 0), illPosed: [...illPosed], deviations: [...deviations], errors: report };
    writeFileSync(join(oracleDir, 'errors.json'), JSON.stringify(summary, null, 2));
    console.log(`numpy ${oracle.numpy}: ${table.length} cases, ${summary.compared} compared by value, ${illPosed.size} numerically singular for their dtype (outcome only), ${deviations.size} deliberate deviations\n` + rows.map(([k, v]) => `${k.padEnd(22)} ${String(v.cases).padStart(4)}  max rel err ${v.worst.toExponential(2)}  (${v.worstCase})`).join('\n'));
    expect(rows.length).toBeGreaterThan(50);
  });
});
