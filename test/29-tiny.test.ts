// Tiny kernels (lib/internal/tiny.ts, native/ops/tiny.cc): a single small
// matmul, solve, inv, det or multiDot runs weft's own loop, in JS for a sync
// call and in C++ for an async one (or a Pool item). For every shape in the
// tiny range, both dtypes and many seeded inputs: the two agree bit for bit
// (also with one arena thread and in a Pool), strided and reversed views
// give what their contiguous copies give, and numpy agrees within rounding.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinAlgError, NDArray, Pool, linalg, stack, threading } from '../lib/index.js';
import type { DType, FloatDType } from '../lib/index.js';
import { LIMITS } from '../lib/internal/codes.js';
import { rng } from './helpers.js';
import { fetchOracle, oracleDir, python } from '../scripts/dev/fetch-oracle.mjs';

const MATMUL = LIMITS.TinyMatmul;
const SOLVE = LIMITS.TinySolve;
const COLUMNS = LIMITS.TinySolveColumns;

/** The same dtype, shape and elements (Object.is: -0 is not 0; any NaN equals any NaN). */
function same(x: NDArray<DType>, y: NDArray<DType>): boolean {
  if (x.dtype !== y.dtype || x.shape.length !== y.shape.length || x.shape.some((d, i) => d !== y.shape[i])) return false;
  const a = x.toArray() as unknown;
  const b = y.toArray() as unknown;
  const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);
  const [fa, fb] = [flat(a), flat(b)];
  return fa.length === fb.length && fa.every((v, i) => Object.is(v, fb[i]) || (Number.isNaN(v) && Number.isNaN(fb[i])));
}

function expectSame(x: NDArray<DType>, y: NDArray<DType>, what: string): void {
  if (!same(x, y)) expect(x.toArray(), what).toEqual(y.toArray());
  expect(same(x, y), what).toBe(true);
}

/** A seeded rows×cols matrix, entries in [-1, 1); `dominant` adds n to the diagonal (well conditioned). */
function matrix(rows: number, cols: number, seed: number, dtype: FloatDType, dominant = false): NDArray {
  const next = rng(seed);
  const values = Array.from({ length: rows * cols }, (_, i) => 2 * next() - 1 + (dominant && i % (cols + 1) === 0 ? rows : 0));
  return new NDArray(dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values), [rows, cols]);
}

const vector = (n: number, seed: number, dtype: FloatDType): NDArray => matrix(1, n, seed, dtype).reshape([n]);

const arenaThreads = threading.info().arena.threads;
afterAll(() => threading.setMaxThreads(arenaThreads));

const DTYPES = ['float64', 'float32'] as const;

describe.each(DTYPES)('tiny kernels (%s): sync (JS) and async (C++) bit for bit', (dtype) => {
  it(`matmul, every m, k, n ≤ ${MATMUL}, and 1-D operands`, async () => {
    for (let m = 1; m <= MATMUL; m++) {
      for (let k = 1; k <= MATMUL; k++) {
        for (let n = 1; n <= MATMUL; n++) {
          for (let seed = 0; seed < 2; seed++) {
            const a = matrix(m, k, 1000 * m + 100 * k + 10 * n + seed, dtype);
            const b = matrix(k, n, 7 + 1000 * m + 100 * k + 10 * n + seed, dtype);
            expectSame(linalg.matmul(a, b), await linalg.matmulAsync(a, b), `${m}×${k} @ ${k}×${n}`);
          }
        }
      }
      // numpy's 1-D rules: a row, a column, an inner product.
      for (let k = 1; k <= MATMUL; k++) {
        const [a, v, w] = [matrix(m, k, m * 31 + k, dtype), vector(k, m * 37 + k, dtype), vector(k, m * 41 + k, dtype)];
        const mv = linalg.matmul(a, v);
        expect(mv.shape).toEqual([m]);
        expectSame(mv, await linalg.matmulAsync(a, v), `${m}×${k} @ [${k}]`);
        const vm = linalg.matmul(v, a.T);
        expect(vm.shape).toEqual([m]);
        expectSame(vm, await linalg.matmulAsync(v, a.T), `[${k}] @ ${k}×${m}`);
        const vw = linalg.matmul(v, w);
        expect(vw.shape).toEqual([]);
        expectSame(vw, await linalg.matmulAsync(v, w), `[${k}] @ [${k}]`);
      }
    }
  });

  it(`solve (n ≤ ${SOLVE}, b a vector or up to ${COLUMNS} columns), inv and det`, async () => {
    for (let n = 1; n <= SOLVE; n++) {
      for (let seed = 0; seed < 12; seed++) {
        // Half well conditioned, half anything (pivoting matters there).
        const a = matrix(n, n, 500 * n + seed, dtype, seed % 2 === 0);
        for (let k = 1; k <= COLUMNS; k++) {
          const b = matrix(n, k, 900 * n + 10 * k + seed, dtype);
          expectSame(linalg.solve(a, b), await linalg.solveAsync(a, b), `solve ${n}×${n}, ${k} columns, seed ${seed}`);
        }
        const v = vector(n, 77 * n + seed, dtype);
        const x = linalg.solve(a, v);
        expect(x.shape).toEqual([n]);
        expectSame(x, await linalg.solveAsync(a, v), `solve ${n}×${n}, a vector`);
        expectSame(linalg.inv(a), await linalg.invAsync(a), `inv ${n}×${n}, seed ${seed}`);
        expectSame(linalg.det(a), await linalg.detAsync(a), `det ${n}×${n}, seed ${seed}`);
      }
    }
  });

  it('multiDot chains the tiny matmul, in numpy’s order, async the same', async () => {
    for (let n = 1; n <= MATMUL; n++) {
      const [a, b, c] = [matrix(n, n + 1 > MATMUL ? n : n + 1, n, dtype), matrix(n + 1 > MATMUL ? n : n + 1, 2, n + 5, dtype), matrix(2, n, n + 9, dtype)];
      const chained = linalg.multiDot([a, b, c]);
      expectSame(chained, await linalg.multiDotAsync([a, b, c]), `multiDot n=${n}`);
      const [p, q, r, s] = [a.shape[0]!, a.shape[1]!, b.shape[1]!, c.shape[1]!];
      const leftFirst = p * q * r + p * r * s < q * r * s + p * q * s;
      const byHand = leftFirst ? linalg.matmul(linalg.matmul(a, b), c) : linalg.matmul(a, linalg.matmul(b, c));
      expectSame(chained, byHand, `multiDot n=${n} by hand`);
      const v = vector(n, n + 11, dtype);
      expectSame(linalg.multiDot([v, a, b, c, v]), await linalg.multiDotAsync([v, a, b, c, v]), `multiDot with 1-D ends, n=${n}`);
    }
  });

  it('with one arena thread, and as Pool items, the same bits', async () => {
    const pairs = Array.from({ length: 24 }, (_, i) => {
      const n = 1 + (i % SOLVE);
      return [matrix(n, n, 3000 + i, dtype, true), matrix(n, 1 + (i % 3), 4000 + i, dtype)] as const;
    });
    const expected = pairs.map(([a, b]) => ({ mm: linalg.matmul(a, a), x: linalg.solve(a, b), inv: linalg.inv(a), det: linalg.det(a) }));
    threading.setMaxThreads(1);
    for (const [i, [a, b]] of pairs.entries()) {
      expectSame(await linalg.matmulAsync(a, a), expected[i]!.mm, `matmul ${i}, one thread`);
      expectSame(await linalg.solveAsync(a, b), expected[i]!.x, `solve ${i}, one thread`);
      expectSame(linalg.inv(a), expected[i]!.inv, `inv ${i}, one thread`);
    }
    threading.setMaxThreads(arenaThreads);
    const pool = new Pool({ concurrency: 3 });
    const products = await pool.starmap(linalg.matmul, pairs.map(([a]) => [a, a]));
    const solutions = await pool.starmap(linalg.solve, pairs.map(([a, b]) => [a, b]));
    const dets = await pool.map(linalg.det, pairs.map(([a]) => a));
    await pool.close();
    pairs.forEach((_, i) => {
      expectSame(products[i]!, expected[i]!.mm, `matmul ${i}, Pool`);
      expectSame(solutions[i]!, expected[i]!.x, `solve ${i}, Pool`);
      expectSame(dets[i]!, expected[i]!.det, `det ${i}, Pool`);
    });
  });

  it('reads views in place: transposed, strided and reversed views give what their copies give', async () => {
    for (let n = 1; n <= SOLVE; n++) {
      const big = matrix(2 * n, 2 * n, 60 + n, dtype, true);
      // Every other row and column, from the end: negative strides and an offset.
      const data = big.data as Float64Array | Float32Array;
      const view = new NDArray(data, [n, n], [-4 * n, -2], (2 * n - 1) * 2 * n + 2 * n - 1);
      const copy = new NDArray(dtype === 'float64' ? Float64Array.from((view.toArray() as number[][]).flat()) : Float32Array.from((view.toArray() as number[][]).flat()), [n, n]);
      const rhs = matrix(n, 3, 70 + n, dtype).T.T; // the same layout, as a program sees it
      for (const [name, run, runAsync] of [
        ['matmul', (x: NDArray) => linalg.matmul(x, x.T), (x: NDArray) => linalg.matmulAsync(x, x.T)],
        ['solve', (x: NDArray) => linalg.solve(x, rhs), (x: NDArray) => linalg.solveAsync(x, rhs)],
        ['inv', (x: NDArray) => linalg.inv(x), (x: NDArray) => linalg.invAsync(x)],
        ['det', (x: NDArray) => linalg.det(x), (x: NDArray) => linalg.detAsync(x)],
      ] as const) {
        const got = run(view);
        expectSame(got, run(copy), `${name} n=${n}: view and copy`);
        expectSame(got, await runAsync(view), `${name} n=${n}: view, async`);
      }
      // Nested JS arrays (float64) take the program's path: the same kernel.
      if (dtype === 'float32') continue;
      const nested = copy.toArray() as number[][];
      expectSame(linalg.matmul(nested, copy.T.toArray() as number[][]), linalg.matmul(view, view.T), `matmul n=${n}: nested arrays`);
      expectSame(linalg.solve(nested, rhs.toArray() as number[][]), linalg.solve(view, rhs), `solve n=${n}: nested arrays`);
      expectSame(linalg.inv(nested), linalg.inv(view), `inv n=${n}: nested arrays`);
    }
  });
});

describe.each(DTYPES)('a stack of tiny matrices (%s): each item the single call’s bits', (dtype) => {
  it('matmul, solve, inv and det on [5, n, n] stacks give each item what the single call gives', async () => {
    for (let n = 1; n <= SOLVE; n++) {
      const items = Array.from({ length: 5 }, (_, s) => matrix(n, n, 100 * n + s, dtype, true));
      const rights = Array.from({ length: 5 }, (_, s) => matrix(n, 3, 900 * n + s, dtype));
      const a = stack(items);
      const b = stack(rights);
      const results = {
        matmul: [linalg.matmul(a, b), await linalg.matmulAsync(a, b)],
        solve: [linalg.solve(a, b), await linalg.solveAsync(a, b)],
        inv: [linalg.inv(a), await linalg.invAsync(a)],
        det: [linalg.det(a), await linalg.detAsync(a)],
      };
      for (let s = 0; s < 5; s++) {
        const single = {
          matmul: linalg.matmul(items[s]!, rights[s]!),
          solve: linalg.solve(items[s]!, rights[s]!),
          inv: linalg.inv(items[s]!),
          det: linalg.det(items[s]!),
        };
        for (const [op, [sync, async]] of Object.entries(results)) {
          const want = single[op as keyof typeof single];
          expectSame(sync!.slice(s) as NDArray, want, `${op} n=${n} item ${s} sync`);
          expectSame(async!.slice(s) as NDArray, want, `${op} n=${n} item ${s} async`);
        }
      }
    }
  });
});

describe('tiny kernels: edge cases', () => {
  it('mixed float32 and float64 compute in float64, as numpy', async () => {
    const a = matrix(3, 3, 1, 'float32', true);
    const b = matrix(3, 2, 2, 'float64');
    const x = linalg.matmul(a, b);
    expect(x.dtype).toBe('float64');
    expectSame(x, await linalg.matmulAsync(a, b), 'matmul mixed');
    expectSame(linalg.solve(a, b), await linalg.solveAsync(a, b), 'solve mixed');
    expect(linalg.solve(a, b).dtype).toBe('float64');
  });

  it('a singular matrix: the native path’s LinAlgError, sync and async; det 0', async () => {
    for (const dtype of DTYPES) {
      for (const values of [[[1, 2], [2, 4]], [[0, 0], [0, 0]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [0, 0, 0, 0]]]) {
        const n = values.length;
        const a = new NDArray(dtype === 'float64' ? Float64Array.from(values.flat()) : Float32Array.from(values.flat()), [n, n]);
        const b = matrix(n, 2, n, dtype);
        // [[1,2,3],[4,5,6],[7,8,9]] is singular only in exact arithmetic: skip where LU finds a nonzero pivot.
        let sync: unknown;
        try {
          linalg.solve(a, b);
        } catch (err) {
          sync = err;
        }
        const async = await linalg.solveAsync(a, b).then(
          () => undefined,
          (err: unknown) => err,
        );
        if (sync === undefined) {
          expect(async).toBeUndefined();
          continue;
        }
        for (const [err, fn] of [[sync, 'linalg.solve'], [async, 'linalg.solveAsync']] as const) {
          expect(err).toBeInstanceOf(LinAlgError);
          expect((err as LinAlgError).message).toBe('Singular matrix');
          expect((err as LinAlgError).code).toBe('ERR_SINGULAR');
          expect((err as LinAlgError).fn).toBe(fn);
          expect((err as LinAlgError).batchIndex).toBeUndefined();
        }
        expect(() => linalg.inv(a)).toThrow(/^Singular matrix$/);
        await expect(linalg.invAsync(a)).rejects.toThrow(/^Singular matrix$/);
        expect(Object.is(linalg.det(a).item(), 0)).toBe(true);
        expect(Object.is((await linalg.detAsync(a)).item(), 0)).toBe(true);
        // numpy's cond inverts with errors ignored: NaN items, not a throw.
        expect(Number.isNaN(linalg.cond(a, { p: 1 }).item()) || linalg.cond(a, { p: 1 }).item() === Infinity).toBe(true);
      }
    }
  });

  it('NaN and ±Infinity: sync and async agree, as the native path has them (solve, inv, det) or as arithmetic gives (matmul)', async () => {
    const specials = [NaN, Infinity, -Infinity];
    for (let n = 1; n <= SOLVE; n++) {
      for (const [si, special] of specials.entries()) {
        for (let at = 0; at < n * n; at++) {
          const a = matrix(n, n, 10 * n + at, 'float64', true);
          (a.data as Float64Array)[at] = special;
          const b = matrix(n, 2, 20 * n + si, 'float64');
          expectSame(linalg.matmul(a, b), await linalg.matmulAsync(a, b), `matmul n=${n} ${special} at ${at}`);
          const stack = a.reshape([1, n, n]);
          // solve/inv/det leave a non-finite a to the native path: what a stack of one gives.
          const settle = <T>(p: () => T): T | string => {
            try {
              return p();
            } catch (err) {
              return (err as Error).message;
            }
          };
          const x = settle(() => linalg.inv(a));
          const xs = settle(() => linalg.inv(stack));
          if (typeof x === 'string') expect(xs).toBe(x);
          else expectSame(x, (xs as NDArray).reshape([n, n]), `inv n=${n} ${special} at ${at}`);
          expectSame(linalg.det(a), linalg.det(stack).reshape([]), `det n=${n} ${special} at ${at}`);
          expectSame(linalg.det(a), await linalg.detAsync(a), `det async n=${n} ${special} at ${at}`);
        }
      }
    }
  });

  it('a determinant whose product of pivots overflows is left to sign · exp(Σ log|u|), sync and async', async () => {
    const a = new NDArray(Float64Array.of(1e300, 0, 0, 0, 0, 1e300, 0, 0, 0, 0, 1e-300, 0, 0, 0, 0, 1e-300), [4, 4]);
    const d = linalg.det(a);
    expect(d.item()).toBeCloseTo(1, 10);
    expectSame(d, await linalg.detAsync(a), 'det overflow');
  });

  it('a buffer detached after its NDArray was made fails as on the native path', () => {
    const a = matrix(2, 2, 1, 'float64', true);
    structuredClone(a.data.buffer, { transfer: [a.data.buffer as ArrayBuffer] });
    expect(() => linalg.solve(a, [1, 2])).toThrow(new TypeError("linalg.solve: a.data's ArrayBuffer is detached"));
    expect(() => linalg.inv(a)).toThrow(TypeError);
    expect(() => linalg.det(a)).toThrow(TypeError);
    expect(() => linalg.multiDot([a, a, a])).toThrow(TypeError);
  });
});

describe('tiny kernels against numpy', () => {
  type Job = { op: 'matmul' | 'solve' | 'inv' | 'det'; args: { dtype: FloatDType; shape: number[]; values: number[] }[]; got: NDArray };
  const jobs: Job[] = [];
  let numpy: (number[] | number)[] = [];
  const enc = (x: NDArray) => ({ dtype: x.dtype as FloatDType, shape: [...x.shape], values: (x.toArray() as unknown as number[][]).flat() });

  beforeAll(() => {
    for (const dtype of DTYPES) {
      for (let m = 1; m <= MATMUL; m++) {
        for (let k = 1; k <= MATMUL; k += 3) {
          const [a, b] = [matrix(m, k, 5 * m + k, dtype), matrix(k, m, 7 * m + k, dtype)];
          jobs.push({ op: 'matmul', args: [enc(a), enc(b)], got: linalg.matmul(a, b) });
        }
      }
      for (let n = 1; n <= SOLVE; n++) {
        for (let seed = 0; seed < 8; seed++) {
          const a = matrix(n, n, 40 * n + seed, dtype, true);
          const b = matrix(n, 1 + (seed % COLUMNS), 50 * n + seed, dtype);
          jobs.push({ op: 'solve', args: [enc(a), enc(b)], got: linalg.solve(a, b) });
          jobs.push({ op: 'inv', args: [enc(a)], got: linalg.inv(a) });
          jobs.push({ op: 'det', args: [enc(a)], got: linalg.det(a) });
        }
      }
    }
    fetchOracle();
    const r = spawnSync(
      python,
      [
        '-c',
        `
import json, sys, numpy as np
out = []
for job in json.load(sys.stdin):
    args = [np.array(a['values'], dtype=a['dtype']).reshape(a['shape']) for a in job['args']]
    r = getattr(np.linalg, job['op'])(*args) if job['op'] != 'matmul' else np.matmul(*args)
    out.append(np.asarray(r, dtype=np.float64).ravel().tolist())
print(json.dumps(out))
`,
      ],
      { input: JSON.stringify(jobs.map((j) => ({ op: j.op, args: j.args }))), encoding: 'utf8', env: { ...process.env, PYTHONPATH: oracleDir, PYTHONNOUSERSITE: '1' } },
    );
    if (r.status !== 0) throw new Error(`numpy failed: ${r.stderr}`);
    numpy = JSON.parse(r.stdout) as number[][];
  });

  it('agrees within a few ulps of the result’s scale (well-conditioned inputs)', () => {
    expect(jobs.length).toBeGreaterThan(100);
    jobs.forEach((job, i) => {
      const eps = job.got.dtype === 'float32' ? 2 ** -23 : 2 ** -52;
      const expected = numpy[i] as number[];
      const got = (job.got.toArray() as unknown as number[][] | number) as unknown;
      const flat = (Array.isArray(got) ? (got as number[][]).flat() : [got]) as number[];
      expect(flat.length).toBe(expected.length);
      const scale = Math.max(1, ...expected.map(Math.abs));
      const n = job.args[0]!.shape[1]!;
      flat.forEach((v, j) => expect(Math.abs(v - expected[j]!), `${job.op} job ${i} element ${j}`).toBeLessThanOrEqual(16 * n * eps * scale));
    });
  });
});
