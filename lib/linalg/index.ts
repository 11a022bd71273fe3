/**
 * numpy.linalg (and scipy.linalg's LU/Cholesky helpers) on typed arrays,
 * backed by oneMKL.
 *
 * Every function comes as a pair: `fn` runs on the calling thread (inside the
 * shared arena, so MKL's own threads still compose) and returns the result;
 * `fnAsync` copies its inputs, queues the work on the arena and returns a
 * Promise, leaving the JS thread free, and accepts `{ signal }` to abort.
 * Sync is right for small matrices, where a thread hop costs more than the
 * work; async for large ones and for running many operations at once. Both
 * return exactly the same values. Stacked input (`[..., m, n]`) is spread
 * over the arena item by item, MKL's inner parallelism sharing its threads.
 *
 * @module
 */
export {
  cross,
  crossAsync,
  dot,
  dotAsync,
  matmul,
  matmulAsync,
  matrixPower,
  matrixPowerAsync,
  multiDot,
  multiDotAsync,
  outer,
  outerAsync,
  transpose,
  transposeAsync,
  vdot,
  vdotAsync,
} from './products.js';
export {
  choSolve,
  choSolveAsync,
  inv,
  invAsync,
  lstsq,
  lstsqAsync,
  luSolve,
  luSolveAsync,
  pinv,
  pinvAsync,
  solve,
  solveAsync,
} from './solvers.js';
export type {
  ChoFactorization,
  LUFactorization,
  LstsqOptions,
  LstsqResult,
  LuSolveOptions,
  PinvOptions,
  SolveOptions,
} from './solvers.js';
export {
  choFactor,
  choFactorAsync,
  cholesky,
  choleskyAsync,
  eig,
  eigAsync,
  eigh,
  eighAsync,
  eigvals,
  eigvalsAsync,
  eigvalsh,
  eigvalshAsync,
  lu,
  luAsync,
  luFactor,
  luFactorAsync,
  qr,
  qrAsync,
  svd,
  svdAsync,
  svdvals,
  svdvalsAsync,
} from './decompositions.js';
export type {
  ChoFactorOptions,
  ChoFactorResult,
  CholeskyOptions,
  EigResult,
  EighOptions,
  EighResult,
  LUFactorResult,
  LUResult,
  QRMode,
  QROptions,
  QRRResult,
  QRRawResult,
  QRResult,
  SVDOptions,
  SVDResult,
} from './decompositions.js';
export {
  cond,
  condAsync,
  det,
  detAsync,
  diagonal,
  diagonalAsync,
  matrixRank,
  matrixRankAsync,
  norm,
  normAsync,
  slogdet,
  slogdetAsync,
  trace,
  traceAsync,
} from './measures.js';
export type {
  MatrixRankOptions,
  NormOptions,
  NormOrder,
  SlogdetResult,
} from './measures.js';
