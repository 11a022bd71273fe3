/**
 * Comparisons, as numpy's: equal, notEqual, less, lessEqual, greater,
 * greaterEqual, isclose, allclose. The operands broadcast (numpy's rules)
 * and the result is a bool array. A plain number is a weak scalar (numpy
 * 2): against a float32 array it is rounded to float32 first, so
 * `equal(f32, 0.1)` is true where the array holds float32's 0.1. NaN
 * compares false (notEqual true), as IEEE 754 says. A bool array compares
 * as 0 and 1. Computed in JS on the calling thread.
 *
 * @module
 */
import { rangeError, typeError } from './errors.js';
import { NDArray, allocateElements } from './ndarray.js';
import type { ArrayInput } from './ndarray.js';
import { broadcastViews, forEachRow, resultDtype } from './internal/broadcast.js';
import { anyComplex, cabs, complexOperand, complexResult, lessEqualPair, lessPair, mapPairs, nanPair } from './internal/complex.js';
import type { Program } from './internal/dispatch.js';
import { flag, readOptions } from './internal/options.js';
import type { OptionReader } from './internal/options.js';
import { boolResult, outSpec } from './internal/out.js';
import type { OutOptions } from './internal/out.js';
import { asyncOf, defineOp } from './internal/registry.js';
import type { BoolOutOp, BoolOutOpAsync, OpCall } from './internal/registry.js';

/**
 * `test` over the broadcast operands, into a new bool array. Where the
 * operands promote to float32 (numpy 2), `round` is Math.fround: a weak
 * scalar and any float64 step of `test` are rounded as float32 would have them.
 */
/** A comparison of two complex numbers (ar + i·ai against br + i·bi), with the rounding of the operands' precision. */
type PairTest = (ar: number, ai: number, br: number, bi: number, round: (v: number) => number) => boolean;

function compare(
  fn: string,
  a: unknown,
  b: unknown,
  test: (x: number, y: number, round: (v: number) => number) => boolean,
  pairTest: PairTest,
): NDArray<'bool'> {
  const x = complexOperand(fn, a, 'x1');
  const y = complexOperand(fn, b, 'x2');
  const round = resultDtype([x, y]) === 'float32' ? Math.fround : (v: number) => v;
  if (anyComplex([x, y])) {
    // Complex: the pairs, a weak scalar rounded to the arrays' precision (complexResult does that).
    complexResult([x, y]);
    return mapPairs(fn, [x.view, y.view], 'bool', (z, o, k) => {
      o[k] = pairTest(z[0]!, z[1]!, z[2]!, z[3]!, round) ? 1 : 0;
    }) as NDArray<'bool'>;
  }
  const { shape, strides } = broadcastViews(fn, [x.view, y.view]);
  const out = allocateElements('bool', shape.reduce((p, d) => p * d, 1), fn) as Uint8Array;
  const xd = x.view.data;
  const yd = y.view.data;
  // A weak scalar in a float32 comparison is read as float32 (the arrays' own values are exact either way).
  const xv = x.weak ? Float64Array.of(round(xd[0]!)) : xd;
  const yv = y.weak ? Float64Array.of(round(yd[0]!)) : yd;
  forEachRow(shape, strides, [x.view.offset, y.view.offset], (k, n, [xi, yi], [xs, ys]) => {
    for (let j = 0; j < n; j++) out[k + j] = test(xv[xi! + j * xs!]!, yv[yi! + j * ys!]!, round) ? 1 : 0;
  });
  return NDArray.fromContiguous(out, shape);
}

/** The program of a comparison: `test` elementwise over two broadcast operands. */
const comparison =
  (test: (x: number, y: number) => boolean, pairTest: PairTest) =>
  // A program without a native call (it computes in JS).
  // eslint-disable-next-line require-yield
  function* ({ fn, async }: OpCall, x1: ArrayInput, x2: ArrayInput, options?: OutOptions): Program<NDArray<'bool'>> {
    const { out } = readOptions(fn, options, outSpec, async);
    return boolResult(fn, compare(fn, x1, x2, test, pairTest), out);
  };

/**
 * `x1 == x2`, elementwise with broadcasting (numpy's `equal`): a bool array.
 * NaN equals nothing, itself included.
 *
 * @param x1 An array, a number or a boolean.
 * @param x2 An array, a number or a boolean.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`; any dtype: true is 1).
 * @throws RangeError when the shapes do not broadcast.
 * @example
 * ```ts
 * import { equal } from 'weft';
 * equal([[1, 2], [3, 2]], [1, 2]).toArray(); // [[true, true], [false, true]]
 * equal([NaN, 0], [NaN, -0]).toArray();      // [false, true]
 * ```
 */
export const equal = defineOp('equal', comparison(
    (x, y) => x === y,
    (ar, ai, br, bi) => ar === br && ai === bi,
  ), { options: true }) as BoolOutOp;
export const equalAsync = asyncOf(equal) as BoolOutOpAsync;

/**
 * `x1 != x2`, elementwise with broadcasting (numpy's `not_equal`): a bool
 * array, true wherever either is NaN.
 *
 * @param x1 An array, a number or a boolean.
 * @param x2 An array, a number or a boolean.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`; any dtype: true is 1).
 * @example
 * ```ts
 * import { notEqual } from 'weft';
 * notEqual([1, NaN, 3], 3).toArray(); // [true, true, false]
 * ```
 */
export const notEqual = defineOp('notEqual', comparison(
    (x, y) => x !== y,
    (ar, ai, br, bi) => ar !== br || ai !== bi,
  ), { options: true }) as BoolOutOp;
export const notEqualAsync = asyncOf(notEqual) as BoolOutOpAsync;

/**
 * `x1 < x2`, elementwise with broadcasting (numpy's `less`): a bool array.
 *
 * @param x1 An array, a number or a boolean.
 * @param x2 An array, a number or a boolean.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`; any dtype: true is 1).
 * @example
 * ```ts
 * import { less, zeros } from 'weft';
 * less([1, 2, 3], 2).toArray(); // [true, false, false]
 * less([1, 2, 3], 2, { out: zeros([3]) }).toArray(); // [1, 0, 0]
 * ```
 */
export const less = defineOp('less', comparison((x, y) => x < y, lessPair), { options: true }) as BoolOutOp;
export const lessAsync = asyncOf(less) as BoolOutOpAsync;

/**
 * `x1 <= x2`, elementwise with broadcasting (numpy's `less_equal`): a bool array.
 *
 * @param x1 An array, a number or a boolean.
 * @param x2 An array, a number or a boolean.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`; any dtype: true is 1).
 * @example
 * ```ts
 * import { lessEqual } from 'weft';
 * lessEqual([1, 2, 3], 2).toArray(); // [true, true, false]
 * ```
 */
export const lessEqual = defineOp('lessEqual', comparison((x, y) => x <= y, lessEqualPair), { options: true }) as BoolOutOp;
export const lessEqualAsync = asyncOf(lessEqual) as BoolOutOpAsync;

/**
 * `x1 > x2`, elementwise with broadcasting (numpy's `greater`): a bool array.
 *
 * @param x1 An array, a number or a boolean.
 * @param x2 An array, a number or a boolean.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`; any dtype: true is 1).
 * @example
 * ```ts
 * import { array, greater } from 'weft';
 * greater([[1], [3]], [2, 3]).toArray();                     // [[false, false], [true, false]]
 * greater(array([0.1], { dtype: 'float32' }), 0.1).toArray(); // [false]: 0.1 is read as float32
 * ```
 */
export const greater = defineOp('greater', comparison(
    (x, y) => x > y,
    (ar, ai, br, bi) => lessPair(br, bi, ar, ai),
  ), { options: true }) as BoolOutOp;
export const greaterAsync = asyncOf(greater) as BoolOutOpAsync;

/**
 * `x1 >= x2`, elementwise with broadcasting (numpy's `greater_equal`): a bool array.
 *
 * @param x1 An array, a number or a boolean.
 * @param x2 An array, a number or a boolean.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`; any dtype: true is 1).
 * @example
 * ```ts
 * import { greaterEqual } from 'weft';
 * greaterEqual([1, 2, 3], 2).toArray(); // [false, true, true]
 * ```
 */
export const greaterEqual = defineOp('greaterEqual', comparison(
    (x, y) => x >= y,
    (ar, ai, br, bi) => lessEqualPair(br, bi, ar, ai),
  ), { options: true }) as BoolOutOp;
export const greaterEqualAsync = asyncOf(greaterEqual) as BoolOutOpAsync;

/** isclose's options. */
export interface IscloseOptions {
  /** Relative tolerance, default 1e-5. */
  rtol?: number;
  /** Absolute tolerance, default 1e-8. */
  atol?: number;
  /** Whether NaN is close to NaN; default false. */
  equalNan?: boolean;
}

/** A tolerance: a finite number (numpy warns for a non-finite one and computes; weft refuses it). */
const tolerance =
  (fallback: number): OptionReader<number> =>
  (value, fn, name) => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number') throw typeError(fn, name, 'a finite number', value);
    if (!Number.isFinite(value)) throw rangeError(fn, name, 'a finite number', value);
    return value;
  };

const ISCLOSE_OPTIONS = { rtol: tolerance(1e-5), atol: tolerance(1e-8), equalNan: flag(false) };

/**
 * numpy's isclose test of one pair: |x − y| ≤ atol + rtol·|y| with y finite,
 * or x == y (equal infinities), or both NaN when `equalNan`; each step
 * rounded as the operands' dtype has it (`round`).
 */
function closeTest(rtol: number, atol: number, equalNan: boolean) {
  return (x: number, y: number, round: (v: number) => number): boolean => {
    if (x === y) return true;
    if (Number.isNaN(x) || Number.isNaN(y)) return equalNan && Number.isNaN(x) && Number.isNaN(y);
    if (!Number.isFinite(y)) return false;
    return round(Math.abs(round(x - y))) <= round(round(atol) + round(round(rtol) * Math.abs(y)));
  };
}

/**
 * numpy's isclose of complex: |x − y| ≤ atol + rtol·|y| with complex
 * absolute values, y finite (both parts), or x == y; NaN (either part)
 * close to NaN only with equalNan.
 */
function closePairTest(rtol: number, atol: number, equalNan: boolean): PairTest {
  return (ar, ai, br, bi, round) => {
    if (ar === br && ai === bi) return true;
    const xNan = nanPair(ar, ai);
    const yNan = nanPair(br, bi);
    if (xNan || yNan) return equalNan && xNan && yNan;
    if (!Number.isFinite(br) || !Number.isFinite(bi)) return false;
    return round(cabs(round(ar - br), round(ai - bi))) <= round(round(atol) + round(round(rtol) * round(cabs(br, bi))));
  };
}

// Programs without a native call (they compute in JS).
/* eslint-disable require-yield */

function* iscloseProgram({ fn, async }: OpCall, a: ArrayInput, b: ArrayInput, options?: IscloseOptions): Program<NDArray<'bool'>> {
  const { rtol, atol, equalNan } = readOptions(fn, options, ISCLOSE_OPTIONS, async);
  return compare(fn, a, b, closeTest(rtol, atol, equalNan), closePairTest(rtol, atol, equalNan));
}

function* allcloseProgram({ fn, async }: OpCall, a: ArrayInput, b: ArrayInput, options?: IscloseOptions): Program<boolean> {
  const { rtol, atol, equalNan } = readOptions(fn, options, ISCLOSE_OPTIONS, async);
  return compare(fn, a, b, closeTest(rtol, atol, equalNan), closePairTest(rtol, atol, equalNan)).data.every((v) => v === 1);
}

/* eslint-enable require-yield */

/**
 * Whether `a` and `b` are equal within a tolerance, elementwise with
 * broadcasting (numpy's `isclose`): `|a − b| ≤ atol + rtol·|b|` — not
 * symmetric: `b` is the reference. Infinities are close only to the
 * same infinity; NaN to nothing, unless `equalNan`. Computed in the
 * operands' dtype (float32 when both are).
 *
 * @param a An array or a number.
 * @param b The reference: an array or a number.
 * @param options `{ rtol = 1e-5, atol = 1e-8, equalNan = false }`.
 * @throws RangeError when the shapes do not broadcast or a tolerance is not finite.
 * @example
 * ```ts
 * import { isclose } from 'weft';
 * isclose([1, 1.001, Infinity, NaN], [1 + 1e-9, 1, Infinity, NaN]).toArray(); // [true, false, true, false]
 * isclose([NaN], [NaN], { equalNan: true }).toArray();                         // [true]
 * isclose([1e-9], [0], { atol: 0 }).toArray();                                 // [false]
 * ```
 */
export const isclose = defineOp('isclose', iscloseProgram, { options: true });
export const iscloseAsync = asyncOf(isclose);

/**
 * Whether every element of `a` is close to `b`'s (numpy's `allclose`:
 * {@link isclose} over the broadcast operands, all true): a JS boolean.
 * True for empty operands.
 *
 * @param a An array or a number.
 * @param b The reference: an array or a number.
 * @param options `{ rtol = 1e-5, atol = 1e-8, equalNan = false }`.
 * @throws RangeError when the shapes do not broadcast or a tolerance is not finite.
 * @example
 * ```ts
 * import { allclose } from 'weft';
 * allclose([[1, 2], [3, 4]], [1, 2 + 1e-9]); // false: 3 is not close to 1
 * allclose([1, 2], [1, 2 + 1e-9]);           // true
 * ```
 */
export const allclose = defineOp('allclose', allcloseProgram, { options: true });
export const allcloseAsync = asyncOf(allclose);
