/**
 * Errors weft throws, and the one factory every argument check goes through,
 * so that every message names the function, the parameter, what was expected
 * and what was received.
 *
 * @module
 */
import { brand, brands, hasBrand } from './internal/brand.js';

/** Codes a {@link LinAlgError} carries in its `code` property. */
export type LinAlgErrorCode =
  | 'ERR_SINGULAR'
  | 'ERR_NOT_POSITIVE_DEFINITE'
  | 'ERR_NO_CONVERGENCE'
  | 'ERR_NOT_SQUARE'
  | 'ERR_NONFINITE';

/**
 * The mathematics failed for this input (a singular matrix, no convergence):
 * numpy's `LinAlgError`, with numpy's messages, a machine-readable `code`, and
 * for stacked input the index of the matrix that failed.
 *
 * @example
 * ```ts
 * import { LinAlgError } from 'weft';
 * function explain(err: unknown): string {
 *   if (err instanceof LinAlgError) {
 *     return `${err.code}: ${err.message}` + (err.batchIndex === undefined ? '' : ` (matrix ${err.batchIndex})`);
 *   }
 *   throw err;
 * }
 * ```
 */
export class LinAlgError extends Error {
  /** Which failure this is. Set by the native layer. */
  declare readonly code: LinAlgErrorCode;
  /** For stacked (batched) input: the index of the failing matrix in the batch. */
  declare readonly batchIndex?: number;
  /** The weft function that raised it, e.g. `'linalg.solveAsync'`. */
  declare readonly fn?: string;

  constructor(message: string) {
    super(message);
    this.name = 'LinAlgError';
  }

  /** Whether `x` is a LinAlgError, from this copy of weft or another in the process (as {@link NDArray}'s test). */
  static override [Symbol.hasInstance](x: unknown): boolean {
    return hasBrand(x, brands.LinAlgError);
  }
}
brand(LinAlgError.prototype, brands.LinAlgError);

/** A short, human description of a value for error messages: `Int32Array(4)`, `"abc"`, `-1`, `[3, 4]`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (ArrayBuffer.isView(value)) {
    const n = (value as { length?: number }).length ?? value.byteLength;
    return `${value.constructor.name}(${n})`;
  }
  if (Array.isArray(value)) {
    if (value.length <= 6 && value.every((v) => typeof v === 'number')) return `[${value.join(', ')}]`;
    return `Array(${value.length})`;
  }
  const name = (value as object).constructor?.name;
  return name && name !== 'Object' ? `${name} instance` : 'an object';
}

/** `TypeError: fn: expected param to be expected, but received <value>`. */
export function typeError(fn: string, param: string, expected: string, received: unknown): TypeError {
  return new TypeError(`${fn}: expected ${param} to be ${expected}, but received ${describe(received)}`);
}

/** `RangeError: fn: expected param to be expected, but received <value>`. */
export function rangeError(fn: string, param: string, expected: string, received: unknown): RangeError {
  return new RangeError(`${fn}: expected ${param} to be ${expected}, but received ${describe(received)}`);
}

/** A LinAlgError with its `code` set, for checks made in lib/ (native code sets its own). */
export function linAlgError(code: LinAlgErrorCode, message: string): LinAlgError {
  const error = new LinAlgError(message);
  (error as { code: LinAlgErrorCode }).code = code;
  return error;
}
