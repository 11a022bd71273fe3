/**
 * Shape and views, as numpy's: slice, take, reshape, ravel, transpose,
 * swapaxes, moveaxis, expandDims, squeeze, broadcastTo, flip. Each returns a view that
 * shares its input's memory wherever numpy gives a view (all of them do,
 * but reshape and ravel of a layout that cannot be re-read without one,
 * which copy). Views are writable: writing to one writes into the input
 * (numpy's broadcastTo view is read-only; weft's is not — write to it and
 * every broadcast position changes).
 *
 * @module
 */
import { NDArray, allocateElements, copyElements, dtypeOf, isComplexData, reshaped, toView } from './ndarray.js';
import type { ArrayInput, DType, FloatArray, View } from './ndarray.js';
import type { Program } from './internal/dispatch.js';
import { readOptions, shapeArgument } from './internal/options.js';
import type { OptionReader } from './internal/options.js';
import { asyncOf, defineOp } from './internal/registry.js';
import type { DTypeKeepingOp, DTypeKeepingOpAsync, OpCall, TakesOptions } from './internal/registry.js';
import { moveAxis, normalizeAxis, permute } from './internal/shape.js';
import { sliceView } from './internal/reshape.js';
import { describe } from './errors.js';

/** An NDArray over `view`'s memory. */
const wrap = (view: View): NDArray => new NDArray(view.data as FloatArray, view.shape, view.strides, view.offset);

/** `a` as a view: integer input converted (a copy), float and bool input in place (a bool view stays bool). */
const floatView = (fn: string, a: ArrayInput): View => toView(a, fn, 'a', { bool: true, complex: true });

/** One axis or several (numpy's int-or-tuple axis arguments), each normalised against `ndim`, no repeats. */
export function axesOf(fn: string, name: string, value: unknown, ndim: number): number[] {
  const list = Array.isArray(value) ? value : [value];
  const axes = list.map((axis, i) => normalizeAxis(fn, Array.isArray(value) ? `${name}[${i}]` : name, axis, ndim));
  if (new Set(axes).size !== axes.length) throw new RangeError(`${fn}: repeated axis in ${name} ${describe(value)}`);
  return axes;
}

/** An optional axis-or-axes option: undefined means all axes. */
const axisOption: OptionReader<unknown> = (value) => value;

// Programs without a native call: the results are views (or a JS copy).
/* eslint-disable require-yield */

function* reshapeProgram({ fn }: OpCall, a: ArrayInput, shape: number | readonly number[]): Program<NDArray> {
  const view = floatView(fn, a);
  const requested = typeof shape === 'number' ? [shape] : shape;
  if (!Array.isArray(requested)) throw new TypeError(`${fn}: expected shape to be a length or an array of lengths, but received ${describe(shape)}`);
  return reshaped(fn, wrap(view), requested);
}

function* ravelProgram({ fn }: OpCall, a: ArrayInput): Program<NDArray> {
  return reshaped(fn, wrap(floatView(fn, a)), [-1]);
}

function* transposeProgram({ fn, async }: OpCall, a: ArrayInput, options?: { axes?: readonly number[] }): Program<NDArray> {
  const { axes } = readOptions(fn, options, { axes: axisOption }, async);
  const view = floatView(fn, a);
  const nd = view.shape.length;
  if (axes === undefined) return wrap(permute(view, Array.from({ length: nd }, (_, i) => nd - 1 - i)));
  if (!Array.isArray(axes) || axes.length !== nd) {
    throw new RangeError(`${fn}: expected options.axes to list each of the ${nd} axes once, but received ${describe(axes)}`);
  }
  return wrap(permute(view, axesOf(fn, 'options.axes', axes, nd)));
}

function* swapaxesProgram({ fn }: OpCall, a: ArrayInput, axis1: number, axis2: number): Program<NDArray> {
  const view = floatView(fn, a);
  const nd = view.shape.length;
  const [i, j] = [normalizeAxis(fn, 'axis1', axis1, nd), normalizeAxis(fn, 'axis2', axis2, nd)];
  const order = Array.from({ length: nd }, (_, k) => (k === i ? j : k === j ? i : k));
  return wrap(permute(view, order));
}

function* moveaxisProgram({ fn }: OpCall, a: ArrayInput, source: number | readonly number[], destination: number | readonly number[]): Program<NDArray> {
  const view = floatView(fn, a);
  const nd = view.shape.length;
  const from = axesOf(fn, 'source', source, nd);
  const to = axesOf(fn, 'destination', destination, nd);
  if (from.length !== to.length) {
    throw new RangeError(`${fn}: source ${describe(source)} and destination ${describe(destination)} must name as many axes`);
  }
  if (from.length === 1) return wrap(moveAxis(view, from[0]!, to[0]!));
  // numpy: the other axes keep their order and fill the places left.
  const order = new Array<number>(nd).fill(-1);
  from.forEach((f, k) => (order[to[k]!] = f));
  const rest = Array.from({ length: nd }, (_, i) => i).filter((i) => !from.includes(i));
  for (let i = 0; i < nd; i++) if (order[i] === -1) order[i] = rest.shift()!;
  return wrap(permute(view, order));
}

function* expandDimsProgram({ fn }: OpCall, a: ArrayInput, axis: number | readonly number[]): Program<NDArray> {
  const view = floatView(fn, a);
  const count = Array.isArray(axis) ? axis.length : 1;
  const nd = view.shape.length + count;
  const at = new Set(axesOf(fn, 'axis', axis, nd));
  const shape: number[] = [];
  const strides: number[] = [];
  for (let i = 0, k = 0; i < nd; i++) {
    if (at.has(i)) {
      shape.push(1);
      strides.push(0);
    } else {
      shape.push(view.shape[k]!);
      strides.push(view.strides[k++]!);
    }
  }
  return wrap({ ...view, shape, strides });
}

function* squeezeProgram({ fn, async }: OpCall, a: ArrayInput, options?: { axis?: number | readonly number[] }): Program<NDArray> {
  const { axis } = readOptions(fn, options, { axis: axisOption }, async);
  const view = floatView(fn, a);
  const nd = view.shape.length;
  const drop = axis === undefined ? view.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : axesOf(fn, 'options.axis', axis, nd);
  for (const i of drop) {
    if (view.shape[i] !== 1) throw new RangeError(`${fn}: cannot select axis ${i} to squeeze out: it has length ${view.shape[i]}, not 1`);
  }
  const keep = Array.from({ length: nd }, (_, i) => i).filter((i) => !drop.includes(i));
  return wrap({ ...view, shape: keep.map((i) => view.shape[i]!), strides: keep.map((i) => view.strides[i]!) });
}

function* broadcastToProgram({ fn }: OpCall, a: ArrayInput, shape: number | readonly number[]): Program<NDArray> {
  const view = floatView(fn, a);
  const target = shapeArgument(fn, 'shape', shape);
  const skip = target.length - view.shape.length;
  const fail = () =>
    new RangeError(`${fn}: operands could not be broadcast together with shapes ${describe(view.shape)} and requested shape ${describe(target)}`);
  if (skip < 0) throw fail();
  const strides = target.map((d, i) => {
    if (i < skip) return 0;
    const own = view.shape[i - skip]!;
    if (own === d) return view.strides[i - skip]!;
    if (own === 1) return 0;
    throw fail();
  });
  return wrap({ ...view, shape: target, strides });
}

function* flipProgram({ fn, async }: OpCall, a: ArrayInput, options?: { axis?: number | readonly number[] }): Program<NDArray> {
  const { axis } = readOptions(fn, options, { axis: axisOption }, async);
  const view = floatView(fn, a);
  const nd = view.shape.length;
  const axes = axis === undefined ? Array.from({ length: nd }, (_, i) => i) : axesOf(fn, 'options.axis', axis, nd);
  let offset = view.offset;
  const strides = view.strides.slice();
  for (const i of axes) {
    if (view.shape[i]! > 0) offset += strides[i]! * (view.shape[i]! - 1);
    strides[i] = -strides[i]!;
  }
  return wrap({ ...view, strides, offset });
}

// ---------------------------------------------------------------- slice, take

/** One axis of a {@link slice}: an index (the axis goes), `null` (all of it), or `[start, stop, step]`. */
export type SliceSpec = number | null | readonly [start?: number | null, stop?: number | null, step?: number | null];

function* sliceProgram({ fn }: OpCall, a: ArrayInput, index: readonly SliceSpec[]): Program<NDArray> {
  if (!Array.isArray(index)) throw new TypeError(`${fn}: expected index to be an array (one entry per axis), but received ${describe(index)}`);
  return wrap(sliceView(fn, floatView(fn, a), index));
}

function* takeProgram({ fn, async }: OpCall, a: ArrayInput, indices: number | readonly number[], options?: { axis?: number | null }): Program<NDArray> {
  const { axis } = readOptions(fn, options, { axis: axisOption }, async);
  let view = floatView(fn, a);
  if (axis === undefined || axis === null) view = floatView(fn, reshaped(fn, wrap(view), [-1]));
  const nd = view.shape.length;
  const at = axis === undefined || axis === null ? 0 : normalizeAxis(fn, 'options.axis', axis, nd);
  const n = view.shape[at]!;
  const list = typeof indices === 'number' ? [indices] : indices;
  if (!Array.isArray(list)) throw new TypeError(`${fn}: expected indices to be an integer or an array of integers, but received ${describe(indices)}`);
  const picks = list.map((i, k) => {
    if (typeof i !== 'number' || !Number.isInteger(i)) throw new TypeError(`${fn}: expected indices[${k}] to be an integer, but received ${describe(i)}`);
    if (i < -n || i >= n) throw new RangeError(`${fn}: index ${i} is out of bounds for axis ${at} with size ${n}`);
    return i < 0 ? i + n : i;
  });
  // One slice per index, stacked along the axis: numpy's take with mode 'raise'.
  const parts = picks.map((i) => sliceView(fn, view, [...new Array<null>(at).fill(null), i]));
  const shape = [...view.shape.slice(0, at), ...(typeof indices === 'number' ? [] : [picks.length]), ...view.shape.slice(at + 1)];
  const out = allocateElements(dtypeOf(view.data) as DType, shape.reduce((p, d) => p * d, 1), fn);
  // Row-major: for each position before the axis, the picked rows one after another.
  const outer = view.shape.slice(0, at).reduce((p, d) => p * d, 1);
  const inner = view.shape.slice(at + 1).reduce((p, d) => p * d, 1);
  // Complex storage holds two numbers per element.
  const w = isComplexData(view.data) ? 2 : 1;
  parts.forEach((part, k) => {
    const values = copyElements(part);
    for (let o = 0; o < outer; o++) out.set(values.subarray(w * o * inner, w * (o + 1) * inner), w * (o * picks.length + k) * inner);
  });
  return NDArray.fromContiguous(out as FloatArray, shape);
}

/**
 * `a[index...]` as numpy's basic indexing gives it, as a view: per axis an
 * integer (the axis goes; negative counts from the end), `null` (the whole
 * axis), or `[start, stop, step]` (each may be null; negatives count from
 * the end, out-of-range bounds clamp, a negative step walks backwards).
 * Axes not listed are taken whole. `NDArray.slice(...index)` is the same.
 *
 * @param a Any array input.
 * @param index One entry per leading axis.
 * @throws RangeError for an integer out of bounds, a step of 0, or more entries than axes.
 * @example
 * ```ts
 * import { arange, slice } from 'weft';
 * const a = arange(12).reshape(3, 4);
 * slice(a, [1]).toArray();                  // [4, 5, 6, 7]
 * slice(a, [null, [1, 3]]).toArray();       // [[1, 2], [5, 6], [9, 10]]
 * slice(a, [[null, null, -1], -1]).toArray(); // [11, 7, 3]
 * ```
 */
export const slice = defineOp('slice', sliceProgram, { view: true }) as DTypeKeepingOp<typeof sliceProgram>;
export const sliceAsync = asyncOf(slice) as DTypeKeepingOpAsync<typeof sliceProgram, false>;

/**
 * Elements of `a` picked by index along `axis` (numpy's `take`, mode
 * 'raise'): `axis` omitted or null reads `a` flattened. A new array; one
 * integer instead of a list drops the axis.
 *
 * @param a Any array input.
 * @param indices An index or a list of them (negative counts from the end).
 * @param options `{ axis }`.
 * @throws RangeError for an index out of bounds.
 * @example
 * ```ts
 * import { take } from 'weft';
 * take([[1, 2], [3, 4]], [1, 0], { axis: 0 }).toArray(); // [[3, 4], [1, 2]]
 * take([[1, 2], [3, 4]], [3, -4]).toArray();             // [4, 1]
 * ```
 */
export const take = defineOp('take', takeProgram, { options: true }) as DTypeKeepingOp<typeof takeProgram> & TakesOptions;
export const takeAsync = asyncOf(take) as DTypeKeepingOpAsync<typeof takeProgram, true>;

/**
 * `a`'s elements, row-major, in a new shape (numpy's `reshape`; one length
 * may be −1). A view wherever the layout allows, else a copy.
 *
 * @param a Any array input.
 * @param shape The new shape, or one length.
 * @throws RangeError when the sizes differ.
 * @example
 * ```ts
 * import { reshape } from 'weft';
 * reshape([1, 2, 3, 4, 5, 6], [2, -1]).toArray(); // [[1, 2, 3], [4, 5, 6]]
 * ```
 */
export const reshape = defineOp('reshape', reshapeProgram, { view: true }) as DTypeKeepingOp<typeof reshapeProgram>;
export const reshapeAsync = asyncOf(reshape) as DTypeKeepingOpAsync<typeof reshapeProgram, false>;

/**
 * `a` flattened, row-major (numpy's `ravel`): a view when `a` is contiguous, else a copy.
 *
 * @param a Any array input.
 * @example
 * ```ts
 * import { array, ravel } from 'weft';
 * ravel(array([[1, 2], [3, 4]]).T).toArray(); // [1, 3, 2, 4]
 * ```
 */
export const ravel = defineOp('ravel', ravelProgram, { view: true }) as DTypeKeepingOp<typeof ravelProgram>;
export const ravelAsync = asyncOf(ravel) as DTypeKeepingOpAsync<typeof ravelProgram, false>;

/**
 * `a` with its axes permuted (numpy's `transpose`): reversed by default,
 * or in the order `axes` gives. A view. (`linalg.transpose` swaps only the
 * last two axes, as numpy's `matrix_transpose`.)
 *
 * @param a Any array input.
 * @param options `{ axes }`: a permutation of the axes (negative counts from the end).
 * @example
 * ```ts
 * import { transpose, zeros } from 'weft';
 * transpose([[1, 2, 3]]).toArray();                         // [[1], [2], [3]]
 * transpose(zeros([2, 3, 4]), { axes: [1, 0, 2] }).shape;   // [3, 2, 4]
 * ```
 */
export const transpose = defineOp('transpose', transposeProgram, { options: true, view: true }) as DTypeKeepingOp<typeof transposeProgram> & TakesOptions;
export const transposeAsync = asyncOf(transpose) as DTypeKeepingOpAsync<typeof transposeProgram, true>;

/**
 * `a` with two axes interchanged (numpy's `swapaxes`). A view.
 *
 * @param a Any array input.
 * @param axis1 One axis.
 * @param axis2 The other.
 * @example
 * ```ts
 * import { swapaxes, zeros } from 'weft';
 * swapaxes(zeros([2, 3, 4]), 0, -1).shape; // [4, 3, 2]
 * ```
 */
export const swapaxes = defineOp('swapaxes', swapaxesProgram, { view: true }) as DTypeKeepingOp<typeof swapaxesProgram>;
export const swapaxesAsync = asyncOf(swapaxes) as DTypeKeepingOpAsync<typeof swapaxesProgram, false>;

/**
 * `a` with axes moved to new positions, the others keeping their order
 * (numpy's `moveaxis`). A view.
 *
 * @param a Any array input.
 * @param source The axis (or axes) to move.
 * @param destination Where each goes.
 * @example
 * ```ts
 * import { moveaxis, zeros } from 'weft';
 * moveaxis(zeros([2, 3, 4]), 0, -1).shape;           // [3, 4, 2]
 * moveaxis(zeros([2, 3, 4]), [0, 1], [-1, -2]).shape; // [4, 3, 2]
 * ```
 */
export const moveaxis = defineOp('moveaxis', moveaxisProgram, { view: true }) as DTypeKeepingOp<typeof moveaxisProgram>;
export const moveaxisAsync = asyncOf(moveaxis) as DTypeKeepingOpAsync<typeof moveaxisProgram, false>;

/**
 * `a` with new axes of length 1 at `axis` (positions in the result;
 * numpy's `expand_dims`). A view.
 *
 * @param a Any array input.
 * @param axis Where the new axis (or axes) go.
 * @example
 * ```ts
 * import { expandDims } from 'weft';
 * expandDims([1, 2], 0).shape;        // [1, 2]
 * expandDims([1, 2], [0, -1]).shape;  // [1, 2, 1]
 * ```
 */
export const expandDims = defineOp('expandDims', expandDimsProgram, { view: true }) as DTypeKeepingOp<typeof expandDimsProgram>;
export const expandDimsAsync = asyncOf(expandDims) as DTypeKeepingOpAsync<typeof expandDimsProgram, false>;

/**
 * `a` without axes of length 1 (numpy's `squeeze`): all of them, or those
 * `axis` names (each must have length 1). A view.
 *
 * @param a Any array input.
 * @param options `{ axis }`.
 * @throws RangeError when a named axis is not of length 1.
 * @example
 * ```ts
 * import { squeeze, zeros } from 'weft';
 * squeeze(zeros([1, 3, 1])).shape;              // [3]
 * squeeze(zeros([1, 3, 1]), { axis: 0 }).shape; // [3, 1]
 * ```
 */
export const squeeze = defineOp('squeeze', squeezeProgram, { options: true, view: true }) as DTypeKeepingOp<typeof squeezeProgram> & TakesOptions;
export const squeezeAsync = asyncOf(squeeze) as DTypeKeepingOpAsync<typeof squeezeProgram, true>;

/**
 * `a` broadcast to `shape` (numpy's `broadcast_to`): axes of length 1 and
 * missing leading axes repeat with stride 0. A view (writable, unlike
 * numpy's: a write reaches every position that shares the element).
 *
 * @param a Any array input.
 * @param shape The shape to broadcast to.
 * @throws RangeError when `a` does not broadcast to `shape`.
 * @example
 * ```ts
 * import { broadcastTo } from 'weft';
 * broadcastTo([1, 2, 3], [2, 3]).toArray(); // [[1, 2, 3], [1, 2, 3]]
 * ```
 */
export const broadcastTo = defineOp('broadcastTo', broadcastToProgram, { view: true }) as DTypeKeepingOp<typeof broadcastToProgram>;
export const broadcastToAsync = asyncOf(broadcastTo) as DTypeKeepingOpAsync<typeof broadcastToProgram, false>;

/**
 * `a` with the order of elements reversed along `axis` (numpy's `flip`),
 * all axes by default. A view (negative strides).
 *
 * @param a Any array input.
 * @param options `{ axis }`: an axis or a list of them.
 * @example
 * ```ts
 * import { flip } from 'weft';
 * flip([[1, 2], [3, 4]]).toArray();              // [[4, 3], [2, 1]]
 * flip([[1, 2], [3, 4]], { axis: 1 }).toArray(); // [[2, 1], [4, 3]]
 * ```
 */
export const flip = defineOp('flip', flipProgram, { options: true, view: true }) as DTypeKeepingOp<typeof flipProgram> & TakesOptions;
export const flipAsync = asyncOf(flip) as DTypeKeepingOpAsync<typeof flipProgram, true>;
