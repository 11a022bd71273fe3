/**
 * Linear systems: solve, inv, lstsq, pinv, luSolve, choSolve.
 *
 * @module
 */
import { describe, typeError } from '../errors.js';
import { toView } from '../ndarray.js';
import type { ArrayInput, ComplexDType, ElementArray, FloatDType, NDArray, View } from '../ndarray.js';
import { nativeCall, step } from '../internal/dispatch.js';
import { flag, number, oneOf, readOptions } from '../internal/options.js';
import { CODES, code } from '../internal/codes.js';
import type { Program } from '../internal/dispatch.js';
import { asyncOf, defineOp } from '../internal/registry.js';
import type { FloatOp, FloatOp2, FloatOp2Async, FloatOpAsync, TakesOptions } from '../internal/registry.js';
import type { OpCall } from '../internal/registry.js';
import { broadcastBatches } from '../internal/shape.js';
import { invJs, invSmall, solveJs, solveSmall, tinyOr, tinySolve } from '../internal/tiny.js';
import { anyComplex, out, requireMatrices, requireSquare, resultEps, rightHandSide } from './common.js';

/** `b` checked against a square `a` (n×n): returns both broadcast, and the result's shape. */
function system(fn: string, a: View, aName: string, b: View, extra: { view: View; core: number; name: string }[] = []) {
  const n = requireSquare(fn, a, aName);
  if (b.shape.length === 0) throw new RangeError(`${fn}: expected b to have at least one axis, but received a 0-d array`);
  const rhs = rightHandSide(a, b);
  requireMatrices(fn, rhs.b, 'b');
  const rows = rhs.b.shape[rhs.b.shape.length - 2]!;
  if (rows !== n) {
    throw new RangeError(
      `${fn}: b.shape ${describe(b.shape)} does not fit ${aName}.shape ${describe(a.shape)}: ` +
        `b has ${rows} row${rows === 1 ? '' : 's'} but ${aName} is ${n}×${n}`,
    );
  }
  const { views, batch } = broadcastBatches(fn, [{ view: a, core: 2, name: aName }, ...extra, { view: rhs.b, core: 2, name: 'b' }]);
  const k = rhs.b.shape[rhs.b.shape.length - 1]!;
  return { views, shape: rhs.vectors ? [...batch, n] : [...batch, n, k] };
}

/** toView's opt-in: these solvers take complex operands (numpy's promotion against real ones). */
const COMPLEX = { complex: true } as const;

// ---------------------------------------------------------------- solve

const ASSUME = CODES.Assume;

/** Options of {@link solve}. */
export interface SolveOptions {
  /**
   * What `a` is known to be (scipy's `assume_a`): `'gen'` (default, LU with
   * partial pivoting, `?gesv`), `'sym'` (symmetric, Bunch–Kaufman, `?sysv`) or
   * `'pos'` (symmetric positive definite, Cholesky, `?posv`).
   */
  assumeA?: 'gen' | 'sym' | 'pos';
  /** For `'sym'`/`'pos'`: read `a`'s lower triangle instead of the upper (scipy's default). */
  lower?: boolean;
}

function* solveProgram({ fn, async }: OpCall, a: ArrayInput, b: ArrayInput, options?: SolveOptions): Program<NDArray> {
  const opts = readOptions(fn, options, { assumeA: oneOf(ASSUME, 'gen'), lower: flag(false) }, async);
  const s = system(fn, toView(a, fn, 'a', COMPLEX), 'a', toView(b, fn, 'b', COMPLEX));
  const call = nativeCall('solve', s.views, code('Assume', opts.assumeA), opts.lower);
  const [x, y] = s.views as [View, View];
  const complex = anyComplex(x, y);
  const raw = yield* step(!complex && opts.assumeA === 'gen' && tinySolve(x, y) ? tinyOr(call, () => solveJs(x, y)) : call);
  return out(raw, s.shape, complex);
}

/**
 * Solves `a · x = b` (numpy's `solve`, with scipy's `assumeA`): LAPACK
 * `?gesv` (LU), `?sysv` or `?posv`. `a` is square or a stack of square
 * matrices; `b` is a stack of vectors when it is 1-D or `b.ndim === a.ndim - 1`
 * (numpy 1.x's rule; numpy 2 treats only a 1-D b as a vector), else a stack of
 * matrices `[..., n, k]`; batch axes broadcast. As numpy's, `a` is factored
 * even when `b` has no columns, so a singular `a` fails then too.
 *
 * Complex `a` or `b` (complex128/complex64) solve in complex, a real operand
 * promoting as numpy: `?gesv`, `?sysv` for `'sym'` (complex symmetric, not
 * Hermitian, as scipy's) and `?posv` for `'pos'` (Hermitian positive
 * definite).
 *
 * Precision: a single `a` of at most 8×8 (no stack, finite, `assumeA:
 * 'gen'`) with at most 8 columns of `b` is solved by weft's own LU with
 * partial pivoting (LAPACK's dgetf2, step for step) and substitution, in JS
 * for a sync call and in C++ for an async one, bit for bit the same; each
 * finite item of a stack of such systems gets the same LU and the same bits.
 *
 * An `a` with NaN or ±Infinity gets what LU of `a` itself gives, as in numpy:
 * NaN, a finite limit, or "Singular matrix", depending on where the Infinity
 * sits (`[[1, Infinity], [0, 1]]` gives NaN, its transpose fails). Where
 * oneMKL's LU meets Infinity − Infinity and numpy's OpenBLAS does not, weft
 * has NaN where numpy has a value.
 *
 * @param a Coefficients, shape `[..., n, n]`.
 * @param b Right-hand side(s), shape `[..., n]` or `[..., n, k]`.
 * @param options `{ assumeA, lower }`.
 * @returns x with b's shape (after broadcasting).
 * @throws LinAlgError `ERR_SINGULAR` ("Singular matrix"), `ERR_NOT_POSITIVE_DEFINITE`
 *   (`assumeA: 'pos'`), `ERR_NOT_SQUARE`; RangeError when b does not fit a.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * linalg.solve([[3, 1], [1, 2]], [9, 8]).toArray();                   // [2, 3]
 * linalg.solve([[4, 2], [2, 3]], [2, 1], { assumeA: 'pos' }).toArray(); // [0.5, 0]
 * linalg.solve([[{ re: 0, im: 2 }]], [{ re: 4, im: 0 }]).toArray();    // [{ re: 0, im: -2 }]
 * ```
 */
export const solve = defineOp('linalg.solve', solveProgram, { options: true, small: solveSmall }) as FloatOp2<typeof solveProgram> & TakesOptions;
export const solveAsync = asyncOf(solve) as FloatOp2Async<typeof solveProgram, true>;

// ---------------------------------------------------------------- inv

/** The inverse of `a`; with `nanOnSingular`, singular items become NaN (numpy's cond). @internal */
export function* inverseProgram(fn: string, a: ArrayInput | View, nanOnSingular: boolean): Program<NDArray> {
  const va = toView(a, fn, 'a', COMPLEX);
  requireSquare(fn, va, 'a');
  const call = nativeCall('inv', [va], nanOnSingular);
  const complex = anyComplex(va);
  const raw = yield* step(!complex && tinySolve(va) ? tinyOr(call, () => invJs(va, nanOnSingular)) : call);
  return out(raw, va.shape.slice(), complex);
}

/**
 * The inverse of a square matrix, or of each in a stack (LAPACK `?getrf` +
 * `?getri`; real or complex, the result in `a`'s dtype). A matrix with NaN or ±Infinity gets what LU of `a` itself gives,
 * as in numpy: NaN, a finite limit, or "Singular matrix", depending on where
 * the Infinity sits (`[[1, Infinity], [0, 1]]` gives NaN, its transpose
 * fails); where oneMKL's LU meets Infinity − Infinity and numpy's OpenBLAS
 * does not, weft has NaN where numpy has a value.
 *
 * Precision: a single finite matrix of at most 8×8 is inverted by weft's own
 * LU (as {@link solve}'s) against the identity, sync and async bit for bit
 * the same, and each finite item of a stack of such matrices the same bits.
 *
 * @throws LinAlgError `ERR_SINGULAR` ("Singular matrix", with `batchIndex` for
 *   a stack) or `ERR_NOT_SQUARE`; RangeError when a has fewer than two axes.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * linalg.inv([[4, 7], [2, 6]]).toArray(); // [[0.6, -0.7], [-0.2, 0.4]]
 * ```
 */
export const inv = defineOp('linalg.inv', ({ fn }: OpCall, a: ArrayInput) => inverseProgram(fn, a, false), { small: invSmall }) as FloatOp<(call: OpCall, a: ArrayInput) => unknown>;
export const invAsync = asyncOf(inv) as FloatOpAsync<(call: OpCall, a: ArrayInput) => unknown, false>;

// ---------------------------------------------------------------- lstsq

/** What {@link lstsq} returns (numpy's `(x, residuals, rank, s)`). */
export interface LstsqResult {
  /** The least-squares solution: shape `[n]` or `[n, k]`; complex when a or b is. */
  x: NDArray<FloatDType | ComplexDType>;
  /**
   * Squared residual norms per column of b (real, also for complex input): shape `[k]` (`[1]` for a 1-D b)
   * when rank is n and m > n; otherwise empty (shape `[0]`), as numpy.
   */
  residuals: NDArray;
  /** The effective rank of a. */
  rank: number;
  /** a's singular values, descending (real). */
  s: NDArray;
}

/** Options of {@link lstsq}. */
export interface LstsqOptions {
  /**
   * Singular values at most `rcond · s[0]` count as zero. Default: machine
   * epsilon × max(m, n) (numpy ≥ 2.0). A negative value means machine epsilon.
   */
  rcond?: number | null;
}

function* lstsqProgram({ fn, async }: OpCall, a: ArrayInput, b: ArrayInput, options?: LstsqOptions): Program<LstsqResult> {
  const opts = readOptions(fn, options, { rcond: number(undefined) }, async);
  const va = toView(a, fn, 'a', { complex: true });
  const vb = toView(b, fn, 'b', { complex: true });
  if (va.shape.length !== 2) throw new RangeError(`${fn}: expected a to be 2-D, but received shape ${describe(va.shape)}`);
  if (vb.shape.length !== 1 && vb.shape.length !== 2) {
    throw new RangeError(`${fn}: expected b to be 1-D or 2-D, but received shape ${describe(vb.shape)}`);
  }
  const [m, n] = va.shape as [number, number];
  if (vb.shape[0] !== m) {
    throw new RangeError(`${fn}: a has ${m} rows but b has ${vb.shape[0]} (a.shape ${describe(va.shape)}, b.shape ${describe(vb.shape)})`);
  }
  const vector = vb.shape.length === 1;
  const b2: View = vector ? { ...vb, shape: [m, 1], strides: [vb.strides[0]!, 0] } : vb;
  const rcond = opts.rcond ?? resultEps(va, vb) * Math.max(m, n);
  const [x, residuals, s, rank] = (yield* step(nativeCall('lstsq', [va, b2], rcond))) as [ElementArray, ElementArray, ElementArray, number];
  // numpy's promotion: x is complex when a or b is (native computes in the promoted dtype).
  const complex = anyComplex(va, vb);
  return {
    x: out<FloatDType | ComplexDType>(x, vector ? [n] : [n, b2.shape[1]!], complex),
    residuals: out(residuals, [residuals.length]),
    rank,
    s: out(s, [s.length]),
  };
}

/**
 * Least-squares solution of `a · x ≈ b` (LAPACK `?gelsd`, SVD-based), numpy's
 * `lstsq`. `a` is 2-D (m×n, any shape and rank), `b` 1-D or 2-D with m rows.
 * Complex operands (`?zgelsd`/`?cgelsd`) promote as numpy: x complex when
 * either is (complex64 only when neither is double precision); residuals
 * and s real.
 *
 * @throws LinAlgError `ERR_NO_CONVERGENCE` ("SVD did not converge in Linear
 *   Least Squares", also for NaN/Inf input); RangeError for shapes.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * // Fit y = c0 + c1·t through (0, 1), (1, 3), (2, 5):
 * const { x, residuals, rank } = linalg.lstsq([[1, 0], [1, 1], [1, 2]], [1, 3, 5]);
 * x.toArray(); // [1, 2]
 * rank;        // 2
 * linalg.lstsq([[1], [1]], [{ re: 1, im: 2 }, { re: 3, im: 2 }]).x.toArray(); // [{ re: 2, im: 2 }]
 * ```
 */
export const lstsq = defineOp('linalg.lstsq', lstsqProgram, { options: true });
export const lstsqAsync = asyncOf(lstsq);

// ---------------------------------------------------------------- pinv

/** Options of {@link pinv}. */
export interface PinvOptions {
  /** Singular values at most `rcond · max(s)` are treated as zero. Default 1e-15 (numpy's). */
  rcond?: number;
  /** `a` is symmetric (Hermitian): use its eigendecomposition (`?syevd`/`?heevd`, lower triangle) instead of the SVD. */
  hermitian?: boolean;
}

function* pinvProgram({ fn, async }: OpCall, a: ArrayInput, options?: PinvOptions): Program<NDArray<FloatDType | ComplexDType>> {
  const opts = readOptions(fn, options, { rcond: number(1e-15), hermitian: flag(false) }, async);
  const va = toView(a, fn, 'a', { complex: true });
  if (opts.hermitian) requireSquare(fn, va, 'a');
  else requireMatrices(fn, va, 'a');
  const nd = va.shape.length;
  const raw = yield* step(nativeCall('pinv', [va], opts.rcond, opts.hermitian));
  return out<FloatDType | ComplexDType>(raw, [...va.shape.slice(0, nd - 2), va.shape[nd - 1]!, va.shape[nd - 2]!], anyComplex(va));
}

/**
 * Moore–Penrose pseudo-inverse (numpy's `pinv`): from the SVD (`?gesdd`),
 * inverting the singular values above `rcond · max(s)`. Stacks allowed.
 * Complex `a` gives the complex `V · diag(1/s) · Uᴴ` (with `hermitian`,
 * `?heevd` on a Hermitian `a`).
 *
 * @throws LinAlgError `ERR_NO_CONVERGENCE` ("SVD did not converge", also for
 *   NaN/Inf); RangeError when a has fewer than two axes.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * linalg.pinv([[1, 0], [0, 0]]).toArray(); // [[1, 0], [0, 0]]
 * linalg.pinv([[2], [0]]).toArray();       // [[0.5, 0]]
 * linalg.pinv([[{ re: 0, im: 2 }]]).toArray(); // [[{ re: 0, im: -0.5 }]]
 * ```
 */
export const pinv = defineOp('linalg.pinv', pinvProgram, { options: true }) as FloatOp<typeof pinvProgram> & TakesOptions;
export const pinvAsync = asyncOf(pinv) as FloatOpAsync<typeof pinvProgram, true>;

// ---------------------------------------------------------------- luSolve, choSolve

/** An LU factorisation kept by {@link luFactor}: scipy's `(lu, piv)`. */
export interface LUFactorization {
  /** L (unit lower, below the diagonal) and U (upper) packed in one matrix, `[..., n, n]`. */
  lu: ArrayInput;
  /** 0-based row pivots, `[..., n]`: row i was swapped with row piv[i]. */
  piv: ArrayInput | NDArray<'int32'>;
}

/** Options of {@link luSolve}. */
export interface LuSolveOptions {
  /** Solve `aᵀ · x = b` instead of `a · x = b`. */
  trans?: boolean;
}

function factorParts(fn: string, factor: unknown, keys: readonly string[]): Record<string, unknown> {
  if (factor === null || typeof factor !== 'object' || keys.some((k) => !(k in factor))) {
    throw typeError(fn, 'factor', `an object { ${keys.join(', ')} } as ${fn.includes('lu') ? 'luFactor' : 'choFactor'} returns`, factor);
  }
  return factor as Record<string, unknown>;
}

function* luSolveProgram({ fn, async }: OpCall, factor: LUFactorization, b: ArrayInput, options?: LuSolveOptions): Program<NDArray> {
  const opts = readOptions(fn, options, { trans: flag(false) }, async);
  const parts = factorParts(fn, factor, ['lu', 'piv']);
  const lu = toView(parts.lu, fn, 'lu', COMPLEX);
  const piv = toView(parts.piv, fn, 'piv', { int32: true });
  const n = requireSquare(fn, lu, 'lu');
  if (piv.shape.length < 1 || piv.shape[piv.shape.length - 1] !== n) {
    throw new RangeError(`${fn}: expected piv to have ${n} entries per matrix, but piv.shape is ${describe(piv.shape)}`);
  }
  const s = system(fn, lu, 'lu', toView(b, fn, 'b', COMPLEX), [{ view: piv, core: 1, name: 'piv' }]);
  const raw = yield* step(nativeCall('luSolve', s.views, opts.trans));
  return out(raw, s.shape, anyComplex(...s.views));
}

/**
 * Solves `a · x = b` with a factorisation from {@link luFactor} (scipy's
 * `lu_solve`, LAPACK `?getrs`): factor once, solve for many right-hand sides.
 * `b` follows {@link solve}'s rule. Real or complex, promoted as numpy
 * (`trans` transposes without conjugating, scipy's `trans=1`).
 *
 * @throws TypeError when factor is not `{ lu, piv }`; RangeError when piv does
 *   not hold n integers in [0, n) per matrix or b does not fit; LinAlgError
 *   `ERR_NOT_SQUARE`.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * const f = linalg.luFactor([[3, 1], [1, 2]]);
 * linalg.luSolve(f, [9, 8]).toArray(); // [2, 3]
 * linalg.luSolve(f, [5, 5]).toArray(); // [1, 2]
 * ```
 */
export const luSolve = defineOp('linalg.luSolve', luSolveProgram, { options: true });
export const luSolveAsync = asyncOf(luSolve);

/** A Cholesky factorisation kept by {@link choFactor}: scipy's `(c, lower)`. */
export interface ChoFactorization {
  /** The factor in one triangle of `[..., n, n]` (the other triangle is not used). */
  c: ArrayInput;
  /** Whether the factor is in the lower triangle. */
  lower: boolean;
}

function* choSolveProgram({ fn }: OpCall, factor: ChoFactorization, b: ArrayInput): Program<NDArray> {
  const parts = factorParts(fn, factor, ['c', 'lower']);
  if (typeof parts.lower !== 'boolean') throw typeError(fn, 'factor.lower', 'a boolean', parts.lower);
  const s = system(fn, toView(parts.c, fn, 'c', COMPLEX), 'c', toView(b, fn, 'b', COMPLEX));
  const raw = yield* step(nativeCall('choSolve', s.views, parts.lower));
  return out(raw, s.shape, anyComplex(...s.views));
}

/**
 * Solves `a · x = b` with a Cholesky factor from {@link choFactor} (scipy's
 * `cho_solve`, LAPACK `?potrs`). `b` follows {@link solve}'s rule. Real or
 * complex (a complex factor of a Hermitian `a`), promoted as numpy.
 *
 * @throws TypeError when factor is not `{ c, lower }`; RangeError when b does
 *   not fit; LinAlgError `ERR_NOT_SQUARE`.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * const f = linalg.choFactor([[4, 2], [2, 3]]);
 * linalg.choSolve(f, [2, 1]).toArray(); // [0.5, 0]
 * ```
 */
export const choSolve = defineOp('linalg.choSolve', choSolveProgram);
export const choSolveAsync = asyncOf(choSolve);
