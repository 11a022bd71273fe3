/**
 * Reproducible random arrays for demos, tests and benchmarks, drawn from
 * oneMKL's Vector Statistics (Philox4x32-10) and filled in parallel on the
 * shared arena. The values depend only on the seed and the shape, never on
 * how many threads filled them.
 *
 * @module
 */
import { randomInt } from 'node:crypto';
import { rangeError, typeError } from './errors.js';
import type { FloatDType, NDArray } from './ndarray.js';
import { nativeCall, step } from './internal/dispatch.js';
import { number, oneOf, readOptions, shapeArgument } from './internal/options.js';
import { code } from './internal/codes.js';
import type { CodeName } from './internal/codes.js';
import type { Program } from './internal/dispatch.js';
import { asyncOf, defineOp } from './internal/registry.js';
import type { OpCall } from './internal/registry.js';
import { out } from './linalg/common.js';

/** The largest finite float32. */
const FLOAT32_MAX = 3.4028234663852886e38;

/** Options shared by the generators. */
export interface RandomOptions {
  /** 0 to 2³²−1. The same seed and shape give the same values; default: a fresh random seed. */
  seed?: number;
  /** `'float64'` (default) or `'float32'`. */
  dtype?: FloatDType;
}


function seedOf(fn: string, value: unknown): number {
  if (value === undefined) return randomInt(2 ** 32);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 2 ** 32 - 1) {
    throw typeError(fn, 'options.seed', 'an integer from 0 to 4294967295', value);
  }
  return value;
}

function* randomProgram(
  { fn, async }: OpCall,
  kind: CodeName<'Distribution'>,
  shape: number | readonly number[],
  options: unknown,
  params: Record<string, number>,
): Program<NDArray> {
  const opts = readOptions(
    fn,
    options,
    {
      seed: (v: unknown) => seedOf(fn, v),
      dtype: oneOf(['float64', 'float32'] as const, 'float64'),
      ...Object.fromEntries(Object.entries(params).map(([k, fallback]) => [k, number(fallback)])),
    },
    async,
  );
  const dims = shapeArgument(fn, 'shape', shape);
  const count = dims.reduce((p, d) => p * d, 1);
  if (!Number.isSafeInteger(count)) throw new RangeError(`${fn}: shape ${JSON.stringify(dims)} has too many elements`);
  // Parameters must be finite in the output's dtype: 1e300 as a float32 is
  // Infinity, and VS would fill the array with NaN or ±Infinity.
  const largest = opts.dtype === 'float32' ? FLOAT32_MAX : Number.MAX_VALUE;
  const [a, b] = Object.keys(params).map((k) => {
    const v = (opts as unknown as Record<string, number>)[k]!;
    if (!(Math.abs(v) <= largest)) throw rangeError(fn, `options.${k}`, `a finite ${opts.dtype} number`, v);
    return v;
  }) as [number, number];
  if (kind === 'normal' && b < 0) throw rangeError(fn, 'options.std', '0 or more', b);
  if (kind === 'uniform' && !(Math.abs(b - a) <= largest)) {
    throw new RangeError(`${fn}: options.high - options.low must be a finite ${opts.dtype} number, but it is ${b - a}`);
  }
  return out(yield* step(nativeCall('random', [], code('Distribution', kind), count, opts.seed, opts.dtype === 'float64', a, b)), dims);
}

function uniformProgram(call: OpCall, shape: number | readonly number[], options?: RandomOptions & { low?: number; high?: number }): Program<NDArray> {
  return randomProgram(call, 'uniform', shape, options, { low: 0, high: 1 });
}

function normalProgram(call: OpCall, shape: number | readonly number[], options?: RandomOptions & { mean?: number; std?: number }): Program<NDArray> {
  return randomProgram(call, 'normal', shape, options, { mean: 0, std: 1 });
}

/**
 * Uniform values in `[low, high)` (default `[0, 1)`), from oneMKL Vector
 * Statistics (`v?RngUniform`, Philox4x32-10). As numpy's `low + (high -
 * low)·U`: `low > high` gives values in `(high, low]`, `low === high` that
 * value everywhere. Unlike numpy's, the values never equal `high`: where
 * rounding would reach it (numpy documents that its can), the value is the
 * nearest one inside the interval. Any finite `low` and `high` whose
 * difference is finite in the dtype work, up to the largest finite value.
 *
 * @throws TypeError for a bad shape, seed or dtype, or an unknown option.
 * @throws RangeError when low or high is not finite in the dtype, or high − low overflows.
 *
 * @param shape Array shape (or one length).
 * @param options `{ seed, dtype, low, high }`.
 *
 * @example
 * ```ts
 * import { random } from 'weft';
 * const a = random.uniform([2, 3], { seed: 42 });
 * a.shape;                                              // [2, 3]
 * a.get(0, 0) === random.uniform([2, 3], { seed: 42 }).get(0, 0); // true
 * ```
 */
export const uniform = defineOp('random.uniform', uniformProgram, { options: true });
export const uniformAsync = asyncOf(uniform);

/**
 * Normally distributed values with mean `mean` (default 0) and standard
 * deviation `std` (default 1), by the inverse-CDF method (`v?RngGaussian`,
 * Philox4x32-10). As numpy's, `std: 0` gives `mean` everywhere, and a
 * value is ±Infinity only where `mean + std·z` lies beyond the dtype's
 * largest finite value (with `std: 1.7e308`, 29 % of them).
 *
 * @throws TypeError for a bad shape, seed or dtype, or an unknown option.
 * @throws RangeError when mean or std is not finite in the dtype, or std < 0.
 *
 * @example
 * ```ts
 * import { random, linalg } from 'weft';
 * const a = random.normal([256, 256], { seed: 7 });
 * linalg.qr(a).R.shape; // [256, 256]
 * ```
 */
export const normal = defineOp('random.normal', normalProgram, { options: true });
export const normalAsync = asyncOf(normal);
