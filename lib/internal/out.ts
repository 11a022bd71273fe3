/**
 * numpy's `out=` option, one reader and one writer for every op that takes
 * it (lib/arithmetic.ts, lib/math.ts, lib/linalg/products.ts): the result
 * is written into `out`, an NDArray of exactly the result's shape (weft
 * does not broadcast into a larger `out`, as numpy's ufuncs do), whose
 * dtype the result casts to under numpy's `casting='same_kind'` (a float
 * result into float64 or float32, never into bool or int32), and `out`
 * itself is returned.
 *
 * Values are written as if the result were computed first (numpy buffers
 * when `out` overlaps an input): the ops compute into `out` directly only
 * where that gives the same values ({@link direct}), else into a
 * temporary that {@link writeOut} copies.
 *
 * @internal
 * @module
 */
import { NDArray, forEachIndex, isComplexData } from '../ndarray.js';
import type { AnyNDArray, View } from '../ndarray.js';
import { typeError } from '../errors.js';
import type { OptionReader } from './options.js';
import type { NativeCall } from './dispatch.js';
import { native } from './native.js';

/** The `out` option: an NDArray, or undefined. */
export const outArray: OptionReader<AnyNDArray | undefined> = (value, fn, name) => {
  if (value === undefined) return undefined;
  if (!(value instanceof NDArray)) throw typeError(fn, name, 'an NDArray', value);
  return value as AnyNDArray;
};

/** Whether a result of dtype `result` may be written into an array of dtype `into` (numpy's same_kind casting). */
function castable(result: string, into: string): boolean {
  const complexInto = into === 'complex128' || into === 'complex64';
  if (result === 'complex128' || result === 'complex64') return complexInto;
  return result === 'bool' || into === 'float64' || into === 'float32' || complexInto;
}

/**
 * Checks `out` against the result's shape and dtype: RangeError naming
 * `fn` and `options.out` for another shape, TypeError for a dtype the
 * result does not cast to (numpy's same_kind).
 */
export function checkOut(fn: string, out: AnyNDArray, shape: readonly number[], dtype: string): void {
  let same = out.shape.length === shape.length;
  for (let d = 0; same && d < shape.length; d++) same = out.shape[d] === shape[d];
  if (!same) {
    throw new RangeError(`${fn}: expected options.out to have the result's shape [${shape.join(', ')}], but received an array of shape [${out.shape.join(', ')}]`);
  }
  if (!castable(dtype, out.dtype)) {
    throw new TypeError(`${fn}: cannot write a ${dtype} result into options.out of dtype ${out.dtype} (numpy's casting='same_kind')`);
  }
}

/** Row-major contiguous from `offset` on (any data around it): element k of the result is `data[offset + k]`. */
export function contiguous(a: AnyNDArray): boolean {
  let step = 1;
  for (let d = a.shape.length - 1; d >= 0; d--) {
    if (a.shape[d] !== 1 && a.strides[d] !== step) return false;
    step *= a.shape[d]!;
  }
  return true;
}

/**
 * Whether an op whose result has dtype `dtype` may compute straight into
 * `out`: out holds that dtype (or float32 for a float64 result: its stores
 * round as numpy's cast does), it is row-major contiguous, and no input shares its memory unless it is exactly `out`'s
 * elements in `out`'s layout (an elementwise op then reads each element
 * before writing it, as numpy's `add(a, b, out=a)`).
 */
export function direct(out: AnyNDArray, dtype: string, inputs: readonly View[]): boolean {
  if ((out.dtype !== dtype && !(dtype === 'float64' && out.dtype === 'float32')) || !contiguous(out)) return false;
  for (const v of inputs) {
    if (v.data.buffer !== out.data.buffer) continue;
    if (!overlap(v, out)) continue;
    // Overlapping: only exactly out's elements, in out's layout.
    if (v.data.BYTES_PER_ELEMENT !== out.data.BYTES_PER_ELEMENT || first(v) !== first(out) || v.shape.length !== out.shape.length) return false;
    for (let d = 0; d < out.shape.length; d++) {
      if (out.shape[d] !== 1 && (v.shape[d] !== out.shape[d] || v.strides[d] !== out.strides[d])) return false;
    }
  }
  return true;
}

type Reaching = { data: View['data']; shape: readonly number[]; strides: readonly number[]; offset: number };

/** The byte of its buffer where a view's element [0, 0, ...] sits. */
function first(v: Reaching): number {
  return v.data.byteOffset + v.offset * v.data.BYTES_PER_ELEMENT;
}

/** Whether two views of one buffer reach common bytes (their extents, not their exact elements). */
function overlap(a: Reaching, b: Reaching): boolean {
  const ra = reach(a);
  const rb = reach(b);
  return ra.end > rb.start && rb.end > ra.start;
}

/** The bytes of its buffer a view reaches: [start, end); empty for no elements. */
function reach(v: Reaching): { start: number; end: number } {
  const size = v.data.BYTES_PER_ELEMENT;
  let low = v.offset;
  let high = low;
  for (let d = 0; d < v.shape.length; d++) {
    const n = v.shape[d]!;
    if (n === 0) return { start: 0, end: 0 };
    const span = (n - 1) * v.strides[d]!;
    if (span < 0) low += span;
    else high += span;
  }
  return { start: v.data.byteOffset + low * size, end: v.data.byteOffset + (high + 1) * size };
}

/**
 * `call` (a native op with one float result of `size` elements, row-major)
 * made to write straight into `out` when it is sync, `out` holds the result's
 * dtype, is row-major contiguous, and overlaps no operand at all (native
 * kernels take their output as `__restrict`): native/buffer.h, OutTarget.
 * The call then returns undefined for its result. Otherwise `call` itself.
 */
export function nativeInto(call: NativeCall, out: AnyNDArray | undefined, dtype: string, size: number, inputs: readonly View[]): NativeCall {
  if (out === undefined || size === 0 || out.dtype !== dtype || !contiguous(out)) return call;
  for (const v of inputs) if (v.data.buffer === out.data.buffer && overlap(v, out)) return call;
  const data = out.data as Float64Array | Float32Array;
  return (async, context) => {
    if (async) return call(async, context);
    native.setOut(data, out.offset, size);
    try {
      return call(false, context);
    } catch (err) {
      native.setOut(null);
      throw err;
    }
  };
}

/**
 * Writes `result` (all of its elements, row-major) into `out`, cast to
 * out's dtype as typed-array stores cast (float64 rounds to float32; bool
 * 0/1 to 0 and 1), and returns `out`. `result` is a temporary the op made,
 * so it never overlaps `out`.
 */
export function writeOut<O extends AnyNDArray>(result: AnyNDArray, out: O): O {
  if (isComplexData(out.data)) return writePairs(result, out);
  const size = result.data.length === sizeOfShape(out.shape) && result.offset === 0 ? result.data.length : -1;
  const src = result.data;
  const dst = out.data as unknown as { [i: number]: number };
  const nd = out.shape.length;
  if (size >= 0 && contiguous(result) && contiguous(out)) {
    const o = out.offset;
    for (let i = 0; i < size; i++) dst[o + i] = src[i]!;
    return out;
  }
  // Any layout on either side: an odometer over out's axes.
  const total = sizeOfShape(out.shape);
  if (total === 0) return out;
  const index = new Array<number>(nd).fill(0);
  let ri = result.offset;
  let oi = out.offset;
  for (let k = 0; k < total; k++) {
    dst[oi] = src[ri]!;
    for (let d = nd - 1; d >= 0; d--) {
      if (++index[d]! < out.shape[d]!) {
        ri += result.strides[d]!;
        oi += out.strides[d]!;
        break;
      }
      ri -= result.strides[d]! * (out.shape[d]! - 1);
      oi -= out.strides[d]! * (out.shape[d]! - 1);
      index[d] = 0;
    }
  }
  return out;
}

/** {@link writeOut} into complex storage: a real or bool result's values become the real parts (imaginary 0), as numpy casts. */
function writePairs<O extends AnyNDArray>(result: AnyNDArray, out: O): O {
  const src = result.data;
  const dst = out.data;
  const pairs = isComplexData(src);
  // Out's offsets in row-major order; the result then walks the same order.
  const at: number[] = [];
  forEachIndex(out, (o) => at.push(o));
  forEachIndex(result, (r, k) => {
    const o = 2 * at[k]!;
    dst[o] = pairs ? src[2 * r]! : src[r]!;
    dst[o + 1] = pairs ? src[2 * r + 1]! : 0;
  });
  return out;
}

function sizeOfShape(shape: readonly number[]): number {
  let size = 1;
  for (const n of shape) size *= n;
  return size;
}

/** The options of an op that takes only `out`. */
export interface OutOptions<O extends AnyNDArray = AnyNDArray> {
  /**
   * An NDArray of exactly the result's shape to write the result into
   * (numpy's `out`); the call returns it. Its dtype must take the result
   * under numpy's same_kind casting: a float result into float64 or
   * float32, never bool. It may be one of the inputs (`add(a, b, { out:
   * a })`) or overlap one: the values are those of the result computed
   * first. An async call writes it before its Promise settles: do not
   * read or change it until then.
   */
  out?: O;
}

/** Reads an `out`-only options object for `fn` (the async twin's signal and threads allowed). */
export const outSpec = { out: outArray };

/**
 * A bool result (a comparison's, a logical op's, made in JS) handed back,
 * or written into `out` (numpy's same_kind casting takes bool into every
 * dtype: true is 1), which is then returned.
 */
export function boolResult<R extends AnyNDArray>(fn: string, result: R, out: AnyNDArray | undefined): R {
  if (out === undefined) return result;
  checkOut(fn, out, result.shape, 'bool');
  return writeOut(result, out) as unknown as R;
}
