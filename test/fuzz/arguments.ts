// Argument generators for the fuzzer: arrays in every representation weft
// accepts (and many it must refuse), options with valid and invalid values,
// and plain garbage. Everything is drawn from a seeded generator, so a
// failure names the seed and the call number that reproduces it.
import { Complex128Data, Complex64Data, NDArray } from '../../lib/index.js';

/** A seeded source of numbers in [0, 1): test/helpers' rng(seed). */
export type Rng = () => number;

export const int = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
export const chance = (r: Rng, p: number): boolean => r() < p;

/**
 * A generated array argument: what is passed, and — when it is a valid
 * array — the same values as a plain contiguous NDArray (`canonical`; a
 * number for a bare number), which
 * the fuzzer computes with to check the result. `mutate()` changes or
 * detaches the memory passed, for "after the call returned" checks.
 */
export interface ArrayArg {
  value: unknown;
  canonical?: NDArray | number;
  mutate?: () => void;
  describe: string;
}

type Backing = 'plain' | 'shared' | 'resizable';
type Ctor = Float64ArrayConstructor | Float32ArrayConstructor;

function buffer(ctor: Ctor, length: number, backing: Backing): { data: Float64Array | Float32Array; ab: ArrayBufferLike } {
  const bytes = length * ctor.BYTES_PER_ELEMENT;
  if (backing === 'shared') {
    const ab = new SharedArrayBuffer(bytes);
    return { data: new ctor(ab as unknown as ArrayBuffer), ab };
  }
  if (backing === 'resizable') {
    const ab = new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer)(bytes, {
      maxByteLength: bytes + 64,
    });
    // Length-tracking view: its length follows the buffer's.
    return { data: new ctor(ab), ab };
  }
  const ab = new ArrayBuffer(bytes);
  return { data: new ctor(ab), ab };
}

function fill(r: Rng, values: number[], specials: boolean): void {
  for (let i = 0; i < values.length; i++) {
    values[i] = (r() - 0.5) * 4;
    if (specials && chance(r, 0.05)) values[i] = pick(r, [NaN, Infinity, -Infinity, 0, -0, 1e300, 1e-300]);
  }
}

/**
 * A valid complex array of `shape` (complex128 or complex64) in a random
 * representation: complex storage, an ndarray-like of interleaved pairs with
 * its dtype, a strided/reversed/offset view into a larger buffer, nested
 * `{ re, im }` leaves, or a `{ re, im }` pair of real arrays.
 */
export function validComplex(r: Rng, shape: number[], opts: { square?: boolean; specials?: boolean } = {}): ArrayArg {
  const dtype = chance(r, 0.6) ? 'complex128' : 'complex64';
  const Data = dtype === 'complex128' ? Complex128Data : Complex64Data;
  const Real = dtype === 'complex128' ? Float64Array : Float32Array;
  const count = shape.reduce((a, b) => a * b, 1);
  const values = new Array<number>(2 * count);
  fill(r, values, opts.specials ?? chance(r, 0.1));
  if (opts.square && shape.length >= 2 && chance(r, 0.5)) {
    const n = shape[shape.length - 1]!;
    for (let i = 0; i < count; i++) if (Math.floor(i / n) % n === i % n) values[2 * i]! += n * 2;
  }
  const canonical = new NDArray(new Data(values), shape);
  const nd = shape.length;
  const rep = pick(r, ['ndarray', 'protocol', 'strided', 'reversed', 'nested', 'pair'] as const);
  if (rep === 'nested' && dtype === 'complex128' && nd >= 1 && nd <= 3 && count <= 64 && shape.every((d) => d > 0)) {
    const nest = (dim: number, base: number): unknown =>
      dim === nd ? { re: values[2 * base], im: values[2 * base + 1] } : Array.from({ length: shape[dim]! }, (_, i) => nest(dim + 1, base * shape[dim]! + i));
    return { value: nest(0, 0), canonical, describe: `nested complex ${JSON.stringify(shape)}` };
  }
  if (rep === 'pair') {
    const re = new NDArray(Real.from(values.filter((_, i) => i % 2 === 0)), shape);
    const im = new NDArray(Real.from(values.filter((_, i) => i % 2 === 1)), shape);
    return { value: { re, im }, canonical, describe: `{ re, im } ${dtype} ${JSON.stringify(shape)}` };
  }
  if (rep === 'strided' || rep === 'reversed') {
    // Every axis strided by `gap` complex elements, the last possibly reversed, after an offset.
    const gap = rep === 'strided' ? int(r, 2, 3) : 1;
    const offset = int(r, 0, 3);
    const strides = new Array<number>(nd);
    let step = gap;
    for (let d = nd - 1; d >= 0; d--) {
      strides[d] = step;
      step *= Math.max(shape[d]!, 1) + (gap > 1 ? 1 : 0);
    }
    const data = new Data(2 * (offset + (nd === 0 ? 1 : step) + 2)).fill(NaN);
    let start = offset;
    if (rep === 'reversed' && nd > 0 && shape[nd - 1]! > 0) {
      start += strides[nd - 1]! * (shape[nd - 1]! - 1);
      strides[nd - 1] = -strides[nd - 1]!;
    }
    const index = new Array<number>(nd).fill(0);
    for (let i = 0; i < count; i++) {
      let at = start;
      for (let d = 0; d < nd; d++) at += index[d]! * strides[d]!;
      data[2 * at] = values[2 * i]!;
      data[2 * at + 1] = values[2 * i + 1]!;
      for (let d = nd - 1; d >= 0; d--) {
        if (++index[d]! < shape[d]!) break;
        index[d] = 0;
      }
    }
    return { value: new NDArray(data, shape, strides, start), canonical, mutate: () => data.fill(12345), describe: `${rep} ${dtype} ${JSON.stringify(shape)} strides ${JSON.stringify(strides)} offset ${start}` };
  }
  const data = new Data(values);
  const value = rep === 'protocol' ? { data: Real.from(values), shape, dtype } : new NDArray(data, shape);
  return { value, canonical, mutate: () => data.fill(12345), describe: `${rep} ${dtype} ${JSON.stringify(shape)}` };
}

/** A valid array of `shape` in a random representation; with `complex`, a complex one 30% of the time (validComplex). */
export function validArray(r: Rng, shape: number[], opts: { dtype?: 'float64' | 'float32'; square?: boolean; specials?: boolean; complex?: boolean } = {}): ArrayArg {
  if (opts.complex && opts.dtype === undefined && chance(r, 0.3)) return validComplex(r, shape, opts);
  const dtype = opts.dtype ?? (chance(r, 0.75) ? 'float64' : 'float32');
  const ctor: Ctor = dtype === 'float64' ? Float64Array : Float32Array;
  const count = shape.reduce((a, b) => a * b, 1);
  const values = new Array<number>(count);
  fill(r, values, opts.specials ?? chance(r, 0.1));
  if (opts.square && shape.length >= 2) {
    // Make it diagonally dominant half the time, so factorisations succeed.
    const n = shape[shape.length - 1]!;
    if (chance(r, 0.5)) for (let i = 0; i < count; i++) if (Math.floor(i / n) % n === i % n) values[i]! += n * 2;
  }
  const canonical = new NDArray(ctor.from(values), shape);
  const rep = pick(r, ['ndarray', 'protocol', 'strided', 'reversed', 'offset', 'nested', 'shared', 'resizable', 'typed', 'integers'] as const);
  // A bare typed array is a 1-D array, read in place.
  if (rep === 'typed' && shape.length === 1) {
    const { data, ab } = buffer(ctor, count, 'plain');
    data.set(values);
    return { value: data, canonical, mutate: mutator(r, data, ab), describe: `bare ${ctor.name}(${count})` };
  }
  // Integer data (as a protocol object, or bare when 1-D) is converted to float64, as numpy converts.
  if (rep === 'integers') {
    const Int = pick(r, [Int8Array, Uint8Array, Int16Array, Int32Array, Uint32Array]);
    const ints = Int.from(values.map((v) => Math.abs(Math.round(v * 10)) % 100));
    const exact = new NDArray(Float64Array.from(ints), shape);
    const value = shape.length === 1 && chance(r, 0.5) ? ints : { data: ints, shape };
    return { value, canonical: exact, describe: `${Int.name} ${JSON.stringify(shape)}` };
  }
  const backing: Backing = rep === 'shared' ? 'shared' : rep === 'resizable' ? 'resizable' : 'plain';
  const nd = shape.length;
  // Nested arrays cannot say [2, 0, 0] ([[], []] reads as [2, 0]): a zero
  // only on the last axis.
  if (rep === 'nested' && nd <= 3 && count <= 64 && shape.slice(0, -1).every((d) => d > 0)) {
    const nest = (dim: number, base: number): unknown =>
      dim === nd ? values[base] : Array.from({ length: shape[dim]! }, (_, i) => nest(dim + 1, base * shape[dim]! + i));
    // Nested arrays are read as float64; a bare number stays one, since a
    // JS number is a weak scalar in dtype promotion (numpy 2's rule).
    if (nd === 0) return { value: values[0], canonical: values[0], describe: `number ${values[0]}` };
    return { value: nest(0, 0), canonical: new NDArray(Float64Array.from(values), shape), describe: `nested ${JSON.stringify(shape)}` };
  }
  if (rep === 'strided' || rep === 'reversed' || rep === 'offset') {
    // Embed the values in a larger buffer: every axis strided by `gap`,
    // the last axis possibly reversed, and a leading offset.
    const gap = rep === 'strided' ? int(r, 2, 3) : 1;
    const offset = rep === 'offset' ? int(r, 1, 5) : 0;
    const strides = new Array<number>(nd);
    let step = gap;
    for (let d = nd - 1; d >= 0; d--) {
      strides[d] = step;
      step *= Math.max(shape[d]!, 1) + (gap > 1 ? 1 : 0);
    }
    const span = offset + (nd === 0 ? 1 : step) + 2;
    const { data, ab } = buffer(ctor, span, backing);
    data.fill(NaN); // anything read outside the view would show
    let start = offset;
    if (rep === 'reversed' && nd > 0 && shape[nd - 1]! > 0) {
      start += strides[nd - 1]! * (shape[nd - 1]! - 1);
      strides[nd - 1] = -strides[nd - 1]!;
    }
    const index = new Array<number>(nd).fill(0);
    for (let i = 0; i < count; i++) {
      let at = start;
      for (let d = 0; d < nd; d++) at += index[d]! * strides[d]!;
      data[at] = values[i]!;
      for (let d = nd - 1; d >= 0; d--) {
        if (++index[d]! < shape[d]!) break;
        index[d] = 0;
      }
    }
    const value = chance(r, 0.5) ? new NDArray(data, shape, strides, start) : { data, shape, strides, offset: start };
    return { value, canonical, mutate: mutator(r, data, ab), describe: `${rep} ${dtype} ${JSON.stringify(shape)} strides ${JSON.stringify(strides)} offset ${start}` };
  }
  const { data, ab } = buffer(ctor, count, backing);
  data.set(values);
  const value = rep === 'protocol' ? { data, shape } : new NDArray(data, shape);
  return { value, canonical, mutate: mutator(r, data, ab), describe: `${rep} ${dtype} ${JSON.stringify(shape)}` };
}

/** Overwrites, detaches (transfers) or shrinks the memory behind an argument. */
function mutator(r: Rng, data: Float64Array | Float32Array, ab: ArrayBufferLike): () => void {
  return () => {
    const how = pick(r, ['overwrite', 'detach', 'shrink']);
    if (how === 'detach' && ab instanceof ArrayBuffer && !(ab as { resizable?: boolean }).resizable) {
      structuredClone(ab, { transfer: [ab] });
    } else if (how === 'shrink' && (ab as { resizable?: boolean }).resizable) {
      (ab as unknown as { resize(n: number): void }).resize(0);
    } else {
      data.fill(12345);
    }
  };
}

/** Something that is not a valid array, or is a broken one. */
export function badArray(r: Rng): ArrayArg {
  const f64 = (n: number) => new Float64Array(Math.max(n, 0));
  const kind = int(r, 0, 23);
  const detached = () => {
    const data = new Float64Array(16);
    structuredClone(data.buffer, { transfer: [data.buffer] });
    return data;
  };
  const options: [string, () => unknown][] = [
    ['null', () => null],
    ['undefined', () => undefined],
    ['string', () => 'matrix'],
    ['symbol', () => Symbol('x')],
    ['bigint', () => 12n],
    ['function', () => () => 1],
    ['plain object', () => ({ a: 1 })],
    ['ragged nested', () => [[1, 2], [3]]],
    ['nested with a string', () => [[1, 'x'], [3, 4]]],
    ['BigInt64Array data', () => ({ data: new BigInt64Array(4), shape: [2, 2] })],
    ['BigUint64Array', () => new BigUint64Array(4)],
    ['DataView data', () => ({ data: new DataView(new ArrayBuffer(32)), shape: [2, 2] })],
    ['shape longer than data', () => ({ data: f64(3), shape: [2, 2] })],
    ['negative dim', () => ({ data: f64(4), shape: [-2, 2] })],
    ['fractional dim', () => ({ data: f64(4), shape: [1.5, 2] })],
    ['NaN dim', () => ({ data: f64(4), shape: [NaN, 2] })],
    ['huge dims', () => ({ data: f64(4), shape: [2 ** 40, 2 ** 40] })],
    ['stride out of bounds', () => ({ data: f64(4), shape: [2, 2], strides: [2, 5] })],
    ['negative stride from 0', () => ({ data: f64(4), shape: [2, 2], strides: [-2, 1] })],
    ['offset past the end', () => ({ data: f64(4), shape: [2, 2], offset: 3 })],
    ['NaN offset', () => ({ data: f64(4), shape: [2, 2], offset: NaN })],
    ['detached buffer', () => ({ data: detached(), shape: [4, 4] })],
    ['shape not an array', () => ({ data: f64(4), shape: '2,2' })],
    ['too many axes', () => ({ data: f64(1), shape: new Array(40).fill(1) })],
  ];
  const [describe, make] = options[kind % options.length]!;
  return { value: make(), describe: `bad: ${describe}` };
}

/** A random shape: rank 0..4, axes 0..6 (mostly 1..5). */
export function shape(r: Rng, rank = int(r, 0, 4)): number[] {
  return Array.from({ length: rank }, () => (chance(r, 0.08) ? 0 : int(r, 1, 5)));
}

/** A value for an option: usually one the option accepts, sometimes garbage. */
export function optionValue(r: Rng, valid: readonly unknown[]): unknown {
  if (chance(r, 0.7)) return pick(r, valid);
  return pick(r, [null, undefined, -1, 0.5, NaN, Infinity, 'x', {}, [], true, 1e300, -0]);
}
