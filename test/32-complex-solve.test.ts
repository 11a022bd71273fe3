// Complex products, solvers and factorisations (issue 16): complex128 and
// complex64 input, and real input mixed with complex, against numpy/scipy
// (test/oracle/complex_solve.py, on the same bytes), with the identities
// the mathematics promises, sync and async bit for bit, stacks, strided
// and reversed views read in place, and the errors numpy raises.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Complex128Data, Complex64Data, NDArray, array, linalg } from '../lib/index.js';
import type { DType } from '../lib/index.js';
import { asyncOf } from '../lib/internal/registry.js';
import { rng, root } from './helpers.js';
import { fetchOracle, oracleDir, python } from '../scripts/dev/fetch-oracle.mjs';

type Encoded = { dtype: string; shape: number[]; b64: string };
type OracleResult = { out?: Record<string, Encoded>; error?: string };
type CDType = 'complex128' | 'complex64';

/** A random array of `shape` with entries in the unit square (real ones for a real dtype), plus `shift` on each matrix's diagonal. */
function random(shape: number[], dtype: DType, seed: number, shift = 0): NDArray {
  const next = rng(seed);
  const size = shape.reduce((p, s) => p * s, 1);
  const complex = dtype === 'complex128' || dtype === 'complex64';
  const values = new Float64Array((complex ? 2 : 1) * size);
  for (let i = 0; i < values.length; i++) values[i] = 2 * next() - 1;
  const nd = shape.length;
  if (shift !== 0 && nd >= 2) {
    const [m, n] = [shape[nd - 2]!, shape[nd - 1]!];
    for (let item = 0; item < size; item += m * n) {
      for (let d = 0; d < Math.min(m, n); d++) values[(complex ? 2 : 1) * (item + d * n + d)] += shift;
    }
  }
  if (!complex) return array({ data: values, shape }, { dtype });
  const data = dtype === 'complex64' ? new Complex64Data(values) : new Complex128Data(values);
  return new NDArray(data, shape);
}

/** An array's values as interleaved pairs (a real array gets zero imaginary parts), row-major. */
function pairs(a: NDArray): number[] {
  const c = a.copy();
  const complex = c.dtype === 'complex128' || c.dtype === 'complex64';
  if (complex) return Array.from(c.data as Float64Array);
  const out: number[] = [];
  for (const x of c.data as Float64Array) out.push(x, 0);
  return out;
}

function decoded(e: Encoded): { dtype: string; shape: number[]; pairs: number[] } {
  const bytes = Buffer.from(e.b64, 'base64');
  const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const real = (xs: ArrayLike<number>) => Array.from(xs).flatMap((x) => [x, 0]);
  const values =
    e.dtype === 'complex128'
      ? Array.from(new Float64Array(buf))
      : e.dtype === 'complex64'
        ? Array.from(new Float32Array(buf))
        : e.dtype === 'float32'
          ? real(new Float32Array(buf))
          : e.dtype === 'int32'
            ? real(new Int32Array(buf))
            : e.dtype === 'int64'
              ? real(Array.from(new BigInt64Array(buf), Number))
              : real(new Float64Array(buf));
  return { dtype: e.dtype, shape: e.shape, pairs: values };
}

/** Largest |x - y| (over complex elements) relative to y's largest magnitude (at least 1). */
function relativeError(x: number[], y: number[]): number {
  let worst = 0;
  let scale = 1;
  for (let i = 0; i < y.length; i += 2) scale = Math.max(scale, Math.hypot(y[i]!, y[i + 1]!));
  for (let i = 0; i < y.length; i += 2) worst = Math.max(worst, Math.hypot(x[i]! - y[i]!, x[i + 1]! - y[i + 1]!));
  return worst / scale;
}

function encode(x: unknown): unknown {
  if (x instanceof NDArray) {
    const c = x.copy();
    return { dtype: c.dtype, shape: c.shape, b64: Buffer.from(c.data.buffer, c.data.byteOffset, c.data.byteLength).toString('base64') };
  }
  if (Array.isArray(x)) return x.map(encode);
  return x;
}

interface Case {
  id: string;
  fn: string;
  /** weft's arguments (NDArrays, numbers, options). */
  run: () => unknown;
  runAsync: () => Promise<unknown>;
  /** numpy's arguments and keyword arguments. */
  args: unknown[];
  kwargs?: Record<string, unknown>;
  /** Tolerance in units of the result dtype's epsilon. */
  ulps: number;
}

const EPS = { complex128: 2.220446049250313e-16, complex64: 1.1920929e-7, float64: 2.220446049250313e-16, float32: 1.1920929e-7 } as Record<string, number>;

const cases: Case[] = [];

/** A case run as weft's op (sync and async) and as numpy's on the same arrays. */
function add2(fn: string, id: string, weftArgs: unknown[], args: unknown[] = weftArgs, kwargs?: Record<string, unknown>, ulps = 64): void {
  const op = (linalg as unknown as Record<string, (...a: unknown[]) => unknown>)[fn]!;
  const twin = asyncOf(op) as (...a: unknown[]) => Promise<unknown>;
  cases.push({ id: `${fn} ${id}`, fn, run: () => op(...weftArgs), runAsync: () => twin(...weftArgs), args, kwargs, ulps });
}

const DTYPES: CDType[] = ['complex128', 'complex64'];

// ---------------------------------------------------------------- products
for (const dt of DTYPES) {
  const f = dt === 'complex64' ? 'float32' : 'float64';
  let seed = dt === 'complex64' ? 1000 : 1;
  for (const [m, k, n] of [[1, 1, 1], [3, 4, 2], [8, 8, 8], [9, 17, 5], [40, 33, 47]] as const) {
    const a = random([m, k], dt, seed++);
    const b = random([k, n], dt, seed++);
    add2('matmul', `${dt} ${m}x${k}@${k}x${n}`, [a, b]);
    add2('matmul', `${dt}@${f} ${m}x${k}@${k}x${n}`, [a, random([k, n], f, seed)], [a, random([k, n], f, seed++)]);
    add2('dot', `${dt} ${m}x${k}·${k}x${n}`, [a, b]);
  }
  // Stacks (gemm_batch_strided), broadcast batch axes, 1-D operands.
  const s1 = random([5, 6, 7], dt, seed++);
  const s2 = random([5, 7, 3], dt, seed++);
  add2('matmul', `${dt} stacked`, [s1, s2]);
  add2('matmul', `${dt} tiny stacked`, [random([20, 3, 4], dt, seed), random([20, 4, 2], dt, seed + 1)], [random([20, 3, 4], dt, seed), random([20, 4, 2], dt, seed + 1)]);
  seed += 2;
  add2('matmul', `${dt} broadcast`, [s1, random([7, 2], dt, seed)], [s1, random([7, 2], dt, seed++)]);
  add2('matmul', `${dt} vector@stack`, [random([6], dt, seed), s1], [random([6], dt, seed++), s1]);
  add2('matmul', `float64 stack@${dt}`, [random([2, 3, 4], 'float64', seed), random([4, 5], dt, seed + 1)], [random([2, 3, 4], 'float64', seed), random([4, 5], dt, seed + 1)]);
  seed += 2;
  const v1 = random([50], dt, seed++);
  const v2 = random([50], dt, seed++);
  add2('dot', `${dt} vectors`, [v1, v2]);
  add2('vdot', `${dt} vectors`, [v1, v2]);
  add2('vdot', `${dt} matrices`, [random([4, 5], dt, seed), random([5, 4], dt, seed + 1)], [random([4, 5], dt, seed), random([5, 4], dt, seed + 1)]);
  add2('vdot', `${f}·${dt}`, [random([7], f, seed), random([7], dt, seed + 3)], [random([7], f, seed), random([7], dt, seed + 3)]);
  seed += 4;
  add2('dot', `${dt} N-D`, [random([2, 3, 4], dt, seed), random([3, 4, 5], dt, seed + 1)], [random([2, 3, 4], dt, seed), random([3, 4, 5], dt, seed + 1)]);
  seed += 2;
  add2('outer', `${dt}`, [v1, random([6], dt, seed)], [v1, random([6], dt, seed++)]);
  add2('cross', `${dt} stacked`, [random([4, 3], dt, seed), random([3], dt, seed + 1)], [random([4, 3], dt, seed), random([3], dt, seed + 1)]);
  seed += 2;
  const chain = [random([3, 20], dt, seed), random([20, 4], dt, seed + 1), random([4, 30], dt, seed + 2), random([30, 2], dt, seed + 3)];
  seed += 4;
  add2('multiDot', `${dt} chain`, [chain], chain);
  add2('multiDot', `${dt} tiny chain`, [chain.map((c) => linalg.transpose(c).copy()).slice(0, 1).concat([random([3, 3], dt, seed)])], [linalg.transpose(chain[0]!).copy(), random([3, 3], dt, seed)]);
  seed++;
  const sq = random([6, 6], dt, seed++, 3);
  for (const p of [0, 1, 2, 5, -1, -3]) add2('matrixPower', `${dt} n=${p}`, [sq, p]);
  add2('matrixPower', `${dt} stacked n=-2`, [random([3, 4, 4], dt, seed, 2), -2], [random([3, 4, 4], dt, seed, 2), -2]);
  add2('trace', `${dt}`, [s1], [s1]);
  add2('trace', `${dt} offset`, [s1, { offset: 2 }], [s1], { offset: 2 });
  add2('diagonal', `${dt} offset`, [s1, { offset: -1 }], [s1], { offset: -1 });
}

let oracle: Record<string, OracleResult> = {};

beforeAll(() => {
  fetchOracle();
  const dir = mkdtempSync(join(tmpdir(), 'weft-complex-oracle-'));
  const input = join(dir, 'cases.json');
  const output = join(dir, 'results.json');
  writeFileSync(input, JSON.stringify(cases.map((c) => ({ id: c.id, fn: c.fn, args: c.args.map(encode), kwargs: Object.fromEntries(Object.entries(c.kwargs ?? {}).map(([k, v]) => [k, encode(v)])) }))));
  const r = spawnSync(python, [join(root, 'test', 'oracle', 'complex_solve.py'), input, output], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: oracleDir, PYTHONNOUSERSITE: '1', OPENBLAS_NUM_THREADS: '1' },
  });
  if (r.status !== 0) throw new Error(`the numpy oracle failed:\n${r.stderr}`);
  oracle = JSON.parse(readFileSync(output, 'utf8')) as Record<string, OracleResult>;
}, 120_000);

/** weft's result as named arrays, with the oracle's names. */
function named(result: unknown): Record<string, NDArray> {
  if (result instanceof NDArray) return { out: result };
  return Object.fromEntries(Object.entries(result as Record<string, unknown>).filter(([, v]) => v instanceof NDArray)) as Record<string, NDArray>;
}

/** The bits of every array in a result, for sync/async equality. */
function bits(result: unknown): number[][] {
  return Object.values(named(result)).map((a) => Array.from(a.copy().data as Float64Array));
}

describe('complex products, solvers and factorisations against numpy', () => {
  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const expected = oracle[c.id]!;
    expect(expected.error).toBeUndefined();
    const result = named(c.run());
    for (const [name, want] of Object.entries(expected.out!)) {
      const got = result[name];
      expect(got, `${c.id}: ${name}`).toBeDefined();
      const w = decoded(want);
      expect(got!.dtype, `${c.id}: ${name}'s dtype`).toBe(w.dtype === 'int64' ? 'int32' : w.dtype);
      expect(got!.shape).toEqual(w.shape);
      const err = relativeError(pairs(got!), w.pairs);
      expect(err, `${c.id}: ${name}`).toBeLessThanOrEqual(c.ulps * (EPS[w.dtype] ?? EPS.float64!));
    }
    expect(bits(await c.runAsync())).toEqual(bits(c.run()));
  });
});
