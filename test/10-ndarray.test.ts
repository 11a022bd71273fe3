import { describe, expect, it } from 'vitest';
import { NDArray, array, linalg } from '../lib/index.js';

describe('NDArray', () => {
  it('wraps data without copying and reads with strides and offset', () => {
    const data = new Float64Array([0, 1, 2, 3, 4, 5, 6]);
    const a = new NDArray(data, [2, 3], [3, 1], 1);
    expect(a.dtype).toBe('float64');
    expect(a.ndim).toBe(2);
    expect(a.size).toBe(6);
    expect(a.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(a.get(1, 2)).toBe(6);
    data[6] = 60;
    expect(a.get(1, 2)).toBe(60); // shares memory
  });

  it('defaults to row-major contiguous strides', () => {
    const a = new NDArray(new Float32Array(24), [2, 3, 4]);
    expect(a.strides).toEqual([12, 4, 1]);
    expect(a.offset).toBe(0);
    expect(a.dtype).toBe('float32');
  });

  it('reads transposed and negative-stride views', () => {
    const data = new Float64Array([1, 2, 3, 4, 5, 6]);
    expect(new NDArray(data, [3, 2], [1, 3]).toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(new NDArray(data, [2, 3], [-3, 1], 3).toArray()).toEqual([[4, 5, 6], [1, 2, 3]]);
    expect(new NDArray(data, [6], [-1], 5).toArray()).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('has 0-d and 0-size forms', () => {
    expect(new NDArray(new Float64Array([7]), []).toArray()).toBe(7);
    const empty = new NDArray(new Float64Array(0), [0, 5]);
    expect(empty.size).toBe(0);
    expect(empty.toArray()).toEqual([]);
  });

  it('freezes shape and strides', () => {
    const a = new NDArray(new Float64Array(4), [2, 2]);
    expect(Object.isFrozen(a.shape)).toBe(true);
    expect(Object.isFrozen(a.strides)).toBe(true);
  });

  it('rejects views that reach outside their data', () => {
    expect(() => new NDArray(new Float64Array(12), [3, 4], [4, 1], 2)).toThrow(
      /reaches elements 2 to 13, but array.data has length 12/,
    );
    expect(() => new NDArray(new Float64Array(6), [2, 3], [-3, 1], 0)).toThrow(RangeError);
    expect(() => new NDArray(new Float64Array(6), [7])).toThrow(RangeError);
  });

  it('rejects bad dtypes, shapes, strides and offsets with the value received', () => {
    expect(() => new NDArray(new Uint8Array(4) as never, [4])).toThrow(
      new TypeError('new NDArray: expected array.data to be a Float64Array or Float32Array (or Int32Array), but received Uint8Array(4)'),
    );
    expect(new NDArray(new Int32Array([1, 2]), [2]).dtype).toBe('int32'); // index arrays, as luFactor's pivots
    expect(() => new NDArray(new Float64Array(4), [2, -2])).toThrow(
      new RangeError('new NDArray: expected array.shape[1] to be an integer from 0 to 2147483647, but received -2'),
    );
    expect(() => new NDArray(new Float64Array(4), [2, 1.5])).toThrow(RangeError);
    expect(() => new NDArray(new Float64Array(4), [2, '2' as never])).toThrow(TypeError);
    expect(() => new NDArray(new Float64Array(4), 4 as never)).toThrow(TypeError);
    expect(() => new NDArray(new Float64Array(4), [2, 2], [2])).toThrow(/one entry per axis/);
    expect(() => new NDArray(new Float64Array(4), [2, 2], [2, 1], -1)).toThrow(/offset to be a non-negative integer/);
    expect(() => new NDArray(new Float64Array(4), [2, 2], [2, 0.5])).toThrow(RangeError);
  });

  it('rejects detached buffers', () => {
    const data = new Float64Array(4);
    structuredClone(data.buffer, { transfer: [data.buffer] });
    expect(() => new NDArray(data, [2, 2])).toThrow(/detached/);
  });

  it('get() checks its indices', () => {
    const a = new NDArray(new Float64Array(4), [2, 2]);
    expect(() => a.get(2, 0)).toThrow(/index\[0\] to be an integer from 0 to 1, but received 2/);
    expect(() => a.get(0)).toThrow(/expected 2 indices/);
  });
});

describe('array()', () => {
  it('converts nested arrays to float64', () => {
    const a = array([[1, 2, 3], [4, 5, 6]]);
    expect(a.dtype).toBe('float64');
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('copies strided views into a contiguous array of the requested dtype', () => {
    const view = { data: new Float64Array([1, 2, 3, 4, 5, 6]), shape: [3, 2], strides: [1, 3] };
    const a = array(view, { dtype: 'float32' });
    expect(a.dtype).toBe('float32');
    expect(a.strides).toEqual([2, 1]);
    expect(a.toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
  });

  it('accepts scijs ndarray objects (singular `stride`)', () => {
    const scijs = { data: new Float64Array([1, 2, 3, 4]), shape: [2, 2], stride: [1, 2], offset: 0 };
    expect(array(scijs).toArray()).toEqual([[1, 3], [2, 4]]);
  });

  it('rejects ragged and non-numeric nested arrays, naming the position', () => {
    expect(() => array([[1, 2], [3]])).toThrow(
      new RangeError('array: expected x[1] to have 2 elements like its siblings (x must be rectangular), but it has 1'),
    );
    expect(() => array([[1, 2], [3, 'x' as never]])).toThrow(
      new TypeError('array: expected x[1][1] to be a number, but received "x"'),
    );
    expect(() => array('abc' as never)).toThrow(TypeError);
    expect(() => array([1], { dtype: 'int32' as never })).toThrow(/options.dtype/);
  });
});

describe('inputs to linalg', () => {
  it('name the function and the parameter', () => {
    expect(() => linalg.matmul('abc' as never, [[1]])).toThrow(
      new TypeError(
        'linalg.matmul: expected a to be an NDArray, an ndarray-like { data, shape, strides?, offset? } or nested arrays of numbers, but received "abc"',
      ),
    );
    expect(() => linalg.matmul([[1]], { data: new Uint8Array(1), shape: [1, 1] } as never)).toThrow(
      /linalg\.matmul: expected b\.data to be a Float64Array or Float32Array, but received Uint8Array\(1\)/,
    );
    expect(() => linalg.qr({ data: new Float64Array(3), shape: [2, 2] })).toThrow(
      /linalg\.qr: a\.shape \[2, 2\] with strides \[2, 1\] and offset 0 reaches elements 0 to 3, but a\.data has length 3/,
    );
  });
});
