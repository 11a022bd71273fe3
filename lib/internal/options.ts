/**
 * The one place options and other arguments are checked, for every part of
 * lib/ (linalg, random, dispatch, Pool, threading): readers that name the
 * function, the parameter and the value received, and the limits they hold
 * values to.
 *
 * @internal
 * @module
 */
import { typeError } from '../errors.js';
import { LIMITS } from './codes.js';
import { MAX_DIMS } from '../ndarray.js';

/**
 * The most threads weft runs in one arena, or lets one call use: the limit
 * of threading.setMaxThreads and of an async call's `threads`
 * (native/call_args.cc and native/addon.cc check the same bound again).
 */
export const MAX_THREADS = LIMITS.MaxThreads;

/** The most items a Pool runs at once, or lets wait (Pool's `concurrency` and `maxQueue`). */
export const MAX_POOL_ITEMS = 65536;

/** Who reads the options: the public function's name, and whether it is the async twin. */
export interface OpCall {
  /** The public name, `'linalg.qr'` or `'linalg.qrAsync'`: errors start with it. */
  readonly fn: string;
  /** The async twin: its options may also hold the async ones (`ASYNC_OPTIONS`). */
  readonly async: boolean;
}

/** Checks one option value and returns it (or its default). */
export type OptionReader<T> = (value: unknown, fn: string, name: string) => T;

/** The options every `…Async` function takes besides its own (runAsync reads them). */
export const ASYNC_OPTIONS = ['signal', 'threads'] as const;

/**
 * Validates an options object against `spec`: each key's reader checks its
 * value (undefined → default); unknown keys are refused, so a typo such as
 * `{ Mode: 'r' }` is an error instead of silently ignored. `ASYNC_OPTIONS`
 * are allowed too (and left to runAsync) when `async`.
 */
export function readOptions<S extends Record<string, OptionReader<unknown>>>(
  fn: string,
  options: unknown,
  spec: S,
  async = false,
): { [K in keyof S]: ReturnType<S[K]> } {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw typeError(fn, 'options', 'an object', options);
  }
  const given = (options ?? {}) as Record<string, unknown>;
  const allowed = Object.keys(spec);
  const forAsync: readonly string[] = async ? ASYNC_OPTIONS : [];
  for (const key of Object.keys(given)) {
    if (!allowed.includes(key) && !forAsync.includes(key)) {
      const list = [...allowed, ...forAsync].map((k) => `"${k}"`).join(', ');
      throw new TypeError(`${fn}: unknown option "${key}" (options takes ${list || 'nothing'})`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const key of allowed) out[key] = spec[key]!(given[key], fn, `options.${key}`);
  return out as { [K in keyof S]: ReturnType<S[K]> };
}

/** One of `choices`, `fallback` when undefined. */
export function oneOf<const T extends string | number>(choices: readonly T[], fallback: T): OptionReader<T> {
  return (value, fn, name) => {
    if (value === undefined) return fallback;
    if (!choices.includes(value as T)) {
      const list = choices.map((c) => (typeof c === 'string' ? `'${c}'` : String(c))).join(', ');
      throw typeError(fn, name, `one of ${list}`, value);
    }
    return value as T;
  };
}

/** A boolean, `fallback` when undefined. */
export function flag(fallback: boolean): OptionReader<boolean> {
  return (value, fn, name) => {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') throw typeError(fn, name, 'a boolean', value);
    return value;
  };
}

/** A number (NaN refused), or `fallback` (which may be undefined) when undefined/null. */
export function number<F extends number | undefined>(fallback: F): OptionReader<number | F> {
  return (value, fn, name) => {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'number' || Number.isNaN(value)) throw typeError(fn, name, 'a number', value);
    return value;
  };
}

/** An integer from `low` to `high`; `fallback` when undefined, or refused when no fallback is given. */
export function integer(low: number, high: number): OptionReader<number>;
export function integer<F extends number | undefined>(low: number, high: number, fallback: F): OptionReader<number | F>;
export function integer(low: number, high: number, ...fallback: [number?]): OptionReader<number | undefined> {
  return (value, fn, name) => {
    if (value === undefined && fallback.length > 0) return fallback[0];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < low || value > high) {
      throw typeError(fn, name, `an integer from ${low} to ${high}`, value);
    }
    return value;
  };
}

/** Any safe integer (an axis, a diagonal offset); `fallback` when undefined. */
export function anyInteger(fallback: number): OptionReader<number> {
  return (value, fn, name) => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw typeError(fn, name, 'an integer', value);
    return value;
  };
}

/** A shape argument: one length or an array of them (numpy's `shape`), as a new array. */
export function shapeArgument(fn: string, name: string, shape: unknown): number[] {
  const list = typeof shape === 'number' ? [shape] : shape;
  if (!Array.isArray(list) || list.length > MAX_DIMS) throw typeError(fn, name, 'a length or an array of lengths', shape);
  list.forEach((d, i) => {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw typeError(fn, `${name}[${i}]`, 'a non-negative integer', d);
    }
  });
  return list.slice();
}

/** An AbortSignal, or undefined. */
export const abortSignal: OptionReader<AbortSignal | undefined> = (value, fn, name) => {
  if (value !== undefined && !(value instanceof AbortSignal)) throw typeError(fn, name, 'an AbortSignal', value);
  return value;
};
