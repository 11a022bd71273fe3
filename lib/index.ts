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
export * as linalg from './linalg.js';
export * as threading from './threading.js';
export { NDArray, array } from './ndarray.js';
export type { ArrayInput, DType, FloatArray, NDArrayLike, NestedNumbers } from './ndarray.js';
export { LinAlgError } from './errors.js';
export type { LinAlgErrorCode } from './errors.js';
export type { QRMode, QROptions, QRResult, QRRResult, QRRawResult } from './linalg.js';
export type { ThreadingInfo, ThreadingLayer, ThreadStats } from './threading.js';
