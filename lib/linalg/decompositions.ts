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
import type { ComplexDType, FloatArray, FloatDType } from '../ndarray.js';

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
  /** Left singular vectors (columns): `[..., m, m]` or `[..., m, k]`; complex for complex `a`. */
  U: NDArray<FloatDType | ComplexDType>;
  /** Singular values, descending: `[..., k]`; real (float32 for float32 and complex64 `a`). */
  S: NDArray;
  /** Right singular vectors (rows): `[..., n, n]` or `[..., k, n]`; complex for complex `a` (`Vh = Vᴴ`). */
  Vh: NDArray<FloatDType | ComplexDType>;
}

/** {@link svd}'s signatures: `computeUV: false` gives only `{ S }`. */
interface SVD extends TakesOptions {
  (a: ArrayInput, options?: SVDOptions & { computeUV?: true }): SVDResult;
  (a: ArrayInput, options: SVDOptions & { computeUV: false }): { S: NDArray };
  (a: ArrayInput, options?: SVDOptions): SVDResult | { S: NDArray };
}

function* svdProgram({ fn, async }: OpCall, a: ArrayInput, options?: SVDOptions): Program<SVDResult | { S: NDArray }> {
  const opts = readOptions(fn, options, { fullMatrices: flag(true), computeUV: flag(true) }, async);
  const { view, batch, m, n, complex } = matrices(fn, a, false, true);
  const k = Math.min(m, n);
  if (!opts.computeUV) return { S: out(yield* step(nativeCall('svd', [view], code('SvdMode', 'values'))), [...batch, k]) };
  const [u, s, vh] = (yield* step(nativeCall('svd', [view], code('SvdMode', opts.fullMatrices ? 'full' : 'reduced')))) as Raw;
  const uCols = opts.fullMatrices ? m : k;
  const vRows = opts.fullMatrices ? n : k;
  return { U: out<FloatDType | ComplexDType>(u, [...batch, m, uCols], complex), S: out(s, [...batch, k]), Vh: out<FloatDType | ComplexDType>(vh, [...batch, vRows, n], complex) };
}

/**
 * Singular value decomposition `a = U · diag(S) · Vh` (LAPACK `?gesdd`, as
 * numpy). S is descending. Stacks are decomposed across the arena. Complex
 * `a` (`?zgesdd`/`?cgesdd`): U and Vh complex (`Vh = Vᴴ`), S real of `a`'s
 * precision.
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
 * const c = linalg.svd([[{ re: 0, im: 2 }, 0], [0, 1]]);
 * c.S.toArray();  // [2, 1]
 * c.U.dtype;      // 'complex128'
 * ```
 */
export const svd = defineOp('linalg.svd', svdProgram, { options: true }) as SVD;
export const svdAsync = asyncOf(svd);

/** Singular values of a stack (descending, `[..., k]`). @internal */
export function* singularValues(fn: string, a: ArrayInput | View): Program<NDArray> {
  const { view, batch, m, n } = matrices(fn, a, false, true);
  return out(yield* step(nativeCall('svd', [view], code('SvdMode', 'values'))), [...batch, Math.min(m, n)]);
}

/**
 * The singular values alone, descending (numpy's `svdvals`; `?gesdd` without
 * vectors): real, also for complex `a` (float32 for complex64).
 *
 * @throws LinAlgError `ERR_NO_CONVERGENCE` ("SVD did not converge"; also for
 *   NaN/Inf); RangeError when a has fewer than two axes.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * linalg.svdvals([[0, 0, 3], [0, 5, 0]]).toArray(); // [5, 3]
 * linalg.svdvals([[{ re: 3, im: 4 }]]).toArray();    // [5]
 * ```
 */
export const svdvals = defineOp('linalg.svdvals', ({ fn }: OpCall, a: ArrayInput) => singularValues(fn, a));
export const svdvalsAsync = asyncOf(svdvals);

// ---------------------------------------------------------------- eig

/** What {@link eig} returns. */
export interface EigResult {
  /**
   * Eigenvalues, `[..., n]`, in LAPACK's order (not sorted); for real `a`
   * conjugate pairs adjacent. Complex (complex64 for float32 or complex64
   * `a`, else complex128), except for real `a` whose eigenvalues are all
   * real: then real (float32 or float64), as numpy.
   */
  eigenvalues: NDArray<FloatDType | ComplexDType>;
  /**
   * Unit-norm eigenvectors as columns, `[..., n, n]`: column i belongs to
   * eigenvalue i. Complex or real as the eigenvalues.
   */
  eigenvectors: NDArray<FloatDType | ComplexDType>;
}

/** The real parts of interleaved (re, im) pairs, in a fresh array of their precision. */
function realParts(raw: FloatArray): FloatArray {
  const re = raw instanceof Float32Array ? new Float32Array(raw.length / 2) : new Float64Array(raw.length / 2);
  for (let i = 0; i < re.length; i++) re[i] = raw[2 * i]!;
  return re;
}

/**
 * `?geev`: the eigenvalues, and the eigenvectors too when `vectors`, as
 * numpy gives them: native returns complex pairs; for real input whose
 * eigenvalues are all real (every one in the stack), numpy's results are
 * real, and so are these.
 */
function* eigParts(fn: string, a: ArrayInput, vectors: boolean): Program<{ eigenvalues: NDArray<FloatDType | ComplexDType>; eigenvectors?: NDArray<FloatDType | ComplexDType> }> {
  const { view, batch, n, complex } = matrices(fn, a, true, true);
  const raw = yield* step(nativeCall('eig', [view], vectors));
  const [w, v] = (vectors ? raw : [raw]) as FloatArray[];
  let real = !complex;
  for (let i = 1; real && i < w!.length; i += 2) real = w![i] === 0;
  const wrap = (parts: FloatArray, shape: number[]) => (real ? out(realParts(parts), shape) : out<ComplexDType>(parts, shape, true));
  return { eigenvalues: wrap(w!, [...batch, n]), eigenvectors: vectors ? wrap(v!, [...batch, n, n]) : undefined };
}

function* eigProgram({ fn }: OpCall, a: ArrayInput): Program<EigResult> {
  const { eigenvalues, eigenvectors } = yield* eigParts(fn, a, true);
  return { eigenvalues, eigenvectors: eigenvectors! };
}

function* eigvalsProgram({ fn }: OpCall, a: ArrayInput): Program<NDArray<FloatDType | ComplexDType>> {
  return (yield* eigParts(fn, a, false)).eigenvalues;
}

/**
 * Eigenvalues and right eigenvectors of a general square matrix (LAPACK
 * `?geev`, as numpy's `eig`); complex `a` goes to `?zgeev`/`?cgeev`. The
 * results are complex NDArrays (complex64 for float32 and complex64 input,
 * else complex128) — except, as in numpy, for real `a` whose eigenvalues
 * are all real (throughout a stack): then both results are real.
 * Eigenvectors are normalised to unit length and need not be orthogonal.
 * (Until weft 0.1 both came as `{ re, im }` pairs of real arrays: read
 * `.real` and `.imag` of the NDArray instead.) float32 and complex64 input
 * is computed in single precision (`?sgeev`/`?cgeev`; numpy computes in
 * double and rounds), so for float32 input an almost repeated real
 * eigenvalue may come out as a complex pair where numpy's are real, or the
 * reverse.
 *
 * @throws LinAlgError `ERR_NONFINITE` ("Array must not contain infs or NaNs"),
 *   `ERR_NO_CONVERGENCE` ("Eigenvalues did not converge"), `ERR_NOT_SQUARE`;
 *   RangeError when a has fewer than two axes.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * const { eigenvalues } = linalg.eig([[0, -1], [1, 0]]); // a rotation: ±i
 * eigenvalues.dtype;            // 'complex128'
 * eigenvalues.real.toArray();   // [0, 0]
 * eigenvalues.imag.toArray();   // [1, -1]
 * linalg.eig([[2, 0], [0, 3]]).eigenvalues.dtype; // 'float64'
 * ```
 */
export const eig = defineOp('linalg.eig', eigProgram);
export const eigAsync = asyncOf(eig);

/**
 * Eigenvalues of a general square matrix, without vectors (`?geev`), with
 * {@link eig}'s dtypes: complex, or real for real `a` whose eigenvalues are
 * all real.
 *
 * @throws LinAlgError `ERR_NONFINITE`, `ERR_NO_CONVERGENCE`, `ERR_NOT_SQUARE`;
 *   RangeError when a has fewer than two axes.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * linalg.eigvals([[1, 2], [0, 3]]).toArray(); // [1, 3]
 * linalg.eigvals([[1, -1], [1, 1]]).toArray(); // [{ re: 1, im: 1 }, { re: 1, im: -1 }]
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
  /** Eigenvalues in ascending order, `[..., n]`: real (float32 for float32 and complex64 `a`). */
  eigenvalues: NDArray;
  /** Orthonormal eigenvectors as columns, `[..., n, n]`: complex for complex (Hermitian) `a`. */
  eigenvectors: NDArray<FloatDType | ComplexDType>;
}

/** `?syevd` on the `uplo` triangle: the raw eigenvalues (and eigenvectors when `vectors`). */
function* eighRaw({ fn, async }: OpCall, a: ArrayInput, options: EighOptions | undefined, vectors: boolean) {
  const { uplo } = readOptions(fn, options, { uplo: oneOf(['L', 'U', 'l', 'u'] as const, 'L') }, async);
  const { view, batch, n, complex } = matrices(fn, a, true, true);
  const raw = yield* step(nativeCall('eigh', [view], uplo.toUpperCase() === 'L', vectors));
  return { raw, batch, n, complex };
}

function* eighProgram(call: OpCall, a: ArrayInput, options?: EighOptions): Program<EighResult> {
  const { raw, batch, n, complex } = yield* eighRaw(call, a, options, true);
  const [w, v] = raw as Raw;
  return { eigenvalues: out(w, [...batch, n]), eigenvectors: out<FloatDType | ComplexDType>(v, [...batch, n, n], complex) };
}

function* eigvalshProgram(call: OpCall, a: ArrayInput, options?: EighOptions): Program<NDArray> {
  const { raw, batch, n } = yield* eighRaw(call, a, options, false);
  return out(raw, [...batch, n]);
}

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric matrix
 * (LAPACK `?syevd`, as numpy's `eigh`), or of a complex Hermitian one
 * (`?heevd`: real eigenvalues, complex eigenvectors). Only the `uplo`
 * triangle is read (and, for Hermitian input, only the real part of the
 * diagonal).
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
 * const h = linalg.eigh([[2, { re: 0, im: -1 }], [{ re: 0, im: 1 }, 2]]); // Hermitian
 * h.eigenvalues.toArray();  // [1, 3]
 * h.eigenvectors.dtype;     // 'complex128'
 * ```
 */
export const eigh = defineOp('linalg.eigh', eighProgram, { options: true });
export const eighAsync = asyncOf(eigh);

/**
 * Eigenvalues of a symmetric matrix, ascending, without vectors (`?syevd`;
 * `?heevd` for complex Hermitian input): real, of `a`'s precision.
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
