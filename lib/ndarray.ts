/**
 * weft's array type and the normalisation every input goes through.
 *
 * weft reads any object of the ndarray protocol — `{ data, shape, strides?,
 * offset? }` with `data` a Float64Array or Float32Array and strides and offset
 * counted in elements (the layout of scijs `ndarray`, whose `stride` is also
 * accepted, and `@stdlib/ndarray`) — plus nested JS arrays of numbers, which
 * become float64, and of booleans, which become bool. Matrices are
 * row-major, as in numpy.
 *
 * The bool dtype: an NDArray over a Uint8Array is a bool array (weft keeps
 * no other data in a Uint8Array), its elements 0 (false) and 1 (true). It
 * knows by its data's type, so views, copies and results made with
 * Object.create all stay bool without a flag to carry. Only an NDArray is
 * bool: a plain Uint8Array, or an ndarray-like object over one, is an
 * integer array converted to float64, as before. Operations that compute
 * in floating point (linalg, arithmetic) read a bool array as float64 0/1,
 * as numpy's linalg does (numpy's arithmetic would keep bool + bool as
 * bool, but weft has no integer dtypes: it computes in float64 for bool as
 * it does for integer input); views, joining, take, copies and the
 * `…Like` functions keep it bool.
 *
 * @module
 */
import { describe, rangeError, typeError } from './errors.js';
import { brand, brands, hasBrand } from './internal/brand.js';
import { formatElements } from './internal/format.js';
import { contiguousStrides, reshapeStrides, resolveShape, sliceView } from './internal/reshape.js';

/** Element types weft computes in. */
export type FloatDType = 'float64' | 'float32';

/** The complex dtypes: (re, im) pairs of float64 or float32, interleaved. */
export type ComplexDType = 'complex128' | 'complex64';

/** weft's dtypes: the float types it computes in, complex, and bool (comparisons and masks). */
export type DType = FloatDType | ComplexDType | 'bool';

/** One complex element: what `get()`, `item()` and `toArray()` give for a complex array. */
export interface Complex {
  /** The real part. */
  re: number;
  /** The imaginary part. */
  im: number;
}

/**
 * The storage of a complex128 NDArray: a Float64Array holding (re, im)
 * pairs interleaved — the layout of @stdlib's `Complex128Array` and of
 * numpy's complex128 — so its `length` is twice the number of complex
 * elements. An NDArray over one counts its shape, strides and offset in
 * complex elements. Wrap existing memory without a copy as any typed
 * array: `new Complex128Data(buffer, byteOffset, 2 * count)`.
 *
 * @example
 * ```ts
 * import { Complex128Data, NDArray } from 'weft';
 * const z = new NDArray(new Complex128Data([1, 2, 3, -4]), [2]); // [1+2j, 3-4j]
 * z.dtype;       // 'complex128'
 * z.get(1);      // { re: 3, im: -4 }
 * z.imag.toArray(); // [2, -4]
 * ```
 */
export class Complex128Data extends Float64Array {
  /** `'complex128'`: what sets this storage apart from a plain Float64Array. */
  get dtype(): 'complex128' {
    return 'complex128';
  }
  /** Whether `x` is complex128 storage of any copy of weft in this process (a process-wide brand). */
  static override [Symbol.hasInstance](x: unknown): boolean {
    return hasBrand(x, brands.Complex128Data);
  }
}

/**
 * The storage of a complex64 NDArray: a Float32Array of (re, im) pairs,
 * as {@link Complex128Data} for float32 (@stdlib's `Complex64Array`).
 *
 * @example
 * ```ts
 * import { Complex64Data, NDArray } from 'weft';
 * new NDArray(new Complex64Data([0.5, 1]), []).item(); // { re: 0.5, im: 1 }
 * ```
 */
export class Complex64Data extends Float32Array {
  /** `'complex64'`: what sets this storage apart from a plain Float32Array. */
  get dtype(): 'complex64' {
    return 'complex64';
  }
  /** Whether `x` is complex64 storage of any copy of weft in this process (a process-wide brand). */
  static override [Symbol.hasInstance](x: unknown): boolean {
    return hasBrand(x, brands.Complex64Data);
  }
}

brand(Complex128Data.prototype, brands.Complex128Data);
brand(Complex64Data.prototype, brands.Complex64Data);

/** The storage of a complex NDArray. */
export type ComplexStorage = Complex128Data | Complex64Data;

/** Whether `data` holds complex (re, im) pairs. @internal */
export function isComplexData(data: unknown): data is ComplexStorage {
  return data instanceof Complex128Data || data instanceof Complex64Data;
}

/**
 * A native complex result (a plain Float64Array or Float32Array of
 * interleaved pairs) as complex storage, without a copy. @internal
 */
export function complexData(raw: Float64Array | Float32Array): ComplexStorage {
  if (isComplexData(raw)) return raw;
  return raw instanceof Float32Array
    ? new Complex64Data(raw.buffer as ArrayBuffer, raw.byteOffset, raw.length)
    : new Complex128Data(raw.buffer as ArrayBuffer, raw.byteOffset, raw.length);
}

/** The complex dtype of a float or complex dtype's precision: float32 → complex64, else complex128. @internal */
export function complexOf(dtype: DTypeName): ComplexDType {
  return dtype === 'float32' || dtype === 'complex64' ? 'complex64' : 'complex128';
}

/** The real dtype of a dtype's precision: complex64 → float32, complex128 → float64, float32 → float32, else float64. @internal */
export function realOf(dtype: DTypeName): FloatDType {
  return dtype === 'float32' || dtype === 'complex64' ? 'float32' : 'float64';
}

/** Whether `dtype` is complex128 or complex64. @internal */
export function isComplexDType(dtype: unknown): dtype is ComplexDType {
  return dtype === 'complex128' || dtype === 'complex64';
}

/** The typed arrays behind weft's float dtypes. */
export type FloatArray = Float64Array | Float32Array;

/** The storage of a bool NDArray: one byte per element, 0 or 1. */
export type BoolArray = Uint8Array;

/** What an NDArray can hold: float data, bool data, or int32 indices (luFactor's pivots). */
export type ElementArray = FloatArray | BoolArray | Int32Array;

/** Every dtype an NDArray can have: weft's dtypes, and int32 for index arrays (luFactor's pivots). */
export type DTypeName = DType | 'int32';

/** The typed array behind each dtype: an `NDArray<'float64'>`'s data is a Float64Array. */
export interface DTypeArrays {
  /** 64-bit floats. */
  float64: Float64Array;
  /** 32-bit floats. */
  float32: Float32Array;
  /** (re, im) pairs of 64-bit floats. */
  complex128: Complex128Data;
  /** (re, im) pairs of 32-bit floats. */
  complex64: Complex64Data;
  /** One byte per element, 0 or 1. */
  bool: BoolArray;
  /** Indices (luFactor's pivots). */
  int32: Int32Array;
}

/** An NDArray of any dtype. */
export type AnyNDArray = NDArray<DTypeName>;

/** The dtype of data `A`: `DTypeOfArray<Float32Array>` is `'float32'`. */
export type DTypeOfArray<A extends ElementArray> = A extends Complex128Data
  ? 'complex128'
  : A extends Complex64Data
    ? 'complex64'
    : A extends Float64Array
      ? 'float64'
      : A extends Float32Array
        ? 'float32'
        : A extends Int32Array
          ? 'int32'
          : 'bool';

/** What one element of an NDArray of dtype `D` reads as: a boolean for bool data, `{ re, im }` for complex, else a number. */
export type ElementOf<D extends DTypeName> = D extends 'bool' ? boolean : D extends ComplexDType ? Complex : number;

/** Nested JS arrays of complex elements (`[[{ re: 1, im: 2 }]]`), as `toArray()` gives a complex array. */
export type NestedComplex = Complex | readonly NestedComplex[];

/** Nested JS arrays of booleans (`[[true, false], [false, true]]`), a flat array, or one boolean. */
export type NestedBooleans = boolean | readonly NestedBooleans[];

/** What `toArray()` gives for an NDArray of dtype `D`: booleans for bool data, else numbers. */
export type NestedOf<D extends DTypeName> = D extends 'bool' ? NestedBooleans : D extends ComplexDType ? NestedComplex : NestedNumbers;

/**
 * What `toArray(rank)` gives for an NDArray of dtype `D` with `Rank` axes:
 * `number[][]` for rank 2, a number (or boolean) for rank 0.
 */
export type NestedOfRank<D extends DTypeName, Rank extends number> = Nest<ElementOf<D>, Rank, []>;
type Nest<E, Rank extends number, Depth extends unknown[]> = Depth['length'] extends Rank ? E : Nest<E, Rank, [...Depth, unknown]>[];

/** The ranks `toArray(rank)` types (deeper arrays: `toArray()`, the nested union). */
export type Rank = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/**
 * Any strided array weft can read without copying it first: the ndarray
 * protocol shared by scijs `ndarray` and `@stdlib/ndarray`.
 */
export interface NDArrayLike {
  /** The elements, in a Float64Array or Float32Array (interleaved (re, im) pairs with a complex `dtype`). */
  readonly data: FloatArray;
  /** `'complex128'` or `'complex64'` when `data` holds interleaved pairs (@stdlib's ndarray names its dtype so); else ignored. */
  readonly dtype?: string;
  /** Length of each axis. */
  readonly shape: ArrayLike<number>;
  /** Elements to step in `data` per index of each axis; row-major contiguous when omitted. */
  readonly strides?: ArrayLike<number>;
  /** Index in `data` of the first element; 0 when omitted. */
  readonly offset?: number;
}

/** A complex array given as its real and imaginary parts, two real arrays of one shape. */
export interface ComplexPair {
  /** The real parts. */
  readonly re: NDArrayLike | NDArray<FloatDType> | FloatArray | NestedNumbers;
  /** The imaginary parts, the shape of `re`. */
  readonly im: NDArrayLike | NDArray<FloatDType> | FloatArray | NestedNumbers;
}

/**
 * A `Complex128Array` or `Complex64Array` of the `@stdlib` packages (a 1-D
 * complex array, read in place): what weft reads of one.
 */
export interface StdlibComplexArray {
  /** Its memory: (re, im) pairs. */
  readonly buffer: ArrayBufferLike;
  /** Where its first pair starts in `buffer`. */
  readonly byteOffset: number;
  /** Its number of complex elements. */
  readonly length: number;
  /** 16 for Complex128Array, 8 for Complex64Array. */
  readonly BYTES_PER_ELEMENT: number;
}

/** Nested JS arrays of numbers (`[[1, 2], [3, 4]]`), a flat array, or one number. */
export type NestedNumbers = number | readonly NestedNumbers[];

/**
 * Typed arrays of integers, which weft reads as float64 (converting, as
 * numpy converts integer arrays for linear algebra).
 */
export type IntegerArray = Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array;

/**
 * Everything a weft function accepts as an array argument: an NDArray or
 * ndarray-like object (its data float64/float32, read in place, or
 * integers or a JS array of numbers, converted to float64: scijs `ndarray`
 * and @stdlib's `typedndarray`, whose `data` is typed `ArrayLike<number>`,
 * fit as they are), a typed array (a 1-D array: read in
 * place when float, converted when integer), nested JS arrays, or a number.
 */
export type ArrayInput =
  | NDArrayLike
  | NDArray<DType>
  | ComplexPair
  | StdlibComplexArray
  | { readonly data: IntegerArray | ArrayLike<number>; readonly shape: ArrayLike<number>; readonly strides?: ArrayLike<number>; readonly offset?: number }
  | FloatArray
  | IntegerArray
  | NestedValues;

/**
 * Nested JS arrays of numbers, booleans and `{ re, im }` objects: all
 * booleans make a bool array, any `{ re, im }` a complex128 one, anything
 * else float64 (a boolean is 0 or 1).
 */
export type NestedValues = number | boolean | Complex | readonly NestedValues[];

/**
 * The dtype weft reads input `X` as: an NDArray's own dtype; float32 for
 * Float32Array data; bool for nested booleans; float64 for everything else
 * (nested numbers, integer data, an ndarray-like object over a Uint8Array).
 * An input whose type says no more than `ArrayInput` gives the union.
 */
export type InputDType<X> = X extends NDArray<infer D extends DType>
  ? D
  : X extends ComplexStorage
    ? DTypeOfArray<X>
  : X extends { readonly re: unknown; readonly im: unknown }
    ? 'complex128'
  : X extends { readonly data: infer A }
    ? (A extends Float32Array ? 'float32' : 'float64')
    : X extends Float32Array
      ? 'float32'
      : X extends NestedBooleans
        ? 'bool'
        : 'float64';

/** The real dtype of `D`'s precision: float32 and complex64 give float32, all else float64. */
export type RealOf<D> = D extends 'float32' | 'complex64' ? 'float32' : 'float64';

/** The dtype an op computing in floating point gives for input of dtype `D`: float32 stays float32, all else is float64. */
export type FloatOf<D> = D extends 'float32' ? 'float32' : D extends ComplexDType ? D : 'float64';

/**
 * numpy's promotion of two dtypes an op computes in: complex if either is
 * (complex128 when either has float64's precision), else float64 if either
 * is, float32 when both are, else either.
 */
export type Promote<D1, D2> = [D1] extends [ComplexDType]
  ? PromoteComplex<D1, D2>
  : [D2] extends [ComplexDType]
    ? PromoteComplex<D2, D1>
    : [D1] extends ['float64']
      ? 'float64'
      : [D2] extends ['float64']
        ? 'float64'
        : [D1 | D2] extends ['float32']
          ? 'float32'
          : FloatDType;
type PromoteComplex<C, R> = [C] extends ['complex128']
  ? 'complex128'
  : [R] extends ['float64' | 'complex128']
    ? 'complex128'
    : [R] extends ['float32' | 'complex64']
      ? 'complex64'
      : ComplexDType;

/** The dtype of a floating-point op's result on input `A` (linalg, elementwise math, reductions). */
export type FloatResult<A> = FloatOf<InputDType<A>>;

/** The dtype of a floating-point op's result on inputs `A` and `B` (float32 only when both are). */
export type FloatResult2<A, B> = Promote<FloatResult<A>, FloatResult<B>>;

/**
 * The dtype of arithmetic on `A` and `B`: as {@link FloatResult2}, except
 * that a JS number is weak (numpy 2): `add(float32Array, 2)` is float32.
 */
export type ArithmeticResult<A, B> = [A] extends [number] ? FloatResult<B> : [B] extends [number] ? FloatResult<A> : FloatResult2<A, B>;

/** At most this many axes (numpy allows 64; LAPACK work never needs more). */
export const MAX_DIMS = 32;
/** Largest axis length: MKL's LP64 interface counts in 32-bit integers. */
export const MAX_DIM = 2 ** 31 - 1;

/** A validated view: what the native layer is handed (not exported from the package). */
export interface View {
  data: ElementArray;
  shape: number[];
  strides: number[];
  offset: number;
}

/** A view before integer data is converted (protocolView's result). */
type RawView = Omit<View, 'data'> & { data: ElementArray | IntegerArray | readonly number[] };

export { contiguousStrides };

/**
 * The elements of `view`, row-major, in a fresh array of `Type` (the view's
 * own element type by default): one `slice` when the view is contiguous.
 */
export function copyElements<T extends ElementArray>(
  view: View | RawView,
  Type: { new (length: number): T } = view.data.constructor as { new (length: number): T },
): T {
  if (isComplexData(view.data)) return copyPairs(view as View, Type);
  const size = view.shape.reduce((p, s) => p * s, 1);
  const strides = contiguousStrides(view.shape);
  if (view.data.constructor === Type && view.shape.every((d, i) => d === 1 || view.strides[i] === strides[i])) {
    return view.data.slice(view.offset, view.offset + size) as T;
  }
  const out = new Type(size);
  if (size === 0) return out;
  const nd = view.shape.length;
  if (nd === 0) {
    out[0] = view.data[view.offset]!;
    return out;
  }
  // Odometer over the outer axes, the last axis in a tight loop.
  const inner = view.shape[nd - 1]!;
  const step = view.strides[nd - 1]!;
  const index = new Array<number>(nd).fill(0);
  let at = view.offset;
  for (let k = 0; k < size; ) {
    for (let j = 0; j < inner; j++) out[k++] = view.data[at + j * step]!;
    let d = nd - 2;
    for (; d >= 0; d--) {
      if (++index[d]! < view.shape[d]!) {
        at += view.strides[d]!;
        break;
      }
      at -= view.strides[d]! * (view.shape[d]! - 1);
      index[d] = 0;
    }
    if (d < 0) break;
  }
  return out;
}

/**
 * The elements of a complex view, row-major, in a fresh array of `Type`:
 * complex storage gets the (re, im) pairs, a real array the real parts
 * (numpy's complex-to-real cast).
 */
function copyPairs<T extends ElementArray>(view: View, Type: { new (length: number): T }): T {
  const size = view.shape.reduce((p, s) => p * s, 1);
  const pairs = Type === (Complex128Data as unknown) || Type === (Complex64Data as unknown);
  const out = new Type(pairs ? 2 * size : size);
  const data = view.data;
  forEachIndex(view, (at, k) => {
    if (pairs) {
      out[2 * k] = data[2 * at]!;
      out[2 * k + 1] = data[2 * at + 1]!;
    } else {
      out[k] = data[2 * at]!;
    }
  });
  return out;
}

/** Calls `visit(at, k)` for the k-th element of `view` in row-major order, `at` its index in the data (in elements). */
export function forEachIndex(view: { shape: readonly number[]; strides: readonly number[]; offset: number }, visit: (at: number, k: number) => void): void {
  const size = view.shape.reduce((p, s) => p * s, 1);
  if (size === 0) return;
  const nd = view.shape.length;
  const index = new Array<number>(nd).fill(0);
  let at = view.offset;
  for (let k = 0; k < size; k++) {
    visit(at, k);
    for (let d = nd - 1; d >= 0; d--) {
      if (++index[d]! < view.shape[d]!) {
        at += view.strides[d]!;
        break;
      }
      at -= view.strides[d]! * (view.shape[d]! - 1);
      index[d] = 0;
    }
  }
}

/** The dtype of an NDArray over `data`. @internal */
export function dtypeOf(data: ElementArray): DType | 'int32' {
  if (isComplexData(data)) return data instanceof Complex64Data ? 'complex64' : 'complex128';
  return data instanceof Float32Array ? 'float32' : data instanceof Int32Array ? 'int32' : data instanceof Uint8Array ? 'bool' : 'float64';
}

/**
 * The typed array of `dtype`, `size` elements long (zeros): the one place a
 * result too large for any typed array becomes weft's RangeError naming
 * `fn` (code ERR_WEFT_OUT_OF_MEMORY), not the engine's "Invalid typed array
 * length". @internal
 */
export function allocateElements(dtype: DType, size: number, fn: string): FloatArray | BoolArray {
  try {
    if (dtype === 'complex128') return new Complex128Data(2 * size);
    if (dtype === 'complex64') return new Complex64Data(2 * size);
    return dtype === 'float32' ? new Float32Array(size) : dtype === 'bool' ? new Uint8Array(size) : new Float64Array(size);
  } catch {
    throw Object.assign(new RangeError(`${fn}: out of memory: cannot allocate ${size} ${dtype} elements`), { code: 'ERR_WEFT_OUT_OF_MEMORY' });
  }
}

/**
 * The elements of `view`, row-major, converted to `dtype` in a fresh
 * array: to bool, any value but 0 is true (NaN too, as numpy's
 * `astype(bool)`); from bool, 0 and 1 (any nonzero byte counts as 1).
 * @internal
 */
export function castElements(view: View, dtype: DType): FloatArray | BoolArray {
  // A View's Uint8Array is bool data: toView converts plain integer input to float64 first.
  const fromBool = view.data instanceof Uint8Array;
  if (isComplexDType(dtype)) {
    const Type = dtype === 'complex64' ? Complex64Data : Complex128Data;
    if (isComplexData(view.data)) return copyElements(view, Type as new (length: number) => ComplexStorage);
    const re = castElements(view, 'float64');
    const out = new Type(2 * re.length);
    for (let i = 0; i < re.length; i++) out[2 * i] = re[i]!;
    return out;
  }
  if (isComplexData(view.data)) {
    // numpy: complex to bool is "nonzero"; complex to real keeps the real part (numpy's ComplexWarning).
    if (dtype === 'bool') {
      const out = new Uint8Array(view.shape.reduce((p, s) => p * s, 1));
      forEachIndex(view, (at, k) => (out[k] = view.data[2 * at] !== 0 || view.data[2 * at + 1] !== 0 ? 1 : 0));
      return out;
    }
    return dtype === 'float32' ? copyElements(view, Float32Array) : copyElements(view, Float64Array);
  }
  if (dtype === 'bool') {
    if (fromBool) return copyElements(view, Uint8Array);
    const values = copyElements(view, Float64Array);
    const out = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = values[i] !== 0 ? 1 : 0;
    return out;
  }
  const out = dtype === 'float32' ? copyElements(view, Float32Array) : copyElements(view, Float64Array);
  if (fromBool) for (let i = 0; i < out.length; i++) out[i] = out[i] !== 0 ? 1 : 0;
  return out;
}

function isFloatArray(x: unknown): x is FloatArray {
  return x instanceof Float64Array || x instanceof Float32Array;
}

function isIntegerArray(x: unknown): x is IntegerArray {
  return (
    x instanceof Int8Array ||
    x instanceof Uint8Array ||
    x instanceof Uint8ClampedArray ||
    x instanceof Int16Array ||
    x instanceof Uint16Array ||
    x instanceof Int32Array ||
    x instanceof Uint32Array
  );
}

/** An integer view converted to a contiguous float64 one (values are exact: every 32-bit integer is a double). */
function toFloat64(view: RawView): View {
  const data = copyElements(view, Float64Array);
  return { data, shape: view.shape, strides: contiguousStrides(view.shape), offset: 0 };
}

function isDetached(data: ElementArray | IntegerArray): boolean {
  if (data.length !== 0) return false;
  try {
    new Uint8Array(data.buffer); // throws only for a detached buffer
    return false;
  } catch {
    return true;
  }
}

function integerList(
  list: unknown,
  fn: string,
  name: string,
  check: (v: number) => boolean,
  expected: string,
): number[] {
  if (list === null || typeof list !== 'object' || typeof (list as ArrayLike<unknown>).length !== 'number') {
    throw typeError(fn, name, 'an array of integers', list);
  }
  const source = list as ArrayLike<unknown>;
  const out = new Array<number>(source.length);
  for (let i = 0; i < source.length; i++) {
    const v = source[i];
    if (typeof v !== 'number') throw typeError(fn, `${name}[${i}]`, expected, v);
    if (!Number.isInteger(v) || !check(v)) throw rangeError(fn, `${name}[${i}]`, expected, v);
    out[i] = v;
  }
  return out;
}

/**
 * Checks an ndarray-protocol object and returns its view. Every index the
 * shape, strides and offset reach must lie inside `data`.
 */
function protocolView(x: NDArrayLike, fn: string, name: string, allowInt32 = false, allowIntegers = false, allowBool = false): RawView {
  const data = complexStorage(x.data, (x as { dtype?: unknown }).dtype, fn, `${name}.data`) ?? (x.data as unknown);
  const numbers = allowIntegers && Array.isArray(data); // converted to float64, as integers are
  if (numbers && !data.every((v) => typeof v === 'number')) throw typeError(fn, `${name}.data`, 'an array of numbers', data);
  if (!isFloatArray(data) && !(allowInt32 && data instanceof Int32Array) && !(allowIntegers && isIntegerArray(data)) && !(allowBool && data instanceof Uint8Array) && !numbers) {
    const accepted = allowIntegers
      ? 'a Float64Array, a Float32Array, an integer typed array or an array of numbers'
      : `a Float64Array, Float32Array${allowBool ? ', Uint8Array (bool)' : ''}${allowInt32 ? ' or Int32Array' : ''}`;
    throw typeError(fn, `${name}.data`, accepted, data);
  }
  const shape = integerList(x.shape, fn, `${name}.shape`, (v) => v >= 0 && v <= MAX_DIM, `an integer from 0 to ${MAX_DIM}`);
  if (shape.length > MAX_DIMS) throw rangeError(fn, `${name}.shape`, `at most ${MAX_DIMS} axes`, x.shape);
  const rawStrides = x.strides ?? (x as { stride?: ArrayLike<number> }).stride;
  const strides =
    rawStrides === undefined
      ? contiguousStrides(shape)
      : integerList(rawStrides, fn, `${name}.strides`, Number.isSafeInteger, 'a safe integer');
  if (strides.length !== shape.length) {
    throw new RangeError(
      `${fn}: expected ${name}.strides to have one entry per axis (${shape.length}), but received ${describe(rawStrides)}`,
    );
  }
  const offset = x.offset ?? 0;
  if (typeof offset !== 'number') throw typeError(fn, `${name}.offset`, 'a non-negative integer', offset);
  if (!Number.isSafeInteger(offset) || offset < 0) throw rangeError(fn, `${name}.offset`, 'a non-negative integer', offset);

  let size = 1;
  let low = offset;
  let high = offset;
  for (let d = 0; d < shape.length; d++) {
    size *= shape[d]!;
    const reach = strides[d]! * Math.max(shape[d]! - 1, 0);
    if (reach > 0) high += reach;
    else low += reach;
  }
  if (size > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`${fn}: ${name}.shape ${describe(shape)} has more elements than an array can hold`);
  }
  if (size > 0) {
    if (!numbers && isDetached(data as ElementArray)) throw new TypeError(`${fn}: ${name}.data's ArrayBuffer is detached`);
    // Complex storage is counted in (re, im) pairs.
    const length = isComplexData(data) ? data.length >> 1 : data.length;
    if (low < 0 || high >= length) {
      throw new RangeError(
        `${fn}: ${name}.shape ${describe(shape)} with strides ${describe(strides)} and offset ${offset} ` +
          `reaches elements ${low} to ${high}, but ${name}.data has ${isComplexData(data) ? `${length} complex elements` : `length ${length}`}`,
      );
    }
  }
  return { data, shape, strides, offset };
}

/**
 * `data` as complex storage, zero copy, when it is complex: weft's own
 * storage; a Float64Array/Float32Array of pairs under a `dtype` of
 * `'complex128'`/`'complex64'` (an ndarray-like object's, as @stdlib's
 * ndarray names it); or a @stdlib Complex128Array/Complex64Array. Else
 * undefined (a `dtype` that is not complex is ignored, as before).
 */
function complexStorage(data: unknown, dtype: unknown, fn: string, name: string): ComplexStorage | undefined {
  if (isComplexData(data)) return data;
  if (isStdlibComplex(data)) {
    const wide = data.BYTES_PER_ELEMENT === 16;
    if (dtype !== undefined && isComplexDType(dtype) && dtype !== (wide ? 'complex128' : 'complex64')) {
      throw typeError(fn, name, `a complex array of the dtype it is given with (${String(dtype)})`, data);
    }
    const buffer = data.buffer as ArrayBuffer;
    return wide ? new Complex128Data(buffer, data.byteOffset, 2 * data.length) : new Complex64Data(buffer, data.byteOffset, 2 * data.length);
  }
  if (!isComplexDType(dtype)) return undefined;
  const wide = dtype === 'complex128';
  if (!(wide ? data instanceof Float64Array : data instanceof Float32Array)) {
    throw typeError(fn, name, `a ${wide ? 'Float64Array' : 'Float32Array'} of (re, im) pairs for dtype '${dtype}'`, data);
  }
  const floats = data as FloatArray;
  if (floats.length % 2 !== 0) throw rangeError(fn, `${name}.length`, `even for dtype '${dtype}' ((re, im) pairs)`, floats.length);
  const buffer = floats.buffer as ArrayBuffer;
  return wide ? new Complex128Data(buffer, floats.byteOffset, floats.length) : new Complex64Data(buffer, floats.byteOffset, floats.length);
}

/** Whether `x` looks like @stdlib's Complex128Array or Complex64Array (read by its memory, not its class). */
function isStdlibComplex(x: unknown): x is StdlibComplexArray {
  if (x === null || typeof x !== 'object' || ArrayBuffer.isView(x)) return false;
  const c = x as Partial<StdlibComplexArray> & { constructor?: { name?: string } };
  const name = c.constructor?.name;
  return (
    (name === 'Complex128Array' || name === 'Complex64Array') &&
    (c.BYTES_PER_ELEMENT === 16 || c.BYTES_PER_ELEMENT === 8) &&
    c.buffer instanceof ArrayBuffer &&
    Number.isSafeInteger(c.byteOffset) &&
    Number.isSafeInteger(c.length)
  );
}

/** `{ re, im }` given as two real arrays of one shape, as one complex128 view (complex64 when both are float32). */
function pairView(x: ComplexPair, fn: string, name: string): View {
  const re = toView(x.re, fn, `${name}.re`);
  const im = toView(x.im, fn, `${name}.im`);
  if (re.shape.length !== im.shape.length || re.shape.some((d, i) => d !== im.shape[i])) {
    throw new RangeError(`${fn}: expected ${name}.re and ${name}.im to have one shape, but received ${describe(re.shape)} and ${describe(im.shape)}`);
  }
  const Type = re.data instanceof Float32Array && im.data instanceof Float32Array ? Complex64Data : Complex128Data;
  const a = copyElements(re, Float64Array);
  const b = copyElements(im, Float64Array);
  const data = new Type(2 * a.length);
  for (let i = 0; i < a.length; i++) {
    data[2 * i] = a[i]!;
    data[2 * i + 1] = b[i]!;
  }
  return { data, shape: re.shape, strides: contiguousStrides(re.shape), offset: 0 };
}

/** Whether `x` is a `{ re, im }` leaf (a complex number in nested input). */
function isComplexLeaf(x: unknown): x is Complex {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && typeof (x as Complex).re === 'number' && typeof (x as Complex).im === 'number';
}

/**
 * Converts nested arrays of numbers to a row-major float64 view; of
 * booleans only, to a bool view (numpy: `[True, 2.5]` is float64, each
 * boolean 0 or 1).
 */
function nestedView(x: NestedNumbers | NestedBooleans, fn: string, name: string): View {
  const shape: number[] = [];
  let probe: NestedNumbers | NestedBooleans = x;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (shape.length > MAX_DIMS) throw rangeError(fn, name, `nested at most ${MAX_DIMS} deep`, x);
    if (probe.length === 0) break;
    probe = probe[0] as NestedNumbers | NestedBooleans;
  }
  const size = shape.reduce((p, s) => p * s, 1);
  const data = new Float64Array(size);
  let imag: Float64Array | undefined; // made at the first { re, im } leaf
  let k = 0;
  let booleans = 0;
  const walk = (node: NestedNumbers | NestedBooleans, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof node === 'boolean') {
        booleans++;
        data[k++] = node ? 1 : 0;
        return;
      }
      if (isComplexLeaf(node)) {
        imag ??= new Float64Array(size);
        imag[k] = node.im;
        data[k++] = node.re;
        return;
      }
      if (typeof node !== 'number') throw typeError(fn, path, 'a number, a boolean or a { re, im } object', node);
      data[k++] = node;
      return;
    }
    if (!Array.isArray(node)) {
      throw typeError(fn, path, `an array of length ${shape[depth]} (${name} must be rectangular)`, node);
    }
    if (node.length !== shape[depth]) {
      throw new RangeError(
        `${fn}: expected ${path} to have ${shape[depth]} elements like its siblings (${name} must be rectangular), ` +
          `but it has ${node.length}`,
      );
    }
    for (let i = 0; i < node.length; i++) walk(node[i] as NestedNumbers | NestedBooleans, depth + 1, `${path}[${i}]`);
  };
  walk(x, 0, name);
  if (imag !== undefined) {
    const pairs = new Complex128Data(2 * size);
    for (let i = 0; i < size; i++) {
      pairs[2 * i] = data[i]!;
      pairs[2 * i + 1] = imag[i]!;
    }
    return { data: pairs, shape, strides: contiguousStrides(shape), offset: 0 };
  }
  const bool = size > 0 && booleans === size;
  return { data: bool ? Uint8Array.from(data) : data, shape, strides: contiguousStrides(shape), offset: 0 };
}

/**
 * Which element types beyond float a caller of toView reads as they are:
 * int32 (luFactor's pivots), bool (ops that keep or test bool data; for
 * the others a bool array becomes a float64 copy of 0 and 1).
 * @internal
 */
export interface ViewKinds {
  int32?: boolean;
  bool?: boolean;
  /** The caller computes on complex data (else a complex operand is a TypeError naming `fn`). */
  complex?: boolean;
}

/**
 * Validates any accepted array argument and returns its view. `fn` and `name`
 * make the error messages (`linalg.qr: expected a.shape[0] to be ...`).
 * @internal
 */
export function toView(x: unknown, fn: string, name: string, kinds: ViewKinds = {}): View {
  const allowInt32 = kinds.int32 === true;
  let view: View;
  if (x instanceof NDArray) {
    if (x.data instanceof Int32Array && !allowInt32) {
      throw typeError(fn, `${name}.data`, 'a Float64Array, Float32Array or Uint8Array (bool)', x.data);
    }
    view = { data: x.data, shape: unfrozen(x.shape), strides: unfrozen(x.strides), offset: x.offset };
  } else if (typeof x === 'number' || typeof x === 'boolean' || Array.isArray(x) || isComplexLeaf(x)) {
    view = nestedView(x as NestedNumbers | NestedBooleans, fn, name);
  } else if (isComplexPair(x)) {
    view = pairView(x, fn, name);
  } else {
    view = foreignView(x, fn, name, allowInt32);
  }
  if (isComplexData(view.data) && kinds.complex !== true) {
    throw new TypeError(`${fn}: ${name} has dtype ${dtypeOf(view.data)}, which ${fn} does not support`);
  }
  if (view.data instanceof Uint8Array && kinds.bool !== true) {
    return { data: castElements(view, 'float64'), shape: view.shape, strides: contiguousStrides(view.shape), offset: 0 };
  }
  return view;
}

/**
 * A plain copy of an NDArray's frozen shape or strides. V8 has no fast path
 * for slicing a frozen array (~0.8 µs for two numbers, against 20 ns for a
 * plain one), and the programs slice the views they get; a copy written out
 * costs a few ns.
 */
function unfrozen(a: readonly number[]): number[] {
  switch (a.length) {
    case 0:
      return [];
    case 1:
      return [a[0]!];
    case 2:
      return [a[0]!, a[1]!];
    case 3:
      return [a[0]!, a[1]!, a[2]!];
    default:
      return [...a];
  }
}

/**
 * Frozen shape and strides of contiguous results of up to two axes, shared
 * between results (frozen arrays cannot change): freezing two new arrays
 * costs ~0.3 µs per result, more than a small op. Keyed by the axes' lengths.
 */
const sharedLayouts = new Map<number, { shape: readonly number[]; strides: readonly number[] }>();
const LAYOUT_KEY_LIMIT = 1 << 20;

function contiguousLayout(shape: number[]): { shape: readonly number[]; strides: readonly number[] } {
  const n = shape.length;
  // A key for 0, 1 or 2 axes of lengths below 2^20 (more: not shared).
  const key = n === 0 ? 0 : n === 1 ? 1 + shape[0]! : n === 2 ? LAYOUT_KEY_LIMIT + 1 + shape[0]! * LAYOUT_KEY_LIMIT + shape[1]! : -1;
  const small = key >= 0 && shape.every((d) => d < LAYOUT_KEY_LIMIT);
  if (small) {
    const hit = sharedLayouts.get(key);
    if (hit !== undefined) return hit;
  }
  const layout = { shape: Object.freeze(shape), strides: Object.freeze(contiguousStrides(shape)) };
  if (small && sharedLayouts.size < 4096) sharedLayouts.set(key, layout);
  return layout;
}

/** Whether `x` is a `{ re, im }` pair of real arrays (not a complex leaf, not an ndarray-like object). */
function isComplexPair(x: unknown): x is ComplexPair {
  return typeof x === 'object' && x !== null && !ArrayBuffer.isView(x) && 're' in x && 'im' in x && !('data' in x);
}

/** toView of anything but an NDArray or nested arrays: typed arrays and ndarray-like objects. */
function foreignView(x: unknown, fn: string, name: string, allowInt32: boolean): View {
  if (isStdlibComplex(x)) {
    return protocolView({ data: complexStorage(x, undefined, fn, name)!, shape: [x.length] }, fn, name) as View;
  }
  // A typed array is a 1-D array: read in place when float, converted when integer.
  if (isFloatArray(x) || isIntegerArray(x)) {
    const view = protocolView({ data: x as FloatArray, shape: [isComplexData(x) ? x.length >> 1 : x.length] }, fn, name, allowInt32, true);
    return isFloatArray(x) || (allowInt32 && x instanceof Int32Array) ? (view as View) : toFloat64(view);
  }
  if (x !== null && typeof x === 'object' && 'data' in x && 'shape' in x) {
    const view = protocolView(x as NDArrayLike, fn, name, allowInt32, true);
    return isFloatArray(view.data) || (allowInt32 && view.data instanceof Int32Array) ? (view as View) : toFloat64(view);
  }
  throw typeError(
    fn,
    name,
    'an NDArray, an ndarray-like { data, shape, strides?, offset? }, a typed array or nested arrays of numbers',
    x,
  );
}

/**
 * weft's n-dimensional array: a Float64Array or Float32Array (or a
 * Uint8Array of 0 and 1: a bool array) with a shape, element strides and
 * an offset. Every weft function returns NDArrays and accepts them (or any
 * ndarray-like object, or nested arrays) as input. Results are row-major
 * and contiguous.
 *
 * @example
 * ```ts
 * import { NDArray } from 'weft';
 * const a = new NDArray(new Float64Array([1, 2, 3, 4, 5, 6]), [2, 3]);
 * a.get(1, 2);          // 6
 * a.toArray();          // [[1, 2, 3], [4, 5, 6]]
 * const t = new NDArray(a.data, [3, 2], [1, 3]); // the transpose, sharing memory
 * t.toArray();          // [[1, 4], [2, 5], [3, 6]]
 * const mask = new NDArray<'bool'>(new Uint8Array([1, 0, 1]), [3]); // a bool array
 * mask.dtype;           // 'bool'
 * mask.toArray();       // [true, false, true]
 * ```
 */
export class NDArray<D extends DTypeName = FloatDType> {
  /** The elements, in the typed array of the dtype (a Float64Array for float64). May be shared with other arrays (views). */
  readonly data: DTypeArrays[D];
  /** Length of each axis. */
  readonly shape: readonly number[];
  /** Elements to step in `data` per index of each axis. */
  readonly strides: readonly number[];
  /** Index in `data` of element `[0, 0, ...]`. */
  readonly offset: number;

  /**
   * Wraps `data` without copying it. Throws `TypeError`/`RangeError` when the
   * shape, strides or offset reach outside `data`.
   *
   * @param data Float64Array or Float32Array holding the elements, or a
   *   Uint8Array of 0 (false) and 1 (true) for a bool array (a byte other
   *   than 0 reads as true).
   * @param shape Length of each axis.
   * @param strides Elements per step along each axis; row-major contiguous when omitted.
   * @param offset Index in `data` of the first element; 0 when omitted.
   */
  constructor(data: DTypeArrays[D], shape: readonly number[], strides?: readonly number[], offset = 0) {
    const view = protocolView({ data: data as FloatArray, shape, strides, offset }, 'new NDArray', 'array', true, false, true);
    this.data = data;
    this.shape = Object.freeze(view.shape);
    this.strides = Object.freeze(view.strides);
    this.offset = view.offset;
  }

  /**
   * Whether `x` is an NDArray — one made by this copy of weft or by
   * another in the same process (its ESM and CommonJS builds): the test is
   * a process-wide brand, not this class's prototype.
   */
  static [Symbol.hasInstance](x: unknown): boolean {
    return hasBrand(x, brands.NDArray);
  }

  /** A contiguous result made by weft: no checks needed. @internal */
  static fromContiguous<A extends ElementArray>(data: A, shape: number[]): NDArray<DTypeOfArray<A>> {
    const array = Object.create(NDArray.prototype) as { -readonly [K in keyof NDArray<DTypeOfArray<A>>]: NDArray<DTypeOfArray<A>>[K] };
    array.data = data as unknown as DTypeArrays[DTypeOfArray<A>]; // A is that dtype's array
    const layout = contiguousLayout(shape);
    array.shape = layout.shape;
    array.strides = layout.strides;
    array.offset = 0;
    return array as NDArray<DTypeOfArray<A>>;
  }

  /**
   * A result with the layout of `like`, a contiguous array made by weft or
   * checked by its constructor: its frozen shape and strides are shared,
   * no checks needed. @internal
   */
  static withLayoutOf<A extends ElementArray>(data: A, like: AnyNDArray): NDArray<DTypeOfArray<A>> {
    const array = Object.create(NDArray.prototype) as { -readonly [K in keyof NDArray<DTypeOfArray<A>>]: NDArray<DTypeOfArray<A>>[K] };
    array.data = data as unknown as DTypeArrays[DTypeOfArray<A>]; // A is that dtype's array
    array.shape = like.shape;
    array.strides = like.strides;
    array.offset = 0;
    return array as NDArray<DTypeOfArray<A>>;
  }

  /** `'float64'`, `'float32'`, `'complex128'`, `'complex64'` or `'bool'` (or `'int32'` for index arrays), from the type of `data`. */
  get dtype(): D {
    return dtypeOf(this.data) as D;
  }

  /** Number of axes. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements (the product of the shape). */
  get size(): number {
    return this.shape.reduce((p, s) => p * s, 1);
  }

  /**
   * The element at `index` (one integer per axis).
   * @example
   * ```ts
   * new NDArray(new Float64Array([1, 2, 3, 4]), [2, 2]).get(1, 0); // 3
   * ```
   */
  get(...index: number[]): ElementOf<D> {
    if (index.length !== this.shape.length) {
      throw new RangeError(`NDArray.get: expected ${this.shape.length} indices, but received ${index.length}`);
    }
    let at = this.offset;
    for (let d = 0; d < index.length; d++) {
      const i = index[d]!;
      if (!Number.isInteger(i) || i < 0 || i >= this.shape[d]!) {
        throw rangeError('NDArray.get', `index[${d}]`, `an integer from 0 to ${this.shape[d]! - 1}`, i);
      }
      at += i * this.strides[d]!;
    }
    return elementOf(this, at);
  }

  /**
   * The single element of a one-element array (numpy's `item()`): the value
   * of a 0-d result such as `det(a)`; a boolean for a bool array.
   * @example
   * ```ts
   * import { linalg } from 'weft';
   * linalg.det([[2, 0], [0, 3]]).item(); // 6
   * ```
   */
  item(): ElementOf<D> {
    if (this.size !== 1) throw new RangeError(`NDArray.item: expected an array of one element, but this one has ${this.size}`);
    return elementOf(this, this.offset); // every index of a one-element array is 0
  }

  /**
   * The elements as nested JS arrays (a number for a 0-d array). A bool
   * array gives JS booleans, as numpy's `tolist()` gives True and False.
   * @example
   * ```ts
   * new NDArray(new Float32Array([1, 2, 3, 4]), [2, 2]).toArray(); // [[1, 2], [3, 4]]
   * new NDArray<'bool'>(new Uint8Array([0, 1]), [2]).toArray();   // [false, true]
   * ```
   */
  toArray(): NestedOf<D>;
  /**
   * The elements as nested JS arrays typed by `rank`, which must be the
   * array's number of axes: `toArray(2)` is a `number[][]`.
   * @param rank The number of axes the caller expects.
   * @throws RangeError when the array has another number of axes.
   * @example
   * ```ts
   * import { linalg } from 'weft';
   * const rows: number[][] = linalg.inv([[2, 0], [0, 4]]).toArray(2); // [[0.5, 0], [0, 0.25]]
   * ```
   */
  toArray<R extends Rank>(rank: R): NestedOfRank<D, R>;
  toArray(rank?: Rank): NestedOf<D> {
    if (rank !== undefined && rank !== this.shape.length) {
      throw rangeError('NDArray.toArray', 'rank', `the array's number of axes (${this.shape.length})`, rank);
    }
    type Nested = NestedNumbers | NestedBooleans | NestedComplex;
    const build = (depth: number, at: number): Nested => {
      if (depth === this.shape.length) return elementOf(this, at);
      const out: Nested[] = new Array(this.shape[depth]!);
      for (let i = 0; i < out.length; i++) out[i] = build(depth + 1, at + i * this.strides[depth]!);
      return out as Nested;
    };
    return build(0, this.offset) as NestedOf<D>; // NestedOfRank<T, rank> too: rank was checked
  }

  /**
   * The real parts, as a float view into this array's memory (numpy's
   * `a.real`): writing through it writes this array. A real array's real
   * part is the array itself.
   * @example
   * ```ts
   * import { array } from 'weft';
   * const z = array([{ re: 1, im: 2 }, { re: 3, im: -4 }]);
   * z.real.toArray(); // [1, 3]
   * array([1, 2]).real.toArray(); // [1, 2]
   * ```
   */
  get real(): NDArray<RealOf<D>> {
    if (!isComplexData(this.data)) return this as unknown as NDArray<RealOf<D>>;
    return partView(this, 0) as NDArray<RealOf<D>>;
  }

  /**
   * The imaginary parts, as a float view into this array's memory (numpy's
   * `a.imag`); for a real array, zeros of its dtype (a new array).
   * @example
   * ```ts
   * import { array } from 'weft';
   * array([{ re: 1, im: 2 }, { re: 3, im: -4 }]).imag.toArray(); // [2, -4]
   * array([1, 2]).imag.toArray(); // [0, 0]
   * ```
   */
  get imag(): NDArray<RealOf<D>> {
    if (!isComplexData(this.data)) {
      const zeros = this.data instanceof Float32Array ? new Float32Array(this.size) : new Float64Array(this.size);
      return NDArray.fromContiguous(zeros, this.shape.slice()) as unknown as NDArray<RealOf<D>>;
    }
    return partView(this, 1) as NDArray<RealOf<D>>;
  }

  /**
   * The transpose: the axes in reverse order, as a view that shares this
   * array's memory (numpy's `a.T`). A 1-D array is its own transpose.
   * @example
   * ```ts
   * import { array } from 'weft';
   * array([[1, 2, 3], [4, 5, 6]]).T.toArray(); // [[1, 4], [2, 5], [3, 6]]
   * ```
   */
  get T(): NDArray<D> {
    // The reversed axes of a checked view are a valid view: no checks, and
    // no slice() of the frozen arrays (V8 has no fast path for those).
    const nd = this.shape.length;
    const shape = new Array<number>(nd);
    const strides = new Array<number>(nd);
    for (let i = 0; i < nd; i++) {
      shape[i] = this.shape[nd - 1 - i]!;
      strides[i] = this.strides[nd - 1 - i]!;
    }
    const view = Object.create(NDArray.prototype) as { -readonly [K in keyof NDArray<D>]: NDArray<D>[K] };
    view.data = this.data;
    view.shape = Object.freeze(shape);
    view.strides = Object.freeze(strides);
    view.offset = this.offset;
    return view as NDArray<D>;
  }

  /**
   * The same elements, row-major, in a new shape (numpy's `reshape`): one
   * axis may be −1, inferred from the others. A view sharing this array's
   * memory whenever its layout allows (always for a contiguous array),
   * otherwise a contiguous copy — as numpy decides.
   *
   * @param shape The new shape, as arguments (`reshape(2, 3)`) or one array (`reshape([2, 3])`).
   * @throws TypeError for a length that is not an integer ≥ −1; RangeError
   *   when the sizes differ or more than one length is −1.
   * @example
   * ```ts
   * import { array } from 'weft';
   * const a = array([1, 2, 3, 4, 5, 6]);
   * a.reshape(2, 3).toArray();   // [[1, 2, 3], [4, 5, 6]]
   * a.reshape([-1, 2]).shape;    // [3, 2]
   * a.reshape(3, 2).data === a.data; // true: a view
   * ```
   */
  reshape(...shape: number[] | [readonly number[]]): NDArray<D> {
    const requested = (shape.length === 1 && Array.isArray(shape[0]) ? shape[0] : shape) as readonly unknown[];
    return reshaped('NDArray.reshape', this, requested);
  }

  /**
   * `a[index...]` as numpy's basic indexing gives it, as a view: per axis an
   * integer (the axis goes), `null` (all of it) or `[start, stop, step]`
   * (negatives count from the end); axes not listed are taken whole. The
   * top-level `slice(a, index)` is the same as an op.
   *
   * @param index One entry per leading axis.
   * @throws RangeError for an integer out of bounds, a step of 0, or more entries than axes.
   * @example
   * ```ts
   * import { arange } from 'weft';
   * const a = arange(6).reshape(2, 3);
   * a.slice(null, [1]).toArray();          // [[1, 2], [4, 5]]
   * a.slice(-1, [null, null, -2]).toArray(); // [5, 3]
   * ```
   */
  slice(...index: (number | null | readonly [start?: number | null, stop?: number | null, step?: number | null])[]): NDArray<D> {
    const v = sliceView('NDArray.slice', { shape: this.shape.slice(), strides: this.strides.slice(), offset: this.offset }, index);
    return new NDArray(this.data, v.shape, v.strides, v.offset);
  }

  /**
   * A contiguous copy with its own memory (numpy's `copy`).
   * @example
   * ```ts
   * import { array } from 'weft';
   * const a = array([[1, 2], [3, 4]]);
   * const t = a.T.copy();
   * t.strides;      // [2, 1]
   * t.toArray();    // [[1, 3], [2, 4]]
   * ```
   */
  copy(): NDArray<D> {
    return NDArray.fromContiguous(copyElements(viewOfArray(this)), this.shape.slice()) as NDArray<D>; // the copy keeps the element type
  }

  /**
   * A contiguous copy converted to `dtype` (numpy's `astype`, which copies
   * too): float64 → float32 rounds to nearest; to bool, every value but 0
   * is true (NaN too); from bool, false is 0 and true 1.
   * @param dtype `'float64'`, `'float32'` or `'bool'`.
   * @throws TypeError for another dtype.
   * @example
   * ```ts
   * import { array } from 'weft';
   * array([0.1, 2]).astype('float32').dtype;  // 'float32'
   * array([0, 2, NaN]).astype('bool').toArray(); // [false, true, true]
   * array([true, false]).astype('float64').toArray(); // [1, 0]
   * ```
   */
  astype(dtype: 'bool'): NDArray<'bool'>;
  astype<C extends ComplexDType>(dtype: C): NDArray<C>;
  astype(dtype: FloatDType): NDArray;
  astype(dtype: DType): NDArray<DType>;
  astype(dtype: DType): NDArray<DType> {
    if (!DTYPES.includes(dtype)) throw typeError('NDArray.astype', 'dtype', DTYPE_NAMES, dtype);
    return NDArray.fromContiguous(castElements(viewOfArray(this), dtype), this.shape.slice());
  }

  /**
   * What `JSON.stringify` writes: the elements as nested arrays, as
   * {@link toArray} gives them (NaN and ±Infinity become `null`, as JSON has
   * no such numbers).
   * @example
   * ```ts
   * import { array } from 'weft';
   * JSON.stringify({ w: array([[1, 2], [3, 4]]) }); // '{"w":[[1,2],[3,4]]}'
   * ```
   */
  toJSON(): NestedOf<D> {
    return this.toArray();
  }

  /**
   * numpy's `str()`: nested brackets, elements aligned in columns, rows of
   * a matrix on lines of their own; more than 1000 elements are
   * summarised with `...`. Elements print as JS numbers (`1`, not numpy's
   * `1.`); bool elements as numpy's `True` and `False`.
   * @example
   * ```ts
   * import { array } from 'weft';
   * String(array([[1, 2.5], [-3, 4]])); // '[[  1 2.5]\n [ -3   4]]'
   * String(array([true, false]));        // '[ True False]'
   * ```
   */
  toString(): string {
    return formatElements(this.shape, (index) => elementAt(this, index), this.dtype, ' ', 0);
  }

  /**
   * Shown by `console.log` and `util.inspect`: numpy's `repr()`, `NDArray([[1, 2], ...])`,
   * with the dtype unless float64 (or bool, which its True/False show, unless empty: numpy's rule).
   */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const prefix = 'NDArray(';
    const empty = this.size === 0 && this.shape.length > 0 ? `, shape=[${this.shape.join(', ')}]` : '';
    const dtype = this.dtype === 'float64' || this.dtype === 'complex128' || (this.dtype === 'bool' && this.size > 0) ? '' : `, dtype=${this.dtype}`;
    return `${prefix}${formatElements(this.shape, (index) => elementAt(this, index), this.dtype, ', ', prefix.length)}${empty}${dtype})`;
  }
}

brand(NDArray.prototype, brands.NDArray);

/**
 * `a` in the shape `requested` (numpy's reshape, −1 inferred): a view
 * wherever the layout allows, else a contiguous copy. `fn` names the caller
 * in errors. @internal
 */
export function reshaped<D extends DTypeName>(fn: string, a: NDArray<D>, requested: readonly unknown[]): NDArray<D> {
  const newShape = resolveShape(fn, requested, a.size, a.shape);
  const strides = reshapeStrides(a.shape, a.strides, newShape);
  if (strides !== undefined) return new NDArray<D>(a.data, newShape, strides, a.offset);
  return NDArray.fromContiguous(copyElements(viewOfArray(a)), newShape) as NDArray<D>; // the copy keeps a's element type
}

/**
 * `a` under the float NDArray type that views, joining and creation
 * declare: they keep a bool input bool, and their declared result types
 * do not follow the input's (the result's `dtype` says `'bool'`). @internal
 */
export function declaredFloat(a: AnyNDArray): NDArray {
  return a as NDArray;
}

// Helpers of NDArray's methods, outside the class: weft makes results with
// Object.create (fromContiguous), which private members would not survive.

/** `a` as a View (for copyElements). */
function viewOfArray(a: AnyNDArray): View {
  return { data: a.data, shape: a.shape.slice(), strides: a.strides.slice(), offset: a.offset };
}

/** The element of `a` at `at` in its data: a boolean for bool data, `{ re, im }` for complex. */
function elementOf<D extends DTypeName>(a: NDArray<D>, at: number): ElementOf<D> {
  if (isComplexData(a.data)) return { re: a.data[2 * at]!, im: a.data[2 * at + 1]! } as ElementOf<D>;
  const v = a.data[at]!;
  return (a.data instanceof Uint8Array ? v !== 0 : v) as ElementOf<D>;
}

/** The element of `a` at `index`, unchecked (bool data as 0 and 1, complex as `{ re, im }`). */
function elementAt(a: AnyNDArray, index: readonly number[]): number | Complex {
  let at = a.offset;
  for (let d = 0; d < index.length; d++) at += index[d]! * a.strides[d]!;
  if (isComplexData(a.data)) return { re: a.data[2 * at]!, im: a.data[2 * at + 1]! };
  return a.data[at]!;
}

/** The real (`part` 0) or imaginary (1) parts of complex `a`: a float view into its memory. */
function partView(a: AnyNDArray, part: 0 | 1): NDArray<FloatDType> {
  const data = a.data as ComplexStorage;
  const buffer = data.buffer as ArrayBuffer;
  const floats = data instanceof Complex64Data ? new Float32Array(buffer, data.byteOffset, data.length) : new Float64Array(buffer, data.byteOffset, data.length);
  const view = Object.create(NDArray.prototype) as { -readonly [K in keyof NDArray<FloatDType>]: NDArray<FloatDType>[K] };
  view.data = floats;
  view.shape = Object.freeze(a.shape.slice());
  view.strides = Object.freeze(a.strides.map((st) => 2 * st));
  view.offset = 2 * a.offset + part;
  return view as NDArray<FloatDType>;
}

/** Every dtype astype and array accept, and how errors name them. */
const DTYPES: readonly string[] = ['float64', 'float32', 'complex128', 'complex64', 'bool'];
const DTYPE_NAMES = "'float64', 'float32', 'complex128', 'complex64' or 'bool'";

/**
 * Makes an NDArray from nested arrays, a flat array or any ndarray-like
 * input, copying the elements into a new contiguous array of `dtype`
 * (by default the input's: float64 for numbers and integer data, bool for
 * nested booleans and bool NDArrays).
 *
 * @example
 * ```ts
 * import { array } from 'weft';
 * const a = array([[1, 2], [3, 4]], { dtype: 'float32' });
 * a.dtype; // 'float32'
 * a.shape; // [2, 2]
 * array([true, false]).dtype;            // 'bool'
 * array([0, 3], { dtype: 'bool' }).toArray(); // [false, true]
 * ```
 */
export function array<D extends DType>(x: ArrayInput, options: { dtype: D }): NDArray<D>;
export function array<X extends ArrayInput>(x: X, options?: { dtype?: undefined }): NDArray<InputDType<X>>;
export function array(x: ArrayInput, options?: { dtype?: DType }): NDArray<DType>;
export function array(x: ArrayInput, options: { dtype?: DType } = {}): NDArray<DType> {
  const view = toView(x, 'array', 'x', { bool: true, complex: true });
  const dtype = options.dtype ?? (dtypeOf(view.data) as DType);
  if (!DTYPES.includes(dtype)) throw typeError('array', 'options.dtype', DTYPE_NAMES, options.dtype);
  return NDArray.fromContiguous(castElements(view, dtype), view.shape.slice());
}
