/**
 * Binary elementwise arithmetic, as numpy's ufuncs: add, subtract,
 * multiply, divide, power, maximum, minimum, mod, hypot, arctan2. The
 * operands broadcast (numpy's rules); a plain number is a weak scalar that
 * takes the other operand's dtype (numpy 2: `multiply(f32, 2)` stays
 * float32); float32 with float64 gives float64. This first version computes
 * in JS on the calling thread, in float64, each result rounded to the
 * result's dtype (exact for +, −, ×, ÷, which round once either way).
 *
 * @module
 */
import { NDArray } from './ndarray.js';
import type { ArrayInput, View } from './ndarray.js';
import { broadcastPair, operand } from './internal/broadcast.js';
import type { Program } from './internal/dispatch.js';
import { asyncOf, defineOp } from './internal/registry.js';
import type { OpCall } from './internal/registry.js';

/** An operand: an array, or a number (a weak scalar). */
export type Operand = ArrayInput;

/** `kernel` over the broadcast operands, into a new contiguous array of the promoted dtype. */
// A program without a native call (this version computes in JS).
// eslint-disable-next-line require-yield
function* elementwise({ fn }: OpCall, a: Operand, b: Operand, kernel: (x: number, y: number) => number): Program<NDArray> {
  const x = operand(fn, a, 'x1');
  const y = operand(fn, b, 'x2');
  const f32 = (v: { view: View; weak: boolean }) => v.view.data instanceof Float32Array;
  // numpy 2: float32 unless a non-weak operand is float64; two weak scalars give float64.
  const float32 = (f32(x) || x.weak) && (f32(y) || y.weak) && !(x.weak && y.weak);
  const { shape, xs, ys } = broadcastPair(fn, x.view, y.view);
  const size = shape.reduce((p, d) => p * d, 1);
  const out = float32 ? new Float32Array(size) : new Float64Array(size);
  const nd = shape.length;
  const xd = x.view.data;
  const yd = y.view.data;
  if (size === 0) return NDArray.fromContiguous(out, shape);
  if (nd === 0) {
    out[0] = kernel(xd[x.view.offset]!, yd[y.view.offset]!);
    return NDArray.fromContiguous(out, shape);
  }
  // Odometer over the outer axes, the last axis in a tight loop.
  const inner = shape[nd - 1]!;
  const [xStep, yStep] = [xs[nd - 1]!, ys[nd - 1]!];
  const index = new Array<number>(nd).fill(0);
  let xi = x.view.offset;
  let yi = y.view.offset;
  for (let k = 0; k < size; ) {
    for (let j = 0; j < inner; j++) out[k++] = kernel(xd[xi + j * xStep]!, yd[yi + j * yStep]!);
    let d = nd - 2;
    for (; d >= 0; d--) {
      if (++index[d]! < shape[d]!) {
        xi += xs[d]!;
        yi += ys[d]!;
        break;
      }
      xi -= xs[d]! * (shape[d]! - 1);
      yi -= ys[d]! * (shape[d]! - 1);
      index[d] = 0;
    }
    if (d < 0) break;
  }
  return NDArray.fromContiguous(out, shape);
}

/** C's pow where JS's `**` differs: pow(1, y) and pow(x, ±0) are 1, pow(−1, ±∞) is 1 (IEEE 754, numpy). */
function cPow(x: number, y: number): number {
  if (x === 1 || y === 0) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return x ** y;
}

/** numpy's remainder: the sign of the divisor (Python's %), NaN for a zero divisor. */
function remainder(x: number, y: number): number {
  if (y === 0) return Number.NaN;
  const m = x % y;
  return m !== 0 && y < 0 !== m < 0 ? m + y : m;
}

/** The program of a binary op: `kernel` elementwise over two broadcast operands. */
const binary =
  (kernel: (x: number, y: number) => number) =>
  (call: OpCall, x1: Operand, x2: Operand): Program<NDArray> =>
    elementwise(call, x1, x2, kernel);

/**
 * `x1 + x2`, elementwise with broadcasting (numpy's `add`).
 *
 * @param x1 An array or a number.
 * @param x2 An array or a number.
 * @throws RangeError when the shapes do not broadcast.
 * @example
 * ```ts
 * import { add } from 'weft';
 * add([[1, 2], [3, 4]], [10, 20]).toArray(); // [[11, 22], [13, 24]]
 * add([1, 2], 0.5).toArray();                // [1.5, 2.5]
 * ```
 */
export const add = defineOp('add', binary((x, y) => x + y));
export const addAsync = asyncOf(add);

/**
 * `x1 − x2`, elementwise with broadcasting (numpy's `subtract`).
 *
 * @param x1 An array or a number.
 * @param x2 An array or a number.
 * @example
 * ```ts
 * import { subtract } from 'weft';
 * subtract([[1, 2], [3, 4]], [[1], [2]]).toArray(); // [[0, 1], [1, 2]]
 * ```
 */
export const subtract = defineOp('subtract', binary((x, y) => x - y));
export const subtractAsync = asyncOf(subtract);

/**
 * `x1 × x2`, elementwise with broadcasting (numpy's `multiply`).
 *
 * @param x1 An array or a number.
 * @param x2 An array or a number.
 * @example
 * ```ts
 * import { array, multiply } from 'weft';
 * multiply(array([1, 2], { dtype: 'float32' }), 2).dtype; // 'float32'
 * multiply([1, 2], [3, 4]).toArray();                     // [3, 8]
 * ```
 */
export const multiply = defineOp('multiply', binary((x, y) => x * y));
export const multiplyAsync = asyncOf(multiply);

/**
 * `x1 ÷ x2`, elementwise with broadcasting (numpy's `divide`, true
 * division): dividing by zero gives ±Infinity or NaN, as IEEE 754 says.
 *
 * @param x1 An array or a number.
 * @param x2 An array or a number.
 * @example
 * ```ts
 * import { divide } from 'weft';
 * String(divide([1, -1], 0));       // '[ Infinity -Infinity]'
 * Number.isNaN(divide(0, 0).item()); // true
 * ```
 */
export const divide = defineOp('divide', binary((x, y) => x / y));
export const divideAsync = asyncOf(divide);

/**
 * `x1` to the power `x2`, elementwise with broadcasting (numpy's `power`,
 * C's `pow`: `power(1, NaN)` is 1, a negative base to a fractional power NaN).
 *
 * @param x1 An array or a number.
 * @param x2 An array or a number.
 * @example
 * ```ts
 * import { power } from 'weft';
 * power([1, 2, 3], 2).toArray(); // [1, 4, 9]
 * ```
 */
export const power = defineOp('power', binary(cPow));
export const powerAsync = asyncOf(power);

/**
 * The larger of `x1` and `x2`, elementwise with broadcasting (numpy's
 * `maximum`): NaN if either is NaN.
 *
 * @param x1 An array or a number.
 * @param x2 An array or a number.
 * @example
 * ```ts
 * import { maximum } from 'weft';
 * maximum([1, 5, -2], 0).toArray(); // [1, 5, 0]
 * ```
 */
export const maximum = defineOp('maximum', binary((x, y) => (Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : x >= y ? x : y)));
export const maximumAsync = asyncOf(maximum);

/**
 * The smaller of `x1` and `x2`, elementwise with broadcasting (numpy's
 * `minimum`): NaN if either is NaN.
 *
 * @param x1 An array or a number.
 * @param x2 An array or a number.
 * @example
 * ```ts
 * import { minimum } from 'weft';
 * minimum([1, 5, -2], 0).toArray(); // [0, 0, -2]
 * ```
 */
export const minimum = defineOp('minimum', binary((x, y) => (Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : x <= y ? x : y)));
export const minimumAsync = asyncOf(minimum);

/**
 * The remainder of `x1 ÷ x2` with the sign of `x2`, elementwise with
 * broadcasting (numpy's `mod`/`remainder`, Python's `%`); NaN for a zero divisor.
 *
 * @param x1 An array or a number.
 * @param x2 An array or a number.
 * @example
 * ```ts
 * import { mod } from 'weft';
 * mod([5, -5, 5], [3, 3, -3]).toArray(); // [2, 1, -1]
 * ```
 */
export const mod = defineOp('mod', binary(remainder));
export const modAsync = asyncOf(mod);

/**
 * `√(x1² + x2²)` without overflow, elementwise with broadcasting (numpy's `hypot`).
 *
 * @param x1 An array or a number.
 * @param x2 An array or a number.
 * @example
 * ```ts
 * import { hypot } from 'weft';
 * hypot([3, 5], [4, 12]).toArray(); // [5, 13]
 * ```
 */
export const hypot = defineOp('hypot', binary(Math.hypot));
export const hypotAsync = asyncOf(hypot);

/**
 * The angle of the point `(x2, x1)`, in radians from −π to π, elementwise
 * with broadcasting (numpy's `arctan2`: `x1` is the y coordinate).
 *
 * @param x1 The y coordinates.
 * @param x2 The x coordinates.
 * @example
 * ```ts
 * import { arctan2 } from 'weft';
 * arctan2([1, -1], [0, 0]).toArray(); // [1.5707963267948966, -1.5707963267948966]
 * ```
 */
export const arctan2 = defineOp('arctan2', binary(Math.atan2));
export const arctan2Async = asyncOf(arctan2);
