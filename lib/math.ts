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
import type { ArrayInput, View } from './ndarray.js';
import { nativeCall, step } from './internal/dispatch.js';
import type { Program } from './internal/dispatch.js';
import { code } from './internal/codes.js';
import type { CodeName } from './internal/codes.js';
import { JS_MAX_SIZE, allocate, broadcast, computeInJs, computeInJsInto, leanOut, maximumOf, minimumOf, promote, sizeOf, wholeAndContiguous } from './internal/elementwise.js';
import { flag, integer, readOptions } from './internal/options.js';
import { checkOut, nativeInto, outArray, outSpec, writeOut } from './internal/out.js';
import type { OutOptions } from './internal/out.js';
import { asyncOf, defineOp } from './internal/registry.js';
import type { FloatOutOp, FloatOutOpAsync, OpCall } from './internal/registry.js';
import type { AnyNDArray } from './ndarray.js';
import { castElements, dtypeOf, isComplexData, realOf } from './ndarray.js';
import type { ComplexDType, DType, FloatArray } from './ndarray.js';
import {
  anyComplex,
  cabs,
  ccos,
  ccosh,
  cexp,
  clog,
  complexOperand,
  complexResult,
  creciprocal,
  csign,
  csin,
  csinh,
  csqrt,
  ctan,
  ctanh,
  lessEqualPair,
  mapPairs,
  nanPair,
} from './internal/complex.js';
import type { PairKernel } from './internal/complex.js';

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

/** A pair function's result (re, im) into out at k. */
const pair =
  (f: (x: number, y: number) => Float64Array): PairKernel =>
  (z, o, k) => {
    const r = f(z[0]!, z[1]!);
    o[k] = r[0]!;
    o[k + 1] = r[1]!;
  };

/** A pair function, then both parts scaled (numpy's log2 and log10 of complex: log z times log2 e or log10 e). */
const scaled =
  (f: (x: number, y: number) => Float64Array, factor: number): PairKernel =>
  (z, o, k) => {
    const r = f(z[0]!, z[1]!);
    o[k] = r[0]! * factor;
    o[k + 1] = r[1]! * factor;
  };

/**
 * The unary ops numpy defines for complex, as its funcs.inc.src computes
 * them (lib/internal/complex.ts has the kernels); abs gives the real |z|.
 * floor and ceil refuse complex by name, as numpy's ufuncs do; arcsin,
 * arccos and arctan are numpy's too, but not weft's yet: they refuse it.
 */
const COMPLEX: Partial<Record<UnaryOp, PairKernel>> = {
  negative: (z, o, k) => {
    o[k] = -z[0]!;
    o[k + 1] = -z[1]!;
  },
  abs: (z, o, k) => {
    o[k] = cabs(z[0]!, z[1]!);
  },
  sign: pair(csign),
  sqrt: pair(csqrt),
  square: (z, o, k) => {
    const [x, y] = [z[0]!, z[1]!];
    o[k] = x * x - y * y;
    o[k + 1] = x * y + y * x;
  },
  reciprocal: pair(creciprocal),
  exp: pair(cexp),
  // numpy's nc_expm1: expm1(x)·cos y − 2 sin²(y/2) + i eˣ sin y.
  expm1: (z, o, k) => {
    const [x, y] = [z[0]!, z[1]!];
    const a = Math.sin(y / 2);
    o[k] = Math.expm1(x) * Math.cos(y) - 2 * a * a;
    o[k + 1] = Math.exp(x) * Math.sin(y);
  },
  exp2: pair((x, y) => cexp(x * Math.LN2, y * Math.LN2)),
  log: pair(clog),
  // numpy's nc_log1p: log|1 + z| + i arg(1 + z).
  log1p: (z, o, k) => {
    const [x, y] = [z[0]! + 1, z[1]!];
    o[k] = Math.log(Math.hypot(x, y));
    o[k + 1] = Math.atan2(y, x);
  },
  log2: scaled(clog, Math.LOG2E),
  log10: scaled(clog, Math.LOG10E),
  sin: pair(csin),
  cos: pair(ccos),
  tan: pair(ctan),
  sinh: pair(csinh),
  cosh: pair(ccosh),
  tanh: pair(ctanh),
};

/** A complex operand of a unary op: its pairs through `kernel` (numpy's dtype: complex, or the real one of abs). */
function complexUnary(fn: string, op: UnaryOp, view: View, kernel: PairKernel, out: AnyNDArray | undefined): NDArray {
  const dtype = complexResult([{ view, weak: false }]);
  const result = mapPairs(fn, [view], op === 'abs' ? realOf(dtype) : dtype, kernel);
  if (out === undefined) return result as NDArray;
  checkOut(fn, out, result.shape, result.dtype);
  return writeOut(result, out) as NDArray;
}

/** numpy's round of complex: each part rounded as a real number of the parts' dtype. */
function roundPairs(decimals: number, dtype: ComplexDType): PairKernel {
  const f = roundTo(decimals, dtype === 'complex64');
  return (z, o, k) => {
    o[k] = f(z[0]!);
    o[k + 1] = f(z[1]!);
  };
}

/** A unary op's program: JS for small results of the exact ops, else native. */
function* unaryProgram({ fn }: OpCall, op: UnaryOp, x: ArrayInput, decimals: number, out: AnyNDArray | undefined): Program<NDArray> {
  const view = toView(x, fn, 'x', { complex: op === 'round' || COMPLEX[op] !== undefined });
  if (isComplexData(view.data)) {
    const kernel = op === 'round' ? roundPairs(decimals, complexResult([{ view, weak: false }])) : COMPLEX[op]!;
    return complexUnary(fn, op, view, kernel, out);
  }
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
      if (!(x instanceof NDArray) || x.offset !== 0 || x.data instanceof Int32Array || isComplexData(x.data)) return undefined;
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
  const operands = [complexOperand(fn, a, 'a'), complexOperand(fn, aMin ?? -Infinity, 'aMin'), complexOperand(fn, aMax ?? Infinity, 'aMax')];
  if (anyComplex(operands)) {
    // numpy: minimum(maximum(a, aMin), aMax), lexicographic for complex (an omitted bound is skipped).
    return mapPairs(fn, operands.map((o) => o.view), complexResult(operands), (z, o, k) => {
      let [re, im] = [z[0]!, z[1]!];
      if (aMin !== null && !(nanPair(re, im) || lessEqualPair(z[2]!, z[3]!, re, im))) [re, im] = [z[2]!, z[3]!];
      if (aMax !== null && !(nanPair(re, im) || lessEqualPair(re, im, z[4]!, z[5]!))) [re, im] = [z[4]!, z[5]!];
      o[k] = re;
      o[k + 1] = im;
    }) as NDArray;
  }
  const float32 = promote(operands);
  const { shape, views } = broadcast(fn, operands.map((o) => o.view));
  const size = sizeOf(shape);
  if (size <= JS_MAX_SIZE) return computeInJs(shape, views, float32, (x, low, high) => minimumOf(maximumOf(x, low), high));
  const raw = yield* step<Float64Array | Float32Array>(nativeCall('clip', views));
  return NDArray.fromContiguous(raw, shape);
});
export const clipAsync = asyncOf(clip);

// ---------------------------------------------------------------- conj, real, imag, angle

/* eslint-disable require-yield */

function* conjProgram({ fn, async }: OpCall, x: ArrayInput, options?: OutOptions): Program<NDArray> {
  const { out } = readOptions(fn, options, outSpec, async);
  const view = toView(x, fn, 'x', { complex: true });
  const dtype = isComplexData(view.data) ? complexResult([{ view, weak: false }]) : realOf(dtypeOf(view.data) as DType);
  const result = isComplexData(view.data)
    ? (mapPairs(fn, [view], dtype, (z, o, k) => {
        o[k] = z[0]!;
        o[k + 1] = -z[1]!;
      }) as NDArray)
    : NDArray.fromContiguous(castElements(view, dtype) as FloatArray, view.shape.slice());
  if (out === undefined) return result;
  checkOut(fn, out, result.shape, result.dtype);
  return writeOut(result, out) as NDArray;
}

/**
 * The complex conjugate `re − i·im`, elementwise (numpy's `conj`/`conjugate`);
 * a real array's conjugate is a copy of it (float, as weft reads it).
 *
 * @param x An array, a number or a `{ re, im }`.
 * @param options `out`: an NDArray of the result's shape to write into and return (numpy's `out`).
 * @example
 * ```ts
 * import { array, conj } from 'weft';
 * conj(array([{ re: 1, im: 2 }, { re: 3, im: -4 }])).toArray(); // [{ re: 1, im: -2 }, { re: 3, im: 4 }]
 * ```
 */
export const conj = defineOp('conj', conjProgram, { options: true });
export const conjAsync = asyncOf(conj);

/**
 * numpy's other name for {@link conj}.
 *
 * @param x An array, a number or a `{ re, im }`.
 * @param options `out`, as {@link conj}.
 * @example
 * ```ts
 * import { conjugate } from 'weft';
 * conjugate([{ re: 0, im: 1 }]).get(0); // { re: 0, im: -1 }
 * ```
 */
export const conjugate = defineOp('conjugate', conjProgram, { options: true });
export const conjugateAsync = asyncOf(conjugate);

function* partProgram({ fn }: OpCall, x: ArrayInput, imaginary: boolean): Program<NDArray> {
  const view = toView(x, fn, 'x', { complex: true });
  const a = new NDArray(view.data as FloatArray, view.shape, view.strides, view.offset) as AnyNDArray;
  return (imaginary ? a.imag : a.real) as NDArray;
}

/**
 * The real parts (numpy's `real`): of a complex array a strided float view
 * into its memory (writing to it writes the array), as `NDArray.real`; a
 * real array itself.
 *
 * @param x An array, or anything `array()` takes.
 * @example
 * ```ts
 * import { array, real } from 'weft';
 * const z = array([{ re: 1, im: 2 }, { re: 3, im: -4 }], { dtype: 'complex64' });
 * real(z).toArray(); // [1, 3]
 * real(z).dtype;     // 'float32'
 * ```
 */
export const real = defineOp('real', (call: OpCall, x: ArrayInput) => partProgram(call, x, false), { view: true });
export const realAsync = asyncOf(real);

/**
 * The imaginary parts (numpy's `imag`): of a complex array a strided float
 * view into its memory, as `NDArray.imag`; zeros for a real array.
 *
 * @param x An array, or anything `array()` takes.
 * @example
 * ```ts
 * import { array, imag } from 'weft';
 * imag(array([{ re: 1, im: 2 }, { re: 3, im: -4 }])).toArray(); // [2, -4]
 * imag([1, 2]).toArray();                                       // [0, 0]
 * ```
 */
export const imag = defineOp('imag', (call: OpCall, x: ArrayInput) => partProgram(call, x, true), { view: true });
export const imagAsync = asyncOf(imag);

/** Options of {@link angle}. */
export interface AngleOptions {
  /** Degrees instead of radians; default false. */
  deg?: boolean;
}

function* angleProgram({ fn, async }: OpCall, z: ArrayInput, options?: AngleOptions): Program<NDArray> {
  const { deg } = readOptions(fn, options, { deg: flag(false) }, async);
  const view = toView(z, fn, 'z', { complex: true });
  const dtype = isComplexData(view.data) ? realOf(complexResult([{ view, weak: false }])) : realOf(dtypeOf(view.data) as DType);
  // numpy's angle: arctan2(imag, real), times 180/π for degrees.
  const factor = 180 / Math.PI;
  return mapPairs(fn, [view], dtype, (v, o, k) => {
    const a = Math.atan2(v[1]!, v[0]!);
    o[k] = deg ? a * factor : a;
  }) as NDArray;
}

/**
 * The angle of each complex element, in radians from −π to π (numpy's
 * `angle`: `arctan2(imag, real)`); float64, or float32 for complex64 and
 * float32 input. A real array's angles are 0 and π (−π for −0's sign).
 *
 * @param z An array, a number or a `{ re, im }`.
 * @param options `{ deg }`: degrees instead of radians.
 * @example
 * ```ts
 * import { angle } from 'weft';
 * angle([{ re: 0, im: 1 }, { re: -1, im: 0 }], { deg: true }).toArray(); // [90, 180]
 * ```
 */
export const angle = defineOp('angle', angleProgram, { options: true });
export const angleAsync = asyncOf(angle);
