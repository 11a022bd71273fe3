/**
 * Decompositions: qr, svd, svdvals, eig, eigvals, eigh, eigvalsh, cholesky,
 * lu, luFactor, choFactor. All take a matrix or a stack of them (`[..., m, n]`).
 *
 * @module
 */
import { isComplexData, toView } from '../ndarray.js';
import type { ArrayInput, ElementArray, NDArray, View } from '../ndarray.js';
import { nativeCall, step } from '../internal/dispatch.js';
import { flag, oneOf, readOptions } from '../internal/options.js';
import { CODES, code } from '../internal/codes.js';
import type { Program } from '../internal/dispatch.js';
import { asyncOf, defineOp } from '../internal/registry.js';
import type { OpCall, TakesOptions } from '../internal/registry.js';
import { out, requireMatrices, requireSquare } from './common.js';

type Raw = ElementArray[];

/** Reads `a` as a stack of matrices: its view, batch shape, m and n. */
function matrices(fn: string, a: ArrayInput | View, square = false, complex = false) {
  const view = toView(a, fn, 'a', { complex });
  if (square) requireSquare(fn, view, 'a');
  else requireMatrices(fn, view, 'a');
  const nd = view.shape.length;
  return { view, batch: view.shape.slice(0, nd - 2), m: view.shape[nd - 2]!, n: view.shape[nd - 1]!, complex: isComplexData(view.data) };
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

/** {@link qr}'s signatures: what it returns follows `mode`. */
interface QR extends TakesOptions {
  (a: ArrayInput, options?: { mode?: 'reduced' | 'complete' }): QRResult;
  (a: ArrayInput, options: { mode: 'r' }): QRRResult;
  (a: ArrayInput, options: { mode: 'raw' }): QRRawResult;
  (a: ArrayInput, options?: QROptions): QRResult | QRRResult | QRRawResult;
}

function* qrProgram({ fn, async }: OpCall, a: ArrayInput, options?: QROptions): Program<QRResult | QRRResult | QRRawResult> {
  const { mode } = readOptions(fn, options, { mode: oneOf(QR_MODES, 'reduced') }, async);
  const { view, batch, m, n, complex: c } = matrices(fn, a, false, true);
  const k = Math.min(m, n);
  const parts = (yield* step(nativeCall('qr', [view], code('QrMode', mode)))) as Raw;
  switch (mode) {
    case 'raw':
      return { h: out(parts[0], [...batch, n, m], c), tau: out(parts[1], [...batch, k], c) };
    case 'r':
      return { R: out(parts[0], [...batch, k, n], c) };
    case 'complete':
      return { Q: out(parts[0], [...batch, m, m], c), R: out(parts[1], [...batch, m, n], c) };
    default:
      return { Q: out(parts[0], [...batch, m, k], c), R: out(parts[1], [...batch, k, n], c) };
  }
}

/**
 * QR decomposition `a = Q·R` (LAPACK `?geqrf` + `?orgqr`, `?ungqr` for
 * complex), numpy's modes; stacks are factored item by item across the
 * arena. The result has `a`'s dtype (complex input: Q unitary, `Qᴴ·Q = I`). Signs follow LAPACK (R's diagonal may be negative), as in numpy.
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
export const qr = defineOp('linalg.qr', qrProgram, { options: true }) as QR;
export const qrAsync = asyncOf(qr);

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

/** {@link svd}'s signatures: `computeUV: false` gives only `{ S }`. */
interface SVD extends TakesOptions {
  (a: ArrayInput, options?: SVDOptions & { computeUV?: true }): SVDResult;
  (a: ArrayInput, options: SVDOptions & { computeUV: false }): { S: NDArray };
  (a: ArrayInput, options?: SVDOptions): SVDResult | { S: NDArray };
}

function* svdProgram({ fn, async }: OpCall, a: ArrayInput, options?: SVDOptions): Program<SVDResult | { S: NDArray }> {
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
export const svd = defineOp('linalg.svd', svdProgram, { options: true }) as SVD;
export const svdAsync = asyncOf(svd);

/** Singular values of a stack (descending, `[..., k]`). @internal */
export function* singularValues(fn: string, a: ArrayInput | View): Program<NDArray> {
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
export const svdvals = defineOp('linalg.svdvals', ({ fn }: OpCall, a: ArrayInput) => singularValues(fn, a));
export const svdvalsAsync = asyncOf(svdvals);

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

/** `?geev`: the eigenvalues, and the eigenvectors too when `vectors`. */
function* eigParts(fn: string, a: ArrayInput, vectors: boolean) {
  const { view, batch, n } = matrices(fn, a, true);
  const parts = (yield* step(nativeCall('eig', [view], vectors))) as Raw;
  return { parts, batch, n, eigenvalues: { re: out(parts[0], [...batch, n]), im: out(parts[1], [...batch, n]) } };
}

function* eigProgram({ fn }: OpCall, a: ArrayInput): Program<EigResult> {
  const { parts, batch, n, eigenvalues } = yield* eigParts(fn, a, true);
  return { eigenvalues, eigenvectors: { re: out(parts[2], [...batch, n, n]), im: out(parts[3], [...batch, n, n]) } };
}

function* eigvalsProgram({ fn }: OpCall, a: ArrayInput): Program<ComplexArray> {
  return (yield* eigParts(fn, a, false)).eigenvalues;
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
export const eig = defineOp('linalg.eig', eigProgram);
export const eigAsync = asyncOf(eig);

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
export const eigvals = defineOp('linalg.eigvals', eigvalsProgram);
export const eigvalsAsync = asyncOf(eigvals);

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

/** `?syevd` on the `uplo` triangle: the raw eigenvalues (and eigenvectors when `vectors`). */
function* eighRaw({ fn, async }: OpCall, a: ArrayInput, options: EighOptions | undefined, vectors: boolean) {
  const { uplo } = readOptions(fn, options, { uplo: oneOf(['L', 'U', 'l', 'u'] as const, 'L') }, async);
  const { view, batch, n } = matrices(fn, a, true);
  return { raw: yield* step(nativeCall('eigh', [view], uplo.toUpperCase() === 'L', vectors)), batch, n };
}

function* eighProgram(call: OpCall, a: ArrayInput, options?: EighOptions): Program<EighResult> {
  const { raw, batch, n } = yield* eighRaw(call, a, options, true);
  const [w, v] = raw as Raw;
  return { eigenvalues: out(w, [...batch, n]), eigenvectors: out(v, [...batch, n, n]) };
}

function* eigvalshProgram(call: OpCall, a: ArrayInput, options?: EighOptions): Program<NDArray> {
  const { raw, batch, n } = yield* eighRaw(call, a, options, false);
  return out(raw, [...batch, n]);
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
export const eigh = defineOp('linalg.eigh', eighProgram, { options: true });
export const eighAsync = asyncOf(eigh);

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
export const eigvalsh = defineOp('linalg.eigvalsh', eigvalshProgram, { options: true });
export const eigvalshAsync = asyncOf(eigvalsh);

// ---------------------------------------------------------------- cholesky

/** Options of {@link cholesky}. */
export interface CholeskyOptions {
  /** Return the upper factor U (a = Uᵀ·U) instead of the lower L (a = L·Lᵀ, default). */
  upper?: boolean;
}

function* choleskyProgram({ fn, async }: OpCall, a: ArrayInput, options?: CholeskyOptions): Program<NDArray> {
  const { upper } = readOptions(fn, options, { upper: flag(false) }, async);
  const { view, complex } = matrices(fn, a, true, true);
  return out(yield* step(nativeCall('cholesky', [view], upper, true)), view.shape.slice(), complex);
}

/**
 * Cholesky factor of a symmetric positive-definite matrix (LAPACK `?potrf`,
 * as numpy): lower L with `a = L·Lᵀ`, or upper U with `{ upper: true }`. Only
 * that triangle of `a` is read; the other triangle of the result is zero.
 * A complex `a` must be Hermitian positive definite: `a = L·Lᴴ`, and the
 * upper factor is `U = Lᴴ` (`a = Uᴴ·U`), as numpy's.
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
export const cholesky = defineOp('linalg.cholesky', choleskyProgram, { options: true });
export const choleskyAsync = asyncOf(cholesky);

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

function* luProgram({ fn }: OpCall, a: ArrayInput): Program<LUResult> {
  const { view, batch, m, n, complex } = matrices(fn, a, false, true);
  const k = Math.min(m, n);
  const [p, l, u] = (yield* step(nativeCall('lu', [view], code('LuMode', 'plu')))) as Raw;
  // P is real for complex a too, as scipy's.
  return { P: out(p, [...batch, m, m]), L: out(l, [...batch, m, k], complex), U: out(u, [...batch, k, n], complex) };
}

/**
 * LU decomposition with partial pivoting, `a = P·L·U` (scipy's `lu`, LAPACK
 * `?getrf`), for any m×n matrix or stack. A singular matrix factors fine (U
 * has a zero on its diagonal). P is m×m even for an empty a (scipy returns
 * 0×0 there), so `P·L·U` always has a's shape. For complex `a`, L and U are
 * complex and P real (float64, or float32 for complex64), as scipy's — also
 * for 1×1, where scipy returns P complex.
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
export const lu = defineOp('linalg.lu', luProgram);
export const luAsync = asyncOf(lu);

/** What {@link luFactor} returns: scipy's `(lu, piv)`, ready for {@link luSolve}. */
export interface LUFactorResult {
  /** L (unit lower, below the diagonal) and U (upper) in one matrix, `[..., m, n]`. */
  lu: NDArray;
  /** 0-based pivot indices, `[..., k]`: row i was swapped with row piv[i]. */
  piv: NDArray<'int32'>;
}

function* luFactorProgram({ fn }: OpCall, a: ArrayInput): Program<LUFactorResult> {
  const { view, batch, m, n, complex } = matrices(fn, a, false, true);
  const [lu, piv] = (yield* step(nativeCall('lu', [view], code('LuMode', 'factor')))) as Raw;
  return { lu: out(lu, [...batch, m, n], complex), piv: out<'int32'>(piv, [...batch, Math.min(m, n)]) };
}

/**
 * LU factorisation in LAPACK's compact form (scipy's `lu_factor`, `?getrf`):
 * keep it and call {@link luSolve} for each right-hand side. Real or complex.
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
export const luFactor = defineOp('linalg.luFactor', luFactorProgram);
export const luFactorAsync = asyncOf(luFactor);

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

function* choFactorProgram({ fn, async }: OpCall, a: ArrayInput, options?: ChoFactorOptions): Program<ChoFactorResult> {
  const { lower } = readOptions(fn, options, { lower: flag(false) }, async);
  const { view, complex } = matrices(fn, a, true, true);
  return { c: out(yield* step(nativeCall('cholesky', [view], !lower, false)), view.shape.slice(), complex), lower };
}

/**
 * Cholesky factorisation for {@link choSolve} (scipy's `cho_factor`,
 * `?potrf`): upper by default, as scipy; a complex `a` must be Hermitian
 * positive definite, as for {@link cholesky}.
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
export const choFactor = defineOp('linalg.choFactor', choFactorProgram, { options: true });
export const choFactorAsync = asyncOf(choFactor);
