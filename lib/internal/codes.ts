/**
 * The modes that cross to native/ as integer codes, each list in code
 * order, and the limits both sides check: the one source of those numbers. native/codes.h is generated from
 * it (`npm run codes`; test/51 checks that it is current), so the C++ enums
 * and lib/ cannot drift apart.
 *
 * @internal
 * @module
 */
export const CODES = {
  /** linalg.qr's `mode`. */
  QrMode: ['reduced', 'complete', 'r', 'raw'],
  /** lu: P, L and U apart, or luFactor's packed factor and pivots. */
  LuMode: ['plu', 'factor'],
  /** linalg.solve's `assumeA`. */
  Assume: ['gen', 'sym', 'pos'],
  /** svd: full U and Vh, reduced ones, or singular values only. */
  SvdMode: ['full', 'reduced', 'values'],
  /** The reductions of native/ops/reduce.cc (trace, the norms, matrixRank's count). */
  Reduce: ['sum', 'l1', 'l2', 'maxAbs', 'minAbs', 'countNonzero', 'lp', 'max', 'min'],
  /** The statistics of native/ops/statistics.cc (lib/reductions.ts). */
  Statistic: ['sum', 'prod', 'mean', 'var', 'std', 'min', 'max'],
  /** random's distributions. */
  Distribution: ['uniform', 'normal'],
  /** The binary ops of native/ops/elementwise.cc (lib/arithmetic.ts). */
  Binary: ['add', 'subtract', 'multiply', 'divide', 'power', 'maximum', 'minimum', 'mod', 'hypot', 'arctan2'],
  /** The unary ops of native/ops/elementwise.cc (lib/math.ts); clip is a ternary kernel of its own. */
  Unary: [
    'negative', 'abs', 'sign', 'sqrt', 'square', 'reciprocal', 'exp', 'expm1', 'exp2', 'log', 'log1p', 'log2', 'log10',
    'sin', 'cos', 'tan', 'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'tanh', 'floor', 'ceil', 'round',
  ],
} as const;

/**
 * Limits that both sides check, generated into native/codes.h as
 * `kName` constants with the codes.
 */
export const LIMITS = {
  /** The most threads weft runs in one arena, or lets one call use (options.ts, MAX_THREADS). */
  MaxThreads: 4096,
  /**
   * Tiny kernels (lib/internal/tiny.ts, native/ops/tiny.h): a single matmul
   * whose m, k and n are all at most this is computed by weft's own loop.
   */
  TinyMatmul: 8,
  /**
   * Tiny kernels: solve, inv and det of a single n×n matrix with n at most
   * this (LU with partial pivoting). Measured against the native call (2-vCPU
   * Xeon, loaded; JS / native µs): n = 4 solve 0.63 / 3.46, inv 0.48 / 4.69;
   * n = 8 solve 3.7 / 7.6, inv 4.8 / 6.2, det 1.2 / 5.5. (matmul: 8×8 2.3 /
   * 4.4, 12×12 6.5 / 6.6, 16×16 18.3 / 6.7: the limit above keeps a margin.)
   */
  TinySolve: 8,
  /** Tiny kernels: solve's right-hand side has at most this many columns. */
  TinySolveColumns: 8,
} as const;

/** The names of one kind of code. */
export type CodeName<K extends keyof typeof CODES> = (typeof CODES)[K][number];

/** The integer native/ knows `name` of `kind` by. */
export function code<K extends keyof typeof CODES>(kind: K, name: CodeName<K>): number {
  return (CODES[kind] as readonly string[]).indexOf(name);
}
