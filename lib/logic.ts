/**
 * Logic, as numpy's: logicalAnd, logicalOr, logicalNot, any, all, isnan,
 * isfinite, isinf, and where. Any dtype is read by truthiness (a value is
 * true unless it is 0; NaN is true, as in numpy) and every result but
 * where's is a bool array. The operands broadcast (numpy's rules).
 * Computed in JS on the calling thread, except where with a bool condition
 * and more than `JS_MAX_SIZE` (512) elements: native/ops/elementwise.cc's
 * select, in parallel in the arena.
 *
 * @module
 */
import { NDArray, allocateElements, castElements, contiguousStrides, copyElements, declaredFloat, isComplexData, toView } from './ndarray.js';
import type { AnyNDArray, ArrayInput, FloatArray, NestedBooleans, View } from './ndarray.js';
import { axesOf } from './views.js';
import { broadcastViews, forEachRow, resultDtype } from './internal/broadcast.js';
import { anyComplex, complexOperand, complexResult, mapPairs } from './internal/complex.js';
import type { ScalarOrView } from './internal/broadcast.js';
import { nativeCall, step } from './internal/dispatch.js';
import type { Program } from './internal/dispatch.js';
import { JS_MAX_SIZE, broadcast, sizeOf } from './internal/elementwise.js';
import { flag, readOptions } from './internal/options.js';
import type { OptionReader } from './internal/options.js';
import { boolResult, outSpec } from './internal/out.js';
import type { OutOptions } from './internal/out.js';
import { asyncOf, defineOp } from './internal/registry.js';
import type { BoolOutOp, BoolOutOp1, BoolOutOp1Async, BoolOutOpAsync, OpCall } from './internal/registry.js';
import { permute } from './internal/shape.js';

/** Every kind of input as it is: bool data is read by truthiness like any other. */
const AS_IS = { bool: true };

/** `test` over one operand's elements, into a new bool array of its shape. */
function unary(fn: string, a: unknown, test: (v: number) => boolean, both: boolean): NDArray<'bool'> {
  const x = complexOperand(fn, a, 'x', AS_IS).view;
  if (isComplexData(x.data)) {
    // A complex element: the test of both parts (isfinite, logicalNot: zero) or of either (isnan, isinf).
    return mapPairs(fn, [x], 'bool', (z, o, k) => {
      o[k] = (both ? test(z[0]!) && test(z[1]!) : test(z[0]!) || test(z[1]!)) ? 1 : 0;
    }) as NDArray<'bool'>;
  }
  const out = allocateElements('bool', x.shape.reduce((p, d) => p * d, 1), fn) as Uint8Array;
  const xd = x.data;
  forEachRow(x.shape, [x.strides], [x.offset], (k, n, [xi], [xs]) => {
    for (let j = 0; j < n; j++) out[k + j] = test(xd[xi! + j * xs!]!) ? 1 : 0;
  });
  return NDArray.fromContiguous(out, x.shape.slice());
}

/** `test` of two truth values over the broadcast operands, into a new bool array. */
function binary(fn: string, a: unknown, b: unknown, test: (x: boolean, y: boolean) => boolean): NDArray<'bool'> {
  const x = truthOf(complexOperand(fn, a, 'x1', AS_IS).view);
  const y = truthOf(complexOperand(fn, b, 'x2', AS_IS).view);
  const { shape, strides } = broadcastViews(fn, [x, y]);
  const out = allocateElements('bool', shape.reduce((p, d) => p * d, 1), fn) as Uint8Array;
  const xd = x.data;
  const yd = y.data;
  forEachRow(shape, strides, [x.offset, y.offset], (k, n, [xi, yi], [xs, ys]) => {
    for (let j = 0; j < n; j++) out[k + j] = test(xd[xi! + j * xs!] !== 0, yd[yi! + j * ys!] !== 0) ? 1 : 0;
  });
  return NDArray.fromContiguous(out, shape);
}

/** A complex view as the bool view of its truth (nonzero: either part, NaN included, as numpy); any other as it is. */
function truthOf(view: View): View {
  if (!isComplexData(view.data)) return view;
  return { data: castElements(view, 'bool'), shape: view.shape, strides: contiguousStrides(view.shape), offset: 0 };
}

// Programs without a native call (they compute in JS).
/* eslint-disable require-yield */

const elementTest =
  (test: (v: number) => boolean, both = false) =>
  function* ({ fn, async }: OpCall, x: ArrayInput, options?: OutOptions): Program<NDArray<'bool'>> {
    const { out } = readOptions(fn, options, outSpec, async);
    return boolResult(fn, unary(fn, x, test, both), out);
  };

const truthTest =
  (test: (x: boolean, y: boolean) => boolean) =>
  function* ({ fn, async }: OpCall, x1: ArrayInput, x2: ArrayInput, options?: OutOptions): Program<NDArray<'bool'>> {
    const { out } = readOptions(fn, options, outSpec, async);
    return boolResult(fn, binary(fn, x1, x2, test), out);
  };

/** any's and all's options. */
export interface TruthReductionOptions {
  /** The axis or axes to reduce; default (or null) all of them. */
  axis?: number | readonly number[] | null;
  /** Keep each reduced axis, with length 1 (numpy's keepdims); default false. */
  keepdims?: boolean;
}

const axisOption: OptionReader<unknown> = (value) => value;

/**
 * Whether any (`wanted` 1) or all (`wanted` 0: whether none is false) of
 * the elements along the reduced axes are true: numpy's `any`/`all`.
 */
function* truthReduction({ fn, async }: OpCall, a: ArrayInput, options: TruthReductionOptions | undefined, isAny: boolean): Program<NDArray<'bool'>> {
  const { axis, keepdims } = readOptions(fn, options, { axis: axisOption, keepdims: flag(false) }, async);
  const view = truthOf(toView(a, fn, 'a', { ...AS_IS, complex: true }));
  const nd = view.shape.length;
  const axes = axis === undefined || axis === null ? Array.from({ length: nd }, (_, i) => i) : axesOf(fn, 'options.axis', axis, nd);
  const kept = view.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  // The kept axes first, then the reduced ones: each result element is one contiguous run of the copy.
  const values = copyElements(permute(view, [...kept, ...axes]));
  const run = axes.reduce((p, d) => p * view.shape[d]!, 1);
  const out = allocateElements('bool', kept.reduce((p, d) => p * view.shape[d]!, 1), fn) as Uint8Array;
  // any stops at the first true, all at the first false (numpy: any of nothing is false, all of nothing true).
  for (let o = 0; o < out.length; o++) {
    let found = false;
    for (let j = o * run, end = j + run; j < end; j++) {
      if ((values[j] !== 0) === isAny) {
        found = true;
        break;
      }
    }
    out[o] = found === isAny ? 1 : 0;
  }
  const shape = keepdims ? view.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : kept.map((i) => view.shape[i]!);
  return NDArray.fromContiguous(out, shape);
}

/**
 * An operand of where's result: bool data stays bool in a bool result; in
 * a float result it is read as float64 0 and 1 (weft's reading of bool).
 */
function asResultOperand(o: ScalarOrView, bool: boolean): View {
  if (bool || !(o.view.data instanceof Uint8Array)) return o.view;
  return { data: castElements(o.view, 'float64'), shape: o.view.shape, strides: contiguousStrides(o.view.shape), offset: 0 };
}

/** The 32-bit words of float data (the same bytes), for a selection that copies bits. */
const wordsOf = (a: FloatArray): Int32Array => new Int32Array(a.buffer, a.byteOffset, a.byteLength >> 2);

/** Below this many elements per row the word views cost more than branches do. */
const BRANCH_FREE_FROM = 64;

/**
 * where's selection without a branch per element, for a bool condition
 * (a random mask defeats branch prediction: 2× faster at 1e5): each of the
 * result's `width` words per element is x's or y's under a mask of all
 * ones or all zeros. Indices are in elements; strides 0 or 1 (scalars,
 * contiguous runs). Bits are copied, NaN payloads included, as numpy copies.
 */
function selectWords(
  out: Int32Array,
  k: number,
  cond: Uint8Array,
  ci: number,
  x: Int32Array,
  xi: number,
  xs: number,
  y: Int32Array,
  yi: number,
  ys: number,
  n: number,
  width: number,
): void {
  // Word indices step along (strides 0 or 1 in elements: 0 or width words).
  const [dx, dy] = [width * xs, width * ys];
  if (width === 2) {
    for (let j = 0, o = 2 * k, a = 2 * xi, b = 2 * yi; j < n; j++, o += 2, a += dx, b += dy) {
      const v = cond[ci + j]!;
      const mask = (v | -v) >> 31; // -1 for any nonzero byte, 0 for 0
      out[o] = (x[a]! & mask) | (y[b]! & ~mask);
      out[o + 1] = (x[a + 1]! & mask) | (y[b + 1]! & ~mask);
    }
    return;
  }
  for (let j = 0, a = xi, b = yi; j < n; j++, a += dx, b += dy) {
    const v = cond[ci + j]!;
    const mask = (v | -v) >> 31;
    out[k + j] = (x[a]! & mask) | (y[b]! & ~mask);
  }
}

function* whereProgram({ fn }: OpCall, condition: ArrayInput, x: ArrayInput, y: ArrayInput): Program<AnyNDArray> {
  const c = truthOf(complexOperand(fn, condition, 'condition', AS_IS).view);
  const xo = complexOperand(fn, x, 'x', AS_IS);
  const yo = complexOperand(fn, y, 'y', AS_IS);
  if (anyComplex([xo, yo])) {
    // Complex x or y: the pair picked by each condition element, in numpy's promoted dtype.
    return mapPairs(fn, [c, xo.view, yo.view], complexResult([xo, yo]), (z, o, k) => {
      const pick = z[0] !== 0 ? 2 : 4;
      o[k] = z[pick]!;
      o[k + 1] = z[pick + 1]!;
    });
  }
  const dtype = resultDtype([xo, yo]);
  const xv = asResultOperand(xo, dtype === 'bool');
  const yv = asResultOperand(yo, dtype === 'bool');
  const { shape, strides } = broadcastViews(fn, [c, xv, yv]);
  const cd = c.data;
  // A weak scalar is a float64 0-d view: in its result dtype here, so that its words are the result's.
  const xd = xo.weak && dtype !== 'bool' ? allocateElements(dtype, 1, fn).fill(xv.data[xv.offset]!) : xv.data;
  const yd = yo.weak && dtype !== 'bool' ? allocateElements(dtype, 1, fn).fill(yv.data[yv.offset]!) : yv.data;
  const [xOffset, yOffset] = [xd === xv.data ? xv.offset : 0, yd === yv.data ? yv.offset : 0];
  if (cd instanceof Uint8Array && dtype !== 'bool' && sizeOf(shape) > JS_MAX_SIZE) {
    // Large selections: native/ops/elementwise.cc's select, in parallel in the arena.
    const operands = [c, { ...xv, data: xd, offset: xOffset }, { ...yv, data: yd, offset: yOffset }];
    const raw = yield* step<FloatArray>(nativeCall('select', broadcast(fn, operands).views));
    return NDArray.fromContiguous(raw, shape);
  }
  const out = allocateElements(dtype, sizeOf(shape), fn);
  // Bit selection needs x, y and the result in one float type, and a bool condition.
  const words =
    out.length >= BRANCH_FREE_FROM && cd instanceof Uint8Array && dtype !== 'bool' && xd.constructor === out.constructor && yd.constructor === out.constructor
      ? { out: wordsOf(out as FloatArray), x: wordsOf(xd as FloatArray), y: wordsOf(yd as FloatArray), width: dtype === 'float64' ? 2 : 1 }
      : undefined;
  forEachRow(shape, strides, [c.offset, xOffset, yOffset], (k, n, [ci, xi, yi], [cs, xs, ys]) => {
    if (words !== undefined && n >= BRANCH_FREE_FROM && cs === 1 && xs! <= 1 && xs! >= 0 && ys! <= 1 && ys! >= 0) {
      selectWords(words.out, k, cd as Uint8Array, ci!, words.x, xi!, xs!, words.y, yi!, ys!, n, words.width);
    } else if (cs === 1 && xs === 1 && ys === 1) {
      // The common layouts get their own loops: all contiguous, and contiguous condition with scalar x or y.
      for (let j = 0; j < n; j++) out[k + j] = cd[ci! + j] !== 0 ? xd[xi! + j]! : yd[yi! + j]!;
    } else if (cs === 1 && xs === 1 && ys === 0) {
      const other = yd[yi!]!;
      for (let j = 0; j < n; j++) out[k + j] = cd[ci! + j] !== 0 ? xd[xi! + j]! : other;
    } else if (cs === 1 && xs === 0 && ys === 1) {
      const other = xd[xi!]!;
      for (let j = 0; j < n; j++) out[k + j] = cd[ci! + j] !== 0 ? other : yd[yi! + j]!;
    } else {
      for (let j = 0; j < n; j++) out[k + j] = cd[ci! + j * cs!] !== 0 ? xd[xi! + j * xs!]! : yd[yi! + j * ys!]!;
    }
  });
  return NDArray.fromContiguous(out, shape);
}

/* eslint-enable require-yield */

/**
 * `x1 AND x2` by truthiness, elementwise with broadcasting (numpy's `logical_and`): a bool array.
 *
 * @param x1 An array (any dtype: 0 is false, anything else, NaN too, true), a number or a boolean.
 * @param x2 An array, a number or a boolean.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`; any dtype: true is 1).
 * @throws RangeError when the shapes do not broadcast.
 * @example
 * ```ts
 * import { logicalAnd } from 'weft';
 * logicalAnd([true, true, false], [true, false, false]).toArray(); // [true, false, false]
 * logicalAnd([0, 2, NaN], 1).toArray();                           // [false, true, true]
 * ```
 */
export const logicalAnd = defineOp('logicalAnd', truthTest((x, y) => x && y), { options: true }) as BoolOutOp;
export const logicalAndAsync = asyncOf(logicalAnd) as BoolOutOpAsync;

/**
 * `x1 OR x2` by truthiness, elementwise with broadcasting (numpy's `logical_or`): a bool array.
 *
 * @param x1 An array (any dtype, by truthiness), a number or a boolean.
 * @param x2 An array, a number or a boolean.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`; any dtype: true is 1).
 * @example
 * ```ts
 * import { logicalOr } from 'weft';
 * logicalOr([[0], [1]], [0, 0.5]).toArray(); // [[false, true], [true, true]]
 * ```
 */
export const logicalOr = defineOp('logicalOr', truthTest((x, y) => x || y), { options: true }) as BoolOutOp;
export const logicalOrAsync = asyncOf(logicalOr) as BoolOutOpAsync;

/**
 * `NOT x` by truthiness, elementwise (numpy's `logical_not`): a bool array.
 *
 * @param x An array (any dtype, by truthiness), a number or a boolean.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`; any dtype: true is 1).
 * @example
 * ```ts
 * import { logicalNot } from 'weft';
 * logicalNot([0, -1, NaN]).toArray(); // [true, false, false]
 * ```
 */
export const logicalNot = defineOp('logicalNot', elementTest((v) => v === 0, true), { options: true }) as BoolOutOp1;
export const logicalNotAsync = asyncOf(logicalNot) as BoolOutOp1Async;

/**
 * Whether any element is true (not 0; NaN is true), along `axis` (numpy's
 * `any`): a bool array, 0-d when every axis is reduced. Any of nothing is false.
 *
 * @param a An array of any dtype.
 * @param options `{ axis, keepdims }`: `axis` an integer, a list, or null
 *   (default) for all axes; `keepdims` keeps each reduced axis with length 1.
 * @throws RangeError for an axis out of range or repeated.
 * @example
 * ```ts
 * import { any } from 'weft';
 * any([[0, 0], [0, 3]]).item();                          // true
 * any([[0, 0], [0, 3]], { axis: 1 }).toArray();          // [false, true]
 * any([[0, 0], [0, 3]], { axis: 0, keepdims: true }).toArray(); // [[false, true]]
 * ```
 */
export const any = defineOp(
  'any',
  (call: OpCall, a: ArrayInput, options?: TruthReductionOptions) => truthReduction(call, a, options, true),
  { options: true },
);
export const anyAsync = asyncOf(any);

/**
 * Whether every element is true (not 0; NaN is true), along `axis` (numpy's
 * `all`): a bool array, 0-d when every axis is reduced. All of nothing is true.
 *
 * @param a An array of any dtype.
 * @param options `{ axis, keepdims }`: `axis` an integer, a list, or null
 *   (default) for all axes; `keepdims` keeps each reduced axis with length 1.
 * @throws RangeError for an axis out of range or repeated.
 * @example
 * ```ts
 * import { all } from 'weft';
 * all([[1, NaN], [0, 2]]).item();                 // false
 * all([[1, NaN], [0, 2]], { axis: 1 }).toArray(); // [true, false]
 * all([]).item();                                 // true
 * ```
 */
export const all = defineOp(
  'all',
  (call: OpCall, a: ArrayInput, options?: TruthReductionOptions) => truthReduction(call, a, options, false),
  { options: true },
);
export const allAsync = asyncOf(all);

/**
 * Whether each element is NaN (numpy's `isnan`): a bool array. A bool array has none.
 *
 * @param x An array, a number or a boolean.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`; any dtype: true is 1).
 * @example
 * ```ts
 * import { isnan, zeros } from 'weft';
 * isnan([1, NaN, Infinity]).toArray(); // [false, true, false]
 * isnan([1, NaN], { out: zeros([2]) }).toArray(); // [0, 1]
 * ```
 */
export const isnan = defineOp('isnan', elementTest(Number.isNaN), { options: true }) as BoolOutOp1;
export const isnanAsync = asyncOf(isnan) as BoolOutOp1Async;

/**
 * Whether each element is finite, neither NaN nor ±Infinity (numpy's `isfinite`): a bool array.
 *
 * @param x An array, a number or a boolean.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`; any dtype: true is 1).
 * @example
 * ```ts
 * import { isfinite } from 'weft';
 * isfinite([1, NaN, -Infinity]).toArray(); // [true, false, false]
 * ```
 */
export const isfinite = defineOp('isfinite', elementTest(Number.isFinite, true), { options: true }) as BoolOutOp1;
export const isfiniteAsync = asyncOf(isfinite) as BoolOutOp1Async;

/**
 * Whether each element is +Infinity or −Infinity (numpy's `isinf`): a bool array.
 *
 * @param x An array, a number or a boolean.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`; any dtype: true is 1).
 * @example
 * ```ts
 * import { isinf } from 'weft';
 * isinf([1, NaN, -Infinity]).toArray(); // [false, false, true]
 * ```
 */
export const isinf = defineOp('isinf', elementTest((v) => v === Infinity || v === -Infinity), { options: true }) as BoolOutOp1;
export const isinfAsync = asyncOf(isinf) as BoolOutOp1Async;

/** where's signatures: bool choices give a bool array, any other a float one. */
interface Where {
  (condition: ArrayInput, x: NDArray<'bool'> | NestedBooleans, y: NDArray<'bool'> | NestedBooleans): NDArray<'bool'>;
  (condition: ArrayInput, x: ArrayInput, y: ArrayInput): NDArray;
}

/**
 * `x` where `condition` is true, else `y`, elementwise with broadcasting
 * of all three (numpy's `where(condition, x, y)`). `condition` is read by
 * truthiness (any dtype; NaN is true). The result's dtype comes from `x`
 * and `y` as numpy 2 promotes them: plain numbers and booleans are weak
 * scalars (`where(c, f32, 0)` stays float32), bool only when both are bool,
 * float32 only when every array among them is float32 (a bool array with
 * a float one reads as float64 0 and 1, as weft reads bool; numpy would
 * keep float32 there and give int64 for two numbers, weft float64).
 * With a bool condition (a comparison's result) and a float result of more
 * than 512 elements, the selection runs natively, in parallel in the arena.
 *
 * @param condition Where to take `x`: an array of any dtype, a number or a boolean.
 * @param x The values where `condition` is true: an array, a number or a boolean.
 * @param y The values where it is false: an array, a number or a boolean.
 * @throws RangeError when the three shapes do not broadcast.
 * @example
 * ```ts
 * import { greater, where } from 'weft';
 * const a = [[-1, 2], [3, -4]];
 * where(greater(a, 0), a, 0).toArray();           // [[0, 2], [3, 0]]
 * where([true, false], [1, 2], [[10], [20]]).toArray(); // [[1, 10], [1, 20]]
 * where([1, 0], true, false).dtype;               // 'bool'
 * ```
 */
export const where = defineOp('where', function* (call: OpCall, condition: ArrayInput, x: ArrayInput, y: ArrayInput) {
  return declaredFloat(yield* whereProgram(call, condition, x, y));
}) as Where;
export const whereAsync = asyncOf(where);
