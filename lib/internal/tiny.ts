/**
 * Tiny kernels: matmul, solve, inv and det of a single small matrix (no
 * stack), computed by weft's own fixed-order loops instead of a native call
 * — whose fixed cost (N-API entry, result ArrayBuffer, dispatch: ≥ 2 µs) is
 * many times a 4×4 product (≈ 0.1 µs here).
 *
 * Each kernel is written twice, here and in native/ops/tiny.h, the same
 * operations in the same order: a sync call runs this one (no native call
 * at all), an async call (and a Pool item) the C++ twin, built without FMA
 * contraction, so sync and async results are bit-for-bit equal and thread
 * counts cannot matter. float32 rounds every operation with Math.fround, as
 * C++ `float` arithmetic does (a product or sum of two floats computed in
 * double and rounded to float is the correctly rounded float result).
 *
 * The limits are LIMITS in codes.ts (both sides read them). The items of a
 * stack of tiny matrices get the same loops in C++ (tiny.h's Product,
 * small_lu.h's LU, factor.cc's det), so a tiny matrix alone and inside a
 * stack give the same bits.
 *
 * @internal
 * @module
 */
import { linAlgError } from '../errors.js';
import { NDArray, isComplexData } from '../ndarray.js';
import type { FloatArray, View } from '../ndarray.js';
import type { NativeCall } from './dispatch.js';
import { LIMITS } from './codes.js';
import { allocate } from './elementwise.js';

const MAX_MATMUL = LIMITS.TinyMatmul;
const MAX_SOLVE = LIMITS.TinySolve;
const MAX_COLUMNS = LIMITS.TinySolveColumns;

/**
 * `call` for an async call; for a sync one, `js()` — unless it returns
 * undefined (a case the tiny kernel leaves to the native path; the C++ twin
 * decides the same way).
 */
export function tinyOr(call: NativeCall, js: () => FloatArray | undefined): NativeCall {
  return (async, context) => (async ? call(async, context) : (js() ?? call(async, context)));
}

/**
 * Whether every element of the 2-D view v lies inside its data (integer
 * strides and offset). The native path checks that (and a detached buffer)
 * with its own messages: a view that fails goes there.
 */
function inBounds(v: View): boolean {
  let lo = v.offset;
  let hi = v.offset;
  for (let d = 0; d < 2; d++) {
    const s = v.strides[d]!;
    if (!Number.isInteger(s)) return false;
    const e = (v.shape[d]! - 1) * s;
    if (e < 0) lo += e;
    else hi += e;
  }
  return Number.isInteger(lo) && lo >= 0 && hi < v.data.length;
}

/** Whether matmul of 2-D views a [m, k] and b [k, n] is a tiny one. */
export function tinyMatmul(a: View, b: View): boolean {
  if (a.shape.length !== 2 || b.shape.length !== 2) return false;
  const [m, k] = a.shape as [number, number];
  const n = b.shape[1]!;
  return m >= 1 && k >= 1 && n >= 1 && m <= MAX_MATMUL && k <= MAX_MATMUL && n <= MAX_MATMUL && inBounds(a) && inBounds(b);
}

/** Whether solve of a [n, n] with b [n, k] (k columns) is a tiny one. */
export function tinySolve(a: View, b?: View): boolean {
  if (a.shape.length !== 2) return false;
  const n = a.shape[0]!;
  if (n < 1 || n > MAX_SOLVE || a.shape[1] !== n || !inBounds(a)) return false;
  if (b === undefined) return true;
  const k = b.shape[1]!;
  return b.shape.length === 2 && k >= 1 && k <= MAX_COLUMNS && inBounds(b);
}

/** The product a @ b of 2-D views (tinyMatmul holds): float32 when both are, as numpy. */
export function matmulJs(a: View, b: View): FloatArray {
  const f32 = a.data instanceof Float32Array && b.data instanceof Float32Array;
  const [m, k] = a.shape as [number, number];
  const n = b.shape[1]!;
  const [ad, as0, as1] = [a.data, a.strides[0]!, a.strides[1]!];
  const [bd, bs0, bs1] = [b.data, b.strides[0]!, b.strides[1]!];
  const c = allocate(f32, m * n);
  for (let i = 0; i < m; i++) {
    const ai = a.offset + i * as0;
    for (let j = 0; j < n; j++) {
      const bj = b.offset + j * bs1;
      // The sum over k in order, starting from the first product (so -0 stays -0).
      let s: number;
      if (f32) {
        s = Math.fround(ad[ai]! * bd[bj]!);
        for (let p = 1; p < k; p++) s = Math.fround(s + Math.fround(ad[ai + p * as1]! * bd[bj + p * bs0]!));
      } else {
        s = ad[ai]! * bd[bj]!;
        for (let p = 1; p < k; p++) s += ad[ai + p * as1]! * bd[bj + p * bs0]!;
      }
      c[i * n + j] = s;
    }
  }
  return c;
}

// The LU scratch: a's copy, row-major, and its row permutation.
const lu = new Float64Array(MAX_SOLVE * MAX_SOLVE);
const perm = new Int32Array(MAX_SOLVE);
// LAPACK's sfmin: below it a pivot's reciprocal would overflow, so the column is divided.
const TINY_F64 = 2.2250738585072014e-308;
const TINY_F32 = 1.1754943508222875e-38;

/**
 * a [n, n] copied into `lu` and factored in place, step for step as
 * native/ops/small_lu.h's Lu (the LU every small stacked item gets too):
 * LAPACK's dgetf2 — the pivot is the first entry of largest magnitude in its
 * column (row k swapped with perm[k] at step k), the column below it scaled
 * by the pivot's reciprocal (divided when tiny). The number of row swaps;
 * -1 when a pivot is exactly zero; -2 when a holds NaN or ±Infinity.
 */
function factor(a: View, f32: boolean): number {
  const n = a.shape[0]!;
  const [ad, s0, s1] = [a.data, a.strides[0]!, a.strides[1]!];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = ad[a.offset + i * s0 + j * s1]!;
      if (x - x !== 0) return -2;
      lu[i * n + j] = x;
    }
  }
  const tiny = f32 ? TINY_F32 : TINY_F64;
  let swaps = 0;
  let singular = false;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(lu[k * n + k]!);
    for (let r = k + 1; r < n; r++) {
      const v = Math.abs(lu[r * n + k]!);
      if (v > best) {
        best = v;
        p = r;
      }
    }
    perm[k] = p;
    if (lu[p * n + k] !== 0) {
      if (p !== k) {
        swaps++;
        for (let c = 0; c < n; c++) {
          const t = lu[k * n + c]!;
          lu[k * n + c] = lu[p * n + c]!;
          lu[p * n + c] = t;
        }
      }
      const pivot = lu[k * n + k]!;
      if (Math.abs(pivot) >= tiny) {
        const scale = f32 ? Math.fround(1 / pivot) : 1 / pivot;
        for (let r = k + 1; r < n; r++) lu[r * n + k] = f32 ? Math.fround(lu[r * n + k]! * scale) : lu[r * n + k]! * scale;
      } else {
        for (let r = k + 1; r < n; r++) lu[r * n + k] = f32 ? Math.fround(lu[r * n + k]! / pivot) : lu[r * n + k]! / pivot;
      }
    } else {
      singular = true;
    }
    for (let r = k + 1; r < n; r++) {
      const l = lu[r * n + k]!;
      for (let c = k + 1; c < n; c++) {
        lu[r * n + c] = f32 ? Math.fround(lu[r * n + c]! - Math.fround(l * lu[k * n + c]!)) : lu[r * n + c]! - l * lu[k * n + c]!;
      }
    }
  }
  return singular ? -1 : swaps;
}

/**
 * x = A⁻¹ b in place for the factored `lu` (n×n), x holding b (n×k,
 * row-major): small_lu.h's LuSolve, step for step (dtrsm's column updates,
 * skipping zeros).
 */
function substitute(x: FloatArray, n: number, k: number, f32: boolean): void {
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < n; i++) {
      const p = perm[i]!;
      if (p !== i) {
        const t = x[i * k + c]!;
        x[i * k + c] = x[p * k + c]!;
        x[p * k + c] = t;
      }
    }
    for (let i = 0; i < n; i++) {
      const xi = x[i * k + c]!;
      if (xi === 0) continue;
      for (let r = i + 1; r < n; r++) x[r * k + c] = f32 ? Math.fround(x[r * k + c]! - Math.fround(xi * lu[r * n + i]!)) : x[r * k + c]! - xi * lu[r * n + i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      if (x[i * k + c] === 0) continue;
      const xi = f32 ? Math.fround(x[i * k + c]! / lu[i * n + i]!) : x[i * k + c]! / lu[i * n + i]!;
      x[i * k + c] = xi;
      for (let r = 0; r < i; r++) x[r * k + c] = f32 ? Math.fround(x[r * k + c]! - Math.fround(xi * lu[r * n + i]!)) : x[r * k + c]! - xi * lu[r * n + i]!;
    }
  }
}

const singular = () => linAlgError('ERR_SINGULAR', 'Singular matrix');

/** solve(a, b) for a [n, n] and b [n, k] (tinySolve holds); undefined for non-finite a. */
export function solveJs(a: View, b: View): FloatArray | undefined {
  const f32 = a.data instanceof Float32Array && b.data instanceof Float32Array;
  const swaps = factor(a, f32);
  if (swaps === -2) return undefined;
  if (swaps === -1) throw singular();
  const [n, k] = b.shape as [number, number];
  const x = allocate(f32, n * k);
  const [bd, s0, s1] = [b.data, b.strides[0]!, b.strides[1]!];
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) x[i * k + c] = bd[b.offset + i * s0 + c * s1]!;
  substitute(x, n, k, f32);
  return x;
}

/** inv(a) (tinySolve holds); a singular a fails, or is all NaN with `nanOnSingular`; undefined for non-finite a. */
export function invJs(a: View, nanOnSingular: boolean): FloatArray | undefined {
  const f32 = a.data instanceof Float32Array;
  const swaps = factor(a, f32);
  if (swaps === -2) return undefined;
  const n = a.shape[0]!;
  const x = allocate(f32, n * n);
  if (swaps === -1) {
    if (!nanOnSingular) throw singular();
    return x.fill(NaN);
  }
  x.fill(0);
  for (let i = 0; i < n; i++) x[i * n + i] = 1;
  substitute(x, n, n, f32);
  return x;
}

/**
 * det(a) (tinySolve holds): U's diagonal multiplied in order, negated for
 * an odd number of row swaps; 0 for a singular a. undefined — the native
 * path's sign · exp(Σ log|uᵢᵢ|) — for non-finite a, and where the product
 * overflows or underflows to 0 midway.
 */
export function detJs(a: View): FloatArray | undefined {
  const f32 = a.data instanceof Float32Array;
  const swaps = factor(a, f32);
  if (swaps === -2) return undefined;
  const d = f32 ? new Float32Array(1) : new Float64Array(1);
  if (swaps === -1) return d;
  const n = a.shape[0]!;
  let p = lu[0]!;
  for (let i = 1; i < n; i++) p = f32 ? Math.fround(p * lu[i * n + i]!) : p * lu[i * n + i]!;
  if (p === 0 || p - p !== 0) return undefined;
  d[0] = swaps % 2 === 1 ? -p : p;
  return d;
}

/** Whether every matrix of a multiDot chain (2-D views, aligned) is tiny for matmul. */
export function tinyChain(mats: readonly View[]): boolean {
  for (const v of mats) {
    const [r, c] = v.shape as [number, number];
    if (!(r >= 1 && c >= 1 && r <= MAX_MATMUL && c <= MAX_MATMUL && inBounds(v))) return false;
  }
  return true;
}

/**
 * The chain's product, with matmulJs for each product, in the order `split`
 * gives (multiDot's cheapest parenthesisation): `split(i, j)` is where the
 * product of mats[i..j] splits.
 */
export function multiDotJs(mats: readonly View[], split: (i: number, j: number) => number): FloatArray {
  const product = (i: number, j: number): View => {
    if (i === j) return mats[i]!;
    const k = split(i, j);
    const left = product(i, k);
    const right = product(k + 1, j);
    const m = left.shape[0]!;
    const n = right.shape[1]!;
    return { data: matmulJs(left, right), shape: [m, n], strides: [n, 1], offset: 0 };
  };
  return product(0, mats.length - 1).data as FloatArray;
}

// ---------------------------------------------------------------- lean paths

// The sync functions' lean paths (defineOp's `small`): NDArray operands of
// tiny shapes, computed without the program and its generator (~0.3 µs, as
// much as a 4×4 product). Every other call (nested arrays, a stack, a
// shape that does not fit, options, a singular or non-finite matrix)
// returns undefined and runs the program, which validates, throws and
// computes as the async twin does.

/** x as a float NDArray of one or two axes, else undefined. */
function floatArray(x: unknown): NDArray | undefined {
  if (!(x instanceof NDArray)) return undefined;
  const d = x.data;
  const nd = x.shape.length;
  // Complex storage is a Float64Array/Float32Array too: its pairs take the program's path.
  return (d instanceof Float64Array || d instanceof Float32Array) && (nd === 1 || nd === 2) && !isComplexData(d) ? x : undefined;
}

/** A 1-D x as one row (or, with `column`, one column); a 2-D x as it is. */
function asMatrix(x: NDArray, column: boolean): View {
  if (x.shape.length === 2) return x as unknown as View;
  const [n, s] = [x.shape[0]!, x.strides[0]!];
  return column ? { data: x.data as FloatArray, shape: [n, 1], strides: [s, 0], offset: x.offset } : { data: x.data as FloatArray, shape: [1, n], strides: [0, s], offset: x.offset };
}

/** linalg.matmul's lean path (no options: `out` takes the program). */
export function matmulSmall(a: unknown, b: unknown, options?: unknown): NDArray | undefined {
  const x = floatArray(a);
  const y = floatArray(b);
  if (options !== undefined || x === undefined || y === undefined) return undefined;
  const va = asMatrix(x, false);
  const vb = asMatrix(y, true);
  if (va.shape[1] !== vb.shape[0] || !tinyMatmul(va, vb)) return undefined;
  const m = va.shape[0]!;
  const n = vb.shape[1]!;
  const shape = x.shape.length === 1 ? (y.shape.length === 1 ? [] : [n]) : y.shape.length === 1 ? [m] : [m, n];
  return NDArray.fromContiguous(matmulJs(va, vb), shape);
}

/** linalg.multiDot's lean path: a chain of NDArrays (1-D allowed first and last). */
export function multiDotSmall(arrays: unknown, split: (mats: readonly View[]) => (i: number, j: number) => number): NDArray | undefined {
  if (!Array.isArray(arrays) || arrays.length < 2) return undefined;
  const last = arrays.length - 1;
  const mats: View[] = [];
  for (let i = 0; i <= last; i++) {
    const x = floatArray(arrays[i]);
    if (x === undefined || (x.shape.length === 1 && i !== 0 && i !== last)) return undefined;
    const v = asMatrix(x, i !== 0);
    if (i > 0 && mats[i - 1]!.shape[1] !== v.shape[0]) return undefined;
    mats.push(v);
  }
  if (!tinyChain(mats)) return undefined;
  const first = (arrays[0] as NDArray).shape.length === 2;
  const lastMatrix = (arrays[last] as NDArray).shape.length === 2;
  const [m, n] = [mats[0]!.shape[0]!, mats[last]!.shape[1]!];
  const shape = first ? (lastMatrix ? [m, n] : [m]) : lastMatrix ? [n] : [];
  return NDArray.fromContiguous(multiDotJs(mats, split(mats)), shape);
}

/** A 2-D square float NDArray of tiny size, else undefined. */
function tinySquare(a: unknown): NDArray | undefined {
  const x = floatArray(a);
  return x !== undefined && x.shape.length === 2 && x.shape[0] === x.shape[1] && tinySolve(x as unknown as View) ? x : undefined;
}

/** linalg.solve's lean path (no options: assumeA 'gen'). */
export function solveSmall(a: unknown, b: unknown, options?: unknown): NDArray | undefined {
  const x = tinySquare(a);
  const y = floatArray(b);
  if (options !== undefined || x === undefined || y === undefined) return undefined;
  const vb = asMatrix(y, true);
  if (vb.shape[0] !== x.shape[0] || !tinySolve(x as unknown as View, vb)) return undefined;
  const r = solveOrUndefined(x as unknown as View, vb);
  return r === undefined ? undefined : NDArray.fromContiguous(r, y.shape.length === 1 ? [vb.shape[0]!] : [vb.shape[0]!, vb.shape[1]!]);
}

/** solveJs, with undefined for a singular a (the program throws that, named as its other errors are). */
function solveOrUndefined(a: View, b: View): FloatArray | undefined {
  try {
    return solveJs(a, b);
  } catch {
    return undefined;
  }
}

/** linalg.inv's lean path. */
export function invSmall(a: unknown): NDArray | undefined {
  const x = tinySquare(a);
  if (x === undefined) return undefined;
  let r: FloatArray | undefined;
  try {
    r = invJs(x as unknown as View, false);
  } catch {
    return undefined;
  }
  return r === undefined ? undefined : NDArray.fromContiguous(r, [x.shape[0]!, x.shape[0]!]);
}

/** linalg.det's lean path. */
export function detSmall(a: unknown): NDArray | undefined {
  const x = tinySquare(a);
  if (x === undefined) return undefined;
  const r = detJs(x as unknown as View);
  return r === undefined ? undefined : NDArray.fromContiguous(r, []);
}
