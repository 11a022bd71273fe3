/**
 * Measures of matrices and vectors: det, slogdet, norm, cond, trace,
 * matrixRank; and diagonal, the view trace sums.
 *
 * @module
 */
import { describe, typeError } from '../errors.js';
import { Complex64Data, NDArray, isComplexData, toView } from '../ndarray.js';
import type { ArrayInput, FloatArray, View } from '../ndarray.js';
import { nativeCall, retain, step } from '../internal/dispatch.js';
import { anyInteger, flag, number, readOptions } from '../internal/options.js';
import { code } from '../internal/codes.js';
import type { CodeName } from '../internal/codes.js';
import type { Program } from '../internal/dispatch.js';
import { asyncOf, defineOp } from '../internal/registry.js';
import type { FloatOp, FloatOpAsync, RealOp, RealOpAsync, TakesOptions } from '../internal/registry.js';
import type { OpCall } from '../internal/registry.js';
import { diagonal as diagonalView, normalizeAxis, permute, sizeOf } from '../internal/shape.js';
import { out, requireMatrices, requireSquare, resultEps, viewOf } from './common.js';
import { singularValues } from './decompositions.js';
import { inverseProgram } from './solvers.js';
import { detJs, detSmall, tinyOr, tinySolve } from '../internal/tiny.js';



/** Reduces the last `axes` axes of `view`; the result keeps the leading axes. */
function* reduce(view: View, axes: number, kind: CodeName<'Reduce'>, p = 0): Program<NDArray> {
  const raw = yield* step(nativeCall('reduce', [view], axes, code('Reduce', kind), p));
  return out(raw, view.shape.slice(0, view.shape.length - axes));
}


// ---------------------------------------------------------------- det, slogdet

function* detProgram({ fn }: OpCall, a: ArrayInput): Program<NDArray> {
  const va = toView(a, fn, 'a', { complex: true });
  requireSquare(fn, va, 'a');
  const call = nativeCall('det', [va], false);
  const complex = isComplexData(va.data);
  return out(yield* step(!complex && tinySolve(va) ? tinyOr(call, () => detJs(va)) : call), va.shape.slice(0, -2), complex);
}

/**
 * Determinant of a square matrix, or of each in a stack (LU via `?getrf`,
 * as numpy: sign · exp(Σ log|uᵢᵢ|)); complex input gives a complex
 * determinant, its sign the product of the pivots' phases uᵢᵢ/|uᵢᵢ|. A single matrix gives a 0-d array:
 * `.item()` is the number. A singular matrix gives 0. With NaN or ±Infinity
 * the result is what LU of `a` itself gives, as in numpy — usually NaN or
 * ±Infinity, but it depends on where the Infinity sits:
 * `[[1, Infinity], [0, 1]]` gives NaN, its transpose 0. Where oneMKL's LU
 * meets Infinity − Infinity and numpy's OpenBLAS does not, weft gives NaN
 * where numpy gives ±Infinity (44 of 366 matrices of 2×2 to 4×4 with one or
 * two infinite entries), and with NaN the pivots beside it are the BLAS's
 * choice (numpy calls `[[NaN, 1], [1, 1]]` singular: 0; weft gives NaN).
 *
 * Precision: for a single finite matrix of at most 8×8 the determinant is
 * the product of the pivots of weft's own LU (as {@link solve}'s), sign
 * applied — in JS for a sync call and in C++ for an async one, bit for bit
 * the same, and so is each finite item of a stack of such matrices —
 * unless that product overflows or underflows to 0 (then sign · exp(Σ
 * log|uᵢᵢ|), as numpy computes every det; {@link slogdet} always so).
 *
 * @throws LinAlgError `ERR_NOT_SQUARE`; RangeError for fewer than two axes.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * linalg.det([[1, 2], [3, 4]]).item();                     // -2
 * linalg.det([[[2, 0], [0, 2]], [[1, 1], [1, 1]]]).toArray(); // [4, 0]
 * ```
 */
export const det = defineOp('linalg.det', detProgram, { small: detSmall }) as FloatOp<typeof detProgram>;
export const detAsync = asyncOf(det) as FloatOpAsync<typeof detProgram, false>;

/** What {@link slogdet} returns: `det = sign · exp(logabsdet)`. */
export interface SlogdetResult {
  /** 1, -1, or 0 for a singular matrix; for complex input a complex number of modulus 1 (or 0), as numpy. */
  sign: NDArray;
  /** Natural log of |det| (-Infinity for a singular matrix). */
  logabsdet: NDArray;
}

function* slogdetProgram({ fn }: OpCall, a: ArrayInput): Program<SlogdetResult> {
  const va = toView(a, fn, 'a', { complex: true });
  requireSquare(fn, va, 'a');
  const batch = va.shape.slice(0, -2);
  const [sign, logabsdet] = (yield* step(nativeCall('det', [va], true))) as FloatArray[];
  // numpy: a complex matrix's sign is complex (|sign| = 1, or 0), its logabsdet real.
  return { sign: out(sign, batch, isComplexData(va.data)), logabsdet: out(logabsdet, batch.slice()) };
}

/**
 * Sign and log of the absolute determinant (numpy's `slogdet`, LU via
 * `?getrf`): the determinant without overflow for large matrices. For
 * complex input, as numpy: `sign` is complex with |sign| = 1 (0 when
 * singular) and `logabsdet` real (float64, or float32 for complex64). NaN and
 * ±Infinity as in {@link det}: with NaN, logabsdet is NaN and the sign
 * follows the BLAS's pivots.
 *
 * @throws LinAlgError `ERR_NOT_SQUARE`; RangeError for fewer than two axes.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * const { sign, logabsdet } = linalg.slogdet([[1, 2], [3, 4]]);
 * sign.item();      // -1
 * logabsdet.item(); // 0.6931471805599455
 * linalg.slogdet([[{ re: 0, im: 2 }]]).sign.item(); // { re: 0, im: 1 }
 * ```
 */
export const slogdet = defineOp('linalg.slogdet', slogdetProgram);
export const slogdetAsync = asyncOf(slogdet);

// ---------------------------------------------------------------- trace

/** The `offset` diagonal of `x`'s last two axes, as a view: what diagonal returns and trace sums. */
function diagonalOf({ fn, async }: OpCall, x: ArrayInput, options: { offset?: number } | undefined): View {
  const { offset } = readOptions(fn, options, { offset: anyInteger(0) }, async);
  const vx = toView(x, fn, 'x', { complex: true });
  requireMatrices(fn, vx, 'x');
  return diagonalView(vx, offset);
}

function* traceProgram(call: OpCall, x: ArrayInput, options?: { offset?: number }): Program<NDArray> {
  const d = diagonalOf(call, x, options);
  if (!isComplexData(d.data)) return yield* reduce(d, 1, 'sum');
  // A complex sum adds the real and the imaginary parts apart: the diagonal
  // read as reals, [..., 2, k] (parts, then elements), summed over k in one
  // native call gives the (re, im) pairs of the result.
  const raw = d.data;
  const data = raw instanceof Complex64Data ? new Float32Array(raw.buffer, raw.byteOffset, raw.length) : new Float64Array(raw.buffer, raw.byteOffset, raw.length);
  const nd = d.shape.length;
  const parts: View = {
    data,
    shape: [...d.shape.slice(0, nd - 1), 2, d.shape[nd - 1]!],
    strides: [...d.strides.slice(0, nd - 1).map((s) => 2 * s), 1, 2 * d.strides[nd - 1]!],
    offset: 2 * d.offset,
  };
  const sums = yield* reduce(parts, 1, 'sum');
  return out(sums.data, d.shape.slice(0, nd - 1), true);
}

/**
 * Sum along the diagonal of the last two axes (numpy's `linalg.trace`); with
 * `offset`, along a diagonal above (> 0) or below (< 0) the main one. A
 * native reduction over a strided diagonal view (no BLAS call, no copy);
 * complex input sums its real and imaginary parts so.
 *
 * @throws RangeError for fewer than two axes; TypeError for a non-integer offset.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * linalg.trace([[1, 2], [3, 4]]).item();              // 5
 * linalg.trace([[1, 2], [3, 4]], { offset: 1 }).item(); // 2
 * ```
 */
export const trace = defineOp('linalg.trace', traceProgram, { options: true }) as FloatOp<typeof traceProgram> & TakesOptions;
export const traceAsync = asyncOf(trace) as FloatOpAsync<typeof traceProgram, true>;

// ---------------------------------------------------------------- diagonal

// A program without a native call (the result is a view), as transpose.
// eslint-disable-next-line require-yield
function* diagonalProgram(call: OpCall, x: ArrayInput, options?: { offset?: number }): Program<NDArray> {
  const d = diagonalOf(call, x, options);
  return new NDArray(d.data as FloatArray, d.shape, d.strides, d.offset);
}

/**
 * The diagonal of the last two axes (numpy's `linalg.diagonal`), as a view
 * that shares `x`'s memory (no copy); with `offset`, a diagonal above (> 0)
 * or below (< 0) the main one. A stack `[..., m, n]` gives `[..., k]`, k the
 * diagonal's length (0 when `offset` lies outside the matrix). Unlike
 * numpy's, which is read-only, the view is writable: writing to it writes
 * into `x` (as `linalg.transpose`'s does).
 *
 * @param x Matrix or stack, shape `[..., m, n]`.
 * @param options `{ offset }`: an integer, default 0.
 * @throws RangeError for fewer than two axes; TypeError for a non-integer offset.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * const a = linalg.matmul([[1, 2], [3, 4]], [[1, 0], [0, 1]]);
 * linalg.diagonal(a).toArray();                 // [1, 4]
 * linalg.diagonal(a, { offset: -1 }).toArray(); // [3]
 * linalg.diagonal([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]).toArray(); // [[1, 4], [5, 8]]
 * a.data[0] = 9;
 * linalg.diagonal(a).get(0);                    // 9
 * ```
 */
export const diagonal = defineOp('linalg.diagonal', diagonalProgram, { options: true, view: true });
export const diagonalAsync = asyncOf(diagonal);

// ---------------------------------------------------------------- norm

/** Norm orders: a number (vectors: any; matrices: 1, -1, 2, -2, ±Infinity) or `'fro'`/`'nuc'` (matrices). */
export type NormOrder = number | 'fro' | 'nuc';

/** Options of {@link norm}. */
export interface NormOptions {
  /** The norm (numpy's `ord`); default: 2-norm for vectors, Frobenius for matrices. */
  ord?: NormOrder | null;
  /** The axis of vector norms, or two axes `[row, col]` of matrix norms; default all axes. */
  axis?: number | [number, number] | null;
  /** Keep the reduced axes as length 1. */
  keepdims?: boolean;
}

function readOrd(value: unknown, fn: string, name: string): NormOrder | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === 'fro' || value === 'nuc' || (typeof value === 'number' && !Number.isNaN(value))) return value;
  throw typeError(fn, name, "a number, 'fro' or 'nuc'", value);
}

function readAxis(value: unknown, fn: string, name: string): number | number[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  if (Array.isArray(value) && (value.length === 1 || value.length === 2) && value.every((v) => typeof v === 'number')) {
    return value as number[];
  }
  throw typeError(fn, name, 'an axis or an array of one or two axes', value);
}

function emptyNorm(fn: string, ord: number, what: string, shape: readonly number[]): RangeError {
  return new RangeError(`${fn}: the ${describe(ord)} norm of ${what} (shape ${describe(shape)}) is undefined`);
}

function* matrixNorm(fn: string, v: View, ord: NormOrder | undefined, batchAxes: number): Program<NDArray> {
  const nd = v.shape.length;
  const rows = v.shape[nd - 2]!;
  const cols = v.shape[nd - 1]!;
  // numpy: the max-type norms of an empty matrix are 0. -1 and -Infinity are
  // the smallest column and row sum: 0 while there are any (all are 0),
  // undefined without; -2 has no singular value to take.
  if (ord === -1 && cols === 0) throw emptyNorm(fn, ord, 'a matrix without columns', v.shape);
  if (ord === -Infinity && rows === 0) throw emptyNorm(fn, ord, 'a matrix without rows', v.shape);
  if (ord === -2 && rows * cols === 0) throw emptyNorm(fn, ord, 'an empty matrix', v.shape);
  switch (ord) {
    case undefined:
    case 'fro':
      return yield* reduce(v, 2, 'l2');
    case 'nuc':
    case 2:
    case -2: {
      const s = yield* singularValues(fn, v);
      return yield* reduce(viewOf(s), 1, ord === 'nuc' ? 'sum' : ord === 2 ? 'max' : 'min');
    }
    case 1:
    case -1:
    case Infinity:
    case -Infinity: {
      // 1: the largest column sum of |x|; Infinity: the largest row sum.
      const sumAxis = Math.abs(ord) === 1 ? permute(v, [...Array.from({ length: batchAxes }, (_, i) => i), nd - 1, nd - 2]) : v;
      const sums = yield* reduce(sumAxis, 1, 'l1');
      return yield* reduce(viewOf(sums), 1, ord > 0 ? 'max' : 'min');
    }
    default:
      throw new RangeError(`${fn}: invalid norm order ${describe(ord)} for matrices (use 1, -1, 2, -2, Infinity, -Infinity, 'fro' or 'nuc')`);
  }
}

function* normProgram({ fn, async }: OpCall, x: ArrayInput, options?: NormOptions): Program<NDArray> {
  const opts = readOptions(fn, options, { ord: readOrd, axis: readAxis, keepdims: flag(false) }, async);
  const vx = toView(x, fn, 'x', { complex: true });
  const nd = vx.shape.length;
  const { ord, keepdims } = opts;
  let axes: number[];
  if (opts.axis === undefined) {
    if (ord === undefined || (ord === 'fro' && nd === 2) || (ord === 2 && nd === 1)) {
      // numpy: the 2-norm of everything, flattened.
      const all = yield* reduce(vx, nd, 'l2');
      return keepdims ? out(all.data, new Array(nd).fill(1)) : all;
    }
    axes = Array.from({ length: nd }, (_, i) => i);
  } else {
    const list = typeof opts.axis === 'number' ? [opts.axis] : opts.axis;
    axes = list.map((a, i) => normalizeAxis(fn, typeof opts.axis === 'number' ? 'options.axis' : `options.axis[${i}]`, a, nd));
    if (axes.length === 2 && axes[0] === axes[1]) throw new RangeError(`${fn}: options.axis repeats axis ${axes[0]}`);
  }
  if (axes.length !== 1 && axes.length !== 2) {
    throw new RangeError(`${fn}: a norm needs one axis (vector) or two (matrix), but x has ${nd} and no axis was given`);
  }
  const rest = Array.from({ length: nd }, (_, i) => i).filter((i) => !axes.includes(i));
  const moved = permute(vx, [...rest, ...axes]);
  let result: NDArray;
  if (axes.length === 1) {
    if (typeof ord === 'string') throw new RangeError(`${fn}: invalid norm order '${ord}' for vectors`);
    const p = ord ?? 2;
    if (p === -Infinity && moved.shape[moved.shape.length - 1] === 0) {
      throw new RangeError(`${fn}: the ${p}-norm of an empty vector is undefined`);
    }
    const kind = p === Infinity ? 'maxAbs' : p === -Infinity ? 'minAbs' : p === 0 ? 'countNonzero'
      : p === 1 ? 'l1' : p === 2 ? 'l2' : 'lp';
    result = yield* reduce(moved, 1, kind, p);
  } else {
    result = yield* matrixNorm(fn, moved, ord, rest.length);
  }
  if (!keepdims) return result;
  const shape = vx.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  return out(result.data, shape);
}

/**
 * numpy's `linalg.norm`. Vector norms (`axis` a number, or a 1-D `x`): `ord`
 * any number — 2 (default), 1, Infinity (max |x|), -Infinity (min |x|), 0
 * (count of non-zeros), or p (Σ|x|^p)^(1/p). Matrix norms (`axis` two axes,
 * or a 2-D `x`): `'fro'` (default), `'nuc'` (sum of singular values), 1/-1
 * (max/min column sum), Infinity/-Infinity (max/min row sum), 2/-2
 * (largest/smallest singular value). Without `ord` or `axis`, the 2-norm of
 * all elements. Native reductions accumulated in float64 (deterministic, in
 * parallel across the arena); 2/-2/'nuc' use `?gesdd` singular values. As
 * in numpy 2, the max-type norms of empty input are 0, and so are -1 of a
 * matrix with no rows and -Infinity of one with no columns (the smallest of
 * its column or row sums, all 0). Complex `x`: every norm reads |z| (and
 * 'fro' and 2 sum re² + im²), so the result is real, float32 for
 * complex64.
 *
 * @throws RangeError for an order that does not apply, axes out of range,
 *   or a norm with nothing to take the smallest of (numpy's ValueError): -1
 *   without columns, -Infinity without rows, -2 of an empty matrix, or the
 *   -Infinity norm of an empty vector.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * linalg.norm([3, 4]).item();                                    // 5
 * linalg.norm([[1, 2], [3, 4]], { ord: 1 }).item();              // 6
 * linalg.norm([[1, 2], [3, 4]], { ord: Infinity }).item();       // 7
 * linalg.norm([[3, 4], [6, 8]], { axis: 1 }).toArray();          // [5, 10]
 * linalg.norm([{ re: 3, im: 4 }, { re: 0, im: 12 }]).item();    // 13
 * ```
 */
export const norm = defineOp('linalg.norm', normProgram, { options: true }) as RealOp<typeof normProgram> & TakesOptions;
export const normAsync = asyncOf(norm) as RealOpAsync<typeof normProgram, true>;

// ---------------------------------------------------------------- cond

function* condProgram({ fn, async }: OpCall, x: ArrayInput, options?: { p?: NormOrder | null }): Program<NDArray> {
  const { p } = readOptions(fn, options, { p: readOrd }, async);
  const given = toView(x, fn, 'x', { complex: true });
  requireMatrices(fn, given, 'x');
  const nd = given.shape.length;
  if (given.shape[nd - 1] === 0 || given.shape[nd - 2] === 0) {
    throw new RangeError(`${fn}: cond is not defined on empty matrices (x.shape ${describe(given.shape)})`);
  }
  // x is read again after the first step (norms, the NaN check).
  const vx = (yield* retain(given))[0]!;
  let r: NDArray;
  if (p === undefined || p === 2 || p === -2) {
    const s = yield* singularValues(fn, vx);
    const k = s.shape[s.shape.length - 1]!;
    const data = s.data instanceof Float32Array ? new Float32Array(s.size / k) : new Float64Array(s.size / k);
    for (let i = 0; i < data.length; i++) {
      const first = s.data[i * k]!;
      const last = s.data[i * k + k - 1]!;
      data[i] = p === -2 ? last / first : first / last;
    }
    r = out(data, s.shape.slice(0, -1));
  } else {
    requireSquare(fn, vx, 'x');
    const inverse = yield* inverseProgram(fn, vx, true);
    const pair = (yield* matrixNorm(fn, vx, p, nd - 2)).data;
    const invNorm = (yield* matrixNorm(fn, viewOf(inverse), p, nd - 2)).data;
    const data = pair instanceof Float32Array ? new Float32Array(pair.length) : new Float64Array(pair.length);
    for (let i = 0; i < data.length; i++) data[i] = pair[i]! * invNorm[i]!;
    r = out(data, vx.shape.slice(0, -2));
  }
  // numpy: NaN from a singular matrix reads as Infinity, unless x itself had NaN.
  const values = r.data as FloatArray;
  if (values.some(Number.isNaN)) {
    const largest = (yield* reduce(vx, 2, 'maxAbs')).data;
    for (let i = 0; i < values.length; i++) {
      if (Number.isNaN(values[i]!) && !Number.isNaN(largest[i]!)) values[i] = Infinity;
    }
  }
  return r;
}

/**
 * Condition number (numpy's `cond`): with `p` undefined, 2 or -2 the ratio
 * of the largest to the smallest singular value (or the reverse); with 'fro',
 * 'nuc', 1, -1, Infinity or -Infinity, `norm(x, p) · norm(inv(x), p)`
 * (`?gesdd`, or `?getrf` + `?getri` and norms). Singular matrices give
 * Infinity (or a huge number: the smallest singular value is zero only up to
 * rounding). Complex `x` gives a real result, as numpy. With ±Infinity
 * in `x`, the norm-based orders follow
 * {@link inv} as numpy's do: usually Infinity, but 0 for p = -1 or
 * -Infinity where the inverse is a finite limit with a zero column or row.
 *
 * @throws RangeError for an empty matrix or fewer than two axes; LinAlgError
 *   `ERR_NO_CONVERGENCE` for NaN/Inf with p undefined, 2, -2 or 'nuc' (from
 *   the SVD; numpy gives NaN or Infinity), `ERR_NOT_SQUARE` (for p other than
 *   undefined/2/-2).
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * linalg.cond([[1, 0], [0, 100]]).item();           // 100
 * linalg.cond([[1, 0], [0, 100]], { p: 1 }).item(); // 100
 * linalg.cond([[1, 1], [1, 1]]).item() > 1e15;      // true
 * ```
 */
export const cond = defineOp('linalg.cond', condProgram, { options: true });
export const condAsync = asyncOf(cond);

// ---------------------------------------------------------------- matrixRank

/** Options of {@link matrixRank}. */
export interface MatrixRankOptions {
  /** Absolute threshold: singular values above it count. Default from `rtol`. */
  tol?: number;
  /** Relative threshold: `rtol · max(s)`; default machine epsilon × max(m, n). Not with `tol`. */
  rtol?: number;
  /** `a` is symmetric: use |eigenvalues| (cheaper) instead of singular values. */
  hermitian?: boolean;
}

function* matrixRankProgram({ fn, async }: OpCall, a: ArrayInput, options?: MatrixRankOptions): Program<NDArray> {
  const opts = readOptions(fn, options, { tol: number(undefined), rtol: number(undefined), hermitian: flag(false) }, async);
  if (opts.tol !== undefined && opts.rtol !== undefined) {
    throw typeError(fn, 'options.rtol', 'unset when options.tol is set (numpy refuses both)', opts.rtol);
  }
  const va = toView(a, fn, 'a', { complex: true });
  const nd = va.shape.length;
  if (nd < 2) {
    // numpy: a vector (or scalar) has rank 1 unless it is all zeros.
    const nonzero = (yield* reduce(va, nd, 'countNonzero')).item();
    return out(new Float64Array([nonzero > 0 ? 1 : 0]), []);
  }
  let s: NDArray;
  if (opts.hermitian) {
    requireSquare(fn, va, 'a');
    const w = out(yield* step(nativeCall('eigh', [va], true, false)), va.shape.slice(0, -1));
    s = out(w.data.map(Math.abs), w.shape.slice());
  } else {
    s = yield* singularValues(fn, va);
  }
  const k = s.shape[s.shape.length - 1]!;
  const items = k === 0 ? sizeOf(s.shape.slice(0, -1)) : s.size / k;
  const eps = resultEps(s);
  const rtol = opts.rtol ?? eps * Math.max(va.shape[nd - 1]!, va.shape[nd - 2]!);
  const ranks = new Float64Array(items);
  for (let i = 0; i < items; i++) {
    let largest = 0;
    for (let j = 0; j < k; j++) largest = Math.max(largest, s.data[i * k + j]!);
    const tol = opts.tol ?? largest * rtol;
    for (let j = 0; j < k; j++) if (s.data[i * k + j]! > tol) ranks[i]! += 1;
  }
  return out(ranks, s.shape.slice(0, -1));
}

/**
 * Rank of a matrix or of each in a stack (numpy's `matrix_rank`): the number
 * of singular values above `tol` (default `max(s) · max(m, n) · eps`), from
 * `?gesdd` (or `?syevd` with `hermitian`; complex input: `?zgesdd`/`?zheevd`
 * and the complex64 routines). For a 1-D input, 1 unless it is all zeros.
 *
 * @throws LinAlgError `ERR_NO_CONVERGENCE` for NaN/Inf (numpy returns 0 for a
 *   matrix with Inf: a silent wrong answer weft refuses); TypeError when both
 *   `tol` and `rtol` are given (as numpy).
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * linalg.matrixRank([[1, 2], [2, 4]]).item(); // 1
 * linalg.matrixRank([[1, 0], [0, 1]]).item(); // 2
 * ```
 */
export const matrixRank = defineOp('linalg.matrixRank', matrixRankProgram, { options: true });
export const matrixRankAsync = asyncOf(matrixRank);
