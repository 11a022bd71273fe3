/**
 * What the array core's complex ops share (lib/arithmetic.ts, math.ts,
 * comparison.ts, logic.ts, reductions.ts): complex operands with numpy 2's
 * promotion (a `{ re, im }` scalar is weak, as a Python complex), one JS
 * loop over broadcast (re, im) pairs, and numpy's complex kernels.
 *
 * The kernels follow numpy's own (numpy/_core/src/umath/loops.c.src and
 * funcs.inc.src): Smith's division, power by repeated squaring for small
 * integer exponents, the C99 special values of cexp/clog/csqrt (signed
 * zeros and infinities), lexicographic ordering with NaN first. They run
 * in JS (`Math`), so the transcendental ones can differ from numpy's
 * glibc results in the last bits; complex64 computes in float64 and rounds
 * once, at least as accurate as numpy's float32 loops.
 *
 * @internal
 * @module
 */
import { Complex128Data, Complex64Data, NDArray, allocateElements, isComplexData, toView } from '../ndarray.js';
import type { ComplexDType, ComplexStorage, DType, ElementArray, View, ViewKinds } from '../ndarray.js';
import { broadcastViews, forEachRow } from './broadcast.js';
import type { ScalarOrView } from './broadcast.js';

/** Whether `x` is a plain `{ re, im }` of two numbers: a complex scalar, weak as numpy's Python complex. */
export function isComplexScalar(x: unknown): x is { re: number; im: number } {
  if (typeof x !== 'object' || x === null || x instanceof NDArray || Array.isArray(x)) return false;
  const { re, im } = x as { re?: unknown; im?: unknown };
  return typeof re === 'number' && typeof im === 'number' && Object.keys(x).length === 2;
}

/**
 * An elementwise operand that may be complex: a number or boolean (weak),
 * a `{ re, im }` scalar (weak complex128), or anything toView reads, complex
 * storage included.
 */
export function complexOperand(fn: string, value: unknown, name: string, kinds: ViewKinds = {}): ScalarOrView {
  if (typeof value === 'number') return { view: scalar(Float64Array.of(value)), weak: true };
  if (typeof value === 'boolean') return { view: scalar(kinds.bool === true ? Uint8Array.of(value ? 1 : 0) : Float64Array.of(value ? 1 : 0)), weak: true };
  if (isComplexScalar(value)) return { view: scalar(Complex128Data.of(value.re, value.im)), weak: true };
  return { view: toView(value, fn, name, { ...kinds, complex: true }), weak: false };
}

const scalar = (data: ElementArray): View => ({ data, shape: [], strides: [], offset: 0 });

/** Whether any operand holds complex data. */
export function anyComplex(operands: readonly ScalarOrView[]): boolean {
  return operands.some((o) => isComplexData(o.view.data));
}

/**
 * numpy 2's complex result dtype: complex64 when every operand that is not
 * a weak scalar is float32 or complex64 (a float64, complex128 or bool array
 * makes it complex128; weak scalars alone give complex128). Weak scalars
 * are rounded to float32 for a complex64 result, as numpy casts them.
 */
export function complexResult(operands: ScalarOrView[]): ComplexDType {
  let single = false;
  for (const o of operands) {
    if (o.weak) continue;
    if (!(o.view.data instanceof Float32Array)) return 'complex128';
    single = true;
  }
  if (single) {
    for (const o of operands) {
      if (!o.weak) continue;
      const d = o.view.data;
      o.view = { ...o.view, data: isComplexData(d) ? Complex64Data.of(d[0]!, d[1]!) : Float32Array.of(d[0]!) };
    }
  }
  return single ? 'complex64' : 'complex128';
}

/** The TypeError of an op that numpy does not define for complex (as toView words it for ops that never opted in). */
export function complexRefused(fn: string, name: string, data: ComplexStorage): TypeError {
  return new TypeError(`${fn}: ${name} has dtype ${data instanceof Complex64Data ? 'complex64' : 'complex128'}, which ${fn} does not support`);
}

/**
 * A pair kernel: reads the operands' (re, im) from `z` (`z[0]`, `z[1]` the
 * first operand's, `z[2]`, `z[3]` the second's …; a real operand's
 * imaginary part is 0) and writes the result at `out[k]` (and `out[k + 1]`
 * for a complex result).
 */
export type PairKernel = (z: Float64Array, out: ElementArray, k: number) => void;

/**
 * `kernel` over the broadcast operands, into a new contiguous array of
 * `dtype` (complex: `kernel` writes pairs at 2k; else one value at k).
 */
export function mapPairs(fn: string, views: readonly View[], dtype: DType, kernel: PairKernel): NDArray<DType> {
  const { shape, strides } = broadcastViews(fn, views);
  const size = shape.reduce((p, d) => p * d, 1);
  const out = allocateElements(dtype, size, fn);
  const width = dtype === 'complex128' || dtype === 'complex64' ? 2 : 1;
  const z = new Float64Array(2 * views.length);
  const data = views.map((v) => v.data);
  const pairs = views.map((v) => isComplexData(v.data));
  const count = views.length;
  forEachRow(shape, strides, views.map((v) => v.offset), (k, n, starts, steps) => {
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < count; i++) {
        const at = starts[i]! + j * steps[i]!;
        const d = data[i]!;
        if (pairs[i]) {
          z[2 * i] = d[2 * at]!;
          z[2 * i + 1] = d[2 * at + 1]!;
        } else {
          z[2 * i] = d[at]!;
          z[2 * i + 1] = 0;
        }
      }
      kernel(z, out, (k + j) * width);
    }
  });
  return NDArray.fromContiguous(out, shape) as NDArray<DType>;
}

/** The real and imaginary parts of a complex view, as strided real views into its memory. */
export function partsOf(view: View): [View, View] {
  const d = view.data;
  const flat = d instanceof Float32Array ? new Float32Array(d.buffer, d.byteOffset, d.length) : new Float64Array(d.buffer, d.byteOffset, d.length);
  const strides = view.strides.map((s) => 2 * s);
  return [
    { data: flat, shape: view.shape.slice(), strides, offset: 2 * view.offset },
    { data: flat, shape: view.shape.slice(), strides: strides.slice(), offset: 2 * view.offset + 1 },
  ];
}

// ---------------------------------------------------------------- scalar kernels on (re, im)

/** A result pair, reused: the kernels below return their value in it. */
export const result = new Float64Array(2);

/** numpy's complex division (Smith's algorithm, as loops.c.src): no overflow from squaring the divisor. */
export function cdiv(ar: number, ai: number, br: number, bi: number): Float64Array {
  const absR = Math.abs(br);
  const absI = Math.abs(bi);
  if (absR >= absI) {
    if (absR === 0 && absI === 0) {
      // Division by zero: numpy divides each part by |b| (so inf, -inf or nan each).
      result[0] = ar / absR;
      result[1] = ai / absR;
    } else {
      const rat = bi / br;
      const scl = 1.0 / (br + bi * rat);
      result[0] = (ar + ai * rat) * scl;
      result[1] = (ai - ar * rat) * scl;
    }
  } else {
    const rat = br / bi;
    const scl = 1.0 / (bi + br * rat);
    result[0] = (ar * rat + ai) * scl;
    result[1] = (ai * rat - ar) * scl;
  }
  return result;
}

/**
 * 1/z as numpy's reciprocal loop (not its division): the smaller part over
 * the larger first, so 1/0 is NaN+NaNj and 1/∞ a signed zero.
 */
export function creciprocal(x: number, y: number): Float64Array {
  if (Math.abs(y) <= Math.abs(x)) {
    const r = y / x;
    const d = x + y * r;
    result[0] = 1 / d;
    result[1] = -r / d;
  } else {
    const r = x / y;
    const d = x * r + y;
    result[0] = r / d;
    result[1] = -1 / d;
  }
  return result;
}

/** |z| without overflow or needless underflow (numpy's npy_cabs, C's hypot). */
export function cabs(re: number, im: number): number {
  return Math.hypot(re, im);
}

/** e^z with C99's special values (cexp). */
export function cexp(x: number, y: number): Float64Array {
  if (y === 0 && !Number.isNaN(x)) {
    result[0] = Math.exp(x);
    result[1] = y;
  } else if (Number.isFinite(x)) {
    if (Number.isFinite(y)) {
      // Past e^709 the product is taken in two halves, so that e^x·sin y stays finite where it is.
      const e = x > 709 ? Math.exp(x / 2) : Math.exp(x);
      const f = x > 709 ? e : 1;
      result[0] = e * Math.cos(y) * f;
      result[1] = e * Math.sin(y) * f;
    } else {
      result[0] = NaN;
      result[1] = NaN;
    }
  } else if (x === Infinity) {
    if (Number.isFinite(y)) {
      result[0] = Infinity * Math.cos(y);
      result[1] = Infinity * Math.sin(y);
    } else {
      result[0] = Infinity;
      result[1] = NaN;
    }
  } else if (x === -Infinity) {
    if (Number.isFinite(y)) {
      result[0] = 0 * Math.cos(y);
      result[1] = 0 * Math.sin(y);
    } else {
      result[0] = 0;
      result[1] = y < 0 ? -0 : 0;
    }
  } else {
    result[0] = NaN;
    result[1] = y === 0 ? y : NaN;
  }
  return result;
}

/** The principal log (clog): log|z| + i·arg z, with |z| near 1 through log1p so that small results keep their digits. */
export function clog(x: number, y: number): Float64Array {
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  const big = Math.max(ax, ay);
  const small = Math.min(ax, ay);
  let re: number;
  if (ax === Infinity || ay === Infinity) re = Infinity;
  else if (Number.isNaN(x) || Number.isNaN(y)) re = NaN;
  else if (big === 1) re = 0.5 * Math.log1p(small * small);
  else if (big > 0.5 && big < 2 && small < 1) re = 0.5 * Math.log1p((big - 1) * (big + 1) + small * small);
  else re = Math.log(Math.hypot(x, y));
  result[0] = re;
  result[1] = Math.atan2(y, x);
  return result;
}

/** The principal square root (csqrt, C99's special values; its real part is never negative). */
export function csqrt(x: number, y: number): Float64Array {
  if (x === 0 && y === 0) {
    result[0] = 0;
    result[1] = y;
  } else if (y === Infinity || y === -Infinity) {
    result[0] = Infinity;
    result[1] = y;
  } else if (Number.isNaN(x)) {
    result[0] = NaN;
    result[1] = NaN;
  } else if (x === Infinity) {
    result[0] = x;
    result[1] = Number.isNaN(y) ? y : Object.is(y, -0) || y < 0 ? -0 : 0;
  } else if (x === -Infinity) {
    result[0] = Number.isNaN(y) ? NaN : 0;
    result[1] = Number.isNaN(y) ? Infinity : y < 0 || Object.is(y, -0) ? -Infinity : Infinity;
  } else if (Number.isNaN(y)) {
    result[0] = NaN;
    result[1] = NaN;
  } else {
    // Scaled so that |x| + |z| neither overflows nor loses subnormal digits.
    const scale = Math.max(Math.abs(x), Math.abs(y)) > 1e300 ? 0.25 : Math.max(Math.abs(x), Math.abs(y)) < 1e-300 ? 2 ** 108 : 1;
    const sx = x * scale;
    const sy = y * scale;
    const t = Math.sqrt((Math.abs(sx) + Math.hypot(sx, sy)) * 0.5);
    const back = scale === 0.25 ? 2 : scale === 1 ? 1 : 2 ** -54;
    if (x >= 0) {
      result[0] = t * back;
      result[1] = (sy / (2 * t)) * back;
    } else {
      result[0] = (Math.abs(sy) / (2 * t)) * back;
      result[1] = (y < 0 || Object.is(y, -0) ? -t : t) * back;
    }
  }
  return result;
}

/** `a · b` when `a` may be infinite and `b` zero: C99's signed zero rather than NaN. */
function times(a: number, b: number): number {
  return b === 0 && !Number.isNaN(a) ? (a < 0 || Object.is(a, -0) ? -b : b) : a * b;
}

/** sinh z = sinh x cos y + i cosh x sin y, with C99's special values (Annex G's csinh). */
export function csinh(x: number, y: number): Float64Array {
  if (Number.isNaN(x)) {
    result[0] = NaN;
    result[1] = y === 0 ? y : NaN;
  } else if (!Number.isFinite(y)) {
    // y infinite or NaN: ±0 + i·NaN for x = ±0, +∞ + i·NaN for infinite x (glibc's sign), else NaN.
    result[0] = x === 0 ? x : Number.isFinite(x) ? NaN : Infinity;
    result[1] = NaN;
  } else if (y === 0) {
    result[0] = Math.sinh(x);
    result[1] = y;
  } else if (Math.abs(x) > 709) {
    // sinh x and cosh x overflow while their products with cos y or sin y may not: e^|x|/2 in two halves.
    const h = Math.exp(Math.abs(x) / 2);
    result[0] = Math.sign(x) * ((h * Math.cos(y)) / 2) * h;
    result[1] = ((h * Math.sin(y)) / 2) * h;
  } else {
    result[0] = Math.sinh(x) * Math.cos(y);
    result[1] = Math.cosh(x) * Math.sin(y);
  }
  return result;
}

/** cosh z = cosh x cos y + i sinh x sin y, with C99's special values (Annex G's ccosh). */
export function ccosh(x: number, y: number): Float64Array {
  if (Number.isNaN(x)) {
    result[0] = NaN;
    result[1] = y === 0 ? y : NaN;
  } else if (!Number.isFinite(y)) {
    // y infinite or NaN: NaN ± i0 for x = ±0, +∞ + i·NaN for infinite x, else NaN.
    result[0] = Number.isFinite(x) ? NaN : Infinity;
    result[1] = x === 0 ? 0 : NaN;
  } else if (y === 0) {
    result[0] = Math.cosh(x);
    result[1] = times(Math.sinh(x), y);
  } else if (Math.abs(x) > 709) {
    const h = Math.exp(Math.abs(x) / 2);
    result[0] = ((h * Math.cos(y)) / 2) * h;
    result[1] = Math.sign(x) * ((h * Math.sin(y)) / 2) * h;
  } else {
    result[0] = Math.cosh(x) * Math.cos(y);
    result[1] = Math.sinh(x) * Math.sin(y);
  }
  return result;
}

/** tanh z by Kahan's formula (no overflow for large |x|), with C99's special values (Annex G's ctanh). */
export function ctanh(x: number, y: number): Float64Array {
  if (Number.isNaN(x)) {
    result[0] = NaN;
    result[1] = y === 0 ? y : NaN;
  } else if (!Number.isFinite(x)) {
    // ±1 + i·0·sin 2y (an infinite or NaN y: zero with y's sign, as glibc).
    result[0] = x > 0 ? 1 : -1;
    result[1] = Number.isFinite(y) ? 0 * Math.sin(2 * y) : y < 0 ? -0 : 0;
  } else if (!Number.isFinite(y)) {
    result[0] = x === 0 ? x : NaN;
    result[1] = NaN;
  } else if (y === 0) {
    result[0] = Math.tanh(x);
    result[1] = y;
  } else if (Math.abs(x) > 22) {
    // tanh x is ±1 to double precision; the imaginary part decays as e^(-2|x|).
    result[0] = x > 0 ? 1 : -1;
    result[1] = 4 * Math.sin(y) * Math.cos(y) * Math.exp(-2 * Math.abs(x));
  } else {
    const t = Math.tan(y);
    const beta = 1 + t * t;
    const sh = Math.sinh(x);
    const rho = Math.sqrt(1 + sh * sh);
    const denom = 1 + beta * sh * sh;
    result[0] = (beta * rho * sh) / denom;
    result[1] = t / denom;
  }
  return result;
}

/** sin z = −i sinh(iz). */
export function csin(x: number, y: number): Float64Array {
  if (!Number.isFinite(x) && (y === Infinity || y === -Infinity)) {
    // glibc's csin gives NaN + i∞ here, whatever the signs.
    result[0] = NaN;
    result[1] = Infinity;
    return result;
  }
  csinh(-y, x);
  const [a, b] = [result[0]!, result[1]!];
  result[0] = b;
  result[1] = -a;
  return result;
}

/** cos z = cosh(iz). */
export function ccos(x: number, y: number): Float64Array {
  return ccosh(-y, x);
}

/** tan z = −i tanh(iz). */
export function ctan(x: number, y: number): Float64Array {
  ctanh(-y, x);
  const [a, b] = [result[0]!, result[1]!];
  result[0] = b;
  result[1] = -a;
  return result;
}

/** a·b, numpy's complex multiply. */
function cmulInto(p: Float64Array, ar: number, ai: number, br: number, bi: number): void {
  p[0] = ar * br - ai * bi;
  p[1] = ar * bi + ai * br;
}

const acc = new Float64Array(2);
const base = new Float64Array(2);

/**
 * a^b as numpy's nc_pow: 1 for b = 0; 0 for a = 0 and a real positive b,
 * else NaN for a = 0; small integer exponents (|n| < 100) by repeated
 * squaring (exact where numpy's is); otherwise exp(b·log a), the principal branch.
 */
export function cpow(ar: number, ai: number, br: number, bi: number): Float64Array {
  if (br === 0 && bi === 0) {
    result[0] = 1;
    result[1] = 0;
    return result;
  }
  if (ar === 0 && ai === 0) {
    const zero = br > 0 && bi === 0;
    result[0] = zero ? 0 : NaN;
    result[1] = zero ? 0 : NaN;
    return result;
  }
  if (bi === 0 && Number.isInteger(br) && br > -100 && br < 100) {
    let n = Math.abs(br);
    if (br === 1) {
      result[0] = ar;
      result[1] = ai;
      return result;
    }
    if (br === 2) {
      cmulInto(result, ar, ai, ar, ai);
      return result;
    }
    if (br === 3) {
      cmulInto(result, ar, ai, ar, ai);
      cmulInto(result, result[0]!, result[1]!, ar, ai);
      return result;
    }
    acc[0] = 1;
    acc[1] = 0;
    base[0] = ar;
    base[1] = ai;
    for (;;) {
      if (n % 2 === 1) cmulInto(acc, acc[0]!, acc[1]!, base[0]!, base[1]!);
      n = Math.floor(n / 2);
      if (n === 0) break;
      cmulInto(base, base[0]!, base[1]!, base[0]!, base[1]!);
    }
    if (br < 0) return cdiv(1, 0, acc[0]!, acc[1]!);
    result[0] = acc[0]!;
    result[1] = acc[1]!;
    return result;
  }
  clog(ar, ai);
  const [lr, li] = [result[0]!, result[1]!];
  return cexp(lr * br - li * bi, lr * bi + li * br);
}

/** numpy 2's sign of a complex number: z/|z|; 0 for 0; ±1 or ±i for one infinite part; NaN+NaNj for two, or for NaN parts. */
export function csign(x: number, y: number): Float64Array {
  const xInf = x === Infinity || x === -Infinity;
  const yInf = y === Infinity || y === -Infinity;
  // numpy checks the infinities first: sign(inf + nan·j) is 1.
  if (xInf && yInf) {
    result[0] = NaN;
    result[1] = NaN;
  } else if (xInf) {
    result[0] = Math.sign(x);
    result[1] = 0;
  } else if (yInf) {
    result[0] = 0;
    result[1] = Math.sign(y);
  } else if (Number.isNaN(x) || Number.isNaN(y)) {
    result[0] = NaN;
    result[1] = NaN;
  } else {
    const r = Math.hypot(x, y);
    result[0] = r === 0 ? 0 : x / r;
    result[1] = r === 0 ? 0 : y / r;
  }
  return result;
}

// ---------------------------------------------------------------- ordering (numpy's CLT/CGE macros)

/** numpy's lexicographic a < b for complex: real parts first, then imaginary; false where a NaN decides. */
export function lessPair(ar: number, ai: number, br: number, bi: number): boolean {
  return (ar < br && ai === ai && bi === bi) || (ar === br && ai < bi);
}

/** numpy's lexicographic a <= b for complex. */
export function lessEqualPair(ar: number, ai: number, br: number, bi: number): boolean {
  return (ar < br && ai === ai && bi === bi) || (ar === br && ai <= bi);
}

/** Whether either part is NaN. */
export function nanPair(re: number, im: number): boolean {
  return re !== re || im !== im;
}
