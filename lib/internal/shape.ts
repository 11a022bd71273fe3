/**
 * View arithmetic: new shapes and strides over the same data, never copies.
 * How lib/ turns numpy's rules (broadcast batch axes, 1-D operands, axis
 * arguments, diagonals) into the plain stacked views the native ops take.
 *
 * @internal
 * @module
 */
import { describe } from '../errors.js';
import type { View } from '../ndarray.js';

/** Product of `shape` (1 for a 0-d shape). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** `view` with `shape`/`strides`/`offset` replaced. */
export function withGeometry(view: View, shape: number[], strides: number[], offset = view.offset): View {
  return { data: view.data, shape, strides, offset };
}

/** The last two axes swapped: a matrix transpose of every item. */
export function swapLastAxes(view: View): View {
  const n = view.shape.length;
  const shape = view.shape.slice();
  const strides = view.strides.slice();
  [shape[n - 2], shape[n - 1]] = [shape[n - 1]!, shape[n - 2]!];
  [strides[n - 2], strides[n - 1]] = [strides[n - 1]!, strides[n - 2]!];
  return withGeometry(view, shape, strides);
}

/** Axes reordered: axis d of the result is axis `order[d]` of `view`. */
export function permute(view: View, order: readonly number[]): View {
  return withGeometry(
    view,
    order.map((a) => view.shape[a]!),
    order.map((a) => view.strides[a]!),
  );
}

/** Axis `from` moved to position `to`, the others keeping their order (numpy's moveaxis), as a view. */
export function moveAxis(view: View, from: number, to: number): View {
  const order = Array.from({ length: view.shape.length }, (_, i) => i).filter((i) => i !== from);
  order.splice(to, 0, from);
  return permute(view, order);
}

/** An axis of length 1 inserted at `at` (its stride does not matter). */
export function insertAxis(view: View, at: number): View {
  const shape = view.shape.slice();
  const strides = view.strides.slice();
  shape.splice(at, 0, 1);
  strides.splice(at, 0, 0);
  return withGeometry(view, shape, strides);
}

/** Batch axes: all but the last `core` axes. */
export function batchShape(view: View, core: number): number[] {
  return view.shape.slice(0, view.shape.length - core);
}

/**
 * numpy's broadcasting of the batch axes of several stacked operands. Returns
 * each operand re-viewed with the common batch shape (missing or length-1
 * axes get stride 0), and that shape.
 */
export function broadcastBatches(
  fn: string,
  operands: readonly { view: View; core: number; name: string }[],
): { views: View[]; batch: number[] } {
  // The common case, single matrices: nothing to broadcast. (The general
  // path below costs ~1 µs, more than a 4×4 product: slicing the frozen
  // shapes of NDArrays takes V8's slow path.)
  if (operands.every((o) => o.view.shape.length === o.core)) return { views: operands.map((o) => o.view), batch: [] };
  const batches = operands.map((o) => batchShape(o.view, o.core));
  const rank = Math.max(...batches.map((b) => b.length));
  const batch = new Array<number>(rank).fill(1);
  for (const b of batches) {
    for (let i = 0; i < b.length; i++) {
      const d = rank - b.length + i;
      const size = b[i]!;
      if (size === batch[d] || size === 1) continue;
      if (batch[d] === 1) {
        batch[d] = size;
        continue;
      }
      const list = operands.map((o, k) => `${o.name} ${describe(batches[k])}`).join(' and ');
      throw new RangeError(`${fn}: the batch (leading) axes do not broadcast together: ${list}`);
    }
  }
  const views = operands.map(({ view }, k) => {
    const own = batches[k]!;
    const strides = batch.map((size, d) => {
      const i = d - (rank - own.length);
      return i < 0 || own[i] !== size ? 0 : view.strides[i]!;
    });
    const coreShape = view.shape.slice(own.length);
    const coreStrides = view.strides.slice(own.length);
    // A batch axis of length 0 leaves nothing to read; keep strides valid.
    return withGeometry(view, [...batch, ...coreShape], [...strides, ...coreStrides]);
  });
  return { views, batch };
}

/** Normalises a possibly negative axis index; RangeError when out of range. */
export function normalizeAxis(fn: string, name: string, axis: unknown, ndim: number): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis)) {
    throw new TypeError(`${fn}: expected ${name} to be an integer axis, but received ${describe(axis)}`);
  }
  if (axis < -ndim || axis >= ndim) {
    throw new RangeError(`${fn}: ${name} ${axis} is out of range for an array with ${ndim} axes`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/**
 * The `offset`-th diagonal of the last two axes, as a view of shape
 * [...batch, length] (numpy's diagonal(offset, -2, -1)).
 */
export function diagonal(view: View, offset: number): View {
  const n = view.shape.length;
  const rows = view.shape[n - 2]!;
  const cols = view.shape[n - 1]!;
  const rs = view.strides[n - 2]!;
  const cs = view.strides[n - 1]!;
  const length = Math.max(0, offset >= 0 ? Math.min(rows, cols - offset) : Math.min(rows + offset, cols));
  const start = length === 0 ? view.offset : view.offset + (offset >= 0 ? offset * cs : -offset * rs);
  return withGeometry(view, [...view.shape.slice(0, n - 2), length], [...view.strides.slice(0, n - 2), rs + cs], start);
}
