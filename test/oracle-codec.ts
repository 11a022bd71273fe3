// How arguments and results travel between the tests and test/oracle/*.py
// (oracle.py's docstring is the other half): arrays as base64 little-endian
// bytes with their dtype, a complex array as its (re, im) pairs interleaved;
// numbers JSON cannot carry as { num }, a complex scalar { re, im } as
// { complex: [re, im] }. Shared by every oracle-fed test file.
import { NDArray, array } from '../lib/index.js';
import type { DType } from '../lib/index.js';

/** An array as oracle.py sends and receives it. */
export type Encoded = { dtype: string; shape: number[]; b64: string };

/** An argument as oracle.py's `decode` reads it: NDArrays, non-finite numbers and `{ re, im }` scalars encoded, lists walked. */
export function encode(x: unknown): unknown {
  if (x instanceof NDArray) {
    const keep = x.dtype === 'float32' || x.dtype === 'bool' || x.dtype === 'complex128' || x.dtype === 'complex64';
    const copy = array(x, { dtype: keep ? x.dtype : 'float64' });
    return { dtype: copy.dtype, shape: copy.shape, b64: Buffer.from(copy.data.buffer, copy.data.byteOffset, copy.data.byteLength).toString('base64') };
  }
  if (typeof x === 'number' && !Number.isFinite(x)) return { num: Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf' };
  if (Array.isArray(x)) return x.map(encode);
  if (isComplexScalar(x)) return { complex: [encode(x.re), encode(x.im)] };
  return x;
}

function isComplexScalar(x: unknown): x is { re: number; im: number } {
  if (typeof x !== 'object' || x === null) return false;
  const keys = Object.keys(x);
  return keys.length === 2 && typeof (x as { re?: unknown }).re === 'number' && typeof (x as { im?: unknown }).im === 'number';
}

/**
 * An oracle result as flat float64 values (oracle.py sends float64, or
 * complex128 for a complex result): a complex one's values are its (re, im)
 * pairs interleaved, in {@link flatValues}' order.
 */
export function decode(e: Encoded): { shape: number[]; values: number[] } {
  const bytes = Buffer.from(e.b64, 'base64');
  const values = Array.from(new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8));
  return { shape: e.shape, values };
}

/** An NDArray's elements row-major as numbers; a complex array's as (re, im) pairs interleaved, as {@link decode} gives numpy's. */
export function flatValues(a: NDArray<DType | 'int32'>): number[] {
  const dtype = a.dtype;
  if (dtype === 'int32') return [(a.toArray() as unknown as number[])].flat(Infinity as 1) as number[];
  const copy = array(a as NDArray<DType>, { dtype: dtype === 'complex64' || dtype === 'float32' || dtype === 'complex128' ? dtype : 'float64' });
  return Array.from(copy.data, Number);
}
