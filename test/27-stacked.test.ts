// Stacked small matrices (issue 15): matmul, solve, inv, det, slogdet,
// cholesky and qr on stacks of 4×4, 8×8 and 64×64, in both dtypes, against
// numpy (the oracle of test/23) — with stacks long enough to span several of
// the blocks the native side splits them into (batch.h, BlockItems), singular
// items in the middle (batchIndex), strided and negative-stride views, and
// broadcast batch axes — and bit-for-bit equal between sync and async and
// across thread counts (the blocks must not depend on either).
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { LinAlgError, NDArray, linalg, threading } from '../lib/index.js';
import { rng } from './helpers.js';
import { fetchOracle, oracleDir, python } from '../scripts/dev/fetch-oracle.mjs';

type Dtype = 'float64' | 'float32';
type Typed = Float64Array | Float32Array;
const OPS = ['matmul', 'solve', 'inv', 'det', 'slogdet', 'cholesky', 'qr'] as const;
type Op = (typeof OPS)[number];
/** [count, n]: past one block of 4×4 (512 items) and of 8×8 (64); 64×64 takes the MKL batch path. */
const SHAPES: [number, number][] = [[1100, 4], [150, 8], [5, 64]];

function make(dtype: Dtype, count: number): Typed {
  return dtype === 'float32' ? new Float32Array(count) : new Float64Array(count);
}

/** A well-conditioned general stack, a right-hand side stack and an SPD stack. */
function inputs(dtype: Dtype, count: number, n: number, seed: number): { a: Typed; b: Typed; spd: Typed } {
  const random = rng(seed);
  const a = make(dtype, count * n * n), b = make(dtype, count * n * n), spd = make(dtype, count * n * n);
  for (let i = 0; i < count; i++) {
    const m = Array.from({ length: n * n }, () => random() * 2 - 1);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        a[i * n * n + r * n + c] = m[r * n + c]! + (r === c ? 2 : 0);
        b[i * n * n + r * n + c] = random() * 2 - 1;
        let dot = 0;
        for (let t = 0; t < n; t++) dot += m[r * n + t]! * m[c * n + t]!;
        spd[i * n * n + r * n + c] = dot + (r === c ? n : 0);
      }
    }
  }
  return { a, b, spd };
}

function run(op: Op, a: NDArray, b: NDArray): NDArray[] {
  switch (op) {
    case 'matmul': return [linalg.matmul(a, b)];
    case 'solve': return [linalg.solve(a, b)];
    case 'inv': return [linalg.inv(a)];
    case 'det': return [linalg.det(a)];
    case 'slogdet': { const r = linalg.slogdet(a); return [r.sign, r.logabsdet]; }
    case 'cholesky': return [linalg.cholesky(a)];
    case 'qr': { const r = linalg.qr(a); return [r.Q, r.R]; }
  }
}

async function runAsync(op: Op, a: NDArray, b: NDArray): Promise<NDArray[]> {
  switch (op) {
    case 'matmul': return [await linalg.matmulAsync(a, b)];
    case 'solve': return [await linalg.solveAsync(a, b)];
    case 'inv': return [await linalg.invAsync(a)];
    case 'det': return [await linalg.detAsync(a)];
    case 'slogdet': { const r = await linalg.slogdetAsync(a); return [r.sign, r.logabsdet]; }
    case 'cholesky': return [await linalg.choleskyAsync(a)];
    case 'qr': { const r = await linalg.qrAsync(a); return [r.Q, r.R]; }
  }
}

const b64 = (x: Typed): string => Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('base64');
const bits = (x: NDArray): string => b64(x.data as Typed);

type Case = { id: string; op: Op; dtype: Dtype; count: number; n: number; a: Typed; b: Typed };
const cases: Case[] = [];
for (const dtype of ['float64', 'float32'] as Dtype[]) {
  for (const [count, n] of SHAPES) {
    const { a, b, spd } = inputs(dtype, count, n, count * 31 + n);
    for (const op of OPS) cases.push({ id: `${op} ${dtype} [${count},${n},${n}]`, op, dtype, count, n, a: op === 'cholesky' ? spd : a, b });
  }
}

let numpy: Record<string, number[][]> = {};

beforeAll(() => {
  fetchOracle();
  const script = `
import sys, json, base64, numpy as np
out = {}
for c in json.load(sys.stdin):
    n, k = c['n'], c['count']
    a = np.frombuffer(base64.b64decode(c['a']), dtype=c['dtype']).reshape(k, n, n)
    b = np.frombuffer(base64.b64decode(c['b']), dtype=c['dtype']).reshape(k, n, n)
    op = c['op']
    r = {'matmul': lambda: [a @ b], 'solve': lambda: [np.linalg.solve(a, b)], 'inv': lambda: [np.linalg.inv(a)],
         'det': lambda: [np.linalg.det(a)], 'slogdet': lambda: list(np.linalg.slogdet(a)),
         'cholesky': lambda: [np.linalg.cholesky(a)], 'qr': lambda: list(np.linalg.qr(a))}[op]()
    out[c['id']] = [np.asarray(x, dtype=np.float64).ravel().tolist() for x in r]
json.dump(out, sys.stdout)
`;
  const r = spawnSync(python, ['-c', script], {
    input: JSON.stringify(cases.map((c) => ({ ...c, a: b64(c.a), b: b64(c.b) }))),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, PYTHONPATH: oracleDir, PYTHONNOUSERSITE: '1', OPENBLAS_NUM_THREADS: '1' },
  });
  if (r.status !== 0) throw new Error(`the numpy oracle failed:\n${r.stderr}`);
  numpy = JSON.parse(r.stdout);
}, 120_000);

/** Q's columns and R's rows carry a free sign: make R's diagonal non-negative in both. */
function signFixed(q: ArrayLike<number>, r: ArrayLike<number>, count: number, n: number): number[][] {
  const Q = Array.from(q), R = Array.from(r);
  for (let i = 0; i < count; i++) {
    for (let d = 0; d < n; d++) {
      if (R[i * n * n + d * n + d]! >= 0) continue;
      for (let c = 0; c < n; c++) R[i * n * n + d * n + c] = -R[i * n * n + d * n + c]!;
      for (let row = 0; row < n; row++) Q[i * n * n + row * n + d] = -Q[i * n * n + row * n + d]!;
    }
  }
  return [Q, R];
}

describe('stacked small matrices agree with numpy', () => {
  for (const c of cases) {
    it(c.id, () => {
      const shape = [c.count, c.n, c.n];
      const got = run(c.op, new NDArray(c.a, shape), new NDArray(c.b, shape));
      let want = numpy[c.id]!;
      let mine = got.map((x) => Array.from(x.data as Typed));
      expect(got[0]!.dtype).toBe(c.dtype);
      if (c.op === 'qr') {
        mine = signFixed(mine[0]!, mine[1]!, c.count, c.n);
        want = signFixed(want[0]!, want[1]!, c.count, c.n);
      }
      // Well-conditioned inputs: errors of a few hundred ulps of the result's scale at most.
      const eps = c.dtype === 'float32' ? 2 ** -23 : 2 ** -52;
      for (let o = 0; o < want.length; o++) {
        expect(mine[o]!.length).toBe(want[o]!.length);
        const scale = Math.max(1, ...want[o]!.map(Math.abs));
        let worst = 0;
        for (let i = 0; i < want[o]!.length; i++) worst = Math.max(worst, Math.abs(mine[o]![i]! - want[o]![i]!));
        expect(worst / scale).toBeLessThan(200 * c.n * eps);
      }
    });
  }
});

describe('singular and non-positive-definite items in the middle of a stack', () => {
  /** A general stack with items `at` exactly singular (column 1 zero: an exactly zero pivot, in numpy too). */
  function stackWith(dtype: Dtype, count: number, n: number, at: number[]): NDArray {
    const { a } = inputs(dtype, count, n, 7 + n);
    for (const i of at) for (let r = 0; r < n; r++) a[i * n * n + r * n + 1] = 0;
    return new NDArray(a, [count, n, n]);
  }
  const thrown = (f: () => unknown): unknown => { try { f(); } catch (e) { return e; } return undefined; };

  for (const dtype of ['float64', 'float32'] as Dtype[]) {
    for (const [count, n, at] of [[1100, 4, [700, 1000, 1050]], [150, 8, [97, 130]], [5, 64, [3, 4]]] as [number, number, number[]][]) {
      it(`${dtype} [${count},${n},${n}] singular at ${at}: solve and inv fail at ${at[0]}, det is 0 there`, async () => {
        const a = stackWith(dtype, count, n, at);
        const b = new NDArray(make(dtype, count * n).fill(1), [count, n, 1]);
        for (const e of [thrown(() => linalg.solve(a, b)), thrown(() => linalg.inv(a)), await linalg.invAsync(a).catch((x) => x), await linalg.solveAsync(a, b).catch((x) => x)]) {
          expect(e).toBeInstanceOf(LinAlgError);
          expect(e).toMatchObject({ code: 'ERR_SINGULAR', message: 'Singular matrix', batchIndex: at[0] });
        }
        const det = linalg.det(a).data;
        const { sign, logabsdet } = linalg.slogdet(a);
        for (let i = 0; i < count; i++) {
          if (at.includes(i)) {
            expect([det[i], sign.data[i], logabsdet.data[i]]).toEqual([0, 0, -Infinity]);
          } else {
            expect(Math.abs(det[i]!)).toBeGreaterThan(0);
            expect(Math.abs(sign.data[i]!)).toBe(1);
          }
        }
        // inv of the stack without its singular items works.
        const ok = linalg.inv(new NDArray(a.data.subarray(0, at[0]! * n * n), [at[0]!, n, n]));
        expect(ok.shape).toEqual([at[0], n, n]);
      });

      it(`${dtype} [${count},${n},${n}] cholesky fails at the first non-positive-definite item`, async () => {
        const { spd } = inputs(dtype, count, n, 3);
        for (const i of at) spd[i * n * n + n + 1] = -1;  // a negative diagonal entry
        const a = new NDArray(spd, [count, n, n]);
        expect(thrown(() => linalg.cholesky(a))).toMatchObject({ code: 'ERR_NOT_POSITIVE_DEFINITE', batchIndex: at[0] });
        await expect(linalg.choleskyAsync(a)).rejects.toMatchObject({ batchIndex: at[0] });
      });
    }
  }

  it('a NaN item in a stack of small matrices is factored as numpy does, without touching the others', () => {
    const { a } = inputs('float64', 150, 8, 11);
    const clean = linalg.inv(new NDArray(a.slice(), [150, 8, 8])).data;
    a[80 * 64 + 5] = NaN;
    const det = linalg.det(new NDArray(a, [150, 8, 8])).data;
    expect(det[80]).toBeNaN();
    const inv = linalg.inv(new NDArray(a, [150, 8, 8])).data;
    for (let i = 0; i < 150 * 64; i++) if (Math.floor(i / 64) !== 80) expect(inv[i]).toBe(clean[i]);
  });
});

describe('views and broadcasting', () => {
  it('strided and negative-stride stacks give the results of their contiguous copies', () => {
    for (const dtype of ['float64', 'float32'] as Dtype[]) {
      for (const n of [4, 8]) {
        const count = 300;
        const { a, b } = inputs(dtype, count * 2, n, 5);
        // Every other item, walked backwards, each matrix transposed.
        const view = { data: a, shape: [count, n, n], strides: [-2 * n * n, 1, n], offset: (2 * count - 2) * n * n };
        const copy = make(dtype, count * n * n);
        for (let i = 0; i < count; i++) for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) copy[i * n * n + r * n + c] = a[(2 * count - 2 - 2 * i) * n * n + c * n + r]!;
        const dense = new NDArray(copy, [count, n, n]);
        const rhs = new NDArray(b.subarray(0, count * n * n), [count, n, n]);
        for (const op of OPS) {
          if (op === 'cholesky') continue;
          const fromView = run(op, view as unknown as NDArray, rhs);
          const fromCopy = run(op, dense, rhs);
          for (let o = 0; o < fromView.length; o++) {
            const x = fromView[o]!.data, y = fromCopy[o]!.data;
            let worst = 0;
            for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!) / Math.max(1, Math.abs(y[i]!)));
            expect(x.length, op).toBe(y.length);
            expect(worst, op).toBeLessThanOrEqual(dtype === 'float32' ? 1e-4 : 1e-12);
          }
        }
      }
    }
  });

  it('broadcast batch axes: matmul [5,1,8,8] @ [1,7,8,8] and solve [6,4,4] with b [1,4,2]', () => {
    const { a, b } = inputs('float64', 35, 8, 9);
    const x = new NDArray(a.subarray(0, 5 * 64), [5, 1, 8, 8]);
    const y = new NDArray(b.subarray(0, 7 * 64), [1, 7, 8, 8]);
    const c = linalg.matmul(x, y);
    expect(c.shape).toEqual([5, 7, 8, 8]);
    for (const [i, j] of [[0, 0], [4, 6], [2, 3]] as [number, number][]) {
      const one = linalg.matmul(new NDArray(a.subarray(i * 64, i * 64 + 64), [8, 8]), new NDArray(b.subarray(j * 64, j * 64 + 64), [8, 8])).data;
      const got = c.data.subarray((i * 7 + j) * 64, (i * 7 + j) * 64 + 64);
      for (let e = 0; e < 64; e++) expect(Math.abs(got[e]! - one[e]!)).toBeLessThan(1e-12);
    }
    const s = inputs('float64', 6, 4, 2);
    const rhs = new NDArray(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]), [1, 4, 2]);
    const sol = linalg.solve(new NDArray(s.a, [6, 4, 4]), rhs);
    expect(sol.shape).toEqual([6, 4, 2]);
    // a·x = b for every item.
    const back = linalg.matmul(new NDArray(s.a, [6, 4, 4]), sol).data;
    for (let i = 0; i < 6; i++) for (let e = 0; e < 8; e++) expect(back[i * 8 + e]).toBeCloseTo(rhs.data[e]!, 10);
  });
});

describe('bit-for-bit equal across thread counts and between sync and async', () => {
  for (const dtype of ['float64', 'float32'] as Dtype[]) {
    for (const [count, n] of SHAPES) {
      it(`${dtype} [${count},${n},${n}]`, async () => {
        const { a, b, spd } = inputs(dtype, count + 1, n, 13);
        // Offset by one element: the caller's memory is not aligned as weft's own copies are.
        const shape = [count, n, n];
        const A = new NDArray(a.subarray(1, 1 + count * n * n), shape);
        const B = new NDArray(b.subarray(1, 1 + count * n * n), shape);
        const S = new NDArray(spd.subarray(n * n, n * n + count * n * n), shape);
        const previous = threading.setMaxThreads(1);
        try {
          for (const op of OPS) {
            const x = op === 'cholesky' ? S : A;
            threading.setMaxThreads(1);
            const one = run(op, x, B).map(bits);
            threading.setMaxThreads(2);
            const two = run(op, x, B).map(bits);
            const async = (await runAsync(op, x, B)).map(bits);
            expect(two, `${op}: 1 vs 2 threads`).toEqual(one);
            expect(async, `${op}: sync vs async`).toEqual(one);
          }
        } finally {
          threading.setMaxThreads(previous);
        }
      });
    }
  }
});
