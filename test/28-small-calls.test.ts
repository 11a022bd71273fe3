// Small sync calls take shortcuts (native/job.cc, SmallCall: no nested
// arena for single matrices of at most 512 elements together; a sync
// multiDot keeps its contiguous inputs instead of copying them). Each must
// compute bit for bit what the general path computes: the same op on the
// same matrix as a stack of one (which enters the arena), the async twin
// (an arena worker), and the sync call under other arena sizes. Tiny
// matrices (lib/internal/tiny.ts: LIMITS: matmul up to 8, solve/inv/det up to 8)
// are computed by weft's own kernel, which the stack of one does not use:
// there the sync call equals its async twin bit for bit (test/29 checks
// them against numpy), not the stack.
import { afterAll, describe, expect, it } from 'vitest';
import { NDArray, add, linalg, threading } from '../lib/index.js';
import type { FloatDType } from '../lib/index.js';
import { LIMITS } from '../lib/internal/codes.js';

const bits = (a: NDArray): number[] => Array.from(a.data as Float64Array | Float32Array);

/** A seeded n×n (or n×k) matrix, well away from singular on its diagonal. */
function matrix(n: number, k: number, seed: number, dtype: FloatDType): NDArray {
  let s = seed * 2654435761 + 1;
  const next = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
  const values = Array.from({ length: n * k }, (_, i) => next() + (n === k && i % (n + 1) === 0 ? 2 : 0));
  const data = dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
  return new NDArray(data, [n, k]);
}

const asStack = (a: NDArray): NDArray => a.reshape([1, ...a.shape]);

type Case = { name: string; tiny?: number; sync: (a: NDArray, b: NDArray) => NDArray; async: (a: NDArray, b: NDArray) => Promise<NDArray>; stacked: (a: NDArray, b: NDArray) => NDArray };

const CASES: Case[] = [
  {
    name: 'matmul',
    tiny: LIMITS.TinyMatmul,
    sync: (a, b) => linalg.matmul(a, b),
    async: (a, b) => linalg.matmulAsync(a, b),
    stacked: (a, b) => linalg.matmul(asStack(a), asStack(b)),
  },
  { name: 'solve', tiny: LIMITS.TinySolve, sync: (a, b) => linalg.solve(a, b), async: (a, b) => linalg.solveAsync(a, b), stacked: (a, b) => linalg.solve(asStack(a), asStack(b)) },
  { name: 'inv', tiny: LIMITS.TinySolve, sync: (a) => linalg.inv(a), async: (a) => linalg.invAsync(a), stacked: (a) => linalg.inv(asStack(a)) },
  { name: 'det', tiny: LIMITS.TinySolve, sync: (a) => linalg.det(a), async: (a) => linalg.detAsync(a), stacked: (a) => linalg.det(asStack(a)) },
  {
    name: 'eigh',
    sync: (a) => linalg.eigvalsh(add(a, a.T)),
    async: (a) => linalg.eigvalshAsync(add(a, a.T)),
    stacked: (a) => linalg.eigvalsh(asStack(add(a, a.T))),
  },
  {
    name: 'svdvals',
    sync: (a) => linalg.svdvals(a),
    async: (a) => linalg.svdvalsAsync(a),
    stacked: (a) => linalg.svdvals(asStack(a)),
  },
];

const arenaThreads = threading.info().arena.threads;

describe.each(['float64', 'float32'] as const)('small sync calls (%s)', (dtype) => {
  afterAll(() => {
    threading.setMaxThreads(arenaThreads);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s: the small path equals the arena path, async and other arena sizes bit for bit', async (_, c) => {
    for (let n = 1; n <= 16; n++) {
      for (let seed = 0; seed < 6; seed++) {
        const a = matrix(n, n, seed * 31 + n, dtype);
        const b = matrix(n, n, seed * 37 + n + 1, dtype);
        const small = bits(c.sync(a, b));
        if (n > (c.tiny ?? 0)) expect(bits(c.stacked(a, b)), `n=${n} seed=${seed}: stacked`).toEqual(small);
        expect(bits(await c.async(a, b)), `n=${n} seed=${seed}: async`).toEqual(small);
      }
    }
    for (const threads of [1, 2]) {
      threading.setMaxThreads(threads);
      for (let n = 1; n <= 16; n += 5) {
        const a = matrix(n, n, n, dtype);
        const b = matrix(n, n, n + 1, dtype);
        const general = bits(n > (c.tiny ?? 0) ? c.stacked(a, b) : await c.async(a, b));
        expect(bits(c.sync(a, b)), `n=${n}, ${threads} threads`).toEqual(general);
      }
    }
    threading.setMaxThreads(arenaThreads);
  });

  it('multiDot equals its matmuls, and its async twin, bit for bit (contiguous inputs kept on sync)', async () => {
    for (let n = 1; n <= 12; n++) {
      const [a, b, c] = [matrix(n, n + 1, n, dtype), matrix(n + 1, n, n + 7, dtype), matrix(n, 3, n + 9, dtype)];
      const chained = linalg.multiDot([a, b, c]);
      expect(bits(await linalg.multiDotAsync([a, b, c]))).toEqual(bits(chained));
      // The order multiDot picks: (a·b)·c only when strictly cheaper than a·(b·c).
      const leftFirst = n * (n + 1) * n + n * n * 3 < 3 * n * (n + 1) + n * (n + 1) * 3;
      const byHand = leftFirst ? linalg.matmul(linalg.matmul(a, b), c) : linalg.matmul(a, linalg.matmul(b, c));
      expect(bits(chained)).toEqual(bits(byHand));
      // A strided (transposed) input is copied first, as async does.
      const t = a.T.T;
      expect(bits(linalg.multiDot([t, b, c]))).toEqual(bits(chained));
    }
  });

  it('results share no mutable layout: each keeps its own shape after another call', () => {
    const a = matrix(3, 3, 1, dtype);
    const x = linalg.matmul(a, a);
    const y = linalg.matmul(a, a);
    expect(Object.isFrozen(x.shape) && Object.isFrozen(x.strides)).toBe(true);
    expect(x.shape).toEqual([3, 3]);
    expect(y.strides).toEqual([3, 1]);
    expect(() => (x.shape as number[]).push(1)).toThrow(TypeError);
  });
});
