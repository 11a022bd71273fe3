import { describe, expect, it } from 'vitest';
import { NDArray, linalg } from '../lib/index.js';
import type { FloatDType as DType } from '../lib/index.js';
import { eps, identityRows, maxAbsDiff, randomMatrix, refMatmul, transposeRows } from './helpers.js';

// Householder QR is backward stable: ‖QR − A‖ and ‖QᵀQ − I‖ are O(n·eps).
const tol = (dtype: DType, n: number): number => 20 * Math.max(n, 1) * eps(dtype);

const SHAPES: [number, number][] = [
  [1, 1],
  [5, 5],
  [37, 37],
  [60, 17], // tall
  [17, 60], // wide
  [128, 1],
  [1, 128],
];

function expectUpperTriangular(r: NDArray): void {
  const [rows, cols] = r.shape as [number, number];
  for (let i = 0; i < rows; i++) for (let j = 0; j < Math.min(i, cols); j++) expect(r.get(i, j)).toBe(0);
}

function expectOrthonormalColumns(q: NDArray, tolerance: number): void {
  const qtq = refMatmul(new NDArray(Float64Array.from(transposeRows(q).flat()), [q.shape[1]!, q.shape[0]!]), q);
  expect(maxAbsDiff(qtq, identityRows(q.shape[1]!))).toBeLessThanOrEqual(tolerance);
}

describe.each(['float64', 'float32'] as const)('qr %s', (dtype) => {
  describe.each(SHAPES)('%i×%i', (m, n) => {
    const a = randomMatrix(m, n, m * 31 + n, dtype);
    const k = Math.min(m, n);
    const t = tol(dtype, Math.max(m, n));

    it("'reduced' (default): Q·R = A, QᵀQ = I, R upper triangular", () => {
      const { Q, R } = linalg.qr(a);
      expect(Q.shape).toEqual([m, k]);
      expect(R.shape).toEqual([k, n]);
      expect(Q.dtype).toBe(dtype);
      expect(R.dtype).toBe(dtype);
      expect(maxAbsDiff(refMatmul(Q, R), a)).toBeLessThanOrEqual(t);
      expectOrthonormalColumns(Q, t);
      expectUpperTriangular(R);
    });

    it("'complete': square orthogonal Q, m×n R", () => {
      const { Q, R } = linalg.qr(a, { mode: 'complete' });
      expect(Q.shape).toEqual([m, m]);
      expect(R.shape).toEqual([m, n]);
      expect(maxAbsDiff(refMatmul(Q, R), a)).toBeLessThanOrEqual(t);
      expectOrthonormalColumns(Q, t);
      expectUpperTriangular(R);
    });

    it("'r': the same R as 'reduced'", () => {
      const { R } = linalg.qr(a, { mode: 'r' });
      expect(R.shape).toEqual([k, n]);
      expect(Array.from(R.data)).toEqual(Array.from(linalg.qr(a).R.data));
    });

    it("'raw': h (n×m) holds R in its upper part, tau has k factors", () => {
      const { h, tau } = linalg.qr(a, { mode: 'raw' });
      expect(h.shape).toEqual([n, m]);
      expect(tau.shape).toEqual([k]);
      const { R } = linalg.qr(a);
      for (let i = 0; i < k; i++) for (let j = i; j < n; j++) expect(h.get(j, i)).toBe(R.get(i, j));
      // Householder scalars lie in [0, 2] (0 for an identity reflector).
      for (const x of tau.data) expect(x >= 0 && x <= 2).toBe(true);
    });

    it('qrAsync returns exactly what qr returns, in every mode', async () => {
      for (const mode of ['reduced', 'complete', 'r', 'raw'] as const) {
        const sync = linalg.qr(a, { mode }) as unknown as Record<string, NDArray>;
        const async = (await linalg.qrAsync(a, { mode })) as unknown as Record<string, NDArray>;
        expect(Object.keys(async).sort()).toEqual(Object.keys(sync).sort());
        for (const key of Object.keys(sync)) {
          expect(async[key]!.shape).toEqual(sync[key]!.shape);
          expect(Array.from(async[key]!.data)).toEqual(Array.from(sync[key]!.data));
        }
      }
    });
  });
});

describe('qr edge cases', () => {
  it('handles empty matrices as numpy does', () => {
    const tall0 = new NDArray(new Float64Array(0), [3, 0]);
    expect(linalg.qr(tall0).Q.shape).toEqual([3, 0]);
    expect(linalg.qr(tall0).R.shape).toEqual([0, 0]);
    const complete = linalg.qr(tall0, { mode: 'complete' });
    expect(complete.Q.toArray()).toEqual(identityRows(3));
    expect(complete.R.shape).toEqual([3, 0]);
    const wide0 = new NDArray(new Float64Array(0), [0, 4]);
    expect(linalg.qr(wide0).Q.shape).toEqual([0, 0]);
    expect(linalg.qr(wide0).R.shape).toEqual([0, 4]);
  });

  it('factors rank-deficient and ill-conditioned matrices stably', () => {
    const rank1 = [[1, 2, 3], [2, 4, 6], [3, 6, 9]];
    const { Q, R } = linalg.qr(rank1);
    expect(maxAbsDiff(refMatmul(Q, R), rank1)).toBeLessThan(1e-13);
    expect(Math.abs(R.get(2, 2))).toBeLessThan(1e-13);
    const hilbert = Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => 1 / (i + j + 1)));
    const h = linalg.qr(hilbert);
    expect(maxAbsDiff(refMatmul(h.Q, h.R), hilbert)).toBeLessThan(1e-14);
  });

  it('agrees with a known factorisation', () => {
    const { Q, R } = linalg.qr([[3, 1], [4, 2]]);
    expect(Math.abs(R.get(0, 0))).toBeCloseTo(5, 14);
    expect(Math.abs(R.get(1, 1))).toBeCloseTo(0.4, 14);
    expect(Math.abs(Q.get(0, 0))).toBeCloseTo(0.6, 14);
  });

  it('reads transposed and strided views like their contiguous copies', () => {
    const base = randomMatrix(20, 30, 5);
    const view = new NDArray(base.data, [15, 10], [1, 60], 2); // transposed, every other column of base
    const copy = new NDArray(Float64Array.from((view.toArray() as number[][]).flat()), [15, 10]);
    expect(Array.from(linalg.qr(view).R.data)).toEqual(Array.from(linalg.qr(copy).R.data));
  });

  it('lets NaN through as numpy does, without crashing', () => {
    const { R } = linalg.qr([[Number.NaN, 1], [1, 1]]);
    expect(Number.isNaN(R.get(0, 0))).toBe(true);
  });
});

describe('qr errors', () => {
  it('rejects non-2-D input, bad modes and unknown options', async () => {
    expect(() => linalg.qr([1, 2, 3])).toThrow(
      new RangeError('linalg.qr: expected a to be at least two-dimensional, but received a 1-D array (shape [3])'),
    );
    expect(() => linalg.qr([[1]], { mode: 'full' as never })).toThrow(
      new TypeError(`linalg.qr: expected options.mode to be one of 'reduced', 'complete', 'r', 'raw', but received "full"`),
    );
    expect(() => linalg.qr([[1]], { Mode: 'r' } as never)).toThrow(/unknown option "Mode"/);
    expect(() => linalg.qr([[1]], 'r' as never)).toThrow(TypeError);
    await expect(linalg.qrAsync([[1]], { mode: 'x' as never })).rejects.toThrow(TypeError);
  });
});
