// random.uniform / random.normal: reproducible, thread-count independent,
// with the right distributions.
import { describe, expect, it } from 'vitest';
import { random } from '../lib/index.js';

const mean = (x: ArrayLike<number>) => Array.from(x).reduce((s, v) => s + v, 0) / x.length;
const variance = (x: ArrayLike<number>) => {
  const m = mean(x);
  return Array.from(x).reduce((s, v) => s + (v - m) ** 2, 0) / x.length;
};

describe('random', () => {
  it('gives the shape and dtype asked for', () => {
    expect(random.uniform([2, 3], { seed: 1 }).shape).toEqual([2, 3]);
    expect(random.uniform(5, { seed: 1 }).shape).toEqual([5]);
    expect(random.normal([4], { seed: 1, dtype: 'float32' }).dtype).toBe('float32');
    expect(random.normal([0, 3], { seed: 1 }).size).toBe(0);
  });

  it('is reproducible for a seed, and different across seeds', () => {
    const a = random.normal([1000], { seed: 42 });
    expect(Array.from(random.normal([1000], { seed: 42 }).data)).toEqual(Array.from(a.data));
    expect(random.normal([1000], { seed: 43 }).data[0]).not.toBe(a.data[0]);
    expect(random.uniform([3]).data[0]).not.toBe(random.uniform([3]).data[0]); // a fresh seed each call
  });

  it('depends only on seed and position, never on how threads split the work', async () => {
    // 300 000 values span five blocks filled in parallel; a short draw is the same stream's start.
    const long = random.uniform([300_000], { seed: 9 });
    const short = random.uniform([100], { seed: 9 });
    expect(Array.from(long.data.subarray(0, 100))).toEqual(Array.from(short.data));
    const again = await random.uniformAsync([300_000], { seed: 9 });
    expect(again.data.every((v, i) => v === long.data[i])).toBe(true);
    const normal = random.normal([200_000], { seed: 4 });
    expect((await random.normalAsync([200_000], { seed: 4 })).data.every((v, i) => v === normal.data[i])).toBe(true);
  });

  it('uniform lies in [low, high) with the uniform mean and variance', () => {
    const x = random.uniform([1_000_000], { seed: 3, low: -2, high: 6 });
    expect(x.data.every((v) => v >= -2 && v < 6)).toBe(true);
    // mean 2, variance 64/12; bounds are ~10 standard errors
    expect(Math.abs(mean(x.data) - 2)).toBeLessThan(0.03);
    expect(Math.abs(variance(x.data) - 64 / 12)).toBeLessThan(0.05);
  });

  it('normal has the requested mean and standard deviation', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      const x = random.normal([1_000_000], { seed: 8, mean: 3, std: 0.5, dtype });
      expect(Math.abs(mean(x.data) - 3)).toBeLessThan(0.005);
      expect(Math.abs(Math.sqrt(variance(x.data)) - 0.5)).toBeLessThan(0.005);
      const tail = x.data.filter((v) => Math.abs(v - 3) > 1).length / x.size; // beyond 2σ: 4.55 %
      expect(Math.abs(tail - 0.0455)).toBeLessThan(0.002);
    }
  });

  it('checks its arguments', () => {
    expect(() => random.uniform([2, -1])).toThrow(/random.uniform: expected shape\[1\] to be a non-negative integer, but received -1/);
    expect(() => random.uniform('3' as never)).toThrow(/expected shape to be a length or an array of lengths/);
    expect(() => random.normal([2], { seed: 2 ** 32 })).toThrow(/options.seed to be an integer from 0 to 4294967295/);
    expect(() => random.normal([2], { seed: 1.5 })).toThrow(/options.seed/);
    expect(() => random.normal([2], { dtype: 'int8' as never })).toThrow(/options.dtype to be one of 'float64', 'float32'/);
    expect(() => random.normal([2], { sigma: 2 } as never)).toThrow(/unknown option "sigma"/);
    expect(() => random.uniform([2], { high: Infinity })).toThrow(/random.uniform: expected options.high to be a finite float64 number, but received Infinity/);
    expect(() => random.uniform([2], { low: -1e308, high: 1e308 })).toThrow(/options.high - options.low must be a finite float64 number, but it is Infinity/);
    expect(() => random.normal([2], { std: -1 })).toThrow(/expected options.std to be 0 or more, but received -1/);
    // Finite as a double but not as a float32: refused instead of NaN/±Infinity values.
    expect(() => random.uniform([2], { high: 1e300, dtype: 'float32' })).toThrow(/expected options.high to be a finite float32 number, but received 1e\+300/);
    expect(() => random.normal([2], { mean: -1e39, dtype: 'float32' })).toThrow(RangeError);
    expect(() => random.normal([2], { std: 1e39, dtype: 'float32' })).toThrow(/options.std to be a finite float32 number/);
    expect(random.uniform([2], { high: 3e38, dtype: 'float32', seed: 1 }).data.every((v) => v >= 0 && v < 3e38)).toBe(true);
  });

  it("takes numpy's degenerate parameters: low > high, low === high, std 0", async () => {
    // numpy draws low + (high - low)·U: with low > high the values lie in (high, low].
    for (const dtype of ['float64', 'float32'] as const) {
      const flipped = random.uniform([100_000], { seed: 5, low: 6, high: -2, dtype });
      expect(flipped.data.every((v) => v > -2 && v <= 6)).toBe(true);
      expect(Math.abs(mean(flipped.data) - 2)).toBeLessThan(0.05);
      // The same stream, reflected: U ↦ low + high − U.
      const plain = random.uniform([100_000], { seed: 5, low: -2, high: 6, dtype });
      expect(flipped.data.every((v, i) => Math.abs(v - (4 - plain.data[i]!)) <= 1e-6 * 6)).toBe(true);
      expect(Array.from(random.uniform([3], { seed: 1, low: 2.5, high: 2.5, dtype }).data)).toEqual([2.5, 2.5, 2.5]);
      expect(Array.from((await random.normalAsync([3], { seed: 1, mean: -4, std: 0, dtype })).data)).toEqual([-4, -4, -4]);
    }
  });

  it('never returns a silent Infinity for parameters near the largest finite value', () => {
    // oneMKL's uniform overflows when low + high does, its normal when std·√2 does.
    const cases = [
      { dtype: 'float64', low: 9e307, high: 9.1e307 },
      { dtype: 'float64', low: -9.1e307, high: -9e307 },
      { dtype: 'float64', low: 9.1e307, high: 9e307 },
      { dtype: 'float32', low: 1.7e38, high: 1.71e38 },
    ] as const;
    for (const { dtype, low, high } of cases) {
      const x = random.uniform([100_000], { seed: 2, low, high, dtype });
      const f = dtype === 'float32' ? Math.fround : Number; // the interval, in the dtype
      const [lo, hi] = [f(Math.min(low, high)), f(Math.max(low, high))];
      expect(x.data.every((v) => v >= lo && v <= hi && v !== f(high)), `${dtype} [${low}, ${high})`).toBe(true);
      const scaled = Array.from(x.data, (v) => v / hi); // summing the values themselves would overflow
      expect(Math.abs(mean(scaled) / (low / 2 / hi + high / 2 / hi) - 1)).toBeLessThan(1e-3);
    }
    // normal: mean + std·z is ±Infinity only where it truly exceeds the dtype's range.
    // numpy: 71.0 % of normal(0, 1.7e308) are finite; P(|z| < MAX / 1.7e308) = 0.7097.
    const limits = [
      { dtype: 'float64', std: 1.7e308, finite: 0.7097 },
      { dtype: 'float32', std: 3e38, finite: 0.7433 },
    ] as const;
    for (const { dtype, std, finite } of limits) {
      const x = random.normal([200_000], { seed: 1, std, dtype });
      const z = random.normal([200_000], { seed: 1, dtype: 'float64' }); // the same stream, std 1
      expect(Math.abs(x.data.filter(Number.isFinite).length / x.size - finite), dtype).toBeLessThan(0.005);
      expect(x.data.every((v, i) => Math.sign(v) === Math.sign(z.data[i]!))).toBe(true);
      const finiteAt = x.data.findIndex(Number.isFinite);
      expect(x.data[finiteAt]! / (std * z.data[finiteAt]!)).toBeCloseTo(1, 5);
    }
  });

  it('uniform never returns high, even where rounding would reach it', () => {
    // 8 float32 values lie in [1, 1 + 2⁻²⁰) and 8 float64 values in [1, 1 + 2⁻⁴⁹):
    // low + (high − low)·U rounds to high for U > 1 − 2⁻⁴, about 6 % of draws.
    for (const [dtype, high] of [['float32', 1 + 2 ** -20], ['float64', 1 + 2 ** -49]] as const) {
      const x = random.uniform([100_000], { seed: 1, low: 1, high, dtype });
      expect(x.data.every((v) => v >= 1 && v < high), dtype).toBe(true);
      expect(new Set(x.data).size).toBe(8);
      const flipped = random.uniform([100_000], { seed: 1, low: high, high: 1, dtype });
      expect(flipped.data.every((v) => v > 1 && v <= high), `${dtype} flipped`).toBe(true);
    }
    // The report: float32 on [1, 2) gave exactly 2 once in these 2·10⁷ draws.
    expect(random.uniform([20_000_000], { seed: 1, low: 1, high: 2, dtype: 'float32' }).data.every((v) => v < 2)).toBe(true);
  });
});
