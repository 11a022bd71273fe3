// The array core on complex128 and complex64 against numpy 2.4.6: every
// creation, view, joining, arithmetic, math, reduction, comparison and
// logic function, on contiguous, transposed, reversed (negative-stride) and
// stepped views, broadcast against real operands and weak scalars (a JS
// number as a Python float, a { re, im } as a Python complex), with NaN and
// Inf parts, empty and 0-d arrays. The cases run through test/oracle/
// oracle.py's `run` (test/oracle/complex_core.py); the dtype numpy gives is
// checked as well as the values. Where numpy has no complex loop (floor,
// mod, …) numpy's TypeError is the expected outcome: weft must refuse by name.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as weft from '../lib/index.js';
import { NDArray, array } from '../lib/index.js';
import type { DType } from '../lib/index.js';
import { fetchOracle, oracleDir, python } from '../scripts/dev/fetch-oracle.mjs';
import { rng, root } from './helpers.js';
import { decode, encode, flatValues } from './oracle-codec.js';
import type { Encoded } from './oracle-codec.js';

type Any = NDArray<DType>;
/** How closely a result must match: bit for bit (NaN equal to NaN), or within `k` units of the dtype's epsilon of |numpy's value| (|x| for sums). */
type Tolerance = 'exact' | { ulps: number };

interface Case {
  id: string;
  fn: string;
  args: unknown[];
  options?: Record<string, unknown>;
  tolerance: Tolerance;
}

const EPS = { complex128: 2 ** -52, complex64: 2 ** -23 };
const cases: Case[] = [];
const add = (fn: string, name: string, args: unknown[], tolerance: Tolerance, options?: Record<string, unknown>) =>
  cases.push({ id: `${fn} ${name}`, fn, args, tolerance, ...(options === undefined ? {} : { options }) });

/** A random complex array of `shape`: parts from −2 to 2. */
function random(shape: number[], seed: number, dtype: 'complex128' | 'complex64'): Any {
  const next = rng(seed);
  const size = shape.reduce((p, d) => p * d, 1);
  const flat = Array.from({ length: size }, () => ({ re: 4 * next() - 2, im: 4 * next() - 2 }));
  return weft.reshape(array(flat.length === 0 ? [] : flat, { dtype }), shape) as Any;
}

function real(shape: number[], seed: number, dtype: 'float64' | 'float32'): Any {
  const next = rng(seed);
  const size = shape.reduce((p, d) => p * d, 1);
  return weft.reshape(array(Array.from({ length: size }, () => 4 * next() - 2), { dtype }), shape) as Any;
}

/** Parts from 0, −0, ±1, ±Infinity and NaN (and, `wide`, values where the hyperbolic functions overflow or underflow), every combination. */
function specials(dtype: 'complex128' | 'complex64', wide = false): Any {
  const values = [0, -0, 1, -1, Infinity, -Infinity, NaN, ...(wide ? (dtype === 'complex64' ? [1e30, -1e-30, 30, -30, 95] : [1e300, -1e-300, 30, -30, 800]) : [])];
  return array(
    values.flatMap((re) => values.map((im) => ({ re, im }))),
    { dtype },
  ) as Any;
}

const UNARY_CLOSE = ['exp', 'expm1', 'exp2', 'log', 'log1p', 'log2', 'log10', 'sin', 'cos', 'tan', 'sinh', 'cosh', 'tanh', 'sqrt', 'sign', 'abs', 'angle'];
const UNARY_EXACT = ['negative', 'conj', 'conjugate', 'real', 'imag', 'round'];
const BINARY = ['add', 'subtract', 'multiply', 'divide', 'power', 'maximum', 'minimum'];
const EXACT_BINARY = new Set(['add', 'subtract', 'maximum', 'minimum']);
const COMPARISONS = ['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'logicalAnd', 'logicalOr'];

for (const dtype of ['complex128', 'complex64'] as const) {
  const single = dtype === 'complex64';
  const realDtype = single ? 'float32' : 'float64';
  const z = random([3, 4], 1, dtype);
  const w = random([3, 4], 2, dtype);
  const cube = random([2, 3, 4], 3, dtype);
  const transposed = weft.transpose(random([4, 3], 4, dtype)) as Any;
  const reversed = weft.flip(random([3, 4], 5, dtype)) as Any;
  const stepped = weft.slice(random([6, 8], 6, dtype), [[null, null, 2], [1, null, 2]]) as Any;
  const empty = random([0, 3], 7, dtype);
  const scalar = random([], 8, dtype);
  const row = real([4], 9, realDtype);
  const wideRow = real([4], 10, 'float64');
  const special = specials(dtype);
  const close = { ulps: 8 };
  const d = (name: string) => `${dtype} ${name}`;

  // Creation.
  for (const fn of ['zeros', 'ones']) add(`top.${fn}`, d('2x3'), [[2, 3]], 'exact', { dtype });
  add('top.full', d('2x2'), [[2, 2], { re: 1.5, im: -2 }], 'exact', { dtype });
  add('top.eye', d('k=1'), [3], 'exact', { dtype, k: 1 });
  add('top.eye', d('m=4 k=-1'), [3], 'exact', { dtype, k: -1, m: 4 });
  add('top.identity', d('3'), [3], 'exact', { dtype });
  for (const fn of ['zerosLike', 'onesLike', 'copy']) {
    add(`top.${fn}`, d('contiguous'), [z], 'exact');
    add(`top.${fn}`, d('reversed'), [reversed], 'exact');
  }
  add('top.fullLike', d('transposed'), [transposed, { re: -1, im: 0.25 }], 'exact');
  add('top.asarray', d('from real'), [row], 'exact', { dtype });
  add('top.asarray', d('to complex128'), [stepped], 'exact', { dtype: 'complex128' });
  add('top.diag', d('of 2-D'), [reversed], 'exact');
  add('top.diag', d('of 1-D k=-1'), [weft.slice(z, [0]) as Any], 'exact', { k: -1 });

  // Views and joining.
  add('top.reshape', d('transposed'), [transposed, [2, 6]], 'exact');
  add('top.ravel', d('reversed'), [reversed], 'exact');
  add('top.transpose', d('axes'), [cube], 'exact', { axes: [1, 2, 0] });
  add('top.swapaxes', d('0 2'), [cube, 0, 2], 'exact');
  add('top.moveaxis', d('0 -1'), [cube, 0, -1], 'exact');
  add('top.expandDims', d('1'), [stepped, 1], 'exact');
  add('top.squeeze', d('axis 0'), [weft.expandDims(z, 0) as Any], 'exact', { axis: 0 });
  add('top.broadcastTo', d('2x3x4'), [z.shape[1] === 4 ? (weft.slice(z, [1]) as Any) : z, [2, 3, 4]], 'exact');
  add('top.flip', d('axis 1'), [stepped], 'exact', { axis: 1 });
  add('top.slice', d('steps'), [cube, [null, [null, null, -1], [1, 4, 2]]], 'exact');
  add('top.take', d('axis 1'), [transposed, [2, 0, 2]], 'exact', { axis: 1 });
  add('top.take', d('flat'), [reversed, [11, 0, 5]], 'exact');
  add('top.concatenate', d('with real'), [[z, weft.expandDims(row, 0) as Any]], 'exact');
  add('top.concatenate', d('with float64'), [[z, weft.expandDims(wideRow, 0) as Any]], 'exact');
  add('top.concatenate', d('axis null'), [[reversed, stepped]], 'exact', { axis: null });
  add('top.stack', d('axis 1'), [[z, reversed, transposed]], 'exact', { axis: 1 });
  add('top.hstack', d('mixed'), [[z, real([3, 2], 11, realDtype)]], 'exact');
  add('top.vstack', d('mixed'), [[row, z]], 'exact');
  add('top.split', d('2 on axis 1'), [stepped, 2], 'exact', { axis: 1 });
  add('top.split', d('at indices'), [reversed, [1, 2]], 'exact');

  // Arithmetic: pairs, broadcast real rows, weak scalars, views, specials, empty and 0-d.
  for (const fn of BINARY) {
    const tolerance = EXACT_BINARY.has(fn) ? 'exact' : close;
    add(`top.${fn}`, d('pairs'), [z, w], tolerance);
    add(`top.${fn}`, d('views'), [transposed, reversed], tolerance);
    add(`top.${fn}`, d('real row'), [stepped, row], tolerance);
    add(`top.${fn}`, d('float64 row first'), [wideRow, z], tolerance);
    add(`top.${fn}`, d('number'), [z, 1.5], tolerance);
    add(`top.${fn}`, d('complex scalar'), [{ re: 0.5, im: -1.25 }, reversed], tolerance);
    add(`top.${fn}`, d('real array, complex scalar'), [row, { re: -0.75, im: 2 }], tolerance);
    add(`top.${fn}`, d('empty'), [empty, 2], tolerance);
    add(`top.${fn}`, d('0-d'), [scalar, scalar], tolerance);
    if (fn !== 'power') add(`top.${fn}`, d('specials'), [special, weft.flip(special) as Any], tolerance);
  }
  for (const p of [0, 1, 2, 3, -1, -2, 7, 0.5, -1.5]) add('top.power', d(`exponent ${p}`), [z, p], close);
  add('top.power', d('zero base'), [array([{ re: 0, im: 0 }, { re: 0, im: 0 }, { re: 0, im: 0 }, { re: 0, im: 0 }], { dtype }), array([0, 2, -1, 0.5])], close);

  // Unary math.
  for (const fn of UNARY_CLOSE) {
    add(`top.${fn}`, d('contiguous'), [z], close);
    add(`top.${fn}`, d('stepped'), [stepped], close);
    add(`top.${fn}`, d('empty'), [empty], close);
    add(`top.${fn}`, d('0-d'), [scalar], close);
  }
  for (const fn of ['reciprocal', 'square']) {
    add(`top.${fn}`, d('reversed'), [reversed], close);
    add(`top.${fn}`, d('specials'), [special], close);
  }
  for (const fn of UNARY_EXACT) {
    add(`top.${fn}`, d('transposed'), [transposed], 'exact');
    add(`top.${fn}`, d('specials'), [special], 'exact');
  }
  add('top.angle', d('degrees'), [reversed], close, { deg: true });
  add('top.round', d('2 decimals'), [z], 'exact', { decimals: 2 });
  // C99's special values (numpy's glibc ones), signed zeros included.
  for (const fn of UNARY_CLOSE) add(`top.${fn}`, d('specials'), [specials(dtype, !single)], close);
  // Near |z| = 1, where log's real part is small.
  add('top.log', d('near the unit circle'), [array([{ re: 0.6, im: 0.8 }, { re: 1 + 1e-6, im: 1e-4 }, { re: 0, im: 1 - 1e-7 }], { dtype })], close);
  add('top.clip', d('complex bounds'), [z, { re: -0.5, im: 0 }, { re: 0.5, im: 1 }], 'exact');
  add('top.clip', d('real bounds'), [reversed, -1, 1], 'exact');
  // numpy has no complex loop: a TypeError from both.
  for (const fn of ['floor', 'ceil']) add(`top.${fn}`, d('refused'), [z], 'exact');
  for (const fn of ['mod', 'hypot', 'arctan2']) add(`top.${fn}`, d('refused'), [z, 2], 'exact');

  // Reductions.
  const sums = { ulps: 16 };
  for (const fn of ['sum', 'mean', 'prod']) {
    add(`top.${fn}`, d('all'), [z], sums);
    add(`top.${fn}`, d('axis 0'), [reversed], sums, { axis: 0 });
    add(`top.${fn}`, d('axes keepdims'), [cube], sums, { axis: [0, 2], keepdims: true });
    add(`top.${fn}`, d('empty'), [empty], sums, { axis: 0 });
  }
  for (const fn of ['variance', 'std']) {
    add(`top.${fn}`, d('all'), [z], sums);
    add(`top.${fn}`, d('axis 1 ddof 1'), [stepped], sums, { axis: 1, ddof: 1 });
  }
  for (const fn of ['min', 'max', 'argmin', 'argmax']) {
    add(`top.${fn}`, d('all'), [transposed], 'exact');
    add(`top.${fn}`, d('axis 1'), [reversed], 'exact', { axis: 1 });
    // Ties on the real part (the imaginary decides) and NaNs (the first wins).
    add(`top.${fn}`, d('ties and NaN'), [array([{ re: 1, im: 0 }, { re: 1, im: 2 }, { re: -1, im: 5 }, { re: 1, im: -3 }], { dtype })], 'exact');
    add(`top.${fn}`, d('NaN'), [array([{ re: 1, im: 0 }, { re: 2, im: NaN }, { re: NaN, im: 0 }, { re: 5, im: 5 }], { dtype })], 'exact');
  }
  for (const fn of ['cumsum', 'cumprod']) {
    add(`top.${fn}`, d('flat'), [transposed], sums);
    add(`top.${fn}`, d('axis 1'), [stepped], sums, { axis: 1 });
  }

  // Comparisons and logic.
  const half = weft.where(weft.less(real([3, 4], 12, 'float64'), 0), z, w) as Any;
  for (const fn of COMPARISONS) {
    add(`top.${fn}`, d('half equal'), [z, half], 'exact');
    add(`top.${fn}`, d('real row'), [z, row], 'exact');
    add(`top.${fn}`, d('complex scalar'), [reversed, { re: 0, im: 0.5 }], 'exact');
    add(`top.${fn}`, d('specials'), [special, weft.flip(special) as Any], 'exact');
  }
  add('top.isclose', d('near'), [z, weft.add(z, { re: 1e-6, im: -1e-6 }) as Any], 'exact');
  add('top.isclose', d('specials'), [special, weft.flip(special) as Any], 'exact');
  add('top.isclose', d('specials equalNan'), [special, special], 'exact', { equalNan: true });
  add('top.allclose', d('near'), [z, weft.add(z, { re: 1e-9, im: 0 }) as Any], 'exact');
  add('top.allclose', d('far'), [z, w], 'exact');
  for (const fn of ['isnan', 'isinf', 'isfinite', 'logicalNot']) add(`top.${fn}`, d('specials'), [special], 'exact');
  for (const fn of ['any', 'all']) {
    add(`top.${fn}`, d('specials'), [special], 'exact');
    add(`top.${fn}`, d('axis 1'), [weft.multiply(z, weft.less(real([3, 4], 13, 'float64'), 0)) as Any], 'exact', { axis: 1 });
  }
  add('top.where', d('complex and real'), [weft.less(real([3, 4], 14, 'float64'), 0), z, row], 'exact');
  add('top.where', d('complex condition'), [weft.multiply(reversed, weft.less(real([3, 4], 15, 'float64'), 0)), 1, { re: 0, im: 1 }], 'exact');
}

type Result = { out?: Record<string, Encoded>; error?: string };
let oracle: { numpy: string; results: Record<string, Result> };

beforeAll(() => {
  fetchOracle();
  const dir = mkdtempSync(join(tmpdir(), 'weft-complex-'));
  const input = join(dir, 'cases.json');
  const output = join(dir, 'results.json');
  const encoded = cases.map((c) => ({ id: c.id, fn: c.fn, args: c.args.map(encode), kwargs: Object.fromEntries(Object.entries(c.options ?? {}).map(([k, v]) => [k, encode(v)])) }));
  writeFileSync(input, JSON.stringify(encoded));
  const r = spawnSync(python, [join(root, 'test', 'oracle', 'complex_core.py'), input, output], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: oracleDir, PYTHONNOUSERSITE: '1' },
  });
  if (r.status !== 0) throw new Error(`the numpy oracle failed:\n${r.stderr}`);
  oracle = JSON.parse(readFileSync(output, 'utf8'));
}, 300_000);

/** weft's op of a case name ('top.add' → add). */
const op = (fn: string) => (weft as unknown as Record<string, (...args: unknown[]) => unknown>)[fn.slice(4)]!;

/** The call of a case: its options last (clip and the view functions take none). */
function call(c: Case, f: (...args: unknown[]) => unknown): unknown {
  return c.options === undefined ? f(...c.args) : f(...c.args, c.options);
}

/** A result as named arrays, with oracle.py's names. */
function named(result: unknown): Record<string, Any> {
  if (typeof result === 'boolean') return { out: array(result) as Any };
  if (Array.isArray(result)) return Object.fromEntries(result.map((piece, i) => [String(i), piece as Any]));
  return { out: result as Any };
}

/** numpy's dtype name as weft's: argmin/argmax give int64 in numpy, int32 in weft. */
const weftDtype = (numpy: string) => (numpy === 'int64' ? 'int32' : numpy);

/** The elementwise check: exact (NaN equals NaN, the sign of zero counts) or within the tolerance of |numpy's element|. */
function mismatch(c: Case, dtype: string, got: number[], want: number[]): string | undefined {
  if (got.length !== want.length) return `length ${got.length}, numpy ${want.length}`;
  const pairs = dtype.startsWith('complex');
  const eps = dtype === 'complex64' || dtype === 'float32' ? EPS.complex64 : EPS.complex128;
  const width = pairs ? 2 : 1;
  for (let i = 0; i < got.length; i += width) {
    const g = got.slice(i, i + width);
    const n = want.slice(i, i + width);
    const same = g.every((v, k) => Object.is(v, n[k]) || (Number.isNaN(v) && Number.isNaN(n[k])));
    if (same) continue;
    if (c.tolerance === 'exact') return `element ${i / width}: weft ${g.join(', ')}, numpy ${n.join(', ')}`;
    // Non-finite parts and signed zeros must match exactly; the other finite ones within k·eps·|numpy's value|.
    if (g.some((v, k) => !Number.isFinite(v) || !Number.isFinite(n[k]!) || (v === 0 && n[k] === 0))) {
      const ok = g.every(
        (v, k) => Object.is(v, n[k]) || (Number.isNaN(v) && Number.isNaN(n[k])) || (Number.isFinite(v) && Number.isFinite(n[k]!) && !(v === 0 && n[k] === 0)),
      );
      if (!ok) return `element ${i / width}: weft ${g.join(', ')}, numpy ${n.join(', ')}`;
    }
    const scale = Math.max(Math.hypot(...n.filter(Number.isFinite)), Number.MIN_VALUE);
    const error = Math.hypot(...g.map((v, k) => (Number.isFinite(v) && Number.isFinite(n[k]!) ? v - n[k]! : 0)));
    if (error > c.tolerance.ulps * eps * scale * (c.fn === 'top.sum' || c.fn === 'top.cumsum' || c.fn === 'top.mean' ? 12 : 1)) {
      return `element ${i / width}: weft ${g.join(', ')}, numpy ${n.join(', ')} (error ${(error / (eps * scale)).toFixed(1)} eps)`;
    }
  }
  return undefined;
}

describe('the array core on complex, against numpy', () => {
  it('is numpy 2.4.6', () => {
    expect(oracle.numpy).toBe('2.4.6');
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_, c) => {
    const expected = oracle.results[c.id]!;
    if (expected.error !== undefined) {
      // numpy has no loop for it: weft refuses by name, a TypeError, sync and async alike.
      expect(expected.error).toMatch(/^TypeError/);
      expect(() => call(c, op(c.fn))).toThrow(new RegExp(`^${c.fn.slice(4)}: .*complex(128|64), which ${c.fn.slice(4)} does not support`));
      await expect(call(c, op(`${c.fn}Async`)) as Promise<unknown>).rejects.toThrow(TypeError);
      return;
    }
    const got = named(call(c, op(c.fn)));
    const again = named(await (call(c, op(`${c.fn}Async`)) as Promise<unknown>));
    expect(Object.keys(got).sort()).toEqual(Object.keys(expected.out!).sort());
    for (const [name, want] of Object.entries(expected.out!)) {
      const result = got[name]!;
      expect(result.dtype, name).toBe(weftDtype(want.dtype));
      expect(result.shape, name).toEqual(want.shape);
      const values = flatValues(result);
      // Sync and async: the same bits.
      expect(flatValues(again[name]!)).toEqual(values);
      expect(mismatch(c, result.dtype, values, decode(want).values), name).toBeUndefined();
    }
  });
});

describe('complex results as views, and refusals numpy does not make', () => {
  const z = array([{ re: 1, im: 2 }, { re: 3, im: -4 }], { dtype: 'complex64' });

  it('real and imag are views into the complex array, as NDArray.real/imag', () => {
    const re = weft.real(z);
    const im = weft.imag(z);
    expect(re.data.buffer).toBe(z.data.buffer);
    expect([re.dtype, im.dtype]).toEqual(['float32', 'float32']);
    im.data[im.offset] = 7;
    expect(z.get(0)).toEqual({ re: 1, im: 7 });
    expect(weft.real([1, 2]).toArray()).toEqual([1, 2]);
    expect(weft.imag([1, 2]).toArray()).toEqual([0, 0]);
  });

  it('abs does not overflow where |z|² would (numpy npy_cabs)', () => {
    expect(weft.abs(array([{ re: 3e200, im: 4e200 }])).item()).toBeCloseTo(5e200, -190);
    expect(weft.abs(array([{ re: 3e-200, im: 4e-200 }])).item()).toBeCloseTo(5e-200, 210);
  });

  it('arcsin, arccos and arctan of complex are refused by name (numpy computes them; weft not yet)', () => {
    for (const f of [weft.arcsin, weft.arccos, weft.arctan]) expect(() => f(z as never)).toThrow(/does not support/);
  });

  it('out= takes a complex result in a complex out, and never in a real one', () => {
    const z = array([{ re: 1, im: 2 }, { re: 3, im: -4 }], { dtype: 'complex64' });
    const out = weft.zeros([2], { dtype: 'complex128' });
    expect(weft.add(z, { re: 1, im: 1 }, { out } as never)).toBe(out);
    expect(out.toArray()).toEqual([
      { re: 2, im: 3 },
      { re: 4, im: -3 },
    ]);
    expect(weft.sqrt([4, 9], { out } as never).toArray()).toEqual([
      { re: 2, im: 0 },
      { re: 3, im: 0 },
    ]);
    expect(() => weft.multiply(z, z, { out: weft.zeros([2]) } as never)).toThrow(/cannot write a complex64 result into options.out of dtype float64/);
    expect(() => weft.exp(z, { out: weft.zeros([2]) } as never)).toThrow(TypeError);
  });

  it('a complex fill into a real dtype is refused', () => {
    expect(() => weft.full([2], { re: 1, im: 1 } as never, { dtype: 'float64' })).toThrow(/complex fillValue needs a complex dtype/);
    expect(weft.full([2], { re: 1, im: 1 } as never).dtype).toBe('complex128');
  });

  it('large arrays take the same JS path, sync and async alike', async () => {
    const big = weft.reshape(weft.full([4000], { re: 0.5, im: -0.25 } as never, { dtype: 'complex128' }), [40, 100]) as Any;
    const e = weft.exp(big);
    expect(flatValues((await weft.expAsync(big)) as Any)).toEqual(flatValues(e as Any));
    expect((weft.sum(big) as Any).item()).toEqual({ re: 2000, im: -1000 });
  });
});
