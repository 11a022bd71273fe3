// The argument fuzzer. For every linalg and random function (sync and
// async), array() and new NDArray, threading.setMaxThreads between
// calls, and the Pool's methods (map, imap, starmap, run, stats, close,
// asyncDispose, use after close): random and adversarial arguments — wrong
// types and dtypes, shapes that do not match the data, huge, negative,
// fractional and NaN dims, strides and offsets outside the buffer, negative
// and zero strides, empty axes, detached, shared and resizable buffers,
// buffers overwritten, detached or shrunk right after an async call
// returned, NaN/Inf data, aborted signals.
//
// Every call must return a correct result or throw TypeError, RangeError or
// LinAlgError (AbortError when its signal fired). "Correct" is checked
// against the same call on plain contiguous copies of the same values: the
// representation must never change the answer. Under `npm run test:asan`
// the sanitizers watch every call as well.
//
// Seeded and bounded in time: WEFT_FUZZ_SEED (default: the date), and
// WEFT_FUZZ_SECONDS (default 3; test:asan gives it 20). A failure prints
// the seed and call number that reproduce it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LinAlgError, NDArray, Pool, PoolItemError, array, linalg, threading } from '../../lib/index.js';
import { badArray, chance, int, optionValue, pick, shape, validArray } from './arguments.js';
import type { ArrayArg, Rng } from './arguments.js';
import { opNamed, registeredOps } from '../../lib/internal/registry.js';
import { rng, underAsan } from '../helpers.js';

const seconds = Number(process.env.WEFT_FUZZ_SECONDS ?? 3);
const seed = Number(process.env.WEFT_FUZZ_SEED ?? Math.floor(Date.now() / 86_400_000));

type Fn = (...args: unknown[]) => unknown;

/** One generated call: its arguments, and canonical copies when they are valid. */
interface Built {
  args: unknown[];
  canonical?: unknown[];
  /** The trailing options argument: absent, an object, or junk. */
  options?: { value: unknown };
  /** The options of the canonical call, when they must differ (a fresh `out` of the same kind). */
  canonicalOptions?: () => unknown;
  mutate: (() => void)[];
  describe: string[];
}

/** The linalg ops that take complex arrays: their array arguments are complex (of either precision) part of the time. */
const COMPLEX_OPS = new Set(['matmul', 'dot', 'inner', 'vdot', 'outer', 'cross', 'multiDot', 'matrixPower', 'trace', 'diagonal', 'transpose', 'solve', 'inv', 'det', 'slogdet', 'cholesky', 'choFactor', 'choSolve', 'lu', 'luFactor', 'luSolve', 'qr',
  'svd', 'svdvals', 'eig', 'eigvals', 'eigh', 'eigvalsh', 'pinv', 'lstsq', 'norm', 'cond', 'matrixRank',
  'matrixTranspose', 'vecdot', 'tensordot', 'tensorinv', 'tensorsolve', 'einsum']);
/** Whether the op being built takes complex arrays (set by fuzzOne). */
let complexArgs = false;

/** Half the time a valid array of `dims`, else something weft must refuse (or a valid one of another shape). */
function arg(r: Rng, b: Built, dims: number[], opts: { square?: boolean; strict?: boolean } = {}): void {
  let a: ArrayArg;
  if (chance(r, opts.strict ? 0.95 : 0.88)) a = validArray(r, dims, { square: opts.square, complex: complexArgs });
  else if (chance(r, 0.5)) a = badArray(r);
  else a = validArray(r, shape(r));
  b.args.push(a.value);
  b.describe.push(a.describe);
  if (a.mutate) b.mutate.push(a.mutate);
  if (b.canonical) {
    if (a.canonical) b.canonical.push(a.canonical);
    else b.canonical = undefined;
  }
}

function plain(b: Built, value: unknown, label = JSON.stringify(value) ?? String(value)): void {
  b.args.push(value);
  b.canonical?.push(value);
  b.describe.push(label);
}

/** Options drawn from each key's valid values, sometimes junk, sometimes missing. */
function options(r: Rng, b: Built, vocabulary: Record<string, readonly unknown[]>): void {
  if (chance(r, 0.2)) return;
  if (chance(r, 0.05)) {
    b.options = { value: pick(r, [null, 'opts', 42, []]) };
    return;
  }
  const o: Record<string, unknown> = {};
  for (const [k, values] of Object.entries(vocabulary)) if (chance(r, 0.6)) o[k] = optionValue(r, values);
  if (chance(r, 0.05)) o.unknownOption = 1;
  b.options = { value: o };
}

const batch = (r: Rng): number[] => (chance(r, 0.25) ? [int(r, 1, 3)] : []);

/** Functions and how to build their arguments. */
const TARGETS: Record<string, (r: Rng, b: Built) => void> = {
  matmul(r, b) {
    const [m, k, n] = [int(r, 0, 5), int(r, 1, 5), int(r, 1, 5)];
    const s = batch(r);
    const [rowA, colB] = [chance(r, 0.15), chance(r, 0.15)];
    arg(r, b, rowA ? [k] : [...s, m, k]);
    arg(r, b, colB ? [k] : [...s, chance(r, 0.1) ? k + 1 : k, n]);
    outOption(r, b, rowA && colB ? [] : [...s, ...(rowA ? [] : [m]), ...(colB ? [] : [n])]);
  },
  dot(r, b) {
    const [m, k] = [int(r, 1, 5), int(r, 1, 5)];
    arg(r, b, chance(r, 0.3) ? [k] : [m, k]);
    arg(r, b, chance(r, 0.5) ? [k] : [k, int(r, 1, 4)]);
  },
  inner(r, b) {
    const k = int(r, 1, 5);
    arg(r, b, chance(r, 0.2) ? [] : [...shape(r, int(r, 0, 2)), k]);
    arg(r, b, chance(r, 0.2) ? [] : [...shape(r, int(r, 0, 2)), chance(r, 0.9) ? k : k + 1]);
  },
  vdot(r, b) {
    const s = shape(r, int(r, 1, 3));
    arg(r, b, s);
    arg(r, b, chance(r, 0.9) ? s : shape(r));
  },
  outer(r, b) {
    arg(r, b, [int(r, 0, 5)]);
    arg(r, b, shape(r, int(r, 1, 2)));
  },
  cross(r, b) {
    const s = batch(r);
    arg(r, b, chance(r, 0.1) ? [...s, int(r, 2, 4)] : [...s, 3]);
    arg(r, b, chance(r, 0.3) ? [3] : [...s, 3]);
    options(r, b, { axis: [-1, 0, 1, -2, 2, 1.5] });
  },
  multiDot(r, b) {
    const dims = Array.from({ length: int(r, 2, 4) }, () => int(r, 1, 4));
    const list: Built = { args: [], canonical: [], mutate: b.mutate, describe: b.describe };
    for (let i = 0; i + 1 < dims.length; i++) arg(r, list, [dims[i]!, dims[i + 1]!]);
    plain(b, list.args, 'list');
    if (b.canonical && list.canonical) b.canonical[b.canonical.length - 1] = list.canonical;
    else b.canonical = undefined;
  },
  matrixPower(r, b) {
    const n = int(r, 1, 4);
    arg(r, b, [...batch(r), n, n], { square: true });
    plain(b, chance(r, 0.85) ? int(r, -3, 5) : pick(r, [1.5, NaN, -Infinity, '2', 2 ** 40]));
  },
  transpose(r, b) {
    arg(r, b, shape(r));
  },
  solve(r, b) {
    const n = int(r, 1, 5);
    const s = batch(r);
    arg(r, b, [...s, n, n], { square: true });
    arg(r, b, chance(r, 0.5) ? [...s, n] : [...s, n, int(r, 1, 3)]);
    options(r, b, { assumeA: ['gen', 'sym', 'pos'], lower: [true, false] });
  },
  inv: square,
  det: square,
  slogdet: square,
  eig: square,
  eigvals: square,
  luFactor: square,
  lu(r, b) {
    arg(r, b, [...batch(r), int(r, 0, 5), int(r, 0, 5)]);
  },
  cholesky(r, b) {
    spd(r, b);
    options(r, b, { upper: [true, false] });
  },
  choFactor(r, b) {
    spd(r, b);
    options(r, b, { lower: [true, false] });
  },
  eigh(r, b) {
    symmetric(r, b);
    options(r, b, { uplo: ['L', 'U', 'l', 'u'] });
  },
  eigvalsh(r, b) {
    symmetric(r, b);
    options(r, b, { uplo: ['L', 'U', 'l', 'u'] });
  },
  qr(r, b) {
    arg(r, b, [...batch(r), int(r, 0, 5), int(r, 0, 5)]);
    options(r, b, { mode: ['reduced', 'complete', 'r', 'raw'] });
  },
  svd(r, b) {
    if (chance(r, 0.2)) symmetric(r, b);
    else arg(r, b, [...batch(r), int(r, 0, 5), int(r, 0, 5)]);
    options(r, b, { fullMatrices: [true, false], computeUV: [true, false], hermitian: [false, true] });
  },
  svdvals(r, b) {
    arg(r, b, [...batch(r), int(r, 1, 5), int(r, 1, 5)]);
  },
  lstsq(r, b) {
    const [m, n] = [int(r, 1, 5), int(r, 1, 5)];
    arg(r, b, [m, n]);
    arg(r, b, chance(r, 0.5) ? [m] : [m, int(r, 1, 3)]);
    options(r, b, { rcond: [null, -1, 1e-10, 0.5] });
  },
  pinv(r, b) {
    arg(r, b, [...batch(r), int(r, 1, 5), int(r, 1, 5)]);
    options(r, b, { rcond: [1e-15, 0.1], rtol: [null, 1e-3], hermitian: [false, true] });
  },
  matrixRank(r, b) {
    arg(r, b, [...batch(r), int(r, 1, 5), int(r, 1, 5)]);
    options(r, b, { tol: [0.1, 1e-10], rtol: [1e-3], hermitian: [false, true] });
  },
  norm(r, b) {
    const s = shape(r, int(r, 1, 3));
    arg(r, b, s);
    options(r, b, { ord: [null, 1, 2, -1, -2, Infinity, -Infinity, 'fro', 'nuc', 0, 3, 0.5], axis: [null, 0, 1, -1, [0, 1], [1, 0], [-2, -1]], keepdims: [true, false] });
  },
  cond(r, b) {
    square(r, b);
    options(r, b, { p: [null, 1, 2, -1, -2, Infinity, -Infinity, 'fro', 'nuc'] });
  },
  trace(r, b) {
    arg(r, b, [...batch(r), int(r, 1, 5), int(r, 1, 5)]);
    options(r, b, { offset: [0, 1, -1, 3, -4] });
  },
  diagonal(r, b) {
    arg(r, b, shape(r));
    options(r, b, { offset: [0, 1, -1, 3, -4, 0.5] });
  },
  matrixTranspose(r, b) {
    arg(r, b, shape(r));
  },
  matrixNorm(r, b) {
    arg(r, b, [...batch(r), int(r, 0, 5), int(r, 0, 5)]);
    options(r, b, { ord: [null, 1, 2, -1, -2, Infinity, -Infinity, 'fro', 'nuc', 3], keepdims: [true, false] });
  },
  vectorNorm(r, b) {
    arg(r, b, shape(r));
    options(r, b, { ord: [null, 1, 2, -1, Infinity, -Infinity, 0, 3, 0.5, 'fro'], axis: [null, 0, 1, -1, [0, 1], [1, 0], [0, 0]], keepdims: [true, false] });
  },
  vecdot(r, b) {
    const [s, n] = [batch(r), int(r, 0, 5)];
    arg(r, b, [...s, chance(r, 0.1) ? n + 1 : n]);
    arg(r, b, chance(r, 0.3) ? [n] : [...s, n]);
    options(r, b, { axis: [-1, 0, 1, -2, 2] });
  },
  tensordot(r, b) {
    const [m, k, n] = [int(r, 0, 4), int(r, 1, 4), int(r, 0, 4)];
    arg(r, b, [m, k]);
    arg(r, b, [k, n]);
    options(r, b, { axes: [0, 1, 2, -1, [[1], [0]], [1, 0], [[0, 1], [1, 0]], [[1, 1], [0, 0]], 'x'] });
  },
  tensorinv(r, b) {
    const n = int(r, 1, 3);
    arg(r, b, chance(r, 0.5) ? [n, 2, 2 * n] : [n, n], { square: true });
    options(r, b, { ind: [1, 2, 0, -1, 1.5] });
  },
  tensorsolve(r, b) {
    const n = int(r, 1, 3);
    arg(r, b, [n, 2, 2 * n], { square: true });
    arg(r, b, chance(r, 0.8) ? [n, 2] : [2 * n]);
    options(r, b, { axes: [null, [0], [2], [0, 2], [5], [0, 0]] });
  },
  einsum(r, b) {
    const [i, j, k] = [int(r, 0, 4), int(r, 1, 4), int(r, 0, 4)];
    const forms: [string, number[][]][] = [
      ['ij,jk->ik', [[i, j], [j, k]]], ['ij,jk', [[i, j], [j, k]]], ['ij->ji', [[i, j]]], ['ii', [[j, j]]], ['ii->i', [[j, j]]],
      ['ij->', [[i, j]]], ['i,j->ij', [[i], [k]]], ['bij,bjk->bik', [[2, i, j], [2, j, k]]], ['...j,j', [[i, 2, j], [j]]],
      ['ij,jk,kl->il', [[i, j], [j, k], [k, 2]]], ['ij->k', [[i, j]]], ['i,i', [[j], [j + 1]]], ['ij,,jk', [[i, j], [j, k]]],
    ];
    const [spec, shapes] = pick(r, forms);
    plain(b, chance(r, 0.95) ? spec : pick(r, [3, null, 'i->->i', 'ii->ii']));
    const list: Built = { args: [], canonical: [], mutate: b.mutate, describe: b.describe };
    for (const dims of shapes) arg(r, list, dims);
    plain(b, chance(r, 0.95) ? list.args : 'not a list', 'operands');
    if (b.canonical && list.canonical) b.canonical[b.canonical.length - 1] = list.canonical;
    else b.canonical = undefined;
  },
  luSolve(r, b) {
    const n = int(r, 1, 5);
    const a = validArray(r, [n, n], { square: true });
    let factor: unknown;
    try {
      factor = linalg.luFactor(a.canonical as NDArray);
    } catch {
      factor = { lu: a.value, piv: new Int32Array(n) };
    }
    if (chance(r, 0.1)) factor = { lu: (factor as { lu: unknown }).lu, piv: pick(r, [new Int32Array(n).fill(n), new Float64Array(n).fill(0.5), [-1], null]) };
    plain(b, factor, 'LU factor');
    arg(r, b, chance(r, 0.5) ? [n] : [n, int(r, 1, 3)]);
    options(r, b, { trans: [true, false, 0, 1, 2, 3] });
  },
  choSolve(r, b) {
    const n = int(r, 1, 5);
    const a = spdMatrix(r, n);
    let factor: unknown;
    try {
      factor = linalg.choFactor(a);
    } catch {
      factor = { c: a, lower: false };
    }
    plain(b, chance(r, 0.9) ? factor : { c: (factor as { c: unknown }).c, lower: 'yes' }, 'Cholesky factor');
    arg(r, b, chance(r, 0.5) ? [n] : [n, int(r, 1, 3)]);
  },
};

function square(r: Rng, b: Built): void {
  const n = int(r, 0, 5);
  arg(r, b, [...batch(r), n, chance(r, 0.1) ? n + 1 : n], { square: true });
}

function spdMatrix(r: Rng, n: number): NDArray {
  const a = validArray(r, [n, n], { dtype: 'float64', specials: false }).canonical as NDArray;
  const spd = linalg.matmul(linalg.transpose(a), a);
  for (let i = 0; i < n; i++) spd.data[i * n + i]! += n;
  return spd;
}

function spd(r: Rng, b: Built): void {
  if (chance(r, 0.3)) return square(r, b);
  const n = int(r, 1, 5);
  plain(b, spdMatrix(r, n), `spd ${n}`);
}

function symmetric(r: Rng, b: Built): void {
  const n = int(r, 1, 5);
  const a = validArray(r, [n, n]);
  if (!a.canonical || chance(r, 0.3)) {
    arg(r, b, [n, n]);
    return;
  }
  const c = a.canonical as NDArray;
  plain(b, linalg.matmul(linalg.transpose(c), c), `symmetric ${n}`);
}

/** A shape argument: mostly valid and small, sometimes one weft must refuse (none that would allocate gigabytes). */
const shapeArg = (r: Rng): unknown => (chance(r, 0.85) ? (chance(r, 0.3) ? int(r, 0, 9) : shape(r)) : pick(r, [-1, 1.5, [2, -1], 'x', [2 ** 60], [1e6, 1e6], null]));
const count = (r: Rng): unknown => (chance(r, 0.9) ? int(r, 0, 6) : pick(r, [-1, 2.5, NaN, '3', 2 ** 40, null]));
const value = (r: Rng): unknown => (chance(r, 0.9) ? pick(r, [0, 1, -2.5, 1e300, NaN, Infinity]) : pick(r, ['1', null, [1], undefined]));
const dtypes = { dtype: ['float64', 'float32', 'float16'] };

/** The top level's array creation. */
const CREATION_TARGETS: Record<string, (r: Rng, b: Built) => void> = {
  zeros(r, b) {
    plain(b, shapeArg(r));
    options(r, b, dtypes);
  },
  ones(r, b) {
    plain(b, shapeArg(r));
    options(r, b, dtypes);
  },
  full(r, b) {
    plain(b, shapeArg(r));
    plain(b, value(r));
    options(r, b, dtypes);
  },
  eye(r, b) {
    plain(b, count(r));
    options(r, b, { m: [0, 1, 3, -1, 2.5], k: [0, 1, -2, 9, 0.5], ...dtypes });
  },
  identity(r, b) {
    plain(b, count(r));
    options(r, b, dtypes);
  },
  arange(r, b) {
    // Always three positional values, so the options land in their place.
    const ends = [int(r, -5, 5), chance(r, 0.3) ? undefined : int(r, -5, 20), chance(r, 0.4) ? undefined : pick(r, [1, 0.5, -1, 0, 3])];
    for (const v of ends) plain(b, chance(r, 0.9) ? v : pick(r, [NaN, Infinity, 'x', 1e300]));
    options(r, b, dtypes);
  },
  linspace(r, b) {
    plain(b, chance(r, 0.9) ? int(r, -3, 3) : pick(r, [NaN, Infinity, 'x']));
    plain(b, chance(r, 0.9) ? int(r, -3, 3) : pick(r, [NaN, -Infinity, null]));
    options(r, b, { num: [0, 1, 2, 7, -1, 1.5], endpoint: [true, false, 1], ...dtypes });
  },
  diag(r, b) {
    arg(r, b, chance(r, 0.5) ? [int(r, 0, 5)] : [int(r, 0, 5), int(r, 0, 5)]);
    options(r, b, { k: [0, 1, -1, 4, -9, 0.5] });
  },
  asarray(r, b) {
    arg(r, b, shape(r));
    options(r, b, dtypes);
  },
  copy(r, b) {
    arg(r, b, shape(r));
  },
  zerosLike(r, b) {
    arg(r, b, shape(r));
    options(r, b, dtypes);
  },
  onesLike(r, b) {
    arg(r, b, shape(r));
    options(r, b, dtypes);
  },
  fullLike(r, b) {
    arg(r, b, shape(r));
    plain(b, value(r));
    options(r, b, dtypes);
  },
};

/** An axis argument for an array of `nd` axes: mostly valid, sometimes out of range or not an integer. */
const axisArg = (r: Rng, nd: number): unknown => (chance(r, 0.85) ? int(r, -Math.max(nd, 1), Math.max(nd - 1, 0)) : pick(r, [nd + 3, -nd - 2, 0.5, 'x', null, [0, 0]]));

/** The top level's shape and view functions. */
const VIEW_TARGETS: Record<string, (r: Rng, b: Built) => void> = {
  reshape(r, b) {
    const dims = shape(r);
    arg(r, b, dims);
    const size = dims.reduce((p, d) => p * d, 1);
    plain(b, chance(r, 0.7) ? pick(r, [[size], [-1], [1, size], [size, -1, 1]]) : pick(r, [[size + 1], [-1, -1], [2.5], 'x', [-2]]));
  },
  ravel(r, b) {
    arg(r, b, shape(r));
  },
  transpose(r, b) {
    const dims = shape(r);
    arg(r, b, dims);
    const identity = dims.map((_, i) => i);
    options(r, b, { axes: [identity.slice().reverse(), identity, [0, 0], [9]] });
  },
  swapaxes(r, b) {
    const dims = shape(r);
    arg(r, b, dims);
    plain(b, axisArg(r, dims.length));
    plain(b, axisArg(r, dims.length));
  },
  moveaxis(r, b) {
    const dims = shape(r);
    arg(r, b, dims);
    plain(b, axisArg(r, dims.length));
    plain(b, axisArg(r, dims.length));
  },
  expandDims(r, b) {
    const dims = shape(r);
    arg(r, b, dims);
    plain(b, chance(r, 0.7) ? axisArg(r, dims.length + 1) : [0, -1]);
  },
  squeeze(r, b) {
    const dims = shape(r).map((d) => (chance(r, 0.4) ? 1 : d));
    arg(r, b, dims);
    options(r, b, { axis: [0, -1, [0], 7] });
  },
  broadcastTo(r, b) {
    const dims = shape(r, int(r, 0, 2)).map((d) => (chance(r, 0.4) ? 1 : d));
    arg(r, b, dims);
    plain(b, chance(r, 0.8) ? [int(r, 1, 3), ...dims.map((d) => (d === 1 ? int(r, 1, 3) : d))] : pick(r, [[7, 7, 7], [], 'x', [-1]]));
  },
  flip(r, b) {
    const dims = shape(r);
    arg(r, b, dims);
    options(r, b, { axis: [0, -1, [0, -1], 5, 0.5] });
  },
  slice(r, b) {
    const dims = shape(r);
    arg(r, b, dims);
    const spec = (n: number): unknown =>
      pick(r, [null, int(r, -n, Math.max(n - 1, 0)), [int(r, -n - 2, n + 2), int(r, -n - 2, n + 2)], [null, null, pick(r, [-1, 2, -3])], [int(r, -2, 2), null, pick(r, [1, 0, 1.5])], n + 5, 'x']);
    plain(b, chance(r, 0.9) ? dims.slice(0, int(r, 0, dims.length)).map(spec) : pick(r, [[0, 0, 0, 0, 0, 0], 'x', null]));
  },
  take(r, b) {
    const dims = shape(r);
    arg(r, b, dims);
    const n = Math.max(1, dims[0] ?? 1);
    plain(b, chance(r, 0.85) ? Array.from({ length: int(r, 0, 4) }, () => int(r, -n, n - 1)) : pick(r, [n + 3, [0.5], 'x', -n - 1]));
    options(r, b, { axis: [0, -1, null, 4] });
  },
};

/** Elementwise shapes: small (the JS path) or past JS_MAX_SIZE (native, in parallel chunks). */
const elementwiseShape = (r: Rng): number[] => (chance(r, 0.3) ? [int(r, 30, 70), int(r, 30, 70)] : shape(r, int(r, 0, 3)));

/** Binary arithmetic: two operands that broadcast (or not), arrays or numbers. */
const binaryTarget = (r: Rng, b: Built): void => {
  const dims = elementwiseShape(r);
  const other = dims.map((d) => (chance(r, 0.3) ? 1 : chance(r, 0.1) ? d + 1 : d)).slice(int(r, 0, dims.length));
  for (const s of chance(r, 0.5) ? [dims, other] : [other, dims]) {
    if (chance(r, 0.2)) plain(b, pick(r, [0, -1.5, 2, NaN, Infinity]));
    else arg(r, b, s);
  }
  outOption(r, b, dims);
};

/**
 * Sometimes numpy's `out`: an array of the result's shape (or of another,
 * which must be refused), float64, float32 or bool (refused for a float
 * result), contiguous or a reversed view, at times an operand itself. The
 * canonical call writes into a fresh array of the same kind.
 */
function outOption(r: Rng, b: Built, dims: number[]): void {
  if (!chance(r, 0.2)) return;
  const shapeOf = chance(r, 0.9) ? dims : shape(r);
  const dtype = pick(r, ['float64', 'float64', 'float32', 'bool'] as const);
  const reversed = shapeOf.length > 0 && chance(r, 0.3);
  const make = (): unknown => {
    const size = shapeOf.reduce((p, d) => p * d, 1);
    const data = dtype === 'bool' ? new Uint8Array(size) : dtype === 'float32' ? new Float32Array(size).fill(NaN) : new Float64Array(size).fill(NaN);
    const whole = new NDArray(data as Float64Array, shapeOf);
    return reversed ? whole.slice(...shapeOf.map(() => [null, null, -1] as const)) : whole;
  };
  const operand = b.args.findIndex((a) => a instanceof NDArray && a.dtype === dtype && a.shape.join() === shapeOf.join());
  if (operand >= 0 && chance(r, 0.3)) {
    b.options = { value: { out: b.args[operand] } }; // in place: the canonical call gets its own copy of that operand
    b.describe.push(`out = argument ${operand}`);
    b.canonical = undefined;
    return;
  }
  b.options = { value: { out: make() } };
  b.canonicalOptions = () => ({ out: make() });
  b.describe.push(`out ${dtype}[${shapeOf.join(', ')}]${reversed ? ' reversed' : ''}`);
}
/** Unary math: one array (or number), round with its decimals, clip with bounds that broadcast (or not). */
const unaryTarget = (r: Rng, b: Built): void => {
  if (chance(r, 0.1)) plain(b, pick(r, [0, -1.5, NaN, -Infinity]));
  else {
    const dims = elementwiseShape(r);
    arg(r, b, dims);
    outOption(r, b, dims);
  }
};
const ARITHMETIC_TARGETS: Record<string, (r: Rng, b: Built) => void> = {
  ...Object.fromEntries(['add', 'subtract', 'multiply', 'divide', 'power', 'maximum', 'minimum', 'mod', 'hypot', 'arctan2'].map((op) => [op, binaryTarget])),
  ...Object.fromEntries(
    ['negative', 'abs', 'sign', 'sqrt', 'square', 'reciprocal', 'exp', 'expm1', 'exp2', 'log', 'log1p', 'log2', 'log10', 'sin', 'cos', 'tan',
      'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'tanh', 'floor', 'ceil', 'conj', 'conjugate'].map((op) => [op, unaryTarget]),
  ),
  ...Object.fromEntries(
    ['real', 'imag'].map((op) => [
      op,
      (r: Rng, b: Built) => {
        if (chance(r, 0.1)) plain(b, pick(r, [0, -1.5, NaN, -Infinity]));
        else arg(r, b, elementwiseShape(r));
      },
    ]),
  ),
  angle(r, b) {
    if (chance(r, 0.1)) plain(b, pick(r, [0, -1.5, NaN, -Infinity]));
    else arg(r, b, elementwiseShape(r));
    options(r, b, { deg: [true, false] });
  },
  round(r, b) {
    if (chance(r, 0.1)) plain(b, pick(r, [0, -1.5, NaN, -Infinity]));
    else arg(r, b, elementwiseShape(r));
    options(r, b, { decimals: [0, 2, -3, 400, -400] });
  },
  clip(r, b) {
    const dims = elementwiseShape(r);
    arg(r, b, dims);
    for (let k = 0; k < 2; k++) {
      if (chance(r, 0.6)) plain(b, pick(r, [null, -0.5, 0.5, NaN, Infinity]));
      else arg(r, b, dims.slice(int(r, 0, dims.length)).map((d) => (chance(r, 0.2) ? 1 : chance(r, 0.05) ? d + 1 : d)));
    }
  },
};

/** A bool array of `dims` (sometimes a reversed view of one), for the ops that read bool as it is. */
function boolArg(r: Rng, b: Built, dims: number[]): void {
  const size = dims.reduce((p, d) => p * d, 1);
  const whole = new NDArray<'bool'>(Uint8Array.from({ length: size }, () => (chance(r, 0.5) ? 1 : 0)), dims);
  plain(b, dims.length > 0 && chance(r, 0.5) ? whole.slice(...dims.map(() => [null, null, -1] as const)) : whole, `bool[${dims.join(', ')}]`);
}

/** Comparisons, logic and where: `count` operands that broadcast (or not): arrays, bool arrays, numbers and booleans. */
const operandsTarget =
  (count: number, vocabulary?: Record<string, readonly unknown[]>) =>
  (r: Rng, b: Built): void => {
    const dims = shape(r, int(r, 0, 3));
    for (let i = 0; i < count; i++) {
      const s = i === 0 ? dims : dims.map((d) => (chance(r, 0.3) ? 1 : chance(r, 0.1) ? d + 1 : d)).slice(int(r, 0, dims.length));
      const kind = r();
      if (kind < 0.15) plain(b, pick(r, [0, -1.5, 2, NaN, Infinity, true, false]));
      else if (kind < 0.3) boolArg(r, b, s);
      else arg(r, b, s);
    }
    if (vocabulary) options(r, b, vocabulary);
  };
const closeOptions = { rtol: [0, 1e-5, 0.5, -1, NaN, '1'], atol: [0, 1e-8, 1, Infinity], equalNan: [true, false, 1] };
const reductionOptions = { axis: [0, 1, -1, 2, 5, [0, 1], [1, 1], [], null, 0.5], keepdims: [true, false, 'yes'] };
const LOGIC_TARGETS: Record<string, (r: Rng, b: Built) => void> = {
  ...Object.fromEntries(['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'logicalAnd', 'logicalOr'].map((op) => [op, operandsTarget(2)])),
  ...Object.fromEntries(['logicalNot', 'isnan', 'isfinite', 'isinf'].map((op) => [op, operandsTarget(1)])),
  ...Object.fromEntries(['any', 'all'].map((op) => [op, operandsTarget(1, reductionOptions)])),
  ...Object.fromEntries(['isclose', 'allclose'].map((op) => [op, operandsTarget(2, closeOptions)])),
  where: operandsTarget(3),
};

/** Reductions: any shape, axes valid, negative, repeated, out of range or junk. */
const reductionTarget =
  (vocabulary: Record<string, readonly unknown[]>) =>
  (r: Rng, b: Built): void => {
    arg(r, b, shape(r, int(r, 0, 3)));
    options(r, b, vocabulary);
  };
const REDUCE_VOCABULARY = { axis: [0, -1, 1, [0, 1], [-1, 0], [0, 0], 5, null, 1.5, 'x'], keepdims: [true, false, 1] };
const REDUCTION_TARGETS: Record<string, (r: Rng, b: Built) => void> = {
  ...Object.fromEntries(['sum', 'prod', 'mean', 'min', 'max'].map((op) => [op, reductionTarget(REDUCE_VOCABULARY)])),
  ...Object.fromEntries(['variance', 'std'].map((op) => [op, reductionTarget({ ...REDUCE_VOCABULARY, ddof: [0, 1, 2.5, 100, -1, NaN, 'x'] })])),
  ...Object.fromEntries(['argmin', 'argmax'].map((op) => [op, reductionTarget({ axis: [0, -1, 2, null, [0], 1.5], keepdims: [true, false] })])),
  ...Object.fromEntries(['cumsum', 'cumprod'].map((op) => [op, reductionTarget({ axis: [0, -1, 2, null, [0], 'x'] })])),
};

/** Joining and splitting. */
const JOIN_TARGETS: Record<string, (r: Rng, b: Built) => void> = {
  concatenate(r, b) {
    const dims = shape(r, int(r, 1, 3));
    const parts = Array.from({ length: int(r, 1, 3) }, () => validArray(r, dims.map((d, i) => (i === 0 && chance(r, 0.5) ? int(r, 0, 3) : d))));
    if (chance(r, 0.1)) {
      plain(b, pick(r, [[], 'x', [[1], [[1]]]])); // junk, refused or computed the same either way
    } else {
      plain(b, parts.map((p) => p.value));
      b.canonical = b.canonical && [parts.map((p) => p.canonical)];
    }
    options(r, b, { axis: [0, -1, null, 7] });
  },
  stack(r, b) {
    const dims = shape(r, int(r, 0, 2));
    const parts = Array.from({ length: int(r, 1, 3) }, () => validArray(r, chance(r, 0.9) ? dims : shape(r)));
    plain(b, parts.map((p) => p.value));
    b.canonical = b.canonical && [parts.map((p) => p.canonical)];
    options(r, b, { axis: [0, -1, 1, 5] });
  },
  hstack(r, b) {
    const rows = int(r, 1, 3);
    const parts = Array.from({ length: int(r, 1, 3) }, () => validArray(r, chance(r, 0.5) ? [rows, int(r, 0, 3)] : [int(r, 0, 3)]));
    plain(b, parts.map((p) => p.value));
    b.canonical = b.canonical && [parts.map((p) => p.canonical)];
  },
  vstack(r, b) {
    const cols = int(r, 1, 3);
    const parts = Array.from({ length: int(r, 1, 3) }, () => validArray(r, chance(r, 0.5) ? [int(r, 0, 3), cols] : [cols]));
    plain(b, parts.map((p) => p.value));
    b.canonical = b.canonical && [parts.map((p) => p.canonical)];
  },
  split(r, b) {
    const dims = shape(r, int(r, 1, 3));
    arg(r, b, dims);
    plain(b, chance(r, 0.5) ? pick(r, [1, 2, 3, 0, -1, 1.5]) : [int(r, -2, 3), int(r, 0, 5)]);
    options(r, b, { axis: [0, -1, 3] });
  },
};

const RANDOM_TARGETS: Record<string, (r: Rng, b: Built) => void> = {
  uniform(r, b) {
    plain(b, chance(r, 0.85) ? (chance(r, 0.3) ? int(r, 0, 9) : shape(r)) : pick(r, [-1, 1.5, [2, -1], 'x', [2 ** 60], null]));
    options(r, b, { seed: [1, 7, 2 ** 31, 0], dtype: ['float64', 'float32'], low: [0, -1], high: [1, 5] });
  },
  normal(r, b) {
    plain(b, chance(r, 0.85) ? shape(r) : pick(r, [-1, 1.5, [2, -1], 'x', null]));
    options(r, b, { seed: [1, 7, 0], dtype: ['float64', 'float32'], mean: [0, 3], std: [1, 0.5, -1] });
  },
};

/**
 * The array constructors and accessors: `array(x, { dtype })` must give the
 * canonical values; `new NDArray(data, shape, strides, offset)` with random
 * geometry must either refuse or give a view whose every element lies in
 * its data.
 */
async function fuzzArrays(r: Rng, tally: Tally, failures: string[], where: string): Promise<void> {
  const a = chance(r, 0.85) ? validArray(r, shape(r)) : badArray(r);
  const dtype = optionValue(r, ['float64', 'float32', undefined]);
  tally.calls++;
  const got = await outcome(() => array(a.value as never, { dtype } as never));
  if (got.error !== undefined) {
    tally.refused++;
    if (!allowedError(got.error, false)) failures.push(`${where}: array(${a.describe}) threw ${String(got.error)}`);
  } else {
    tally.returned++;
    const x = got.ok as NDArray;
    if (a.canonical !== undefined) {
      tally.checked++;
      // Conversion to float32 rounds (1e300 becomes Infinity, as in numpy).
      const round = (v: unknown): unknown => (Array.isArray(v) ? v.map(round) : x.dtype === 'float32' ? Math.fround(v as number) : v);
      const want = round(a.canonical instanceof NDArray ? a.canonical.toArray() : a.canonical);
      if (!same(x.toArray(), want, 0)) failures.push(`${where}: array(${a.describe}, ${JSON.stringify({ dtype })}) gave ${JSON.stringify(x.toArray())}, not ${JSON.stringify(want)}`);
    }
  }
  // Raw geometry over a small buffer.
  const data = pick(r, [new Float64Array(int(r, 0, 12)), new Float32Array(int(r, 0, 12)), new Int32Array(4), new Uint8Array(4)]);
  const dims = shape(r, int(r, 0, 3));
  const strides = chance(r, 0.5) ? undefined : dims.map(() => pick(r, [0, 1, 2, -1, -3, 5, 1.5, NaN, 2 ** 53]));
  const offset = chance(r, 0.5) ? undefined : pick(r, [0, 1, 3, -1, 11, 0.5, NaN]);
  const label = `new NDArray(${data.constructor.name}(${data.length}), ${JSON.stringify(dims)}, ${JSON.stringify(strides)}, ${offset})`;
  tally.calls++;
  const made = await outcome(() => new NDArray(data as never, dims, strides, offset));
  if (made.error !== undefined) {
    tally.refused++;
    if (!allowedError(made.error, false)) failures.push(`${where}: ${label} threw ${String(made.error)}`);
    return;
  }
  tally.returned++;
  const v = made.ok as NDArray;
  // Every element it can address lies inside data: read them all (a bool array's as booleans).
  const element = (v.dtype as string) === 'bool' ? 'boolean' : 'number';
  const elements = (v.toArray() as unknown as number[]).flat?.(Infinity) ?? [v.toArray()];
  if ((elements as unknown[]).some((e) => typeof e !== element || Number.isNaN(e))) failures.push(`${where}: ${label} reads outside its data`);
  if (v.size > 0) {
    tally.calls++;
    const index = v.shape.map((d) => int(r, 0, d - 1));
    const direct = await outcome(() => v.get(...index));
    if (typeof direct.ok !== element || Number.isNaN(direct.ok)) failures.push(`${where}: ${label}.get(${index}) gave ${String(direct.ok ?? direct.error)}`);
  }
}

// ---------------------------------------------------------------- checking

const ALLOWED = [TypeError, RangeError, LinAlgError];

function allowedError(e: unknown, aborted: boolean): boolean {
  if (aborted && e instanceof Error && e.name === 'AbortError') return true;
  if ((e as { code?: unknown })?.code === 'ERR_WEFT_POOL_CLOSED') return true;
  if (e instanceof PoolItemError) return allowedError(e.cause, aborted);
  return ALLOWED.some((C) => e instanceof C) && !(e as Error).message.includes('weft internal error');
}

/** Relative closeness of two results, NaN equal to NaN, any nesting. */
function same(x: unknown, y: unknown, tol: number): boolean {
  if (x instanceof NDArray && y instanceof NDArray) {
    if (x.shape.length !== y.shape.length || x.shape.some((d, i) => d !== y.shape[i])) return false;
    if (x.data.constructor !== y.data.constructor) return false;
    const a = x.toArray() as unknown;
    const b = y.toArray() as unknown;
    return same(a, b, x.data instanceof Float32Array ? 1e-3 : tol);
  }
  if (typeof x === 'number' && typeof y === 'number') {
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
    if (!Number.isFinite(x) || !Number.isFinite(y)) return x === y;
    return Math.abs(x - y) <= tol * Math.max(1, Math.abs(x), Math.abs(y));
  }
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => same(v, y[i], tol));
  if (x && y && typeof x === 'object' && typeof y === 'object') {
    const kx = Object.keys(x).sort();
    const ky = Object.keys(y).sort();
    return kx.join() === ky.join() && kx.every((k) => same((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], tol));
  }
  return Object.is(x, y);
}

interface Outcome {
  ok?: unknown;
  error?: unknown;
}
async function outcome(call: () => unknown): Promise<Outcome> {
  try {
    return { ok: await call() };
  } catch (error) {
    return { error };
  }
}

interface Tally {
  calls: number;
  returned: number;
  refused: number;
  checked: number;
}

async function fuzzOne(r: Rng, tally: Tally, failures: string[], where: string): Promise<void> {
  const which = r();
  const isRandom = which < 0.05;
  const isCreation = !isRandom && which < 0.15;
  const isView = !isRandom && !isCreation && which < 0.25;
  const isJoin = which >= 0.25 && which < 0.3;
  const isArithmetic = which >= 0.3 && which < 0.42;
  const isLogic = which >= 0.42 && which < 0.5;
  const isReduction = which >= 0.5 && which < 0.58;
  const table = isRandom
    ? RANDOM_TARGETS
    : isCreation
      ? CREATION_TARGETS
      : isView
        ? VIEW_TARGETS
        : isJoin
          ? JOIN_TARGETS
          : isArithmetic
            ? ARITHMETIC_TARGETS
            : isLogic
              ? LOGIC_TARGETS
              : isReduction
                ? REDUCTION_TARGETS
                : TARGETS;
  const name = pick(r, Object.keys(table));
  const b: Built = { args: [], canonical: [], mutate: [], describe: [] };
  // The array core takes complex everywhere (or refuses it by name, as numpy): its arrays are complex part of the time too.
  complexArgs = table === TARGETS ? COMPLEX_OPS.has(name) : table !== RANDOM_TARGETS;
  table[name]!(r, b);
  complexArgs = false;
  const async = chance(r, 0.5);
  const op = opNamed(isRandom ? `random.${name}` : isCreation || isView || isJoin || isArithmetic || isLogic || isReduction ? name : `linalg.${name}`)!;
  let aborted = false;
  const withOptions = (args: unknown[]) => (b.options ? [...args, b.options.value] : args);
  if (b.options) b.describe.push(JSON.stringify(b.options.value) ?? String(b.options.value));
  let call: () => unknown;
  if (async) {
    // The async twin's options: the function's own plus signal/threads
    // (junk options stay junk).
    const own = b.options?.value;
    let controller: AbortController | undefined;
    let asyncOptions: unknown = own;
    if (own === undefined || (own !== null && typeof own === 'object' && !Array.isArray(own))) {
      const extra: Record<string, unknown> = { ...(own as object | undefined) };
      if (chance(r, 0.15)) {
        controller = new AbortController();
        extra.signal = controller.signal;
        if (chance(r, 0.5)) controller.abort();
      }
      if (chance(r, 0.1)) extra.threads = optionValue(r, [1, 2, 4]);
      asyncOptions = extra;
    }
    aborted = controller !== undefined;
    call = () => {
      const p = op.async(...b.args, asyncOptions);
      // The call has returned: its inputs are the caller's again (but for
      // ops whose result is a view of them by design).
      if (!op.view) for (const m of b.mutate) m();
      if (controller && chance(r, 0.5)) controller.abort();
      return p;
    };
  } else {
    call = () => op.sync(...withOptions(b.args));
  }
  tally.calls++;
  // WEFT_FUZZ_TRACE=1: each call on stderr before it runs, for a crash.
  if (process.env.WEFT_FUZZ_TRACE) process.stderr.write(`${where}: ${name}${async ? 'Async' : ''}(${b.describe.join(', ')})\n`);
  const got = await outcome(call);
  const context = () => `${where}: ${name}${async ? 'Async' : ''}(${b.describe.join(', ')})`;
  if (got.error !== undefined) {
    tally.refused++;
    if (!allowedError(got.error, aborted)) failures.push(`${context()} threw ${String((got.error as Error)?.stack ?? got.error)}`);
    return;
  }
  tally.returned++;
  if (!b.canonical || isRandom) return;
  const canonicalArgs = b.canonicalOptions ? [...b.canonical, b.canonicalOptions()] : withOptions(b.canonical);
  const expected = await outcome(() => op.sync(...canonicalArgs));
  if (expected.error !== undefined) {
    failures.push(`${context()} returned, but the same values contiguous threw ${String(expected.error)}`);
    return;
  }
  tally.checked++;
  if (!same(got.ok, expected.ok, 1e-9)) failures.push(`${context()} differs from the same values contiguous`);
}

async function fuzzPool(r: Rng, tally: Tally, failures: string[], where: string): Promise<void> {
  const ops: [string, unknown][] = [
    ['qr', linalg.qr],
    ['inv', linalg.inv],
    ['det', linalg.detAsync],
    ['svdvals', linalg.svdvals],
    ['a string', 'qr'],
    // A function item: its weft call (sync and async) belongs to the item.
    ['an inv pipeline', async (m: unknown) => linalg.inv(await linalg.invAsync(linalg.inv(m as never)))],
  ];
  const poolOptions = chance(r, 0.8)
    ? { concurrency: optionValue(r, [1, 2, 4, 10]), mode: optionValue(r, ['composable', 'static', 'serial-inner']), maxQueue: optionValue(r, [1, 8, undefined]) }
    : pick(r, [null, 'x', { concurrency: -1 }, { mode: 'fast' }]);
  tally.calls++;
  let pool: Pool;
  try {
    pool = new Pool(poolOptions as never);
  } catch (e) {
    tally.refused++;
    if (!allowedError(e, false)) failures.push(`${where}: new Pool(${JSON.stringify(poolOptions)}) threw ${String(e)}`);
    return;
  }
  const [opName, op] = pick(r, ops);
  const items: unknown[] = [];
  const canonical: (NDArray | number | undefined)[] = [];
  for (let i = 0, n = int(r, 0, 12); i < n; i++) {
    const k = int(r, 1, 4);
    const a = chance(r, 0.9) ? validArray(r, [k, k], { square: true }) : badArray(r);
    items.push(a.value);
    canonical.push(a.canonical);
  }
  const controller = chance(r, 0.3) ? new AbortController() : undefined;
  const method = pick(r, ['map', 'imap', 'run', 'starmap'] as const);
  // Further arguments for every item: qr's options, valid or not.
  const extra = opName === 'qr' && chance(r, 0.5) ? [{ mode: optionValue(r, ['r', 'reduced', 'raw']) }] : [];
  tally.calls++;
  const got = await outcome(async () => {
    if (method === 'run') return [await pool.run(op as (...args: unknown[]) => unknown, items[0], ...extra)];
    if (method === 'imap') {
      const out: unknown[] = [];
      for await (const x of pool.imap(op as (...args: unknown[]) => unknown, items, { args: extra, signal: controller?.signal })) out.push(x);
      return out;
    }
    const p =
      method === 'starmap'
        ? pool.starmap(op as (...args: unknown[]) => unknown, items.map((x) => [x, ...extra]), { signal: controller?.signal })
        : pool.map(op as (...args: unknown[]) => unknown, items, { args: extra, signal: controller?.signal });
    if (controller && chance(r, 0.7)) setTimeout(() => controller.abort(), int(r, 0, 3));
    return p;
  });
  const stats = pool.stats();
  if (stats.completed + stats.failed + stats.cancelled > stats.submitted) failures.push(`${where}: pool.stats() ${JSON.stringify(stats)} count more done than submitted`);
  tally.calls++;
  const closed = await outcome(() => (chance(r, 0.5) ? pool.close() : pool[Symbol.asyncDispose]()));
  if (closed.error !== undefined) failures.push(`${where}: pool.close() threw ${String(closed.error)}`);
  const after = pool.stats();
  if (after.running + after.queued !== 0) failures.push(`${where}: pool.close() resolved with work left ${JSON.stringify(after)}`);
  tally.calls++;
  const late = await outcome(() => pool.run(linalg.det, [[1]]));
  if ((late.error as { code?: unknown })?.code !== 'ERR_WEFT_POOL_CLOSED') failures.push(`${where}: a closed pool took work`);
  const context = `${where}: pool.${method}(${opName}, ${items.length} items${extra.length ? `, ${JSON.stringify(extra)}` : ''})`;
  if (got.error !== undefined) {
    tally.refused++;
    if (!allowedError(got.error, controller !== undefined)) failures.push(`${context} threw ${String((got.error as Error)?.stack ?? got.error)}`);
    return;
  }
  tally.returned++;
  const results = got.ok as unknown[];
  const sync = { qr: linalg.qr, inv: linalg.inv, det: linalg.det, svdvals: linalg.svdvals, 'an inv pipeline': (m: never) => linalg.inv(linalg.inv(linalg.inv(m))) }[opName] as Fn | undefined;
  if (!sync) {
    failures.push(`${context} accepted an operation that is not weft's`);
    return;
  }
  for (let i = 0; i < results.length; i++) {
    if (canonical[i] === undefined) continue;
    const expected = await outcome(() => sync(canonical[i], ...extra));
    tally.checked++;
    if (expected.error !== undefined || !same(results[i], expected.ok, 1e-9)) failures.push(`${context}: item ${i} differs from the same values contiguous`);
  }
}

/** threading.setMaxThreads, valid or not, between calls: new work moves to another arena. */
function concurrencyChange(r: Rng, tally: Tally, failures: string[], where: string): void {
  const n = optionValue(r, [1, 2, 3]);
  tally.calls++;
  try {
    threading.setMaxThreads(n as number);
    tally.returned++;
    if (threading.info().arena.threads !== n) failures.push(`${where}: setMaxThreads(${n}) did not take`);
  } catch (e) {
    tally.refused++;
    if (!allowedError(e, false)) failures.push(`${where}: setMaxThreads(${String(n)}) threw ${String(e)}`);
  }
}

describe('argument fuzzer', () => {
  it('has an argument generator for every op in the registry, and none for an op that is not there', () => {
    const generated = [
      ...Object.keys(TARGETS).map((k) => `linalg.${k}`),
      ...Object.keys(RANDOM_TARGETS).map((k) => `random.${k}`),
      ...Object.keys(CREATION_TARGETS),
      ...Object.keys(VIEW_TARGETS),
      ...Object.keys(JOIN_TARGETS),
      ...Object.keys(ARITHMETIC_TARGETS),
      ...Object.keys(LOGIC_TARGETS),
      ...Object.keys(REDUCTION_TARGETS),
    ];
    expect(generated.sort()).toEqual(registeredOps().map((op) => op.name).sort());
  });

  it.skipIf(!underAsan)('runs against the sanitizer build under test:asan', () => {
    const maps = readFileSync('/proc/self/maps', 'utf8');
    expect(maps).toMatch(/libasan\.so/);
    expect(maps).toMatch(/build-asan\/build\/Release\/weft\.node/);
  });

  it(`every call returns the contiguous answer or throws TypeError/RangeError/LinAlgError (seed ${seed}, ${seconds} s)`, async () => {
    const r = rng(seed);
    const tally: Tally = { calls: 0, returned: 0, refused: 0, checked: 0 };
    const failures: string[] = [];
    const deadline = performance.now() + seconds * 1000;
    let round = 0;
    while (performance.now() < deadline && failures.length < 20) {
      round++;
      const where = `seed ${seed} call ${tally.calls + 1}`;
      if (round % 40 === 0) await fuzzPool(r, tally, failures, where);
      else if (round % 10 === 0) await fuzzArrays(r, tally, failures, where);
      else if (round % 997 === 0) concurrencyChange(r, tally, failures, where);
      else await fuzzOne(r, tally, failures, where);
    }
    threading.setMaxThreads(threading.info().arena.defaultThreads);
    process.stderr.write(
      `fuzz: ${tally.calls} calls in ${seconds} s (seed ${seed}): ${tally.returned} returned (${tally.checked} checked against contiguous copies), ${tally.refused} refused\n`,
    );
    expect(failures).toEqual([]);
    expect(tally.calls).toBeGreaterThan(100);
    expect(tally.checked).toBeGreaterThan(10);
  }, (seconds + 60) * 1000);
});
