/**
 * Unary math, as numpy's ufuncs: negative, abs, sign, sqrt, square,
 * reciprocal, exp, expm1, exp2, log, log1p, log2, log10, sin, cos, tan,
 * arcsin, arccos, arctan, sinh, cosh, tanh, floor, ceil, round — and clip.
 * float32 stays float32; integer input becomes float64 (as numpy's
 * float ufuncs make it). No warnings and no exceptions for values outside
 * a function's domain: NaN or ±Infinity, as IEEE 754 says.
 *
 * The transcendental functions run on oneMKL's Vector Mathematics in its
 * high-accuracy mode (native/ops/elementwise.cc), in parallel in the arena
 * for large arrays, at every size: JS's `Math` would differ from them in
 * the last bit. Measured against numpy 2.4.6 (test/26 has the table per
 * function): at most 1 ulp from numpy in float64; in float32 at most 1 ulp
 * from numpy's float64 result rounded to float32 (numpy's own float32
 * loops are up to 3 ulp from that). The exact ones (negative, abs, sign,
 * sqrt — correctly rounded, as numpy's — square, reciprocal, floor, ceil,
 * round, clip) compute small arrays in JS, bit-for-bit as native does.
 *
 * @module
 */
import { NDArray, toView } from './ndarray.js';
import type { ArrayInput } from './ndarray.js';
import { nativeCall, step } from './internal/dispatch.js';
import type { Program } from './internal/dispatch.js';
import { code } from './internal/codes.js';
import type { CodeName } from './internal/codes.js';
import { JS_MAX_SIZE, allocate, broadcast, computeInJs, computeInJsInto, leanOut, maximumOf, minimumOf, operand, promote, sizeOf, wholeAndContiguous } from './internal/elementwise.js';
import { integer, readOptions } from './internal/options.js';
import { checkOut, nativeInto, outArray, outSpec, writeOut } from './internal/out.js';
import type { OutOptions } from './internal/out.js';
import { asyncOf, defineOp } from './internal/registry.js';
import type { FloatOutOp, FloatOutOpAsync, OpCall } from './internal/registry.js';
import type { AnyNDArray } from './ndarray.js';

type UnaryOp = CodeName<'Unary'>;

/** numpy's sign: NaN stays NaN, ±0 gives +0. */
function signOf(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : x;
}

/** Rounds half to even (C's rint in the default rounding mode), keeping −0. */
function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The exact ops, which small arrays compute in JS (bit-for-bit as native/ops/elementwise.cc). */
const IN_JS: Partial<Record<UnaryOp, (x: number) => number>> = {
  negative: (x) => -x,
  abs: Math.abs,
  sign: signOf,
  square: (x) => x * x,
  reciprocal: (x) => 1 / x,
  floor: Math.floor,
  sqrt: Math.sqrt,
  ceil: Math.ceil,
  round: rint,
};

/**
 * numpy's round(x, decimals), step by step as numpy does it (and
 * native/ops/elementwise.cc): x·10^d rounded half to even, divided by
 * 10^d (for d < 0: x ÷ 10^−d, rounded, times 10^−d), each step rounded to
 * the dtype.
 */
function roundTo(decimals: number, float32: boolean): (x: number) => number {
  if (decimals === 0) return rint;
  const fit = float32 ? Math.fround : (v: number) => v;
  let power = 1;
  for (let d = Math.abs(decimals); d > 0; d--) power *= 10;
  const f = fit(power);
  return decimals > 0 ? (x) => fit(rint(fit(x * f)) / f) : (x) => fit(rint(fit(x / f)) * f);
}

/** A unary op's program: JS for small results of the exact ops, else native. */
function* unaryProgram({ fn }: OpCall, op: UnaryOp, x: ArrayInput, decimals: number, out: AnyNDArray | undefined): Program<NDArray> {
  const view = toView(x, fn, 'x');
  const size = sizeOf(view.shape);
  const float32 = view.data instanceof Float32Array;
  if (out !== undefined) checkOut(fn, out, view.shape, float32 ? 'float32' : 'float64');
  const kernel = op === 'round' ? roundTo(decimals, float32) : IN_JS[op];
  if (size === 0 || (size <= JS_MAX_SIZE && kernel !== undefined)) return computeInJsInto(view.shape, [view], float32, kernel ?? Number, out);
  const call = nativeInto(nativeCall('unary', [view], code('Unary', op), decimals), out, float32 ? 'float32' : 'float64', size, [view]);
  const raw = yield* step<Float64Array | Float32Array | undefined>(call);
  if (raw === undefined) return out as NDArray; // written into out
  const result = NDArray.fromContiguous(raw, view.shape.slice());
  return out === undefined ? result : (writeOut(result, out) as NDArray);
}

const unary = (op: UnaryOp) =>
  function* (call: OpCall, x: ArrayInput, options?: OutOptions): Program<NDArray> {
    const { out } = readOptions(call.fn, options, outSpec, call.async);
    return yield* unaryProgram(call, op, x, 0, out);
  };

/**
 * The lean sync path of an exact op on a small, whole, contiguous NDArray
 * (see lib/arithmetic.ts), also into `{ out }` when out may be written
 * straight (no allocation then).
 */
function smallUnary(op: UnaryOp): { small?: (x: unknown, options?: unknown) => NDArray | undefined } {
  const kernel = IN_JS[op];
  if (kernel === undefined) return {};
  return {
    small: (x, options) => {
      if (!(x instanceof NDArray) || x.offset !== 0 || x.data instanceof Int32Array) return undefined;
      const a = x.data;
      const size = a.length;
      if (size > JS_MAX_SIZE || !wholeAndContiguous(x, size)) return undefined;
      if (options !== undefined) {
        const o = leanOut(options, x, x);
        if (o < 0) return undefined;
        const into = (options as { out: NDArray }).out;
        const r = into.data;
        for (let i = 0; i < size; i++) r[o + i] = kernel(a[i]!);
        return into;
      }
      const out = allocate(a instanceof Float32Array, size);
      for (let i = 0; i < size; i++) out[i] = kernel(a[i]!);
      return NDArray.withLayoutOf(out, x);
    },
  };
}

/**
 * `−x`, elementwise (numpy's `negative`).
 *
 * @param x An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { negative } from 'weft';
 * negative([1, -2]).toArray(); // [-1, 2]
 * ```
 */
export const negative = defineOp('negative', unary('negative'), { options: true, ...smallUnary('negative') }) as FloatOutOp;
export const negativeAsync = asyncOf(negative) as FloatOutOpAsync;

/**
 * `|x|`, elementwise (numpy's `abs`/`absolute`): `abs(-0)` is 0.
 *
 * @param x An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { abs } from 'weft';
 * abs([-1.5, 2]).toArray(); // [1.5, 2]
 * ```
 */
export const abs = defineOp('abs', unary('abs'), { options: true, ...smallUnary('abs') }) as FloatOutOp;
export const absAsync = asyncOf(abs) as FloatOutOpAsync;

/**
 * The sign of `x`, elementwise (numpy's `sign`): −1, 0 or 1; NaN stays NaN, and ±0 gives 0.
 *
 * @param x An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { sign } from 'weft';
 * sign([-3, 0, 2]).toArray(); // [-1, 0, 1]
 * ```
 */
export const sign = defineOp('sign', unary('sign'), { options: true, ...smallUnary('sign') }) as FloatOutOp;
export const signAsync = asyncOf(sign) as FloatOutOpAsync;

/**
 * `√x`, elementwise (numpy's `sqrt`), correctly rounded: NaN for x < 0.
 *
 * @param x An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { sqrt, zeros } from 'weft';
 * sqrt([4, 9]).toArray(); // [2, 3]
 * const out = zeros([2], { dtype: 'float32' });
 * sqrt([4, 9], { out }) === out; // true
 * out.toArray();                 // [2, 3]
 * ```
 */
export const sqrt = defineOp('sqrt', unary('sqrt'), { options: true, ...smallUnary('sqrt') }) as FloatOutOp;
export const sqrtAsync = asyncOf(sqrt) as FloatOutOpAsync;

/**
 * `x²`, elementwise (numpy's `square`).
 *
 * @param x An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { square } from 'weft';
 * square([3, -2]).toArray(); // [9, 4]
 * ```
 */
export const square = defineOp('square', unary('square'), { options: true, ...smallUnary('square') }) as FloatOutOp;
export const squareAsync = asyncOf(square) as FloatOutOpAsync;

/**
 * `1 ÷ x`, elementwise (numpy's `reciprocal`): ±Infinity for ±0.
 *
 * @param x An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { reciprocal } from 'weft';
 * reciprocal([2, 4]).toArray(); // [0.5, 0.25]
 * ```
 */
export const reciprocal = defineOp('reciprocal', unary('reciprocal'), { options: true, ...smallUnary('reciprocal') }) as FloatOutOp;
export const reciprocalAsync = asyncOf(reciprocal) as FloatOutOpAsync;

/**
 * `eˣ`, elementwise (numpy's `exp`).
 *
 * @param x An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { exp } from 'weft';
 * exp([0]).toArray(); // [1]
 * ```
 */
export const exp = defineOp('exp', unary('exp'), { options: true, ...smallUnary('exp') }) as FloatOutOp;
export const expAsync = asyncOf(exp) as FloatOutOpAsync;

/**
 * `eˣ − 1`, elementwise, accurate for x near 0 (numpy's `expm1`).
 *
 * @param x An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { expm1 } from 'weft';
 * expm1([0]).toArray(); // [0]
 * ```
 */
export const expm1 = defineOp('expm1', unary('expm1'), { options: true, ...smallUnary('expm1') }) as FloatOutOp;
export const expm1Async = asyncOf(expm1) as FloatOutOpAsync;

/**
 * `2ˣ`, elementwise (numpy's `exp2`).
 *
 * @param x An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { exp2 } from 'weft';
 * exp2([3, -1]).toArray(); // [8, 0.5]
 * ```
 */
export const exp2 = defineOp('exp2', unary('exp2'), { options: true, ...smallUnary('exp2') }) as FloatOutOp;
export const exp2Async = asyncOf(exp2) as FloatOutOpAsync;

/**
 * The natural logarithm, elementwise (numpy's `log`): −Infinity at 0, NaN below.
 *
 * @param x An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { log } from 'weft';
 * log([1, 100]).toArray(); // [0, 4.605170185988092]
 * String(log([0, -1]));      // '[-Infinity       NaN]'
 * ```
 */
export const log = defineOp('log', unary('log'), { options: true, ...smallUnary('log') }) as FloatOutOp;
export const logAsync = asyncOf(log) as FloatOutOpAsync;

/**
 * `ln(1 + x)`, elementwise, accurate for x near 0 (numpy's `log1p`).
 *
 * @param x An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { log1p } from 'weft';
 * log1p([0]).toArray(); // [0]
 * ```
 */
export const log1p = defineOp('log1p', unary('log1p'), { options: true, ...smallUnary('log1p') }) as FloatOutOp;
export const log1pAsync = asyncOf(log1p) as FloatOutOpAsync;

/**
 * The base-2 logarithm, elementwise (numpy's `log2`).
 *
 * @param x An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { log2 } from 'weft';
 * log2([8, 0.5]).toArray(); // [3, -1]
 * ```
 */
export const log2 = defineOp('log2', unary('log2'), { options: true, ...smallUnary('log2') }) as FloatOutOp;
export const log2Async = asyncOf(log2) as FloatOutOpAsync;

/**
 * The base-10 logarithm, elementwise (numpy's `log10`).
 *
 * @param x An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { log10 } from 'weft';
 * log10([1000, 1]).toArray(); // [3, 0]
 * ```
 */
export const log10 = defineOp('log10', unary('log10'), { options: true, ...smallUnary('log10') }) as FloatOutOp;
export const log10Async = asyncOf(log10) as FloatOutOpAsync;

/**
 * The sine (radians), elementwise (numpy's `sin`), with full argument reduction for large x.
 *
 * @param x An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { sin } from 'weft';
 * sin([0]).toArray(); // [0]
 * ```
 */
export const sin = defineOp('sin', unary('sin'), { options: true, ...smallUnary('sin') }) as FloatOutOp;
export const sinAsync = asyncOf(sin) as FloatOutOpAsync;

/**
 * The cosine (radians), elementwise (numpy's `cos`).
 *
 * @param x An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { cos } from 'weft';
 * cos([0]).toArray(); // [1]
 * ```
 */
export const cos = defineOp('cos', unary('cos'), { options: true, ...smallUnary('cos') }) as FloatOutOp;
export const cosAsync = asyncOf(cos) as FloatOutOpAsync;

/**
 * The tangent (radians), elementwise (numpy's `tan`).
 *
 * @param x An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { tan } from 'weft';
 * tan([0]).toArray(); // [0]
 * ```
 */
export const tan = defineOp('tan', unary('tan'), { options: true, ...smallUnary('tan') }) as FloatOutOp;
export const tanAsync = asyncOf(tan) as FloatOutOpAsync;

/**
 * The inverse sine, in [−π/2, π/2], elementwise (numpy's `arcsin`): NaN outside [−1, 1].
 *
 * @param x An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { arcsin } from 'weft';
 * arcsin([0, 1]).toArray(); // [0, 1.5707963267948966]
 * ```
 */
export const arcsin = defineOp('arcsin', unary('arcsin'), { options: true, ...smallUnary('arcsin') }) as FloatOutOp;
export const arcsinAsync = asyncOf(arcsin) as FloatOutOpAsync;

/**
 * The inverse cosine, in [0, π], elementwise (numpy's `arccos`): NaN outside [−1, 1].
 *
 * @param x An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { arccos } from 'weft';
 * arccos([1]).toArray(); // [0]
 * ```
 */
export const arccos = defineOp('arccos', unary('arccos'), { options: true, ...smallUnary('arccos') }) as FloatOutOp;
export const arccosAsync = asyncOf(arccos) as FloatOutOpAsync;

/**
 * The inverse tangent, in (−π/2, π/2), elementwise (numpy's `arctan`).
 *
 * @param x An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { arctan } from 'weft';
 * arctan([0]).toArray(); // [0]
 * ```
 */
export const arctan = defineOp('arctan', unary('arctan'), { options: true, ...smallUnary('arctan') }) as FloatOutOp;
export const arctanAsync = asyncOf(arctan) as FloatOutOpAsync;

/**
 * The hyperbolic sine, elementwise (numpy's `sinh`).
 *
 * @param x An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { sinh } from 'weft';
 * sinh([0]).toArray(); // [0]
 * ```
 */
export const sinh = defineOp('sinh', unary('sinh'), { options: true, ...smallUnary('sinh') }) as FloatOutOp;
export const sinhAsync = asyncOf(sinh) as FloatOutOpAsync;

/**
 * The hyperbolic cosine, elementwise (numpy's `cosh`).
 *
 * @param x An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { cosh } from 'weft';
 * cosh([0]).toArray(); // [1]
 * ```
 */
export const cosh = defineOp('cosh', unary('cosh'), { options: true, ...smallUnary('cosh') }) as FloatOutOp;
export const coshAsync = asyncOf(cosh) as FloatOutOpAsync;

/**
 * The hyperbolic tangent, elementwise (numpy's `tanh`).
 *
 * @param x An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { tanh } from 'weft';
 * tanh([0, Infinity]).toArray(); // [0, 1]
 * ```
 */
export const tanh = defineOp('tanh', unary('tanh'), { options: true, ...smallUnary('tanh') }) as FloatOutOp;
export const tanhAsync = asyncOf(tanh) as FloatOutOpAsync;

/**
 * The largest integer ≤ x, elementwise (numpy's `floor`).
 *
 * @param x An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { floor } from 'weft';
 * floor([1.5, -1.5]).toArray(); // [1, -2]
 * ```
 */
export const floor = defineOp('floor', unary('floor'), { options: true, ...smallUnary('floor') }) as FloatOutOp;
export const floorAsync = asyncOf(floor) as FloatOutOpAsync;

/**
 * The smallest integer ≥ x, elementwise (numpy's `ceil`).
 *
 * @param x An array or a number.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { ceil } from 'weft';
 * ceil([1.5, -1.5]).toArray(); // [2, -1]
 * ```
 */
export const ceil = defineOp('ceil', unary('ceil'), { options: true, ...smallUnary('ceil') }) as FloatOutOp;
export const ceilAsync = asyncOf(ceil) as FloatOutOpAsync;

/**
 * `x` rounded to `decimals` decimal places, half to even, elementwise
 * (numpy's `round`/`around`, with its steps: `x·10^decimals` rounded to
 * an integer, then divided back, each step rounded: not always the
 * decimal that is nearest, as numpy says of its own). Negative `decimals`
 * round to tens, hundreds, …
 *
 * @param x An array or a number.
 * @param options `decimals`: an integer from −400 to 400 (default 0).
 * @example
 * ```ts
 * import { round } from 'weft';
 * round([0.5, 1.5, 2.5, -0.5]).toArray();         // [0, 2, 2, -0]
 * round([3.14159, 1250], { decimals: 2 }).toArray(); // [3.14, 1250]
 * round([1250, 1350], { decimals: -2 }).toArray();   // [1200, 1400]
 * ```
 */
export const round = defineOp(
  'round',
  function* (call: OpCall, x: ArrayInput, options?: { decimals?: number } & OutOptions): Program<NDArray> {
    const { decimals, out } = readOptions(call.fn, options, { decimals: integer(-400, 400, 0), out: outArray }, call.async);
    return yield* unaryProgram(call, 'round', x, decimals, out);
  },
  { options: true },
);
export const roundAsync = asyncOf(round);

/**
 * `x` limited to `[aMin, aMax]`, elementwise with broadcasting (numpy 2's
 * `clip`: `minimum(aMax, maximum(x, aMin))`, so NaN anywhere gives NaN, and
 * `aMin > aMax` gives `aMax`). A bound may be `null` (none) and may be an
 * array; numbers are weak scalars (a float32 `a` stays float32).
 *
 * @param a An array or a number.
 * @param aMin The lower bound, or `null`.
 * @param aMax The upper bound, or `null`.
 * @throws RangeError when the shapes do not broadcast.
 * @example
 * ```ts
 * import { clip } from 'weft';
 * clip([-2, 0.5, 3], 0, 1).toArray();        // [0, 0.5, 1]
 * clip([[1, 5], [7, 9]], null, [4, 8]).toArray(); // [[1, 5], [4, 8]]
 * ```
 */
export const clip = defineOp('clip', function* ({ fn }: OpCall, a: ArrayInput, aMin: ArrayInput | null, aMax: ArrayInput | null): Program<NDArray> {
  const operands = [operand(fn, a, 'a'), operand(fn, aMin ?? -Infinity, 'aMin'), operand(fn, aMax ?? Infinity, 'aMax')];
  const float32 = promote(operands);
  const { shape, views } = broadcast(fn, operands.map((o) => o.view));
  const size = sizeOf(shape);
  if (size <= JS_MAX_SIZE) return computeInJs(shape, views, float32, (x, low, high) => minimumOf(maximumOf(x, low), high));
  const raw = yield* step<Float64Array | Float32Array>(nativeCall('clip', views));
  return NDArray.fromContiguous(raw, shape);
});
export const clipAsync = asyncOf(clip);
