// numpy.linalg's functions that weft added last (lib/linalg/tensors.ts, and
// vecdot, matrixTranspose, matrixNorm, vectorNorm, svd/pinv's hermitian and
// rtol): numpy's own tests for them (numpy/linalg/tests/test_linalg.py, read
// as the specification), identities between them and the ops they compose,
// and their argument errors. Their values against numpy on the case table's
// inputs are test/23's (the cases are in test/cases.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Complex128Data, Complex64Data, LinAlgError, NDArray, add, arange, array, conjugate, linalg, moveaxis, multiply, reshape, transpose, zeros } from '../lib/index.js';
import type { DType } from '../lib/index.js';
import { einsumReference, flatten } from './reference.js';
import { randomMatrix, rng } from './helpers.js';
import { fetchOracle, oracleDir, python } from '../scripts/dev/fetch-oracle.mjs';

// numpy on the same inputs: installed on first use (a fresh clone has none yet).
beforeAll(() => fetchOracle(), 600_000);

/** `shape` filled with values in [-1, 1) (float64 unless asked). */
function random(shape: number[], seed: number, dtype: 'float64' | 'float32' = 'float64'): NDArray {
  const next = rng(seed);
  const size = shape.reduce((p, d) => p * d, 1);
  const data = dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
  for (let i = 0; i < size; i++) data[i] = 2 * next() - 1;
  return new NDArray(data, shape);
}

/** numpy's assert_allclose: |x − y| ≤ atol + rtol·|y| element by element, shapes equal. */
function close(x: NDArray | number, y: NDArray | unknown[] | number, rtol = 1e-10, atol = 1e-12): void {
  const xs = typeof x === 'number' ? [x] : flatten(x);
  const ys = typeof y === 'number' ? [y] : Array.isArray(y) ? (y.flat(Infinity) as number[]) : flatten(y);
  if (x instanceof NDArray && y instanceof NDArray) expect(x.shape).toEqual(y.shape);
  expect(xs.length).toBe(ys.length);
  xs.forEach((v, i) => expect(Math.abs(v - ys[i]!), `element ${i}: ${v} vs ${ys[i]}`).toBeLessThanOrEqual(atol + rtol * Math.abs(ys[i]!)));
}

const x33 = () => reshape(arange(0, 9), [3, 3]);

describe("numpy's test_linalg.py, read as the specification", () => {
  describe('TestMultiDot', () => {
    const [A, B, C, D] = [randomMatrix(6, 2, 1), randomMatrix(2, 6, 2), randomMatrix(6, 2, 3), randomMatrix(2, 1, 4)];
    it('two, three and four arguments (the hand-coded order and the dynamic programme)', () => {
      close(linalg.multiDot([A, B]), linalg.matmul(A, B));
      close(linalg.multiDot([A, B, C]), linalg.matmul(linalg.matmul(A, B), C));
      close(linalg.multiDot([A, B, C]), linalg.matmul(A, linalg.matmul(B, C)));
      close(linalg.multiDot([A, B, C, D]), linalg.matmul(linalg.matmul(linalg.matmul(A, B), C), D));
    });
    it('a 1-D first or last argument drops its axis', () => {
      const [a1, d1] = [random([2], 5), random([2], 6)];
      expect(linalg.multiDot([a1, B, C, randomMatrix(2, 2, 7)]).shape).toEqual([2]);
      expect(linalg.multiDot([A, B, C, d1]).shape).toEqual([6]);
      expect(linalg.multiDot([a1, B, C, d1]).shape).toEqual([]);
    });
    it('with out: writes into it and returns it', async () => {
      for (const [arrays, shape] of [[[A, B, C], [6, 2]], [[A, B], [6, 6]], [[A, B, C, D], [6, 1]]] as const) {
        const into = zeros([...shape]);
        expect(linalg.multiDot([...arrays], { out: into })).toBe(into);
        close(into, linalg.multiDot([...arrays]));
        const again = zeros([...shape]);
        expect(await linalg.multiDotAsync([...arrays], { out: again })).toBe(again);
        expect(flatten(again)).toEqual(flatten(into));
      }
    });
    it('too few input arrays: numpy ValueError, weft RangeError', () => {
      expect(() => linalg.multiDot([])).toThrow(RangeError);
      expect(() => linalg.multiDot([randomMatrix(3, 3, 8)])).toThrow(RangeError);
    });
  });

  describe('TestTensorinv', () => {
    it('non-square handling: LinAlgError', () => {
      for (const [shape, ind] of [[[4, 6, 8, 2], 2], [[3, 3, 2], 1]] as const) {
        expect(() => linalg.tensorinv(reshape(new Float64Array(shape.reduce((p, d) => p * d, 1)).fill(1), [...shape]), { ind })).toThrow(LinAlgError);
      }
    });
    it('the shape is a.shape[ind:] + a.shape[:ind]', () => {
      for (const [shape, ind] of [[[4, 6, 8, 3], 2], [[24, 8, 3], 1]] as const) {
        const a = reshape(linalg.matrixPower(randomMatrix(24, 24, 9), 0), [...shape]);
        expect(linalg.tensorinv(a, { ind }).shape).toEqual([...shape.slice(ind), ...shape.slice(0, ind)]);
      }
    });
    it('ind below 1 is refused (numpy ValueError, weft TypeError as its other option readers)', () => {
      const a = reshape(linalg.matrixPower(randomMatrix(24, 24, 9), 0), [4, 6, 8, 3]);
      for (const ind of [0, -2]) expect(() => linalg.tensorinv(a, { ind })).toThrow(/linalg\.tensorinv: expected options\.ind to be a positive integer/);
    });
    it('an empty operator: an empty inverse (numpy: ValueError from its reshape, a documented difference)', () => {
      expect(linalg.tensorinv(new NDArray(new Float64Array(0), [0, 2, 0]), { ind: 1 }).shape).toEqual([2, 0, 0]);
    });
    it('tensordot(tensorinv(a, ind=1), b, 1) is tensorsolve(a, b)', () => {
      const a = reshape(linalg.matrixPower(randomMatrix(24, 24, 9), 0), [24, 8, 3]);
      const b = new Float64Array(24).fill(1);
      close(linalg.tensordot(linalg.tensorinv(a, { ind: 1 }), b, { axes: 1 }), linalg.tensorsolve(a, b));
    });
  });

  describe('TestTensorsolve', () => {
    it('non-square handling: LinAlgError', () => {
      const ones = (shape: number[]) => reshape(new Float64Array(shape.reduce((p, d) => p * d, 1)).fill(1), shape);
      expect(() => linalg.tensorsolve(ones([4, 6, 8, 2]), ones([4, 6]))).toThrow(LinAlgError);
      expect(() => linalg.tensorsolve(ones([3, 3, 2]), ones([3, 3]), { axes: [0, 2] })).toThrow(LinAlgError);
    });
    it('tensordot(a, x, x.ndim) is b, empty shapes included', () => {
      for (const [i, shape] of [[2, 3, 6], [3, 4, 4, 3], [0, 3, 3, 0]].entries()) {
        const a = random(shape, 20 + i);
        const b = reshape(new Float64Array(shape[0]! * shape[1]!).fill(1), shape.slice(0, 2));
        const x = linalg.tensorsolve(a, b);
        expect(x.shape).toEqual(shape.slice(2));
        close(linalg.tensordot(a, x, { axes: x.ndim }), b, 1e-8, 1e-10);
      }
    });
  });

  it('test_diagonal and test_trace: the last two axes', () => {
    const x = reshape(arange(0, 60), [3, 4, 5]);
    expect(linalg.diagonal(x).toArray()).toEqual([[0, 6, 12, 18], [20, 26, 32, 38], [40, 46, 52, 58]]);
    expect(linalg.trace(x).toArray()).toEqual([36, 116, 196]);
  });

  it('test_cross: 3-vectors only, lists accepted', () => {
    const x = x33();
    expect(linalg.cross(x, add(x, 1)).toArray()).toEqual([[-1, 2, -1], [-1, 2, -1], [-1, 2, -1]]);
    expect(linalg.cross([1, 2, 3], [4, 5, 6]).toArray()).toEqual([-3, 6, -3]);
    const x2 = x.slice(null, [1, null]);
    expect(() => linalg.cross(x2, x2)).toThrow(/linalg\.cross: both a and b must be \(stacks of\) 3-element vectors/);
    // numpy.linalg.cross, unlike numpy.cross, refuses 2-vectors.
    expect(() => linalg.cross([1, 2], [3, 4])).toThrow(RangeError);
  });

  it('test_tensordot', () => {
    const x = reshape(arange(0, 6), [2, 3]);
    expect(linalg.tensordot(x, x).item()).toBe(55);
    expect(linalg.tensordot(x, x, { axes: [[0, 1], [0, 1]] }).item()).toBe(55);
  });

  it('test_matmul', () => {
    const x = reshape(arange(0, 6), [2, 3]);
    expect(linalg.matmul(x, x.T).toArray()).toEqual([[5, 14], [14, 50]]);
  });

  it('test_matrix_transpose: x.T, and an error below two dimensions', () => {
    const x = reshape(arange(0, 6), [2, 3]);
    expect(linalg.matrixTranspose(x).toArray()).toEqual(x.T.toArray());
    expect(() => linalg.matrixTranspose(x.slice(null, 0))).toThrow(/^linalg\.matrixTranspose: expected a to be at least two-dimensional, but received a 1-D array/);
  });

  it('test_matrix_norm', () => {
    close(linalg.matrixNorm(x33()), 14.2828, 0, 1e-4);
    const kept = linalg.matrixNorm(x33(), { keepdims: true });
    expect(kept.shape).toEqual([1, 1]);
    close(kept, 14.2828, 0, 1e-4);
  });

  it('test_matrix_norm_empty: 0 for fro, nuc, 1, 2, inf, in every dtype', () => {
    for (const shape of [[0, 2], [2, 0], [0, 0]]) {
      for (const data of [new Float64Array(0), new Float32Array(0), new Int32Array(0)]) {
        const x = { data, shape };
        for (const ord of ['fro', 'nuc', 1, 2, Infinity] as const) expect(linalg.matrixNorm(x, { ord }).item(), `${String(ord)} ${shape}`).toBe(0);
      }
    }
  });

  it('test_vector_norm', () => {
    close(linalg.vectorNorm(x33()), 14.2828, 0, 1e-4);
    close(linalg.vectorNorm(x33(), { axis: 0 }), [6.7082, 8.124, 9.6436], 0, 1e-3);
    const kept = linalg.vectorNorm(x33(), { keepdims: true });
    expect(kept.shape).toEqual([1, 1]);
    close(kept, 14.2828, 0, 1e-4);
  });

  it('test_vector_norm_empty: 0 for 1, 2, inf, in every dtype', () => {
    for (const data of [new Float64Array(0), new Float32Array(0), new Int32Array(0)]) {
      for (const ord of [1, 2, Infinity]) expect(linalg.vectorNorm(data, { ord }).item()).toBe(0);
    }
  });

  it("TestOuter: numpy.linalg.outer's values; weft's flattens 2-D input as numpy.outer does (a documented deviation)", () => {
    expect(linalg.outer(arange(0, 3), arange(0, 3)).toArray()).toEqual([[0, 0, 0], [0, 1, 2], [0, 2, 4]]);
    // numpy.linalg.outer raises "Input arrays must be one-dimensional" here; weft is numpy.outer.
    expect(linalg.outer(reshape(arange(0, 3), [3, 1]), arange(0, 3)).toArray()).toEqual([[0, 0, 0], [0, 1, 2], [0, 2, 4]]);
  });

  describe('TestSVDHermitian', () => {
    it('test_types: dtypes kept; S real', () => {
      for (const dtype of ['float64', 'float32'] as const) {
        const x = array([[1, 0.5], [0.5, 1]], { dtype });
        const { U, S, Vh } = linalg.svd(x, { hermitian: true });
        expect([U.dtype, S.dtype, Vh.dtype]).toEqual([dtype, dtype, dtype]);
        expect(linalg.svd(x, { computeUV: false, hermitian: true }).S.dtype).toBe(dtype);
      }
    });
    it('test_svdvals: the hermitian singular values are svdvals', () => {
      close(linalg.svd([[1, 0.5], [0.5, 1]], { computeUV: false, hermitian: true }).S, linalg.svdvals([[1, 0.5], [0.5, 1]]), 1e-14);
    });
    it('test_singular: U and Vh orthonormal for a singular matrix', () => {
      const { U, Vh } = linalg.svd([[1, 0], [0, 0]], { hermitian: true });
      close(linalg.matmul(U, U.T), [[1, 0], [0, 1]], 1e-14, 1e-15);
      close(linalg.matmul(Vh, Vh.T), [[1, 0], [0, 1]], 1e-14, 1e-15);
    });
    it('SVDHermitianCases: a = U·diag(S)·Vh, U and Vh orthogonal, S descending (stacked, float32, negative eigenvalues)', () => {
      const sym = (n: number, seed: number, dtype: 'float64' | 'float32' = 'float64') => {
        const r = random([n, n], seed, dtype);
        return multiply(add(r, transpose(r)), 0.5);
      };
      const inputs = [sym(5, 30), sym(1, 31), array([[0, 1], [1, 0]]), array([[-3, 0], [0, 2]]), sym(4, 32, 'float32'), reshape(array([flatten(sym(3, 33)), flatten(sym(3, 34))]), [2, 3, 3])];
      for (const a of inputs) {
        const tol = a.dtype === 'float32' ? 1e-5 : 1e-12;
        const { U, S, Vh } = linalg.svd(a, { fullMatrices: false, hermitian: true });
        const n = a.shape[a.ndim - 1]!;
        close(linalg.matmul(linalg.matmul(U, diagOf(S)), Vh), a, tol, tol);
        const eye = linalg.matrixPower(a, 0);
        close(linalg.matmul(U, linalg.matrixTranspose(U)), eye, tol, tol);
        close(linalg.matmul(Vh, linalg.matrixTranspose(Vh)), eye, tol, tol);
        for (const s of S.ndim === 1 ? [S.toArray() as number[]] : (S.toArray() as number[][])) {
          expect(s.length).toBe(n);
          s.forEach((v, i) => expect(v >= 0 && (i === 0 || v <= s[i - 1]!)).toBe(true));
        }
      }
    });
    it('PinvHermitianCases: a·pinv(a)·a = a, as the SVD path gives', () => {
      const a = array([[2, 1, 0], [1, 2, 1], [0, 1, 2]]);
      close(linalg.matmul(linalg.matmul(a, linalg.pinv(a, { hermitian: true })), a), a, 1e-11, 1e-11);
      close(linalg.pinv(a, { hermitian: true }), linalg.pinv(a), 1e-11, 1e-12);
    });
  });
});

/** A stack of diagonal matrices from a stack of vectors `s` ([..., n] → [..., n, n]). */
function diagOf(s: NDArray): NDArray {
  const n = s.shape[s.ndim - 1]!;
  const items = n === 0 ? 0 : s.size / n;
  const data = new Float64Array(items * n * n);
  const values = flatten(s);
  for (let i = 0; i < items; i++) for (let j = 0; j < n; j++) data[i * n * n + j * n + j] = values[i * n + j]!;
  return array(new NDArray(data, [...s.shape, n]), { dtype: s.dtype as 'float64' | 'float32' });
}

describe('complex input', () => {
  it('matrixTranspose, transpose and diagonal are views of complex arrays too (no conjugation, as numpy)', () => {
    const z = array([[{ re: 1, im: 2 }, { re: 3, im: -1 }], [{ re: 0, im: 5 }, { re: 7, im: 0 }]]);
    for (const t of [linalg.matrixTranspose(z), linalg.transpose(z)]) {
      expect(t.dtype).toBe('complex128');
      expect(t.data).toBe(z.data);
      expect(t.toArray()).toEqual([[{ re: 1, im: 2 }, { re: 0, im: 5 }], [{ re: 3, im: -1 }, { re: 7, im: 0 }]]);
    }
    const d = linalg.diagonal(array([[[1, 2], [3, 4]]], { dtype: 'complex64' }), { offset: 1 });
    expect([d.dtype, d.shape, d.toArray()]).toEqual(['complex64', [1, 1], [[{ re: 2, im: 0 }]]]);
  });
});

/** A complex (or real) random array of `shape`: parts in [-1, 1). */
function crandom(shape: number[], seed: number, dtype: 'complex128' | 'complex64' | 'float64' | 'float32'): NDArray<DType> {
  const next = rng(seed);
  const size = shape.reduce((p, d) => p * d, 1);
  if (dtype === 'float64' || dtype === 'float32') return random(shape, seed, dtype);
  const values = Float64Array.from({ length: 2 * size }, () => 2 * next() - 1);
  return new NDArray(dtype === 'complex64' ? new Complex64Data(values) : new Complex128Data(values), shape);
}

/** An array as JSON for numpy: its dtype, shape and parts. */
const toJson = (x: NDArray<DType>) => {
  const values = x.toArray() as unknown;
  const flat = (Array.isArray(values) ? values.flat(Infinity) : [values]) as (number | { re: number; im: number })[];
  return { dtype: x.dtype, shape: x.shape, re: flat.map((v) => (typeof v === 'number' ? v : v.re)), im: flat.map((v) => (typeof v === 'number' ? 0 : v.im)) };
};

interface ComplexRun {
  fn: 'tensordot' | 'einsum' | 'tensorinv' | 'tensorsolve' | 'vecdot' | 'matrixNorm' | 'vectorNorm' | 'svdvalsh' | 'pinv';
  args: NDArray<DType>[];
  spec?: string;
  options?: Record<string, unknown>;
}

/** numpy's answers to `runs`, each { dtype, shape, re, im } (or an error). */
function numpyComplex(runs: ComplexRun[]): { dtype?: string; shape?: number[]; re?: number[]; im?: number[]; error?: string }[] {
  const dir = mkdtempSync(join(tmpdir(), 'weft-complex-tensors-'));
  // ±Infinity (a norm order) travels as 'inf' / '-inf', which JSON cannot carry as numbers.
  const infinite = (_k: string, v: unknown) => (v === Infinity ? 'inf' : v === -Infinity ? '-inf' : v);
  writeFileSync(join(dir, 'in.json'), JSON.stringify(runs.map((r) => ({ fn: r.fn, spec: r.spec, options: r.options ?? {}, args: r.args.map(toJson) })), infinite));
  const py = spawnSync(python, ['-c', `
import json, sys, numpy as np
L = np.linalg
out = []
for r in json.load(open(sys.argv[1])):
    a = [(np.array(x['re']) + 1j * np.array(x['im']) if x['dtype'].startswith('complex') else np.array(x['re'])).astype(x['dtype']).reshape(x['shape']) for x in r['args']]
    o = {k: float(v) if v in ('inf', '-inf') else v for k, v in r['options'].items()}
    try:
        if r['fn'] == 'tensordot':
            axes = o.get('axes', 2)
            y = L.tensordot(a[0], a[1], axes=axes if isinstance(axes, int) else tuple(axes))
        elif r['fn'] == 'einsum':
            y = np.einsum(r['spec'], *a)
        elif r['fn'] == 'tensorinv':
            y = L.tensorinv(a[0], ind=o.get('ind', 2))
        elif r['fn'] == 'tensorsolve':
            y = L.tensorsolve(a[0], a[1], axes=o.get('axes'))
        elif r['fn'] == 'matrixNorm':
            y = L.matrix_norm(a[0], ord=o.get('ord', 'fro'))
        elif r['fn'] == 'vectorNorm':
            axis = o.get('axis')
            y = L.vector_norm(a[0], ord=o.get('ord', 2), axis=tuple(axis) if isinstance(axis, list) else axis)
        elif r['fn'] == 'svdvalsh':
            y = L.svd(a[0], compute_uv=False, hermitian=True)
        elif r['fn'] == 'pinv':
            y = L.pinv(a[0], rtol=o.get('rtol'), hermitian=o.get('hermitian', False))
        else:
            y = L.vecdot(a[0], a[1], axis=o.get('axis', -1))
        y = np.asarray(y)
        out.append({'dtype': str(y.dtype), 'shape': list(y.shape), 're': np.real(y).astype(np.float64).ravel().tolist(), 'im': np.imag(y).astype(np.float64).ravel().tolist()})
    except Exception as e:
        out.append({'error': type(e).__name__ + ': ' + str(e)})
print(json.dumps(out))
`, join(dir, 'in.json')], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, PYTHONPATH: oracleDir, PYTHONNOUSERSITE: '1' } });
  if (py.status !== 0) throw new Error(py.stderr);
  return JSON.parse(py.stdout);
}

describe('complex input against numpy (nothing conjugated but vecdot\'s x1)', () => {
  const kinds = [['complex128', 'complex128'], ['complex64', 'complex64'], ['float64', 'complex64'], ['complex128', 'float32'], ['float32', 'complex64']] as const;
  const runs: ComplexRun[] = [];
  kinds.forEach(([p, q], k) => {
    const seed = 2000 + 100 * k;
    const op = (shape: number[], s: number) => {
      const a = crandom(shape, seed + s, p);
      const n = Math.round(Math.sqrt(a.size));
      for (let i = 0; i < n; i++) a.data[(p.startsWith('complex') ? 2 : 1) * (i * n + i)]! += n;
      return a;
    };
    runs.push({ fn: 'tensordot', args: [crandom([3, 4, 5], seed, p), crandom([4, 5, 2], seed + 1, q)] });
    runs.push({ fn: 'tensordot', args: [crandom([3, 4, 5], seed + 2, p), crandom([4, 3, 2], seed + 3, q)], options: { axes: [[1, 0], [0, 1]] } });
    runs.push({ fn: 'tensordot', args: [crandom([3], seed + 4, p), crandom([2, 2], seed + 5, q)], options: { axes: 0 } });
    for (const [i, [spec, shapes]] of ([['ij,jk->ik', [[4, 5], [5, 3]]], ['ii', [[4, 4]]], ['ij->', [[3, 4]]], ['ij->ji', [[3, 4]]], ['bij,bjk->bik', [[2, 3, 4], [2, 4, 2]]],
      ['i,j', [[3], [2]]], ['...j,j', [[2, 3, 4], [4]]], ['ij,jk,kl->il', [[2, 3], [3, 4], [4, 2]]], ['iij->j', [[3, 3, 2]]], ['i...,i...', [[3, 2, 2], [3, 2, 2]]]] as const).entries()) {
      runs.push({ fn: 'einsum', spec, args: shapes.map((shape, j) => crandom([...shape], seed + 10 + 3 * i + j, j % 2 === 0 ? p : q)) });
    }
    runs.push({ fn: 'tensorinv', args: [op([8, 2, 4], 40)], options: { ind: 1 } });
    runs.push({ fn: 'tensorsolve', args: [op([2, 3, 6], 41), crandom([2, 3], seed + 42, q)] });
    runs.push({ fn: 'vecdot', args: [crandom([4, 3], seed + 43, p), crandom([3], seed + 44, q)] });
    runs.push({ fn: 'vecdot', args: [crandom([3, 4], seed + 45, p), crandom([3, 4], seed + 46, q)], options: { axis: 0 } });
    for (const ord of ['fro', 'nuc', 1, 2, Infinity, -1]) runs.push({ fn: 'matrixNorm', args: [crandom([2, 3, 4], seed + 47, p)], options: { ord } });
    for (const ord of [2, 1, 3, Infinity, 0]) runs.push({ fn: 'vectorNorm', args: [crandom([3, 4], seed + 48, q)], options: { ord, axis: [1] } });
    const h = crandom([4, 4], seed + 49, p);
    const herm = add(h, linalg.matrixTranspose(h).dtype.startsWith('complex') ? conjugate(linalg.matrixTranspose(h)) : linalg.matrixTranspose(h));
    runs.push({ fn: 'svdvalsh', args: [herm] });
    runs.push({ fn: 'pinv', args: [crandom([4, 3], seed + 50, p)], options: { rtol: null } });
    runs.push({ fn: 'pinv', args: [herm], options: { rtol: 1e-3, hermitian: true } });
  });

  it('tensordot, einsum, tensorinv, tensorsolve and vecdot: numpy\'s values and dtypes, sync = async', async () => {
    const numpy = numpyComplex(runs);
    for (const [i, r] of runs.entries()) {
      const label = `${r.fn} ${r.spec ?? JSON.stringify(r.options ?? {})} ${r.args.map((x) => `${x.dtype}[${x.shape}]`).join(' ')}`;
      const call = (async: boolean): unknown => {
        switch (r.fn) {
          case 'einsum':
            return (async ? linalg.einsumAsync : linalg.einsum)(r.spec!, r.args);
          case 'tensorinv':
            return (async ? linalg.tensorinvAsync : linalg.tensorinv)(r.args[0]!, r.options);
          case 'tensordot':
            return (async ? linalg.tensordotAsync : linalg.tensordot)(r.args[0]!, r.args[1]!, r.options as never);
          case 'tensorsolve':
            return (async ? linalg.tensorsolveAsync : linalg.tensorsolve)(r.args[0]!, r.args[1]!, r.options);
          case 'matrixNorm':
            return (async ? linalg.matrixNormAsync : linalg.matrixNorm)(r.args[0]!, r.options as never);
          case 'vectorNorm':
            return (async ? linalg.vectorNormAsync : linalg.vectorNorm)(r.args[0]!, r.options as never);
          case 'svdvalsh':
            return async ? linalg.svdAsync(r.args[0]!, { computeUV: false, hermitian: true }).then((x) => x.S) : linalg.svd(r.args[0]!, { computeUV: false, hermitian: true }).S;
          case 'pinv':
            return (async ? linalg.pinvAsync : linalg.pinv)(r.args[0]!, r.options as never);
          default:
            return (async ? linalg.vecdotAsync : linalg.vecdot)(r.args[0]!, r.args[1]!, r.options);
        }
      };
      const got = call(false) as NDArray<DType>;
      const want = numpy[i]!;
      expect(want.error, label).toBeUndefined();
      expect([got.dtype, got.shape], label).toEqual([want.dtype, want.shape]);
      const parts = toJson(got);
      const single = got.dtype === 'complex64' || got.dtype === 'float32';
      const scale = Math.max(1, ...want.re!.map(Math.abs), ...want.im!.map(Math.abs));
      const tol = (single ? 1.2e-7 : 2.3e-16) * 200 * scale;
      parts.re.forEach((v, j) => expect(Math.abs(v - want.re![j]!), `${label} re[${j}]`).toBeLessThanOrEqual(tol));
      parts.im.forEach((v, j) => expect(Math.abs(v - want.im![j]!), `${label} im[${j}]`).toBeLessThanOrEqual(tol));
      expect(toJson(await (call(true) as Promise<NDArray<DType>>)), label).toEqual(parts);
    }
  }, 120_000);
});

describe('svd with hermitian, complex: numpy\'s SVDHermitianCases', () => {
  it('a = U·diag(S)·Vh, U unitary, Vh = Uᴴ up to the signs, S descending (complex128, complex64, stacked)', async () => {
    for (const [dtype, shape, tol] of [['complex128', [4, 4], 1e-12], ['complex64', [3, 3], 1e-5], ['complex128', [2, 3, 3], 1e-12]] as const) {
      const h = crandom([...shape], 3000 + shape.length, dtype);
      const a = multiply(add(h, conjugate(linalg.matrixTranspose(h))), 0.5);
      const { U, S, Vh } = linalg.svd(a, { hermitian: true });
      expect([U.dtype, S.dtype, Vh.dtype]).toEqual([dtype, dtype === 'complex64' ? 'float32' : 'float64', dtype]);
      const n = shape[shape.length - 1]!;
      const back = linalg.matmul(multiply(U, reshape(S, [...S.shape.slice(0, -1), 1, n])), Vh);
      const eye = linalg.matrixPower(a, 0);
      const near = (x: NDArray<DType>, y: NDArray<DType>) => close(linalg.vectorNorm(add(x, multiply(y, -1))), 0, 0, tol * Math.max(1, linalg.vectorNorm(y).item() as number));
      near(back, a);
      near(linalg.matmul(U, conjugate(linalg.matrixTranspose(U))), eye);
      near(linalg.matmul(Vh, conjugate(linalg.matrixTranspose(Vh))), eye);
      for (const s of (S.ndim === 1 ? [S.toArray()] : S.toArray()) as number[][]) s.forEach((v, i) => expect(v >= 0 && (i === 0 || v <= s[i - 1]!)).toBe(true));
      expect(await linalg.svdAsync(a, { hermitian: true }).then((r) => toJson(r.Vh))).toEqual(toJson(Vh));
    }
  });
});

describe('pinv: numpy 2.4 rcond and rtol', () => {
  const a = randomMatrix(5, 3, 40);
  it('rtol stands for rcond; rtol: null is max(m, n)·eps', () => {
    expect(flatten(linalg.pinv(a, { rtol: 1e-3 }))).toEqual(flatten(linalg.pinv(a, { rcond: 1e-3 })));
    expect(flatten(linalg.pinv(a, { rtol: null }))).toEqual(flatten(linalg.pinv(a, { rcond: 5 * 2.220446049250313e-16 })));
    const f32 = array(a, { dtype: 'float32' });
    expect(flatten(linalg.pinv(f32, { rtol: null }))).toEqual(flatten(linalg.pinv(f32, { rcond: 5 * 1.1920929e-7 })));
    // A cutoff between the singular values drops the smaller ones.
    close(linalg.pinv([[1, 0], [0, 1e-10]], { rtol: 1e-8 }), [[1, 0], [0, 0]], 0, 0);
  });
  it('rcond and rtol together are refused (numpy ValueError), sync and async', async () => {
    expect(() => linalg.pinv(a, { rcond: 1e-3, rtol: 1e-3 })).toThrow(/linalg\.pinv: expected options\.rtol to be unset when options\.rcond is set/);
    await expect(linalg.pinvAsync(a, { rcond: 1e-3, rtol: null })).rejects.toThrow(TypeError);
  });
});

describe('identities', () => {
  it('tensorsolve(a, tensordot(a, x, x.ndim)) ≈ x; tensorinv is its inverse operator', () => {
    const a = random([2, 3, 6], 50);
    for (let i = 0; i < 6; i++) a.data[i * 6 + i]! += 6;
    const x = random([6], 51);
    close(linalg.tensorsolve(a, linalg.tensordot(a, x, { axes: 1 })), x, 1e-12, 1e-13);
    const b = random([2, 3], 52);
    close(linalg.tensordot(linalg.tensorinv(a, { ind: 2 }), b, { axes: 2 }), linalg.tensorsolve(a, b), 1e-12, 1e-13);
    // With axes: the same system, a's axis 0 moved last first.
    const moved = moveaxis(a, -1, 0);
    close(linalg.tensorsolve(moved, b, { axes: [0] }), linalg.tensorsolve(a, b), 1e-13, 1e-14);
  });

  it('einsum forms equal their matmul, trace, diagonal, sum, transpose, outer and multiDot equivalents', async () => {
    const [a, b, c] = [random([4, 5], 60), random([5, 3], 61), random([3, 2], 62)];
    const sq = random([5, 5], 63);
    const stack = [random([3, 4, 5], 64), random([3, 5, 2], 65)] as const;
    close(linalg.einsum('ij,jk->ik', [a, b]), linalg.matmul(a, b), 1e-14, 1e-15);
    close(linalg.einsum('ij,jk', [a, b]), linalg.matmul(a, b), 1e-14, 1e-15);
    close(linalg.einsum('ij,jk->ki', [a, b]), linalg.matmul(a, b).T, 1e-14, 1e-15);
    close(linalg.einsum('ii', [sq]), linalg.trace(sq), 1e-14, 1e-15);
    expect(flatten(linalg.einsum('ii->i', [sq]))).toEqual(flatten(linalg.diagonal(sq)));
    expect(flatten(linalg.einsum('ij->ji', [a]))).toEqual(flatten(transpose(a)));
    expect(flatten(linalg.einsum('ba', [a]))).toEqual(flatten(transpose(a)));
    close(linalg.einsum('ij->', [a]), flatten(a).reduce((s, v) => s + v, 0), 1e-13, 1e-14);
    close(linalg.einsum('i,j->ij', [flatten(a), flatten(b)]), linalg.outer(a, b), 1e-15, 0);
    close(linalg.einsum('bij,bjk->bik', [...stack]), linalg.matmul(...stack), 1e-14, 1e-15);
    close(linalg.einsum('...ij,...jk->...ik', [...stack]), linalg.matmul(...stack), 1e-14, 1e-15);
    close(linalg.einsum('ij,jk,kl->il', [a, b, c]), linalg.multiDot([a, b, c]), 1e-13, 1e-14);
    close(linalg.einsum('ijk,ikl->ijl', [stack[0], stack[1]]), linalg.matmul(...stack), 1e-14, 1e-15);
    // Uppercase labels and spaces, as numpy reads them.
    close(linalg.einsum('iJ, Jk -> ik', [a, b]), linalg.matmul(a, b), 1e-14, 1e-15);
    // And the async twin gives the same bits.
    for (const [s, ops] of [['ij,jk->ki', [a, b]], ['ii', [sq]], ['bij,bjk->bik', [...stack]], ['ij,jk,kl->il', [a, b, c]]] as const) {
      expect(flatten(await linalg.einsumAsync(s, [...ops]))).toEqual(flatten(linalg.einsum(s, [...ops])));
    }
  });

  it('einsum on forms numpy alone defines: against a brute-force reference', () => {
    const forms: [string, NDArray[]][] = [
      ['iij->j', [random([3, 3, 4], 70)]],
      ['ij,ij,ij->i', [random([3, 4], 71), random([3, 4], 72), random([3, 4], 73)]],
      ['i,i', [random([1], 74), random([5], 75)]],
      ['...j,j', [random([2, 3, 4], 76), random([4], 77)]],
      ['ijk,jil->kl', [random([3, 4, 5], 78), random([4, 3, 2], 79)]],
      ['ab,bc,ca->', [random([2, 3], 80), random([3, 4], 81), random([4, 2], 82)]],
      ['ii,jj->ij', [random([3, 3], 83), random([2, 2], 84)]],
      ['bi,bi->b', [random([4, 6], 85), random([1, 6], 86)]],
      ['', [array(2.5)]],
      [',->', [array(2), array(3)]],
    ];
    for (const [s, ops] of forms) {
      const want = einsumReference(s, ops);
      const got = linalg.einsum(s, ops);
      expect(got.shape, s).toEqual(want.shape);
      flatten(got).forEach((v, i) => expect(Math.abs(v - want.values[i]!), `${s}[${i}]`).toBeLessThanOrEqual(1e-14 * Math.max(want.scale[i]!, 1e-300)));
    }
  });

  it('tensordot and vecdot equal their einsum forms; matrixTranspose is transpose, a view', () => {
    const [a, b] = [random([3, 4, 5], 90), random([4, 3, 2], 91)];
    close(linalg.tensordot(a, b, { axes: [[1, 0], [0, 1]] }), linalg.einsum('ijk,jil->kl', [a, b]), 1e-14, 1e-15);
    close(linalg.tensordot(a, random([5, 2], 92), { axes: 1 }), linalg.einsum('ijk,kl->ijl', [a, random([5, 2], 92)]), 1e-14, 1e-15);
    close(linalg.vecdot(a, random([5], 93)), linalg.einsum('ijk,k->ij', [a, random([5], 93)]), 1e-14, 1e-15);
    close(linalg.vecdot(a, a, { axis: 1 }), linalg.einsum('ijk,ijk->ik', [a, a]), 1e-14, 1e-15);
    const t = linalg.matrixTranspose(a);
    expect(t.data).toBe(a.data);
    expect(flatten(t)).toEqual(flatten(linalg.transpose(a)));
  });

  it('matrixNorm is norm over the last two axes; vectorNorm over axes is norm of the flattened vectors', () => {
    const a = random([2, 4, 3], 100);
    for (const ord of ['fro', 'nuc', 1, -1, 2, -2, Infinity, -Infinity] as const) {
      expect(flatten(linalg.matrixNorm(a, { ord }))).toEqual(flatten(linalg.norm(a, { ord, axis: [-2, -1] })));
    }
    for (const ord of [1, 2, 3, 0, Infinity, -Infinity, 0.5]) {
      close(linalg.vectorNorm(a, { ord, axis: [0, 2] }), linalg.norm(reshape(moveaxis(a, 1, 0).copy(), [4, 6]), { ord, axis: 1 }), 1e-14, 1e-15);
      close(linalg.vectorNorm(a, { ord }), linalg.norm(reshape(a.copy(), [24]), { ord }), 1e-14, 1e-15);
    }
    expect(linalg.vectorNorm(a, { axis: [0, 2], keepdims: true }).shape).toEqual([1, 4, 1]);
    expect(linalg.vectorNorm(array(-3)).item()).toBe(3);
  });
});

// numpy/_core/tests/test_einsum.py's subscripts (check_einsum_sums), on
// random operands of several sizes, against numpy.einsum itself.
const EINSUM_FORMS = [',i->', ',i->i', '...', '..., ...', '...i, ...i', '...i->...', '...ii->...i', '...ii->i...', '...ij,...jk->...ik',
  'i, i', 'i,->', 'i,->i', 'i,i', 'i,i,i->i', 'i,ij->', 'i,j', 'i->', 'i..., i...', 'i...->...', 'i...i->...i', 'i...i->i...', 'ii', 'ii->i',
  'ii...->...i', 'ii...->i...', 'iii->i', 'ij', 'ij, j', 'ij,i->', 'ij,j', 'ij,jk', 'ij,jk,kl', 'ijk, jil -> kl', 'ijk->jik', 'ji', 'ji,i->',
  'ji,j', 'jii->ij'];

/** Operands for `spec`: each letter a length from n, each ellipsis [2, 3]. */
function operandsFor(spec: string, n: number, seed: number, dtype: 'float64' | 'float32'): NDArray[] {
  const terms = spec.replace(/ /g, '').split('->')[0]!.split(',');
  return terms.map((t, i) => {
    const shape = t.split('...').flatMap((part, k) => [...(k > 0 ? [2, 3] : []), ...[...part].map((l) => n + (l.charCodeAt(0) % 3))]);
    return random(shape, seed + i, dtype);
  });
}

describe("einsum against numpy.einsum on test_einsum.py's forms", () => {
  it('every form, float64 and float32, three sizes, sync and async the same bits', async () => {
    const jobs = EINSUM_FORMS.flatMap((spec) => [1, 3, 6].flatMap((n) => (['float64', 'float32'] as const).map((dtype) => ({ spec, n, dtype }))));
    const runs = jobs.map(({ spec, n, dtype }, j) => ({ spec, dtype, operands: operandsFor(spec, n, 1000 + 10 * j, dtype) }));
    const dir = mkdtempSync(join(tmpdir(), 'weft-einsum-'));
    writeFileSync(join(dir, 'in.json'), JSON.stringify(runs.map((r) => ({ spec: r.spec, dtype: r.dtype, operands: r.operands.map((x) => ({ shape: x.shape, values: flatten(x) })) }))));
    const py = spawnSync(python, ['-c', `
import json, sys, numpy as np
out = []
for r in json.load(open(sys.argv[1])):
    ops = [np.array(o['values'], dtype=r['dtype']).reshape(o['shape']) for o in r['operands']]
    y = np.einsum(r['spec'], *ops)
    out.append({'shape': list(np.shape(y)), 'values': np.asarray(y, dtype=np.float64).ravel().tolist(), 'dtype': str(y.dtype)})
print(json.dumps(out))
`, join(dir, 'in.json')], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, PYTHONPATH: oracleDir, PYTHONNOUSERSITE: '1' } });
    if (py.status !== 0) throw new Error(py.stderr);
    const numpy = JSON.parse(py.stdout) as { shape: number[]; values: number[]; dtype: string }[];
    for (const [j, r] of runs.entries()) {
      const got = linalg.einsum(r.spec, r.operands);
      const want = numpy[j]!;
      const label = `${r.spec} ${r.dtype} [${r.operands.map((x) => x.shape.join('x')).join(', ')}]`;
      expect(got.shape, label).toEqual(want.shape);
      expect(got.dtype, label).toBe(want.dtype);
      const scale = einsumReference(r.spec, r.operands).scale;
      const tol = (r.dtype === 'float32' ? 1.2e-7 : 2.3e-16) * 50;
      flatten(got).forEach((v, i) => expect(Math.abs(v - want.values[i]!), `${label}[${i}]`).toBeLessThanOrEqual(tol * Math.max(scale[i]!, 1e-300)));
      expect(flatten(await linalg.einsumAsync(r.spec, r.operands)), label).toEqual(flatten(got));
    }
  }, 120_000);

  it('test_einsum_broadcast: the ellipsis broadcasts on the left, implicitly too', () => {
    const check = (want: string, forms: string[], ops: NDArray[]) => {
      const ref = flatten(linalg.einsum(want, ops));
      for (const f of forms) expect(flatten(linalg.einsum(f, ops)), f).toEqual(ref);
    };
    check('ijk,j->ijk', ['ij...,j...->ij...', 'ij...,...j->ij...', 'ij...,j->ij...'], [reshape(arange(0, 24), [2, 3, 4]), arange(0, 3)]);
    check('ik,kj->ij', ['ik...,k...->i...', 'ik...,...kj->i...j', '...k,kj', 'ik,k...->i...'], [reshape(arange(0, 12), [4, 3]), reshape(arange(0, 6), [3, 2])]);
    const a = reshape(arange(0, 120), [2, 3, 4, 5]);
    check('ijkl,k->ijl', ['ijkl,k', '...kl,k', '...kl,k...'], [a, arange(0, 4)]);
    const [J, K, M] = [6, 5, 4];
    check('...lmn,...lmno->...o', ['...lmn,lmno->...o'], [reshape(arange(0, J * K * M), [1, 1, 1, J, K, M]), reshape(arange(0, J * K * M * 3), [J, K, M, 3])]);
  });

  it('test_spaces: any spacing', () => {
    for (let mask = 0; mask < 16; mask++) {
      const sp = [0, 1, 2, 3].map((b) => ((mask >> b) & 1 ? ' ' : ''));
      expect(linalg.einsum(`${sp[0]}...a${sp[1]}->${sp[2]}...a${sp[3]}`, [[[1]]]).toArray()).toEqual([[1]]);
    }
  });

  it('test_einsum_errors: every one refused (numpy ValueError: RangeError; subscripts not a string: TypeError)', () => {
    const m22 = [[0, 0], [0, 0]];
    const refused: [string, unknown[]][] = [
      ['', []], ['', [0, 0]], [',', [0, [0], [0]]], [',', [[0]]],
      ['i', [0]], ['ij', [[0, 0]]], ['...i', [0]], ['i...j', [[0, 0]]], ['i...', [0]], ['ij...', [[0, 0]]],
      ['i..', [[0, 0]]], ['.i...', [[0, 0]]], ['j->..j', [[0, 0]]], ['j->.j...', [[0, 0]]],
      ['i%...', [[0, 0]]], ['...j$', [[0, 0]]], ['i->&', [[0, 0]]], ['i->ij', [[0, 0]]], ['ij->jij', [m22]],
      ['ii', [reshape(arange(0, 6), [2, 3])]], ['ii->i', [reshape(arange(0, 6), [2, 3])]],
    ];
    for (const [spec, ops] of refused) expect(() => linalg.einsum(spec, ops as NDArray[]), `'${spec}'`).toThrow(RangeError);
    expect(() => linalg.einsum(0 as never, [0])).toThrow(TypeError);
    // gh-11221: the message names the label at fault, b.
    expect(() => linalg.einsum('aabcb,abc', [zeros([3, 3, 4, 5, 6]), zeros([3, 4, 5])])).toThrow(/repeats label b over axes of lengths 4 and 6/);
  });

  it('test_einsum_sorting_behavior: implicit output sorted uppercase before lowercase', () => {
    const a = random([2, 3, 4, 5], 1100);
    expect(linalg.einsum('bAaB', [a]).shape).toEqual([3, 5, 4, 2]);
  });
});

describe('argument errors name the function, the parameter and the value', () => {
  it('einsum: naming einsum and the subscripts', async () => {
    const m = random([2, 3], 110);
    const cases: [string, unknown[], RegExp][] = [
      ['ij,jk', [m], /^linalg\.einsum: subscripts 'ij,jk': names 2 operands but 1 was given$/],
      ['ijk', [m], /^linalg\.einsum: subscripts 'ijk': operands\[0\] has 2 axes but its term 'ijk' names 3$/],
      ['ii', [m], /^linalg\.einsum: subscripts 'ii': operands\[0\] repeats label i over axes of lengths 2 and 3, which must be equal$/],
      ['ij,ij', [m, random([3, 2], 111)], /^linalg\.einsum: subscripts 'ij,ij': label i has length 2 in one operand but 3 in operands\[1\]$/],
      ['ij->k', [m], /^linalg\.einsum: subscripts 'ij->k': the output's label k is in no operand's term$/],
      ['ij->ii', [m], /^linalg\.einsum: subscripts 'ij->ii': the output repeats label i$/],
      ['ij->i->j', [m], /more than one '->'/],
      ['i1', [m], /operands\[0\]'s term 'i1' has "1", which is not a letter/],
      ['......', [m], /more than one ellipsis/],
      ['...->', [m], /the operands' ellipsis covers axes, but the output has no '\.\.\.' to put them/],
    ];
    for (const [s, ops, message] of cases) {
      expect(() => linalg.einsum(s, ops as NDArray[]), s).toThrow(message);
      await expect(linalg.einsumAsync(s, ops as NDArray[]), s).rejects.toThrow(RangeError);
    }
    expect(() => linalg.einsum(3 as never, [m])).toThrow(/linalg\.einsum: expected subscripts to be a string of einsum subscripts .*sublist form is not supported/);
    expect(() => linalg.einsum('ij', m as never)).toThrow(/linalg\.einsum: expected operands to be an array of the operands/);
    expect(() => linalg.einsum('ij', ['x'] as never)).toThrow(/linalg\.einsum: expected operands\[0\] to be/);
  });

  it('tensordot, tensorinv, tensorsolve', () => {
    const [a, b] = [random([2, 3], 120), random([3, 4], 121)];
    expect(() => linalg.tensordot(a, b)).toThrow(/^linalg\.tensordot: shape-mismatch for sum: axis 0 of a has length 2 but axis 0 of b has 3$/);
    expect(() => linalg.tensordot(a, b, { axes: 3 })).toThrow(/options\.axes 3 sums more axes than a \(shape \[2, 3\]\) or b/);
    expect(() => linalg.tensordot(a, b, { axes: -1 })).toThrow(/expected options\.axes to be a count of axes from 0 up/);
    expect(() => linalg.tensordot(a, b, { axes: [[1, 1], [0, 0]] })).toThrow(/options\.axes repeats an axis of a: \[1, 1\]/);
    expect(() => linalg.tensordot(a, b, { axes: [[1], [0, 1]] })).toThrow(/pairs 1 axes of a with 2 of b/);
    expect(() => linalg.tensordot(a, b, { axes: [[5], [0]] })).toThrow(/options\.axes\[0\]\[0\] 5 is out of range for an array with 2 axes/);
    expect(() => linalg.tensordot(a, b, { axes: 'x' as never })).toThrow(TypeError);
    expect(() => linalg.tensorinv(random([2, 3, 4], 122))).toThrow(/^linalg\.tensorinv: a \(shape \[2, 3, 4\]\) is not square at ind = 2: its first 2 axes hold 6 elements but the rest 4$/);
    expect(() => linalg.tensorinv(random([4, 4], 123), { ind: 1.5 })).toThrow(/options\.ind to be a positive integer, but received 1\.5/);
    let err: unknown;
    try {
      linalg.tensorsolve(random([2, 3, 4], 124), random([2], 125));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LinAlgError);
    expect((err as LinAlgError).code).toBe('ERR_NOT_SQUARE');
    expect(() => linalg.tensorsolve(random([2, 2, 4], 126), random([3], 127))).toThrow(/linalg\.tensorsolve: b \(shape \[3\]\) holds 3 elements but a's operator has 4 rows|Input arrays must satisfy/);
    expect(() => linalg.tensorsolve(random([2, 2, 4], 128), random([2, 2], 129), { axes: [0, 0] })).toThrow(/options\.axes repeats an axis/);
  });

  it('vecdot, matrixNorm, vectorNorm', () => {
    expect(() => linalg.vecdot(random([2, 3], 140), random([4], 141))).toThrow(/^linalg\.vecdot: x1 has 3 elements along axis -1 but x2 has 4/);
    expect(() => linalg.vecdot(array(1), random([4], 141))).toThrow(/expected x1 to have at least one axis, but received a 0-d array/);
    expect(() => linalg.vecdot(random([2, 3], 142), random([4, 3], 143))).toThrow(/batch \(leading\) axes do not broadcast together: x1 \[2\] and x2 \[4\]/);
    expect(() => linalg.matrixNorm([1, 2, 3])).toThrow(/^linalg\.matrixNorm: expected x to be at least two-dimensional/);
    expect(() => linalg.matrixNorm([[1, 2]], { ord: 3 })).toThrow(/invalid norm order 3 for matrices/);
    expect(() => linalg.vectorNorm([1, 2], { ord: 'fro' as never })).toThrow(/^linalg\.vectorNorm: invalid norm order 'fro' for vectors/);
    expect(() => linalg.vectorNorm([[1, 2]], { axis: [0, -2] })).toThrow(/options\.axis repeats an axis/);
    expect(() => linalg.vectorNorm([[1, 2]], { axis: 2 })).toThrow(/options\.axis 2 is out of range for an array with 2 axes/);
    expect(() => linalg.vectorNorm(new Float64Array(0), { ord: -Infinity })).toThrow(/the -Infinity-norm of an empty vector is undefined/);
    expect(() => linalg.svd([[1, 2]], { hermitian: true })).toThrow(LinAlgError);
  });
});
