/**
 * Products: matmul, dot, vdot, outer, cross, multiDot, matrixPower, transpose.
 *
 * @module
 */
import { describe, typeError } from '../errors.js';
import { Complex128Data, Complex64Data, NDArray, allocateElements, array, contiguousStrides, copyElements, dtypeOf, isComplexData, toView } from '../ndarray.js';
import type { AnyNDArray, ArrayInput, ComplexStorage, DType, FloatArray, NDArrayLike, View } from '../ndarray.js';
import { nativeCall, retain, step } from '../internal/dispatch.js';
import type { Program } from '../internal/dispatch.js';
import { asyncOf, defineOp } from '../internal/registry.js';
import type { FloatOp, FloatOp2, FloatOp2Async, FloatOpAsync, FloatOutOp2, FloatOutOp2Async, TakesOptions } from '../internal/registry.js';
import { checkOut, nativeInto, outSpec, writeOut } from '../internal/out.js';
import type { OutOptions } from '../internal/out.js';
import type { OpCall } from '../internal/registry.js';
import { broadcastBatches, insertAxis, moveAxis, normalizeAxis, permute, sizeOf, swapLastAxes, withGeometry } from '../internal/shape.js';
import { anyInteger, readOptions } from '../internal/options.js';
import { anyComplex, out, requireMatrices, requireSquare, viewOf } from './common.js';
import { inverseProgram } from './solvers.js';
import { matmulJs, matmulSmall, multiDotJs, multiDotSmall, tinyChain, tinyMatmul, tinyOr } from '../internal/tiny.js';

/** toView's opt-in: every product takes complex operands (numpy's promotion against real ones). */
const COMPLEX = { complex: true } as const;

// ---------------------------------------------------------------- matmul

/** a @ b; into `into` (numpy's `out`) when given: checked before the work, written straight where nativeInto can. */
function* matmulViews(va: View, vb: View, fn: string, into?: AnyNDArray): Program<NDArray> {
  for (const [name, v] of [['a', va], ['b', vb]] as const) {
    if (v.shape.length === 0) {
      throw new RangeError(`${fn}: expected ${name} to have at least one axis, but received a 0-d array (a scalar); use multiplication`);
    }
  }
  // numpy: a 1-D a is one row, a 1-D b one column; those axes leave the result.
  const a2 = va.shape.length === 1 ? insertAxis(va, 0) : va;
  const b2 = vb.shape.length === 1 ? insertAxis(vb, 1) : vb;
  const k = a2.shape[a2.shape.length - 1]!;
  const kb = b2.shape[b2.shape.length - 2]!;
  if (k !== kb) {
    throw new RangeError(
      `${fn}: a.shape ${describe(va.shape)} and b.shape ${describe(vb.shape)} do not align: ` +
        `a has ${k} column${k === 1 ? '' : 's'} but b has ${kb} row${kb === 1 ? '' : 's'}`,
    );
  }
  const { views, batch } = broadcastBatches(fn, [
    { view: a2, core: 2, name: 'a' },
    { view: b2, core: 2, name: 'b' },
  ]);
  const call = nativeCall('matmul', views);
  const [x, y] = views as [View, View];
  // A tiny product: weft's own loop, in JS when sync (tiny.ts; real only).
  const complex = anyComplex(x, y);
  const tiny = !complex && tinyMatmul(x, y);
  const m = a2.shape[a2.shape.length - 2]!;
  const n = b2.shape[b2.shape.length - 1]!;
  const shape = [...batch, ...(va.shape.length > 1 ? [m] : []), ...(vb.shape.length > 1 ? [n] : [])];
  if (into === undefined) return out(yield* step(tiny ? tinyOr(call, () => matmulJs(x, y)) : call), shape, complex);
  if (complex || isComplexData(into.data)) {
    throw new TypeError(`${fn}: options.out is not supported with complex operands or a complex out (received ${dtypeOf(va.data)}, ${dtypeOf(vb.data)} into ${into.dtype})`);
  }
  const float32 = va.data instanceof Float32Array && vb.data instanceof Float32Array;
  checkOut(fn, into, shape, float32 ? 'float32' : 'float64');
  const direct = nativeInto(call, into, float32 ? 'float32' : 'float64', sizeOf(shape), views);
  const raw = yield* step<FloatArray | undefined>(tiny ? tinyOr(direct, () => matmulJs(x, y)) : direct);
  return raw === undefined ? (into as NDArray) : (writeOut(out(raw, shape), into) as NDArray);
}

function* matmulProgram({ fn, async }: OpCall, a: ArrayInput, b: ArrayInput, options?: OutOptions): Program<NDArray> {
  const { out: into } = readOptions(fn, options, outSpec, async);
  return yield* matmulViews(toView(a, fn, 'a', COMPLEX), toView(b, fn, 'b', COMPLEX), fn, into);
}

/** numpy's `out`: the result written into `into` (checked: shape, same_kind dtype), which is returned. */
function intoOut(fn: string, result: NDArray, into: AnyNDArray): NDArray {
  checkOut(fn, into, result.shape, result.dtype);
  return writeOut(result, into) as NDArray;
}

/**
 * Matrix product `a @ b` (BLAS `?gemm`), numpy's `matmul`: stacked inputs
 * `[..., m, k] @ [..., k, n]` broadcast their leading (batch) axes, the batch
 * spread over the arena; a 1-D `a` is a row and a 1-D `b` a column, and those
 * axes are dropped from the result (1-D @ 1-D gives a 0-d array). float32 when
 * both inputs are float32, else float64; complex128/complex64 input computes
 * in complex (`?gemm`'s z/c routines), a real operand promoting as numpy
 * (float32 with complex64 gives complex64, float64 with complex64 complex128).
 * Views (transposes, strided slices) are read in place where BLAS can, else
 * copied.
 *
 * Precision: a single product with m, k and n all at most 8 (no stack) is
 * weft's own loop — each element the sum over k in order, no FMA — in JS
 * for a sync call and in C++ for an async one, bit for bit the same (and
 * far cheaper than a native call). Each item of a stack of such products
 * gets the same loop and the same bits; larger products take MKL's gemm,
 * whose rounding (FMA, blocked sums) differs in the last bits.
 *
 * @param a Left operand, shape `[..., m, k]` or `[k]`.
 * @param b Right operand, shape `[..., k, n]` or `[k]`.
 * @param options `out`: an NDArray of the result's shape to write the
 *   product into and return (numpy's `out`; it may be `a` or `b`); its
 *   dtype float64 or float32 (numpy's same_kind casting); not with complex
 *   operands (a TypeError).
 * @returns The product, shape `[...batch, m, n]` (fewer axes for 1-D operands).
 * @throws TypeError for a non-array or an unsupported dtype; RangeError when
 *   the inner dimensions differ, an operand is 0-d, the batch axes do not
 *   broadcast, or a view reaches outside its data.
 *
 * @example
 * ```ts
 * import { array, linalg } from 'weft';
 * linalg.matmul([[1, 2], [3, 4]], [[5], [6]]).toArray(); // [[17], [39]]
 * linalg.matmul([1, 2], [[1, 0], [0, 1]]).toArray();     // [1, 2]
 * linalg.matmul([[[1, 0], [0, 1]], [[2, 0], [0, 2]]], [3, 4]).toArray(); // [[3, 4], [6, 8]]
 * const a = array([[1, 1], [0, 1]]);
 * linalg.matmul(a, a, { out: a }) === a; // true: a now holds a @ a
 * a.toArray();                           // [[1, 2], [0, 1]]
 * linalg.matmul([[{ re: 0, im: 1 }]], [[{ re: 0, im: 1 }]]).item(); // { re: -1, im: 0 }
 * ```
 */
export const matmul = defineOp('linalg.matmul', matmulProgram, { options: true, small: matmulSmall }) as FloatOutOp2;
export const matmulAsync = asyncOf(matmul) as FloatOutOp2Async;

// ---------------------------------------------------------------- dot, vdot, outer

/** A view with a length-1 axis appended or prepended: a scalar read as a 1-element axis. */
const asAxis = (v: View): View => withGeometry(v, [1], [0]);

/**
 * numpy 2 (NEP 50): a plain number is a "weak" scalar that takes the other
 * operand's dtype, so `dot(2, float32Array)` stays float32.
 */
function weakScalar(x: unknown, other: View): View | undefined {
  if (typeof x !== 'number') return undefined;
  const data = isComplexData(other.data)
    ? (other.data instanceof Complex64Data ? Complex64Data : Complex128Data).of(x, 0)
    : other.data instanceof Float32Array
      ? Float32Array.of(x)
      : Float64Array.of(x);
  return { data, shape: [], strides: [], offset: 0 };
}

function* dotProgram({ fn }: OpCall, a: ArrayInput, b: ArrayInput): Program<NDArray> {
  let va = toView(a, fn, 'a', COMPLEX);
  let vb = toView(b, fn, 'b', COMPLEX);
  const complex = anyComplex(va, vb);
  va = weakScalar(a, vb) ?? va;
  vb = weakScalar(b, va) ?? vb;
  const na = va.shape.length;
  const nb = vb.shape.length;
  if (na === 0 || nb === 0) {
    // A scalar times an array: contract over one axis of length 1.
    const left = na === 0 ? asAxis(va) : insertAxis(va, na);
    const right = nb === 0 ? asAxis(vb) : insertAxis(vb, 0);
    const raw = yield* step(nativeCall('contract', [left, right], 1, 1, fn));
    return out(raw, na === 0 ? vb.shape.slice() : va.shape.slice(), complex);
  }
  const k = va.shape[na - 1]!;
  const kAxis = nb === 1 ? 0 : nb - 2;
  if (vb.shape[kAxis] !== k) {
    throw new RangeError(
      `${fn}: a.shape ${describe(va.shape)} and b.shape ${describe(vb.shape)} do not align: ` +
        `a's last axis has ${k} but b's ${nb === 1 ? 'only' : 'second-to-last'} axis has ${vb.shape[kAxis]}`,
    );
  }
  // dot sums a's last axis against b's second-to-last: move that axis of b first.
  const order = nb === 1 ? [0] : [nb - 2, ...Array.from({ length: nb - 2 }, (_, i) => i), nb - 1];
  const raw = yield* step(nativeCall('contract', [va, permute(vb, order)], 1, 1, fn));
  const rest = nb === 1 ? [] : [...vb.shape.slice(0, nb - 2), vb.shape[nb - 1]!];
  return out(raw, [...va.shape.slice(0, na - 1), ...rest], complex);
}

/**
 * numpy's `dot`: for 2-D operands the matrix product; for 1-D the inner
 * product (a 0-d result); for N-D `a` and M-D `b`, the sum over `a`'s last
 * axis and `b`'s second-to-last (`b`'s only axis when 1-D); a 0-d operand
 * scales the other (a plain number takes the other operand's dtype, as in
 * numpy 2). BLAS `?gemm` on the operands flattened to matrices; complex
 * operands as {@link matmul}'s (no conjugation: see {@link vdot}).
 *
 * @param a Left operand, any shape.
 * @param b Right operand, any shape.
 * @returns Shape `a.shape[:-1] + b.shape[:-2] + b.shape[-1:]`.
 * @throws RangeError when the summed axes differ in length.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * linalg.dot([1, 2, 3], [4, 5, 6]).item();        // 32
 * linalg.dot([[1, 2], [3, 4]], [1, 1]).toArray(); // [3, 7]
 * linalg.dot(2, [1, 2]).toArray();                // [2, 4]
 * ```
 */
export const dot = defineOp('linalg.dot', dotProgram) as FloatOp2<typeof dotProgram>;
export const dotAsync = asyncOf(dot) as FloatOp2Async<typeof dotProgram, false>;

/** A complex view's elements, conjugated, as a fresh contiguous view (vdot's first operand). */
function conjugated(v: View): View {
  const data = copyElements(v, v.data.constructor as new (length: number) => ComplexStorage);
  for (let i = 1; i < data.length; i += 2) data[i] = -data[i]!;
  return { data, shape: v.shape.slice(), strides: contiguousStrides(v.shape), offset: 0 };
}

function* vdotProgram({ fn }: OpCall, a: ArrayInput, b: ArrayInput): Program<NDArray> {
  const given = toView(a, fn, 'a', COMPLEX);
  const vb = toView(b, fn, 'b', COMPLEX);
  // numpy's vdot conjugates its first operand (BLAS ?dotc).
  const va = isComplexData(given.data) ? conjugated(given) : given;
  if (sizeOf(va.shape) !== sizeOf(vb.shape)) {
    throw new RangeError(
      `${fn}: a and b must have the same number of elements, but a.shape is ${describe(va.shape)} and b.shape ${describe(vb.shape)}`,
    );
  }
  const raw = yield* step(nativeCall('contract', [va, vb], va.shape.length, vb.shape.length, fn));
  return out(raw, [], anyComplex(va, vb));
}

/**
 * numpy's `vdot`: both inputs flattened (row-major), then the inner product
 * (BLAS `?gemm` on a 1×n by n×1 product). Returns a 0-d array (`.item()`
 * gives the number). A complex `a` is conjugated first, as numpy's:
 * `vdot(a, a)` is the squared norm.
 *
 * @throws RangeError when a and b hold different numbers of elements.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * linalg.vdot([[1, 2], [3, 4]], [[1, 0], [0, 1]]).item(); // 5
 * linalg.vdot([{ re: 1, im: 2 }], [{ re: 1, im: 2 }]).item(); // { re: 5, im: 0 }
 * ```
 */
export const vdot = defineOp('linalg.vdot', vdotProgram) as FloatOp2<typeof vdotProgram>;
export const vdotAsync = asyncOf(vdot) as FloatOp2Async<typeof vdotProgram, false>;

function* outerProgram({ fn }: OpCall, a: ArrayInput, b: ArrayInput): Program<NDArray> {
  const va = toView(a, fn, 'a', COMPLEX);
  const vb = toView(b, fn, 'b', COMPLEX);
  const raw = yield* step(nativeCall('contract', [va, vb], 0, 0, fn));
  return out(raw, [sizeOf(va.shape), sizeOf(vb.shape)], anyComplex(va, vb));
}

/**
 * numpy's `outer`: `out[i, j] = a[i] · b[j]` over both inputs flattened
 * (BLAS `?gemm` with an inner dimension of 1); real or complex, promoted as {@link matmul}'s.
 *
 * @throws TypeError for a non-array or an unsupported dtype.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * linalg.outer([1, 2], [3, 4, 5]).toArray(); // [[3, 4, 5], [6, 8, 10]]
 * ```
 */
export const outer = defineOp('linalg.outer', outerProgram) as FloatOp2<typeof outerProgram>;
export const outerAsync = asyncOf(outer) as FloatOp2Async<typeof outerProgram, false>;

// ---------------------------------------------------------------- cross

function* crossProgram({ fn, async }: OpCall, a: ArrayInput, b: ArrayInput, options?: { axis?: number }): Program<NDArray> {
  const { axis } = readOptions(fn, options, { axis: anyInteger(-1) }, async);
  // numpy: each operand's own `axis` holds its 3-vectors; they move last and
  // the other (batch) axes broadcast.
  const last = [
    { name: 'a', view: toView(a, fn, 'a', COMPLEX) },
    { name: 'b', view: toView(b, fn, 'b', COMPLEX) },
  ].map(({ name, view }) => moveAxis(view, normalizeAxis(fn, `options.axis (for ${name})`, axis, view.shape.length), view.shape.length - 1));
  const lengths = last.map((v) => v.shape[v.shape.length - 1]);
  if (lengths.some((n) => n !== 3)) {
    throw new RangeError(
      `${fn}: both a and b must be (stacks of) 3-element vectors along axis ${axis}, but a has ${lengths[0]} and b has ${lengths[1]} elements there`,
    );
  }
  const { views, batch } = broadcastBatches(fn, [
    { view: last[0]!, core: 1, name: 'a' },
    { view: last[1]!, core: 1, name: 'b' },
  ]);
  const result = out(yield* step(nativeCall('cross', views)), [...batch, 3], anyComplex(...views));
  // The vectors' axis goes back where `axis` says, in the result's own rank (numpy's axisc).
  const nd = batch.length + 1;
  const at = normalizeAxis(fn, 'options.axis', axis, nd);
  if (at === nd - 1) return result;
  const moved = moveAxis(viewOf(result), nd - 1, at);
  return new NDArray(moved.data as FloatArray, moved.shape, moved.strides, moved.offset);
}

/**
 * numpy's `linalg.cross`: the cross product of 3-element vectors along
 * `axis` (default −1, the last) of `a` and `b`; their other axes broadcast,
 * so a stack of vectors crosses one vector, or another stack, item by item
 * (spread over the arena). float32 when both inputs are float32, else
 * float64 (complex operands as {@link matmul}'s). Like numpy's, the result's vector axis sits at `axis` (a view of
 * the contiguous result when that is not the last axis).
 *
 * @param a Vectors, shape `[..., 3, ...]` with the 3 at `axis`.
 * @param b Vectors, shape `[..., 3, ...]` with the 3 at `axis`.
 * @param options `{ axis }`: the axis that holds the vectors, default −1.
 * @throws RangeError when either input has no 3 elements along `axis`, when
 *   `axis` is out of range, or when the other axes do not broadcast.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * linalg.cross([1, 0, 0], [0, 1, 0]).toArray();                  // [0, 0, 1]
 * linalg.cross([[1, 0, 0], [0, 0, 1]], [0, 1, 0]).toArray();     // [[0, 0, 1], [-1, 0, 0]]
 * linalg.cross([[1, 0], [0, 1], [0, 0]], [[0, 0], [1, 0], [0, 1]], { axis: 0 }).toArray(); // [[0, 1], [0, 0], [1, 0]]
 * ```
 */
export const cross = defineOp('linalg.cross', crossProgram, { options: true }) as FloatOp2<typeof crossProgram> & TakesOptions;
export const crossAsync = asyncOf(cross) as FloatOp2Async<typeof crossProgram, true>;

// ---------------------------------------------------------------- multiDot

/** The cheapest parenthesisation of a matrix chain (classic O(n³) dynamic programme). */
function chainOrder(dims: number[]): number[][] {
  const n = dims.length - 1;
  const cost = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const split = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let len = 1; len < n; len++) {
    for (let i = 0; i + len < n; i++) {
      const j = i + len;
      cost[i]![j] = Infinity;
      for (let k = i; k < j; k++) {
        const c = cost[i]![k]! + cost[k + 1]![j]! + dims[i]! * dims[k + 1]! * dims[j + 1]!;
        if (c < cost[i]![j]!) {
          cost[i]![j] = c;
          split[i]![j] = k;
        }
      }
    }
  }
  return split;
}

/** `given` (`views` or their copies) as matrices, a 1-D first one a row and a 1-D last one a column; RangeError unless neighbours align. */
function chainOf(fn: string, views: readonly View[], given: readonly View[]): View[] {
  const last = given.length - 1;
  const mats = given.map((v, i) => {
    if (v.shape.length === 2) return v;
    const [n, s] = [v.shape[0]!, v.strides[0]!];
    return i === 0 ? withGeometry(v, [1, n], [0, s]) : withGeometry(v, [n, 1], [s, 0]);
  });
  for (let i = 1; i <= last; i++) {
    if (mats[i - 1]!.shape[1] !== mats[i]!.shape[0]) {
      throw new RangeError(
        `${fn}: arrays[${i - 1}] (shape ${describe(views[i - 1]!.shape)}) and arrays[${i}] (shape ${describe(views[i]!.shape)}) do not align`,
      );
    }
  }
  return mats;
}

/** Where chainOrder splits the product of mats[i..j], without its tables for two or three matrices. */
function splitOf(mats: readonly View[]): (i: number, j: number) => number {
  const dims = [...mats.map((v) => v.shape[0]!), mats[mats.length - 1]!.shape[1]!];
  if (mats.length === 2) return (i) => i;
  if (mats.length === 3) {
    // chainOrder's choice: (AB)C only when strictly cheaper than A(BC).
    const [a, b, c, d] = dims as [number, number, number, number];
    const outer = a * b * c + a * c * d < b * c * d + a * b * d ? 1 : 0;
    return (i, j) => (j - i === 2 ? outer : i);
  }
  const split = chainOrder(dims);
  return (i, j) => split[i]![j]!;
}

function* multiDotProgram({ fn, async }: OpCall, arrays: readonly ArrayInput[], options?: OutOptions): Program<NDArray> {
  const { out: into } = readOptions(fn, options, outSpec, async);
  if (!Array.isArray(arrays)) throw typeError(fn, 'arrays', 'an array of matrices', arrays);
  if (arrays.length < 2) throw new RangeError(`${fn}: expected at least two arrays, but received ${arrays.length}`);
  const views = arrays.map((x, i) => toView(x, fn, `arrays[${i}]`, COMPLEX));
  const last = views.length - 1;
  const firstVector = views[0]!.shape.length === 1;
  const lastVector = views[last]!.shape.length === 1;
  views.forEach((v, i) => {
    const vectorOk = (i === 0 || i === last) && v.shape.length === 1;
    if (v.shape.length !== 2 && !vectorOk) {
      throw new RangeError(
        `${fn}: expected arrays[${i}] to be 2-D${i === 0 || i === last ? ' (or 1-D)' : ''}, but received shape ${describe(v.shape)}`,
      );
    }
  });
  if (!async) {
    // A chain of tiny matrices: computed in JS, no native call (lib/internal/tiny.ts).
    const mats = chainOf(fn, views, views);
    if (!anyComplex(...mats) && tinyChain(mats)) {
      const data = multiDotJs(mats, splitOf(mats));
      const result = out(data, [...(firstVector ? [] : [mats[0]!.shape[0]!]), ...(lastVector ? [] : [mats[last]!.shape[1]!])]);
      return into === undefined ? result : intoOut(fn, result, into);
    }
  }
  // More than two arrays take more than one product, each a step of its own.
  const given = views.length > 2 ? yield* retain(...views) : views;
  const mats = chainOf(fn, views, given);
  const split = chainOrder([...mats.map((v) => v.shape[0]!), mats[last]!.shape[1]!]);
  function* product(i: number, j: number): Program<View> {
    if (i === j) return mats[i]!;
    const left = yield* product(i, split[i]![j]!);
    const right = yield* product(split[i]![j]! + 1, j);
    const result = yield* matmulViews(left, right, fn);
    // A contiguous 2-D result, as a view without slicing its frozen shape (slow in V8).
    const [m, n] = [left.shape[0]!, right.shape[1]!];
    return { data: result.data as FloatArray, shape: [m, n], strides: [n, 1], offset: 0 };
  }
  const result = yield* product(0, last);
  const shape = [...(firstVector ? [] : [result.shape[0]!]), ...(lastVector ? [] : [result.shape[1]!])];
  if (into !== undefined && (isComplexData(result.data) || isComplexData(into.data))) {
    throw new TypeError(`${fn}: options.out is not supported with complex arrays (received out of dtype ${into.dtype})`);
  }
  return into === undefined ? out(result.data, shape) : intoOut(fn, out(result.data, shape), into);
}

/**
 * numpy's `multi_dot`: the product of a chain of matrices, multiplied in the
 * order that needs the fewest flops. The first array may be 1-D (a row) and
 * the last 1-D (a column); the rest must be 2-D. Each product is one BLAS
 * `?gemm`, or {@link matmul}'s own loop when all the matrices are real and
 * have at most 8 rows and columns (sync and async bit for bit the same).
 * Complex matrices as {@link matmul}'s (`out` is then refused).
 *
 * @param options `out`: an NDArray of the result's shape to write into and
 *   return (as {@link matmul}'s; unlike numpy's, any layout and a float dtype).
 * @throws TypeError when `arrays` is not an array; RangeError for fewer than
 *   two arrays, a middle array that is not 2-D, or neighbours that do not align.
 *
 * @example
 * ```ts
 * import { linalg, zeros } from 'weft';
 * linalg.multiDot([[1, 2], [[1, 0], [0, 1]], [[2, 0], [0, 2]], [1, 1]]).item(); // 6
 * const out = zeros([]);
 * linalg.multiDot([[1, 2], [[2, 0], [0, 2]], [1, 1]], { out }) === out; // true
 * out.item();                                                     // 6
 * ```
 */
export const multiDot = defineOp('linalg.multiDot', multiDotProgram, { options: true, small: (arrays: unknown, options?: unknown) => (options === undefined ? multiDotSmall(arrays, splitOf) : undefined) });
export const multiDotAsync = asyncOf(multiDot);

// ---------------------------------------------------------------- matrixPower

function* matrixPowerProgram({ fn }: OpCall, a: ArrayInput, n: number): Program<NDArray> {
  const va = toView(a, fn, 'a', COMPLEX);
  const size = requireSquare(fn, va, 'a');
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw typeError(fn, 'n', 'an integer', n);
  if (n === 0) {
    // Identities of a's dtype (a complex one's ones at the real slots).
    const data = allocateElements(dtypeOf(va.data) as DType, sizeOf(va.shape), fn) as FloatArray;
    const pair = isComplexData(data) ? 2 : 1;
    for (let item = 0; item < sizeOf(va.shape); item += size * size) {
      for (let d = 0; d < size; d++) data[pair * (item + d * size + d)] = 1;
    }
    return out(data, va.shape.slice());
  }
  // An odd power multiplies `a` in again after the first squaring.
  let base: View = n > 1 && n % 2 === 1 ? (yield* retain(va))[0]! : va;
  if (n < 0) {
    const inverse = yield* inverseProgram(fn, va, false);
    base = viewOf(inverse);
  }
  // Binary exponentiation: square the base, multiply in the set bits.
  let result: View | undefined;
  for (let e = Math.abs(n); e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) result = result === undefined ? base : viewOf(yield* matmulViews(result, base, fn));
    if (e > 1) base = viewOf(yield* matmulViews(base, base, fn));
  }
  // a¹ is `a` itself: hand back a contiguous copy, never the caller's memory.
  if (result === va) return isComplexData(va.data) ? out(copyElements(va), va.shape.slice()) : array(va as NDArrayLike);
  return out(result!.data, result!.shape.slice());
}


/**
 * numpy's `matrix_power`: `a` (square, or a stack of square matrices) raised
 * to the integer power `n` by repeated squaring with BLAS `?gemm`; `n = 0`
 * gives identities, negative `n` inverts first (`?getrf` + `?getri`). Real
 * or complex; the result has `a`'s dtype.
 *
 * @throws TypeError when n is not an integer; RangeError when a has fewer
 *   than two axes (numpy's `LinAlgError` for a 1-D array); LinAlgError
 *   `ERR_NOT_SQUARE`, or `ERR_SINGULAR` when n < 0 and a cannot be inverted.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * linalg.matrixPower([[1, 1], [1, 0]], 10).toArray(); // [[89, 55], [55, 34]]
 * linalg.matrixPower([[2, 0], [0, 4]], -1).toArray(); // [[0.5, 0], [0, 0.25]]
 * ```
 */
export const matrixPower = defineOp('linalg.matrixPower', matrixPowerProgram) as FloatOp<typeof matrixPowerProgram>;
export const matrixPowerAsync = asyncOf(matrixPower) as FloatOpAsync<typeof matrixPowerProgram, false>;

// ---------------------------------------------------------------- transpose

// A program without a native call (the result is a view), driven like the
// others so that transposeAsync validates and settles the same way.
// eslint-disable-next-line require-yield
function* transposeProgram({ fn }: OpCall, a: ArrayInput): Program<NDArray> {
  const va = toView(a, fn, 'a', COMPLEX);
  requireMatrices(fn, va, 'a');
  const t = swapLastAxes(va);
  return new NDArray(t.data as FloatArray, t.shape, t.strides, t.offset);
}

/**
 * numpy's `matrix_transpose`: swaps the last two axes. Returns a view that
 * shares `a`'s memory (no copy, no BLAS call; every weft function reads such
 * views in place).
 *
 * @throws RangeError when a has fewer than two axes.
 *
 * @example
 * ```ts
 * import { linalg } from 'weft';
 * linalg.transpose([[1, 2, 3], [4, 5, 6]]).toArray(); // [[1, 4], [2, 5], [3, 6]]
 * ```
 */
export const transpose = defineOp('linalg.transpose', transposeProgram, { view: true });
export const transposeAsync = asyncOf(transpose);
