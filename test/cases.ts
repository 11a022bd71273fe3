// The shared case table: every linalg function × dtype × input kind
// (0-size, 1×1, square, tall, wide, stacked, strided and negative-stride
// views, rank-deficient, singular, ill-conditioned, symmetric, SPD, NaN/Inf).
// test/22-identities checks each case by mathematical identities and
// sync/async/stacked/strided agreement; test/23-numpy-oracle checks the same
// cases against numpy.
import { NDArray, array, linalg, moveaxis } from '../lib/index.js';
import type { FloatDType as DType, LinAlgErrorCode } from '../lib/index.js';
import { opNamed } from '../lib/internal/registry.js';
import type { OpEntry } from '../lib/internal/registry.js';
import { rng } from './helpers.js';

export type Tag =
  | 'empty'
  | 'tiny'
  | 'square'
  | 'tall'
  | 'wide'
  | 'stacked'
  | 'strided'
  | 'symmetric'
  | 'spd'
  | 'singular'
  | 'rank-deficient'
  | 'ill-conditioned'
  | 'nonfinite';

export interface Input {
  name: string;
  value: NDArray;
  tags: Set<Tag>;
}

export interface Case {
  /** Unique and readable: `fn/dtype/input[/options]`. */
  id: string;
  /** The weft linalg function (and the oracle's name for it). */
  fn: string;
  args: unknown[];
  options?: Record<string, unknown>;
  dtype: DType;
  tags: Set<Tag>;
  /** The LinAlgError weft must throw, when the input calls for one; or RangeError (numpy's ValueError: no answer exists, as the minimum of nothing). */
  error?: LinAlgErrorCode | 'RangeError';
  /** The dtype of the result's arrays, when it is not the case's own (bool for comparisons). */
  resultDtype?: 'float64' | 'float32' | 'bool';
}

export { eps } from './helpers.js';

function fill(shape: number[], dtype: DType, seed: number, f: (next: () => number, i: number) => number = (next) => 2 * next() - 1): NDArray {
  const next = rng(seed);
  const size = shape.reduce((p, d) => p * d, 1);
  const data = dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
  for (let i = 0; i < size; i++) data[i] = f(next, i);
  return new NDArray(data, shape);
}

/** A·Aᵀ-style products computed in JS (float64, then stored in dtype). */
function jsMatmul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
}
const rows = (a: NDArray): number[][] => a.toArray() as number[][];
const transposeRows = (a: number[][]): number[][] => a[0]!.map((_, j) => a.map((r) => r[j]!));

function fromRows(values: number[][] | number[][][], dtype: DType): NDArray {
  return array(values, { dtype });
}

/** A strided view onto a larger buffer: the transpose of every other column, at an offset. */
function stridedView(dtype: DType, seed: number, m: number, n: number): NDArray {
  const buffer = fill([3 + 2 * n * m + 7], dtype, seed);
  // element (i, j) at 3 + i + j·2m: columns are contiguous (a transposed view), every other row skipped
  return new NDArray(buffer.data, [m, n], [2, 2 * m], 3);
}

/**
 * A transposed view with padding, as a slice of a larger column-major
 * array gives: columns contiguous, leading dimension m + pad, at an offset.
 * gemm reads it in place (transposed) on the sync path, so these views
 * check that async, which copies, still gives the same bits.
 */
function transposedView(dtype: DType, seed: number, m: number, n: number, pad: number): NDArray {
  const buffer = fill([1 + (m + pad) * n], dtype, seed);
  return new NDArray(buffer.data, [m, n], [1, m + pad], 1);
}

/** Rows contiguous but padded to n + pad elements, at an offset. */
function paddedRows(dtype: DType, seed: number, m: number, n: number, pad: number): NDArray {
  const buffer = fill([2 + (n + pad) * m], dtype, seed);
  return new NDArray(buffer.data, [m, n], [n + pad, 1], 2);
}

/** Rows reversed: a negative row stride. */
function reversedRows(dtype: DType, seed: number, n: number): NDArray {
  const base = fill([n, n], dtype, seed);
  return new NDArray(base.data, [n, n], [-n, 1], (n - 1) * n);
}

export function inputs(dtype: DType): Input[] {
  const t = (...tags: Tag[]) => new Set<Tag>(tags);
  const sym = (n: number, seed: number) => {
    const a = rows(fill([n, n], dtype, seed));
    return fromRows(a.map((r, i) => r.map((v, j) => (v + a[j]![i]!) / 2)), dtype);
  };
  const spd = (n: number, seed: number) => {
    const a = rows(fill([n, n], dtype, seed));
    return fromRows(jsMatmul(transposeRows(a), a).map((r, i) => r.map((v, j) => v + (i === j ? n : 0))), dtype);
  };
  const singular = () => {
    const a = rows(fill([4, 4], dtype, 71));
    a[3] = a[1]!.slice(); // an exact duplicate row: LU meets an exact zero pivot
    return fromRows(a, dtype);
  };
  const rankDeficient = () => fromRows(jsMatmul(rows(fill([8, 3], dtype, 81)), rows(fill([3, 5], dtype, 82))), dtype);
  const hilbert = (n: number) => fromRows(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => 1 / (i + j + 1))), dtype);
  const nonfinite = (bad: number) => {
    const a = rows(fill([3, 3], dtype, 91));
    a[1]![2] = bad;
    return fromRows(a, dtype);
  };
  const stackedSpd = () => fromRows([0, 1, 2].map((s) => rows(spd(4, 100 + s))), dtype);
  return [
    { name: '0x0', value: fill([0, 0], dtype, 1), tags: t('empty', 'square', 'symmetric', 'spd') },
    { name: '3x0', value: fill([3, 0], dtype, 1), tags: t('empty', 'tall') },
    { name: '0x3', value: fill([0, 3], dtype, 1), tags: t('empty', 'wide') },
    { name: '1x1', value: fromRows([[2.5]], dtype), tags: t('tiny', 'square', 'symmetric', 'spd') },
    { name: 'square5', value: fill([5, 5], dtype, 11), tags: t('square') },
    { name: 'square17', value: fill([17, 17], dtype, 12), tags: t('square') },
    { name: 'tall9x4', value: fill([9, 4], dtype, 13), tags: t('tall') },
    { name: 'wide4x9', value: fill([4, 9], dtype, 14), tags: t('wide') },
    { name: 'stacked2x3x4x4', value: fill([2, 3, 4, 4], dtype, 15), tags: t('square', 'stacked') },
    { name: 'stacked3x5x2', value: fill([3, 5, 2], dtype, 16), tags: t('tall', 'stacked') },
    { name: 'strided6x6', value: stridedView(dtype, 17, 6, 6), tags: t('square', 'strided') },
    { name: 'strided7x4', value: stridedView(dtype, 18, 7, 4), tags: t('tall', 'strided') },
    { name: 'reversed5', value: reversedRows(dtype, 19, 5), tags: t('square', 'strided') },
    { name: 'transposed6', value: transposedView(dtype, 23, 6, 6, 2), tags: t('square', 'strided') },
    { name: 'paddedRows5x3', value: paddedRows(dtype, 24, 5, 3, 2), tags: t('tall', 'strided') },
    { name: 'symmetric6', value: sym(6, 21), tags: t('square', 'symmetric') },
    { name: 'spd6', value: spd(6, 22), tags: t('square', 'symmetric', 'spd') },
    { name: 'stackedSpd3x4x4', value: stackedSpd(), tags: t('square', 'symmetric', 'spd', 'stacked') },
    { name: 'singular4', value: singular(), tags: t('square', 'singular', 'rank-deficient') },
    { name: 'rank3of8x5', value: rankDeficient(), tags: t('tall', 'rank-deficient') },
    // κ ≈ 1.5e10 in float64, ≈ 1.6e4 in float32: as ill-conditioned as each dtype can still resolve.
    dtype === 'float64'
      ? { name: 'hilbert8', value: hilbert(8), tags: t('square', 'symmetric', 'spd', 'ill-conditioned') }
      : { name: 'hilbert4', value: hilbert(4), tags: t('square', 'symmetric', 'spd', 'ill-conditioned') },
    { name: 'nan3', value: nonfinite(Number.NaN), tags: t('square', 'nonfinite') },
    { name: 'inf3', value: nonfinite(Infinity), tags: t('square', 'nonfinite') },
  ];
}

/** A right-hand side for `a` (n rows): a vector stack, or k columns. */
function rhs(a: NDArray, dtype: DType, k: number | 'vector', seed: number): NDArray {
  const nd = a.shape.length;
  const batch = a.shape.slice(0, nd - 2);
  const n = a.shape[nd - 1]!;
  return fill(k === 'vector' ? [...batch, n] : [...batch, n, k], dtype, seed);
}

const has = (input: Input, ...tags: Tag[]) => tags.every((tag) => input.tags.has(tag));
const hasAny = (input: Input, ...tags: Tag[]) => tags.some((tag) => input.tags.has(tag));

/** Every case of the table. */
export function cases(): Case[] {
  const out: Case[] = [];
  for (const dtype of ['float64', 'float32'] as const) {
    const all = inputs(dtype);
    const add = (fn: string, input: Input | string, args: unknown[], options?: Record<string, unknown>, error?: LinAlgErrorCode | 'RangeError', resultDtype?: Case['resultDtype']) => {
      const name = typeof input === 'string' ? input : input.name;
      const show = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x));
      const suffix = options ? `/${show(options).replace(/[{}"]/g, '')}` : '';
      out.push({
        id: `${fn}/${dtype}/${name}${suffix}`,
        fn,
        args,
        options,
        dtype,
        tags: typeof input === 'string' ? new Set() : input.tags,
        error,
        resultDtype,
      });
    };
    for (const input of all) {
      const a = input.value;
      const finite = !input.tags.has('nonfinite');
      const square = input.tags.has('square');
      // ---- any matrix
      for (const mode of ['reduced', 'complete', 'r', 'raw']) add('qr', input, [a], { mode });
      add('transpose', input, [a]);
      add('matrixTranspose', input, [a]);
      add('trace', input, [a]);
      add('trace', input, [a], { offset: 1 });
      add('diagonal', input, [a]);
      add('diagonal', input, [a], { offset: 1 });
      add('diagonal', input, [a], { offset: -2 });
      add('lu', input, [a]);
      add('luFactor', input, [a]);
      add('norm', input, [a]);
      if (finite) {
        add('svd', input, [a]);
        add('svd', input, [a], { fullMatrices: false });
        add('svd', input, [a], { computeUV: false });
        add('svdvals', input, [a]);
        add('pinv', input, [a]);
        add('matrixRank', input, [a]);
        // numpy: -1 (-Infinity) is the smallest column (row) sum, 0 for an empty matrix that has
        // columns (rows); -2 needs a singular value. The others raise, as test/24 checks.
        const [rows, cols] = a.shape.slice(-2) as [number, number];
        const minOrds = [...(cols > 0 ? [-1] : []), ...(rows > 0 ? [-Infinity] : []), ...(rows * cols > 0 ? [-2] : [])];
        const matrixOrds = ['fro', 'nuc', 1, 2, Infinity, ...minOrds];
        for (const ord of matrixOrds) add('norm', input, [a], { ord, axis: [-2, -1] });
        for (const ord of matrixOrds) add('matrixNorm', input, [a], { ord });
        add('matrixNorm', input, [a], { keepdims: true });
        add('pinv', input, [a], { rtol: 1e-12 });
        add('pinv', input, [a], { rtol: null });
      } else {
        for (const fn of ['svd', 'svdvals', 'pinv', 'matrixRank']) add(fn, input, [a], undefined, 'ERR_NO_CONVERGENCE');
      }
      // ---- square matrices
      if (square) {
        const singular = input.tags.has('singular');
        add('det', input, [a]);
        add('slogdet', input, [a]);
        if (finite) {
          add('inv', input, [a], undefined, singular ? 'ERR_SINGULAR' : undefined);
          add('eig', input, [a]);
          add('eigvals', input, [a]);
          for (const n of [0, 1, 2, 3, ...(singular ? [] : [-1])]) add('matrixPower', `${input.name}^${n}`, [a, n]);
          if (!has(input, 'empty')) {
            add('cond', input, [a]);
            for (const p of ['fro', 1, Infinity, -2]) add('cond', input, [a], { p });
          }
          for (const k of ['vector', 3] as const) {
            add('solve', `${input.name}/b${k}`, [a, rhs(a, dtype, k, 5)], undefined, singular ? 'ERR_SINGULAR' : undefined);
            if (!singular) add('luSolve', `${input.name}/b${k}`, [a, rhs(a, dtype, k, 6)]);
          }
        } else {
          add('eig', input, [a], undefined, 'ERR_NONFINITE');
          add('eigvals', input, [a], undefined, 'ERR_NONFINITE');
        }
      } else if (!hasAny(input, 'nonfinite')) {
        add('inv', input, [a], undefined, 'ERR_NOT_SQUARE');
        add('det', input, [a], undefined, 'ERR_NOT_SQUARE');
        add('eig', input, [a], undefined, 'ERR_NOT_SQUARE');
        add('cholesky', input, [a], undefined, 'ERR_NOT_SQUARE');
      }
      // ---- symmetric and SPD
      if (input.tags.has('symmetric')) {
        for (const uplo of ['L', 'U']) {
          add('eigh', input, [a], { uplo });
          add('eigvalsh', input, [a], { uplo });
        }
        add('pinv', input, [a], { hermitian: true });
        add('matrixRank', input, [a], { hermitian: true });
        add('svd', input, [a], { hermitian: true });
        add('svd', input, [a], { hermitian: true, computeUV: false });
        add('solve', `${input.name}/sym`, [a, rhs(a, dtype, 'vector', 7)], { assumeA: 'sym' });
      }
      if (input.tags.has('spd')) {
        add('cholesky', input, [a]);
        add('cholesky', input, [a], { upper: true });
        add('choFactor', input, [a]);
        add('choFactor', input, [a], { lower: true });
        add('choSolve', `${input.name}/b3`, [a, rhs(a, dtype, 3, 8)]);
        add('solve', `${input.name}/pos`, [a, rhs(a, dtype, 'vector', 9)], { assumeA: 'pos' });
      } else if (square && finite && !has(input, 'singular')) {
        add('cholesky', input, [a], undefined, 'ERR_NOT_POSITIVE_DEFINITE');
      }
      // ---- least squares (2-D only)
      if (a.shape.length === 2 && finite) {
        const m = a.shape[0]!;
        add('lstsq', `${input.name}/bvector`, [a, fill([m], dtype, 31)]);
        add('lstsq', `${input.name}/b2`, [a, fill([m, 2], dtype, 32)], { rcond: -1 });
        add('lstsq', `${input.name}/rcond`, [a, fill([m], dtype, 33)], { rcond: 1e-3 });
      } else if (a.shape.length === 2) {
        add('lstsq', `${input.name}/bvector`, [a, fill([a.shape[0]!], dtype, 31)], undefined, 'ERR_NO_CONVERGENCE');
      }
    }

    // ---- products
    const v = (n: number, seed: number) => fill([n], dtype, seed);
    const m = (shape: number[], seed: number) => fill(shape, dtype, seed);
    const pairs: [string, NDArray, NDArray][] = [
      ['2d', m([7, 5], 1), m([5, 3], 2)],
      ['vec-mat', v(5, 3), m([5, 4], 4)],
      ['mat-vec', m([4, 5], 5), v(5, 6)],
      ['vec-vec', v(6, 7), v(6, 8)],
      ['stacked', m([3, 4, 5], 9), m([3, 5, 2], 10)],
      ['broadcast', m([2, 1, 4, 3], 11), m([5, 3, 2], 12)],
      ['empty-k', m([3, 0], 13), m([0, 4], 14)],
      ['strided', stridedView(dtype, 15, 6, 4), stridedView(dtype, 16, 4, 3)],
      ['transposed-padded', transposedView(dtype, 38, 6, 4, 1), paddedRows(dtype, 39, 4, 3, 3)],
      ['padded-transposed', paddedRows(dtype, 50, 5, 5, 1), transposedView(dtype, 51, 5, 7, 2)],
    ];
    for (const [name, x, y] of pairs) add('matmul', name, [x, y]);
    const dots: [string, unknown, unknown][] = [
      ['vec-vec', v(6, 20), v(6, 21)],
      ['mat-vec', m([4, 6], 22), v(6, 23)],
      ['mat-mat', m([4, 6], 24), m([6, 2], 25)],
      ['nd-md', m([2, 3, 4], 26), m([5, 4, 2], 27)],
      ['scalar-mat', 2.5, m([3, 2], 28)],
      ['mat-scalar', m([3, 2], 29), -1.5],
    ];
    for (const [name, x, y] of dots) add('dot', name, [x, y]);
    const inners: [string, unknown, unknown][] = [
      ['vec-vec', v(6, 40), v(6, 41)],
      ['mat-mat', m([4, 6], 42), m([3, 6], 43)],
      ['nd-md', m([2, 3, 4], 44), m([5, 4], 45)],
      ['scalar-mat', 2.5, m([3, 2], 46)],
      ['strided', stridedView(dtype, 47, 5, 3), m([2, 3], 48)],
    ];
    for (const [name, x, y] of inners) add('inner', name, [x, y]);
    add('vdot', 'mats', [m([3, 4], 30), m([2, 6], 31)]);
    add('vdot', 'strided', [stridedView(dtype, 32, 5, 3), m([15], 33)]);
    add('outer', 'vecs', [v(4, 34), v(3, 35)]);
    add('outer', 'mats', [m([2, 2], 36), m([3], 37)]);
    // ---- array creation (the top level)
    const d = { dtype };
    add('top.zeros', 'matrix', [[2, 3]], d);
    add('top.zeros', 'empty', [[0, 4]], d);
    add('top.zeros', '0-d', [[]], d);
    add('top.zeros', 'length', [5], d);
    add('top.ones', 'column', [[3, 1]], d);
    add('top.full', 'matrix', [[2, 2], 7.1], d);
    add('top.full', { name: 'nan', value: v(1, 0), tags: new Set<Tag>(['nonfinite']) }, [[3], Number.NaN], d);
    add('top.eye', 'square', [3], d);
    add('top.eye', 'wide-k1', [2], { ...d, m: 4, k: 1 });
    add('top.eye', 'tall-k-2', [4], { ...d, m: 3, k: -2 });
    add('top.eye', 'empty', [0], d);
    add('top.identity', '3', [3], d);
    add('top.arange', 'stop', [5], d);
    add('top.arange', 'fraction', [1, 2, 0.25], d);
    add('top.arange', 'down', [3, 0, -1], d);
    add('top.arange', 'tenths', [0, 1, 0.1], d);
    add('top.arange', 'empty', [2, 1], d);
    add('top.linspace', 'five', [0, 1], { ...d, num: 5 });
    add('top.linspace', 'open', [0, 1], { ...d, num: 4, endpoint: false });
    add('top.linspace', 'default', [-1, 2], d);
    add('top.linspace', 'one', [2, 3], { ...d, num: 1 });
    add('top.linspace', 'none', [2, 3], { ...d, num: 0 });
    add('top.diag', 'vector', [v(4, 110)]);
    add('top.diag', 'vector-k1', [v(3, 111)], { k: 1 });
    add('top.diag', 'vector-k-2', [v(2, 112)], { k: -2 });
    add('top.diag', 'matrix', [m([3, 4], 113)]);
    add('top.diag', 'matrix-k-1', [m([3, 4], 114)], { k: -1 });
    add('top.diag', 'strided', [stridedView(dtype, 115, 4, 3)], { k: 1 });
    add('top.asarray', 'ndarray', [m([2, 3], 116)]);
    add('top.asarray', 'strided', [stridedView(dtype, 117, 3, 2)], d);
    add('top.copy', 'transposed', [transposedView(dtype, 118, 3, 4, 1)]);
    add('top.zerosLike', 'matrix', [m([2, 3], 119)]);
    add('top.onesLike', 'stack', [m([2, 1, 3], 120)]);
    add('top.fullLike', 'vector', [v(4, 121), 2.5]);
    // ---- shape and views (the top level)
    add('top.reshape', 'split', [m([6], 130), [2, -1]]);
    add('top.reshape', 'strided', [stridedView(dtype, 131, 3, 4), [12]]);
    add('top.reshape', 'transposed', [transposedView(dtype, 132, 3, 4, 1), [2, 1, 6]]);
    add('top.ravel', 'transposed', [transposedView(dtype, 133, 2, 3, 2)]);
    add('top.ravel', 'contiguous', [m([2, 3], 134)]);
    add('top.transpose', 'matrix', [m([2, 3], 135)]);
    add('top.transpose', '3d', [m([2, 3, 4], 136)]);
    add('top.transpose', 'axes', [m([2, 3, 4], 137)], { axes: [1, -1, 0] });
    add('top.swapaxes', '3d', [m([2, 3, 4], 138), 0, -1]);
    add('top.moveaxis', 'one', [m([2, 3, 4], 139), 0, -1]);
    add('top.moveaxis', 'two', [m([2, 3, 4], 140), [0, 1], [-1, -2]]);
    add('top.expandDims', 'front', [v(3, 141), 0]);
    add('top.expandDims', 'both', [m([2, 3], 142), [0, -1]]);
    add('top.squeeze', 'all', [m([1, 3, 1], 143)]);
    add('top.squeeze', 'axis', [m([1, 3, 1], 144)], { axis: 0 });
    add('top.broadcastTo', 'row', [v(3, 145), [2, 3]]);
    add('top.broadcastTo', 'column', [m([3, 1], 146), [2, 3, 4]]);
    add('top.flip', 'all', [m([2, 3], 147)]);
    add('top.flip', 'axes', [m([2, 3, 2], 148)], { axis: [0, 2] });
    add('top.flip', 'strided', [stridedView(dtype, 149, 3, 4)], { axis: -1 });
    add('top.slice', 'row', [m([3, 4], 150), [1]]);
    add('top.slice', 'columns', [m([3, 4], 151), [null, [1, 3]]]);
    add('top.slice', 'reversed', [m([3, 4], 152), [[null, null, -1], -1]]);
    add('top.slice', 'strided', [stridedView(dtype, 153, 4, 3), [[-3, null, 2], [null, -1]]]);
    add('top.slice', 'clamped', [m([2, 3, 2], 154), [[-9, 9], [2, 0, -1]]]);
    add('top.take', 'rows', [m([3, 4], 155), [2, 0, -1]], { axis: 0 });
    add('top.take', 'flat', [m([3, 4], 156), [11, -12, 5]]);
    add('top.take', 'one', [m([2, 3, 2], 157), 1], { axis: 1 });
    add('top.concatenate', 'rows', [[m([2, 3], 158), m([1, 3], 159)]]);
    add('top.concatenate', 'columns', [[m([2, 1], 160), transposedView(dtype, 161, 2, 3, 1)]], { axis: 1 });
    add('top.concatenate', 'flat', [[m([2, 2], 162), v(3, 163)]], { axis: null });
    add('top.stack', 'axis1', [[v(3, 164), v(3, 165)]], { axis: 1 });
    add('top.hstack', 'vectors', [[v(2, 166), v(3, 167)]]);
    add('top.hstack', 'matrices', [[m([2, 1], 168), m([2, 2], 169)]]);
    add('top.vstack', 'vectors', [[v(3, 170), m([2, 3], 171)]]);
    add('top.split', 'sections', [m([6, 2], 172), 3]);
    add('top.split', 'indices', [m([2, 5], 173), [1, 4]], { axis: 1 });
    // ---- binary arithmetic (the top level): broadcasting, weak scalars, views, NaN/Inf
    for (const op of ['add', 'subtract', 'multiply', 'divide', 'power', 'maximum', 'minimum', 'mod', 'hypot', 'arctan2']) {
      const positive = (shape: number[], seed: number) => fill(shape, dtype, seed, (next) => 0.5 + next());
      add(`top.${op}`, 'same', [positive([3, 4], 180), m([3, 4], 181)]);
      add(`top.${op}`, 'broadcast', [positive([2, 1, 3], 182), m([4, 3], 183)]);
      add(`top.${op}`, 'scalar', [positive([5], 184), 2.5]);
      add(`top.${op}`, 'scalar-first', [-1.5, m([2, 2], 185)]);
      add(`top.${op}`, 'strided', [transposedView(dtype, 186, 3, 4, 1), stridedView(dtype, 187, 3, 4)]);
      add(`top.${op}`, 'empty', [m([0, 3], 188), v(3, 189)]);
      const specials = fromRows([[0, -0, Infinity, -Infinity, Number.NaN, 1, -1, 3]], dtype);
      const others = fromRows([[0], [-0], [Infinity], [-Infinity], [Number.NaN], [2], [-2.5]], dtype);
      add(`top.${op}`, { name: 'specials', value: specials, tags: new Set<Tag>(['nonfinite']) }, [specials, others]);
      // Past the JS path's size: native, in parallel chunks for the broadcast one.
      add(`top.${op}`, 'large', [positive([40, 37], 190), m([40, 37], 191)]);
      add(`top.${op}`, 'large-broadcast', [positive([40, 1, 37], 192), m([3, 37], 193)]);
      add(`top.${op}`, 'large-reversed', [reversedRows(dtype, 194, 40), 1.25]);
    }
    // ---- comparisons and logic (the top level): bool results, ties, NaN/Inf, views, bool input
    {
      // Values from {-1, -0.5, 0, 0.5, 1}: ties for the comparisons, zeros for the logic.
      const few = (shape: number[], seed: number) => fill(shape, dtype, seed, (next) => Math.floor(next() * 5) / 2 - 1);
      const reversed = (seed: number) => {
        const base = few([4, 5], seed);
        return new NDArray(base.data, [4, 5], [-5, -1], 19); // both axes reversed, from the last element
      };
      const strided = (seed: number) => new NDArray(few([40], seed).data, [4, 5], [1, 8], 3);
      const specials = fromRows([[0, -0, Infinity, -Infinity, Number.NaN, 1, -1, 0.5]], dtype);
      const others = fromRows([[0], [-0], [Infinity], [-Infinity], [Number.NaN], [1], [-2.5]], dtype);
      const scalar0d = new NDArray(dtype === 'float32' ? Float32Array.of(0.5) : Float64Array.of(0.5), []);
      const bools = (shape: number[], seed: number) => {
        const next = rng(seed);
        const size = shape.reduce((p, d) => p * d, 1);
        return new NDArray<'bool'>(Uint8Array.from({ length: size }, () => (next() < 0.5 ? 1 : 0)), shape);
      };
      const boolView = new NDArray<'bool'>(bools([30], 300).data, [4, 5], [-5, 1], 20); // rows reversed, at an offset
      const tenth = fromRows([[0.1, 0.2, 0.30000000000000004]], dtype);
      const b = 'bool' as const;
      const strong = dtype; // the dtype of an array of the case's dtype with weak scalars
      for (const op of ['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual']) {
        const fn = `top.${op}`;
        add(fn, 'same', [few([3, 4], 200), few([3, 4], 201)], undefined, undefined, b);
        add(fn, 'broadcast', [few([2, 1, 3], 202), few([4, 3], 203)], undefined, undefined, b);
        add(fn, 'scalar', [few([5], 204), 0], undefined, undefined, b);
        add(fn, 'scalar-first', [0.5, few([2, 2], 205)], undefined, undefined, b);
        add(fn, 'weak-tenth', [tenth, 0.1], undefined, undefined, b);
        add(fn, { name: 'strided', value: reversed(206), tags: new Set<Tag>(['strided']) }, [reversed(206), strided(207)], undefined, undefined, b);
        add(fn, 'empty', [m([0, 3], 208), v(3, 209)], undefined, undefined, b);
        add(fn, '0-d', [scalar0d, few([3], 210)], undefined, undefined, b);
        add(fn, 'specials', [specials, others], undefined, undefined, b);
        add(fn, 'bool', [bools([3, 4], 211), bools([4], 212)], undefined, undefined, b);
      }
      const near = (x: NDArray, seed: number, scale: number) => {
        const next = rng(seed);
        return array((x.toArray() as number[][]).map((r) => r.map((u) => u * (1 + scale * (2 * next() - 1)))), { dtype });
      };
      const base = m([3, 4], 220);
      const closeSpecials = fromRows([[0, Infinity, -Infinity, Number.NaN, 1, 1e-9, Infinity, 1]], dtype);
      const closeOthers = fromRows([[1e-9, Infinity, Infinity, Number.NaN, 1 + 1e-6, 0, 1, Number.NaN]], dtype);
      for (const op of ['isclose', 'allclose']) {
        const fn = `top.${op}`;
        const r = op === 'isclose' ? b : undefined;
        add(fn, 'near', [base, near(base, 221, 1e-6)], undefined, undefined, r);
        add(fn, 'mixed', [base, near(base, 222, 3e-5)], undefined, undefined, r);
        add(fn, 'broadcast', [few([2, 1, 3], 223), few([4, 3], 224)], { atol: 0.6 }, undefined, r);
        add(fn, 'scalar', [few([5], 225), 0.5], { rtol: 0.5, atol: 0 }, undefined, r);
        add(fn, 'specials', [closeSpecials, closeOthers], undefined, undefined, r);
        add(fn, 'specials', [closeSpecials, closeOthers], { equalNan: true }, undefined, r);
        add(fn, 'empty', [m([0, 3], 226), v(3, 227)], undefined, undefined, r);
        add(fn, { name: 'strided', value: reversed(228), tags: new Set<Tag>(['strided']) }, [reversed(228), strided(228)], { atol: 0.5 }, undefined, r);
        add(fn, 'same', [few([3, 4], 229), few([3, 4], 229)], undefined, undefined, r);
      }
      for (const op of ['logicalAnd', 'logicalOr']) {
        const fn = `top.${op}`;
        add(fn, 'same', [few([3, 4], 230), few([3, 4], 231)], undefined, undefined, b);
        add(fn, 'broadcast', [few([2, 1, 3], 232), few([4, 3], 233)], undefined, undefined, b);
        add(fn, 'scalar', [few([5], 234), 0], undefined, undefined, b);
        add(fn, 'bool-scalar', [bools([5], 235), true], undefined, undefined, b);
        add(fn, { name: 'strided', value: reversed(236), tags: new Set<Tag>(['strided']) }, [reversed(236), boolView], undefined, undefined, b);
        add(fn, 'empty', [m([0, 3], 237), v(3, 238)], undefined, undefined, b);
        add(fn, 'specials', [specials, others], undefined, undefined, b);
      }
      for (const op of ['logicalNot', 'isnan', 'isfinite', 'isinf']) {
        const fn = `top.${op}`;
        add(fn, 'specials', [specials], undefined, undefined, b);
        add(fn, 'matrix', [few([3, 4], 240)], undefined, undefined, b);
        add(fn, { name: 'strided', value: reversed(241), tags: new Set<Tag>(['strided']) }, [reversed(241)], undefined, undefined, b);
        add(fn, 'empty', [m([0, 3], 242)], undefined, undefined, b);
        add(fn, '0-d', [scalar0d], undefined, undefined, b);
        add(fn, 'bool', [boolView], undefined, undefined, b);
      }
      const sparse = (shape: number[], seed: number) => fill(shape, dtype, seed, (next) => (next() < 0.7 ? 0 : next() < 0.5 ? Number.NaN : 2 * next() - 1));
      for (const op of ['any', 'all']) {
        const fn = `top.${op}`;
        // any: mostly zeros; all: mostly nonzero (NaN counts as true); so both answers occur along every axis.
        const cube = op === 'any' ? sparse([3, 4, 5], 250) : fill([3, 4, 5], dtype, 250, (next) => (next() < 0.1 ? 0 : next() < 0.2 ? Number.NaN : 1 + next()));
        add(fn, 'all-axes', [cube], undefined, undefined, b);
        add(fn, 'axis0', [cube], { axis: 0 }, undefined, b);
        add(fn, 'axis-1', [cube], { axis: -1 }, undefined, b);
        add(fn, 'axes02', [cube], { axis: [0, 2] }, undefined, b);
        add(fn, 'axis1-keepdims', [cube], { axis: 1, keepdims: true }, undefined, b);
        add(fn, 'keepdims', [cube], { keepdims: true }, undefined, b);
        add(fn, 'null-axis', [few([2, 3], 251)], { axis: null }, undefined, b);
        add(fn, 'empty', [m([0, 3], 252)], undefined, undefined, b);
        add(fn, 'empty-axis0', [m([0, 3], 253)], { axis: 0 }, undefined, b);
        add(fn, 'empty-axis1', [m([0, 3], 254)], { axis: 1 }, undefined, b);
        add(fn, '0-d', [scalar0d], undefined, undefined, b);
        add(fn, { name: 'strided', value: reversed(255), tags: new Set<Tag>(['strided']) }, [reversed(255)], { axis: 1 }, undefined, b);
        add(fn, 'bool', [boolView], { axis: 0 }, undefined, b);
        add(fn, 'specials', [specials], undefined, undefined, b);
      }
      const fn = 'top.where';
      add(fn, 'same', [few([3, 4], 260), m([3, 4], 261), m([3, 4], 262)], undefined, undefined, strong);
      add(fn, 'broadcast3', [few([2, 1, 1], 263), m([3, 1], 264), m([4], 265)], undefined, undefined, strong);
      add(fn, 'scalar-y', [bools([5], 266), m([5], 267), 0], undefined, undefined, strong);
      add(fn, 'scalar-x', [bools([2, 3], 268), -1.5, m([3], 269)], undefined, undefined, strong);
      add(fn, 'scalars', [few([4], 270), 1.5, -2.5], undefined, undefined, 'float64');
      add(fn, 'bools', [few([3, 4], 271), bools([3, 4], 272), boolView.slice([0, 3], [1, 5])], undefined, undefined, b);
      add(fn, 'bool-scalars', [few([4], 273), true, false], undefined, undefined, b);
      add(fn, { name: 'strided', value: reversed(274), tags: new Set<Tag>(['strided']) }, [reversed(274), strided(275), reversed(276)], undefined, undefined, strong);
      add(fn, 'empty', [m([0, 3], 277), v(3, 278), 1], undefined, undefined, strong);
      add(fn, '0-d', [scalar0d, m([2, 2], 279), scalar0d], undefined, undefined, strong);
      add(fn, 'specials', [specials, specials, others], undefined, undefined, strong);
      // Rows of 64 or more: where's branch-free (bit-copying) loop.
      const longNaN = fill([3, 200], dtype, 280, (next, i) => (i % 37 === 5 ? Number.NaN : i % 41 === 7 ? -Infinity : 2 * next() - 1));
      add(fn, 'long', [bools([3, 200], 281), longNaN, m([200], 282)], undefined, undefined, strong);
      add(fn, 'long-scalar', [bools([3, 200], 283), -2, longNaN], undefined, undefined, strong);
      add(fn, { name: 'long-strided', value: longNaN, tags: new Set<Tag>(['strided']) }, [bools([200], 284), longNaN.slice(null, [null, null, -1]), 0.5], undefined, undefined, strong);
    }
    // ---- reductions (the top level): axis variants, keepdims, views, empty and 0-d, NaN/Inf
    const statistics = ['sum', 'prod', 'mean', 'variance', 'std', 'min', 'max'];
    const tagged = (name: string, value: NDArray, ...tags: Tag[]): Input => ({ name, value, tags: new Set<Tag>(tags) });
    const reductionCube = m([3, 4, 5], 190);
    const reductionViews = [tagged('reversed5', reversedRows(dtype, 191, 5), 'strided'), tagged('transposed6x4', transposedView(dtype, 192, 6, 4, 2), 'strided'),
      tagged('strided6x4', stridedView(dtype, 193, 6, 4), 'strided'), tagged('padded5x3', paddedRows(dtype, 194, 5, 3, 2), 'strided'),
      // Sparse in its memory (an async call gathers it rather than copy the span), rows reversed.
      tagged('sparse8x5', new NDArray(fill([800], dtype, 200).data, [8, 5], [-100, 7], 700), 'strided')];
    const reductionSpecials = tagged('specials', fromRows([[0, -0, Infinity, -Infinity, Number.NaN, 1], [1, 2, 3, 4, 5, 6], [Number.NaN, 1, Number.NaN, 2, 0, 0], [Infinity, 1, 2, 3, 4, 5]], dtype), 'nonfinite');
    for (const op of statistics) {
      const fn = `top.${op}`;
      add(fn, 'cube', [reductionCube]);
      for (const axis of [0, 1, 2, -1, -3, [0, 2], [-1, 0], [0, 1, 2]]) add(fn, 'cube', [reductionCube], { axis });
      add(fn, 'cube', [reductionCube], { axis: 1, keepdims: true });
      add(fn, 'cube', [reductionCube], { keepdims: true });
      // Long enough for the pairwise sum's blocks, the column loop's blocks, and the arena's split.
      add(fn, 'wide40x300', [m([40, 300], 195)], { axis: 0 });
      add(fn, 'wide40x300', [m([40, 300], 195)], { axis: -1 });
      add(fn, 'big200x200', [m([200, 200], 196)]);
      add(fn, 'big200x200', [m([200, 200], 196)], { axis: 0 });
      for (const view of reductionViews) for (const axis of [undefined, 0, 1]) add(fn, view, [view.value], axis === undefined ? undefined : { axis });
      for (const axis of [undefined, 0, 1]) {
        const noIdentity = (op === 'min' || op === 'max') && axis !== 1;
        add(fn, tagged('empty0x3', m([0, 3], 197), 'empty'), [m([0, 3], 197)], axis === undefined ? undefined : { axis }, noIdentity ? 'RangeError' : undefined);
      }
      add(fn, tagged('empty3x0', m([3, 0], 198), 'empty'), [m([3, 0], 198)], { axis: 1 }, op === 'min' || op === 'max' ? 'RangeError' : undefined);
      add(fn, 'scalar0d', [fill([], dtype, 199)]);
      for (const axis of [undefined, 0, 1]) add(fn, reductionSpecials, [reductionSpecials.value], axis === undefined ? undefined : { axis });
    }
    // Sparse views an async call gathers: kept axes that merge (2000 = 2·1000) around a reduced
    // one between them in memory, and a broadcast column whose strides tie at 0.
    const interleaved = tagged('interleaved2x3x2', new NDArray(fill([5003], dtype, 203).data, [2, 3, 2], [2000, 1001, 1000], 0), 'strided');
    const column = tagged('column1000x10x8', new NDArray(fill([200_000], dtype, 204).data, [1000, 10, 8], [200, 0, 0], 7), 'strided');
    // (Not variance/std on the column: ten equal values have no spread, and numpy's float32 mean leaves noise there.)
    for (const op of statistics) for (const view of op === 'variance' || op === 'std' ? [interleaved] : [interleaved, column]) add(`top.${op}`, view, [view.value], { axis: 1 });
    for (const op of ['variance', 'std']) {
      for (const ddof of [1, 2.5, 4, 7]) add(`top.${op}`, 'cube', [reductionCube], { axis: 1, ddof });
      add(`top.${op}`, 'cube', [reductionCube], { ddof: 1 });
    }
    for (const op of ['argmin', 'argmax', 'cumsum', 'cumprod']) {
      const fn = `top.${op}`;
      const arg = op.startsWith('arg');
      add(fn, 'cube', [reductionCube]);
      for (const axis of [0, 1, -1]) add(fn, 'cube', [reductionCube], { axis });
      if (arg) add(fn, 'cube', [reductionCube], { axis: 1, keepdims: true });
      if (arg) add(fn, 'cube', [reductionCube], { keepdims: true });
      // One lane longer than a task (split across the arena), and lanes side by side (the column loop).
      if (arg) add(fn, 'long40000', [m([40000], 201)]);
      if (arg) add(fn, 'wide40x300', [m([40, 300], 195)], { axis: 0, keepdims: true });
      if (arg) add(fn, 'wide40x300', [m([40, 300], 195)], { axis: -1 });
      if (arg) {
        // Lanes long enough for the vectorised search, a NaN or an infinity past its first block.
        const lanes = rows(m([3, 50], 202));
        [lanes[0]![37], lanes[1]![21], lanes[1]![44], lanes[2]![49]] = [Number.NaN, Infinity, -Infinity, Number.NaN];
        const longSpecials = tagged('longSpecials3x50', fromRows(lanes, dtype), 'nonfinite');
        for (const axis of [undefined, 1]) add(fn, longSpecials, [longSpecials.value], axis === undefined ? undefined : { axis });
      }
      add(fn, 'wide40x300', [m([40, 300], 195)], { axis: 0 });
      for (const view of reductionViews) for (const axis of [undefined, 0, 1]) add(fn, view, [view.value], axis === undefined ? undefined : { axis });
      add(fn, tagged('empty0x3', m([0, 3], 197), 'empty'), [m([0, 3], 197)], { axis: 1 });
      add(fn, tagged('empty3x0', m([3, 0], 198), 'empty'), [m([3, 0], 198)], { axis: 1 }, arg ? 'RangeError' : undefined);
      add(fn, tagged('empty0', m([0], 198), 'empty'), [m([0], 198)], undefined, arg ? 'RangeError' : undefined);
      add(fn, 'scalar0d', [fill([], dtype, 199)]);
      for (const axis of [undefined, 0, 1]) add(fn, reductionSpecials, [reductionSpecials.value], axis === undefined ? undefined : { axis });
    }
    // ---- unary math (the top level): small (JS) and large (native), views, 0-d, empty, NaN/Inf/subnormals
    const unaryOps = ['negative', 'abs', 'sign', 'sqrt', 'square', 'reciprocal', 'exp', 'expm1', 'exp2', 'log', 'log1p', 'log2', 'log10',
      'sin', 'cos', 'tan', 'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'tanh', 'floor', 'ceil', 'round', 'conj', 'conjugate', 'real', 'imag', 'angle'];
    const wide = (shape: number[], seed: number) => fill(shape, dtype, seed, (next) => 6 * next() - 3);
    const unarySpecials = fromRows([[0, -0, Infinity, -Infinity, Number.NaN, 1, -1, 0.5, -2.5, 1e-310, 1e300, 710, -1e-20]], dtype);
    for (const op of unaryOps) {
      add(`top.${op}`, 'small', [wide([3, 4], 200)]);
      add(`top.${op}`, 'large', [wide([50, 41], 201)]);
      add(`top.${op}`, 'reversed', [reversedRows(dtype, 202, 40)]);
      add(`top.${op}`, 'strided', [stridedView(dtype, 203, 30, 40)]);
      if (dtype === 'float64') add(`top.${op}`, 'scalar', [0.75]); // a number gives float64
      add(`top.${op}`, 'empty', [m([0, 3], 204)]);
      add(`top.${op}`, { name: 'specials', value: unarySpecials, tags: new Set<Tag>(['nonfinite']) }, [unarySpecials]);
    }
    for (const decimals of [2, -1]) {
      add('top.round', `decimals${decimals}`, [fill([4, 5], dtype, 205, (next) => 2000 * next() - 1000)], { decimals });
      add('top.round', `large-decimals${decimals}`, [fill([50, 41], dtype, 206, (next) => 2000 * next() - 1000)], { decimals });
    }
    add('top.clip', 'scalars', [m([3, 4], 210), -0.5, 0.5]);
    add('top.clip', 'arrays', [m([4, 3], 211), v(3, 212), 0.3]);
    add('top.clip', 'no-min', [m([2, 5], 213), null, 0.25]);
    add('top.clip', 'no-max', [m([2, 5], 214), 0.1, null]);
    add('top.clip', 'min-above-max', [m([6], 215), 0.5, -0.5]);
    add('top.clip', 'large', [wide([50, 41], 216), m([41], 217), 1]);
    add('top.clip', 'large-reversed', [reversedRows(dtype, 218, 40), -0.25, v(40, 219)]);
    add('top.clip', 'empty', [m([0, 3], 220), 0, 1]);
    add('top.clip', { name: 'specials', value: unarySpecials, tags: new Set<Tag>(['nonfinite']) }, [unarySpecials, -1, Number.NaN]);
    add('cross', 'vec-vec', [v(3, 90), v(3, 91)]);
    add('cross', 'stack-vec', [m([5, 3], 92), v(3, 93)]);
    add('cross', 'broadcast', [m([2, 1, 3], 94), m([4, 3], 95)]);
    add('cross', 'axis0', [m([3, 4], 96), m([3, 1], 97)], { axis: 0 });
    add('cross', 'axis1', [m([2, 3, 2], 98), m([2, 3, 2], 99)], { axis: 1 });
    add('cross', 'strided', [transposedView(dtype, 100, 4, 3, 1), stridedView(dtype, 101, 4, 3)]);
    add('cross', 'empty', [m([0, 3], 102), v(3, 103)]);
    const nonfinite = fromRows([[1, Number.NaN, 0], [Infinity, 1, 0]], dtype);
    add('cross', { name: 'nonfinite', value: nonfinite, tags: new Set<Tag>(['nonfinite']) }, [nonfinite, v(3, 104)]);
    add('multiDot', 'chain4', [[m([6, 9], 40), m([9, 2], 41), m([2, 7], 42), m([7, 3], 43)]]);
    add('multiDot', 'vec-ends', [[v(5, 44), m([5, 4], 45), m([4, 3], 46), v(3, 47)]]);
    add('multiDot', 'two', [[m([3, 2], 48), m([2, 3], 49)]]);
    // ---- tensors: tensordot, tensorinv, tensorsolve, einsum, vecdot (lib/linalg/tensors.ts, products.ts)
    add('tensordot', 'default', [m([3, 4, 5], 300), m([4, 5, 2], 301)]);
    add('tensordot', 'axes0', [v(3, 302), m([2, 2], 303)], { axes: 0 });
    add('tensordot', 'axes1', [m([3, 4], 304), m([4, 2, 2], 305)], { axes: 1 });
    add('tensordot', 'pairs', [m([3, 4, 5], 306), m([4, 3, 2], 307)], { axes: [[1, 0], [0, 1]] });
    add('tensordot', 'single-pair', [m([3, 4], 308), m([5, 3], 309)], { axes: [0, 1] });
    add('tensordot', 'strided', [stridedView(dtype, 310, 6, 4), transposedView(dtype, 311, 4, 3, 1)], { axes: 1 });
    add('tensordot', 'empty', [m([0, 3], 312), m([3, 2], 313)], { axes: 1 });
    add('tensordot', 'empty-sum', [m([2, 0], 314), m([0, 3], 315)], { axes: 1 });
    // Operators made diagonally dominant: well conditioned, as the identities' tolerances assume.
    const operator = (shape: number[], seed: number) => {
      const size = shape.reduce((p, d) => p * d, 1);
      const n = Math.round(Math.sqrt(size));
      return fill(shape, dtype, seed, (next, i) => 2 * next() - 1 + (Math.floor(i / n) === i % n ? n : 0));
    };
    add('tensorinv', 'ind2', [operator([4, 6, 8, 3], 320)]);
    add('tensorinv', 'ind1', [operator([8, 2, 4], 321)], { ind: 1 });
    add('tensorinv', 'ind3', [operator([2, 3, 2, 12], 322)], { ind: 3 });
    add('tensorinv', 'singular', [fill([2, 2, 2, 2], dtype, 323, (next, i) => (i < 8 ? 1 : 2 * next() - 1))], undefined, 'ERR_SINGULAR');
    add('tensorinv', 'not-square', [m([2, 3, 4], 324)], undefined, 'ERR_NOT_SQUARE');
    add('tensorsolve', 'plain', [operator([2, 3, 6], 325), m([2, 3], 326)]);
    add('tensorsolve', 'x2d', [operator([6, 2, 3], 327), v(6, 328)]);
    const toMove = operator([2, 3, 6], 329);
    add('tensorsolve', { name: 'axes', value: toMove, tags: new Set<Tag>(['strided']) }, [moveaxis(toMove, -1, 0), m([2, 3], 330)], { axes: [0] });
    add('tensorsolve', 'not-square', [m([2, 3, 4], 331), m([2], 332)], undefined, 'ERR_NOT_SQUARE');
    const einsums: [string, string, unknown[]][] = [
      ['matmul', 'ij,jk->ik', [m([4, 5], 340), m([5, 3], 341)]],
      ['implicit', 'ij,jk', [m([4, 5], 342), m([5, 3], 343)]],
      ['transposed-out', 'ij,jk->ki', [m([4, 5], 344), m([5, 3], 345)]],
      ['transpose', 'ij->ji', [m([3, 4], 346)]],
      ['implicit-transpose', 'ba', [m([3, 4], 347)]],
      ['trace', 'ii', [m([5, 5], 348)]],
      ['diagonal', 'ii->i', [m([5, 5], 349)]],
      ['sum', 'ij->', [m([3, 4], 350)]],
      ['column-sums', 'ij->j', [m([3, 4], 351)]],
      ['dot', 'i,i', [v(6, 352), v(6, 353)]],
      ['outer', 'i,j->ij', [v(3, 354), v(4, 355)]],
      ['batched', 'bij,bjk->bik', [m([3, 4, 5], 356), m([3, 5, 2], 357)]],
      ['batched-vector', 'bij,bj->bi', [m([3, 4, 5], 358), m([3, 5], 359)]],
      ['ellipsis', '...ij,...jk->...ik', [m([2, 1, 3, 4], 360), m([5, 4, 2], 361)]],
      ['ellipsis-implicit', '...j,j', [m([2, 3, 4], 362), v(4, 363)]],
      ['chain3', 'ij,jk,kl->il', [m([3, 4], 364), m([4, 5], 365), m([5, 2], 366)]],
      ['tensordot', 'ijk,jil->kl', [m([3, 4, 5], 367), m([4, 3, 2], 368)]],
      ['three-way', 'ij,ij,ij->i', [m([3, 4], 369), m([3, 4], 370), m([3, 4], 371)]],
      ['diagonal-sum', 'iij->j', [m([3, 3, 4], 372)]],
      ['broadcast-1', 'ij,j->i', [m([3, 4], 373), v(1, 374)]],
      ['strided', 'ij,jk->ik', [stridedView(dtype, 375, 6, 4), transposedView(dtype, 376, 4, 3, 1)]],
      ['empty', 'ij,jk->ik', [m([0, 3], 377), m([3, 2], 378)]],
      ['empty-sum', 'ij,jk->ik', [m([2, 0], 379), m([0, 3], 380)]],
    ];
    for (const [name, subscripts, operands] of einsums) add('einsum', name, [subscripts, operands]);
    add('vecdot', 'last', [m([4, 3], 390), v(3, 391)]);
    add('vecdot', 'axis0', [m([3, 4], 392), m([3, 4], 393)], { axis: 0 });
    add('vecdot', 'broadcast', [m([2, 1, 5], 394), m([3, 5], 395)]);
    add('vecdot', 'strided', [stridedView(dtype, 396, 6, 4), v(4, 397)]);
    add('vecdot', 'empty', [m([0, 3], 398), v(3, 399)]);

    // ---- solve with broadcast batches
    const stack = m([2, 3, 4, 4], 50);
    add('solve', 'broadcast-b-vector', [stack, v(4, 51)]);
    add('solve', 'broadcast-b-matrix', [stack, m([1, 3, 4, 2], 52)]);
    add('solve', 'broadcast-a', [m([4, 4], 53), m([2, 4, 3], 54)]);

    // ---- vector norms
    const vec = v(11, 60);
    for (const ord of [0, 1, 2, 3, 0.5, -1, Infinity, -Infinity]) add('norm', `vector11`, [vec], { ord });
    const cube = m([3, 4, 5], 61);
    add('norm', 'cube', [cube]);
    add('norm', 'cube', [cube], { axis: 1 });
    add('norm', 'cube', [cube], { axis: -1, ord: 1, keepdims: true });
    add('norm', 'cube', [cube], { axis: [2, 0], ord: 'fro' });
    add('norm', 'cube', [cube], { axis: [0, 2], ord: Infinity, keepdims: true });
    add('norm', 'cube', [cube], { axis: [1, 2], ord: 2 });
    add('norm', 'empty-vector', [v(0, 62)], { ord: Infinity });
    for (const ord of [0, 1, 2, 3, 0.5, -1, Infinity, -Infinity]) add('vectorNorm', 'vector11', [vec], { ord });
    add('vectorNorm', 'cube', [cube]);
    add('vectorNorm', 'cube', [cube], { axis: 1 });
    add('vectorNorm', 'cube', [cube], { axis: [2, 0], ord: 1 });
    add('vectorNorm', 'cube', [cube], { axis: [0, 1, 2], ord: Infinity, keepdims: true });
    add('vectorNorm', 'cube', [cube], { axis: -1, ord: 3, keepdims: true });
    add('vectorNorm', 'cube', [cube], { keepdims: true });
    add('vectorNorm', 'scalar0d', [fill([], dtype, 63)]);
    add('vectorNorm', 'empty', [m([0, 3], 64)], { ord: 1 });
  }
  return out;
}

/** The registry's entry for a case's function: `'qr'` is linalg's, `'top.zeros'` the top level's. */
export function opOf(c: Case): OpEntry {
  return (c.fn.startsWith('top.') ? opNamed(c.fn.slice(4)) : opNamed(`linalg.${c.fn}`))!;
}

/** `args` with `options` where `op` takes them: its last parameter (optional ones before it left undefined). */
export function withOptions(op: OpEntry, args: readonly unknown[], options: unknown): unknown[] {
  if (!op.options) return [...args];
  return [...args, ...new Array<undefined>(Math.max(0, op.arity - 1 - args.length)), options];
}

/**
 * Runs a case's function on `args` (the case's own by default), sync or
 * async: the one way the identities, the oracle and their variants call a
 * case. luSolve and choSolve take the factor of their first argument, as
 * scipy's pairs are used.
 */
export function runCase(c: Case, { async = false, args = c.args }: { async?: boolean; args?: unknown[] } = {}): unknown {
  const [a, b] = args;
  if (c.fn === 'luSolve') {
    return async
      ? linalg.luFactorAsync(a as NDArray).then((f) => linalg.luSolveAsync(f, b as NDArray, c.options))
      : linalg.luSolve(linalg.luFactor(a as NDArray), b as NDArray, c.options);
  }
  if (c.fn === 'choSolve') {
    return async
      ? linalg.choFactorAsync(a as NDArray).then((f) => linalg.choSolveAsync(f, b as NDArray))
      : linalg.choSolve(linalg.choFactor(a as NDArray), b as NDArray);
  }
  const op = opOf(c);
  return (async ? op.async : op.sync)(...withOptions(op, args, c.options));
}
