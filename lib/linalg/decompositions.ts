/**
 * Decompositions: qr, svd, svdvals, eig, eigvals, eigh, eigvalsh, cholesky,
 * lu, luFactor, choFactor. All take a matrix or a stack of them (`[..., m, n]`).
 *
 * @module
 */
import { toView } from '../ndarray.js';
import type { ArrayInput, ElementArray, NDArray } from '../ndarray.js';
import { nativeCall, runAsync, runSync, signalOnly, step } from '../internal/dispatch.js';
import { flag, oneOf, readOptions } from '../internal/options.js';
import { CODES, code } from '../internal/codes.js';
import type { AsyncOptions, Program } from '../internal/dispatch.js';
import { out, requireMatrices, requireSquare } from './common.js';

type Raw = ElementArray[];

/** Reads `a` as a stack of matrices: its view, batch shape, m and n. */
function matrices(fn: string, a: unknown, square = false) {
  const view = toView(a, fn, 'a');
  if (square) requireSquare(fn, view, 'a');
  else requireMatrices(fn, view, 'a');
  const nd = view.shape.length;
  return { view, batch: view.shape.slice(0, nd - 2), m: view.shape[nd - 2]!, n: view.shape[nd - 1]! };
}

// ---------------------------------------------------------------- qr

/** numpy's QR modes. */
export type QRMode = 'reduced' | 'complete' | 'r' | 'raw';

/** Options of {@link qr}. */
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

const QR_MODES = CODES.QrMode;

function* qrProgram(a: unknown, options: unknown, fn: string, async: boolean): Program<QRResult | QRRResult | QRRawResult> {
  const { mode } = readOptions(fn, options, { mode: oneOf(QR_MODES, 'reduced') }, async);
  const { view, batch, m, n } = matrices(fn, a);
  const k = Math.min(m, n);
  const parts = (yield* step(nativeCall('qr', [view], code('QrMode', mode)))) as Raw;
  switch (mode) {
    case 'raw':
      return { h: out(parts[0], [...batch, n, m]), tau: out(parts[1], [...batch, k]) };
    case 'r':
      return { R: out(parts[0], [...batch, k, n]) };
    case 'complete':
      return { Q: out(parts[0], [...batch, m, m]), R: out(parts[1], [...batch, m, n]) };
    default:
      return { Q: out(parts[0], [...batch, m, k]), R: out(parts[1], [...batch, k, n]) };
  }
}

/**
 * QR decomposition `a = Q·R` (LAPACK `?geqrf` + `?orgqr`), numpy's modes;
 * stacks are factored item by item across the arena. The result has `a`'s
 * dtype. Signs follow LAPACK (R's diagonal may be negative), as in numpy.
 *
 * @param a Matrix or stack, shape `[..., m, n]`.
 * @param options `{ mode }`: `'reduced'` (default), `'complete'`, `'r'` or `'raw'`.
 * @throws TypeError for a bad `a` or option; RangeError when `a` has fewer
 *   than two axes or a view reaches outside its data.
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
  return runSync('linalg.qr', qrProgram(a, options, 'linalg.qr', false));
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
export function qrAsync(a: ArrayInput, options?: { mode?: 'reduced' | 'complete' } & AsyncOptions): Promise<QRResult>;
export function qrAsync(a: ArrayInput, options: { mode: 'r' } & AsyncOptions): Promise<QRRResult>;
export function qrAsync(a: ArrayInput, options: { mode: 'raw' } & AsyncOptions): Promise<QRRawResult>;
export function qrAsync(a: ArrayInput, options?: QROptions & AsyncOptions): Promise<QRResult | QRRResult | QRRawResult>;
export function qrAsync(a: ArrayInput, options?: QROptions & AsyncOptions): Promise<QRResult | QRRResult | QRRawResult> {
  const fn = 'linalg.qrAsync';
  return runAsync(fn, qrProgram(a, options, fn, true), options);
}

// ---------------------------------------------------------------- svd

/** Options of {@link svd}. */
export interface SVDOptions {
  /** U is m×m and Vh n×n (default true); false: m×k and k×n, k = min(m, n). */
  fullMatrices?: boolean;
  /** Compute U and Vh (default true); false returns only `{ S }`. */
  computeUV?: boolean;
}

/** `a = U · diag(S) · Vh`. */
export interface SVDResult {
  /** Left singular vectors (columns): `[..., m, m]` or `[..., m, k]`. */
  U: NDArray;
  /** Singular values, descending: `[..., k]`. */
  S: NDArray;
  /** Right singular vectors (rows): `[..., n, n]` or `[..., k, n]`. */
  Vh: NDArray;
}

function* svdProgram(a: unknown, options: unknown, fn: string, async: boolean): Program<SVDResult | { S: NDArray }> {
  const opts = readOptions(fn, options, { fullMatrices: flag(true), computeUV: flag(true) }, async);
  const { view, batch, m, n } = matrices(fn, a);
  const k = Math.min(m, n);
  if (!opts.computeUV) return { S: out(yield* step(nativeCall('svd', [view], code('SvdMode', 'values'))), [...batch, k]) };
  const [u, s, vh] = (yield* step(nativeCall('svd', [view], code('SvdMode', opts.fullMatrices ? 'full' : 'reduced')))) as Raw;
  const uCols = opts.fullMatrices ? m : k;
  const vRows = opts.fullMatrices ? n : k;
  return { U: out(u, [...batch, m, uCols]), S: out(s, [...batch, k]), Vh: out(vh, [...batch, vRows, n]) };
}

/**
 * Singular value decomposition `a = U · diag(S) · Vh` (LAPACK `?gesdd`, as
 * numpy). S is descending. Stacks are decomposed across the arena.
 *
 * @throws LinAlgError `ERR_NO_CONVERGENCE` ("SVD did not converge"; also for
 *   input containing NaN or Inf, where numpy returns NaNs); RangeError when a
 *   has fewer than two axes.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * const { U, S, Vh } = linalg.svd([[3, 0], [0, 4]]);
 * S.toArray(); // [4, 3]
 * linalg.svd([[1, 2], [3, 4], [5, 6]], { fullMatrices: false }).U.shape; // [3, 2]
 * ```
 */
export function svd(a: ArrayInput, options?: SVDOptions & { computeUV?: true }): SVDResult;
export function svd(a: ArrayInput, options: SVDOptions & { computeUV: false }): { S: NDArray };
export function svd(a: ArrayInput, options?: SVDOptions): SVDResult | { S: NDArray };
export function svd(a: ArrayInput, options?: SVDOptions): SVDResult | { S: NDArray } {
  return runSync('linalg.svd', svdProgram(a, options, 'linalg.svd', false));
}

/**
 * {@link svd} on the shared arena.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * (await linalg.svdAsync([[0, 2], [1, 0]])).S.toArray(); // [2, 1]
 * ```
 */
export function svdAsync(a: ArrayInput, options?: SVDOptions & { computeUV?: true } & AsyncOptions): Promise<SVDResult>;
export function svdAsync(a: ArrayInput, options: SVDOptions & { computeUV: false } & AsyncOptions): Promise<{ S: NDArray }>;
export function svdAsync(a: ArrayInput, options?: SVDOptions & AsyncOptions): Promise<SVDResult | { S: NDArray }>;
export function svdAsync(a: ArrayInput, options?: SVDOptions & AsyncOptions): Promise<SVDResult | { S: NDArray }> {
  const fn = 'linalg.svdAsync';
  return runAsync(fn, svdProgram(a, options, fn, true), options);
}

/** Singular values of a stack (descending, `[..., k]`). @internal */
export function* svdvalsProgram(a: unknown, fn: string): Program<NDArray> {
  const { view, batch, m, n } = matrices(fn, a);
  return out(yield* step(nativeCall('svd', [view], code('SvdMode', 'values'))), [...batch, Math.min(m, n)]);
}

/**
 * The singular values alone, descending (numpy's `svdvals`; `?gesdd` without
 * vectors).
 *
 * @throws LinAlgError `ERR_NO_CONVERGENCE` ("SVD did not converge"; also for
 *   NaN/Inf); RangeError when a has fewer than two axes.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * linalg.svdvals([[0, 0, 3], [0, 5, 0]]).toArray(); // [5, 3]
 * ```
 */
export function svdvals(a: ArrayInput): NDArray {
  return runSync('linalg.svdvals', svdvalsProgram(a, 'linalg.svdvals'));
}

/**
 * {@link svdvals} on the shared arena.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * (await linalg.svdvalsAsync([[2, 0], [0, 1]])).toArray(); // [2, 1]
 * ```
 */
export function svdvalsAsync(a: ArrayInput, options?: AsyncOptions): Promise<NDArray> {
  const fn = 'linalg.svdvalsAsync';
  return runAsync(fn, signalOnly(fn, options, svdvalsProgram(a, fn)), options);
}

// ---------------------------------------------------------------- eig

/** Complex values as two real arrays of the same shape. */
export interface ComplexArray {
  /** Real parts. */
  re: NDArray;
  /** Imaginary parts (all zero when every value is real). */
  im: NDArray;
}

/** What {@link eig} returns. */
export interface EigResult {
  /** Eigenvalues, `[..., n]`, in LAPACK's order (not sorted); conjugate pairs adjacent. */
  eigenvalues: ComplexArray;
  /** Unit-norm eigenvectors as columns, `[..., n, n]`: column i belongs to eigenvalue i. */
  eigenvectors: ComplexArray;
}

function* eigProgram(a: unknown, vectors: boolean, fn: string): Program<EigResult | ComplexArray> {
  const { view, batch, n } = matrices(fn, a, true);
  const parts = (yield* step(nativeCall('eig', [view], vectors))) as Raw;
  const eigenvalues = { re: out(parts[0], [...batch, n]), im: out(parts[1], [...batch, n]) };
  if (!vectors) return eigenvalues;
  return { eigenvalues, eigenvectors: { re: out(parts[2], [...batch, n, n]), im: out(parts[3], [...batch, n, n]) } };
}

/**
 * Eigenvalues and right eigenvectors of a general square matrix (LAPACK
 * `?geev`, as numpy's `eig`). Values come as `{ re, im }` even when all are
 * real (then `im` is zero); eigenvectors are normalised to unit length and
 * need not be orthogonal.
 *
 * @throws LinAlgError `ERR_NONFINITE` ("Array must not contain infs or NaNs"),
 *   `ERR_NO_CONVERGENCE` ("Eigenvalues did not converge"), `ERR_NOT_SQUARE`;
 *   RangeError when a has fewer than two axes.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * const { eigenvalues } = linalg.eig([[0, -1], [1, 0]]); // a rotation: ±i
 * eigenvalues.re.toArray(); // [0, 0]
 * eigenvalues.im.toArray(); // [1, -1]
 * ```
 */
export function eig(a: ArrayInput): EigResult {
  return runSync('linalg.eig', eigProgram(a, true, 'linalg.eig')) as EigResult;
}

/**
 * {@link eig} on the shared arena.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * (await linalg.eigAsync([[2, 0], [0, 3]])).eigenvalues.re.toArray(); // [2, 3]
 * ```
 */
export function eigAsync(a: ArrayInput, options?: AsyncOptions): Promise<EigResult> {
  const fn = 'linalg.eigAsync';
  return runAsync(fn, signalOnly(fn, options, eigProgram(a, true, fn)), options) as Promise<EigResult>;
}

/**
 * Eigenvalues of a general square matrix, without vectors (`?geev`).
 *
 * @throws LinAlgError `ERR_NONFINITE`, `ERR_NO_CONVERGENCE`, `ERR_NOT_SQUARE`;
 *   RangeError when a has fewer than two axes.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * linalg.eigvals([[1, 2], [0, 3]]).re.toArray(); // [1, 3]
 * ```
 */
export function eigvals(a: ArrayInput): ComplexArray {
  return runSync('linalg.eigvals', eigProgram(a, false, 'linalg.eigvals')) as ComplexArray;
}

/**
 * {@link eigvals} on the shared arena.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * (await linalg.eigvalsAsync([[5]])).re.toArray(); // [5]
 * ```
 */
export function eigvalsAsync(a: ArrayInput, options?: AsyncOptions): Promise<ComplexArray> {
  const fn = 'linalg.eigvalsAsync';
  return runAsync(fn, signalOnly(fn, options, eigProgram(a, false, fn)), options) as Promise<ComplexArray>;
}

// ---------------------------------------------------------------- eigh

/** Options of {@link eigh} and {@link eigvalsh}. */
export interface EighOptions {
  /** Which triangle of `a` to read: `'L'` (default, as numpy) or `'U'`; as numpy, either case. */
  uplo?: 'L' | 'U' | 'l' | 'u';
}

/** What {@link eigh} returns. */
export interface EighResult {
  /** Eigenvalues in ascending order, `[..., n]`. */
  eigenvalues: NDArray;
  /** Orthonormal eigenvectors as columns, `[..., n, n]`. */
  eigenvectors: NDArray;
}

function* eighProgram(a: unknown, options: unknown, vectors: boolean, fn: string, async: boolean): Program<EighResult | NDArray> {
  const { uplo } = readOptions(fn, options, { uplo: oneOf(['L', 'U', 'l', 'u'] as const, 'L') }, async);
  const { view, batch, n } = matrices(fn, a, true);
  const raw = yield* step(nativeCall('eigh', [view], uplo.toUpperCase() === 'L', vectors));
  if (!vectors) return out(raw, [...batch, n]);
  const [w, v] = raw as Raw;
  return { eigenvalues: out(w, [...batch, n]), eigenvectors: out(v, [...batch, n, n]) };
}

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric matrix
 * (LAPACK `?syevd`, as numpy's `eigh`). Only the `uplo` triangle is read.
 *
 * @throws LinAlgError `ERR_NO_CONVERGENCE` ("Eigenvalues did not converge";
 *   also for NaN/Inf in the triangle read), `ERR_NOT_SQUARE`; RangeError when
 *   a has fewer than two axes; TypeError for an uplo other than 'L'/'l' or 'U'/'u'.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * const { eigenvalues, eigenvectors } = linalg.eigh([[2, 1], [1, 2]]);
 * eigenvalues.toArray(); // [1, 3]
 * ```
 */
export function eigh(a: ArrayInput, options?: EighOptions): EighResult {
  return runSync('linalg.eigh', eighProgram(a, options, true, 'linalg.eigh', false)) as EighResult;
}

/**
 * {@link eigh} on the shared arena.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * (await linalg.eighAsync([[4, 0], [0, 1]])).eigenvalues.toArray(); // [1, 4]
 * ```
 */
export function eighAsync(a: ArrayInput, options?: EighOptions & AsyncOptions): Promise<EighResult> {
  const fn = 'linalg.eighAsync';
  return runAsync(fn, eighProgram(a, options, true, fn, true), options) as Promise<EighResult>;
}

/**
 * Eigenvalues of a symmetric matrix, ascending, without vectors (`?syevd`).
 *
 * @throws LinAlgError `ERR_NO_CONVERGENCE` (also NaN/Inf in the triangle read),
 *   `ERR_NOT_SQUARE`; RangeError when a has fewer than two axes.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * linalg.eigvalsh([[2, 1], [1, 2]]).toArray(); // [1, 3]
 * ```
 */
export function eigvalsh(a: ArrayInput, options?: EighOptions): NDArray {
  return runSync('linalg.eigvalsh', eighProgram(a, options, false, 'linalg.eigvalsh', false)) as NDArray;
}

/**
 * {@link eigvalsh} on the shared arena.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * (await linalg.eigvalshAsync([[3]])).toArray(); // [3]
 * ```
 */
export function eigvalshAsync(a: ArrayInput, options?: EighOptions & AsyncOptions): Promise<NDArray> {
  const fn = 'linalg.eigvalshAsync';
  return runAsync(fn, eighProgram(a, options, false, fn, true), options) as Promise<NDArray>;
}

// ---------------------------------------------------------------- cholesky

/** Options of {@link cholesky}. */
export interface CholeskyOptions {
  /** Return the upper factor U (a = Uᵀ·U) instead of the lower L (a = L·Lᵀ, default). */
  upper?: boolean;
}

function* choleskyProgram(a: unknown, options: unknown, fn: string, async: boolean): Program<NDArray> {
  const { upper } = readOptions(fn, options, { upper: flag(false) }, async);
  const { view } = matrices(fn, a, true);
  return out(yield* step(nativeCall('cholesky', [view], upper, true)), view.shape.slice());
}

/**
 * Cholesky factor of a symmetric positive-definite matrix (LAPACK `?potrf`,
 * as numpy): lower L with `a = L·Lᵀ`, or upper U with `{ upper: true }`. Only
 * that triangle of `a` is read; the other triangle of the result is zero.
 *
 * @throws LinAlgError `ERR_NOT_POSITIVE_DEFINITE` ("Matrix is not positive
 *   definite", with `batchIndex` for a stack), `ERR_NOT_SQUARE`; RangeError
 *   when a has fewer than two axes.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * linalg.cholesky([[4, 2], [2, 5]]).toArray();                  // [[2, 0], [1, 2]]
 * linalg.cholesky([[4, 2], [2, 5]], { upper: true }).toArray(); // [[2, 1], [0, 2]]
 * ```
 */
export function cholesky(a: ArrayInput, options?: CholeskyOptions): NDArray {
  return runSync('linalg.cholesky', choleskyProgram(a, options, 'linalg.cholesky', false));
}

/**
 * {@link cholesky} on the shared arena.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * (await linalg.choleskyAsync([[9]])).item(); // 3
 * ```
 */
export function choleskyAsync(a: ArrayInput, options?: CholeskyOptions & AsyncOptions): Promise<NDArray> {
  const fn = 'linalg.choleskyAsync';
  return runAsync(fn, choleskyProgram(a, options, fn, true), options);
}

// ---------------------------------------------------------------- lu, luFactor, choFactor

/** scipy's `lu`: `a = P · L · U`. */
export interface LUResult {
  /** Permutation matrix, `[..., m, m]`. */
  P: NDArray;
  /** Unit lower triangular (trapezoidal), `[..., m, k]`. */
  L: NDArray;
  /** Upper triangular (trapezoidal), `[..., k, n]`. */
  U: NDArray;
}

function* luProgram(a: unknown, fn: string): Program<LUResult> {
  const { view, batch, m, n } = matrices(fn, a);
  const k = Math.min(m, n);
  const [p, l, u] = (yield* step(nativeCall('lu', [view], code('LuMode', 'plu')))) as Raw;
  return { P: out(p, [...batch, m, m]), L: out(l, [...batch, m, k]), U: out(u, [...batch, k, n]) };
}

/**
 * LU decomposition with partial pivoting, `a = P·L·U` (scipy's `lu`, LAPACK
 * `?getrf`), for any m×n matrix or stack. A singular matrix factors fine (U
 * has a zero on its diagonal). P is m×m even for an empty a (scipy returns
 * 0×0 there), so `P·L·U` always has a's shape.
 *
 * @throws RangeError when a has fewer than two axes.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * const { P, L, U } = linalg.lu([[1, 2], [3, 4]]);
 * P.toArray(); // [[0, 1], [1, 0]]
 * U.toArray(); // [[3, 4], [0, 0.6666666666666667]]
 * ```
 */
export function lu(a: ArrayInput): LUResult {
  return runSync('linalg.lu', luProgram(a, 'linalg.lu'));
}

/**
 * {@link lu} on the shared arena.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * (await linalg.luAsync([[2]])).U.item(); // 2
 * ```
 */
export function luAsync(a: ArrayInput, options?: AsyncOptions): Promise<LUResult> {
  const fn = 'linalg.luAsync';
  return runAsync(fn, signalOnly(fn, options, luProgram(a, fn)), options);
}

/** What {@link luFactor} returns: scipy's `(lu, piv)`, ready for {@link luSolve}. */
export interface LUFactorResult {
  /** L (unit lower, below the diagonal) and U (upper) in one matrix, `[..., m, n]`. */
  lu: NDArray;
  /** 0-based pivot indices, `[..., k]`: row i was swapped with row piv[i]. */
  piv: NDArray<Int32Array>;
}

function* luFactorProgram(a: unknown, fn: string): Program<LUFactorResult> {
  const { view, batch, m, n } = matrices(fn, a);
  const [lu, piv] = (yield* step(nativeCall('lu', [view], code('LuMode', 'factor')))) as Raw;
  return { lu: out(lu, [...batch, m, n]), piv: out<Int32Array>(piv, [...batch, Math.min(m, n)]) };
}

/**
 * LU factorisation in LAPACK's compact form (scipy's `lu_factor`, `?getrf`):
 * keep it and call {@link luSolve} for each right-hand side.
 *
 * @throws RangeError when a has fewer than two axes.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * const { lu, piv } = linalg.luFactor([[1, 2], [3, 4]]);
 * Array.from(piv.data); // [1, 1]
 * ```
 */
export function luFactor(a: ArrayInput): LUFactorResult {
  return runSync('linalg.luFactor', luFactorProgram(a, 'linalg.luFactor'));
}

/**
 * {@link luFactor} on the shared arena.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * (await linalg.luFactorAsync([[4]])).lu.item(); // 4
 * ```
 */
export function luFactorAsync(a: ArrayInput, options?: AsyncOptions): Promise<LUFactorResult> {
  const fn = 'linalg.luFactorAsync';
  return runAsync(fn, signalOnly(fn, options, luFactorProgram(a, fn)), options);
}

/** Options of {@link choFactor}. */
export interface ChoFactorOptions {
  /** Factor into the lower triangle (default false: upper, as scipy). */
  lower?: boolean;
}

/** What {@link choFactor} returns: scipy's `(c, lower)`, ready for {@link choSolve}. */
export interface ChoFactorResult {
  /** The factor in the `lower`/upper triangle; the other triangle keeps a's values (unused). */
  c: NDArray;
  /** Which triangle holds the factor. */
  lower: boolean;
}

function* choFactorProgram(a: unknown, options: unknown, fn: string, async: boolean): Program<ChoFactorResult> {
  const { lower } = readOptions(fn, options, { lower: flag(false) }, async);
  const { view } = matrices(fn, a, true);
  return { c: out(yield* step(nativeCall('cholesky', [view], !lower, false)), view.shape.slice()), lower };
}

/**
 * Cholesky factorisation for {@link choSolve} (scipy's `cho_factor`,
 * `?potrf`): upper by default, as scipy.
 *
 * @throws LinAlgError `ERR_NOT_POSITIVE_DEFINITE`, `ERR_NOT_SQUARE`; RangeError
 *   when a has fewer than two axes.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * const { c, lower } = linalg.choFactor([[4, 2], [2, 5]]);
 * lower;        // false
 * c.get(0, 1);  // 1
 * ```
 */
export function choFactor(a: ArrayInput, options?: ChoFactorOptions): ChoFactorResult {
  return runSync('linalg.choFactor', choFactorProgram(a, options, 'linalg.choFactor', false));
}

/**
 * {@link choFactor} on the shared arena.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * (await linalg.choFactorAsync([[4]], { lower: true })).c.item(); // 2
 * ```
 */
export function choFactorAsync(a: ArrayInput, options?: ChoFactorOptions & AsyncOptions): Promise<ChoFactorResult> {
  const fn = 'linalg.choFactorAsync';
  return runAsync(fn, choFactorProgram(a, options, fn, true), options);
}
