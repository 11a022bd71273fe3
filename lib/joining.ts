/**
 * Joining and splitting, as numpy's: concatenate, stack, hstack, vstack,
 * split. Joins copy into a new array (float32 when every input is float32,
 * else float64); split returns views.
 *
 * @module
 */
import { describe } from './errors.js';
import { NDArray, allocateElements, castElements, copyElements, declaredFloat, isComplexData, toView } from './ndarray.js';
import type { ArrayInput, DType, FloatArray, View } from './ndarray.js';
import type { Program } from './internal/dispatch.js';
import { readOptions } from './internal/options.js';
import type { OptionReader } from './internal/options.js';
import { asyncOf, defineOp } from './internal/registry.js';
import type { OpCall } from './internal/registry.js';
import { sliceView } from './internal/reshape.js';
import { insertAxis, normalizeAxis } from './internal/shape.js';

const axisOption = (fallback: number | null): OptionReader<number | null> => (value) => (value === undefined ? fallback : (value as number | null));

/** The views of a list of arrays (at least `min` of them). */
function viewsOf(fn: string, arrays: unknown, min = 1): View[] {
  if (!Array.isArray(arrays)) throw new TypeError(`${fn}: expected arrays to be an array of arrays, but received ${describe(arrays)}`);
  if (arrays.length < min) throw new RangeError(`${fn}: need at least ${min} array${min === 1 ? '' : 's'} to join, but received ${arrays.length}`);
  return arrays.map((a, i) => toView(a, fn, `arrays[${i}]`, { bool: true, complex: true }));
}

/** Joins `views` along `axis` (all of the same rank, equal elsewhere) into a new contiguous array. */
function join(fn: string, views: View[], axis: number): NDArray {
  const nd = views[0]!.shape.length;
  if (nd === 0) throw new RangeError(`${fn}: zero-dimensional arrays cannot be concatenated`);
  const at = normalizeAxis(fn, 'options.axis', axis, nd);
  views.forEach((v, i) => {
    if (v.shape.length !== nd) {
      throw new RangeError(`${fn}: all the input arrays must have the same number of axes, but arrays[0] has ${nd} and arrays[${i}] has ${v.shape.length}`);
    }
    v.shape.forEach((d, k) => {
      if (k !== at && d !== views[0]!.shape[k]) {
        throw new RangeError(
          `${fn}: all the input array dimensions except for the concatenation axis must match exactly, but along axis ${k} arrays[0] has ${views[0]!.shape[k]} and arrays[${i}] has ${d}`,
        );
      }
    });
  });
  const shape = views[0]!.shape.slice();
  shape[at] = views.reduce((sum, v) => sum + v.shape[at]!, 0);
  const dtype = joinedDtype(views);
  // Complex storage holds two numbers per element.
  const w = dtype === 'complex128' || dtype === 'complex64' ? 2 : 1;
  const size = shape.reduce((p, d) => p * d, 1);
  const out = allocateElements(dtype, size, fn);
  const outer = shape.slice(0, at).reduce((p, d) => p * d, 1);
  const row = shape.slice(at).reduce((p, d) => p * d, 1);
  let column = 0;
  for (const v of views) {
    const values = castElements(v, dtype);
    const width = v.shape.slice(at).reduce((p, d) => p * d, 1);
    for (let o = 0; o < outer; o++) out.set(values.subarray(w * o * width, w * (o + 1) * width), w * (o * row + column));
    column += width;
  }
  return declaredFloat(NDArray.fromContiguous(out, shape));
}

/* eslint-disable require-yield */

function* concatenateProgram({ fn, async }: OpCall, arrays: readonly ArrayInput[], options?: { axis?: number | null }): Program<NDArray> {
  const { axis } = readOptions(fn, options, { axis: axisOption(0) }, async);
  const views = viewsOf(fn, arrays);
  // axis null: every array flattened first.
  if (axis === null) return join(fn, views.map((v) => ({ ...v, ...flatGeometry(v) })), 0);
  return join(fn, views, axis);
}

/** A view's elements as one axis: its own geometry when contiguous, else a row-major copy. */
function flatGeometry(v: View): View {
  const data = copyElements(v);
  return { data, shape: [v.shape.reduce((p, d) => p * d, 1)], strides: [1], offset: 0 };
}

/**
 * numpy's result dtype of joined arrays: bool only when all are bool;
 * complex when any is (complex64 when every other is float32 or
 * complex64); else float32 only when all are float32 (bool joins float as
 * float64, as weft reads it).
 */
function joinedDtype(views: readonly View[]): DType {
  if (views.every((v) => v.data instanceof Uint8Array)) return 'bool';
  const single = views.every((v) => v.data instanceof Float32Array);
  if (views.some((v) => isComplexData(v.data))) return single ? 'complex64' : 'complex128';
  return single ? 'float32' : 'float64';
}

function* stackProgram({ fn, async }: OpCall, arrays: readonly ArrayInput[], options?: { axis?: number }): Program<NDArray> {
  const { axis } = readOptions(fn, options, { axis: axisOption(0) }, async);
  const views = viewsOf(fn, arrays);
  const shape = views[0]!.shape;
  views.forEach((v, i) => {
    if (v.shape.length !== shape.length || v.shape.some((d, k) => d !== shape[k])) {
      throw new RangeError(`${fn}: all input arrays must have the same shape, but arrays[0] has ${describe(shape)} and arrays[${i}] has ${describe(v.shape)}`);
    }
  });
  const at = normalizeAxis(fn, 'options.axis', axis ?? 0, shape.length + 1);
  return join(fn, views.map((v) => insertAxis(v, at)), at);
}

/** numpy's atleast_1d / atleast_2d: a 0-d array as [1], a 1-D one as a row. */
const atLeast = (v: View, nd: number): View => {
  let out = v;
  while (out.shape.length < nd) out = insertAxis(out, 0);
  return out;
};

function* hstackProgram({ fn }: OpCall, arrays: readonly ArrayInput[]): Program<NDArray> {
  const views = viewsOf(fn, arrays).map((v) => atLeast(v, 1));
  return join(fn, views, views[0]!.shape.length === 1 ? 0 : 1);
}

function* vstackProgram({ fn }: OpCall, arrays: readonly ArrayInput[]): Program<NDArray> {
  return join(fn, viewsOf(fn, arrays).map((v) => atLeast(v, 2)), 0);
}

function* splitProgram({ fn, async }: OpCall, a: ArrayInput, sections: number | readonly number[], options?: { axis?: number }): Program<NDArray[]> {
  const { axis } = readOptions(fn, options, { axis: axisOption(0) }, async);
  const view = toView(a, fn, 'a', { bool: true, complex: true });
  const at = normalizeAxis(fn, 'options.axis', axis ?? 0, view.shape.length);
  const n = view.shape[at]!;
  let bounds: number[];
  if (typeof sections === 'number') {
    if (!Number.isInteger(sections) || sections < 1) throw new TypeError(`${fn}: expected sections to be a positive integer or a list of indices, but received ${sections}`);
    if (n % sections !== 0) throw new RangeError(`${fn}: array split does not result in an equal division: ${n} elements along axis ${at} into ${sections}`);
    bounds = Array.from({ length: sections - 1 }, (_, i) => ((i + 1) * n) / sections);
  } else if (Array.isArray(sections)) {
    bounds = sections.map((b, i) => {
      if (typeof b !== 'number' || !Number.isInteger(b)) throw new TypeError(`${fn}: expected sections[${i}] to be an integer, but received ${describe(b)}`);
      return b;
    });
  } else {
    throw new TypeError(`${fn}: expected sections to be a positive integer or a list of indices, but received ${describe(sections)}`);
  }
  // numpy: the pieces [0, b0), [b0, b1), ..., [bk, n), each a slice (a view).
  const edges = [0, ...bounds, n];
  const lead = new Array<null>(at).fill(null);
  return edges.slice(0, -1).map((start, i) => {
    const piece = sliceView(fn, view, [...lead, [start, edges[i + 1]!]]);
    return new NDArray(piece.data as FloatArray, piece.shape, piece.strides, piece.offset);
  });
}

/**
 * Arrays joined along an existing axis (numpy's `concatenate`); with
 * `axis: null`, each flattened first.
 *
 * @param arrays The arrays: the same rank, equal but for `axis`.
 * @param options `{ axis }`: default 0.
 * @throws RangeError when the shapes do not fit together.
 * @example
 * ```ts
 * import { concatenate } from 'weft';
 * concatenate([[[1, 2]], [[3, 4]]]).toArray();             // [[1, 2], [3, 4]]
 * concatenate([[[1], [2]], [[3], [4]]], { axis: 1 }).toArray(); // [[1, 3], [2, 4]]
 * ```
 */
export const concatenate = defineOp('concatenate', concatenateProgram, { options: true });
export const concatenateAsync = asyncOf(concatenate);

/**
 * Arrays of one shape joined along a new axis (numpy's `stack`).
 *
 * @param arrays The arrays, all of one shape.
 * @param options `{ axis }`: where the new axis goes, default 0.
 * @example
 * ```ts
 * import { stack } from 'weft';
 * stack([[1, 2], [3, 4]]).toArray();             // [[1, 2], [3, 4]]
 * stack([[1, 2], [3, 4]], { axis: 1 }).toArray(); // [[1, 3], [2, 4]]
 * ```
 */
export const stack = defineOp('stack', stackProgram, { options: true });
export const stackAsync = asyncOf(stack);

/**
 * Arrays joined column-wise (numpy's `hstack`): along axis 1, or axis 0 for 1-D arrays.
 *
 * @param arrays The arrays.
 * @example
 * ```ts
 * import { hstack, ones } from 'weft';
 * hstack([ones([2, 1]), [[5], [6]]]).toArray(); // [[1, 5], [1, 6]]
 * ```
 */
export const hstack = defineOp('hstack', hstackProgram);
export const hstackAsync = asyncOf(hstack);

/**
 * Arrays joined row-wise (numpy's `vstack`): along axis 0, 1-D arrays as rows.
 *
 * @param arrays The arrays.
 * @example
 * ```ts
 * import { vstack } from 'weft';
 * vstack([[1, 2], [3, 4]]).toArray(); // [[1, 2], [3, 4]]
 * ```
 */
export const vstack = defineOp('vstack', vstackProgram);
export const vstackAsync = asyncOf(vstack);

/**
 * `a` cut along `axis` (numpy's `split`): into `sections` equal pieces, or
 * at the listed indices. The pieces are views of `a`.
 *
 * @param a Any array input.
 * @param sections How many equal pieces, or the indices to cut at.
 * @param options `{ axis }`: default 0.
 * @throws RangeError when `sections` does not divide the axis.
 * @example
 * ```ts
 * import { arange, split } from 'weft';
 * split(arange(6), 3).map((p) => p.toArray());      // [[0, 1], [2, 3], [4, 5]]
 * split(arange(6), [1, 4]).map((p) => p.toArray()); // [[0], [1, 2, 3], [4, 5]]
 * ```
 */
export const split = defineOp('split', splitProgram, { options: true, view: true });
export const splitAsync = asyncOf(split);
