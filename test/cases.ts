// The shared case table: every linalg function × dtype × input kind
// (0-size, 1×1, square, tall, wide, stacked, strided and negative-stride
// views, rank-deficient, singular, ill-conditioned, symmetric, SPD, NaN/Inf).
// test/22-identities checks each case by mathematical identities and
// sync/async/stacked/strided agreement; test/23-numpy-oracle checks the same
// cases against numpy.
import { NDArray, array, linalg } from '../lib/index.js';
import type { DType, LinAlgErrorCode } from '../lib/index.js';
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
  /** The LinAlgError weft must throw, when the input calls for one. */
  error?: LinAlgErrorCode;
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
    const add = (fn: string, input: Input | string, args: unknown[], options?: Record<string, unknown>, error?: LinAlgErrorCode) => {
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
      });
    };
    for (const input of all) {
      const a = input.value;
      const finite = !input.tags.has('nonfinite');
      const square = input.tags.has('square');
      // ---- any matrix
      for (const mode of ['reduced', 'complete', 'r', 'raw']) add('qr', input, [a], { mode });
      add('transpose', input, [a]);
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
    // ---- unary math (the top level): small (JS) and large (native), views, 0-d, empty, NaN/Inf/subnormals
    const unaryOps = ['negative', 'abs', 'sign', 'sqrt', 'square', 'reciprocal', 'exp', 'expm1', 'exp2', 'log', 'log1p', 'log2', 'log10',
      'sin', 'cos', 'tan', 'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'tanh', 'floor', 'ceil', 'round'];
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
