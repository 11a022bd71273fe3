/**
 * numpy's broadcasting of elementwise operands, shared by arithmetic,
 * comparisons and logic: the broadcast shape, each operand re-viewed on it
 * (stride 0 along a repeated axis), and plain numbers as weak scalars.
 *
 * @internal
 * @module
 */
import { describe } from '../errors.js';
import { toView } from '../ndarray.js';
import type { BoolArray, DType, FloatArray, View, ViewKinds } from '../ndarray.js';

/**
 * The broadcast shape of `views` and each view's strides on it (0 where an
 * axis repeats). Throws numpy's RangeError, naming every shape, when they
 * do not broadcast.
 */
export function broadcastViews(fn: string, views: readonly View[]): { shape: number[]; strides: number[][] } {
  const nd = Math.max(0, ...views.map((v) => v.shape.length));
  const shape: number[] = [];
  const strides: number[][] = views.map(() => []);
  for (let d = 0; d < nd; d++) {
    let n = 1;
    for (const v of views) {
      const dv = d - (nd - v.shape.length);
      const nv = dv >= 0 ? v.shape[dv]! : 1;
      if (nv !== 1 && n !== 1 && nv !== n) {
        throw new RangeError(`${fn}: operands could not be broadcast together with shapes ${views.map((w) => describe(w.shape)).join(' ')}`);
      }
      if (nv !== 1) n = nv;
    }
    shape.push(n);
    views.forEach((v, i) => {
      const dv = d - (nd - v.shape.length);
      strides[i]!.push(dv >= 0 && v.shape[dv] !== 1 ? v.strides[dv]! : 0);
    });
  }
  return { shape, strides };
}

/** The two operands re-viewed with the broadcast shape (stride 0 where repeated), and that shape. */
export function broadcastPair(fn: string, x: View, y: View): { shape: number[]; xs: number[]; ys: number[] } {
  const { shape, strides } = broadcastViews(fn, [x, y]);
  return { shape, xs: strides[0]!, ys: strides[1]! };
}

/** An elementwise operand: its view, and whether it was a plain number or boolean (a weak scalar, numpy 2). */
export interface ScalarOrView {
  view: View;
  weak: boolean;
}

/** A 0-d view of one value. */
const scalarView = (data: FloatArray | BoolArray): View => ({ data, shape: [], strides: [], offset: 0 });

/**
 * A weak scalar (a plain number, or a boolean) as a 0-d view; anything
 * else through toView (`kinds`: the element types the caller reads as
 * they are). A boolean is a bool view when the caller reads bool, else 0 or 1.
 */
export function operand(fn: string, value: unknown, name: string, kinds?: ViewKinds): ScalarOrView {
  if (typeof value === 'number') return { view: scalarView(Float64Array.of(value)), weak: true };
  if (typeof value === 'boolean') return { view: scalarView(kinds?.bool === true ? Uint8Array.of(value ? 1 : 0) : Float64Array.of(value ? 1 : 0)), weak: true };
  return { view: toView(value, fn, name, kinds), weak: false };
}

/**
 * The dtype numpy 2 gives elementwise operands: bool when all are bool;
 * else float32 when every operand that is not a weak scalar is float32
 * (weft reads a bool array as float64, as it does integers); two weak
 * scalars give float64.
 */
export function resultDtype(operands: readonly ScalarOrView[]): DType {
  if (operands.every((o) => o.view.data instanceof Uint8Array)) return 'bool';
  const strong = operands.filter((o) => !o.weak);
  return strong.length > 0 && strong.every((o) => o.view.data instanceof Float32Array) ? 'float32' : 'float64';
}

/**
 * Walks the broadcast shape row by row: `row(k, n, starts, steps)` for
 * each run of `n` result elements from result index `k`, each operand's
 * run beginning at `starts[i]` in its data and stepping by `steps[i]`.
 * Adjacent axes that every operand steps through evenly are merged first,
 * so contiguous operands and scalars make one row of the whole size.
 */
export function forEachRow(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
  offsets: readonly number[],
  row: (k: number, n: number, starts: number[], steps: number[]) => void,
): void {
  const size = shape.reduce((p, d) => p * d, 1);
  if (size === 0) return;
  // Merge axis d into d + 1 where every operand's stride[d] is stride[d + 1] · shape[d + 1]; drop length-1 axes.
  const count = strides.length;
  const dims: number[] = [];
  const st: number[][] = [];
  for (let i = 0; i < count; i++) st.push([]);
  for (let d = 0; d < shape.length; d++) {
    const length = shape[d]!;
    if (length === 1) continue;
    const last = dims.length - 1;
    let merge = last >= 0;
    for (let i = 0; i < count && merge; i++) merge = st[i]![last] === strides[i]![d]! * length;
    if (merge) dims[last]! *= length;
    else dims.push(length);
    for (let i = 0; i < count; i++) {
      if (merge) st[i]![last] = strides[i]![d]!;
      else st[i]!.push(strides[i]![d]!);
    }
  }
  const nd = dims.length;
  const starts = offsets.slice();
  if (nd === 0) {
    row(0, 1, starts, offsets.map(() => 0));
    return;
  }
  const inner = dims[nd - 1]!;
  const steps = st.map((s) => s[nd - 1]!);
  const index = new Array<number>(nd).fill(0);
  for (let k = 0; k < size; k += inner) {
    row(k, inner, starts, steps);
    let d = nd - 2;
    for (; d >= 0; d--) {
      if (++index[d]! < dims[d]!) {
        for (let i = 0; i < starts.length; i++) starts[i]! += st[i]![d]!;
        break;
      }
      for (let i = 0; i < starts.length; i++) starts[i]! -= st[i]![d]! * (dims[d]! - 1);
      index[d] = 0;
    }
  }
}
