// numpy's `out=` option (lib/internal/out.ts): on binary arithmetic, unary
// math, linalg.matmul and linalg.multiDot, sync and async. Each case runs
// the same call in numpy 2.4.6 (the oracle, scripts/dev/fetch-oracle.mjs)
// with the same out layout, and weft must write the same values into out,
// return out itself, and accept or refuse the dtypes numpy's same_kind
// casting does.
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { NDArray, add, addAsync, equal, exp, greaterEqualAsync, isnanAsync, less, linalg, logicalAnd, multiply, sqrt, sqrtAsync, subtract, round } from '../lib/index.js';
import type { AnyNDArray } from '../lib/ndarray.js';
import { fetchOracle, oracleDir, python } from '../scripts/dev/fetch-oracle.mjs';

type Dtype = 'float64' | 'float32';
const ctor = (d: Dtype) => (d === 'float32' ? Float32Array : Float64Array);
const range = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
const arr = (shape: number[], f: (i: number) => number, dtype: Dtype = 'float64') =>
  new NDArray(ctor(dtype).from(range(shape.reduce((p, s) => p * s, 1), f)), shape) as AnyNDArray as NDArray;
/** Values of any view, row-major. */
const values = (a: AnyNDArray) => (a.shape.length === 0 ? [Number(a.item())] : (a.toArray() as unknown[]).flat(8).map(Number));

/**
 * Each case: the weft call (given fresh inputs and an out it made) and the
 * numpy code that does the same, in Python (variables as the weft side names them).
 */
interface Case {
  name: string;
  run: () => { out: AnyNDArray; returned: unknown };
  numpy: string; // sets `o`, the out array numpy wrote into
}

const cases: Case[] = [
  {
    name: 'add broadcast into float64',
    run: () => {
      const out = arr([2, 3], () => 0);
      return { out, returned: add(arr([2, 3], (i) => i), arr([3], (i) => 10 * i), { out }) };
    },
    numpy: 'o = np.zeros((2,3)); np.add(np.arange(6.).reshape(2,3), 10*np.arange(3.), out=o)',
  },
  {
    name: 'add float64 result into float32 out (same_kind)',
    run: () => {
      const out = arr([4], () => 0, 'float32');
      return { out, returned: add(arr([4], (i) => i / 3), arr([4], (i) => 1 / (i + 7)), { out }) };
    },
    numpy: 'o = np.zeros(4, np.float32); np.add(np.arange(4.)/3, 1/(np.arange(4.)+7), out=o)',
  },
  {
    name: 'multiply float32 result into float64 out',
    run: () => {
      const out = arr([4], () => 0);
      return { out, returned: multiply(arr([4], (i) => i / 3, 'float32'), arr([4], (i) => 1 / (i + 7), 'float32'), { out }) };
    },
    numpy: 'o = np.zeros(4); np.multiply((np.arange(4.)/3).astype(np.float32), (1/(np.arange(4.)+7)).astype(np.float32), out=o)',
  },
  {
    name: 'subtract with out = x1',
    run: () => {
      const a = arr([2, 2], (i) => i * i);
      return { out: a, returned: subtract(a, arr([2], (i) => i + 1), { out: a }) };
    },
    numpy: 'o = (np.arange(4.)**2).reshape(2,2); np.subtract(o, np.arange(2.)+1, out=o)',
  },
  {
    name: 'add, out shifted one element over x1 (numpy buffers)',
    run: () => {
      const data = Float64Array.from(range(6, (i) => i * i));
      const out = new NDArray(data, [5], [1], 1);
      return { out: new NDArray(data, [6]), returned: add(new NDArray(data, [5]), 1, { out }) === out ? out : undefined };
    },
    numpy: 'o = np.arange(6.)**2; np.add(o[:-1], 1, out=o[1:])',
  },
  {
    name: 'add (the lean path), x1 and out two typed arrays over one buffer, one element apart',
    run: () => {
      const buffer = Float64Array.from(range(5, (i) => i * i)).buffer;
      const x1 = new NDArray(new Float64Array(buffer, 0, 4), [4]);
      const out = new NDArray(new Float64Array(buffer, 8, 4), [4]);
      const returned = add(x1, x1, { out }) === out ? out : undefined;
      return { out: new NDArray(new Float64Array(buffer), [5]), returned };
    },
    numpy: 'o = np.arange(5.)**2; np.add(o[0:4], o[0:4], out=o[1:5])',
  },
  {
    name: 'add, out a transposed view',
    run: () => {
      const out = new NDArray(new Float64Array(6), [3, 2], [1, 3]);
      return { out, returned: add(arr([3, 2], (i) => i), 0.5, { out }) };
    },
    numpy: 'o = np.zeros((2,3)).T; np.add(np.arange(6.).reshape(3,2), 0.5, out=o)',
  },
  {
    name: 'add, 0-d',
    run: () => {
      const out = arr([], () => 0);
      return { out, returned: add(arr([], () => 2), 3, { out }) };
    },
    numpy: 'o = np.zeros(()); np.add(np.array(2.), 3, out=o)',
  },
  {
    name: 'add, empty',
    run: () => {
      const out = arr([0, 3], () => 0);
      return { out, returned: add(arr([0, 3], () => 1), arr([3], (i) => i), { out }) };
    },
    numpy: 'o = np.zeros((0,3)); np.add(np.ones((0,3)), np.arange(3.), out=o)',
  },
  {
    name: 'add, native size, into a float32 transposed view',
    run: () => {
      const out = new NDArray(new Float32Array(40 * 30), [30, 40], [1, 30]);
      return { out, returned: add(arr([30, 40], (i) => i / 7), arr([40], (i) => Math.sqrt(i)), { out }) };
    },
    numpy: 'o = np.zeros((40,30), np.float32).T; np.add((np.arange(1200.)/7).reshape(30,40), np.sqrt(np.arange(40.)), out=o)',
  },
  {
    name: 'add, native size, out = x1',
    run: () => {
      const a = arr([1000], (i) => i);
      return { out: a, returned: add(a, a, { out: a }) };
    },
    numpy: 'o = np.arange(1000.); np.add(o, o, out=o)',
  },
  {
    name: 'sqrt into float32',
    run: () => {
      const out = arr([5], () => 0, 'float32');
      return { out, returned: sqrt(arr([5], (i) => i + 0.25), { out }) };
    },
    numpy: 'o = np.zeros(5, np.float32); np.sqrt(np.arange(5.)+0.25, out=o)',
  },
  {
    name: 'exp (native) with out = x',
    run: () => {
      const a = arr([3, 3], (i) => i / 4);
      return { out: a, returned: exp(a, { out: a }) };
    },
    numpy: 'o = (np.arange(9.)/4).reshape(3,3); np.exp(o, out=o)',
  },
  {
    name: 'round with decimals and out',
    run: () => {
      const out = arr([3], () => 0);
      return { out, returned: round(arr([3], (i) => i + 0.123456), { decimals: 2, out }) };
    },
    numpy: 'o = np.zeros(3); np.round(np.arange(3.)+0.123456, 2, out=o)',
  },
  {
    name: 'matmul 4x4',
    run: () => {
      const out = arr([4, 4], () => 0);
      return { out, returned: linalg.matmul(arr([4, 4], (i) => i), arr([4, 4], (i) => 1 / (i + 1)), { out }) };
    },
    numpy: 'o = np.zeros((4,4)); np.matmul(np.arange(16.).reshape(4,4), 1/(np.arange(16.)+1).reshape(4,4), out=o)',
  },
  {
    name: 'matmul, out = a',
    run: () => {
      const a = arr([3, 3], (i) => i);
      return { out: a, returned: linalg.matmul(a, a, { out: a }) };
    },
    numpy: 'o = np.arange(9.).reshape(3,3); np.matmul(o, o, out=o)',
  },
  {
    name: 'matmul stacked into a float32 transposed view',
    run: () => {
      const out = new NDArray(new Float32Array(2 * 3 * 5), [2, 3, 5], [15, 1, 3]);
      return { out, returned: linalg.matmul(arr([2, 3, 4], (i) => i), arr([4, 5], (i) => i - 3), { out }) };
    },
    numpy: 'o = np.zeros((2,5,3), np.float32).transpose(0,2,1); np.matmul(np.arange(24.).reshape(2,3,4), (np.arange(20.)-3).reshape(4,5), out=o)',
  },
  {
    name: 'matmul vector @ vector into 0-d',
    run: () => {
      const out = arr([], () => 0);
      return { out, returned: linalg.matmul(arr([3], (i) => i), arr([3], (i) => i + 1), { out }) };
    },
    numpy: 'o = np.zeros(()); np.matmul(np.arange(3.), np.arange(3.)+1, out=o)',
  },
  {
    name: 'multiDot',
    run: () => {
      const out = arr([2], () => 0);
      return { out, returned: linalg.multiDot([arr([2, 3], (i) => i), arr([3, 3], (i) => i % 4), arr([3], (i) => i + 1)], { out }) };
    },
    // numpy's multi_dot takes only a C-contiguous out of the exact dtype (np.dot's rule); weft takes any out as matmul does.
    numpy: 'o = np.zeros(2); o[...] = np.linalg.multi_dot([np.arange(6.).reshape(2,3), (np.arange(9.)%4).reshape(3,3), np.arange(3.)+1])',
  },
  {
    name: 'less into float64 (a bool result casts to any dtype)',
    run: () => {
      const out = arr([2, 3], () => 9);
      return { out, returned: less(arr([2, 3], (i) => i), 2.5, { out }) };
    },
    numpy: 'o = np.full((2,3), 9.); np.less(np.arange(6.).reshape(2,3), 2.5, out=o)',
  },
  {
    name: 'equal into a bool transposed view',
    run: () => {
      const out = new NDArray<'bool'>(new Uint8Array(6), [3, 2], [1, 3]);
      return { out, returned: equal(arr([3, 2], (i) => i % 2), arr([2], (i) => i)) && equal(arr([3, 2], (i) => i % 2), arr([2], (i) => i), { out }) };
    },
    numpy: 'o = np.zeros((2,3), bool).T; np.equal((np.arange(6.)%2).reshape(3,2), np.arange(2.), out=o)',
  },
  {
    name: 'logicalAnd into float32',
    run: () => {
      const out = arr([2, 2], () => 7, 'float32');
      return { out, returned: logicalAnd(arr([2, 2], (i) => i % 3), arr([2], (i) => i), { out }) };
    },
    numpy: 'o = np.full((2,2), 7, np.float32); np.logical_and((np.arange(4.)%3).reshape(2,2), np.arange(2.), out=o)',
  },
];

let expected: Record<string, { shape: number[]; dtype: string; values: number[] }>;

beforeAll(() => {
  fetchOracle();
  const script = [
    'import json, numpy as np',
    'r = {}',
    ...cases.map((c) => `${c.numpy}\nr[${JSON.stringify(c.name)}] = {"shape": list(o.shape), "dtype": str(o.dtype), "values": [float(v) for v in np.ravel(o)]}`),
    'print(json.dumps(r))',
  ].join('\n');
  const r = spawnSync(python, ['-c', script], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: oracleDir, PYTHONNOUSERSITE: '1' } });
  if (r.status !== 0) throw new Error(`the numpy oracle failed:\n${r.stderr}`);
  expected = JSON.parse(r.stdout);
});

describe('out= writes numpy’s values into out and returns it', () => {
  for (const c of cases) {
    it(c.name, () => {
      const { out, returned } = c.run();
      expect(returned).toBe(c.name.includes('apart') || c.name.startsWith('add, out shifted') ? returned : out);
      expect(returned).toBeDefined();
      const e = expected[c.name]!;
      expect(out.shape).toEqual(e.shape);
      expect(out.dtype).toBe(e.dtype);
      const got = values(out);
      expect(got.length).toBe(e.values.length);
      // Bit-identical for the exact ops and casts; the transcendental ones to the last bits.
      got.forEach((v, i) => expect(v).toBeCloseTo(e.values[i]!, 12));
    });
  }

  it('writes the same bits as the call without out (JS and native paths)', () => {
    for (const n of [16, 2000]) {
      const a = arr([n], (i) => Math.sin(i) * 3);
      const b = arr([n], (i) => Math.cos(i));
      for (const op of [add, subtract, multiply]) {
        const out = arr([n], () => NaN);
        expect(op(a, b, { out })).toBe(out);
        expect(out.data).toEqual(op(a, b).data);
      }
      const out = arr([n], () => NaN);
      expect(exp(a, { out })).toBe(out);
      expect(out.data).toEqual(exp(a).data);
    }
    const m = arr([5, 5], (i) => Math.sin(i));
    const out = arr([5, 5], () => NaN);
    expect(linalg.matmul(m, m, { out })).toBe(out);
    expect(out.data).toEqual(linalg.matmul(m, m).data);
  });
});

describe('out= on the native paths', () => {
  it('writes straight into a contiguous out at an offset, and the next call without out gets its own array', () => {
    const n = 3000;
    const a = arr([n], (i) => i / 7);
    const data = new Float64Array(n + 10).fill(-1);
    const out = new NDArray(data, [n], [1], 5);
    expect(add(a, 2, { out })).toBe(out);
    expect(data.subarray(5, 5 + n)).toEqual(add(a, 2).data);
    expect([...data.subarray(0, 5), ...data.subarray(5 + n)]).toEqual(new Array(10).fill(-1));
    const fresh = add(a, 3);
    expect(fresh.data.buffer).not.toBe(data.buffer);
    expect(data[5]).toBe(2);
    const m = arr([40, 40], (i) => Math.sin(i));
    const mo = arr([40, 40], () => NaN);
    expect(linalg.matmul(m, m, { out: mo })).toBe(mo);
    expect(mo.data).toEqual(linalg.matmul(m, m).data);
    expect(linalg.matmul(m, m).data).not.toBe(mo.data);
  });
  it('an error leaves out untouched, and the next call gets its own array', () => {
    const m = arr([3, 4], (i) => i);
    const out = arr([3, 3], () => 0);
    expect(() => linalg.matmul(m, m, { out })).toThrow(RangeError);
    const r = linalg.matmul(arr([3, 3], (i) => i), arr([3, 3], (i) => i));
    expect(r.data).not.toBe(out.data);
    expect(out.data).toEqual(new Float64Array(9));
  });
});

describe('out= errors', () => {
  const a = arr([4], (i) => i);
  it('refuses an out that is not an NDArray', () => {
    expect(() => add(a, a, { out: new Float64Array(4) as never })).toThrow(/^add: expected options\.out to be an NDArray, but received/);
    expect(() => linalg.matmul(arr([2, 2], (i) => i), arr([2, 2], (i) => i), { out: [[0, 0], [0, 0]] as never })).toThrow(TypeError);
  });
  it('refuses another shape, a broadcastable one included (numpy would broadcast into it)', () => {
    expect(() => add(a, a, { out: arr([2, 2], () => 0) })).toThrow(RangeError);
    expect(() => add(a, a, { out: arr([1, 4], () => 0) })).toThrow(/add: expected options\.out to have the result's shape \[4\], but received an array of shape \[1, 4\]/);
    expect(() => sqrt(a, { out: arr([5], () => 0) })).toThrow(RangeError);
    expect(() => linalg.matmul(arr([2, 2], (i) => i), arr([2, 2], (i) => i), { out: arr([2, 3], () => 0) })).toThrow(/linalg\.matmul: .*options\.out/);
  });
  it('refuses bool and int32 out for a float result, as numpy’s same_kind casting', () => {
    const bool = new NDArray<'bool'>(new Uint8Array(4), [4]);
    const int = new NDArray<'int32'>(new Int32Array(4), [4]);
    expect(() => add(a, a, { out: bool })).toThrow(/add: cannot write a float64 result into options\.out of dtype bool/);
    expect(() => add(a, a, { out: int })).toThrow(TypeError);
    expect(() => sqrt(a, { out: bool })).toThrow(TypeError);
    expect(() => linalg.matmul(arr([2, 2], (i) => i), arr([2, 2], (i) => i), { out: new NDArray<'bool'>(new Uint8Array(4), [2, 2]) })).toThrow(TypeError);
    expect(bool.data).toEqual(new Uint8Array(4)); // untouched
  });
  it('refuses unknown options', () => {
    expect(() => add(a, a, { output: a } as never)).toThrow(/add: unknown option "output"/);
  });
  it('comparisons refuse another shape, and take out on the async twin', async () => {
    expect(() => less(a, 1, { out: arr([3], () => 0) })).toThrow(/less: expected options\.out to have the result's shape \[4\]/);
    const out = arr([4], () => 9);
    expect(await greaterEqualAsync(a, 2, { out })).toBe(out);
    expect(Array.from(out.data)).toEqual([0, 0, 1, 1]);
    const bools = new NDArray<'bool'>(new Uint8Array(3), [3]);
    expect(await isnanAsync([1, NaN, 2], { out: bools })).toBe(bools);
    expect(Array.from(bools.data)).toEqual([0, 1, 0]);
  });
  it('rejects the async twin the same way', async () => {
    await expect(addAsync(a, a, { out: arr([3], () => 0) })).rejects.toThrow(RangeError);
    await expect(linalg.matmulAsync(arr([2, 2], (i) => i), arr([2, 2], (i) => i), { out: new NDArray<'bool'>(new Uint8Array(4), [2, 2]) })).rejects.toThrow(TypeError);
  });
});

describe('out= async: out is written when the Promise settles, and is what it resolves to', () => {
  it('addAsync, sqrtAsync, matmulAsync, multiDotAsync', async () => {
    for (const n of [8, 3000]) {
      const a = arr([n], (i) => i / 3);
      const out = arr([n], () => NaN);
      expect(await addAsync(a, 1, { out })).toBe(out);
      expect(out.data).toEqual(add(a, 1).data);
      const out32 = arr([n], () => NaN, 'float32');
      expect(await sqrtAsync(a, { out: out32, threads: 1 })).toBe(out32);
      expect(out32.data).toEqual(Float32Array.from(sqrt(a).data));
    }
    const m = arr([6, 6], (i) => Math.cos(i));
    expect(await linalg.matmulAsync(m, m, { out: m })).toBe(m);
    expect(m.data).toEqual(linalg.matmul(arr([6, 6], (i) => Math.cos(i)), arr([6, 6], (i) => Math.cos(i))).data);
    const out = arr([6, 6], () => 0);
    expect(await linalg.multiDotAsync([m, m, m], { out })).toBe(out);
    expect(out.data).toEqual(linalg.multiDot([m, m, m]).data);
  });
});

describe('out= on tiny products (weft’s own loop: JS sync, C++ async)', () => {
  it('matmul and multiDot write the bits the call without out gives, sync and async alike', async () => {
    for (const dtype of ['float64', 'float32'] as const) {
      const a = arr([3, 4], (i) => Math.sin(i + 1) * 3, dtype);
      const b = arr([4, 2], (i) => Math.cos(i * 7) / 3, dtype);
      const c = arr([2, 3], (i) => i - 2.5, dtype);
      const plain = linalg.matmul(a, b);
      const outSync = arr([3, 2], () => 0, dtype);
      expect(linalg.matmul(a, b, { out: outSync })).toBe(outSync);
      const outAsync = arr([3, 2], () => 0, dtype);
      expect(await linalg.matmulAsync(a, b, { out: outAsync })).toBe(outAsync);
      expect(Array.from(outSync.data)).toEqual(Array.from(plain.data));
      expect(Array.from(outAsync.data)).toEqual(Array.from(plain.data));
      // a strided, transposed out takes the same values
      const wide = arr([2, 3], () => 0, dtype);
      linalg.matmul(a, b, { out: wide.T as NDArray });
      expect(values(wide.T)).toEqual(values(plain));
      const chain = linalg.multiDot([a, b, c]);
      const outChain = arr([3, 3], () => 0, dtype);
      expect(linalg.multiDot([a, b, c], { out: outChain })).toBe(outChain);
      expect(Array.from(outChain.data)).toEqual(Array.from(chain.data));
      const outChainAsync = arr([3, 3], () => 0, dtype);
      await linalg.multiDotAsync([a, b, c], { out: outChainAsync });
      expect(Array.from(outChainAsync.data)).toEqual(Array.from(chain.data));
    }
  });

  it('an out that is an operand gets numpy’s answer (a @ a into a)', () => {
    const a = arr([2, 2], (i) => [1, 1, 0, 1][i]!);
    expect(linalg.matmul(a, a, { out: a }).toArray()).toEqual([
      [1, 2],
      [0, 1],
    ]);
  });
});
