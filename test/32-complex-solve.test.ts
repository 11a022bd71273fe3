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
import { Complex128Data, Complex64Data, LinAlgError, NDArray, array, linalg } from '../lib/index.js';
import type { DType } from '../lib/index.js';
import { asyncOf } from '../lib/internal/registry.js';
import { rng, root } from './helpers.js';
import { fetchOracle, oracleDir, python } from '../scripts/dev/fetch-oracle.mjs';

type Encoded = { dtype: string; shape: number[]; b64: string };
type OracleResult = { out?: Record<string, Encoded>; error?: string };
type CDType = 'complex128' | 'complex64';
/** Any array: the ops' declared result types do not say complex yet (see the report of issue 16). */
type Any = NDArray<DType>;

/** A random array of `shape` with entries in the unit square (real ones for a real dtype), plus `shift` on each matrix's diagonal. */
function random(shape: number[], dtype: DType, seed: number, shift = 0): Any {
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
  if (!complex) return array({ data: values, shape }, { dtype }) as Any;
  const data = dtype === 'complex64' ? new Complex64Data(values) : new Complex128Data(values);
  return new NDArray(data, shape);
}

/** A Hermitian positive definite matrix (stack): B·Bᴴ + n·I. */
function hpd(shape: number[], dtype: CDType, seed: number): Any {
  const b = random(shape, dtype, seed);
  const product: Any = linalg.matmul(b, conjT(b));
  return add(product, identityLike(product, shape[shape.length - 1]!));
}

/** a (a contiguous square stack) with its strictly lower (or upper) triangle overwritten by junk: what a one-triangle reader must ignore. */
function junkIn(a: Any, triangle: 'lower' | 'upper'): Any {
  const c = a.copy();
  const n = c.shape[c.shape.length - 1]!;
  const pair = c.dtype === 'complex128' || c.dtype === 'complex64' ? 2 : 1;
  for (let item = 0; item < c.size; item += n * n) {
    for (let r = 0; r < n; r++) {
      for (let col = 0; col < n; col++) {
        if (triangle === 'lower' ? r > col : r < col) for (let p = 0; p < pair; p++) c.data[pair * (item + r * n + col) + p] = 1e3 + r - col;
      }
    }
  }
  return c;
}

/** A view of a (contiguous, 2-D) with its rows in reverse order: negative strides, read in place. */
function reversedRows(a: Any): Any {
  const [m, n] = a.shape as [number, number];
  return new NDArray(a.data, [m, n], [-n, 1], (m - 1) * n);
}

/** Conjugate transpose of a (stack of) matrices, contiguous. */
function conjT(a: Any): Any {
  const t = linalg.transpose(a).copy();
  const d = t.data;
  if (d instanceof Complex128Data || d instanceof Complex64Data) for (let i = 1; i < d.length; i += 2) d[i] = -d[i]!;
  return t;
}

/** scale·I in a's shape and dtype. */
function identityLike(a: Any, scale = 1): Any {
  const c = linalg.matrixPower(a, 0);
  for (let i = 0; i < c.data.length; i++) c.data[i] = c.data[i]! * scale;
  return c;
}

/** a + b elementwise (same shape, contiguous copies; complex pairs add as reals). */
function add(a: Any, b: Any): Any {
  const c = a.copy();
  const d = b.copy();
  for (let i = 0; i < c.data.length; i++) c.data[i] = c.data[i]! + d.data[i]!;
  return c;
}

/** An array's values as interleaved pairs (a real array gets zero imaginary parts), row-major. */
function pairs(a: Any): number[] {
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
  // (equal parts, infinities included, differ by nothing: slogdet's -inf)
  const diff = (u: number, v: number) => (u === v ? 0 : u - v);
  for (let i = 0; i < y.length; i += 2) worst = Math.max(worst, Math.hypot(diff(x[i]!, y[i]!), diff(x[i + 1]!, y[i + 1]!)));
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

/** Tolerances (in epsilons of the result's dtype): products add k terms; solvers and factorisations of the well-conditioned inputs here lose more. */
const ULPS: Record<string, number> = { solve: 1024, inv: 1024, det: 1024, slogdet: 1024, matrixPower: 1024, cholesky: 256, choSolve: 1024, lu: 256, luFactor: 256, luSolve: 1024, qr: 512 };

/** A case run as weft's op (sync and async) and as numpy's on the same arrays. */
function add2(fn: string, id: string, weftArgs: unknown[], args: unknown[] = weftArgs, kwargs?: Record<string, unknown>): void {
  const op = (linalg as unknown as Record<string, (...a: unknown[]) => unknown>)[fn]!;
  const twin = asyncOf(op) as (...a: unknown[]) => Promise<unknown>;
  addRun(fn, id, () => op(...weftArgs), () => twin(...weftArgs), args, kwargs);
}

/** A case whose weft side is a composition (a factorisation, then the solve that uses it). */
function addRun(fn: string, id: string, run: () => unknown, runAsync: () => Promise<unknown>, args: unknown[], kwargs?: Record<string, unknown>): void {
  cases.push({ id: `${fn} ${id}`, fn, run, runAsync, args, kwargs, ulps: ULPS[fn] ?? 64 });
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
  const tinyChain: Any[] = [linalg.transpose(chain[0]!).copy(), random([3, 3], dt, seed)];
  add2('multiDot', `${dt} tiny chain`, [tinyChain], tinyChain);
  seed++;
  const sq = random([6, 6], dt, seed++, 3);
  for (const p of [0, 1, 2, 5, -1, -3]) add2('matrixPower', `${dt} n=${p}`, [sq, p]);
  add2('matrixPower', `${dt} stacked n=-2`, [random([3, 4, 4], dt, seed, 2), -2], [random([3, 4, 4], dt, seed, 2), -2]);
  add2('trace', `${dt}`, [s1], [s1]);
  add2('trace', `${dt} offset`, [s1, { offset: 2 }], [s1], { offset: 2 });
  add2('diagonal', `${dt} offset`, [s1, { offset: -1 }], [s1], { offset: -1 });
}

// ---------------------------------------------------------------- solvers
for (const dt of DTYPES) {
  const f = dt === 'complex64' ? 'float32' : 'float64';
  let seed = dt === 'complex64' ? 3000 : 2000;
  for (const n of [1, 2, 3, 8, 9, 16, 17, 40]) {
    const a = random([n, n], dt, seed++, 2);
    const b = random([n], dt, seed++);
    const bk = random([n, 3], dt, seed++);
    add2('solve', `${dt} n=${n} vector`, [a, b]);
    add2('solve', `${dt} n=${n} k=3`, [a, bk]);
    add2('inv', `${dt} n=${n}`, [a]);
    add2('det', `${dt} n=${n}`, [a]);
    add2('slogdet', `${dt} n=${n}`, [a]);
    if (n === 1) continue;
    // Only one triangle is read: junk in the other must not matter.
    const sym = random([n, n], dt, seed++, 2);
    for (const lower of [false, true]) {
      add2('solve', `${dt} n=${n} sym lower=${lower}`, [sym, bk, { assumeA: 'sym', lower }], [sym, bk], { assumeA: 'sym', lower });
      const pos = junkIn(hpd([n, n], dt, seed++), lower ? 'upper' : 'lower');
      add2('solve', `${dt} n=${n} pos lower=${lower}`, [pos, bk, { assumeA: 'pos', lower }], [pos, bk], { assumeA: 'pos', lower });
      addRun('choSolve', `${dt} n=${n} lower=${lower}`, () => linalg.choSolve(linalg.choFactor(pos, { lower }), bk), async () => linalg.choSolveAsync(await linalg.choFactorAsync(pos, { lower }), bk), [pos, bk], { lower });
    }
    for (const trans of [false, true]) {
      addRun('luSolve', `${dt} n=${n} trans=${trans}`, () => linalg.luSolve(linalg.luFactor(a), bk, { trans }), async () => linalg.luSolveAsync(await linalg.luFactorAsync(a), bk, { trans }), [a, bk], { trans: trans ? 1 : 0 });
    }
  }
  // Stacks, broadcasting, mixed real/complex operands, reversed views.
  const stack = random([4, 5, 5], dt, seed++, 2);
  const bs = random([4, 5], dt, seed++);
  add2('solve', `${dt} stacked`, [stack, bs]);
  add2('solve', `${dt} stacked, one b broadcast`, [stack, random([1, 5, 2], dt, seed)], [stack, random([1, 5, 2], dt, seed++)]);
  add2('solve', `${f} a, ${dt} b`, [random([5, 5], f, seed, 2), random([5], dt, seed + 1)], [random([5, 5], f, seed, 2), random([5], dt, seed + 1)]);
  seed += 2;
  add2('solve', `${dt} a, float64 b`, [random([6, 6], dt, seed, 2), random([6, 2], 'float64', seed + 1)], [random([6, 6], dt, seed, 2), random([6, 2], 'float64', seed + 1)]);
  seed += 2;
  add2('solve', `${dt} pos stacked`, [hpd([3, 4, 4], dt, seed), random([3, 4], dt, seed + 1), { assumeA: 'pos' }], [hpd([3, 4, 4], dt, seed), random([3, 4], dt, seed + 1)], { assumeA: 'pos' });
  seed += 2;
  add2('inv', `${dt} stacked`, [stack]);
  add2('inv', `${dt} stacked small`, [random([30, 3, 3], dt, seed, 2)], [random([30, 3, 3], dt, seed, 2)]);
  seed++;
  add2('det', `${dt} stacked`, [stack]);
  add2('slogdet', `${dt} stacked`, [stack]);
  const reversed = reversedRows(random([7, 7], dt, seed++, 2));
  add2('solve', `${dt} reversed rows`, [reversed, random([7], dt, seed)], [reversed, random([7], dt, seed++)]);
  add2('inv', `${dt} reversed rows`, [reversed]);
  add2('det', `${dt} reversed rows`, [reversed]);
  add2('matmul', `${dt} reversed rows`, [reversed, reversed]);
  const transposed = linalg.transpose(random([9, 9], dt, seed++, 2));
  add2('inv', `${dt} transposed view`, [transposed]);
  add2('solve', `${dt} transposed view`, [transposed, random([9, 2], dt, seed)], [transposed, random([9, 2], dt, seed)]);
  // A singular complex matrix: det 0, slogdet (0, -inf).
  const singular = array([[{ re: 1, im: 1 }, { re: 2, im: 2 }], [{ re: 2, im: 2 }, { re: 4, im: 4 }]], { dtype: dt });
  add2('det', `${dt} singular`, [singular]);
  add2('slogdet', `${dt} singular`, [singular]);
  // Empty matrices and stacks (the fuzzer's finds: nothing to factor is not singular).
  for (const shape of [[0, 0], [2, 0, 0]]) {
    const empty = random(shape, dt, 1);
    for (const fn of ['det', 'slogdet', 'inv']) add2(fn, `${dt} ${JSON.stringify(shape)}`, [empty]);
    add2('solve', `${dt} ${JSON.stringify(shape)}`, [empty, random([...shape.slice(0, -1), 2], dt, 2)], [empty, random([...shape.slice(0, -1), 2], dt, 2)]);
  }
  const transposedStack: Any = linalg.transpose(random([2, 6, 3], dt, 3));
  add2('trace', `${dt} transposed stack`, [transposedStack, { offset: 1 }], [transposedStack], { offset: 1 });
  add2('trace', `${dt} reversed rows`, [reversed]);
}

// ---------------------------------------------------------------- factorisations
for (const dt of DTYPES) {
  let seed = dt === 'complex64' ? 5000 : 4000;
  for (const n of [1, 4, 17, 33]) {
    const a = junkIn(hpd([n, n], dt, seed++), 'upper');
    add2('cholesky', `${dt} n=${n}`, [a]);
    const b = junkIn(hpd([n, n], dt, seed++), 'lower');
    add2('cholesky', `${dt} n=${n} upper`, [b, { upper: true }], [b], { upper: true });
  }
  add2('cholesky', `${dt} stacked`, [hpd([5, 3, 3], dt, seed)], [hpd([5, 3, 3], dt, seed)]);
  seed++;
  for (const [m, n] of [[1, 1], [4, 4], [5, 3], [3, 5], [20, 20], [40, 25]] as const) {
    const a = random([m, n], dt, seed++);
    add2('lu', `${dt} ${m}x${n}`, [a]);
    add2('luFactor', `${dt} ${m}x${n}`, [a]);
    for (const mode of ['reduced', 'complete', 'r', 'raw'] as const) add2('qr', `${dt} ${m}x${n} ${mode}`, [a, { mode }], [a], { mode });
  }
  const stack = random([3, 5, 4], dt, seed++);
  add2('lu', `${dt} stacked`, [stack]);
  for (const mode of ['reduced', 'complete', 'r', 'raw'] as const) add2('qr', `${dt} stacked ${mode}`, [stack, { mode }], [stack], { mode });
  const reversed = reversedRows(random([6, 6], dt, seed));
  add2('qr', `${dt} reversed rows`, [reversed]);
  add2('lu', `${dt} reversed rows`, [reversed]);
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
function named(result: unknown): Record<string, Any> {
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

/** max |x - y| over complex elements, relative to y's largest magnitude (at least 1). */
function distance(x: Any, y: Any): number {
  return relativeError(pairs(x), pairs(y));
}

describe('complex identities', () => {
  for (const dt of DTYPES) {
    const tol = 2000 * EPS[dt]!;
    it(`${dt}: a·inv(a) = I, a·solve(a, b) = b, det = sign·exp(logabsdet) with |sign| = 1`, () => {
      const a = random([64, 64], dt, 7, 4);
      const b = random([64, 3], dt, 8);
      const eye = linalg.matrixPower(a, 0);
      expect(distance(linalg.matmul(a, linalg.inv(a)), eye)).toBeLessThan(tol);
      expect(distance(linalg.matmul(a, linalg.solve(a, b)), b)).toBeLessThan(tol);
      const { sign, logabsdet } = linalg.slogdet(random([3, 6, 6], dt, 9, 1));
      expect(sign.dtype).toBe(dt);
      expect(logabsdet.dtype).toBe(dt === 'complex64' ? 'float32' : 'float64');
      const s = pairs(sign);
      for (let i = 0; i < s.length; i += 2) expect(Math.abs(Math.hypot(s[i]!, s[i + 1]!) - 1)).toBeLessThan(tol);
      const det = pairs(linalg.det(random([3, 6, 6], dt, 9, 1)));
      const l = pairs(logabsdet);
      for (let i = 0; i < s.length; i += 2) {
        const scale = Math.exp(l[i]!);
        expect(Math.hypot(det[i]! - s[i]! * scale, det[i + 1]! - s[i + 1]! * scale) / scale).toBeLessThan(tol);
      }
    });

    it(`${dt}: cholesky L·Lᴴ = a (upper: Uᴴ·U), qr Q·R = a with Qᴴ·Q = I, lu P·L·U = a`, () => {
      const a = hpd([40, 40], dt, 11);
      const l = linalg.cholesky(a);
      expect(distance(linalg.matmul(l, conjT(l)), a)).toBeLessThan(tol);
      const u = linalg.cholesky(a, { upper: true });
      expect(distance(linalg.matmul(conjT(u), u), a)).toBeLessThan(tol);
      expect(distance(u, conjT(l))).toBeLessThan(tol);
      const g = random([30, 20], dt, 12);
      const { Q, R } = linalg.qr(g);
      expect(distance(linalg.matmul(Q, R), g)).toBeLessThan(tol);
      expect(distance(linalg.matmul(conjT(Q), Q), linalg.matrixPower(random([20, 20], dt, 1), 0))).toBeLessThan(tol);
      const { P, L, U } = linalg.lu(g);
      expect(P.dtype).toBe(dt === 'complex64' ? 'float32' : 'float64');
      expect(distance(linalg.multiDot([P, L, U]), g)).toBeLessThan(tol);
    });
  }
});

describe('complex errors, as numpy', () => {
  const singular = array([[{ re: 1, im: 1 }, { re: 2, im: 2 }], [{ re: 2, im: 2 }, { re: 4, im: 4 }]]);
  const good = array([[{ re: 2, im: 0 }, 0], [0, 1]]);

  it('a singular complex matrix: LinAlgError ERR_SINGULAR from solve, inv and matrixPower(-1), with the stack index', async () => {
    for (const a of [singular, singular.astype('complex64')]) {
      expect(() => linalg.solve(a, [1, 2])).toThrow(expect.objectContaining({ code: 'ERR_SINGULAR', message: expect.stringMatching(/Singular matrix/) }));
      expect(() => linalg.inv(a)).toThrow(LinAlgError);
      await expect(linalg.invAsync(a)).rejects.toThrow(LinAlgError);
      expect(() => linalg.matrixPower(a, -1)).toThrow(LinAlgError);
    }
    const stack = array([good.toArray(), singular.toArray()]);
    expect(() => linalg.inv(stack)).toThrow(expect.objectContaining({ code: 'ERR_SINGULAR', batchIndex: 1 }));
  });

  it('a complex matrix that is not Hermitian positive definite: ERR_NOT_POSITIVE_DEFINITE', async () => {
    const indefinite = array([[{ re: 1, im: 0 }, { re: 0, im: 2 }], [{ re: 0, im: -2 }, { re: 1, im: 0 }]]);
    expect(() => linalg.cholesky(indefinite)).toThrow(expect.objectContaining({ code: 'ERR_NOT_POSITIVE_DEFINITE' }));
    await expect(linalg.choFactorAsync(indefinite)).rejects.toThrow(LinAlgError);
    expect(() => linalg.solve(indefinite, [1, 1], { assumeA: 'pos' })).toThrow(expect.objectContaining({ code: 'ERR_NOT_POSITIVE_DEFINITE' }));
    // Its transpose (the conjugate) is the same indefinite matrix: the Hermitian reading is what fails, not the layout.
    expect(() => linalg.cholesky(linalg.transpose(indefinite))).toThrow(LinAlgError);
  });

  it('numpy-style messages for shapes; complex with out: a TypeError, never a wrong answer', () => {
    expect(() => linalg.solve(good, [1, 2, 3])).toThrow(RangeError);
    expect(() => linalg.inv(array([[{ re: 1, im: 1 }, 2, 3]]))).toThrow(expect.objectContaining({ code: 'ERR_NOT_SQUARE' }));
    expect(() => linalg.matmul(good, good, { out: array([[0, 0], [0, 0]]) })).toThrow(TypeError);
    expect(() => linalg.matmul([[1, 0], [0, 1]], [[1, 0], [0, 1]], { out: good.copy() })).toThrow(TypeError);
  });
});
