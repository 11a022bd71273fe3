import { inspect } from 'node:util';
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
    expect(() => new NDArray(new Int16Array(4) as never, [4])).toThrow(
      new TypeError('new NDArray: expected array.data to be a Float64Array, Float32Array, Uint8Array (bool) or Int32Array, but received Int16Array(4)'),
    );
    expect(new NDArray<'int32'>(new Int32Array([1, 2]), [2]).dtype).toBe('int32'); // index arrays, as luFactor's pivots
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
      new TypeError('array: expected x[1][1] to be a number, a boolean or a { re, im } object, but received "x"'),
    );
    expect(() => array('abc' as never)).toThrow(TypeError);
    expect(() => array([1], { dtype: 'int32' as never })).toThrow(/options.dtype/);
  });
});

describe('NDArray conveniences: T, reshape, copy, astype, JSON, printing', () => {
  const data = new Float64Array([1, 2, 3, 4, 5, 6]);

  it('T reverses the axes, as a view', () => {
    const a = new NDArray(data, [2, 3]);
    expect(a.T.toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(a.T.data).toBe(data);
    const c = new NDArray(new Float32Array(24).map((_, i) => i), [2, 3, 4]);
    expect(c.T.shape).toEqual([4, 3, 2]);
    expect(c.T.get(3, 2, 1)).toBe(c.get(1, 2, 3));
    expect(new NDArray(data, [6]).T.toArray()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reshape gives a view where numpy does, a copy where it must, and infers -1', () => {
    const a = new NDArray(data, [6]);
    const m = a.reshape(2, 3);
    expect(m.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(m.data).toBe(data);
    expect(a.reshape([3, -1]).shape).toEqual([3, 2]);
    expect(a.reshape(1, 6, 1).strides).toEqual([6, 1, 1]);
    // A transpose is not row-major: flattening it must copy...
    const t = m.T;
    const flat = t.reshape(-1);
    expect(flat.toArray()).toEqual([1, 4, 2, 5, 3, 6]);
    expect(flat.data).not.toBe(data);
    // ...but splitting or adding unit axes keeps a view (numpy's _attempt_nocopy_reshape).
    const split = t.reshape(3, 1, 2);
    expect(split.data).toBe(data);
    expect(split.toArray()).toEqual([[[1, 4]], [[2, 5]], [[3, 6]]]);
    // A view with an offset and a negative stride.
    const rev = new NDArray(data, [3], [-2], 5); // 6, 4, 2
    expect(rev.reshape(3, 1).toArray()).toEqual([[6], [4], [2]]);
    expect(rev.reshape(3, 1).data).toBe(data);
    expect(new NDArray(new Float64Array(0), [0, 4]).reshape(2, 0, 3).shape).toEqual([2, 0, 3]);
    expect(new NDArray(new Float64Array([7]), []).reshape(1, 1).toArray()).toEqual([[7]]);
    expect(() => a.reshape(4)).toThrow(new RangeError('NDArray.reshape: cannot reshape an array of size 6 (shape [6]) into shape [4]'));
    expect(() => a.reshape(-1, -1)).toThrow(RangeError);
    expect(() => a.reshape(2.5 as never, 2)).toThrow(TypeError);
    expect(() => new NDArray(new Float64Array(0), [0]).reshape(-1, 0)).toThrow(RangeError);
  });

  it('copy and astype make contiguous arrays of their own', () => {
    const t = new NDArray(data, [2, 3]).T;
    const c = t.copy();
    expect(c.strides).toEqual([2, 1]);
    expect(c.toArray()).toEqual(t.toArray());
    expect(c.data).not.toBe(data);
    const f = t.astype('float32');
    expect(f.dtype).toBe('float32');
    expect(f.toArray()).toEqual(t.toArray());
    expect(new NDArray(new Float64Array([0.1]), [1]).astype('float32').data[0]).toBe(Math.fround(0.1));
    expect(() => t.astype('int8' as never)).toThrow(/NDArray.astype: expected dtype to be 'float64', 'float32', 'complex128', 'complex64' or 'bool'/);
  });

  it('JSON.stringify writes nested arrays', () => {
    expect(JSON.stringify(new NDArray(data, [2, 3]))).toBe('[[1,2,3],[4,5,6]]');
    expect(JSON.stringify({ x: new NDArray(new Float64Array([Number.NaN]), []) })).toBe('{"x":null}');
  });

  it('prints like numpy: str() and util.inspect', () => {
    expect(String(array([[1, 2.5], [-3, 4]]))).toBe('[[  1 2.5]\n [ -3   4]]');
    expect(inspect(array([[1, 2], [3, 4]]))).toBe('NDArray([[1, 2],\n         [3, 4]])');
    expect(inspect(array([0.1, 1 / 3], { dtype: 'float32' }))).toBe('NDArray([       0.1, 0.33333334], dtype=float32)');
    expect(inspect(new NDArray(new Float64Array(0), [0, 3]))).toBe('NDArray([], shape=[0, 3])');
    expect(String(array(5))).toBe('5');
    expect(String(array([[[1, 2]], [[3, 4]]]))).toBe('[[[1 2]]\n\n [[3 4]]]');
    // numpy's default precision (8 digits after the point) and its switch to scientific notation.
    expect(String(array([1 / 3, 1e-5, 1e20, Number.NaN, -Infinity]))).toBe(
      '[0.33333333       1e-5      1e+20        NaN  -Infinity]',
    );
    // More than 1000 elements: three at each end of every axis.
    const big = String(new NDArray(new Float64Array(2000).map((_, i) => i), [2000]));
    expect(big).toBe('[   0    1    2 ... 1997 1998 1999]');
  });
});

describe('inputs to linalg', () => {
  it('take typed arrays as 1-D arrays: floats in place, integers converted to float64, as numpy converts', () => {
    const y = new Float64Array([1, 2, 3]);
    expect(linalg.dot(y, y).item()).toBe(14);
    expect((linalg.lstsq([[1, 0], [0, 1], [1, 1]], new Float64Array([1, 2, 3])).x.toArray() as number[]).map((v) => Math.round(v * 1e12) / 1e12)).toEqual([1, 2]);
    expect(array(new Float32Array([0.5, 1])).dtype).toBe('float32');
    for (const Int of [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array]) {
      const a = array(Int.from([1, 2, 250]));
      expect(a.dtype, Int.name).toBe('float64');
      expect(a.toArray(), Int.name).toEqual([1, 2, Int === Int8Array ? -6 : 250]);
    }
    // An ndarray-like with integer data, strided: converted with its layout.
    const ints = { data: new Int32Array([9, 1, 9, 2, 9, 3, 9, 4]), shape: [2, 2], strides: [4, 2], offset: 1 };
    expect(linalg.det(ints).item()).toBeCloseTo(-2, 12);
    expect(array(new Uint32Array([4294967295])).item()).toBe(4294967295);
    expect(() => linalg.det(new BigInt64Array(4) as never)).toThrow(TypeError);
    // NDArray itself holds only float64, float32, bool (a Uint8Array: only as an NDArray) or int32 indices.
    expect(() => new NDArray(new Uint16Array(4) as never, [4])).toThrow(TypeError);
  });

  it('name the function and the parameter', () => {
    expect(() => linalg.matmul('abc' as never, [[1]])).toThrow(
      new TypeError(
        'linalg.matmul: expected a to be an NDArray, an ndarray-like { data, shape, strides?, offset? }, a typed array or nested arrays of numbers, but received "abc"',
      ),
    );
    expect(() => linalg.matmul([[1]], { data: new BigInt64Array(1), shape: [1, 1] } as never)).toThrow(
      /linalg\.matmul: expected b\.data to be a Float64Array, a Float32Array, an integer typed array or an array of numbers, but received BigInt64Array\(1\)/,
    );
    expect(() => linalg.qr({ data: new Float64Array(3), shape: [2, 2] })).toThrow(
      /linalg\.qr: a\.shape \[2, 2\] with strides \[2, 1\] and offset 0 reaches elements 0 to 3, but a\.data has length 3/,
    );
  });
});

describe('the bool dtype', () => {
  const mask = () => new NDArray<'bool'>(new Uint8Array([1, 0, 0, 1, 1, 0]), [2, 3]);

  it('is an NDArray over a Uint8Array: dtype, get, item, toArray and JSON give booleans', async () => {
    const b = mask();
    expect(b.dtype).toBe('bool');
    expect(b.get(0, 0)).toBe(true);
    expect(b.get(1, 2)).toBe(false);
    expect(b.toArray()).toEqual([[true, false, false], [true, true, false]]);
    expect(JSON.stringify(b)).toBe('[[true,false,false],[true,true,false]]');
    expect(new NDArray<'bool'>(new Uint8Array([0]), []).item()).toBe(false);
    // A byte other than 0 reads as true.
    expect(new NDArray<'bool'>(new Uint8Array([7]), [1]).toArray()).toEqual([true]);
    expect((await import('../lib/index.js')).where(new NDArray<'bool'>(new Uint8Array(100).fill(7), [100]), 1, 2).toArray()).toEqual(new Array(100).fill(1));
  });

  it('comes from nested booleans and array(x, { dtype: "bool" }); a plain Uint8Array stays integers', () => {
    const b = array([[true, false], [false, true]]);
    expect(b.dtype).toBe('bool');
    expect(b.data).toEqual(new Uint8Array([1, 0, 0, 1]));
    expect(array(true).dtype).toBe('bool');
    expect(array(true).shape).toEqual([]);
    // numpy: booleans mixed with numbers are numbers; an empty list is float64.
    expect(array([true, 2.5]).toArray()).toEqual([1, 2.5]);
    expect(array([true, 2.5]).dtype).toBe('float64');
    expect(array([]).dtype).toBe('float64');
    expect(array([0, -2, Number.NaN, 0.5], { dtype: 'bool' }).toArray()).toEqual([false, true, true, true]);
    expect(array(new Uint8Array([3, 0])).dtype).toBe('float64');
    expect(array(new Uint8Array([3, 0])).toArray()).toEqual([3, 0]);
    expect(array({ data: new Uint8Array([1, 2]), shape: [2] }).dtype).toBe('float64');
    expect(() => array([1], { dtype: 'int8' as never })).toThrow(/array: expected options.dtype to be 'float64', 'float32', 'complex128', 'complex64' or 'bool'/);
    expect(() => array([true, 'x'] as never)).toThrow(/array: expected x\[1\] to be a number, a boolean or a \{ re, im \} object/);
  });

  it('astype to and from bool', () => {
    expect(array([0, 1.5, -0, Number.NaN, Infinity]).astype('bool').toArray()).toEqual([false, true, false, true, true]);
    const f = mask().astype('float64');
    expect(f.dtype).toBe('float64');
    expect(f.toArray()).toEqual([[1, 0, 0], [1, 1, 0]]);
    expect(mask().T.astype('float32').toArray()).toEqual([[1, 1], [0, 1], [0, 0]]);
    expect(new NDArray<'bool'>(new Uint8Array([9, 0]), [2]).astype('float64').toArray()).toEqual([1, 0]);
    expect(mask().astype('bool').data).not.toBe(mask().data);
  });

  it('prints True and False as numpy does', () => {
    expect(String(array([true, false]))).toBe('[ True False]');
    expect(String(mask())).toBe('[[ True False False]\n [ True  True False]]');
    expect(String(array(false))).toBe('False');
    expect(inspect(array([true, false]))).toBe('NDArray([ True, False])');
    expect(inspect(mask().slice([0, 0]))).toBe('NDArray([], shape=[0, 3], dtype=bool)');
  });

  it('views, copies, joining, take and the …Like functions keep it bool', async () => {
    const weft = await import('../lib/index.js');
    const b = mask();
    const kept = [
      b.T, b.reshape(3, 2), b.slice(null, [null, null, -1]), b.copy(), weft.reshape(b, [6]), weft.ravel(b.T), weft.transpose(b),
      weft.swapaxes(b, 0, 1), weft.moveaxis(b, 0, 1), weft.expandDims(b, 0), weft.squeeze(weft.expandDims(b, 0)),
      weft.broadcastTo(b, [2, 2, 3]), weft.flip(b), weft.slice(b, [1]), weft.take(b, [2, 0], { axis: 1 }), weft.take(b, 3),
      weft.concatenate([b, b]), weft.stack([b, b]), weft.hstack([b, b]), weft.vstack([b, b]), ...weft.split(b, 3, { axis: 1 }),
      weft.copy(b), weft.asarray(b), weft.zerosLike(b), weft.onesLike(b), weft.fullLike(b, 2), weft.diag(b), weft.diag(weft.diag(b)),
    ];
    kept.forEach((r, i) => expect(r.dtype, `kept[${i}]`).toBe('bool'));
    expect(weft.take(b, [2, 0], { axis: 1 }).toArray()).toEqual([[false, true], [false, true]]);
    expect(weft.flip(b, { axis: 1 }).toArray()).toEqual([[false, false, true], [false, true, true]]);
    expect(weft.concatenate([b, b], { axis: 1 }).toArray()).toEqual([[true, false, false, true, false, false], [true, true, false, true, true, false]]);
    expect(weft.zerosLike(b).toArray()).toEqual([[false, false, false], [false, false, false]]);
    expect(weft.fullLike(b, Number.NaN).toArray()).toEqual([[true, true, true], [true, true, true]]);
    expect(weft.asarray(b)).toBe(b);
    expect(weft.asarray(b, { dtype: 'float64' }).toArray()).toEqual([[1, 0, 0], [1, 1, 0]]);
    expect(weft.zerosLike(b, { dtype: 'float32' }).dtype).toBe('float32');
    // Joining bool with float gives float64 (weft reads bool as float64), with bool values 0 and 1.
    const joined = weft.concatenate([[true, false], array([0.5], { dtype: 'float32' })]);
    expect(joined.dtype).toBe('float64');
    expect(joined.toArray()).toEqual([1, 0, 0.5]);
  });

  it('reads as float64 0 and 1 in linalg and arithmetic', async () => {
    const weft = await import('../lib/index.js');
    const b = array([[true, false], [true, true]]);
    expect(linalg.matmul(b, b).toArray()).toEqual([[1, 0], [2, 1]]);
    expect(linalg.matmul(b, b).dtype).toBe('float64');
    expect(linalg.det(b).item()).toBe(1);
    expect(weft.add(b, b).toArray()).toEqual([[2, 0], [2, 2]]);
    expect(weft.add(b, b).dtype).toBe('float64');
    expect(weft.multiply(array([true, false]), array([2], { dtype: 'float32' })).dtype).toBe('float64');
    expect(weft.subtract(b.T, 0.5).toArray()).toEqual([[0.5, 0.5], [-0.5, 0.5]]);
  });
});
