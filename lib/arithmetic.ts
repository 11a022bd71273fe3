/**
 * Binary elementwise arithmetic, as numpy's ufuncs: add, subtract,
 * multiply, divide, power, maximum, minimum, mod, hypot, arctan2. The
 * operands broadcast (numpy's rules); a plain number is a weak scalar that
 * takes the other operand's dtype (numpy 2: `multiply(f32, 2)` stays
 * float32); float32 with float64 gives float64. Results of up to
 * `JS_MAX_SIZE` elements are computed in JS on the calling thread (the ops
 * that round once in the result's dtype); larger ones, and power, hypot and
 * arctan2 at every size (glibc's pow, hypot, atan2, as numpy's), in
 * native/ops/elementwise.cc, in parallel in the arena for large arrays.
 *
 * @module
 */
import { NDArray } from './ndarray.js';
import type { ArrayInput } from './ndarray.js';
import { nativeCall, step } from './internal/dispatch.js';
import type { Program } from './internal/dispatch.js';
import { code } from './internal/codes.js';
import type { CodeName } from './internal/codes.js';
import { JS_MAX_SIZE, allocate, broadcast, computeInJsInto, leanOut, maximumOf, minimumOf, operand, promote, sameLayout, sizeOf, wholeAndContiguous } from './internal/elementwise.js';
import { checkOut, nativeInto, outSpec, writeOut } from './internal/out.js';
import type { OutOptions } from './internal/out.js';
import { readOptions } from './internal/options.js';
import { anyComplex, cdiv, complexOperand, complexResult, cpow, lessEqualPair, mapPairs, nanPair } from './internal/complex.js';
import type { PairKernel } from './internal/complex.js';
import { isComplexData } from './ndarray.js';
import { asyncOf, defineOp } from './internal/registry.js';
import type { ArithmeticOutOp, ArithmeticOutOpAsync, OpCall } from './internal/registry.js';

/** An operand: an array, or a number (a weak scalar). */
export type Operand = ArrayInput;

type BinaryOp = CodeName<'Binary'>;

/** numpy's remainder (npy_divmod): the divisor's sign, a zero result signed as the divisor, NaN for a zero divisor. */
function remainder(x: number, y: number): number {
  const m = x % y;
  if (y === 0) return m;
  if (m !== 0) return y < 0 !== m < 0 ? m + y : m;
  return y < 0 ? -0 : 0;
}

/** The ops the JS path computes (bit-for-bit as native does); the others always run natively. */
const IN_JS: Partial<Record<BinaryOp, (x: number, y: number) => number>> = {
  add: (x, y) => x + y,
  subtract: (x, y) => x - y,
  multiply: (x, y) => x * y,
  divide: (x, y) => x / y,
  maximum: maximumOf,
  minimum: minimumOf,
  mod: remainder,
};

/**
 * The ops numpy defines for complex operands, as its loops compute them
 * (lib/internal/complex.ts); mod, hypot and arctan2 refuse complex by name,
 * as numpy's ufuncs have no complex loop for them.
 */
const COMPLEX: Partial<Record<BinaryOp, PairKernel>> = {
  add: (z, o, k) => {
    o[k] = z[0]! + z[2]!;
    o[k + 1] = z[1]! + z[3]!;
  },
  subtract: (z, o, k) => {
    o[k] = z[0]! - z[2]!;
    o[k + 1] = z[1]! - z[3]!;
  },
  multiply: (z, o, k) => {
    const [ar, ai, br, bi] = [z[0]!, z[1]!, z[2]!, z[3]!];
    o[k] = ar * br - ai * bi;
    o[k + 1] = ar * bi + ai * br;
  },
  divide: (z, o, k) => {
    const q = cdiv(z[0]!, z[1]!, z[2]!, z[3]!);
    o[k] = q[0]!;
    o[k + 1] = q[1]!;
  },
  power: (z, o, k) => {
    const p = cpow(z[0]!, z[1]!, z[2]!, z[3]!);
    o[k] = p[0]!;
    o[k + 1] = p[1]!;
  },
  // numpy: x1 where x1 has a NaN part or x1 >= x2 lexicographically, else x2 (so NaN propagates).
  maximum: (z, o, k) => {
    const first = nanPair(z[0]!, z[1]!) || lessEqualPair(z[2]!, z[3]!, z[0]!, z[1]!);
    o[k] = first ? z[0]! : z[2]!;
    o[k + 1] = first ? z[1]! : z[3]!;
  },
  minimum: (z, o, k) => {
    const first = nanPair(z[0]!, z[1]!) || lessEqualPair(z[0]!, z[1]!, z[2]!, z[3]!);
    o[k] = first ? z[0]! : z[2]!;
    o[k + 1] = first ? z[1]! : z[3]!;
  },
};

/**
 * The lean path of a sync call on two small NDArrays of one dtype and one
 * row-major contiguous layout, each the whole of its data (a Kalman step's
 * 4×4s): no generator, no broadcasting, no view objects; the result shares
 * the first operand's frozen shape and strides. Undefined when the call
 * needs the full program.
 */
function small(op: BinaryOp): ((x1: unknown, x2: unknown, options?: unknown) => NDArray | undefined) | undefined {
  const kernel = IN_JS[op];
  if (kernel === undefined) return undefined;
  return (x1, x2, options) => {
    if (options !== undefined) return withOut(x1, x2, options);
    if (!(x1 instanceof NDArray)) return typeof x1 === 'number' && x2 instanceof NDArray ? withScalar(x2, x1, true) : undefined;
    if (!(x2 instanceof NDArray)) return typeof x2 === 'number' ? withScalar(x1, x2, false) : undefined;
    const a = x1.data;
    const b = x2.data;
    const size = a.length;
    if (size > JS_MAX_SIZE || b.length !== size || a.constructor !== b.constructor || a instanceof Int32Array || isComplexData(a)) return undefined;
    if (x1.offset !== 0 || x2.offset !== 0 || !wholeAndContiguous(x1, size) || !sameLayout(x1, x2)) return undefined;
    const out = allocate(a instanceof Float32Array, size);
    for (let i = 0; i < size; i++) out[i] = kernel(a[i]!, b[i]!);
    return NDArray.withLayoutOf(out, x1);
  };

  /**
   * `{ out }` alone, for two arrays as above or an array and a number, when
   * out has the result's dtype and shape and may be written while the
   * operands are read (lib/internal/out.ts, `direct`): no allocation at all.
   */
  function withOut(x1: unknown, x2: unknown, options: unknown): NDArray | undefined {
    const f = kernel!;
    const array = x1 instanceof NDArray ? x1 : x2 instanceof NDArray ? x2 : undefined;
    if (array === undefined) return undefined;
    const a = array.data;
    const size = a.length;
    if (size > JS_MAX_SIZE || a instanceof Int32Array || isComplexData(a) || array.offset !== 0 || !wholeAndContiguous(array, size)) return undefined;
    const other = array === x1 ? x2 : x1;
    if (other instanceof NDArray) {
      if (other.data.length !== size || isComplexData(other.data) || other.data.constructor !== a.constructor || other.offset !== 0 || !sameLayout(array, other)) return undefined;
    } else if (typeof other !== 'number') return undefined;
    const o = leanOut(options, array, array, other instanceof NDArray ? other : undefined);
    if (o < 0) return undefined;
    const out = (options as { out: NDArray }).out;
    const r = out.data;
    if (other instanceof NDArray) {
      const b = other.data;
      if (array === x1) for (let i = 0; i < size; i++) r[o + i] = f(a[i]!, b[i]!);
      else for (let i = 0; i < size; i++) r[o + i] = f(b[i]!, a[i]!);
    } else {
      const s = a instanceof Float32Array ? Math.fround(other) : other;
      if (array === x1) for (let i = 0; i < size; i++) r[o + i] = f(a[i]!, s);
      else for (let i = 0; i < size; i++) r[o + i] = f(s, a[i]!);
    }
    return out;
  }

  /** An array with a weak scalar (rounded to float32 for a float32 array, as numpy casts it), either side. */
  function withScalar(x: NDArray, scalar: number, scalarFirst: boolean): NDArray | undefined {
    const a = x.data;
    const size = a.length;
    if (size > JS_MAX_SIZE || a instanceof Int32Array || isComplexData(a) || x.offset !== 0 || !wholeAndContiguous(x, size)) return undefined;
    const float32 = a instanceof Float32Array;
    const s = float32 ? Math.fround(scalar) : scalar;
    const out = allocate(float32, size);
    const f = kernel!;
    if (scalarFirst) for (let i = 0; i < size; i++) out[i] = f(s, a[i]!);
    else for (let i = 0; i < size; i++) out[i] = f(a[i]!, s);
    return NDArray.withLayoutOf(out, x);
  }
}

/**
 * The program of a binary op: broadcast, then JS for small results, else
 * native (into a temporary that options.out, if given, receives).
 */
const binary = (op: BinaryOp) =>
  function* ({ fn, async }: OpCall, x1: Operand, x2: Operand, options?: OutOptions): Program<NDArray> {
    const { out } = readOptions(fn, options, outSpec, async);
    const complexKernel = COMPLEX[op];
    const read = complexKernel === undefined ? operand : complexOperand;
    const operands = [read(fn, x1, 'x1'), read(fn, x2, 'x2')];
    if (complexKernel !== undefined && anyComplex(operands)) {
      const result = mapPairs(fn, operands.map((o) => o.view), complexResult(operands), complexKernel);
      if (out === undefined) return result as NDArray;
      checkOut(fn, out, result.shape, result.dtype);
      return writeOut(result, out) as NDArray;
    }
    const float32 = promote(operands);
    const { shape, views } = broadcast(fn, operands.map((o) => o.view));
    if (out !== undefined) checkOut(fn, out, shape, float32 ? 'float32' : 'float64');
    const size = sizeOf(shape);
    const kernel = IN_JS[op];
    if (size === 0 || (size <= JS_MAX_SIZE && kernel !== undefined)) {
      return computeInJsInto(shape, views, float32, kernel ?? Number, out);
    }
    const call = nativeInto(nativeCall('binary', views, code('Binary', op)), out, float32 ? 'float32' : 'float64', size, views);
    const raw = yield* step<Float64Array | Float32Array | undefined>(call);
    if (raw === undefined) return out as NDArray; // written into out
    const result = NDArray.fromContiguous(raw, shape);
    return out === undefined ? result : (writeOut(result, out) as NDArray);
  };

/** The spec of a binary op: its lean small-array path (each op also says `options: true`: it takes `out`). */
const spec = (op: BinaryOp) => ({ small: small(op) });

/**
 * `x1 + x2`, elementwise with broadcasting (numpy's `add`).
 *
 * @param x1 An array or a number.
 * @param x2 An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @throws RangeError when the shapes do not broadcast.
 * @example
 * ```ts
 * import { add, zeros } from 'weft';
 * add([[1, 2], [3, 4]], [10, 20]).toArray(); // [[11, 22], [13, 24]]
 * add([1, 2], 0.5).toArray();                // [1.5, 2.5]
 * const out = zeros([2]);
 * add([1, 2], [3, 4], { out }) === out;       // true: no new array
 * out.toArray();                              // [4, 6]
 * ```
 */
export const add = defineOp('add', binary('add'), { options: true, ...spec('add') }) as ArithmeticOutOp;
export const addAsync = asyncOf(add) as ArithmeticOutOpAsync;

/**
 * `x1 − x2`, elementwise with broadcasting (numpy's `subtract`).
 *
 * @param x1 An array or a number.
 * @param x2 An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { subtract } from 'weft';
 * subtract([[1, 2], [3, 4]], [[1], [2]]).toArray(); // [[0, 1], [1, 2]]
 * ```
 */
export const subtract = defineOp('subtract', binary('subtract'), { options: true, ...spec('subtract') }) as ArithmeticOutOp;
export const subtractAsync = asyncOf(subtract) as ArithmeticOutOpAsync;

/**
 * `x1 × x2`, elementwise with broadcasting (numpy's `multiply`).
 *
 * @param x1 An array or a number.
 * @param x2 An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { array, multiply } from 'weft';
 * multiply(array([1, 2], { dtype: 'float32' }), 2).dtype; // 'float32'
 * multiply([1, 2], [3, 4]).toArray();                     // [3, 8]
 * ```
 */
export const multiply = defineOp('multiply', binary('multiply'), { options: true, ...spec('multiply') }) as ArithmeticOutOp;
export const multiplyAsync = asyncOf(multiply) as ArithmeticOutOpAsync;

/**
 * `x1 ÷ x2`, elementwise with broadcasting (numpy's `divide`, true
 * division): dividing by zero gives ±Infinity or NaN, as IEEE 754 says.
 *
 * @param x1 An array or a number.
 * @param x2 An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { divide } from 'weft';
 * String(divide([1, -1], 0));       // '[ Infinity -Infinity]'
 * Number.isNaN(divide(0, 0).item()); // true
 * ```
 */
export const divide = defineOp('divide', binary('divide'), { options: true, ...spec('divide') }) as ArithmeticOutOp;
export const divideAsync = asyncOf(divide) as ArithmeticOutOpAsync;

/**
 * `x1` to the power `x2`, elementwise with broadcasting (numpy's `power`,
 * C's `pow`: `power(1, NaN)` is 1, a negative base to a fractional power NaN).
 *
 * @param x1 An array or a number.
 * @param x2 An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { power } from 'weft';
 * power([1, 2, 3], 2).toArray(); // [1, 4, 9]
 * ```
 */
export const power = defineOp('power', binary('power'), { options: true, ...spec('power') }) as ArithmeticOutOp;
export const powerAsync = asyncOf(power) as ArithmeticOutOpAsync;

/**
 * The larger of `x1` and `x2`, elementwise with broadcasting (numpy's
 * `maximum`): NaN if either is NaN.
 *
 * @param x1 An array or a number.
 * @param x2 An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { maximum } from 'weft';
 * maximum([1, 5, -2], 0).toArray(); // [1, 5, 0]
 * ```
 */
export const maximum = defineOp('maximum', binary('maximum'), { options: true, ...spec('maximum') }) as ArithmeticOutOp;
export const maximumAsync = asyncOf(maximum) as ArithmeticOutOpAsync;

/**
 * The smaller of `x1` and `x2`, elementwise with broadcasting (numpy's
 * `minimum`): NaN if either is NaN.
 *
 * @param x1 An array or a number.
 * @param x2 An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { minimum } from 'weft';
 * minimum([1, 5, -2], 0).toArray(); // [0, 0, -2]
 * ```
 */
export const minimum = defineOp('minimum', binary('minimum'), { options: true, ...spec('minimum') }) as ArithmeticOutOp;
export const minimumAsync = asyncOf(minimum) as ArithmeticOutOpAsync;

/**
 * The remainder of `x1 ÷ x2` with the sign of `x2`, elementwise with
 * broadcasting (numpy's `mod`/`remainder`, Python's `%`); NaN for a zero divisor.
 *
 * @param x1 An array or a number.
 * @param x2 An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { mod } from 'weft';
 * mod([5, -5, 5], [3, 3, -3]).toArray(); // [2, 1, -1]
 * ```
 */
export const mod = defineOp('mod', binary('mod'), { options: true, ...spec('mod') }) as ArithmeticOutOp;
export const modAsync = asyncOf(mod) as ArithmeticOutOpAsync;

/**
 * `√(x1² + x2²)` without overflow, elementwise with broadcasting (numpy's `hypot`).
 *
 * @param x1 An array or a number.
 * @param x2 An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { hypot } from 'weft';
 * hypot([3, 5], [4, 12]).toArray(); // [5, 13]
 * ```
 */
export const hypot = defineOp('hypot', binary('hypot'), { options: true, ...spec('hypot') }) as ArithmeticOutOp;
export const hypotAsync = asyncOf(hypot) as ArithmeticOutOpAsync;

/**
 * The angle of the point `(x2, x1)`, in radians from −π to π, elementwise
 * with broadcasting (numpy's `arctan2`: `x1` is the y coordinate).
 *
 * @param x1 The y coordinates.
 * @param x2 The x coordinates.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { arctan2 } from 'weft';
 * arctan2([1, -1], [0, 0]).toArray(); // [1.5707963267948966, -1.5707963267948966]
 * ```
 */
export const arctan2 = defineOp('arctan2', binary('arctan2'), { options: true, ...spec('arctan2') }) as ArithmeticOutOp;
export const arctan2Async = asyncOf(arctan2) as ArithmeticOutOpAsync;
