import { describe, expect, it } from 'vitest';
import { NDArray, linalg } from '../lib/index.js';
import type { FloatDType as DType } from '../lib/index.js';
import { eps, maxAbsDiff, randomMatrix, refMatmul } from './helpers.js';

// |error| of a k-term dot product in floating point is about k·eps·Σ|a||b|;
// entries are in [-1, 1), so k·k·eps bounds it with room.
const tol = (dtype: DType, k: number): number => 4 * Math.max(k, 1) ** 2 * eps(dtype) + 1e-300;

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 7, 1],
  [1, 1, 9],
  [9, 1, 1],
  [1, 13, 8],
  [8, 13, 1],
  [37, 53, 11],
  [64, 64, 64],
  [100, 3, 70],
];

describe.each(['float64', 'float32'] as const)('matmul %s', (dtype) => {
  it.each(SHAPES)('(%i×%i)·(%i-col) matches the JS reference', (m, k, n) => {
    const a = randomMatrix(m, k, m * 1000 + k, dtype);
    const b = randomMatrix(k, n, k * 1000 + n, dtype);
    const c = linalg.matmul(a, b);
    expect(c.shape).toEqual([m, n]);
    expect(c.dtype).toBe(dtype);
    expect(maxAbsDiff(c, refMatmul(a, b))).toBeLessThanOrEqual(tol(dtype, k));
  });

  it('matmulAsync returns exactly what matmul returns', async () => {
    for (const [m, k, n] of SHAPES) {
      const a = randomMatrix(m, k, 11 + m, dtype);
      const b = randomMatrix(k, n, 13 + n, dtype);
      const sync = linalg.matmul(a, b);
      const async = await linalg.matmulAsync(a, b);
      expect(async.shape).toEqual(sync.shape);
      expect(Array.from(async.data)).toEqual(Array.from(sync.data));
    }
  });

  it('gives zeros for an empty inner dimension and empty results for empty outer ones', async () => {
    const zeros = linalg.matmul(randomMatrix(3, 0, 1, dtype), randomMatrix(0, 4, 2, dtype));
    expect(zeros.shape).toEqual([3, 4]);
    expect(Array.from(zeros.data)).toEqual(new Array(12).fill(0));
    expect(linalg.matmul(randomMatrix(0, 5, 1, dtype), randomMatrix(5, 3, 2, dtype)).shape).toEqual([0, 3]);
    expect(linalg.matmul(randomMatrix(4, 5, 1, dtype), randomMatrix(5, 0, 2, dtype)).shape).toEqual([4, 0]);
    expect((await linalg.matmulAsync(randomMatrix(0, 0, 1, dtype), randomMatrix(0, 0, 2, dtype))).shape).toEqual([0, 0]);
  });
});

describe('matmul semantics', () => {
  it('follows numpy for 1-D operands', () => {
    const m = [[1, 2, 3], [4, 5, 6]];
    expect(linalg.matmul(m, [1, 0, -1]).toArray()).toEqual([-2, -2]); // (2,3)@(3,) -> (2,)
    expect(linalg.matmul([1, -1], m).toArray()).toEqual([-3, -3, -3]); // (2,)@(2,3) -> (3,)
    const dot = linalg.matmul([1, 2, 3], [4, 5, 6]); // (3,)@(3,) -> ()
    expect(dot.shape).toEqual([]);
    expect(dot.toArray()).toBe(32);
  });

  it('promotes float32 with float64 to float64, as numpy does', () => {
    const a = randomMatrix(5, 4, 1, 'float32');
    const b = randomMatrix(4, 3, 2, 'float64');
    const c = linalg.matmul(a, b);
    expect(c.dtype).toBe('float64');
    expect(maxAbsDiff(c, refMatmul(a, b))).toBeLessThan(1e-12);
  });

  it('reads transposed, strided, offset and negative-stride views like their contiguous copies', async () => {
    const base = randomMatrix(12, 10, 7);
    const data = base.data as Float64Array;
    const views = [
      new NDArray(data, [10, 12], [1, 10]), // transpose
      new NDArray(data, [6, 5], [20, 2], 1), // every other row and column, offset
      new NDArray(data, [12, 10], [-10, 1], 110), // rows reversed
      new NDArray(data, [12, 10], [10, -1], 9), // columns reversed
      new NDArray(data, [10, 12], [-1, -10], 119), // transposed and reversed
      new NDArray(data, [4, 10], [0, 1]), // one row repeated (stride 0)
    ];
    for (const v of views) {
      const [r, c] = v.shape as [number, number];
      const other = randomMatrix(c, 3, r);
      const expected = refMatmul(v, other);
      expect(maxAbsDiff(linalg.matmul(v, other), expected)).toBeLessThan(1e-12);
      expect(maxAbsDiff(await linalg.matmulAsync(v, other), expected)).toBeLessThan(1e-12);
      const left = randomMatrix(3, r, c);
      expect(maxAbsDiff(linalg.matmul(left, v), refMatmul(left, v))).toBeLessThan(1e-12);
    }
  });

  it('accepts nested arrays and plain ndarray-like objects', () => {
    expect(linalg.matmul([[1, 2], [3, 4]], [[5], [6]]).toArray()).toEqual([[17], [39]]);
    const like = { data: new Float32Array([1, 2, 3, 4]), shape: [2, 2] };
    const c = linalg.matmul(like, like);
    expect(c.dtype).toBe('float32');
    expect(c.toArray()).toEqual([[7, 10], [15, 22]]);
  });

  it('is unaffected by changes to the inputs after matmulAsync returns', async () => {
    const a = randomMatrix(300, 200, 1);
    const b = randomMatrix(200, 100, 2);
    const expected = linalg.matmul(a, b);
    const pending = linalg.matmulAsync(a, b);
    (a.data as Float64Array).fill(Number.NaN);
    (b.data as Float64Array).fill(0);
    const got = await pending;
    expect(Array.from(got.data)).toEqual(Array.from(expected.data));
  });

  it('survives the input buffers being detached right after matmulAsync returns', async () => {
    const a = randomMatrix(64, 64, 3);
    const expected = linalg.matmul(a, a);
    const pending = linalg.matmulAsync(a, a);
    structuredClone(a.data.buffer, { transfer: [a.data.buffer as ArrayBuffer] });
    expect(Array.from((await pending).data)).toEqual(Array.from(expected.data));
  });

  it('runs many calls at once and returns each its own result', async () => {
    const pairs = Array.from({ length: 24 }, (_, i) => [randomMatrix(80, 60, i), randomMatrix(60, 40, 100 + i)] as const);
    const results = await Promise.all(pairs.map(([a, b]) => linalg.matmulAsync(a, b)));
    results.forEach((c, i) => {
      expect(maxAbsDiff(c, refMatmul(pairs[i]![0], pairs[i]![1]))).toBeLessThan(1e-12);
    });
  });
});

describe('matmul errors', () => {
  it('reports mismatched inner dimensions with both shapes', () => {
    expect(() => linalg.matmul(randomMatrix(3, 4, 1), randomMatrix(5, 2, 2))).toThrow(
      new RangeError('linalg.matmul: a.shape [3, 4] and b.shape [5, 2] do not align: a has 4 columns but b has 5 rows'),
    );
    expect(() => linalg.matmul([1, 2, 3], [1, 2])).toThrow(RangeError);
  });

  it('rejects scalars, and batch axes that do not broadcast', () => {
    expect(() => linalg.matmul(2, [[1]])).toThrow(/0-d array/);
    expect(() => linalg.matmul({ data: new Float64Array(12), shape: [3, 2, 2] }, { data: new Float64Array(8), shape: [2, 2, 2] })).toThrow(
      new RangeError('linalg.matmul: the batch (leading) axes do not broadcast together: a [3] and b [2]'),
    );
  });

  it('reports a buffer detached after its NDArray was made (checked natively)', () => {
    const a = randomMatrix(2, 2, 1);
    structuredClone(a.data.buffer, { transfer: [a.data.buffer as ArrayBuffer] });
    expect(() => linalg.matmul(a, [[1], [2]])).toThrow(new TypeError("linalg.matmul: a.data's ArrayBuffer is detached"));
  });

  it('rejects in the Promise, not by throwing, for matmulAsync', async () => {
    const pending = linalg.matmulAsync([[1, 2]], [[1, 2]]);
    await expect(pending).rejects.toThrow(RangeError);
    await expect(linalg.matmulAsync(null as never, [[1]])).rejects.toThrow(TypeError);
  });
});

describe('inner products of strided items', () => {
  it('give the same bits sync and async (the sync call reads the strided items in place, the async one copies)', async () => {
    const d = Float64Array.from({ length: 48 }, (_, i) => Math.sin(i * 1.3) * 10);
    const e = Float64Array.from({ length: 48 }, (_, i) => Math.cos(i * 0.7) * 10);
    const a = new NDArray(d, [4, 1, 3], [1, 12, 4]);
    const b = new NDArray(e, [4, 3, 1], [3, 1, 12]);
    const sync = linalg.matmul(a, b);
    const async = await linalg.matmulAsync(a, b);
    expect(Array.from(async.data)).toEqual(Array.from(sync.data));
    // Each item is the row times the column, as a loop computes it to rounding.
    for (let i = 0; i < 4; i++) {
      let s = 0;
      for (let j = 0; j < 3; j++) s += d[i + 4 * j]! * e[3 * i + j]!;
      expect(sync.data[i]).toBeCloseTo(s, 12);
    }
    const v = new NDArray(Float64Array.from({ length: 3000 }, (_, i) => Math.sin(i)), [1000], [3]);
    expect((await linalg.vdotAsync(v, v)).item()).toBe(linalg.vdot(v, v).item());
  });
});
