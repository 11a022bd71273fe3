/**
 * Reductions, as numpy's: sum, prod, mean, var, std, min, max over any set
 * of axes; argmin and argmax along one axis or all; cumsum and cumprod.
 *
 * Dtypes: float32 in, float32 out; float64 (and integer input, converted)
 * in, float64 out; argmin/argmax give `'int32'` indices. sum to max run
 * natively (native/ops/statistics.cc), in float64 whatever the input, in
 * parallel across the arena when large, reading the axes where they lie in
 * memory (no transposed copy): a sum along the last axis is numpy's pairwise
 * sum, along a leading axis rows added in order, as numpy does, so float32
 * results are at least as accurate as numpy's. Contiguous arrays of up to
 * 256 elements reduced along their last axes are computed in JS instead, in
 * the same order (the same bits), where the native call would cost more than
 * the work; their async twins then resolve without queueing on the arena.
 * A full reduction gives a 0-d array (numpy gives a scalar): `.item()` is
 * the number.
 *
 * argmin and argmax are native too (native/ops/search.cc), along the axis
 * or across lanes side by side as memory runs; a flattened search of a
 * non-contiguous view first copies it. cumsum and cumprod compute in JS on
 * the calling thread, in the array's dtype step by step as numpy does.
 *
 * @module
 */
import { typeError } from './errors.js';
import { MAX_DIM, NDArray, allocateElements, complexOf, contiguousStrides, copyElements, dtypeOf, isComplexData, realOf, toView } from './ndarray.js';
import type { ArrayInput, DType, FloatArray, View } from './ndarray.js';
import { lessPair, nanPair, partsOf } from './internal/complex.js';
import { nativeCall, step } from './internal/dispatch.js';
import type { Program } from './internal/dispatch.js';
import { code } from './internal/codes.js';
import type { CodeName } from './internal/codes.js';
import { flag, number, readOptions } from './internal/options.js';
import { asyncOf, defineOp } from './internal/registry.js';
import type { FloatOp, FloatOpAsync, OpCall, TakesOptions } from './internal/registry.js';
import { normalizeAxis, permute, sizeOf } from './internal/shape.js';

/** Options of sum, prod, mean, min and max (numpy's keywords). */
export interface ReduceOptions {
  /** The axis or axes to reduce (negative counts from the end); all when omitted or null. */
  axis?: number | readonly number[] | null;
  /** Keep the reduced axes, as length 1, so that the result broadcasts against the input. */
  keepdims?: boolean;
}

/** Options of var and std. */
export interface VarianceOptions extends ReduceOptions {
  /** Delta degrees of freedom: the divisor is `n − ddof` (default 0; 1 for the unbiased variance). */
  ddof?: number;
}

/** Options of argmin and argmax. */
export interface ArgReduceOptions {
  /** The axis to search along; the flattened array when omitted or null. */
  axis?: number | null;
  /** Keep the searched axis (all axes, without `axis`) as length 1. */
  keepdims?: boolean;
}

/** Options of cumsum and cumprod. */
export interface CumulativeOptions {
  /** The axis to accumulate along; the flattened array (a 1-D result) when omitted or null. */
  axis?: number | null;
}

/**
 * The input as a float view: integer data, including weft's own int32
 * results (argmax's indices), as float64, as numpy reduces integers.
 */
function floatView(a: ArrayInput, fn: string): View {
  const view = toView(a, fn, 'a', { int32: true, complex: true });
  if (!(view.data instanceof Int32Array)) return view;
  return { data: copyElements(view, Float64Array), shape: view.shape.slice(), strides: contiguousStrides(view.shape), offset: 0 };
}

/** The axes `option` names, ascending; all when it is undefined or null. */
function reducedAxes(fn: string, option: unknown, ndim: number): number[] {
  if (option === undefined || option === null) return Array.from({ length: ndim }, (_, i) => i);
  if (typeof option === 'number') return [normalizeAxis(fn, 'options.axis', option, ndim)];
  if (!Array.isArray(option)) throw typeError(fn, 'options.axis', 'an integer, an array of integers or null', option);
  const axes = option.map((a: unknown, i) => normalizeAxis(fn, `options.axis[${i}]`, a, ndim));
  const repeated = axes.find((a, i) => axes.indexOf(a) !== i);
  if (repeated !== undefined) throw new RangeError(`${fn}: options.axis repeats axis ${repeated}`);
  return axes.sort((p, q) => p - q);
}

/** One axis or none (argmin, argmax, cumsum, cumprod take no list). */
const singleAxis = (value: unknown, fn: string, name: string): number | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(fn, name, 'an integer or null', value);
  return value;
};

/** The shape left after reducing `axes`: without them, or with them as 1 (keepdims). */
function reducedShape(shape: readonly number[], axes: readonly number[], keepdims: boolean): number[] {
  return keepdims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

/** numpy's names in its messages, for the statistics without an identity. */
const NUMPY_NAME: Partial<Record<CodeName<'Statistic'>, string>> = { min: 'minimum', max: 'maximum' };

function* statistic({ fn, async }: OpCall, a: ArrayInput, options: VarianceOptions | undefined, kind: CodeName<'Statistic'>): Program<NDArray> {
  const withDdof = kind === 'var' || kind === 'std';
  const spec = { axis: (v: unknown) => v, keepdims: flag(false), ...(withDdof ? { ddof: number(0) } : {}) };
  const opts = readOptions(fn, options, spec, async) as { axis: unknown; keepdims: boolean; ddof?: number };
  const view = floatView(a, fn);
  const axes = reducedAxes(fn, opts.axis, view.shape.length);
  const count = sizeOf(axes.map((d) => view.shape[d]!));
  const shape = reducedShape(view.shape, axes, opts.keepdims);
  const numpyName = NUMPY_NAME[kind];
  if (numpyName !== undefined && count === 0 && sizeOf(shape) > 0) {
    throw new RangeError(`${fn}: zero-size array to reduction operation ${numpyName} which has no identity`);
  }
  if (isComplexData(view.data)) return yield* complexStatistic({ fn, async }, view, axes, shape, options, kind);
  const small = smallStatistic(view, axes, kind, opts.ddof ?? 0);
  if (small) return NDArray.fromContiguous(small, shape);
  const mask = axes.reduce((m, d) => m + 2 ** d, 0);
  const raw = yield* step(nativeCall('statistic', [view], mask, code('Statistic', kind), opts.ddof ?? 0));
  return NDArray.fromContiguous(raw as FloatArray, shape);
}

/**
 * Arrays up to this many elements are reduced in JS, where the native call
 * costs more than the work. Measured (float64 sum, this 2-vCPU Intel Xeon, under load):
 * 10 elements 0.73 µs here, 256 1.18 µs; natively 2.5 µs at 257 and 2.7 µs
 * at 1000 (the crossing is near 800 for a sum; var reads twice).
 */
/**
 * A statistic of complex data. sum and mean are those of the real and
 * imaginary parts, each reduced as a real array (numpy adds complex numbers
 * part by part); the variance is the real parts' plus the imaginary parts'
 * (numpy's var of complex: mean(|x − mean|²), a real result) and std its
 * square root; prod, min and max run over the (re, im) pairs in JS, min
 * and max in numpy's lexicographic order with NaN first.
 */
function* complexStatistic(
  call: OpCall,
  view: View,
  axes: readonly number[],
  shape: number[],
  options: VarianceOptions | undefined,
  kind: CodeName<'Statistic'>,
): Program<NDArray> {
  const dtype = complexOf(dtypeOf(view.data) as DType);
  if (kind === 'sum' || kind === 'mean' || kind === 'var' || kind === 'std') {
    const partKind = kind === 'std' ? 'var' : kind;
    const [re, im] = partsOf(view).map((p) => new NDArray(p.data as FloatArray, p.shape, p.strides, p.offset));
    const r = (yield* statistic(call, re!, options, partKind)).data;
    const i = (yield* statistic(call, im!, options, partKind)).data;
    if (partKind === 'var') {
      const out = allocateElements(realOf(dtype), r.length, call.fn) as FloatArray;
      for (let k = 0; k < r.length; k++) out[k] = kind === 'std' ? Math.sqrt(r[k]! + i[k]!) : r[k]! + i[k]!;
      return NDArray.fromContiguous(out, shape);
    }
    const out = allocateElements(dtype, r.length, call.fn) as FloatArray;
    for (let k = 0; k < r.length; k++) {
      out[2 * k] = r[k]!;
      out[2 * k + 1] = i[k]!;
    }
    return NDArray.fromContiguous(out, shape);
  }
  // The kept axes first, then the reduced ones: each result element is one contiguous run of pairs.
  const kept = view.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const values = copyElements(permute(view, [...kept, ...axes]));
  const run = sizeOf(axes.map((d) => view.shape[d]!));
  const count = sizeOf(kept.map((d) => view.shape[d]!));
  const out = allocateElements(dtype, count, call.fn);
  for (let o = 0; o < count; o++) {
    let [re, im] = kind === 'prod' ? [1, 0] : [values[2 * o * run]!, values[2 * o * run + 1]!];
    for (let j = kind === 'prod' ? 0 : 1; j < run; j++) {
      const [xr, xi] = [values[2 * (o * run + j)]!, values[2 * (o * run + j) + 1]!];
      if (kind === 'prod') [re, im] = [re * xr - im * xi, re * xi + im * xr];
      else if (nanPair(re, im)) break;
      else if (nanPair(xr, xi) || (kind === 'max' ? lessPair(re, im, xr, xi) : lessPair(xr, xi, re, im))) [re, im] = [xr, xi];
    }
    out[2 * o] = re;
    out[2 * o + 1] = im;
  }
  return NDArray.fromContiguous(out as FloatArray, shape);
}

const SMALL = 256;

/**
 * What native/ops/statistics.cc computes for a small contiguous array
 * reduced along its last axes, computed here in the same order, so the same
 * bits: each output one contiguous run. Undefined where that does not apply.
 */
function smallStatistic(view: View, axes: readonly number[], kind: CodeName<'Statistic'>, ddof: number): FloatArray | undefined {
  const nd = view.shape.length;
  const size = sizeOf(view.shape);
  if (size === 0 || size > SMALL || axes.some((d, i) => d !== nd - axes.length + i)) return undefined;
  if (!contiguous(view)) return undefined;
  const count = sizeOf(axes.map((d) => view.shape[d]!));
  const out = view.data instanceof Float32Array ? new Float32Array(size / count) : new Float64Array(size / count);
  for (let o = 0; o < out.length; o++) out[o] = runStatistic(view.data, view.offset + o * count, count, kind, ddof);
  return out;
}

/** One statistic of data[start, start + n) as statistics.cc folds it (FoldRows, PairwiseSum, Join, Finish). */
function runStatistic(data: ArrayLike<number>, start: number, n: number, kind: CodeName<'Statistic'>, ddof: number): number {
  switch (kind) {
    case 'prod': {
      let acc = 1;
      for (let i = start; i < start + n; i++) acc *= data[i]!;
      return acc;
    }
    case 'min':
    case 'max': {
      let acc = kind === 'min' ? Infinity : -Infinity;
      for (let i = start; i < start + n; i++) {
        const v = data[i]!;
        if ((kind === 'min' ? v < acc : v > acc) || Number.isNaN(v)) acc = v;
      }
      return acc;
    }
    case 'sum':
      return blockSum(data, start, n, 0, false);
    case 'mean':
      return blockSum(data, start, n, 0, false) / n;
    default: {
      const centre = blockSum(data, start, n, 0, false) / n;
      const v = blockSum(data, start, n, centre, true) / Math.max(n - ddof, 0);
      return kind === 'std' ? Math.sqrt(v) : v;
    }
  }
}

/** numpy's pairwise sum (PairwiseSum in statistics.cc): a plain sum under 8, eight partial sums up to 128, else two halves. */
function blockSum(data: ArrayLike<number>, start: number, n: number, centre: number, squared: boolean): number {
  if (n > 128) {
    const half = Math.floor(n / 2) & ~7;
    return blockSum(data, start, half, centre, squared) + blockSum(data, start + half, n - half, centre, squared);
  }
  const term = (x: number) => (squared ? (x - centre) * (x - centre) : x);
  if (n < 8) {
    let s = 0;
    for (let i = 0; i < n; i++) s += term(data[start + i]!);
    return s;
  }
  const r = new Float64Array(8);
  const whole = n - (n % 8);
  for (let k = 0; k < 8; k++) r[k] = term(data[start + k]!);
  for (let b = 8; b < whole; b += 8) for (let k = 0; k < 8; k++) r[k]! += term(data[start + b + k]!);
  let s = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
  for (let i = whole; i < n; i++) s += term(data[start + i]!);
  return s;
}

const reduction =
  (kind: CodeName<'Statistic'>) =>
  (call: OpCall, a: ArrayInput, options?: ReduceOptions): Program<NDArray> =>
    statistic(call, a, options, kind);
const spread =
  (kind: 'var' | 'std') =>
  (call: OpCall, a: ArrayInput, options?: VarianceOptions): Program<NDArray> =>
    statistic(call, a, options, kind);

/**
 * The sum of the elements over `axis` (numpy's `sum`): all of them by
 * default, giving a 0-d array. The sum of nothing is 0. Accumulated in
 * float64 (pairwise along the last axis, as numpy), rounded once to the
 * input's dtype.
 *
 * @param a The array; integer input is summed as float64.
 * @param options `{ axis, keepdims }`: an axis, a list of axes or null (all).
 * @throws RangeError for an axis out of range or repeated.
 * @example
 * ```ts
 * import { sum } from 'weft';
 * sum([[1, 2], [3, 4]]).item();                     // 10
 * sum([[1, 2], [3, 4]], { axis: 0 }).toArray();     // [4, 6]
 * sum([[1, 2], [3, 4]], { axis: -1, keepdims: true }).toArray(); // [[3], [7]]
 * ```
 */
export const sum = defineOp('sum', reduction('sum'), { options: true }) as FloatOp<(call: OpCall, a: ArrayInput, options?: ReduceOptions) => unknown> & TakesOptions;
export const sumAsync = asyncOf(sum) as FloatOpAsync<(call: OpCall, a: ArrayInput, options?: ReduceOptions) => unknown, true>;

/**
 * The product of the elements over `axis` (numpy's `prod`); the product of
 * nothing is 1. Accumulated in float64.
 *
 * @param a The array.
 * @param options `{ axis, keepdims }`.
 * @example
 * ```ts
 * import { prod } from 'weft';
 * prod([[1, 2], [3, 4]]).item();                 // 24
 * prod([[1, 2], [3, 4]], { axis: 1 }).toArray(); // [2, 12]
 * ```
 */
export const prod = defineOp('prod', reduction('prod'), { options: true }) as FloatOp<(call: OpCall, a: ArrayInput, options?: ReduceOptions) => unknown> & TakesOptions;
export const prodAsync = asyncOf(prod) as FloatOpAsync<(call: OpCall, a: ArrayInput, options?: ReduceOptions) => unknown, true>;

/**
 * The arithmetic mean over `axis` (numpy's `mean`): the sum divided by the
 * count. The mean of nothing is NaN (numpy also warns). float32 input gives
 * float32, computed in float64.
 *
 * @param a The array.
 * @param options `{ axis, keepdims }`.
 * @example
 * ```ts
 * import { mean } from 'weft';
 * mean([[1, 2], [3, 4]]).item();                 // 2.5
 * mean([[1, 2], [3, 4]], { axis: 0 }).toArray(); // [2, 3]
 * ```
 */
export const mean = defineOp('mean', reduction('mean'), { options: true }) as FloatOp<(call: OpCall, a: ArrayInput, options?: ReduceOptions) => unknown> & TakesOptions;
export const meanAsync = asyncOf(mean) as FloatOpAsync<(call: OpCall, a: ArrayInput, options?: ReduceOptions) => unknown, true>;

/**
 * The variance over `axis` (numpy's `var`): the mean squared deviation from
 * the mean, `Σ(x − mean)² / (n − ddof)`, in two passes. With `ddof ≥ n` the
 * divisor is 0: Infinity, or NaN when every deviation is 0 (as numpy, which
 * also warns). Exported as `variance` and also as `var`, numpy's name, which
 * JS reserves as a variable's name but allows as a property: `weft.var(a)`,
 * or `import { var as v } from 'weft'`.
 *
 * @param a The array.
 * @param options `{ axis, keepdims, ddof }`.
 * @example
 * ```ts
 * import * as weft from 'weft';
 * import { variance } from 'weft';
 * variance([1, 2, 3, 4]).item();              // 1.25
 * variance([1, 2, 3, 4], { ddof: 1 }).item(); // 1.6666666666666667
 * weft.var([[1, 3], [5, 9]], { axis: 1 }).toArray(); // [1, 4]
 * ```
 */
export const variance = defineOp('variance', spread('var'), { options: true }) as FloatOp<(call: OpCall, a: ArrayInput, options?: VarianceOptions) => unknown> & TakesOptions;
export const varianceAsync = asyncOf(variance) as FloatOpAsync<(call: OpCall, a: ArrayInput, options?: VarianceOptions) => unknown, true>;

/**
 * The standard deviation over `axis` (numpy's `std`): the square root of
 * {@link variance}, with the same `ddof`.
 *
 * @param a The array.
 * @param options `{ axis, keepdims, ddof }`.
 * @example
 * ```ts
 * import { std } from 'weft';
 * std([2, 4, 4, 4, 5, 5, 7, 9]).item();                  // 2
 * std([[1, 3], [5, 9]], { axis: 1 }).toArray();          // [1, 2]
 * ```
 */
export const std = defineOp('std', spread('std'), { options: true }) as FloatOp<(call: OpCall, a: ArrayInput, options?: VarianceOptions) => unknown> & TakesOptions;
export const stdAsync = asyncOf(std) as FloatOpAsync<(call: OpCall, a: ArrayInput, options?: VarianceOptions) => unknown, true>;

/**
 * The smallest element over `axis` (numpy's `min`/`amin`); NaN if any
 * element is NaN.
 *
 * @param a The array.
 * @param options `{ axis, keepdims }`.
 * @throws RangeError when an output would reduce no elements (numpy: "zero-size array to reduction operation minimum which has no identity").
 * @example
 * ```ts
 * import { min } from 'weft';
 * min([[3, 1], [2, 5]]).item();                 // 1
 * min([[3, 1], [2, 5]], { axis: 0 }).toArray(); // [2, 1]
 * ```
 */
export const min = defineOp('min', reduction('min'), { options: true }) as FloatOp<(call: OpCall, a: ArrayInput, options?: ReduceOptions) => unknown> & TakesOptions;
export const minAsync = asyncOf(min) as FloatOpAsync<(call: OpCall, a: ArrayInput, options?: ReduceOptions) => unknown, true>;

/**
 * The largest element over `axis` (numpy's `max`/`amax`); NaN if any element
 * is NaN.
 *
 * @param a The array.
 * @param options `{ axis, keepdims }`.
 * @throws RangeError when an output would reduce no elements.
 * @example
 * ```ts
 * import { max } from 'weft';
 * max([[3, 1], [2, 5]]).item();                 // 5
 * max([[3, 1], [2, 5]], { axis: 1 }).toArray(); // [3, 5]
 * ```
 */
export const max = defineOp('max', reduction('max'), { options: true }) as FloatOp<(call: OpCall, a: ArrayInput, options?: ReduceOptions) => unknown> & TakesOptions;
export const maxAsync = asyncOf(max) as FloatOpAsync<(call: OpCall, a: ArrayInput, options?: ReduceOptions) => unknown, true>;

// ---------------------------------------------------------------- one axis

function* argReduce({ fn, async }: OpCall, a: ArrayInput, options: ArgReduceOptions | undefined, largest: boolean): Program<NDArray<'int32'>> {
  const opts = readOptions(fn, options, { axis: singleAxis, keepdims: flag(false) }, async);
  const view = floatView(a, fn);
  const nd = view.shape.length;
  const axis = opts.axis === undefined ? undefined : normalizeAxis(fn, 'options.axis', opts.axis, nd);
  const axes = axis === undefined ? view.shape.map((_, i) => i) : [axis];
  const shape = reducedShape(view.shape, axes, opts.keepdims);
  const searched = sizeOf(axes.map((d) => view.shape[d]!));
  if (searched > MAX_DIM) throw new RangeError(`${fn}: ${searched} elements to search: indices past 2^31 - 1 do not fit the int32 result`);
  if (searched === 0 && sizeOf(shape) > 0) throw new RangeError(`${fn}: attempt to get ${largest ? 'argmax' : 'argmin'} of an empty sequence`);
  // Flattened: one lane of the elements in row-major order (a copy unless they already lie so).
  if (isComplexData(view.data)) return complexArgExtreme(view, axis, shape, largest);
  const size = sizeOf(view.shape);
  const lane = (): View => (contiguous(view) ? { ...view, shape: [size], strides: [1] } : { data: copyElements(view), shape: [size], strides: [1], offset: 0 });
  const raw = yield* step(nativeCall('argExtreme', [axis === undefined ? lane() : view], axis ?? 0, largest));
  return NDArray.fromContiguous(raw as Int32Array, shape);
}

/** Whether `view` lies row-major and contiguous (axes of length 1 aside). */
/**
 * numpy's argmax/argmin of complex (its CDOUBLE_argmax): the first index of
 * the lexicographically largest (smallest) element, or of the first one
 * with a NaN part.
 */
function complexArgExtreme(view: View, axis: number | undefined, shape: number[], largest: boolean): NDArray<'int32'> {
  const nd = view.shape.length;
  const axes = axis === undefined ? view.shape.map((_, i) => i) : [axis];
  const kept = view.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const values = copyElements(permute(view, [...kept, ...axes]));
  const run = sizeOf(axes.map((d) => view.shape[d]!));
  const out = new Int32Array(nd === 0 ? 1 : sizeOf(kept.map((d) => view.shape[d]!)));
  for (let o = 0; o < out.length; o++) {
    const start = 2 * o * run;
    let [re, im] = [values[start]!, values[start + 1]!];
    let best = 0;
    for (let j = 1; j < run && !nanPair(re, im); j++) {
      const [xr, xi] = [values[start + 2 * j]!, values[start + 2 * j + 1]!];
      if (nanPair(xr, xi) || (largest ? xr > re || (xr === re && xi > im) : xr < re || (xr === re && xi < im))) {
        [re, im, best] = [xr, xi, j];
      }
    }
    out[o] = best;
  }
  return NDArray.fromContiguous(out, shape);
}

function contiguous(view: View): boolean {
  const strides = contiguousStrides(view.shape);
  return view.shape.every((d, i) => d <= 1 || view.strides[i] === strides[i]);
}

/**
 * The index of the smallest element along `axis`, or in the flattened array
 * (numpy's `argmin`): the first one on ties, the first NaN if there is one.
 * The indices are `'int32'` (an Int32Array): more than 2^31 − 1 elements to
 * search is a RangeError.
 *
 * @param a The array.
 * @param options `{ axis, keepdims }`: one axis, or null (the flattened array).
 * @throws RangeError for an empty axis ("attempt to get argmin of an empty sequence").
 * @example
 * ```ts
 * import { argmin } from 'weft';
 * argmin([[3, 1], [0, 5]]).item();                 // 2
 * argmin([[3, 1], [0, 5]], { axis: 1 }).toArray(); // [1, 0]
 * ```
 */
export const argmin = defineOp('argmin', (call: OpCall, a: ArrayInput, options?: ArgReduceOptions) => argReduce(call, a, options, false), { options: true });
export const argminAsync = asyncOf(argmin);

/**
 * The index of the largest element along `axis`, or in the flattened array
 * (numpy's `argmax`): the first one on ties, the first NaN if there is one.
 * `'int32'` indices, as {@link argmin}.
 *
 * @param a The array.
 * @param options `{ axis, keepdims }`.
 * @throws RangeError for an empty axis.
 * @example
 * ```ts
 * import { argmax } from 'weft';
 * argmax([[3, 1], [0, 5]]).item();                 // 3
 * argmax([[3, 1], [0, 5]], { axis: 0 }).toArray(); // [0, 1]
 * ```
 */
export const argmax = defineOp('argmax', (call: OpCall, a: ArrayInput, options?: ArgReduceOptions) => argReduce(call, a, options, true), { options: true });
export const argmaxAsync = asyncOf(argmax);

// A program without a native call (this version computes in JS).
// eslint-disable-next-line require-yield
function* cumulative({ fn, async }: OpCall, a: ArrayInput, options: CumulativeOptions | undefined, product: boolean): Program<NDArray> {
  const opts = readOptions(fn, options, { axis: singleAxis }, async);
  const view = floatView(a, fn);
  const axis = opts.axis === undefined ? undefined : normalizeAxis(fn, 'options.axis', opts.axis, view.shape.length);
  // A row-major copy, accumulated in place in memory order: each element
  // along the axis after the first takes in the one `step` before it, which
  // row-major order has already finished. Each step rounds to the dtype, as
  // numpy's accumulate does (a float32 sum or product of two float32 values
  // computed in float64 and rounded once is the float32 operation's result).
  const out = copyElements(view) as FloatArray;
  const shape = axis === undefined ? [sizeOf(view.shape)] : view.shape.slice();
  if (out.length === 0) return NDArray.fromContiguous(out, shape);
  const along = axis ?? 0;
  const step = contiguousStrides(shape)[along]!;
  const block = shape[along]! * step;
  if (isComplexData(out)) {
    // (re, im) pairs: 2p and 2p + 1 hold element p; each step rounds to the dtype, as numpy's accumulate.
    for (let start = 0; start < out.length / 2; start += block) {
      for (let p = start + step; p < start + block; p++) {
        const [ar, ai, br, bi] = [out[2 * (p - step)]!, out[2 * (p - step) + 1]!, out[2 * p]!, out[2 * p + 1]!];
        out[2 * p] = product ? ar * br - ai * bi : ar + br;
        out[2 * p + 1] = product ? ar * bi + ai * br : ai + bi;
      }
    }
    return NDArray.fromContiguous(out as FloatArray, shape);
  }
  for (let start = 0; start < out.length; start += block) {
    if (product) for (let p = start + step; p < start + block; p++) out[p] = out[p - step]! * out[p]!;
    else for (let p = start + step; p < start + block; p++) out[p] = out[p - step]! + out[p]!;
  }
  return NDArray.fromContiguous(out, shape);
}

/**
 * The running sum along `axis` (numpy's `cumsum`); along the flattened array,
 * as a 1-D result, when `axis` is omitted. Accumulated in the array's dtype,
 * as numpy does: float32 sums round at every step.
 *
 * @param a The array.
 * @param options `{ axis }`: one axis, or null.
 * @example
 * ```ts
 * import { cumsum } from 'weft';
 * cumsum([[1, 2], [3, 4]]).toArray();              // [1, 3, 6, 10]
 * cumsum([[1, 2], [3, 4]], { axis: 0 }).toArray(); // [[1, 2], [4, 6]]
 * ```
 */
export const cumsum = defineOp('cumsum', (call: OpCall, a: ArrayInput, options?: CumulativeOptions) => cumulative(call, a, options, false), { options: true });
export const cumsumAsync = asyncOf(cumsum);

/**
 * The running product along `axis` (numpy's `cumprod`); along the flattened
 * array when `axis` is omitted.
 *
 * @param a The array.
 * @param options `{ axis }`.
 * @example
 * ```ts
 * import { cumprod } from 'weft';
 * cumprod([1, 2, 3, 4]).toArray();                  // [1, 2, 6, 24]
 * cumprod([[1, 2], [3, 4]], { axis: 1 }).toArray(); // [[1, 2], [3, 12]]
 * ```
 */
export const cumprod = defineOp('cumprod', (call: OpCall, a: ArrayInput, options?: CumulativeOptions) => cumulative(call, a, options, true), { options: true });
export const cumprodAsync = asyncOf(cumprod);

