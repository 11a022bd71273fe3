/**
 * numpy.linalg on typed arrays, backed by oneMKL.
 *
 * Every function comes as a pair: `fn` runs on the calling thread (inside the
 * shared arena, so MKL's own threads still compose) and returns the result;
 * `fnAsync` copies its inputs, queues the work on the arena and returns a
 * Promise, leaving the JS thread free. Sync is right for small matrices,
 * where a thread hop costs more than the work; async for large ones and for
 * running many operations at once. Both return exactly the same values.
 *
 * @module
 */
import { describe, typeError } from './errors.js';
import { NDArray, toView } from './ndarray.js';
import type { ArrayInput, FloatArray, View } from './ndarray.js';
import { native, writeGeometry } from './native.js';

// ---------------------------------------------------------------- matmul

interface MatmulPlan {
  a: View;
  b: View;
  shape: number[];
}

/** numpy's matmul rules for 1-D and 2-D operands, as 2-D native views. */
function planMatmul(a: unknown, b: unknown, fn: string): MatmulPlan {
  const va = toView(a, fn, 'a');
  const vb = toView(b, fn, 'b');
  for (const [name, v] of [['a', va], ['b', vb]] as const) {
    if (v.shape.length === 0) {
      throw new RangeError(`${fn}: expected ${name} to be 1-D or 2-D, but received a 0-d array (a scalar); use multiplication`);
    }
    if (v.shape.length > 2) {
      throw new RangeError(
        `${fn}: expected ${name} to be 1-D or 2-D, but received shape ${describe(v.shape)}; stacked (batched) matrices are not supported yet`,
      );
    }
  }
  // A 1-D a is one row, a 1-D b one column; those axes leave the result.
  const a2: View = va.shape.length === 1 ? { ...va, shape: [1, va.shape[0]!], strides: [0, va.strides[0]!] } : va;
  const b2: View = vb.shape.length === 1 ? { ...vb, shape: [vb.shape[0]!, 1], strides: [vb.strides[0]!, 0] } : vb;
  const [m, k] = a2.shape as [number, number];
  const [kb, n] = b2.shape as [number, number];
  if (k !== kb) {
    throw new RangeError(
      `${fn}: a.shape ${describe(va.shape)} and b.shape ${describe(vb.shape)} do not align: ` +
        `a has ${k} column${k === 1 ? '' : 's'} but b has ${kb} row${kb === 1 ? '' : 's'}`,
    );
  }
  const shape = [...(va.shape.length === 2 ? [m] : []), ...(vb.shape.length === 2 ? [n] : [])];
  return { a: a2, b: b2, shape };
}

/**
 * Matrix product `a @ b` (BLAS `?gemm`), with numpy's rules: a 1-D `a` is a
 * row vector and a 1-D `b` a column vector, and those axes are dropped from
 * the result (1-D @ 1-D gives a 0-d array). The result is float32 when both
 * inputs are float32, else float64. Views (transposes, strided slices) are
 * read in place where BLAS can, else copied.
 *
 * @param a Left operand, shape `[m, k]` or `[k]`.
 * @param b Right operand, shape `[k, n]` or `[k]`.
 * @returns The product, shape `[m, n]` (fewer axes for 1-D operands).
 * @throws TypeError for a non-array or an unsupported dtype; RangeError when
 *   the inner dimensions differ, an operand is 0-d or more than 2-D, or a
 *   view reaches outside its data.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * linalg.matmul([[1, 2], [3, 4]], [[5], [6]]).toArray(); // [[17], [39]]
 * linalg.matmul([1, 2], [[1, 0], [0, 1]]).toArray();     // [1, 2]
 * ```
 */
export function matmul(a: ArrayInput, b: ArrayInput): NDArray {
  const plan = planMatmul(a, b, 'linalg.matmul');
  writeGeometry(plan.a, plan.b);
  return NDArray.fromContiguous(native.matmul(plan.a.data, plan.b.data, false), plan.shape);
}

/**
 * {@link matmul} on the shared arena: the inputs are copied before this
 * returns (mutating them afterwards is safe), and the Promise resolves on the
 * JS thread with the same result `matmul` gives.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * const products = await Promise.all(
 *   [1, 2, 3].map((s) => linalg.matmulAsync(
 *     { data: new Float64Array(512 * 512).fill(s), shape: [512, 512] },
 *     { data: new Float64Array(512 * 512).fill(1), shape: [512, 512] })),
 * );
 * products[2].get(0, 0); // 1536
 * ```
 */
export async function matmulAsync(a: ArrayInput, b: ArrayInput): Promise<NDArray> {
  const plan = planMatmul(a, b, 'linalg.matmulAsync');
  writeGeometry(plan.a, plan.b);
  return NDArray.fromContiguous(await native.matmul(plan.a.data, plan.b.data, true), plan.shape);
}

// ---------------------------------------------------------------- qr

/** numpy's QR modes. */
export type QRMode = 'reduced' | 'complete' | 'r' | 'raw';

/** Options of {@link qr} and {@link qrAsync}. */
export interface QROptions {
  /**
   * `'reduced'` (default): Q is m×k, R is k×n, k = min(m, n).
   * `'complete'`: Q is m×m, R is m×n.
   * `'r'`: only R (k×n).
   * `'raw'`: LAPACK's Householder reflectors `h` (n×m, i.e. transposed) and scalar factors `tau` (k).
   */
  mode?: QRMode;
}

/** Q and R of `a = Q·R`: Q has orthonormal columns, R is upper triangular. */
export interface QRResult {
  /** m×k (`'reduced'`) or m×m (`'complete'`), orthonormal columns. */
  Q: NDArray;
  /** k×n (`'reduced'`) or m×n (`'complete'`), upper triangular. */
  R: NDArray;
}

/** The `'r'` mode's result. */
export interface QRRResult {
  /** k×n, upper triangular: the same R as `'reduced'` gives. */
  R: NDArray;
}

/** The `'raw'` mode's result, as LAPACK's `?geqrf` leaves it (numpy's `(h, tau)`). */
export interface QRRawResult {
  /** n×m: R in the upper triangle, the Householder vectors below it (LAPACK's column-major array, read row-major). */
  h: NDArray;
  /** k Householder scalar factors. */
  tau: NDArray;
}

const QR_MODES: readonly QRMode[] = ['reduced', 'complete', 'r', 'raw'];

function planQr(a: unknown, options: unknown, fn: string): { view: View; mode: QRMode } {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw typeError(fn, 'options', 'an object like { mode }', options);
  }
  const opts = (options ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(opts)) {
    if (key !== 'mode') throw new TypeError(`${fn}: unknown option "${key}" (options takes only "mode")`);
  }
  const mode = (opts.mode ?? 'reduced') as QRMode;
  if (!QR_MODES.includes(mode)) {
    throw typeError(fn, 'options.mode', "one of 'reduced', 'complete', 'r', 'raw'", opts.mode);
  }
  const view = toView(a, fn, 'a');
  if (view.shape.length !== 2) {
    if (view.shape.length < 2) {
      throw new RangeError(
        `${fn}: expected a to be at least two-dimensional, but received a ${view.shape.length}-D array (shape ${describe(view.shape)})`,
      );
    }
    throw new RangeError(
      `${fn}: expected a to be 2-D, but received shape ${describe(view.shape)}; stacked (batched) matrices are not supported yet`,
    );
  }
  return { view, mode };
}

function shapeQr(parts: FloatArray[], mode: QRMode, [m, n]: number[]): QRResult | QRRResult | QRRawResult {
  const k = Math.min(m!, n!);
  switch (mode) {
    case 'raw':
      return { h: NDArray.fromContiguous(parts[0]!, [n!, m!]), tau: NDArray.fromContiguous(parts[1]!, [k]) };
    case 'r':
      return { R: NDArray.fromContiguous(parts[0]!, [k, n!]) };
    case 'complete':
      return { Q: NDArray.fromContiguous(parts[0]!, [m!, m!]), R: NDArray.fromContiguous(parts[1]!, [m!, n!]) };
    default:
      return { Q: NDArray.fromContiguous(parts[0]!, [m!, k]), R: NDArray.fromContiguous(parts[1]!, [k, n!]) };
  }
}

/**
 * QR decomposition `a = Q·R` (LAPACK `?geqrf` + `?orgqr`), numpy's modes.
 * The result has `a`'s dtype. Signs follow LAPACK (R's diagonal may be
 * negative), as in numpy.
 *
 * @param a Matrix, shape `[m, n]`.
 * @param options `{ mode }`: `'reduced'` (default), `'complete'`, `'r'` or `'raw'`.
 * @throws TypeError for a bad `a` or option; RangeError when `a` is not 2-D
 *   or a view reaches outside its data.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * const { Q, R } = linalg.qr([[3, 1], [4, 2]]);
 * Q.shape;                                   // [2, 2]
 * Math.abs(R.get(0, 0));                     // 5
 * linalg.qr([[1, 2], [3, 4], [5, 6]], { mode: 'r' }).R.shape; // [2, 2]
 * ```
 */
export function qr(a: ArrayInput, options?: { mode?: 'reduced' | 'complete' }): QRResult;
export function qr(a: ArrayInput, options: { mode: 'r' }): QRRResult;
export function qr(a: ArrayInput, options: { mode: 'raw' }): QRRawResult;
export function qr(a: ArrayInput, options?: QROptions): QRResult | QRRResult | QRRawResult;
export function qr(a: ArrayInput, options?: QROptions): QRResult | QRRResult | QRRawResult {
  const { view, mode } = planQr(a, options, 'linalg.qr');
  writeGeometry(view);
  return shapeQr(native.qr(view.data, QR_MODES.indexOf(mode), false), mode, view.shape);
}

/**
 * {@link qr} on the shared arena: `a` is copied before this returns, and the
 * Promise resolves with what `qr` returns.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * const mats = Array.from({ length: 10 }, (_, s) =>
 *   ({ data: Float64Array.from({ length: 256 * 256 }, (_, i) => Math.sin(i + s)), shape: [256, 256] }));
 * const results = await Promise.all(mats.map((m) => linalg.qrAsync(m)));
 * results[0].R.shape; // [256, 256]
 * ```
 */
export function qrAsync(a: ArrayInput, options?: { mode?: 'reduced' | 'complete' }): Promise<QRResult>;
export function qrAsync(a: ArrayInput, options: { mode: 'r' }): Promise<QRRResult>;
export function qrAsync(a: ArrayInput, options: { mode: 'raw' }): Promise<QRRawResult>;
export function qrAsync(a: ArrayInput, options?: QROptions): Promise<QRResult | QRRResult | QRRawResult>;
export async function qrAsync(a: ArrayInput, options?: QROptions): Promise<QRResult | QRRResult | QRRawResult> {
  const { view, mode } = planQr(a, options, 'linalg.qrAsync');
  writeGeometry(view);
  return shapeQr(await native.qr(view.data, QR_MODES.indexOf(mode), true), mode, view.shape);
}
