/**
 * What the elementwise ops (lib/arithmetic.ts, lib/math.ts) share: operands
 * with numpy 2's weak scalars, broadcasting, and the two ways to compute —
 * a JS loop on the calling thread for small results, native/ops/elementwise.cc
 * (parallel in the arena) for the rest.
 *
 * Where the JS loop computes a result, it is bit-for-bit the native one: it
 * runs only the ops that round once (or not at all) in the result's dtype
 * (+, −, ×, ÷, maximum, minimum, mod, abs, floor, round, clip …), never a
 * transcendental function, whose JS `Math` versions differ from oneMKL's
 * and glibc's in the last bit.
 *
 * @internal
 * @module
 */
import { NDArray } from '../ndarray.js';
import type { AnyNDArray, FloatArray, View } from '../ndarray.js';
import { contiguous, direct, writeOut } from './out.js';
import { broadcastViews, operand } from './broadcast.js';
import type { ScalarOrView } from './broadcast.js';

/**
 * Results of at most this many elements are computed in JS. Measured on
 * the 2-vCPU Intel Xeon (AVX-512), shared with other work (sync add of two float64
 * vectors, µs per call, median; JS lean path / JS program path / native):
 * 64 elements 0.21 / 0.65 / 1.6-2.2; 256: 1.1 / 1.3-2.0 / 2.9; 512: 1.3-2.4
 * / 2.2-3.4 / 3.2; 1024: 6.1 / 5.4 / 3.5-4.7. The native call's fixed cost
 * is the geometry, the arena entry and the result buffer.
 */
export const JS_MAX_SIZE = 512;

/** Results of more than 64 bytes and at most this many come from a shared slab ({@link allocate}): all the JS path makes. */
const SLAB_MAX_BYTES = 4096;
const SLAB_BYTES = 32768;
let slab = new ArrayBuffer(0);
let slabUsed = 0;

/**
 * A new array for a result computed in JS. V8 keeps typed arrays of up to
 * 64 bytes on its heap (26 ns here); a larger one gets a backing store of
 * its own, 250-600 ns — more than a 4×4 add itself. So results of 65 bytes
 * to 4 KB are carved from a shared 32 KB ArrayBuffer, as Node's
 * `Buffer.allocUnsafe` pools small Buffers (46 ns): their `data.buffer` is
 * that slab (`data.byteOffset` may be nonzero; transferring that buffer
 * would detach its neighbours: copy the data first), and a result kept
 * alive keeps its slab alive.
 */
export function allocate(float32: boolean, size: number): FloatArray {
  const bytes = size * (float32 ? 4 : 8);
  if (bytes <= 64 || bytes > SLAB_MAX_BYTES) return float32 ? new Float32Array(size) : new Float64Array(size);
  if (slabUsed + bytes > slab.byteLength) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const out = float32 ? new Float32Array(slab, slabUsed, size) : new Float64Array(slab, slabUsed, size);
  slabUsed += (bytes + 7) & ~7;
  return out;
}

/** An operand: its view, and whether it is a weak scalar (a plain number or boolean, numpy 2). */
export type Operand = ScalarOrView;
export { operand };

/**
 * numpy 2's result dtype: float32 unless a non-weak operand is float64 (two
 * weak scalars give float64). Weak scalars take that dtype here (numpy casts
 * a Python float to the array's dtype before computing), so both paths see
 * the same values.
 */
export function promote(operands: Operand[]): boolean {
  let float32 = false;
  for (const o of operands) {
    if (o.weak) continue;
    if (!(o.view.data instanceof Float32Array)) return false;
    float32 = true;
  }
  if (float32) {
    for (const o of operands) if (o.weak) o.view = { ...o.view, data: Float32Array.of(o.view.data[0]!) };
  }
  return float32;
}

/**
 * The operands re-viewed with their broadcast shape (numpy's rules; stride 0
 * along the axes they repeat), and that shape. RangeError naming `fn` when
 * the shapes do not broadcast.
 */
export function broadcast(fn: string, views: View[]): { shape: number[]; views: View[] } {
  const { shape, strides } = broadcastViews(fn, views);
  return { shape, views: views.map((v, k) => ({ data: v.data, shape, strides: strides[k]!, offset: v.offset })) };
}

/** The number of elements of `shape`. */
export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const n of shape) size *= n;
  return size;
}

/**
 * `kernel` over broadcast views (all of `shape`), in JS, into a new
 * contiguous array, or into `into` (options.out, checked by the caller: of
 * `shape`, row-major contiguous from its offset, and safe to write while
 * the views are read, lib/internal/out.ts's `direct`): an odometer over the
 * outer axes, the last axis in a tight loop.
 */
export function computeInJs(
  shape: number[],
  views: View[],
  float32: boolean,
  kernel: (a: number, b: number, c: number) => number,
  into?: AnyNDArray,
): NDArray {
  const size = sizeOf(shape);
  const out = into === undefined ? allocate(float32, size) : (into.data as FloatArray);
  const done = () => (into as NDArray | undefined) ?? NDArray.fromContiguous(out, shape);
  const nd = shape.length;
  const [x, y = x, z = x] = views as [View, View?, View?];
  const [xd, yd, zd] = [x.data, y.data, z.data];
  if (size === 0) return done();
  let k = into === undefined ? 0 : into.offset;
  if (nd === 0) {
    out[k] = kernel(xd[x.offset]!, yd[y.offset]!, zd[z.offset]!);
    return done();
  }
  const inner = shape[nd - 1]!;
  const [xStep, yStep, zStep] = [x.strides[nd - 1]!, y.strides[nd - 1]!, z.strides[nd - 1]!];
  const index = new Array<number>(nd).fill(0);
  let [xi, yi, zi] = [x.offset, y.offset, z.offset];
  for (const end = k + size; k < end; ) {
    for (let j = 0; j < inner; j++) out[k++] = kernel(xd[xi + j * xStep]!, yd[yi + j * yStep]!, zd[zi + j * zStep]!);
    let d = nd - 2;
    for (; d >= 0; d--) {
      if (++index[d]! < shape[d]!) {
        xi += x.strides[d]!;
        yi += y.strides[d]!;
        zi += z.strides[d]!;
        break;
      }
      xi -= x.strides[d]! * (shape[d]! - 1);
      yi -= y.strides[d]! * (shape[d]! - 1);
      zi -= z.strides[d]! * (shape[d]! - 1);
      index[d] = 0;
    }
    if (d < 0) break;
  }
  return done();
}

/**
 * {@link computeInJs} for an op with numpy's `out` (already checked, or
 * undefined): straight into it where that is safe, else into a temporary
 * copied into it.
 */
export function computeInJsInto(
  shape: number[],
  views: View[],
  float32: boolean,
  kernel: (a: number, b: number, c: number) => number,
  out: AnyNDArray | undefined,
): NDArray {
  if (out === undefined) return computeInJs(shape, views, float32, kernel);
  if (direct(out, float32 ? 'float32' : 'float64', views)) return computeInJs(shape, views, float32, kernel, out);
  return writeOut(computeInJs(shape, views, float32, kernel), out) as NDArray;
}

/**
 * The lean paths' check of an `out` option (lib/arithmetic.ts, lib/math.ts),
 * for `inputs` that are whole, row-major contiguous and of `like`'s layout:
 * out's offset when `options` is `{ out }` alone with a row-major contiguous
 * NDArray of `like`'s dtype and shape that no input overlaps, except one
 * that is exactly out (`add(a, b, { out: a })`: each element is read before
 * it is written); -1 otherwise (the program then checks and handles the
 * call). Allocates nothing.
 */
export function leanOut(options: unknown, like: NDArray, x1: NDArray, x2?: NDArray): number {
  if (typeof options !== 'object' || options === null) return -1;
  let keys = 0;
  for (const key in options) if (key !== 'out' || ++keys > 1) return -1;
  const out = (options as { out?: unknown }).out;
  if (!(out instanceof NDArray)) return -1;
  const data = out.data;
  if (data.constructor !== like.data.constructor || out.shape.length !== like.shape.length) return -1;
  for (let d = 0; d < like.shape.length; d++) if (out.shape[d] !== like.shape[d]) return -1;
  if (out.strides !== like.strides && !contiguous(out)) return -1;
  // A typed array's buffer and byteOffset getters cost ~30 ns each, more
  // than a 4×4 add: the last operands found apart from out are remembered
  // (a typed array never changes its buffer or byteOffset), so a loop that
  // reuses its arrays reads them once.
  const d1 = x1.data;
  const d2 = x2?.data;
  if (data !== lastApart.out || d1 !== lastApart.x1 || d2 !== lastApart.x2 || out.offset !== lastApart.offset) {
    const buffer = data.buffer;
    if (clashes(x1, out, buffer) || (x2 !== undefined && clashes(x2, out, buffer))) return -1;
    lastApart.out = data;
    lastApart.x1 = d1;
    lastApart.x2 = d2;
    lastApart.offset = out.offset;
  }
  return out.offset;
}

/** leanOut's last out and operands that do not overlap it (it keeps them alive until the next such call). */
const lastApart: { out: unknown; x1: unknown; x2: unknown; offset: number } = { out: undefined, x1: undefined, x2: undefined, offset: -1 };

/** Whether a whole contiguous input `x` of out's shape overlaps `out` (of `buffer`) other than exactly. */
function clashes(x: NDArray, out: AnyNDArray, buffer: ArrayBufferLike): boolean {
  const xd = x.data;
  const data = out.data;
  if (xd === data) return out.offset !== 0; // exactly out's elements when at the same offset
  if (xd.buffer !== buffer) return false;
  const low = data.byteOffset + out.offset * data.BYTES_PER_ELEMENT;
  return xd.byteOffset + xd.byteLength > low && xd.byteOffset < low + xd.length * data.BYTES_PER_ELEMENT;
}

/** numpy's maximum: NaN if either is NaN, else x on ties (so ±0 keeps x's sign), as native/ops/elementwise.cc. */
export function maximumOf(x: number, y: number): number {
  return x >= y || x !== x ? x : y;
}

/** numpy's minimum, as {@link maximumOf}. */
export function minimumOf(x: number, y: number): number {
  return x <= y || x !== x ? x : y;
}

/** The same shape and strides. */
export function sameLayout(x: NDArray, y: NDArray): boolean {
  if (x.shape === y.shape && x.strides === y.strides) return true;
  const nd = x.shape.length;
  if (y.shape.length !== nd) return false;
  for (let d = 0; d < nd; d++) if (x.shape[d] !== y.shape[d] || x.strides[d] !== y.strides[d]) return false;
  return true;
}

/** Row-major contiguous strides exactly (as weft makes them), over `size` elements: all of its data. */
export function wholeAndContiguous(a: NDArray, size: number): boolean {
  let step = 1;
  for (let d = a.shape.length - 1; d >= 0; d--) {
    if (a.strides[d] !== step) return false;
    step *= a.shape[d]!;
  }
  return step === size;
}

