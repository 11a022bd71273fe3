// Every case of the shared table (test/cases.ts), checked without numpy:
//  - mathematical identities (A·x ≈ b, A·inv(A) ≈ I, U·diag(S)·Vh ≈ A,
//    A·v ≈ λ·v, P·L·U ≈ A, ...) against a plain-JS float64 reference;
//  - the async twin returns exactly what the sync function returns;
//  - a stacked input gives, item by item, what each matrix alone gives;
//  - a strided view gives what its contiguous copy gives;
//  - the dtype of the input is the dtype of the result;
//  - an input that calls for a LinAlgError gets it, with its code.
import { describe, expect, it } from 'vitest';
import { LinAlgError, NDArray, array, linalg } from '../lib/index.js';
import type { AnyNDArray, FloatDType as DType, NestedNumbers } from '../lib/index.js';
import * as weft from '../lib/index.js';
import { LIMITS, code } from '../lib/internal/codes.js';
import { nativeCall } from '../lib/internal/dispatch.js';
import { registeredOps } from '../lib/internal/registry.js';
import { cases, eps, opOf, runCase, withOptions } from './cases.js';
import { rng } from './helpers.js';
import type { Case } from './cases.js';
import { col, cols, det, diff, eye, flatten, fro, matrices, maxAbs, mm, scaleCols, tr, vectors } from './reference.js';
import type { Mat } from './reference.js';

/** Runs a case's function, sync or async. */
const run = (c: Case, args: unknown[], async: boolean): unknown => runCase(c, { args, async });

/** Every NDArray in a result, by path, for exact comparisons. */
function arrays(result: unknown, path = 'result'): [string, NDArray][] {
  // A complex result (eig's) as its real and imaginary parts: real arrays of the case's dtype.
  if (result instanceof NDArray && (result.dtype === 'complex128' || result.dtype === 'complex64')) {
    return [[`${path}.re`, result.real as NDArray], [`${path}.im`, result.imag as NDArray]];
  }
  if (result instanceof NDArray) return [[path, result]];
  if (result && typeof result === 'object') {
    return Object.entries(result).flatMap(([k, v]) => arrays(v, `${path}.${k}`));
  }
  return [];
}

function expectSame(x: unknown, y: unknown, tolerance = 0): void {
  if (typeof x === 'number' || typeof x === 'boolean') {
    expect(y).toBe(x);
    return;
  }
  const xs = arrays(x);
  const ys = arrays(y);
  expect(ys.map(([p, a]) => [p, a.shape])).toEqual(xs.map(([p, a]) => [p, a.shape]));
  xs.forEach(([path, a], i) => {
    const fa = flatten(a);
    const fb = flatten(ys[i]![1]);
    if (tolerance === 0) {
      expect(fb, path).toEqual(fa);
    } else {
      const scale = Math.max(1, maxAbs(fa.filter(Number.isFinite))); // NaN or ∞ would make every ratio NaN
      fa.forEach((v, j) => {
        if (Number.isNaN(v)) expect(Number.isNaN(fb[j]!), path).toBe(true);
        else if (!Number.isFinite(v)) expect(fb[j], path).toBe(v); // ∞ − ∞ would be NaN
        else expect(Math.abs(v - fb[j]!) / scale, path).toBeLessThanOrEqual(tolerance);
      });
    }
  });
}

/** Relative size of an error against a scale, with a floor so 0/0 reads as 0. */
const rel = (error: number, scale: number): number => error / Math.max(scale, 1e-300);

// ---------------------------------------------------------------- identities

interface Check {
  c: Case;
  result: unknown;
  /** ~ n·eps of the case's dtype: the backward error a stable algorithm reaches. */
  tol: number;
}

const mats = (x: unknown): Mat[] => matrices(x as NDArray);
const vecs = (x: unknown): number[][] => vectors(x as NDArray);
const input = (c: Case): Mat[] => mats(c.args[0]);

function condition(a: Mat): number {
  if (a.length === 0 || a[0]!.length === 0) return 1;
  const s = linalg.svdvals(array(a)).toArray() as number[];
  return s.length === 0 || s[s.length - 1] === 0 ? Infinity : s[0]! / s[s.length - 1]!;
}

/** A creation result against the values it must hold, in its dtype (float32 rounds), its shape first. */
function holds(c: Case, result: unknown, shape: number[], value: (flat: number) => number, tol = 0): void {
  const r = result as NDArray;
  expect(r.shape).toEqual(shape);
  const round = (v: number) => (c.dtype === 'float32' ? Math.fround(v) : v);
  flatten(r).forEach((v, i) => expect(Math.abs(v - round(value(i))), `element ${i}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(value(i)))));
}

/** numpy's shape argument: one length or a list. */
const shapeOf = (x: unknown): number[] => (typeof x === 'number' ? [x] : (x as number[]));

const creation: Record<string, (check: Check) => void> = {
  'top.zeros': ({ c, result }) => holds(c, result, shapeOf(c.args[0]), () => 0),
  'top.ones': ({ c, result }) => holds(c, result, shapeOf(c.args[0]), () => 1),
  'top.full': ({ c, result }) => holds(c, result, shapeOf(c.args[0]), () => c.args[1] as number),
  'top.eye'({ c, result }) {
    const n = c.args[0] as number;
    const m = (c.options?.m as number | undefined) ?? n;
    const k = (c.options?.k as number | undefined) ?? 0;
    holds(c, result, [n, m], (i) => (i % m) - Math.floor(i / m) === k ? 1 : 0);
  },
  'top.identity'({ c, result }) {
    const n = c.args[0] as number;
    holds(c, result, [n, n], (i) => (i % n === Math.floor(i / n) ? 1 : 0));
  },
  'top.arange'({ c, result, tol }) {
    const [start, stop, step] = c.args.length === 1 ? [0, c.args[0] as number, 1] : [c.args[0] as number, c.args[1] as number, (c.args[2] as number | undefined) ?? 1];
    holds(c, result, [Math.max(0, Math.ceil((stop - start) / step))], (i) => start + i * step, tol);
  },
  'top.linspace'({ c, result, tol }) {
    const [start, stop] = c.args as [number, number];
    const num = (c.options?.num as number | undefined) ?? 50;
    const endpoint = (c.options?.endpoint as boolean | undefined) ?? true;
    const div = endpoint ? num - 1 : num;
    holds(c, result, [num], (i) => (div > 0 ? (endpoint && i === num - 1 ? stop : start + (i * (stop - start)) / div) : start), tol);
  },
  'top.diag'({ c, result }) {
    const v = c.args[0] as NDArray;
    const k = (c.options?.k as number | undefined) ?? 0;
    if (v.shape.length === 1) {
      const size = v.shape[0]! + Math.abs(k);
      const values = flatten(v);
      holds(c, result, [size, size], (i) => {
        const [row, col] = [Math.floor(i / size), i % size];
        return col - row === k ? values[row - Math.max(0, -k)]! : 0;
      });
    } else {
      const A = mats(v)[0]!;
      const d = A.flatMap((row, i) => row.filter((_, j) => j - i === k));
      holds(c, result, [d.length], (i) => d[i]!);
    }
  },
  'top.asarray': ({ c, result }) => holds(c, result, (c.args[0] as NDArray).shape.slice(), (i) => flatten(c.args[0] as NDArray)[i]!),
  'top.copy'({ c, result }) {
    holds(c, result, (c.args[0] as NDArray).shape.slice(), (i) => flatten(c.args[0] as NDArray)[i]!);
    expect((result as NDArray).data).not.toBe((c.args[0] as NDArray).data);
  },
  'top.zerosLike': ({ c, result }) => holds(c, result, (c.args[0] as NDArray).shape.slice(), () => 0),
  'top.onesLike': ({ c, result }) => holds(c, result, (c.args[0] as NDArray).shape.slice(), () => 1),
  'top.fullLike': ({ c, result }) => holds(c, result, (c.args[0] as NDArray).shape.slice(), () => c.args[1] as number),
};

/** Every element of a view against the input element it must read: `source` maps a result index to an input index. */
function reads(c: Case, result: unknown, shape: number[], source: (index: number[]) => number[]): void {
  const [a, r] = [c.args[0] as NDArray, result as NDArray];
  expect(r.shape).toEqual(shape);
  const size = shape.reduce((p, d) => p * d, 1);
  for (let k = 0; k < size; k++) {
    const index: number[] = [];
    for (let d = shape.length - 1, rest = k; d >= 0; d--, rest = Math.floor(rest / shape[d + 1]!)) index[d] = rest % shape[d]!;
    expect(r.get(...index), `[${index.join(', ')}]`).toBe(a.get(...source(index)));
  }
}

const norm = (axis: number, nd: number) => (axis < 0 ? axis + nd : axis);
const list = (x: unknown): number[] => (Array.isArray(x) ? x : [x as number]);

const views: Record<string, (check: Check) => void> = {
  // Row-major order is kept: the same elements in the same order, in the new shape.
  'top.reshape'({ c, result }) {
    const [a, r, want] = [c.args[0] as NDArray, result as NDArray, c.args[1] as number[]];
    expect(r.shape).toEqual(want.map((d) => (d === -1 ? a.size / -want.reduce((p, x) => p * x, 1) : d)));
    expect(flatten(r)).toEqual(flatten(a));
  },
  'top.ravel'({ c, result }) {
    expect((result as NDArray).shape).toEqual([(c.args[0] as NDArray).size]);
    expect(flatten(result as NDArray)).toEqual(flatten(c.args[0] as NDArray));
  },
  'top.transpose'({ c, result }) {
    const a = c.args[0] as NDArray;
    const nd = a.ndim;
    const axes = ((c.options?.axes as number[] | undefined) ?? Array.from({ length: nd }, (_, i) => nd - 1 - i)).map((x) => norm(x, nd));
    reads(c, result, axes.map((x) => a.shape[x]!), (index) => axes.reduce((src, x, i) => ((src[x] = index[i]!), src), new Array<number>(nd)));
  },
  'top.swapaxes'({ c, result }) {
    const a = c.args[0] as NDArray;
    const [i, j] = [norm(c.args[1] as number, a.ndim), norm(c.args[2] as number, a.ndim)];
    const swap = (x: number) => (x === i ? j : x === j ? i : x);
    reads(c, result, a.shape.map((_, x) => a.shape[swap(x)]!), (index) => index.map((_, x) => index[swap(x)]!));
  },
  'top.moveaxis'({ c, result }) {
    const a = c.args[0] as NDArray;
    const from = list(c.args[1]).map((x) => norm(x, a.ndim));
    const to = list(c.args[2]).map((x) => norm(x, a.ndim));
    const order = new Array<number>(a.ndim).fill(-1);
    from.forEach((f, k) => (order[to[k]!] = f));
    const rest = a.shape.map((_, x) => x).filter((x) => !from.includes(x));
    for (let x = 0; x < a.ndim; x++) if (order[x] === -1) order[x] = rest.shift()!;
    reads(c, result, order.map((x) => a.shape[x]!), (index) => order.reduce((src, x, k) => ((src[x] = index[k]!), src), new Array<number>(a.ndim)));
  },
  'top.expandDims'({ c, result }) {
    const a = c.args[0] as NDArray;
    const nd = a.ndim + list(c.args[1]).length;
    const at = new Set(list(c.args[1]).map((x) => norm(x, nd)));
    const shape: number[] = [];
    for (let x = 0, k = 0; x < nd; x++) shape.push(at.has(x) ? 1 : a.shape[k++]!);
    reads(c, result, shape, (index) => index.filter((_, x) => !at.has(x)));
  },
  'top.squeeze'({ c, result }) {
    const a = c.args[0] as NDArray;
    const axis = c.options?.axis;
    const drop = new Set(axis === undefined ? a.shape.flatMap((d, x) => (d === 1 ? [x] : [])) : list(axis).map((x) => norm(x, a.ndim)));
    reads(c, result, a.shape.filter((_, x) => !drop.has(x)), (index) => {
      const src: number[] = [];
      for (let x = 0, k = 0; x < a.ndim; x++) src.push(drop.has(x) ? 0 : index[k++]!);
      return src;
    });
  },
  'top.broadcastTo'({ c, result }) {
    const a = c.args[0] as NDArray;
    const shape = c.args[1] as number[];
    const skip = shape.length - a.ndim;
    reads(c, result, shape, (index) => a.shape.map((d, x) => (d === 1 ? 0 : index[x + skip]!)));
  },
  'top.flip'({ c, result }) {
    const a = c.args[0] as NDArray;
    const axis = c.options?.axis;
    const flipped = new Set(axis === undefined ? a.shape.map((_, x) => x) : list(axis).map((x) => norm(x, a.ndim)));
    reads(c, result, a.shape.slice(), (index) => index.map((i, x) => (flipped.has(x) ? a.shape[x]! - 1 - i : i)));
  },
};

/** Python's range for one axis of length n indexed by an integer, null or [start, stop, step] (its own plain loop). */
function picked(n: number, spec: unknown): number[] | number {
  if (typeof spec === 'number') return spec < 0 ? spec + n : spec;
  if (spec === null || spec === undefined) return Array.from({ length: n }, (_, i) => i);
  const [start, stop, step = 1] = (spec as (number | null)[]).map((x) => x ?? undefined);
  const out: number[] = [];
  const norm = (x: number) => (x < 0 ? x + n : x);
  if (step! > 0) for (let i = Math.max(0, start === undefined ? 0 : norm(start)); i < Math.min(n, stop === undefined ? n : norm(stop)); i += step!) out.push(i);
  else for (let i = Math.min(n - 1, start === undefined ? n - 1 : norm(start)); i > Math.max(-1, stop === undefined ? -1 : norm(stop)); i += step!) out.push(i);
  return out;
}

/** numpy's concatenate on nested JS arrays, along `axis`. */
function concatNested(parts: NestedNumbers[], axis: number): NestedNumbers {
  if (axis === 0) return parts.flatMap((p) => p as NestedNumbers[]);
  return (parts[0] as NestedNumbers[]).map((_, i) => concatNested(parts.map((p) => (p as NestedNumbers[])[i]!), axis - 1));
}

const toNested = (x: unknown): NestedNumbers => (x instanceof NDArray ? (x.toArray() as NestedNumbers) : (x as NestedNumbers));
const wrapIn = (x: NestedNumbers, depth: number): NestedNumbers => (depth <= 0 ? x : [wrapIn(x, depth - 1)]);
const rankOf = (x: NestedNumbers): number => (Array.isArray(x) ? 1 + rankOf(x[0] ?? 0) : 0);

/** The nested elements of `a` that per-axis selections pick: an index drops the axis, a list keeps it. */
function gather(a: NDArray, sel: (number | number[])[], d = 0, index: number[] = []): NestedNumbers {
  if (d === sel.length) return a.get(...index);
  const s = sel[d]!;
  return typeof s === 'number' ? gather(a, sel, d + 1, [...index, s]) : s.map((i) => gather(a, sel, d + 1, [...index, i]));
}

const joins: Record<string, (check: Check) => void> = {
  'top.slice'({ c, result }) {
    const a = c.args[0] as NDArray;
    const sel = a.shape.map((n, d) => picked(n, (c.args[1] as unknown[])[d]));
    expect((result as NDArray).toArray()).toEqual(gather(a, sel));
  },
  'top.take'({ c, result }) {
    const a = c.args[0] as NDArray;
    const axis = c.options?.axis as number | undefined;
    const idx = c.args[1] as number | number[];
    if (axis === undefined) {
      const flat = flatten(a);
      const at = (i: number) => flat[i < 0 ? i + flat.length : i]!;
      expect((result as NDArray).toArray()).toEqual(typeof idx === 'number' ? at(idx) : idx.map(at));
      return;
    }
    const sel = a.shape.map((n, d) => (d === axis ? (typeof idx === 'number' ? picked(n, idx) : idx.map((i) => picked(n, i) as number)) : picked(n, null)));
    expect((result as NDArray).toArray()).toEqual(gather(a, sel));
  },
  'top.concatenate'({ c, result }) {
    const parts = (c.args[0] as unknown[]).map(toNested);
    const axis = c.options?.axis;
    const want = axis === null ? parts.flatMap((p) => flatten(array(p))) : concatNested(parts, (axis as number | undefined) ?? 0);
    expect((result as NDArray).toArray()).toEqual(want);
  },
  'top.stack'({ c, result }) {
    const axis = (c.options?.axis as number | undefined) ?? 0;
    const parts = (c.args[0] as unknown[]).map((p) => array(toNested(p)));
    // Insert the new axis, then concatenate along it.
    const expanded = parts.map((p) => {
      const shape = [...p.shape.slice(0, axis), 1, ...p.shape.slice(axis)];
      return new NDArray(p.data, shape).toArray();
    });
    expect((result as NDArray).toArray()).toEqual(concatNested(expanded, axis));
  },
  'top.hstack'({ c, result }) {
    const parts = (c.args[0] as unknown[]).map(toNested);
    expect((result as NDArray).toArray()).toEqual(concatNested(parts, rankOf(parts[0]!) === 1 ? 0 : 1));
  },
  'top.vstack'({ c, result }) {
    const parts = (c.args[0] as unknown[]).map(toNested).map((p) => wrapIn(p, 2 - rankOf(p)));
    expect((result as NDArray).toArray()).toEqual(concatNested(parts, 0));
  },
  'top.split'({ c, result }) {
    const a = c.args[0] as NDArray;
    const axis = (c.options?.axis as number | undefined) ?? 0;
    const s = c.args[1] as number | number[];
    const n = a.shape[axis]!;
    const cuts = typeof s === 'number' ? Array.from({ length: s - 1 }, (_, i) => ((i + 1) * n) / s) : s;
    const edges = [0, ...cuts, n];
    const pieces = result as NDArray[];
    expect(pieces.length).toBe(edges.length - 1);
    pieces.forEach((p, i) => {
      expect(p.data).toBe(a.data); // views of a
      const sel = a.shape.map((m, d) => (d === axis ? (picked(m, [edges[i]!, edges[i + 1]!]) as number[]) : (picked(m, null) as number[])));
      expect(p.toArray()).toEqual(gather(a, sel));
    });
  },
};

/** The scalar each binary op computes, written out again for the identities (numpy's definitions). */
const SCALAR: Record<string, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  subtract: (x, y) => x - y,
  multiply: (x, y) => x * y,
  divide: (x, y) => x / y,
  power: (x, y) => Math.pow(x, y),
  maximum: (x, y) => Math.max(x, y),
  minimum: (x, y) => Math.min(x, y),
  mod: (x, y) => x - Math.floor(x / y) * y,
  hypot: (x, y) => Math.sqrt(x * x + y * y),
  arctan2: (x, y) => Math.atan2(x, y),
};

/** Every element of a binary op's result against its scalar on the broadcast inputs (nested arrays, plain loops). */
function binaryIdentity(op: string): (check: Check) => void {
  return ({ c, result, tol }) => {
    const [x, y] = c.args.map((v) => (typeof v === 'number' ? v : (v as NDArray).toArray()));
    const r = result as NDArray;
    const depth = (v: unknown): number => (Array.isArray(v) ? 1 + depth(v[0]) : 0);
    const at = (v: unknown, index: number[]): number => {
      let node = v;
      for (const i of index.slice(index.length - depth(v))) node = (node as unknown[])[(node as unknown[]).length === 1 ? 0 : i];
      return node as number;
    };
    const size = r.size;
    for (let k = 0; k < size; k++) {
      const index: number[] = [];
      for (let d = r.ndim - 1, rest = k; d >= 0; d--, rest = Math.floor(rest / r.shape[d + 1]!)) index[d] = rest % r.shape[d]!;
      const want = SCALAR[op]!(at(x, index), at(y, index));
      const got = r.get(...index);
      if (Number.isNaN(want)) {
        expect(got, `${op} at [${index.join(', ')}]`).toBeNaN();
        continue;
      }
      const scale = Math.max(1, Math.abs(want));
      expect(Math.abs(got - want), `${op} at [${index.join(', ')}]`).toBeLessThanOrEqual(10 * tol * scale);
    }
  };
}

// ---- comparisons and logic: every element from its definition, on the broadcast inputs read one by one

/** The index of result element k (row-major) in `shape`. */
const indexOf = (k: number, shape: readonly number[]): number[] => {
  const index: number[] = [];
  for (let d = shape.length - 1, rest = k; d >= 0; d--, rest = Math.floor(rest / shape[d + 1]!)) index[d] = rest % shape[d]!;
  return index;
};

/** The value of operand `x` (an array, number or boolean) at broadcast index `index`: numpy's rule read backwards. */
const valueAt = (x: unknown, index: readonly number[]): number => {
  if (typeof x === 'number') return x;
  if (typeof x === 'boolean') return x ? 1 : 0;
  const a = x as NDArray;
  const own = index.slice(index.length - a.ndim).map((i, d) => (a.shape[d] === 1 ? 0 : i));
  return Number(a.get(...own));
};

/** Whether the operands compute in float32 (numpy 2: every array float32; numbers weak), and so weak scalars round to it. */
const inFloat32 = (args: readonly unknown[]): boolean => {
  const arrays = args.filter((x) => x instanceof NDArray) as NDArray[];
  return arrays.length > 0 && arrays.every((x) => x.dtype === 'float32');
};

/** Each result element against `want(values at its index)`, exactly (bool results compare as 0/1). */
function elementwiseIdentity(operands: (c: Case) => unknown[], want: (values: number[], c: Case) => number): (check: Check) => void {
  return ({ c, result }) => {
    const args = operands(c);
    const r = result as NDArray;
    const round = inFloat32(args) ? Math.fround : (v: number) => v;
    const values = flatten(r);
    for (let k = 0; k < r.size; k++) {
      const index = indexOf(k, r.shape);
      const got = values[k]!;
      const expected = want(args.map((x) => (typeof x === 'number' ? round(x) : valueAt(x, index))), c);
      if (Number.isNaN(expected)) expect(got, `${c.fn} at [${index.join(', ')}]`).toBeNaN();
      else expect(got, `${c.fn} at [${index.join(', ')}]`).toBe(expected);
    }
  };
}

const COMPARE: Record<string, (x: number, y: number) => boolean> = {
  equal: (x, y) => x === y,
  notEqual: (x, y) => !(x === y),
  less: (x, y) => x < y,
  lessEqual: (x, y) => x <= y,
  greater: (x, y) => x > y,
  greaterEqual: (x, y) => x >= y,
};

/** numpy's isclose, written from its source: (|x−y| ≤ atol + rtol·|y|) & isfinite(y) | (x == y), | both NaN when equal_nan. */
function closeAt(x: number, y: number, c: Case, round: (v: number) => number): boolean {
  const { rtol = 1e-5, atol = 1e-8, equalNan = false } = (c.options ?? {}) as { rtol?: number; atol?: number; equalNan?: boolean };
  const within = round(Math.abs(round(x - y))) <= round(round(atol) + round(round(rtol) * Math.abs(y)));
  return (within && Number.isFinite(y)) || x === y || (equalNan && Number.isNaN(x) && Number.isNaN(y));
}

const truthy = (v: number): boolean => v !== 0;
const firstTwo = (c: Case) => c.args.slice(0, 2);
const firstOne = (c: Case) => c.args.slice(0, 1);
const asBit = (b: boolean) => (b ? 1 : 0);

/** any/all: each result element against the OR/AND of its input elements, walked index by index. */
function truthReductionIdentity(isAny: boolean): (check: Check) => void {
  return ({ c, result }) => {
    const a = c.args[0] as NDArray;
    const r = result as NDArray;
    const { axis = null, keepdims = false } = (c.options ?? {}) as { axis?: number | number[] | null; keepdims?: boolean };
    const axes = (axis === null ? a.shape.map((_, i) => i) : Array.isArray(axis) ? axis : [axis]).map((d) => (d < 0 ? d + a.ndim : d));
    const outShape = keepdims ? a.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : a.shape.filter((_, i) => !axes.includes(i));
    expect(r.shape).toEqual(outShape);
    const expected = new Array<number>(r.size).fill(isAny ? 0 : 1);
    const values = flatten(a);
    for (let k = 0; k < a.size; k++) {
      const index = indexOf(k, a.shape);
      const kept = keepdims ? index.map((i, d) => (axes.includes(d) ? 0 : i)) : index.filter((_, d) => !axes.includes(d));
      const o = kept.reduce((p, i, d) => p * outShape[d]! + i, 0);
      if (truthy(values[k]!) === isAny) expected[o] = isAny ? 1 : 0;
    }
    expect(flatten(r)).toEqual(expected);
  };
}

const logic: Record<string, (check: Check) => void> = {
  ...Object.fromEntries(Object.entries(COMPARE).map(([op, f]) => [`top.${op}`, elementwiseIdentity(firstTwo, ([x, y]) => asBit(f(x!, y!)))])),
  'top.isclose': elementwiseIdentity(firstTwo, ([x, y], c) => asBit(closeAt(x!, y!, c, inFloat32(c.args) ? Math.fround : (v) => v))),
  'top.allclose': ({ c, result }) => {
    const each = runCase({ ...c, fn: 'top.isclose' }) as NDArray;
    expect(result).toBe(flatten(each).every((v) => v === 1));
  },
  'top.logicalAnd': elementwiseIdentity(firstTwo, ([x, y]) => asBit(truthy(x!) && truthy(y!))),
  'top.logicalOr': elementwiseIdentity(firstTwo, ([x, y]) => asBit(truthy(x!) || truthy(y!))),
  'top.logicalNot': elementwiseIdentity(firstOne, ([x]) => asBit(!truthy(x!))),
  'top.isnan': elementwiseIdentity(firstOne, ([x]) => asBit(Number.isNaN(x))),
  'top.isfinite': elementwiseIdentity(firstOne, ([x]) => asBit(Number.isFinite(x))),
  'top.isinf': elementwiseIdentity(firstOne, ([x]) => asBit(Math.abs(x!) === Infinity)),
  'top.any': truthReductionIdentity(true),
  'top.all': truthReductionIdentity(false),
  'top.where': elementwiseIdentity(
    (c) => c.args,
    ([cond, x, y], c) => {
      const chosen = truthy(cond!) ? x! : y!;
      return c.resultDtype === 'float32' ? Math.fround(chosen) : chosen;
    },
  ),
};

/** Each reduction again, on the plain list of one output's values, in the order numpy visits them (written out for the identities). */
const REDUCE: Record<string, (xs: number[]) => number> = {
  sum: (xs) => xs.reduce((s, x) => s + x, 0),
  prod: (xs) => xs.reduce((s, x) => s * x, 1),
  mean: (xs) => xs.reduce((s, x) => s + x, 0) / xs.length,
  min: (xs) => (xs.some(Number.isNaN) ? Number.NaN : Math.min(...xs)),
  max: (xs) => (xs.some(Number.isNaN) ? Number.NaN : Math.max(...xs)),
  argmin: (xs) => (xs.some(Number.isNaN) ? xs.findIndex(Number.isNaN) : xs.indexOf(Math.min(...xs))),
  argmax: (xs) => (xs.some(Number.isNaN) ? xs.findIndex(Number.isNaN) : xs.indexOf(Math.max(...xs))),
};
const variance = (xs: number[], ddof: number): number => {
  const mu = REDUCE.mean!(xs);
  return xs.reduce((s, x) => s + (x - mu) ** 2, 0) / Math.max(xs.length - ddof, 0);
};
REDUCE.variance = (xs) => variance(xs, 0);

/**
 * A reduction against the scalar definitions: the input's elements grouped
 * by the index of the output they belong to (every index of the input
 * unravelled by plain arithmetic), each group reduced with plain loops.
 */
function reductionIdentity(op: string): (check: Check) => void {
  return ({ c, result, tol }) => {
    const a = c.args[0] as NDArray;
    const r = result as NDArray;
    const nd = a.ndim;
    const options = c.options ?? {};
    const axis = options.axis as number | number[] | undefined;
    const cumulative = op.startsWith('cum');
    const axes = axis === undefined ? a.shape.map((_, i) => i) : (Array.isArray(axis) ? axis : [axis]).map((d) => (d < 0 ? d + nd : d));
    const values = flatten(a);
    const groups = new Map<number, number[]>();
    const runs: number[] = [];
    values.forEach((x, k) => {
      let key = 0;
      for (let d = nd - 1, rest = k, scale = 1; d >= 0; rest = Math.floor(rest / a.shape[d]!), d--) {
        if (axes.includes(d)) continue;
        key += (rest % a.shape[d]!) * scale;
        scale *= a.shape[d]!;
      }
      const group = groups.get(key) ?? [];
      group.push(x);
      groups.set(key, group);
      if (cumulative) runs.push(op === 'cumsum' ? REDUCE.sum!(group) : REDUCE.prod!(group));
    });
    const got = flatten(r);
    if (cumulative) {
      expect(r.shape).toEqual(axis === undefined ? [a.size] : a.shape);
      runs.forEach((want, k) => close(got[k]!, want, Math.max(1, ...values.map(Math.abs)) ** (op === 'cumprod' ? a.size : 1), `${op}[${k}]`));
      return;
    }
    const keep = options.keepdims === true;
    expect(r.shape).toEqual(keep ? a.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : a.shape.filter((_, i) => !axes.includes(i)));
    const ddof = (options.ddof as number | undefined) ?? 0;
    got.forEach((value, key) => {
      const xs = groups.get(key) ?? [];
      const want = op === 'std' ? Math.sqrt(variance(xs, ddof)) : op === 'variance' ? variance(xs, ddof) : REDUCE[op]!(xs);
      const magnitude = Math.max(1, ...xs.map(Math.abs));
      close(value, want, op === 'sum' ? magnitude * xs.length : op === 'variance' ? magnitude ** 2 : op === 'prod' ? magnitude ** xs.length : magnitude, `${op}[${key}]`);
    });
    function close(value: number, want: number, scale: number, where: string): void {
      if (Number.isNaN(want)) expect(value, where).toBeNaN();
      else if (!Number.isFinite(want)) expect(value, where).toBe(want);
      else expect(Math.abs(value - want), where).toBeLessThanOrEqual(10 * tol * scale);
    }
  };
}

/** The scalar each unary op computes, from JS's Math (numpy's definitions); `exact`: no rounding to allow for. */
const UNARY: Record<string, { f: (x: number) => number; exact?: boolean }> = {
  negative: { f: (x) => -x, exact: true },
  abs: { f: Math.abs, exact: true },
  sign: { f: (x) => (Number.isNaN(x) ? x : x > 0 ? 1 : x < 0 ? -1 : 0), exact: true },
  sqrt: { f: Math.sqrt },
  square: { f: (x) => x * x },
  reciprocal: { f: (x) => 1 / x },
  exp: { f: Math.exp },
  expm1: { f: Math.expm1 },
  exp2: { f: (x) => 2 ** x },
  log: { f: Math.log },
  log1p: { f: Math.log1p },
  log2: { f: Math.log2 },
  log10: { f: Math.log10 },
  sin: { f: Math.sin },
  cos: { f: Math.cos },
  tan: { f: Math.tan },
  arcsin: { f: Math.asin },
  arccos: { f: Math.acos },
  arctan: { f: Math.atan },
  sinh: { f: Math.sinh },
  cosh: { f: Math.cosh },
  tanh: { f: Math.tanh },
  floor: { f: Math.floor, exact: true },
  ceil: { f: Math.ceil, exact: true },
};

/** numpy's round(x, decimals): x·10^d (or x ÷ 10^−d) in the dtype, to the nearest integer (ties to even), scaled back. */
function roundRef(x: number, decimals: number, fit: (v: number) => number): number {
  const f = fit(10 ** Math.abs(decimals));
  const y = fit(decimals >= 0 ? x * f : x / f);
  const down = Math.floor(y);
  const r = y - down < 0.5 ? down : y - down > 0.5 ? down + 1 : down % 2 === 0 ? down : down + 1;
  const signed = r === 0 ? (y < 0 || Object.is(y, -0) ? -0 : 0) : r;
  return fit(decimals >= 0 ? signed / f : signed * f);
}

/**
 * Every element of a unary op's result against JS's Math on its input: equal
 * for the exact ops (sign of zero included), within 8 ulp of the dtype for
 * the others (JS's Math is no correctly rounded reference either; test/26
 * measures weft against numpy in ulp), NaN where Math gives NaN.
 */
function unaryIdentity(op: string): (check: Check) => void {
  return ({ c, result }) => {
    const x = c.args[0];
    const input = typeof x === 'number' ? [x] : flatten(x as NDArray);
    const got = flatten(result as NDArray);
    expect(got.length).toBe(input.length);
    const decimals = (c.options?.decimals as number | undefined) ?? 0;
    const fit = c.dtype === 'float32' && typeof x !== 'number' ? Math.fround : (v: number) => v;
    const f = op === 'round' ? (v: number) => roundRef(v, decimals, fit) : UNARY[op]!.f;
    const exact = op === 'round' || UNARY[op]!.exact === true;
    const e = eps(c.dtype);
    input.forEach((v, i) => {
      const want = fit(f(v));
      const at = `${op}(${v}) at ${i}`;
      if (Number.isNaN(want)) expect(got[i], at).toBeNaN();
      else if (exact || !Number.isFinite(want)) expect(Object.is(got[i], want) || (!exact && got[i] === want), at).toBe(true);
      else expect(Math.abs(got[i]! - want), at).toBeLessThanOrEqual(8 * e * Math.max(Math.abs(want), c.dtype === 'float32' ? 1.2e-38 : 2.3e-308));
    });
  };
}

/** clip by its definition, minimum(aMax, maximum(a, aMin)) with NaN propagating, element by element (nested arrays, plain loops). */
function clipIdentity({ c, result }: Check): void {
  const [a, low, high] = c.args.map((v) => (v === null ? null : typeof v === 'number' ? v : (v as NDArray).toArray()));
  const r = result as NDArray;
  const fit = c.dtype === 'float32' ? Math.fround : (v: number) => v;
  const at = (v: unknown, index: number[], none: number): number => {
    if (v === null) return none;
    if (typeof v === 'number') return fit(v);
    let node: unknown = v;
    const depth = (u: unknown): number => (Array.isArray(u) ? 1 + depth(u[0]) : 0);
    for (const i of index.slice(index.length - depth(v))) node = (node as unknown[])[(node as unknown[]).length === 1 ? 0 : i];
    return node as number;
  };
  const nanMax = (x: number, y: number) => (Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : Math.max(x, y));
  const nanMin = (x: number, y: number) => (Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : Math.min(x, y));
  for (let k = 0; k < r.size; k++) {
    const index: number[] = [];
    for (let d = r.ndim - 1, rest = k; d >= 0; d--, rest = Math.floor(rest / r.shape[d + 1]!)) index[d] = rest % r.shape[d]!;
    const want = nanMin(at(high, index, Infinity), nanMax(at(a, index, 0), at(low, index, -Infinity)));
    const got = r.get(...index);
    if (Number.isNaN(want)) expect(got, `clip at [${index.join(', ')}]`).toBeNaN();
    else expect(got, `clip at [${index.join(', ')}]`).toBe(want);
  }
}

const identities: Record<string, (check: Check) => void> = {
  ...Object.fromEntries(['sum', 'prod', 'mean', 'variance', 'std', 'min', 'max', 'argmin', 'argmax', 'cumsum', 'cumprod'].map((op) => [`top.${op}`, reductionIdentity(op)])),
  ...Object.fromEntries(Object.keys(SCALAR).map((op) => [`top.${op}`, binaryIdentity(op)])),
  ...logic,
  ...Object.fromEntries([...Object.keys(UNARY), 'round'].map((op) => [`top.${op}`, unaryIdentity(op)])),
  'top.clip': clipIdentity,
  ...creation,
  ...views,
  ...joins,
  qr({ c, result, tol }) {
    const mode = (c.options?.mode as string) ?? 'reduced';
    const r = result as Record<string, NDArray>;
    if (mode === 'raw' || mode === 'r') {
      const reduced = linalg.qr(c.args[0] as NDArray);
      if (mode === 'r') expectSame(reduced.R, r.R);
      else
        matrices(reduced.R).forEach((R, i) =>
          R.forEach((row, p) => row.forEach((v, q) => q >= p && expect(mats(r.h)[i]![q]![p]).toBe(v))),
        );
      return;
    }
    input(c).forEach((A, i) => {
      const Q = mats(r.Q)[i]!;
      const R = mats(r.R)[i]!;
      expect(rel(diff(mm(Q, R), A), fro(A))).toBeLessThanOrEqual(tol);
      expect(diff(mm(tr(Q, Q[0]?.length), Q), eye(Q[0]?.length ?? 0))).toBeLessThanOrEqual(tol);
      R.forEach((row, p) => row.forEach((v, q) => q < p && expect(v).toBe(0)));
    });
  },
  svd({ c, result, tol }) {
    const r = result as Record<string, NDArray>;
    const S = vecs(r.S);
    S.forEach((s) => s.forEach((v, i) => expect(v >= 0 && (i === 0 || v <= s[i - 1]!)).toBe(true)));
    if (!r.U) {
      expectSame(linalg.svd(c.args[0] as NDArray).S, r.S, tol);
      return;
    }
    input(c).forEach((A, i) => {
      const k = S[i]!.length;
      const U = mats(r.U)[i]!;
      const Vh = mats(r.Vh)[i]!;
      expect(rel(diff(mm(scaleCols(cols(U, k), S[i]!), Vh.slice(0, k)), A), fro(A))).toBeLessThanOrEqual(tol);
      expect(diff(mm(tr(U), U), eye(U[0]?.length ?? 0))).toBeLessThanOrEqual(tol);
      expect(diff(mm(Vh, tr(Vh)), eye(Vh.length))).toBeLessThanOrEqual(tol);
    });
  },
  svdvals({ c, result, tol }) {
    expectSame(linalg.svd(c.args[0] as NDArray, { computeUV: false }).S, result, tol);
  },
  pinv({ c, result, tol }) {
    input(c).forEach((A, i) => {
      const P = mats(result)[i]!;
      const k = Math.min(condition(A), 1e8);
      expect(rel(diff(mm(mm(A, P), A), A), fro(A))).toBeLessThanOrEqual(tol * k);
      expect(rel(diff(mm(mm(P, A), P), P), fro(P))).toBeLessThanOrEqual(tol * k);
    });
  },
  matrixRank({ c, result }) {
    const known: Record<string, number> = { singular4: 3, rank3of8x5: 3 };
    const name = c.id.split('/')[2]!;
    input(c).forEach((A, i) => {
      const rank = (result as NDArray).data[i]!;
      expect(Number.isInteger(rank) && rank >= 0 && rank <= Math.min(A.length, A[0]?.length ?? 0)).toBe(true);
      if (name in known) expect(rank).toBe(known[name]);
      else if (!c.tags.has('ill-conditioned')) expect(rank).toBe(Math.min(A.length, A[0]?.length ?? 0));
    });
  },
  norm({ c, result, tol }) {
    const { ord, axis, keepdims } = (c.options ?? {}) as { ord?: number | string; axis?: number | number[]; keepdims?: boolean };
    const x = c.args[0] as NDArray;
    const values = flatten(result as NDArray);
    if (axis === undefined && ord === undefined) {
      expect(rel(Math.abs(values[0]! - Math.hypot(...flatten(x))), Math.hypot(...flatten(x)))).toBeLessThanOrEqual(tol);
      return;
    }
    if (x.shape.length === 1) {
      const a = flatten(x).map(Math.abs);
      const p = ord as number;
      const expected = p === Infinity ? Math.max(0, ...a) : p === -Infinity ? Math.min(...a) : p === 0 ? a.filter((v) => v !== 0).length
        : a.reduce((s, v) => s + v ** p, 0) ** (1 / p);
      expect(rel(Math.abs(values[0]! - expected), expected)).toBeLessThanOrEqual(tol);
      return;
    }
    if (Array.isArray(axis) && axis.length === 2 && x.shape.length === 2) {
      const A = matrices(x)[0]!;
      const absRowSums = A.map((r) => r.reduce((s, v) => s + Math.abs(v), 0));
      // x.shape, not A, knows how many columns a matrix without rows has.
      const absColSums = Array.from({ length: x.shape[1]! }, (_, j) => A.reduce((s, r) => s + Math.abs(r[j]!), 0));
      const s = A.length && A[0]!.length ? (linalg.svdvals(array(A)).toArray() as number[]) : [];
      const expected: Record<string, number> = {
        fro: fro(A), nuc: s.reduce((p, v) => p + v, 0), '1': Math.max(0, ...absColSums), '-1': Math.min(...absColSums),
        Infinity: Math.max(0, ...absRowSums), '-Infinity': Math.min(...absRowSums), '2': Math.max(0, ...s), '-2': Math.min(...s),
      };
      const e = expected[String(ord)]!;
      // Relative to ‖A‖: the smallest singular value of a singular A is 0 only up to rounding.
      expect(rel(Math.abs(values[0]! - e), Math.max(e, fro(A)))).toBeLessThanOrEqual(tol);
      return;
    }
    // axis over a 3-D cube: compare with per-slice JS norms through the shape contract.
    const shape = (result as NDArray).shape;
    if (keepdims) expect(shape.length).toBe(x.shape.length);
    expect(values.every((v) => v >= 0)).toBe(true);
  },
  trace({ c, result }) {
    const offset = (c.options?.offset as number) ?? 0;
    input(c).forEach((A, i) => {
      let sum = 0;
      A.forEach((row, r) => row.forEach((v, q) => q - r === offset && (sum += v)));
      const got = (result as NDArray).data[i]!;
      if (Number.isNaN(sum)) expect(Number.isNaN(got)).toBe(true);
      else expect(Math.abs(got - sum)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(sum)));
    });
  },
  diagonal({ c, result }) {
    const offset = (c.options?.offset as number) ?? 0;
    const a = c.args[0] as NDArray;
    const nd = a.shape.length;
    const [m, n] = [a.shape[nd - 2]!, a.shape[nd - 1]!];
    const k = Math.max(0, Math.min(m - Math.max(0, -offset), n - Math.max(0, offset)));
    expect((result as NDArray).shape).toEqual([...a.shape.slice(0, nd - 2), k]);
    // A view of a's memory, holding exactly a[..., i - min(offset, 0), i + max(offset, 0)].
    expect((result as NDArray).data).toBe(a.data);
    const d = vectors(result as NDArray);
    input(c).forEach((A, i) => expect(d[i] ?? []).toEqual(Array.from({ length: k }, (_, j) => A[j + Math.max(0, -offset)]![j + Math.max(0, offset)]!)));
  },
  transpose({ c, result }) {
    const a = c.args[0] as NDArray;
    const nd = a.shape.length;
    expect((result as NDArray).shape).toEqual([...a.shape.slice(0, nd - 2), a.shape[nd - 1], a.shape[nd - 2]]);
    input(c).forEach((A, i) => A.length && A[0]!.length && expect(mats(result)[i]).toEqual(tr(A)));
  },
  lu({ c, result, tol }) {
    const r = result as Record<string, NDArray>;
    input(c).forEach((A, i) => {
      if (A.flat().some((v) => !Number.isFinite(v))) return;
      const [P, L, U] = [mats(r.P)[i]!, mats(r.L)[i]!, mats(r.U)[i]!];
      expect(rel(diff(mm(mm(P, L), U), A), fro(A))).toBeLessThanOrEqual(tol);
      L.forEach((row, p) => row.forEach((v, q) => (q > p ? expect(v).toBe(0) : q === p && expect(v).toBe(1))));
      U.forEach((row, p) => row.forEach((v, q) => q < p && expect(v).toBe(0)));
      P.forEach((row) => expect(row.filter((v) => v === 1).length).toBe(1));
    });
  },
  luFactor({ c, result, tol }) {
    const r = result as { lu: NDArray; piv: NDArray };
    input(c).forEach((A, i) => {
      if (A.flat().some((v) => !Number.isFinite(v))) return;
      const LU = mats(r.lu)[i]!;
      const piv = vecs(r.piv)[i] ?? [];
      const k = piv.length;
      const L = LU.map((row, p) => Array.from({ length: k }, (_, q) => (q < p ? row[q]! : q === p ? 1 : 0)));
      const U = LU.slice(0, k).map((row, p) => row.map((v, q) => (q >= p ? v : 0)));
      const PA = A.map((row) => row.slice());
      piv.forEach((p, d) => ([PA[d], PA[p]] = [PA[p]!, PA[d]!]));
      expect(rel(diff(mm(L, U), PA), fro(A))).toBeLessThanOrEqual(tol);
    });
  },
  det({ c, result, tol }) {
    input(c).forEach((A, i) => {
      const expected = det(A);
      const got = (result as NDArray).data[i]!;
      if (A.flat().some((v) => !Number.isFinite(v))) return;
      const k = c.tags.has('singular') ? 1 : Math.min(condition(A), 1e8);
      expect(rel(Math.abs(got - expected), Math.abs(expected) || 1)).toBeLessThanOrEqual(tol * k);
    });
  },
  slogdet({ c, result, tol }) {
    const r = result as { sign: NDArray; logabsdet: NDArray };
    const d = linalg.det(c.args[0] as NDArray);
    const inputs = input(c);
    flatten(d).forEach((v, i) => {
      const sign = r.sign.data[i]!;
      const value = sign * Math.exp(r.logabsdet.data[i]!);
      if (Number.isNaN(v)) return;
      // det of one tiny matrix comes from weft's own LU (lib/internal/tiny.ts),
      // slogdet from MKL's: they agree as far as a's condition allows.
      const A = inputs[i]!;
      const k = inputs.length === 1 && A.length <= LIMITS.TinySolve && A.flat().every(Number.isFinite) ? Math.min(condition(A), 1e8) : 1;
      expect(rel(Math.abs(value - v), Math.abs(v) || 1)).toBeLessThanOrEqual(tol * k);
      if (v === 0) expect([sign, r.logabsdet.data[i]]).toEqual([0, -Infinity]);
    });
  },
  inv({ c, result, tol }) {
    input(c).forEach((A, i) => {
      const k = Math.min(condition(A), 1e12);
      expect(diff(mm(A, mats(result)[i]!), eye(A.length))).toBeLessThanOrEqual(tol * k);
    });
  },
  eig({ c, result, tol }) {
    // Complex NDArrays, or real ones when every eigenvalue is real (numpy's rule).
    const r = result as { eigenvalues: AnyNDArray; eigenvectors: AnyNDArray };
    if (r.eigenvalues.dtype !== 'complex128' && r.eigenvalues.dtype !== 'complex64') {
      expect(r.eigenvectors.dtype).toBe(r.eigenvalues.dtype);
    }
    input(c).forEach((A, i) => {
      const [wr, wi] = [vecs(r.eigenvalues.real)[i]!, vecs(r.eigenvalues.imag)[i]!];
      const [Vr, Vi] = [mats(r.eigenvectors.real)[i]!, mats(r.eigenvectors.imag)[i]!];
      const scale = Math.max(fro(A), 1);
      wr.forEach((lr, j) => {
        // ‖A·v − λ·v‖ for v = Vr[:, j] + i·Vi[:, j]
        let worst = 0;
        let norm = 0;
        for (let p = 0; p < A.length; p++) {
          let re = 0;
          let im = 0;
          for (let q = 0; q < A.length; q++) {
            re += A[p]![q]! * Vr[q]![j]!;
            im += A[p]![q]! * Vi[q]![j]!;
          }
          re -= lr * Vr[p]![j]! - wi[j]! * Vi[p]![j]!;
          im -= lr * Vi[p]![j]! + wi[j]! * Vr[p]![j]!;
          worst = Math.max(worst, Math.hypot(re, im));
          norm += Vr[p]![j]! ** 2 + Vi[p]![j]! ** 2;
        }
        expect(rel(worst, scale)).toBeLessThanOrEqual(tol * 10);
        expect(Math.abs(Math.sqrt(norm) - 1)).toBeLessThanOrEqual(tol);
      });
    });
  },
  eigvals({ c, result, tol }) {
    // Without vectors LAPACK takes another path: equal to rounding, not bit for bit.
    const sort = (x: AnyNDArray) =>
      vecs(x.real).map((re, i) => re.map((v, j) => [v, vecs(x.imag)[i]![j]!] as const).sort((p, q) => p[0] - q[0] || p[1] - q[1]));
    const full = sort(linalg.eig(c.args[0] as NDArray).eigenvalues);
    const got = sort(result as AnyNDArray);
    const scale = Math.max(1, fro(input(c)[0] ?? []));
    got.forEach((item, i) => item.forEach(([re, im], j) => {
      expect(Math.hypot(re - full[i]![j]![0], im - full[i]![j]![1]) / scale).toBeLessThanOrEqual(tol * 10);
    }));
  },
  eigh({ c, result, tol }) {
    const r = result as { eigenvalues: NDArray; eigenvectors: NDArray };
    input(c).forEach((A, i) => {
      const w = vecs(r.eigenvalues)[i]!;
      const V = mats(r.eigenvectors)[i]!;
      w.forEach((v, j) => j > 0 && expect(v).toBeGreaterThanOrEqual(w[j - 1]!));
      expect(rel(diff(mm(A, V), scaleCols(V, w)), Math.max(fro(A), 1))).toBeLessThanOrEqual(tol);
      expect(diff(mm(tr(V), V), eye(V.length))).toBeLessThanOrEqual(tol);
    });
  },
  eigvalsh({ c, result, tol }) {
    // syevd without vectors takes another path: equal to rounding, not bit for bit.
    expectSame(linalg.eigh(c.args[0] as NDArray, c.options).eigenvalues, result, tol * 10);
  },
  cholesky({ c, result, tol }) {
    const upper = c.options?.upper === true;
    input(c).forEach((A, i) => {
      const F = mats(result)[i]!;
      F.forEach((row, p) => row.forEach((v, q) => (upper ? q < p : q > p) && expect(v).toBe(0)));
      const back = upper ? mm(tr(F), F) : mm(F, tr(F));
      expect(rel(diff(back, A), Math.max(fro(A), 1))).toBeLessThanOrEqual(tol);
    });
  },
  choFactor({ c, result, tol }) {
    const { c: factor, lower } = result as { c: NDArray; lower: boolean };
    expect(lower).toBe(c.options?.lower === true);
    input(c).forEach((A, i) => {
      const F = mats(factor)[i]!.map((row, p) => row.map((v, q) => ((lower ? q <= p : q >= p) ? v : 0)));
      const back = lower ? mm(F, tr(F)) : mm(tr(F), F);
      expect(rel(diff(back, A), Math.max(fro(A), 1))).toBeLessThanOrEqual(tol);
    });
  },
  solve: residual,
  luSolve: residual,
  choSolve: residual,
  lstsq({ c, result, tol }) {
    const r = result as { x: NDArray; residuals: NDArray; rank: number; s: NDArray };
    const A = input(c)[0]!;
    const b = c.args[1] as NDArray;
    const B = b.shape.length === 1 ? col(flatten(b)) : matrices(b)[0]!;
    const X = r.x.shape.length === 1 ? col(flatten(r.x)) : matrices(r.x)[0]!;
    const n = A[0]?.length ?? 0;
    // A truncated (rank < n) solution does not solve the normal equations.
    if (n === 0 || A.length === 0 || r.rank < n) return;
    const R = mm(A, X).map((row, i) => row.map((v, j) => v - B[i]![j]!));
    // The normal equations Aᵀ(Ax − b) = 0 hold at a least-squares solution.
    const k = Math.min(condition(A), 1e8);
    expect(rel(maxAbs(mm(tr(A), R)), fro(A) * (fro(A) * fro(X) + fro(B)))).toBeLessThanOrEqual(tol * k);
    if (r.residuals.size > 0) {
      tr(R).forEach((column, j) => {
        const squared = column.reduce((s, v) => s + v * v, 0);
        expect(rel(Math.abs(r.residuals.data[j]! - squared), Math.max(squared, fro(B) ** 2 * 1e-3))).toBeLessThanOrEqual(tol * 1e3);
      });
    }
  },
  matrixPower({ c, result, tol }) {
    const n = c.args[1] as number;
    input(c).forEach((A, i) => {
      const P = mats(result)[i]!;
      if (n < 0) {
        const k = Math.min(condition(A), 1e8);
        expect(diff(mm(A, P), eye(A.length))).toBeLessThanOrEqual(tol * k * 10);
        return;
      }
      let expected = eye(A.length);
      for (let e = 0; e < n; e++) expected = mm(expected, A);
      expect(rel(diff(P, expected), Math.max(fro(expected), 1))).toBeLessThanOrEqual(tol * 10);
    });
  },
  cond({ c, result, tol }) {
    const p = c.options?.p as number | string | undefined;
    input(c).forEach((A, i) => {
      const got = (result as NDArray).data[i]!;
      if (c.tags.has('singular')) {
        if (p === -2) expect(got).toBeLessThan(1e-6);
        else expect(got).toBeGreaterThan(1e6);
        return;
      }
      const s = linalg.svdvals(array(A)).toArray() as number[];
      if (p === undefined) expect(rel(Math.abs(got - s[0]! / s[s.length - 1]!), got)).toBeLessThanOrEqual(tol * 10);
      else if (p === -2) expect(rel(Math.abs(got - s[s.length - 1]! / s[0]!), got)).toBeLessThanOrEqual(tol * 10);
      else expect(got).toBeGreaterThanOrEqual(1 - tol);
    });
  },
  cross({ c, result, tol }) {
    // a × b against the formula, vector by vector, with numpy's axis and broadcasting.
    const axis = (c.options?.axis as number | undefined) ?? -1;
    const [a, b, r] = [...(c.args as NDArray[]), result as NDArray].map((x) => moveLast(x, axis));
    const [A, B, R] = [a!, b!, r!].map(vectors);
    const batch = r!.shape.slice(0, -1);
    expect(r!.shape[r!.shape.length - 1]).toBe(3);
    R.forEach((got, i) => {
      const [x, y] = [A[itemOf(a!.shape.slice(0, -1), batch, i)]!, B[itemOf(b!.shape.slice(0, -1), batch, i)]!];
      const want = [x[1]! * y[2]! - x[2]! * y[1]!, x[2]! * y[0]! - x[0]! * y[2]!, x[0]! * y[1]! - x[1]! * y[0]!];
      const scale = Math.max(1, ...x.map(Math.abs)) * Math.max(1, ...y.map(Math.abs));
      want.forEach((w, k) => expect(Math.abs(got[k]! - w), `item ${i}[${k}]`).toBeLessThanOrEqual(tol * 10 * scale));
    });
  },
  matmul: products,
  dot: products,
  vdot: products,
  outer: products,
  multiDot: products,
};

/** `x` with its axis `axis` moved last (a view). */
function moveLast(x: NDArray, axis: number): NDArray {
  const nd = x.shape.length;
  const at = axis < 0 ? axis + nd : axis;
  const order = [...Array.from({ length: nd }, (_, i) => i).filter((i) => i !== at), at];
  return new NDArray(x.data, order.map((i) => x.shape[i]!), order.map((i) => x.strides[i]!), x.offset);
}

/** Which item of an operand with batch shape `own` the i-th item of the broadcast `batch` reads. */
function itemOf(own: number[], batch: number[], i: number): number {
  const coords: number[] = [];
  for (let d = batch.length - 1, rest = i; d >= 0; d--, rest = Math.floor(rest / batch[d + 1]!)) coords[d] = rest % batch[d]!;
  const skip = batch.length - own.length;
  return own.reduce((index, n, d) => index * n + (n === 1 ? 0 : coords[d + skip]!), 0);
}

function residual({ c, result, tol }: Check): void {
  const [a, b] = c.args as [NDArray, NDArray];
  const A = matrices(a);
  const vector = b.shape.length === 1 || b.shape.length === a.shape.length - 1;
  const X = vector ? vectors(result as NDArray).map(col) : matrices(result as NDArray);
  const B = vector ? vectors(b).map(col) : matrices(b);
  X.forEach((x, i) => {
    const Ai = A[i % A.length]!;
    const Bi = B[i % B.length]!;
    const k = Math.min(condition(Ai), 1e8);
    const r = mm(Ai, x).map((row, p) => row.map((v, q) => v - Bi[p]![q]!));
    expect(rel(maxAbs(r), fro(Ai) * fro(x) + fro(Bi))).toBeLessThanOrEqual(tol * (c.tags.has('ill-conditioned') ? k : 1) * 10);
  });
}

/** Products against the JS reference via the same contraction numpy defines. */
function products({ c, result, tol }: Check): void {
  const reference: Record<string, () => number[]> = {
    vdot: () => [flatten(c.args[0] as NDArray).reduce((s, v, i) => s + v * flatten(c.args[1] as NDArray)[i]!, 0)],
    outer: () => flatten(c.args[0] as NDArray).flatMap((x) => flatten(c.args[1] as NDArray).map((y) => x * y)),
  };
  const got = flatten(result as NDArray);
  if (c.fn in reference) {
    const expected = reference[c.fn]!();
    expect(rel(maxAbs(got.map((v, i) => v - expected[i]!)), Math.max(maxAbs(expected), 1))).toBeLessThanOrEqual(tol * 10);
    return;
  }
  const [x, y] = c.args as NDArray[];
  if (c.fn === 'matmul' && x!.shape.length === 2 && y!.shape.length === 2 && x!.shape[1] === 0) {
    expect(got.every((v) => v === 0) && (result as NDArray).shape.join() === `${x!.shape[0]},${y!.shape[1]}`).toBe(true);
    return;
  }
  if (c.fn === 'matmul' && x!.shape.length === 2 && y!.shape.length === 2) {
    const expected = mm(matrices(c.args[0] as NDArray)[0]!, matrices(c.args[1] as NDArray)[0]!);
    expect(rel(diff(matrices(result as NDArray)[0] ?? [], expected), Math.max(fro(expected), 1))).toBeLessThanOrEqual(tol * 10);
    return;
  }
  // Broadcast/stacked/N-D/chains: every element must be finite and the shape numpy's (the oracle checks values).
  expect(got.every(Number.isFinite)).toBe(true);
}

// ---------------------------------------------------------------- the run

const table = cases();
const EMPTY_BATCH_TOL = (dtype: DType, c: Case) => {
  const n = Math.max(...(c.args.filter((x) => x instanceof NDArray) as NDArray[]).flatMap((x) => x.shape), 1);
  return 50 * n * eps(dtype);
};

describe('the case table', () => {
  it('is large and covers every function and dtype', () => {
    expect(table.length).toBeGreaterThan(700);
    // Keyed off the op registry: a linalg or top-level op without cases fails here.
    const linalgOps = registeredOps().filter((op) => op.namespace === 'linalg' || op.namespace === '');
    expect(linalgOps.length).toBeGreaterThanOrEqual(30);
    for (const dtype of ['float64', 'float32']) {
      const fns = new Set(table.filter((c) => c.dtype === dtype).map((c) => c.fn));
      const caseName = (op: { namespace: string; member: string }) => (op.namespace === '' ? `top.${op.member}` : op.member);
      for (const op of linalgOps) expect(fns.has(caseName(op)), `${op.name} has ${dtype} cases`).toBe(true);
      expect([...fns].filter((fn) => !linalgOps.some((op) => caseName(op) === fn))).toEqual([]);
    }
    expect(new Set(table.map((c) => c.id)).size).toBe(table.length);
  });
});

describe.each(table.map((c) => [c.id, c] as const))('%s', (_id, c) => {
  const tol = EMPTY_BATCH_TOL(c.dtype, c);

  if (c.error === 'RangeError') {
    it('throws RangeError naming the function, sync and async', async () => {
      expect(() => run(c, c.args, false)).toThrow(RangeError);
      expect(() => run(c, c.args, false)).toThrow(new RegExp(`^${c.fn.replace('top.', '')}: `));
      await expect(run(c, c.args, true) as Promise<unknown>).rejects.toThrow(RangeError);
    });
    return;
  }
  if (c.error) {
    it(`throws LinAlgError ${c.error}, sync and async`, async () => {
      let caught: unknown;
      try {
        run(c, c.args, false);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(LinAlgError);
      expect((caught as LinAlgError).code).toBe(c.error);
      await expect(run(c, c.args, true) as Promise<unknown>).rejects.toMatchObject({ code: c.error });
    });
    return;
  }

  it('holds its identities; async gives exactly the same; dtype kept', async () => {
    const result = run(c, c.args, false);
    const asyncResult = await (run(c, c.args, true) as Promise<unknown>);
    expectSame(result, asyncResult);
    for (const [path, a] of arrays(result)) {
      if (!path.endsWith('piv')) expect(a.dtype, path).toBe(c.resultDtype ?? (c.fn === 'matrixRank' ? 'float64' : ['top.argmin', 'top.argmax'].includes(c.fn) ? 'int32' : c.dtype));
    }
    if (c.tags.has('nonfinite')) return; // defined behaviour only: no crash, a result or a LinAlgError (above)
    identities[c.fn]!({ c, result, tol });
  });

  // Ops whose result is a view of their input, by design, are exempt.
  if (!opOf(c).view) {
    it('async: the inputs are the caller\'s again as soon as the call returns', async () => {
      const spoil: (() => void)[] = [];
      const own = (x: unknown): unknown => {
        if (Array.isArray(x)) return x.map(own);
        if (!(x instanceof NDArray)) return x;
        const data = x.data.slice();
        spoil.push(() => data.fill(Number.NaN));
        return new NDArray(data, x.shape, x.strides, x.offset);
      };
      const expected = run(c, c.args, false);
      const [a, b] = c.args;
      let pending: Promise<unknown>;
      if (c.fn === 'luSolve' || c.fn === 'choSolve') {
        const factor = own(c.fn === 'luSolve' ? linalg.luFactor(a as NDArray) : linalg.choFactor(a as NDArray)) as never;
        const rhs = own(b) as NDArray;
        pending = c.fn === 'luSolve' ? linalg.luSolveAsync(factor, rhs, c.options) : linalg.choSolveAsync(factor, rhs);
      } else {
        pending = opOf(c).async(...withOptions(opOf(c), c.args.map(own), c.options));
      }
      for (const s of spoil) s();
      expectSame(expected, await pending);
    });
  }

  if (c.tags.has('strided')) {
    it('gives on its strided view what it gives on a contiguous copy', () => {
      const copies = c.args.map((x) => (x instanceof NDArray ? array(x) : x));
      expectSame(run(c, copies, false), run(c, c.args, false), 100 * eps(c.dtype));
    });
  }

  // (A norm without an axis reduces over the whole stack, so it has no per-item answer.)
  const perItem = c.args.slice(1).every((x) => !(x instanceof NDArray)) && !(c.fn === 'norm' && c.options?.axis === undefined);
  if (c.tags.has('stacked') && perItem) {
    it('gives for each stacked item what that matrix alone gives', () => {
      const whole = run(c, c.args, false);
      const a = c.args[0] as NDArray;
      const nd = a.shape.length;
      const items = a.shape.slice(0, nd - 2).reduce((p, d) => p * d, 1);
      const core = a.shape.slice(nd - 2);
      const perItem = Array.from({ length: items }, (_, i) => {
        const one = array(a).data.slice(i * core[0]! * core[1]!, (i + 1) * core[0]! * core[1]!);
        return run(c, [new NDArray(one, core), ...c.args.slice(1)], false);
      });
      const wholeArrays = arrays(whole);
      perItem.forEach((r, i) => {
        for (const [path, itemArray] of arrays(r)) {
          // (eig: an item whose eigenvalues are all real is real alone, in a stack with a complex pair complex.)
          const stacked = wholeArrays.find(([p]) => p === path || p === `${path}.re`)![1];
          const per = itemArray.size;
          const slice = flatten(stacked).slice(i * per, (i + 1) * per);
          const values = flatten(itemArray);
          const scale = Math.max(1, maxAbs(values));
          values.forEach((v, j) => expect(Math.abs(v - slice[j]!) / scale, `${path}[${i}]`).toBeLessThanOrEqual(100 * eps(c.dtype)));
        }
      });
    });
  }
});

describe('reductions of int32 arrays', () => {
  it('reduce them as float64, as numpy reduces integers (argmax results among them)', () => {
    const indices = weft.argmax([[1, 5, 2], [7, 0, 3]], { axis: 1 });
    expect(indices.dtype).toBe('int32');
    const total = weft.sum(indices);
    expect([total.dtype, total.item()]).toEqual(['float64', 1]);
    expect(weft.cumsum(indices).toArray()).toEqual([1, 1]);
    expect(weft.argmax(indices).item()).toBe(0);
  });
});

describe('reductions of small arrays', () => {
  // lib/reductions.ts reduces arrays of up to 256 elements in JS, in the
  // order native/ops/statistics.cc folds them: the bits must be the same.
  it('give in JS exactly what the native loops give', () => {
    const next = rng(64);
    const statistics = [['sum', 'sum'], ['prod', 'prod'], ['mean', 'mean'], ['variance', 'var'], ['std', 'std'], ['min', 'min'], ['max', 'max']] as const;
    for (const dtype of ['float64', 'float32'] as const) {
      for (const shape of [[1], [5], [8], [13], [64], [2, 9], [3, 17], [4, 4, 4], [64, 1], [129], [200], [256], [2, 128], [1, 255]]) {
        const size = shape.reduce((p, d) => p * d, 1);
        const values = Array.from({ length: size }, () => (2 * next() - 1) * 10 ** (4 * next() - 2));
        const data = dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values);
        const a = new NDArray(data, shape);
        const view = { data, shape: a.shape.slice(), strides: a.strides.slice(), offset: 0 };
        for (const axes of [shape.map((_, i) => i), [shape.length - 1]]) {
          const mask = axes.reduce((m, d) => m + 2 ** d, 0);
          for (const [op, kind] of statistics) {
            const js = (weft as unknown as Record<string, (x: NDArray, o: object) => NDArray>)[op]!(a, op === 'variance' || op === 'std' ? { axis: axes, ddof: 1 } : { axis: axes });
            const raw = nativeCall('statistic', [view], mask, code('Statistic', kind), op === 'variance' || op === 'std' ? 1 : 0)(false, {});
            expect(Array.from(js.data), `${op} ${dtype} [${shape}] axes [${axes}]`).toEqual(Array.from(raw as Float64Array));
          }
        }
      }
    }
  });
});
