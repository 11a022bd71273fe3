// random.uniform / random.normal: reproducible, thread-count independent,
// with the right distributions.
import { describe, expect, it } from 'vitest';
import { random } from '../lib/index.js';

const mean = (x: ArrayLike<number>) => Array.prototype.reduce.call(x, (s: number, v: number) => s + v, 0) as number / x.length;
const variance = (x: ArrayLike<number>) => {
  const m = mean(x);
  return (Array.prototype.reduce.call(x, (s: number, v: number) => s + (v - m) ** 2, 0) as number) / x.length;
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
});
