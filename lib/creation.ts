/**
 * Array creation, as numpy's: zeros, ones, full, eye, identity, arange,
 * linspace, diag, asarray, zerosLike, onesLike, fullLike, copy. Each is an
 * op with an `…Async` twin like every other (so a Pool can run it); the
 * work is a fill in JS on the calling thread, so the twin only settles on a
 * later turn.
 *
 * @module
 */
import { typeError } from './errors.js';
import { NDArray, allocateElements, castElements, copyElements, declaredFloat, dtypeOf, isComplexData, toView } from './ndarray.js';
import type { ArrayInput, Complex, ComplexDType, DType, ElementArray, FloatArray, FloatDType, View } from './ndarray.js';
import { isComplexScalar } from './internal/complex.js';
import type { Program } from './internal/dispatch.js';
import { anyInteger, flag, integer, number, oneOf, readOptions, shapeArgument } from './internal/options.js';
import { asyncOf, defineOp } from './internal/registry.js';
import type { OpCall } from './internal/registry.js';
import type { OptionReader } from './internal/options.js';

/** The dtype option of the creation functions. */
export interface DTypeOptions {
  /** `'float64'` (default) or `'float32'`; zeros, ones, full, eye and identity also take `'complex128'` and `'complex64'`. */
  dtype?: FloatDType | ComplexDType;
}

/** The dtype option of asarray and the `…Like` functions, which keep the input's dtype by default. */
export interface LikeOptions {
  /** `'float64'`, `'float32'`, `'complex128'`, `'complex64'` or `'bool'`; default, the input's. */
  dtype?: DType;
}

const dtypeOption = (fallback: FloatDType) => oneOf(['float64', 'float32'] as const, fallback);
/** The dtype option of zeros, ones, full, eye and identity, which also make complex arrays. */
const anyDtypeOption = <F extends FloatDType | undefined>(fallback: F): OptionReader<FloatDType | ComplexDType | F> => {
  const read = oneOf<FloatDType | ComplexDType>(['float64', 'float32', 'complex128', 'complex64'], 'float64');
  return (value, fn, name) => (value === undefined ? fallback : read(value, fn, name));
};
/** A dtype, or undefined: the `…Like` functions and asarray then keep the input's. */
const maybeDtype: OptionReader<DType | undefined> = (value, fn, name) =>
  value === undefined ? undefined : oneOf(['float64', 'float32', 'complex128', 'complex64', 'bool'] as const, 'float64')(value, fn, name);

/**
 * A zero-filled contiguous array: the one place creation allocates, so a
 * size no typed array can hold is weft's RangeError naming the function,
 * not the engine's "Invalid typed array length".
 */
function allocate(fn: string, shape: readonly number[], dtype: DType): NDArray {
  // A bool result is typed as the float NDArray the creation functions declare; its dtype says bool.
  const data = allocateElements(dtype, shape.reduce((p, d) => p * d, 1), fn) as FloatArray;
  return NDArray.fromContiguous(data, shape.slice());
}

/** A fill value: any number, NaN and ±Infinity included (numpy's full), or a `{ re, im }` for a complex array. */
function fillNumber(fn: string, value: unknown): number | Complex {
  if (typeof value !== 'number' && !isComplexScalar(value)) throw typeError(fn, 'fillValue', 'a number or a { re, im } of numbers', value);
  return value;
}

/**
 * Every element of `out` set to `value`: both parts of a complex one. A
 * complex value into a real array is a TypeError (numpy would drop the
 * imaginary part with a warning).
 */
function fillWith(fn: string, out: NDArray, value: number | Complex): void {
  const data = out.data as ElementArray;
  if (isComplexData(data)) {
    const [re, im] = typeof value === 'number' ? [value, 0] : [value.re, value.im];
    for (let i = 0; i < data.length; i += 2) {
      data[i] = re;
      data[i + 1] = im;
    }
    return;
  }
  if (typeof value !== 'number') throw new TypeError(`${fn}: a complex fillValue needs a complex dtype, but the result's dtype is ${out.dtype}`);
  data.fill((out as NDArray<DType>).dtype === 'bool' ? (value !== 0 ? 1 : 0) : value);
}

/** Sets element `i` (row-major) of contiguous `out` to 1 (1 + 0j for complex). */
function setOne(out: NDArray, i: number): void {
  out.data[isComplexData(out.data) ? 2 * i : i] = 1;
}

/** The dtype a `…Like` result takes: the option, else the input's (float64 for converted input). */
const likeDtype = (view: View, given: DType | undefined): DType => given ?? (dtypeOf(view.data) as DType);

// ---------------------------------------------------------------- zeros, ones, full

// Programs without a native call: the work is a fill on the calling thread.
/* eslint-disable require-yield */

function* zerosProgram({ fn, async }: OpCall, shape: number | readonly number[], options?: DTypeOptions): Program<NDArray> {
  const { dtype } = readOptions(fn, options, { dtype: anyDtypeOption('float64') }, async);
  return allocate(fn, shapeArgument(fn, 'shape', shape), dtype);
}

function* onesProgram({ fn, async }: OpCall, shape: number | readonly number[], options?: DTypeOptions): Program<NDArray> {
  const { dtype } = readOptions(fn, options, { dtype: anyDtypeOption('float64') }, async);
  const out = allocate(fn, shapeArgument(fn, 'shape', shape), dtype);
  fillWith(fn, out, 1);
  return out;
}

function* fullProgram({ fn, async }: OpCall, shape: number | readonly number[], fillValue: number | Complex, options?: DTypeOptions): Program<NDArray> {
  const { dtype } = readOptions(fn, options, { dtype: anyDtypeOption(undefined) }, async);
  const dims = shapeArgument(fn, 'shape', shape);
  const value = fillNumber(fn, fillValue);
  // numpy: without a dtype, the fill value's (a Python complex makes complex128).
  const out = allocate(fn, dims, dtype ?? (typeof value === 'number' ? 'float64' : 'complex128'));
  fillWith(fn, out, value);
  return out;
}

/**
 * A new array of zeros (numpy's `zeros`).
 *
 * @param shape The shape, or one length.
 * @param options `{ dtype }`: `'float64'` (default) or `'float32'`.
 * @throws TypeError for a bad shape or dtype; RangeError when the array cannot be allocated.
 * @example
 * ```ts
 * import { zeros } from 'weft';
 * zeros([2, 3]).toArray();                  // [[0, 0, 0], [0, 0, 0]]
 * zeros(2, { dtype: 'float32' }).dtype;     // 'float32'
 * ```
 */
export const zeros = defineOp('zeros', zerosProgram, { options: true });
export const zerosAsync = asyncOf(zeros);

/**
 * A new array of ones (numpy's `ones`).
 *
 * @param shape The shape, or one length.
 * @param options `{ dtype }`.
 * @example
 * ```ts
 * import { ones } from 'weft';
 * ones([2, 2]).toArray(); // [[1, 1], [1, 1]]
 * ```
 */
export const ones = defineOp('ones', onesProgram, { options: true });
export const onesAsync = asyncOf(ones);

/**
 * A new array with every element `fillValue` (numpy's `full`); in float32
 * the value is rounded to float32.
 *
 * @param shape The shape, or one length.
 * @param fillValue The value (NaN and ±Infinity allowed).
 * @param options `{ dtype }`.
 * @example
 * ```ts
 * import { full } from 'weft';
 * full([2], 7).toArray();        // [7, 7]
 * Number.isNaN(full(2, NaN).get(1)); // true
 * ```
 */
export const full = defineOp('full', fullProgram, { options: true });
export const fullAsync = asyncOf(full);

// ---------------------------------------------------------------- eye, identity

/** Options of {@link eye}. */
export interface EyeOptions extends DTypeOptions {
  /** Columns; default `n`. */
  m?: number;
  /** The diagonal: 0 (default) the main one, > 0 above it, < 0 below. */
  k?: number;
}

function* eyeProgram({ fn, async }: OpCall, n: number, options?: EyeOptions): Program<NDArray> {
  const opts = readOptions(fn, options, { m: integer(0, 2 ** 31 - 1, undefined), k: anyInteger(0), dtype: anyDtypeOption('float64') }, async);
  const rows = integer(0, 2 ** 31 - 1)(n, fn, 'n');
  const cols = opts.m ?? rows;
  const out = allocate(fn, [rows, cols], opts.dtype);
  for (let i = Math.max(0, -opts.k); i < rows && i + opts.k < cols; i++) setOne(out, i * cols + i + opts.k);
  return out;
}

function* identityProgram({ fn, async }: OpCall, n: number, options?: DTypeOptions): Program<NDArray> {
  const { dtype } = readOptions(fn, options, { dtype: anyDtypeOption('float64') }, async);
  const size = integer(0, 2 ** 31 - 1)(n, fn, 'n');
  const out = allocate(fn, [size, size], dtype);
  for (let i = 0; i < size; i++) setOne(out, i * size + i);
  return out;
}

/**
 * A 2-D array with ones on a diagonal and zeros elsewhere (numpy's `eye`):
 * `n` rows, `m` columns, the `k`-th diagonal.
 *
 * @param n Rows.
 * @param options `{ m, k, dtype }`.
 * @example
 * ```ts
 * import { eye } from 'weft';
 * eye(2).toArray();                   // [[1, 0], [0, 1]]
 * eye(2, { m: 3, k: 1 }).toArray();   // [[0, 1, 0], [0, 0, 1]]
 * ```
 */
export const eye = defineOp('eye', eyeProgram, { options: true });
export const eyeAsync = asyncOf(eye);

/**
 * The `n`×`n` identity matrix (numpy's `identity`).
 *
 * @param n Rows and columns.
 * @param options `{ dtype }`.
 * @example
 * ```ts
 * import { identity } from 'weft';
 * identity(3).get(2, 2); // 1
 * ```
 */
export const identity = defineOp('identity', identityProgram, { options: true });
export const identityAsync = asyncOf(identity);

// ---------------------------------------------------------------- arange, linspace

function* arangeProgram({ fn, async }: OpCall, start: number, stop?: number, step?: number, options?: DTypeOptions): Program<NDArray> {
  const { dtype } = readOptions(fn, options, { dtype: dtypeOption('float64') }, async);
  const finite = (v: unknown, name: string): number => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw typeError(fn, name, 'a finite number', v);
    return v;
  };
  // numpy: arange(stop) or arange(start, stop[, step]).
  const [first, last] = stop === undefined ? [0, finite(start, 'start')] : [finite(start, 'start'), finite(stop, 'stop')];
  const delta = step === undefined ? 1 : finite(step, 'step');
  if (delta === 0) throw new RangeError(`${fn}: step must not be 0`);
  const length = Math.max(0, Math.ceil((last - first) / delta));
  const out = allocate(fn, [length], dtype);
  for (let i = 0; i < length; i++) out.data[i] = first + i * delta;
  return out;
}

/** Options of {@link linspace}. */
export interface LinspaceOptions extends DTypeOptions {
  /** How many values; default 50. */
  num?: number;
  /** Whether `stop` is the last value (default true); false leaves it out. */
  endpoint?: boolean;
}

function* linspaceProgram({ fn, async }: OpCall, start: number, stop: number, options?: number | LinspaceOptions): Program<NDArray> {
  // numpy's third positional argument, the count: linspace(0, 1, 5).
  const given = typeof options === 'number' ? { num: options } : options;
  const opts = readOptions(fn, given, { num: integer(0, 2 ** 31 - 1, 50), endpoint: flag(true), dtype: dtypeOption('float64') }, async);
  const from = number(undefined)(start, fn, 'start');
  const to = number(undefined)(stop, fn, 'stop');
  if (from === undefined) throw typeError(fn, 'start', 'a number', start);
  if (to === undefined) throw typeError(fn, 'stop', 'a number', stop);
  const { num } = opts;
  const out = allocate(fn, [num], opts.dtype);
  // numpy's formula: start + i * step, the step (stop - start) / div, and
  // the endpoint set exactly.
  const div = opts.endpoint ? num - 1 : num;
  const step = div > 0 ? (to - from) / div : Number.NaN;
  for (let i = 0; i < num; i++) out.data[i] = div > 0 ? from + i * step : from;
  if (opts.endpoint && num > 1) out.data[num - 1] = to;
  return out;
}

/**
 * Evenly spaced values `start, start + step, ...` below `stop` (numpy's
 * `arange`): `arange(stop)` counts from 0; `step` defaults to 1 and may be
 * negative. Value i is `start + i·step`.
 *
 * @param start The first value (or, alone, the stop).
 * @param stop The end, not included.
 * @param step The spacing, not 0.
 * @param options `{ dtype }`.
 * @throws TypeError for a non-finite argument; RangeError for a step of 0.
 * @example
 * ```ts
 * import { arange } from 'weft';
 * arange(4).toArray();            // [0, 1, 2, 3]
 * arange(1, 2, 0.25).toArray();   // [1, 1.25, 1.5, 1.75]
 * arange(3, 0, -1).toArray();     // [3, 2, 1]
 * ```
 */
export const arange = defineOp('arange', arangeProgram, { options: true });
export const arangeAsync = asyncOf(arange);

/**
 * `num` evenly spaced values from `start` to `stop` (numpy's `linspace`),
 * `stop` included unless `endpoint: false`.
 *
 * @param start The first value.
 * @param stop The last value (or the end, with `endpoint: false`).
 * @param options `{ num, endpoint, dtype }`: num defaults to 50; or `num`
 * alone, numpy's third argument.
 * @example
 * ```ts
 * import { linspace } from 'weft';
 * linspace(0, 1, 5).toArray();                           // [0, 0.25, 0.5, 0.75, 1]
 * linspace(0, 1, { num: 5 }).toArray();                  // [0, 0.25, 0.5, 0.75, 1]
 * linspace(0, 1, { num: 4, endpoint: false }).toArray(); // [0, 0.25, 0.5, 0.75]
 * ```
 */
export const linspace = defineOp('linspace', linspaceProgram, { options: true });
export const linspaceAsync = asyncOf(linspace);

// ---------------------------------------------------------------- diag

function* diagProgram({ fn, async }: OpCall, v: ArrayInput, options?: { k?: number }): Program<NDArray> {
  const { k } = readOptions(fn, options, { k: anyInteger(0) }, async);
  const view = toView(v, fn, 'v', { bool: true, complex: true });
  const dtype = dtypeOf(view.data) as DType;
  // Element `from` of v's data to element `to` of out's: both parts of a complex one.
  const w = isComplexData(view.data) ? 2 : 1;
  const move = (out: NDArray, to: number, from: number) => {
    for (let p = 0; p < w; p++) out.data[w * to + p] = view.data[w * from + p]!;
  };
  if (view.shape.length === 1) {
    const n = view.shape[0]!;
    const size = n + Math.abs(k);
    const out = allocate(fn, [size, size], dtype);
    for (let i = 0; i < n; i++) move(out, (i + Math.max(0, -k)) * size + i + Math.max(0, k), view.offset + i * view.strides[0]!);
    return out;
  }
  if (view.shape.length === 2) {
    const [rows, cols] = view.shape as [number, number];
    const length = Math.max(0, Math.min(rows - Math.max(0, -k), cols - Math.max(0, k)));
    const out = allocate(fn, [length], dtype);
    for (let i = 0; i < length; i++) move(out, i, view.offset + (i + Math.max(0, -k)) * view.strides[0]! + (i + Math.max(0, k)) * view.strides[1]!);
    return out;
  }
  throw new RangeError(`${fn}: expected v to be 1-D or 2-D, but received shape [${view.shape.join(', ')}]`);
}

/**
 * numpy's `diag`: a 1-D `v` becomes a square matrix with `v` on its `k`-th
 * diagonal; a 2-D `v` gives its `k`-th diagonal. Always a new array (numpy
 * gives a read-only view of a matrix's diagonal; `linalg.diagonal` is
 * weft's view).
 *
 * @param v A vector or a matrix.
 * @param options `{ k }`: the diagonal, default 0.
 * @throws RangeError for any other number of axes.
 * @example
 * ```ts
 * import { diag } from 'weft';
 * diag([1, 2]).toArray();                   // [[1, 0], [0, 2]]
 * diag([[1, 2], [3, 4]]).toArray();         // [1, 4]
 * diag([[1, 2], [3, 4]], { k: 1 }).toArray(); // [2]
 * ```
 */
export const diag = defineOp('diag', diagProgram, { options: true });
export const diagAsync = asyncOf(diag);

// ---------------------------------------------------------------- asarray, copy, ...Like

function* asarrayProgram({ fn, async }: OpCall, a: ArrayInput, options?: LikeOptions): Program<NDArray> {
  const { dtype } = readOptions(fn, options, { dtype: maybeDtype }, async);
  const view = toView(a, fn, 'a', { bool: true, complex: true });
  const own = dtypeOf(view.data) as DType;
  const wanted = dtype ?? own;
  if (wanted === own) {
    if (a instanceof NDArray) return declaredFloat(a);
    return new NDArray(view.data as FloatArray, view.shape, view.strides, view.offset);
  }
  return NDArray.fromContiguous(castElements(view, wanted) as FloatArray, view.shape.slice());
}

function* copyProgram({ fn }: OpCall, a: ArrayInput): Program<NDArray> {
  const view = toView(a, fn, 'a', { bool: true, complex: true });
  return NDArray.fromContiguous(copyElements(view) as FloatArray, view.shape.slice());
}

function* likeProgram(fn: string, async: boolean, a: ArrayInput, fillValue: unknown, options: LikeOptions | undefined): Program<NDArray> {
  const { dtype } = readOptions(fn, options, { dtype: maybeDtype }, async);
  const value = fillNumber(fn, fillValue);
  const view = toView(a, fn, 'a', { bool: true, complex: true });
  const wanted = likeDtype(view, dtype);
  const out = allocate(fn, view.shape, wanted);
  // A bool fill is true for any value but 0 (NaN too), as numpy's full_like.
  if (value !== 0) fillWith(fn, out, value);
  return out;
}

function* fullLikeProgram({ fn, async }: OpCall, a: ArrayInput, fillValue: number | Complex, options?: LikeOptions): Program<NDArray> {
  return yield* likeProgram(fn, async, a, fillValue, options);
}

/**
 * `a` as an NDArray without copying when it can (numpy's `asarray`): an
 * NDArray of the dtype asked for is returned as it is; an ndarray-like or
 * a float typed array is wrapped (sharing its memory); nested arrays,
 * integer data or another dtype are copied.
 *
 * @param a Any array input.
 * @param options `{ dtype }`: default, `a`'s own.
 * @example
 * ```ts
 * import { asarray, array } from 'weft';
 * const a = array([1, 2]);
 * asarray(a) === a;                              // true
 * asarray(a, { dtype: 'float32' }).dtype;        // 'float32'
 * asarray(new Float64Array([3, 4])).toArray();   // [3, 4]
 * ```
 */
export const asarray = defineOp('asarray', asarrayProgram, { options: true, view: true });
export const asarrayAsync = asyncOf(asarray);

/**
 * A contiguous copy of `a` in its own memory, with `a`'s dtype (numpy's `copy`).
 *
 * @param a Any array input.
 * @example
 * ```ts
 * import { array, copy } from 'weft';
 * const a = array([[1, 2], [3, 4]]);
 * copy(a.T).toArray(); // [[1, 3], [2, 4]]
 * ```
 */
export const copy = defineOp('copy', copyProgram);
export const copyAsync = asyncOf(copy);

/**
 * Zeros in `a`'s shape and dtype (numpy's `zeros_like`).
 *
 * @param a Any array input.
 * @param options `{ dtype }`: default, `a`'s own.
 * @example
 * ```ts
 * import { zerosLike } from 'weft';
 * zerosLike([[1, 2]]).toArray(); // [[0, 0]]
 * zerosLike([true, true]).toArray(); // [false, false]: bool stays bool
 * ```
 */
export const zerosLike = defineOp('zerosLike', ({ fn, async }: OpCall, a: ArrayInput, options?: LikeOptions) => likeProgram(fn, async, a, 0, options), {
  options: true,
});
export const zerosLikeAsync = asyncOf(zerosLike);

/**
 * Ones in `a`'s shape and dtype (numpy's `ones_like`).
 *
 * @param a Any array input.
 * @param options `{ dtype }`.
 * @example
 * ```ts
 * import { onesLike } from 'weft';
 * onesLike([1, 2, 3]).toArray(); // [1, 1, 1]
 * ```
 */
export const onesLike = defineOp('onesLike', ({ fn, async }: OpCall, a: ArrayInput, options?: LikeOptions) => likeProgram(fn, async, a, 1, options), {
  options: true,
});
export const onesLikeAsync = asyncOf(onesLike);

/**
 * `fillValue` in `a`'s shape and dtype (numpy's `full_like`).
 *
 * @param a Any array input.
 * @param fillValue The value.
 * @param options `{ dtype }`.
 * @example
 * ```ts
 * import { fullLike } from 'weft';
 * fullLike([[1, 2]], 0.5).toArray(); // [[0.5, 0.5]]
 * ```
 */
export const fullLike = defineOp('fullLike', fullLikeProgram, { options: true });
export const fullLikeAsync = asyncOf(fullLike);
