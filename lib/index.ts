/**
 * weft: composable, multithreaded linear algebra for Node.js.
 *
 * @example
 * ```ts
 * import { linalg, threading, NDArray } from 'weft';
 * const a = new NDArray(new Float64Array([1, 2, 3, 4]), [2, 2]);
 * const { Q, R } = linalg.qr(a);
 * const back = linalg.matmul(Q, R);       // ≈ a
 * console.log(threading.info().mkl.threadingLayer); // 'tbb'
 * ```
 *
 * @module
 */
export * as linalg from './linalg/index.js';
export * as random from './random.js';
export * as threading from './threading.js';
export { NDArray, array } from './ndarray.js';
export {
  arange,
  arangeAsync,
  asarray,
  asarrayAsync,
  copy,
  copyAsync,
  diag,
  diagAsync,
  eye,
  eyeAsync,
  full,
  fullAsync,
  fullLike,
  fullLikeAsync,
  identity,
  identityAsync,
  linspace,
  linspaceAsync,
  ones,
  onesAsync,
  onesLike,
  onesLikeAsync,
  zeros,
  zerosAsync,
  zerosLike,
  zerosLikeAsync,
} from './creation.js';
export type { DTypeOptions, EyeOptions, LinspaceOptions } from './creation.js';
export {
  broadcastTo,
  broadcastToAsync,
  expandDims,
  expandDimsAsync,
  flip,
  flipAsync,
  moveaxis,
  moveaxisAsync,
  ravel,
  ravelAsync,
  reshape,
  reshapeAsync,
  slice,
  sliceAsync,
  squeeze,
  squeezeAsync,
  swapaxes,
  swapaxesAsync,
  take,
  takeAsync,
  transpose,
  transposeAsync,
} from './views.js';
export type { SliceSpec } from './views.js';
export {
  add,
  addAsync,
  arctan2,
  arctan2Async,
  divide,
  divideAsync,
  hypot,
  hypotAsync,
  maximum,
  maximumAsync,
  minimum,
  minimumAsync,
  mod,
  modAsync,
  multiply,
  multiplyAsync,
  power,
  powerAsync,
  subtract,
  subtractAsync,
} from './arithmetic.js';
export type { Operand } from './arithmetic.js';
export {
  abs,
  absAsync,
  arccos,
  arccosAsync,
  arcsin,
  arcsinAsync,
  arctan,
  arctanAsync,
  ceil,
  ceilAsync,
  clip,
  clipAsync,
  cos,
  cosAsync,
  cosh,
  coshAsync,
  exp,
  expAsync,
  exp2,
  exp2Async,
  expm1,
  expm1Async,
  floor,
  floorAsync,
  log,
  logAsync,
  log10,
  log10Async,
  log1p,
  log1pAsync,
  log2,
  log2Async,
  negative,
  negativeAsync,
  reciprocal,
  reciprocalAsync,
  round,
  roundAsync,
  sign,
  signAsync,
  sin,
  sinAsync,
  sinh,
  sinhAsync,
  sqrt,
  sqrtAsync,
  square,
  squareAsync,
  tan,
  tanAsync,
  tanh,
  tanhAsync,
} from './math.js';
export { concatenate, concatenateAsync, hstack, hstackAsync, split, splitAsync, stack, stackAsync, vstack, vstackAsync } from './joining.js';
export { Pool, PoolItemError } from './pool.js';
export type { Operation, PoolMode, PoolOptions, PoolStats } from './pool.js';
export type { ArrayInput, DType, ElementArray, FloatArray, IntegerArray, NDArrayLike, NestedNumbers } from './ndarray.js';
export { LinAlgError } from './errors.js';
export type { LinAlgErrorCode } from './errors.js';
export type { AsyncOptions } from './internal/dispatch.js';
export type {
  ChoFactorOptions,
  ChoFactorResult,
  ChoFactorization,
  CholeskyOptions,
  ComplexArray,
  EigResult,
  EighOptions,
  EighResult,
  LUFactorResult,
  LUFactorization,
  LUResult,
  LstsqOptions,
  LstsqResult,
  LuSolveOptions,
  MatrixRankOptions,
  NormOptions,
  NormOrder,
  PinvOptions,
  QRMode,
  QROptions,
  QRRResult,
  QRRawResult,
  QRResult,
  SVDOptions,
  SVDResult,
  SlogdetResult,
  SolveOptions,
} from './linalg/index.js';
export type { RandomOptions } from './random.js';
export type { ThreadingInfo, ThreadingLayer, ThreadStats } from './threading.js';
