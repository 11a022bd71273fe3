/**
 * The layout arithmetic behind NDArray's reshape and slice: numpy's reading
 * of a new shape and the strides that give it without a copy, and numpy's
 * basic indexing as a view.
 *
 * @internal
 * @module
 */
import { describe } from '../errors.js';

/**
 * The shape `requested` (one entry may be −1: inferred) for an array of
 * `size` elements, as numpy's reshape reads it. Throws TypeError/RangeError
 * naming `fn` otherwise.
 */
export function resolveShape(fn: string, requested: readonly unknown[], size: number, from: readonly number[]): number[] {
  let unknownAt = -1;
  let known = 1;
  requested.forEach((d, i) => {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < -1) {
      throw new TypeError(`${fn}: expected shape[${i}] to be a non-negative integer or -1, but received ${describe(d)}`);
    }
    if (d === -1) {
      if (unknownAt >= 0) throw new RangeError(`${fn}: can only specify one unknown dimension (-1), but shape is ${describe(requested)}`);
      unknownAt = i;
    } else {
      known *= d;
    }
  });
  const shape = requested.slice() as number[];
  if (unknownAt >= 0) {
    if (known === 0 || size % known !== 0) {
      throw new RangeError(`${fn}: cannot reshape an array of size ${size} (shape ${describe(from)}) into shape ${describe(requested)}`);
    }
    shape[unknownAt] = size / known;
  } else if (known !== size) {
    throw new RangeError(`${fn}: cannot reshape an array of size ${size} (shape ${describe(from)}) into shape ${describe(requested)}`);
  }
  return shape;
}

/**
 * Strides that read an array of `shape`/`strides` in row-major order as
 * `newShape`, without copying — numpy's `_attempt_nocopy_reshape` — or
 * undefined when the layout does not allow it (then reshape copies).
 */
export function reshapeStrides(shape: readonly number[], strides: readonly number[], newShape: readonly number[]): number[] | undefined {
  if (newShape.some((d) => d === 0) || shape.some((d) => d === 0)) return contiguousStrides(newShape);
  // Axes of length 1 carry no layout: drop them from the old side.
  const oldDims: number[] = [];
  const oldStrides: number[] = [];
  shape.forEach((d, i) => {
    if (d !== 1) {
      oldDims.push(d);
      oldStrides.push(strides[i]!);
    }
  });
  const out = new Array<number>(newShape.length).fill(0);
  let oi = 0;
  let oj = 1;
  let ni = 0;
  let nj = 1;
  while (ni < newShape.length && oi < oldDims.length) {
    let np = newShape[ni]!;
    let op = oldDims[oi]!;
    while (np !== op) {
      if (np < op) np *= newShape[nj++]!;
      else op *= oldDims[oj++]!;
    }
    // The old axes oi..oj-1 become the new axes ni..nj-1: they must be one
    // row-major block.
    for (let k = oi; k < oj - 1; k++) if (oldStrides[k] !== oldDims[k + 1]! * oldStrides[k + 1]!) return undefined;
    out[nj - 1] = oldStrides[oj - 1]!;
    for (let k = nj - 1; k > ni; k--) out[k - 1] = out[k]! * newShape[k]!;
    ni = nj++;
    oi = oj++;
  }
  // Trailing new axes of length 1: any stride; numpy uses the last one's.
  const last = ni >= 1 ? out[ni - 1]! : 1;
  for (let k = ni; k < newShape.length; k++) out[k] = last;
  return out;
}

/** Row-major contiguous strides for `shape` (ndarray.ts re-exports it). */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = step;
    step *= shape[d]! || 1;
  }
  return strides;
}

/** An array's geometry: what slicing changes. */
export interface Geometry {
  shape: number[];
  strides: number[];
  offset: number;
}

/** The view `a[specs...]` as numpy's basic indexing makes it. @internal */
export function sliceView<V extends Geometry>(fn: string, view: V, specs: readonly unknown[]): V {
  if (specs.length > view.shape.length) {
    throw new RangeError(`${fn}: too many indices: the array has ${view.shape.length} axes but ${specs.length} were given`);
  }
  let offset = view.offset;
  const shape: number[] = [];
  const strides: number[] = [];
  view.shape.forEach((n, d) => {
    const spec = specs[d];
    const stride = view.strides[d]!;
    const name = `index[${d}]`;
    if (spec === null || spec === undefined) {
      shape.push(n);
      strides.push(stride);
    } else if (typeof spec === 'number') {
      if (!Number.isInteger(spec)) throw new TypeError(`${fn}: expected ${name} to be an integer, null or [start, stop, step], but received ${spec}`);
      if (spec < -n || spec >= n) throw new RangeError(`${fn}: ${name} ${spec} is out of bounds for axis ${d} with size ${n}`);
      offset += (spec < 0 ? spec + n : spec) * stride;
    } else if (Array.isArray(spec) && spec.length <= 3) {
      const part = (v: unknown, what: string): number | undefined => {
        if (v === null || v === undefined) return undefined;
        if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`${fn}: expected ${name}'s ${what} to be an integer or null, but received ${describe(v)}`);
        return v;
      };
      const step = part(spec[2], 'step') ?? 1;
      if (step === 0) throw new RangeError(`${fn}: ${name}'s step must not be 0`);
      // Python's slice.indices: negatives count from the end, then clamp.
      const clamp = (v: number | undefined, fallback: number, low: number, high: number) =>
        v === undefined ? fallback : Math.min(Math.max(v < 0 ? v + n : v, low), high);
      const start = step > 0 ? clamp(part(spec[0], 'start'), 0, 0, n) : clamp(part(spec[0], 'start'), n - 1, -1, n - 1);
      const stop = step > 0 ? clamp(part(spec[1], 'stop'), n, 0, n) : clamp(part(spec[1], 'stop'), -1, -1, n - 1);
      const length = Math.max(0, Math.ceil((stop - start) / step));
      if (length > 0) offset += start * stride;
      shape.push(length);
      strides.push(stride * step);
    } else {
      throw new TypeError(`${fn}: expected ${name} to be an integer, null or [start, stop, step], but received ${describe(spec)}`);
    }
  });
  return { ...view, shape, strides, offset };
}
