/**
 * Tensors: tensordot, tensorinv, tensorsolve, einsum — numpy's, composed of
 * weft's products and solvers over transposed and reshaped views.
 *
 * @module
 */
import { describe, linAlgError, typeError } from '../errors.js';
import { NDArray, array, isComplexData, toView } from '../ndarray.js';
import type { ArrayInput, FloatArray, NDArrayLike, View } from '../ndarray.js';
import { nativeCall, retain, step } from '../internal/dispatch.js';
import type { Program } from '../internal/dispatch.js';
import { readOptions } from '../internal/options.js';
import { asyncOf, defineOp } from '../internal/registry.js';
import type { FloatOp, FloatOp2, FloatOp2Async, FloatOpAsync, OpCall, TakesOptions } from '../internal/registry.js';
import { contiguousStrides, reshapeStrides } from '../internal/reshape.js';
import { normalizeAxis, permute, sizeOf, withGeometry } from '../internal/shape.js';
import { anyComplex, out } from './common.js';
import { sumTrailing } from './measures.js';
import { matmulViews } from './products.js';
import { inverseProgram, solveViews } from './solvers.js';

/** toView's opt-in: these compute on complex operands as their building blocks do (nothing is conjugated). */
const COMPLEX = { complex: true } as const;

/** `v` read in row-major order as `shape`: in place where its strides allow, else a contiguous copy (numpy's reshape). */
function* reshaped(v: View, shape: number[]): Program<View> {
  const strides = reshapeStrides(v.shape, v.strides, shape);
  if (strides !== undefined) return withGeometry(v, shape, strides);
  const [copy] = yield* retain(v);
  return withGeometry(copy!, shape, contiguousStrides(shape), 0);
}

/** a's last `k` axes against b's first `k` (BLAS `?gemm` on both flattened to matrices); the other axes kept in order. */
function* contract(fn: string, a: View, b: View, k: number): Program<NDArray> {
  const raw = yield* step(nativeCall('contract', [a, b], k, k, fn));
  return out(raw, [...a.shape.slice(0, a.shape.length - k), ...b.shape.slice(k)], anyComplex(a, b));
}

// ---------------------------------------------------------------- tensordot

/** Options of {@link tensordot}. */
export interface TensordotOptions {
  /**
   * The axes summed over: a count N (default 2) sums a's last N axes
   * against b's first N; a pair `[axesOfA, axesOfB]` (each an axis or a
   * list) sums `a`'s axes against `b`'s, pair by pair.
   */
  axes?: number | [number | number[], number | number[]];
}

function axisList(fn: string, name: string, value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value as number[];
  throw typeError(fn, name, 'an axis or an array of axes', value);
}

/** numpy's reading of tensordot's `axes`, each axis normalised; RangeError where numpy raises. */
function readTensordotAxes(fn: string, axes: unknown, va: View, vb: View): [number[], number[]] {
  const [na, nb] = [va.shape.length, vb.shape.length];
  let pair: [number[], number[]];
  if (axes === undefined || typeof axes === 'number') {
    const n = axes ?? 2;
    if (!Number.isSafeInteger(n) || n < 0) throw typeError(fn, 'options.axes', 'a count of axes from 0 up, or a pair of axis lists', axes);
    if (n > na || n > nb) {
      throw new RangeError(`${fn}: options.axes ${n} sums more axes than a (shape ${describe(va.shape)}) or b (shape ${describe(vb.shape)}) has`);
    }
    pair = [Array.from({ length: n }, (_, i) => na - n + i), Array.from({ length: n }, (_, i) => i)];
  } else if (Array.isArray(axes) && axes.length === 2) {
    const [la, lb] = [axisList(fn, 'options.axes[0]', axes[0]), axisList(fn, 'options.axes[1]', axes[1])];
    if (la.length !== lb.length) {
      throw new RangeError(`${fn}: options.axes pairs ${la.length} axes of a with ${lb.length} of b; they must pair one to one`);
    }
    pair = [la.map((x, i) => normalizeAxis(fn, `options.axes[0][${i}]`, x, na)), lb.map((x, i) => normalizeAxis(fn, `options.axes[1][${i}]`, x, nb))];
  } else {
    throw typeError(fn, 'options.axes', 'a count of axes, or a pair [axesOfA, axesOfB]', axes);
  }
  pair.forEach((list, side) => {
    if (new Set(list).size !== list.length) throw new RangeError(`${fn}: options.axes repeats an axis of ${side === 0 ? 'a' : 'b'}: ${describe(list)}`);
  });
  pair[0].forEach((x, i) => {
    const y = pair[1][i]!;
    if (va.shape[x] !== vb.shape[y]) {
      throw new RangeError(`${fn}: shape-mismatch for sum: axis ${x} of a has length ${va.shape[x]} but axis ${y} of b has ${vb.shape[y]}`);
    }
  });
  return pair;
}

function* tensordotProgram({ fn, async }: OpCall, a: ArrayInput, b: ArrayInput, options?: TensordotOptions): Program<NDArray> {
  const { axes } = readOptions(fn, options, { axes: (value: unknown) => value }, async);
  const va = toView(a, fn, 'a', COMPLEX);
  const vb = toView(b, fn, 'b', COMPLEX);
  const [sumA, sumB] = readTensordotAxes(fn, axes, va, vb);
  // numpy's: a's summed axes moved last and b's first, in pairs; one product.
  const keepA = va.shape.map((_, i) => i).filter((i) => !sumA.includes(i));
  const keepB = vb.shape.map((_, i) => i).filter((i) => !sumB.includes(i));
  return yield* contract(fn, permute(va, [...keepA, ...sumA]), permute(vb, [...sumB, ...keepB]), sumA.length);
}

/**
 * numpy's `tensordot`: the sum of products of `a` and `b` over the axes
 * `options.axes` names — its last N axes against b's first N for a count N
 * (default 2; 0 is the outer product), or `[axesOfA, axesOfB]` paired one by
 * one. The summed axes are moved together (views) and the product is one
 * BLAS `?gemm` on both operands flattened to matrices. The result has a's
 * other axes, then b's. float32 when both inputs are float32; complex
 * input promotes as {@link matmul}'s. Neither operand is conjugated.
 *
 * Unlike numpy, a negative count is refused (numpy reads it as 0).
 *
 * @param a Any shape.
 * @param b Any shape.
 * @param options `{ axes }`.
 * @throws RangeError when paired axes differ in length, an axis is out of
 *   range or repeated, or the count exceeds an operand's axes; TypeError for
 *   an `axes` that is neither a count nor a pair.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * linalg.tensordot([[1, 2], [3, 4]], [[1, 0], [0, 1]]).item();            // 5
 * linalg.tensordot([1, 2], [3, 4], { axes: 0 }).toArray();               // [[3, 4], [6, 8]]
 * linalg.tensordot([[1, 2], [3, 4]], [1, 1], { axes: [[0], [0]] }).toArray(); // [4, 6]
 * ```
 */
export const tensordot = defineOp('linalg.tensordot', tensordotProgram, { options: true }) as FloatOp2<typeof tensordotProgram> & TakesOptions;
export const tensordotAsync = asyncOf(tensordot) as FloatOp2Async<typeof tensordotProgram, true>;

// ---------------------------------------------------------------- tensorinv, tensorsolve

/** Options of {@link tensorinv}. */
export interface TensorinvOptions {
  /** How many leading axes index the rows of the inverted operator (default 2). */
  ind?: number;
}

function* tensorinvProgram({ fn, async }: OpCall, a: ArrayInput, options?: TensorinvOptions): Program<NDArray> {
  const { ind } = readOptions(fn, options, { ind: (value: unknown, f: string, name: string) => {
    if (value === undefined) return 2;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw typeError(f, name, 'a positive integer', value);
    return value;
  } }, async);
  const va = toView(a, fn, 'a', COMPLEX);
  const [rows, cols] = [va.shape.slice(0, ind), va.shape.slice(ind)];
  const n = sizeOf(cols);
  if (sizeOf(rows) !== n) {
    throw linAlgError('ERR_NOT_SQUARE', `${fn}: a (shape ${describe(va.shape)}) is not square at ind = ${ind}: its first ${ind} axes hold ${sizeOf(rows)} elements but the rest ${n}`);
  }
  const inverse = yield* inverseProgram(fn, yield* reshaped(va, [n, n]), false);
  return out(inverse.data, [...cols, ...rows], isComplexData(inverse.data));
}

/**
 * numpy's `tensorinv`: the inverse of `a` read as a linear operator from
 * its last axes to its first `ind` axes, so that
 * `tensordot(tensorinv(a), b, { axes: b.ndim })` solves
 * `tensordot(a, x, { axes: x.ndim }) = b`. `a` is reshaped to a square
 * matrix (a view where its strides allow) and inverted as {@link inv} does
 * (`?getrf` + `?getri`, real or complex); the result has shape `a.shape[ind:] + a.shape[:ind]`.
 * An empty operator has an empty inverse (numpy's reshape refuses it with
 * a ValueError).
 *
 * @param a The operator; the product of its first `ind` lengths must equal the product of the rest.
 * @param options `{ ind }`: the number of leading axes, default 2.
 * @throws LinAlgError `ERR_NOT_SQUARE` when the two products differ,
 *   `ERR_SINGULAR`; TypeError when `ind` is not a positive integer.
 *
 * @example
 * ```ts
 * import { linalg, reshape } from 'weft';
 * const a = reshape(linalg.matmul([[2, 0, 0, 0], [0, 4, 0, 0], [0, 0, 5, 0], [0, 0, 0, 8]], [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]), [4, 2, 2]);
 * const ainv = linalg.tensorinv(a, { ind: 1 });
 * ainv.shape;                                       // [2, 2, 4]
 * ainv.get(1, 1, 3);                                // 0.125
 * ```
 */
export const tensorinv = defineOp('linalg.tensorinv', tensorinvProgram, { options: true }) as FloatOp<typeof tensorinvProgram> & TakesOptions;
export const tensorinvAsync = asyncOf(tensorinv) as FloatOpAsync<typeof tensorinvProgram, true>;

/** Options of {@link tensorsolve}. */
export interface TensorsolveOptions {
  /** Axes of `a` moved to the end, in this order, before `a` is read as an operator (default none). */
  axes?: number[] | null;
}

function* tensorsolveProgram({ fn, async }: OpCall, a: ArrayInput, b: ArrayInput, options?: TensorsolveOptions): Program<NDArray> {
  const { axes } = readOptions(fn, options, { axes: (value: unknown, f: string, name: string) => (value === undefined || value === null ? undefined : axisList(f, name, value)) }, async);
  let va = toView(a, fn, 'a', COMPLEX);
  const vb = toView(b, fn, 'b', COMPLEX);
  const an = va.shape.length;
  if (axes !== undefined) {
    const moved = axes.map((x, i) => normalizeAxis(fn, `options.axes[${i}]`, x, an));
    if (new Set(moved).size !== moved.length) throw new RangeError(`${fn}: options.axes repeats an axis: ${describe(axes)}`);
    va = permute(va, [...va.shape.map((_, i) => i).filter((i) => !moved.includes(i)), ...moved]);
  }
  // numpy's: x has the shape of a's trailing axes beyond b's rank.
  const xShape = va.shape.slice(-(an - vb.shape.length));
  const n = sizeOf(xShape);
  if (sizeOf(va.shape) !== n * n) {
    throw linAlgError(
      'ERR_NOT_SQUARE',
      `${fn}: Input arrays must satisfy the requirement prod(a.shape[b.ndim:]) == prod(a.shape[:b.ndim]), but a.shape is ${describe(va.shape)} and b.shape ${describe(vb.shape)}`,
    );
  }
  if (sizeOf(vb.shape) !== n) {
    throw new RangeError(`${fn}: b (shape ${describe(vb.shape)}) holds ${sizeOf(vb.shape)} elements but a's operator has ${n} rows`);
  }
  const x = yield* solveViews(fn, yield* reshaped(va, [n, n]), yield* reshaped(vb, [n]));
  return out(x.data, xShape, isComplexData(x.data));
}

/**
 * numpy's `tensorsolve`: x such that `tensordot(a, x, { axes: x.ndim }) = b`,
 * x's shape being a's trailing axes beyond b's rank (after `axes`, if given,
 * are moved to the end). `a` is reshaped to a square matrix (a view where
 * its strides allow) and solved as {@link solve} does (`?gesv`, real or
 * complex).
 *
 * @param a The operator, shape `b.shape + x.shape`.
 * @param b Right-hand side, any shape.
 * @param options `{ axes }`: axes of `a` to move to the end first.
 * @throws LinAlgError `ERR_NOT_SQUARE` when `prod(a.shape[b.ndim:]) ≠
 *   prod(a.shape[:b.ndim])`, `ERR_SINGULAR`; RangeError for axes out of
 *   range or repeated.
 *
 * @example
 * ```ts
 * import { linalg, reshape } from 'weft';
 * const a = reshape([2, 0, 0, 0, 0, 4, 0, 0, 0, 0, 5, 0, 0, 0, 0, 8], [2, 2, 2, 2]);
 * linalg.tensorsolve(a, [[2, 4], [5, 8]]).toArray(); // [[1, 1], [1, 1]]
 * ```
 */
export const tensorsolve = defineOp('linalg.tensorsolve', tensorsolveProgram, { options: true }) as FloatOp2<typeof tensorsolveProgram> & TakesOptions;
export const tensorsolveAsync = asyncOf(tensorsolve) as FloatOp2Async<typeof tensorsolveProgram, true>;

// ---------------------------------------------------------------- einsum

/** A label of einsum: a letter's char code, or ELLIPSIS + i for the i-th axis the ellipsis covers (left to right). */
const ELLIPSIS = 1000;

interface Term {
  /** The letters and the ellipsis position, as written. */
  labels: number[];
  ellipsis: boolean;
}

function parseTerm(where: string, term: string, bad: (why: string) => RangeError): Term {
  const labels: number[] = [];
  let ellipsis = false;
  for (let i = 0; i < term.length; i++) {
    const ch = term[i]!;
    if (/[a-zA-Z]/.test(ch)) {
      labels.push(ch.charCodeAt(0));
    } else if (term.startsWith('...', i)) {
      if (ellipsis) throw bad(`${where} has more than one ellipsis`);
      ellipsis = true;
      labels.push(-1); // where the ellipsis axes go
      i += 2;
    } else {
      throw bad(`${where} has ${describe(ch)}, which is not a letter, ',' or '...'${ch === '-' || ch === '>' ? " (the output follows a single '->')" : ''}`);
    }
  }
  return { labels, ellipsis };
}

/** The term's labels with its ellipsis expanded to its `count` axes, the last of the `total` the ellipsis covers. */
function expand(term: Term, count: number, total: number): number[] {
  return term.labels.flatMap((l) => (l === -1 ? Array.from({ length: count }, (_, i) => ELLIPSIS + total - count + i) : [l]));
}

const labelName = (l: number) => (l >= ELLIPSIS ? `... axis ${l - ELLIPSIS}` : String.fromCharCode(l));

/** An operand with one label per axis, no label repeated. */
interface Labelled {
  view: View;
  labels: number[];
}

/** Repeated labels of one operand (of equal lengths) read as one axis: its diagonal, the strides added up. */
function takeDiagonals(view: View, labels: number[]): Labelled {
  const unique: number[] = [];
  const shape: number[] = [];
  const strides: number[] = [];
  labels.forEach((l, axis) => {
    const at = unique.indexOf(l);
    if (at < 0) {
      unique.push(l);
      shape.push(view.shape[axis]!);
      strides.push(view.strides[axis]!);
    } else {
      strides[at]! += view.strides[axis]!;
    }
  });
  return { view: withGeometry(view, shape, strides), labels: unique };
}

/** Sums the axes of `x` whose labels are not in `keep` (one native reduction), the others in their order. */
function* sumOut(x: Labelled, keep: Set<number>): Program<Labelled> {
  const kept = x.labels.map((_, i) => i).filter((i) => keep.has(x.labels[i]!));
  const summed = x.labels.map((_, i) => i).filter((i) => !keep.has(x.labels[i]!));
  if (summed.length === 0) return x;
  const sums = yield* sumTrailing(permute(x.view, [...kept, ...summed]), summed.length);
  return { view: { data: sums.data as FloatArray, shape: sums.shape.slice(), strides: contiguousStrides(sums.shape), offset: 0 }, labels: kept.map((i) => x.labels[i]!) };
}

/** The product of two operands summed over the labels they share that `keep` lacks; the shared ones it has stay as batch axes. */
function* pairwise(fn: string, x: Labelled, y: Labelled, keep: Set<number>): Program<Labelled> {
  const inY = new Set(y.labels);
  const inX = new Set(x.labels);
  const batch = x.labels.filter((l) => inY.has(l) && keep.has(l));
  const summed = x.labels.filter((l) => inY.has(l) && !keep.has(l));
  const left = x.labels.filter((l) => !inY.has(l));
  const right = y.labels.filter((l) => !inX.has(l));
  const axesOf = (z: Labelled, ls: number[]) => ls.map((l) => z.labels.indexOf(l));
  const size = (z: Labelled, ls: number[]) => ls.map((l) => z.view.shape[z.labels.indexOf(l)]!);
  const xv = permute(x.view, axesOf(x, [...batch, ...left, ...summed]));
  const yv = permute(y.view, axesOf(y, [...batch, ...summed, ...right]));
  const labels = [...batch, ...left, ...right];
  const shape = [...size(x, batch), ...size(x, left), ...size(y, right)];
  let data: FloatArray;
  if (batch.length === 0) {
    data = (yield* contract(fn, xv, yv, summed.length)).data as FloatArray;
  } else {
    // A batched product: batch axes kept, each side's other axes merged into one (matmul's m, k, n).
    // Row-major copies where the permuted views are not (sync) or always (async): matmul rounds a
    // stack of strided items differently as borrowed and as copied, and sync must equal async.
    const [p, k, q] = [sizeOf(size(x, left)), sizeOf(size(x, summed)), sizeOf(size(y, right))];
    const b = size(x, batch);
    const [xc, yc] = (yield* retain(xv, yv)) as [View, View];
    const product = yield* matmulViews(yield* reshaped(xc, [...b, p, k]), yield* reshaped(yc, [...b, k, q]), fn);
    data = product.data as FloatArray;
  }
  return { view: { data, shape, strides: contiguousStrides(shape), offset: 0 }, labels };
}

function* einsumProgram({ fn, async }: OpCall, subscripts: string, operands: readonly ArrayInput[], options?: Record<string, never>): Program<NDArray> {
  readOptions(fn, options, {}, async);
  if (typeof subscripts !== 'string') {
    throw typeError(fn, 'subscripts', "a string of einsum subscripts such as 'ij,jk->ik' (numpy's sublist form is not supported)", subscripts);
  }
  if (!Array.isArray(operands)) throw typeError(fn, 'operands', 'an array of the operands', operands);
  const views = operands.map((x, i) => toView(x, fn, `operands[${i}]`, COMPLEX));
  const bad = (why: string) => new RangeError(`${fn}: subscripts '${subscripts}': ${why}`);
  // numpy ignores spaces.
  const spec = subscripts.replace(/ /g, '');
  const arrow = spec.indexOf('->');
  if (arrow >= 0 && spec.indexOf('->', arrow + 1) >= 0) throw bad("has more than one '->'");
  const inputs = (arrow < 0 ? spec : spec.slice(0, arrow)).split(',');
  if (inputs.length !== views.length) {
    throw bad(`names ${inputs.length} operand${inputs.length === 1 ? '' : 's'} but ${views.length} ${views.length === 1 ? 'was' : 'were'} given`);
  }
  const terms = inputs.map((t, i) => parseTerm(`operands[${i}]'s term '${t}'`, t, bad));
  // How many axes each ellipsis covers; they broadcast right-aligned, as numpy's.
  const covered = terms.map((t, i) => {
    const letters = t.labels.filter((l) => l !== -1).length;
    const nd = views[i]!.shape.length;
    if (t.ellipsis ? letters > nd : letters !== nd) {
      throw bad(`operands[${i}] has ${nd} axes but its term '${inputs[i]}' names ${letters}${t.ellipsis ? ' besides the ellipsis' : ''}`);
    }
    return nd - letters;
  });
  const total = Math.max(0, ...covered);
  const labelled = terms.map((t, i) => expand(t, covered[i]!, total));
  // The output: as written, or numpy's implicit one (the ellipsis axes, then the letters used once, in order).
  let output: number[];
  const count = new Map<number, number>();
  for (const ls of labelled) for (const l of ls) count.set(l, (count.get(l) ?? 0) + 1);
  const ellipsisAxes = Array.from({ length: total }, (_, i) => ELLIPSIS + i);
  if (arrow < 0) {
    output = [...ellipsisAxes, ...[...count.keys()].filter((l) => l < ELLIPSIS && count.get(l) === 1).sort((p, q) => p - q)];
  } else {
    const term = parseTerm(`the output '${spec.slice(arrow + 2)}'`, spec.slice(arrow + 2), bad);
    if (!term.ellipsis && total > 0) throw bad("the operands' ellipsis covers axes, but the output has no '...' to put them");
    output = expand(term, total, total);
    output.forEach((l, i) => {
      if (l < ELLIPSIS && !count.has(l)) throw bad(`the output's label ${labelName(l)} is in no operand's term`);
      if (output.indexOf(l) !== i) throw bad(`the output repeats label ${labelName(l)}`);
    });
  }
  // Every label's length: equal wherever it appears, or 1 (broadcast, as numpy).
  const lengths = new Map<number, number>();
  labelled.forEach((ls, i) => ls.forEach((l, axis) => {
    const n = views[i]!.shape[axis]!;
    const first = ls.indexOf(l);
    if (first < axis && views[i]!.shape[first] !== n) {
      throw bad(`operands[${i}] repeats label ${labelName(l)} over axes of lengths ${views[i]!.shape[first]} and ${n}, which must be equal`);
    }
    const seen = lengths.get(l);
    if (seen === undefined || seen === 1) lengths.set(l, n);
    else if (n !== 1 && n !== seen) throw bad(`label ${labelName(l)} has length ${seen} in one operand but ${n} in operands[${i}]`);
  }));
  // Later operands are read after the first native step: copies of them now.
  const given = views.length > 1 ? yield* retain(...views) : views;
  let parts = given.map((v, i) => {
    const x = takeDiagonals(v, labelled[i]!);
    // A length-1 axis stretched to its label's length (stride 0).
    const shape = x.labels.map((l) => lengths.get(l)!);
    return { view: withGeometry(x.view, shape, x.view.strides.map((s, d) => (x.view.shape[d] === shape[d] ? s : 0))), labels: x.labels };
  });
  const wanted = new Set(output);
  const neededAfter = (i: number) => new Set([...wanted, ...parts.slice(i + 1).flatMap((p) => p.labels)]);
  // Each operand's labels that nothing else uses are summed first; then left to right, pair by pair.
  let result: Labelled | undefined;
  let fresh = false;
  for (let i = 0; i < parts.length; i++) {
    const others = new Set([...wanted, ...parts.flatMap((p, j) => (j === i ? [] : p.labels))]);
    const part = yield* sumOut(parts[i]!, others);
    fresh ||= part !== parts[i];
    parts = parts.map((p, j) => (j === i ? part : p));
    if (result === undefined) {
      result = part;
      continue;
    }
    result = yield* pairwise(fn, result, part, neededAfter(i));
    fresh = true;
  }
  const final = result!;
  const ordered = permute(final.view, output.map((l) => final.labels.indexOf(l)));
  // A fresh contiguous result unless it already is one (a lone operand, a transposed product: copied).
  if (fresh && output.every((l, i) => final.labels[i] === l)) return new NDArray(ordered.data as FloatArray, ordered.shape, ordered.strides, ordered.offset);
  return array(ordered as NDArrayLike);
}

/**
 * numpy's `einsum`: the Einstein summation `subscripts` describes, over
 * `operands` (a list, as {@link multiDot} takes its chain; numpy passes them
 * as separate arguments). Every form of numpy's subscripts string is
 * supported:
 *
 * - contractions of two operands, `'ij,jk->ik'`, `'ijk,jl->ikl'`, and
 *   batched ones, `'bij,bjk->bik'` (a shared label kept in the output is a
 *   batch axis);
 * - implicit output (`'ij,jk'`: the letters used once, in alphabetical
 *   order, after the ellipsis axes) and explicit output after `'->'`;
 * - `'...'` in any term: the axes it covers broadcast (right-aligned, length
 *   1 stretching), as numpy's;
 * - one operand: transposes `'ij->ji'`, traces `'ii'`, diagonals `'ii->i'`,
 *   sums `'ij->'`, `'ij->j'`;
 * - outer products `'i,j->ij'`; any label repeated in one operand (a
 *   diagonal), a length-1 axis broadcast against its label's length;
 * - three or more operands, contracted pairwise left to right (numpy's
 *   `optimize=False` order of operands; no path search).
 *
 * How: each operand's repeated labels become a diagonal view; labels only
 * one operand uses (and the output lacks) are summed by a native
 * reduction; each pair is one BLAS `?gemm` (a batched one when they share a
 * label the output keeps) on the operands transposed and reshaped (views
 * where the strides allow). The result is a new contiguous array (numpy
 * returns a view for a lone transpose or diagonal). float32 when every
 * operand is float32; complex operands promote as {@link matmul}'s (a
 * complex sum adds the parts apart). No operand is conjugated.
 *
 * Not supported: numpy's sublist form (`einsum(a, [0, 1], b, [1, 2])`) and
 * its `out`, `dtype`, `order`, `casting` and `optimize` keywords.
 *
 * @param subscripts Comma-separated terms, one per operand, letters
 *   `a`–`z`, `A`–`Z` and at most one `'...'` each; optionally `'->'` and the
 *   output's term. Spaces are ignored.
 * @param operands The arrays, one per term.
 * @throws RangeError naming the subscripts for a malformed string, a term
 *   whose letters do not match its operand's axes, a label whose lengths
 *   differ, an output label no operand has or repeated; TypeError when
 *   `subscripts` is not a string or `operands` not an array.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * const a = [[1, 2], [3, 4]];
 * linalg.einsum('ij,jk->ik', [a, [[1, 0], [0, 1]]]).toArray(); // [[1, 2], [3, 4]]
 * linalg.einsum('ii', [a]).item();                             // 5
 * linalg.einsum('ij->ji', [a]).toArray();                      // [[1, 3], [2, 4]]
 * linalg.einsum('i,j', [[1, 2], [3, 4]]).toArray();            // [[3, 4], [6, 8]]
 * linalg.einsum('bij,bj->bi', [[a, a], [[1, 1], [1, 0]]]).toArray(); // [[3, 7], [1, 3]]
 * linalg.einsum('...j,j', [a, [1, -1]]).toArray();             // [-1, -1]
 * ```
 */
export const einsum = defineOp('linalg.einsum', einsumProgram, { options: true });
export const einsumAsync = asyncOf(einsum);
