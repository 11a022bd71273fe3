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
import type { View } from '../ndarray.js';

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

/** An elementwise operand: its view, and whether it was a plain number (a weak scalar, numpy 2). */
export interface ScalarOrView {
  view: View;
  weak: boolean;
}

/** A weak scalar (a plain number) as a 0-d float64 view; anything else through toView. */
export function operand(fn: string, value: unknown, name: string): ScalarOrView {
  if (typeof value === 'number') return { view: { data: Float64Array.of(value), shape: [], strides: [], offset: 0 }, weak: true };
  return { view: toView(value, fn, name), weak: false };
}
