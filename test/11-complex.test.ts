import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Complex128Data, Complex64Data, NDArray, Pool, array, floor, floorAsync, linalg } from '../lib/index.js';

// @stdlib's Complex128Array as weft reads it: its class name, its memory
// (buffer, byteOffset, length in complex elements) and BYTES_PER_ELEMENT.
class Complex128Array {
  readonly BYTES_PER_ELEMENT = 16;
  readonly buffer: ArrayBuffer;
  readonly byteOffset = 0;
  readonly length: number;
  constructor(pairs: number[]) {
    this.buffer = new Float64Array(pairs).buffer;
    this.length = pairs.length / 2;
  }
}
class Complex64Array {
  readonly BYTES_PER_ELEMENT = 8;
  readonly buffer: ArrayBuffer;
  readonly byteOffset: number;
  readonly length: number;
  constructor(pairs: number[], skip = 0) {
    this.buffer = new Float32Array([...new Array<number>(2 * skip).fill(99), ...pairs]).buffer;
    this.byteOffset = 8 * skip;
    this.length = pairs.length / 2;
  }
}

describe('the complex dtypes', () => {
  it('store (re, im) pairs interleaved; shape, strides and offset count complex elements', () => {
    const data = new Complex128Data([1, 2, 3, 4, 5, 6, 7, 8]);
    const z = new NDArray<'complex128'>(data, [2, 2]);
    expect(z.dtype).toBe('complex128');
    expect(z.size).toBe(4);
    expect(z.strides).toEqual([2, 1]);
    expect(z.get(1, 0)).toEqual({ re: 5, im: 6 });
    expect(z.T.toArray()).toEqual([
      [{ re: 1, im: 2 }, { re: 5, im: 6 }],
      [{ re: 3, im: 4 }, { re: 7, im: 8 }],
    ]);
    // A reversed view with an offset, and its copy.
    const r = new NDArray<'complex128'>(data, [4], [-1], 3);
    expect(r.toArray(1).map((c) => c.re)).toEqual([7, 5, 3, 1]);
    const c = r.copy();
    expect(c.data).toBeInstanceOf(Complex128Data);
    expect(Array.from(c.data)).toEqual([7, 8, 5, 6, 3, 4, 1, 2]);
    expect(z.reshape(4).get(3)).toEqual({ re: 7, im: 8 });
    expect(new NDArray(new Complex64Data([0.5, -1]), []).item()).toEqual({ re: 0.5, im: -1 });
    expect(new NDArray(new Complex64Data(2), [1]).dtype).toBe('complex64');
  });

  it('refuse geometry that reaches past the pairs', () => {
    expect(() => new NDArray(new Complex128Data(6), [4])).toThrow(/reaches elements 0 to 3, but array.data has 3 complex elements/);
    expect(() => array({ data: new Float64Array(3), shape: [1], dtype: 'complex128' })).toThrow(RangeError);
    expect(() => array({ data: new Float32Array(2), shape: [1], dtype: 'complex128' })).toThrow(/a Float64Array of \(re, im\) pairs for dtype 'complex128'/);
  });

  it('come from { re, im } leaves, a { re, im } pair of arrays, ndarray-likes with a complex dtype and @stdlib arrays', () => {
    const nested = array([[1, { re: 2, im: -1 }], [{ re: 0, im: 3 }, 4]]);
    expect(nested.dtype).toBe('complex128');
    expect(Array.from(nested.data)).toEqual([1, 0, 2, -1, 0, 3, 4, 0]);
    const pair = array({ re: [[1, 2]], im: [[3, 4]] });
    expect(pair.shape).toEqual([1, 2]);
    expect(Array.from(pair.data)).toEqual([1, 3, 2, 4]);
    expect(array({ re: new Float32Array([1]), im: new Float32Array([2]) }).dtype).toBe('complex64');
    expect(() => array({ re: [1, 2], im: [1] })).toThrow(/array: expected x.re and x.im to have one shape, but received \[2\] and \[1\]/);
    const like = array({ data: new Float64Array([1, 2, 3, 4, 5, 6]), shape: [2], strides: [2], dtype: 'complex128' });
    expect(like.toArray()).toEqual([{ re: 1, im: 2 }, { re: 5, im: 6 }]);
    // @stdlib's arrays are read in place, zero copy: a write shows through.
    const stdlib = new Complex128Array([1, 2, 3, 4]);
    const view = new NDArray(new Complex128Data(stdlib.buffer), [2]);
    expect(array(stdlib as never).toArray()).toEqual([{ re: 1, im: 2 }, { re: 3, im: 4 }]);
    new Float64Array(stdlib.buffer)[0] = 10;
    expect(view.get(0)).toEqual({ re: 10, im: 2 });
    const c64 = array(new Complex64Array([1.5, 2.5], 1) as never);
    expect(c64.dtype).toBe('complex64');
    expect(c64.toArray()).toEqual([{ re: 1.5, im: 2.5 }]);
    expect(array({ data: new Complex64Array([1, 2]), shape: [1], dtype: 'complex64' } as never).dtype).toBe('complex64');
  });

  it('.real and .imag are views into the same memory', () => {
    const z = array([{ re: 1, im: 2 }, { re: 3, im: -4 }]);
    const re = z.real;
    const im = z.imag;
    expect(re.dtype).toBe('float64');
    expect(re.toArray()).toEqual([1, 3]);
    expect(im.toArray()).toEqual([2, -4]);
    (im.data as Float64Array)[im.offset + im.strides[0]!] = 40; // im[1] = 40
    expect(z.get(1)).toEqual({ re: 3, im: 40 });
    expect(z.T.imag.toArray()).toEqual([2, 40]);
    const f = array([1, 2], { dtype: 'complex64' });
    expect(f.real.dtype).toBe('float32');
    expect(array([1, 2]).imag.toArray()).toEqual([0, 0]);
    const x = array([5]);
    expect(x.real).toBe(x);
  });

  it('cast with astype and array(x, { dtype }) as numpy does', () => {
    const z = array([{ re: 1.5, im: 2 }, { re: 0, im: 0 }, { re: 0, im: NaN }]);
    expect(z.astype('float64').toArray()).toEqual([1.5, 0, 0]); // the real part
    expect(z.astype('bool').toArray()).toEqual([true, false, true]);
    expect(z.astype('complex64').data).toBeInstanceOf(Complex64Data);
    expect(array([1, 2], { dtype: 'complex128' }).toArray()).toEqual([{ re: 1, im: 0 }, { re: 2, im: 0 }]);
    expect(array([true, false], { dtype: 'complex64' }).toArray()).toEqual([{ re: 1, im: 0 }, { re: 0, im: 0 }]);
  });

  it('print as numpy does, 1+2j', () => {
    const z = array([[{ re: 1, im: 2 }, { re: -0.5, im: -3 }]]);
    expect(String(z)).toBe('[[   1+2j -0.5-3j]]');
    expect(inspect(z)).toBe('NDArray([[   1+2j, -0.5-3j]])');
    expect(inspect(z.astype('complex64'))).toBe('NDArray([[   1+2j, -0.5-3j]], dtype=complex64)');
  });

  it('are refused by name, sync, async and in a Pool, by ops that do not compute on them', async () => {
    const z = array([[{ re: 1, im: 1 }, 0], [0, 1]]);
    const message = /has dtype complex128, which .* does not support/;
    // (floor: numpy defines no complex floor either; every linalg function now computes on complex.)
    expect(() => floor(z)).toThrow(TypeError);
    expect(() => floor(z)).toThrow(message);
    await expect(floorAsync(z)).rejects.toThrow(message);
    const pool = new Pool();
    await expect(pool.map(floor, [z])).rejects.toThrow(message);
    // A 2×2 complex matrix never takes the tiny real kernels' lean path
    // (which would read its pairs as reals): inv computes in complex.
    expect(Array.from(linalg.inv(z).data, (x) => x + 0)).toEqual([0.5, -0.5, 0, 0, 0, 0, 1, 0]);
  });
});
