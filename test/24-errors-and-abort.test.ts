// Bad input gets a clear TypeError/RangeError/LinAlgError naming the
// parameter and what was received; failures in a stack carry their index;
// non-finite input behaves as documented; AbortSignal aborts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as weft from '../lib/index.js';
import { LinAlgError, NDArray, linalg, random, threading } from '../lib/index.js';
import { lookupOp, registeredOps } from '../lib/internal/registry.js';
import { root, runFixture } from './helpers.js';

const api = linalg as unknown as Record<string, (...args: unknown[]) => unknown>;

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('argument errors name the function, the parameter and the value', () => {
  const ONE_MATRIX = ['qr', 'svd', 'svdvals', 'eig', 'eigvals', 'eigh', 'eigvalsh', 'cholesky', 'lu', 'luFactor', 'choFactor',
    'inv', 'det', 'slogdet', 'pinv', 'matrixRank', 'cond', 'trace', 'diagonal', 'transpose'];

  it.each(ONE_MATRIX)('%s: non-array, wrong dtype, 1-D input', (fn) => {
    expect(thrown(() => api[fn]!('abc')).message).toBe(
      `linalg.${fn}: expected a to be an NDArray, an ndarray-like { data, shape, strides?, offset? }, a typed array or nested arrays of numbers, but received "abc"`
        .replace(' a to', ` ${['cond', 'trace', 'diagonal'].includes(fn) ? 'x' : 'a'} to`),
    );
    expect(thrown(() => api[fn]!({ data: new BigInt64Array(4), shape: [2, 2] }))).toBeInstanceOf(TypeError);
    if (fn !== 'matrixRank') {
      const e = thrown(() => api[fn]!([1, 2, 3]));
      expect(e).toBeInstanceOf(RangeError);
      expect(e.message).toMatch(new RegExp(`^linalg\\.${fn}: expected . to be at least two-dimensional, but received a 1-D array \\(shape \\[3\\]\\)$`));
    }
  });

  it.each([...ONE_MATRIX.filter((fn) => fn !== 'matrixRank'), 'matrixPower'])('%s: the RangeError for 1-D input is in its documented @throws', (fn) => {
    const e = thrown(() => (fn === 'matrixPower' ? linalg.matrixPower([1, 2, 3], 2) : api[fn]!([1, 2, 3])));
    expect(e).toBeInstanceOf(RangeError);
    const reference = readFileSync(join(root, 'docs', 'api.md'), 'utf8');
    const section = reference.slice(reference.indexOf(`### linalg.${fn}()`)).split('\n### ')[0]!;
    expect(section.split('**Throws**').slice(1).join(' ')).toContain('RangeError');
  });

  it.each(['inv', 'det', 'slogdet', 'eig', 'eigvals', 'eigh', 'eigvalsh', 'cholesky', 'choFactor', 'matrixPower'])(
    '%s: a non-square matrix is LinAlgError ERR_NOT_SQUARE',
    (fn) => {
      const e = thrown(() => (fn === 'matrixPower' ? linalg.matrixPower([[1, 2, 3]], 2) : api[fn]!([[1, 2, 3]])));
      expect(e).toBeInstanceOf(LinAlgError);
      expect((e as LinAlgError).code).toBe('ERR_NOT_SQUARE');
      expect(e.message).toBe(`linalg.${fn}: Last 2 dimensions of the array must be square, but a has shape [1, 3]`);
    },
  );

  it('options are checked: unknown keys, wrong types, bad choices', () => {
    expect(() => linalg.svd([[1]], { full_matrices: false } as never)).toThrow(
      new TypeError('linalg.svd: unknown option "full_matrices" (options takes "fullMatrices", "computeUV")'),
    );
    expect(() => linalg.eigh([[1]], { uplo: 'lower' as never })).toThrow(
      new TypeError(`linalg.eigh: expected options.uplo to be one of 'L', 'U', 'l', 'u', but received "lower"`),
    );
    expect(() => linalg.solve([[1]], [1], { assumeA: 'her' as never })).toThrow(/options.assumeA to be one of 'gen', 'sym', 'pos'/);
    expect(() => linalg.cholesky([[1]], { upper: 1 as never })).toThrow(/options.upper to be a boolean, but received 1/);
    expect(() => linalg.lstsq([[1]], [1], { rcond: 'auto' as never })).toThrow(/options.rcond to be a number/);
    expect(() => linalg.norm([1, 2], { ord: 'max' as never })).toThrow(/options.ord to be a number, 'fro' or 'nuc', but received "max"/);
    expect(() => linalg.norm([1, 2], { ord: 'fro' })).toThrow(/invalid norm order 'fro' for vectors/);
    expect(() => linalg.norm([[1, 2]], { ord: 3 })).toThrow(/invalid norm order 3 for matrices/);
    expect(() => linalg.norm([[1, 2]], { axis: 2 })).toThrow(/options.axis 2 is out of range for an array with 2 axes/);
    expect(() => linalg.norm([[1, 2]], { axis: [0, 0] })).toThrow(/repeats axis 0/);
    expect(() => linalg.norm({ data: new Float64Array(8), shape: [2, 2, 2] }, { ord: 1 })).toThrow(/needs one axis \(vector\) or two \(matrix\)/);
    expect(() => linalg.matrixPower([[1]], 1.5)).toThrow(/expected n to be an integer, but received 1.5/);
    expect(() => linalg.trace([[1]], { offset: 0.5 })).toThrow(/options.offset to be an integer/);
    // numpy: "`tol` and `rtol` can't be both set".
    expect(() => linalg.matrixRank([[1, 0], [0, 1e-6]], { tol: 0.01, rtol: 1e-9 })).toThrow(
      new TypeError('linalg.matrixRank: expected options.rtol to be unset when options.tol is set (numpy refuses both), but received 1e-9'),
    );
    expect(() => (linalg.inv as (...args: unknown[]) => unknown)([[1]], { signal: 1 })).not.toThrow(); // sync functions ignore extra arguments
  });

  it("eigh and eigvalsh take uplo in either case, as numpy's UPLO.upper()", async () => {
    // Only the named triangle is read: the two triangles here disagree.
    const a = [[2, 1], [-5, 2]];
    expect(linalg.eigvalsh(a, { uplo: 'l' }).toArray()).toEqual(linalg.eigvalsh(a, { uplo: 'L' }).toArray());
    expect(linalg.eigvalsh(a, { uplo: 'u' }).toArray()).toEqual([1, 3]);
    expect(linalg.eigh(a, { uplo: 'u' }).eigenvalues.toArray()).toEqual([1, 3]);
    expect(linalg.eigh(a, { uplo: 'l' }).eigenvalues.toArray()).toEqual([-3, 7]);
    expect((await linalg.eighAsync(a, { uplo: 'l' })).eigenvalues.toArray()).toEqual([-3, 7]);
    expect((await linalg.eigvalshAsync(a, { uplo: 'u' })).toArray()).toEqual([1, 3]);
  });

  it('shape mismatches between operands are RangeErrors that show both shapes', () => {
    expect(() => linalg.solve([[1, 0], [0, 1]], [1, 2, 3])).toThrow(
      new RangeError('linalg.solve: b.shape [3] does not fit a.shape [2, 2]: b has 3 rows but a is 2×2'),
    );
    expect(() => linalg.lstsq([[1, 0], [0, 1]], [1, 2, 3])).toThrow(/a has 2 rows but b has 3/);
    expect(() => linalg.dot([1, 2], [1, 2, 3])).toThrow(/linalg\.dot: a\.shape \[2\] and b\.shape \[3\] do not align/);
    expect(() => linalg.vdot([1, 2], [1, 2, 3])).toThrow(/same number of elements/);
    expect(() => linalg.multiDot([[[1, 2]], [[1, 2]]])).toThrow(/arrays\[0\] \(shape \[1, 2\]\) and arrays\[1\] \(shape \[1, 2\]\) do not align/);
    expect(() => linalg.multiDot([[[1]]])).toThrow(/at least two arrays, but received 1/);
    expect(() => linalg.solve({ data: new Float64Array(12), shape: [3, 2, 2] }, { data: new Float64Array(4), shape: [2, 2, 1] })).toThrow(
      /batch \(leading\) axes do not broadcast together: a \[3\] and b \[2\]/,
    );
    expect(() => linalg.luSolve({ lu: [[1, 0], [0, 1]], piv: [0] }, [1, 1])).toThrow(/expected piv to have 2 entries per matrix/);
    expect(() => linalg.luSolve({ lu: [[1, 0], [0, 1]], piv: [0, 5] }, [1, 1])).toThrow(/piv entries must be integers from 0 to 1/);
    expect(() => linalg.luSolve({ lu: [[1]] } as never, [1])).toThrow(/expected factor to be an object \{ lu, piv \}/);
    expect(() => linalg.choSolve({ c: [[1]], lower: 'yes' } as never, [1])).toThrow(/factor.lower to be a boolean/);
  });

  it('every op in the registry is exported as a pair, and its async twin rejects (never throws) what the sync one throws', async () => {
    const ops = registeredOps();
    expect(ops.length).toBeGreaterThanOrEqual(32);
    const namespaces: Record<string, Record<string, unknown>> = { linalg, random, '': weft };
    for (const op of ops) {
      expect(namespaces[op.namespace]![op.member], op.name).toBe(op.sync);
      expect(namespaces[op.namespace]![`${op.member}Async`], op.name).toBe(op.async);
      expect(op.sync.name).toBe(op.member);
      let pending: unknown;
      expect(() => (pending = op.async('bad input', 'bad input')), op.name).not.toThrow();
      await expect(pending as Promise<unknown>, op.name).rejects.toBeInstanceOf(TypeError);
      expect(() => op.sync('bad input', 'bad input'), op.name).toThrow(TypeError);
    }
    // And nothing is exported from linalg and random that the registry does not know.
    for (const [ns, members] of Object.entries({ linalg, random })) {
      for (const [name, value] of Object.entries(members)) {
        expect(typeof value === 'function' ? lookupOp(value)?.name : undefined, `${ns}.${name}`).toBe(`${ns}.${name.replace(/Async$/, '')}`);
      }
    }
  });

  it("every async twin takes the async options where its sync op takes options, and refuses unknown ones there, naming itself", async () => {
    for (const op of registeredOps()) {
      const at = op.options ? op.arity - 1 : op.arity;
      const args: unknown[] = Array.from({ length: at }, () => [[1]]);
      const fn = `${op.name}Async`;
      await expect(op.async(...args, { bogus: 1 }), op.name).rejects.toThrow(new RegExp(`^${fn.replace('.', '\\.')}: unknown option "bogus" \\(options takes .*"signal", "threads"\\)`));
      await expect(op.async(...args, { threads: 0 }), op.name).rejects.toThrow(/options.threads to be an integer from 1 to 4096/);
      // A signal already aborted, where the twin takes it, wins over anything else: so an op
      // registered without { options: true } whose last parameter is its options fails here.
      const reason = new Error(`stop ${op.name}`);
      await expect(op.async(...args, { signal: AbortSignal.abort(reason) }), op.name).rejects.toBe(reason);
      expect([op.sync.length, op.async.length], op.name).toEqual([op.arity, at + 1]);
      if (op.options) expect(() => op.sync(...args, { bogus: 1 }), op.name).toThrow(/unknown option "bogus"/);
    }
  });

  it('async functions reject (never throw) with the same errors', async () => {
    await expect(linalg.invAsync('x' as never)).rejects.toThrow(TypeError);
    await expect(linalg.matrixRankAsync([[1]], { tol: 0.5, rtol: 0.1 })).rejects.toThrow(/matrixRankAsync: expected options.rtol to be unset/);
    await expect(linalg.qrAsync([[1]], { mode: 'x' as never })).rejects.toThrow(/options.mode/);
    await expect(linalg.invAsync([[1, 2]])).rejects.toMatchObject({ code: 'ERR_NOT_SQUARE' });
    await expect(linalg.svdAsync([[1]], { signal: 'no' } as never)).rejects.toThrow(/options.signal to be an AbortSignal/);
  });
});

describe('comparisons and logic: argument errors', () => {
  it('name the function, the parameter and the value, and every shape that does not broadcast', async () => {
    expect(() => weft.equal([[1, 2, 3]], [1, 2])).toThrow(new RangeError('equal: operands could not be broadcast together with shapes [1, 3] [2]'));
    expect(() => weft.where([1, 0, 1], [[1, 2]], [1, 2, 3, 4, 5])).toThrow(
      new RangeError('where: operands could not be broadcast together with shapes [3] [1, 2] [5]'),
    );
    expect(() => weft.less('abc' as never, 1)).toThrow(TypeError);
    expect(() => weft.less('abc' as never, 1)).toThrow(/^less: expected x1 to be an NDArray/);
    expect(() => weft.where([1], [1], null as never)).toThrow(TypeError);
    expect(() => weft.where([1], [1], null as never)).toThrow(/^where: expected y to be an NDArray/);
    expect(() => weft.logicalNot({} as never)).toThrow(TypeError);
    expect(() => weft.logicalNot({} as never)).toThrow(/^logicalNot: expected x to be an NDArray/);
    expect(() => weft.any([[1, 0]], { axis: 2 })).toThrow(new RangeError('any: options.axis 2 is out of range for an array with 2 axes'));
    expect(() => weft.all([[1, 0]], { axis: [1, -1] })).toThrow(new RangeError('all: repeated axis in options.axis [1, -1]'));
    expect(() => weft.all([[1, 0]], { axis: 0.5 })).toThrow(new TypeError('all: expected options.axis to be an integer axis, but received 0.5'));
    expect(() => weft.any([1], { keepdims: 'yes' as never })).toThrow(TypeError);
    expect(() => weft.any([1], { keepdims: 'yes' as never })).toThrow(/^any: expected options.keepdims to be/);
    expect(() => weft.isclose([1], [1], { rtol: Number.NaN })).toThrow(new RangeError('isclose: expected options.rtol to be a finite number, but received NaN'));
    expect(() => weft.allclose([1], [1], { atol: '1' as never })).toThrow(new TypeError('allclose: expected options.atol to be a finite number, but received "1"'));
    expect(() => weft.isclose([1], [1], { tol: 1 } as never)).toThrow(TypeError);
    await expect(weft.whereAsync([1], [1, 2], [1, 2, 3])).rejects.toThrow(/whereAsync: operands could not be broadcast together with shapes \[1\] \[2\] \[3\]/);
  });
});

describe('results too large for any typed array', () => {
  it('comparisons, logic, where, joining and take end in weft\'s RangeError naming the function', () => {
    const huge = weft.broadcastTo([1], [1e6, 1e6]);
    const calls: [string, () => unknown][] = [
      ['greater', () => weft.greater(huge, 0)],
      ['logicalNot', () => weft.logicalNot(huge)],
      ['logicalAnd', () => weft.logicalAnd(huge, 1)],
      ['where', () => weft.where(huge, 1, 2)],
      ['concatenate', () => weft.concatenate([huge, huge])],
    ];
    for (const [fn, call] of calls) {
      expect(call, fn).toThrow(RangeError);
      expect(call, fn).toThrow(new RegExp(`^${fn}: out of memory: cannot allocate`));
    }
  });
});

describe('LinAlgError: numpy messages, codes, and the index of the failing matrix', () => {
  const singularAt = (index: number, count = 4): NDArray => {
    const data = new Float64Array(count * 4);
    for (let i = 0; i < count; i++) data.set(i === index ? [1, 2, 2, 4] : [2, 1, 1, 2], i * 4);
    return new NDArray(data, [count, 2, 2]);
  };

  it('solve and inv: "Singular matrix", ERR_SINGULAR, batchIndex', async () => {
    for (const index of [0, 2, 3]) {
      const e = thrown(() => linalg.solve(singularAt(index), [[1, 1], [1, 1], [1, 1], [1, 1]]));
      expect(e).toBeInstanceOf(LinAlgError);
      expect(e).toMatchObject({ message: 'Singular matrix', code: 'ERR_SINGULAR', batchIndex: index });
      await expect(linalg.invAsync(singularAt(index))).rejects.toMatchObject({ code: 'ERR_SINGULAR', batchIndex: index });
    }
    // A single (unstacked) matrix has no batchIndex.
    expect(thrown(() => linalg.inv([[1, 2], [2, 4]]))).not.toHaveProperty('batchIndex');
  });

  it('the lowest failing index is reported when several fail', () => {
    const data = new Float64Array(6 * 4);
    for (let i = 0; i < 6; i++) data.set(i % 2 ? [1, 1, 1, 1] : [1, 0, 0, 1], i * 4);
    expect(thrown(() => linalg.inv(new NDArray(data, [2, 3, 2, 2])))).toMatchObject({ batchIndex: 1 });
  });

  it('cholesky: "Matrix is not positive definite", ERR_NOT_POSITIVE_DEFINITE', () => {
    const stack = new NDArray(Float64Array.from([4, 2, 2, 3, 1, 2, 2, 1]), [2, 2, 2]);
    expect(thrown(() => linalg.cholesky(stack))).toMatchObject({
      name: 'LinAlgError', message: 'Matrix is not positive definite', code: 'ERR_NOT_POSITIVE_DEFINITE', batchIndex: 1,
    });
    expect(thrown(() => linalg.solve([[1, 2], [2, 1]], [1, 1], { assumeA: 'pos' }))).toMatchObject({ code: 'ERR_NOT_POSITIVE_DEFINITE' });
  });

  it('non-finite input: eig checks as numpy does; SVD-based functions refuse it', () => {
    for (const bad of [Number.NaN, Infinity, -Infinity]) {
      const a = [[1, bad], [0, 1]];
      expect(thrown(() => linalg.eig(a))).toMatchObject({ code: 'ERR_NONFINITE', message: 'Array must not contain infs or NaNs' });
      expect(thrown(() => linalg.eigvals(a))).toMatchObject({ code: 'ERR_NONFINITE' });
      for (const fn of ['svd', 'svdvals', 'pinv', 'matrixRank', 'cond']) {
        expect(thrown(() => api[fn]!(a)), fn).toMatchObject({ code: 'ERR_NO_CONVERGENCE', message: 'SVD did not converge' });
      }
      expect(thrown(() => linalg.lstsq(a, [1, 1]))).toMatchObject({ code: 'ERR_NO_CONVERGENCE', message: 'SVD did not converge in Linear Least Squares' });
      // eigh reads one triangle only: a NaN in the other is ignored, as in LAPACK.
      expect(thrown(() => linalg.eigh([[1, 0], [bad, 1]]))).toMatchObject({ code: 'ERR_NO_CONVERGENCE', message: 'Eigenvalues did not converge' });
      expect(linalg.eigvalsh([[1, bad], [0, 1]]).toArray()).toEqual([1, 1]);
    }
    // NaN is not an error where numpy lets it through: it propagates.
    expect(Number.isNaN(linalg.matmul([[Number.NaN]], [[1]]).item())).toBe(true);
    expect(Number.isNaN(linalg.qr([[Number.NaN, 1], [1, 1]]).R.get(0, 0))).toBe(true);
    expect(linalg.norm([3, Number.NaN]).item()).toBeNaN();
  });

  it('det, slogdet, inv, solve and cond with ±Infinity give what numpy gives, which factors a itself', async () => {
    // numpy's answers for non-finite input come out of LU on a itself, so they
    // depend on where the Infinity sits: a matrix and its transpose can give
    // NaN and "Singular matrix" (numpy 2.4.6, each 2×2 below). weft factors
    // such an item as numpy does, not as the transpose it uses otherwise.
    const zeroless = (x: unknown): unknown => (Array.isArray(x) ? x.map(zeroless) : x === 0 ? 0 : x); // the sign of 0 is LAPACK's choice
    const same = (actual: unknown, expected: unknown) => expect(zeroless(actual)).toEqual(zeroless(expected));
    const upper = [[1, Infinity], [0, 1]];
    expect(linalg.det(upper).item()).toBeNaN();
    same([linalg.slogdet(upper).sign.item(), linalg.slogdet(upper).logabsdet.item()], [1, Number.NaN]);
    same(linalg.inv(upper).toArray(), [[Number.NaN, Number.NaN], [Number.NaN, Number.NaN]]);
    same(linalg.solve(upper, [1, 1]).toArray(), [Number.NaN, Number.NaN]);
    expect(linalg.cond(upper, { p: -1 }).item()).toBe(Infinity);
    const lower = [[1, 0], [Infinity, 1]]; // upper's transpose
    expect(linalg.det(lower).item()).toBe(0);
    same([linalg.slogdet(lower).sign.item(), linalg.slogdet(lower).logabsdet.item()], [0, -Infinity]);
    expect(thrown(() => linalg.inv(lower))).toMatchObject({ code: 'ERR_SINGULAR' });
    await expect(linalg.solveAsync(lower, [1, 1])).rejects.toMatchObject({ code: 'ERR_SINGULAR' });
    // The limits numpy's LU reaches: finite inverses, a condition number of 0 for p = -1.
    const d = [[0.13, -0.13], [Infinity, 0.1]];
    expect(linalg.det(d).item()).toBe(Infinity);
    same(linalg.inv(d).toArray(), [[0, 0], [-1 / 0.13, 0]]);
    same(linalg.solve(d, [1, 1]).toArray(), [0, -1 / 0.13]);
    expect(linalg.cond(d, { p: -1 }).item()).toBe(0);
    const dt = [[0.13, Infinity], [-0.13, 0.1]];
    same((await linalg.invAsync(dt)).toArray(), [[Number.NaN, Number.NaN], [0, 0]]);
    same(linalg.solve(dt, [1, 1]).toArray(), [Number.NaN, 0]);
    expect(linalg.cond(dt, { p: -1 }).item()).toBe(Infinity);
    const c = [[2, 1], [1, -Infinity]];
    expect(linalg.det(c).item()).toBe(-Infinity);
    same(linalg.inv(c).toArray(), [[0.5, 0], [0, 0]]);
    expect(linalg.cond(c, { p: -1 }).item()).toBe(0);
    // NaN propagates. Which row LU takes as pivot beside a NaN is the BLAS's
    // choice (idamax), so slogdet's sign is not numpy's everywhere, and numpy
    // with OpenBLAS even finds [[NaN, 1], [1, 1]] singular (det 0): a
    // deviation weft documents at det rather than a value it could match.
    for (const nan of [[[1, Number.NaN], [0, 1]], [[1, 0], [Number.NaN, 1]], [[Number.NaN, 1], [1, 1]]]) {
      expect(linalg.det(nan).item()).toBeNaN();
      expect(linalg.slogdet(nan).logabsdet.item()).toBeNaN();
      expect(Math.abs(linalg.slogdet(nan).sign.item())).toBe(1);
    }
    // In a stack only the non-finite item takes numpy's way round; the others are unchanged.
    const stack = new NDArray(Float64Array.from([4, 7, 2, 6, 1, 0, Infinity, 1]), [2, 2, 2]);
    expect(thrown(() => linalg.inv(stack))).toMatchObject({ code: 'ERR_SINGULAR', batchIndex: 1 });
    const dets = linalg.det(stack).data;
    expect(dets[0]).toBeCloseTo(10, 12);
    expect(dets[1]).toBe(0);
  });

  it('solve factors a even when b has no columns, so a singular a fails as in numpy', () => {
    const singular = [[1, 2, 3], [2, 4, 6], [1, 1, 1]];
    const none = new NDArray(new Float64Array(0), [3, 0]);
    expect(thrown(() => linalg.solve(singular, none))).toMatchObject({ code: 'ERR_SINGULAR', message: 'Singular matrix' });
    expect(thrown(() => linalg.solve([[1, 2], [2, 1]], new NDArray(new Float64Array(0), [2, 0]), { assumeA: 'pos' }))).toMatchObject({
      code: 'ERR_NOT_POSITIVE_DEFINITE',
    });
    expect(linalg.solve([[2, 0, 0], [0, 2, 0], [0, 0, 2]], none).shape).toEqual([3, 0]);
  });

  it("norm's min-type orders of an empty matrix: 0 where numpy takes the minimum of zeros, else a RangeError", () => {
    const empty = (rows: number, cols: number) => new NDArray(new Float64Array(0), [rows, cols]);
    // numpy: ord -1 is the smallest of the column sums, -Infinity of the row sums.
    expect(linalg.norm(empty(0, 3), { ord: -1 }).item()).toBe(0);
    expect(linalg.norm(empty(3, 0), { ord: -Infinity }).item()).toBe(0);
    expect(linalg.norm(new NDArray(new Float64Array(0), [2, 0, 3]), { ord: -1, axis: [1, 2] }).toArray()).toEqual([0, 0]);
    // No column (row) sums to take the smallest of: numpy raises ValueError.
    expect(() => linalg.norm(empty(3, 0), { ord: -1 })).toThrow(
      new RangeError('linalg.norm: the -1 norm of a matrix without columns (shape [3, 0]) is undefined'),
    );
    expect(() => linalg.norm(empty(0, 3), { ord: -Infinity })).toThrow(
      new RangeError('linalg.norm: the -Infinity norm of a matrix without rows (shape [0, 3]) is undefined'),
    );
    expect(() => linalg.norm(empty(0, 3), { ord: -2 })).toThrow(/the -2 norm of an empty matrix \(shape \[0, 3\]\) is undefined/);
  });

  it('reductions: axes out of range, repeated or of the wrong kind, bad ddof and keepdims, nothing to reduce, too many to index', async () => {
    const a = [[1, 2, 3], [4, 5, 6]];
    expect(() => weft.sum(a, { axis: 2 })).toThrow(new RangeError('sum: options.axis 2 is out of range for an array with 2 axes'));
    expect(() => weft.mean(a, { axis: [0, -3] })).toThrow(new RangeError('mean: options.axis[1] -3 is out of range for an array with 2 axes'));
    expect(() => weft.prod(a, { axis: [1, -1] })).toThrow(new RangeError('prod: options.axis repeats axis 1'));
    expect(() => weft.max(a, { axis: 0.5 })).toThrow(/^max: expected options\.axis(\[0\])? to be an integer/);
    expect(() => weft.min(a, { axis: 'x' as never })).toThrow(TypeError);
    expect(() => weft.argmax(a, { axis: [0] as never })).toThrow(new TypeError('argmax: expected options.axis to be an integer or null, but received [0]'));
    expect(() => weft.cumsum(a, { axis: 2 })).toThrow(new RangeError('cumsum: options.axis 2 is out of range for an array with 2 axes'));
    expect(() => weft.variance(a, { ddof: 'x' as never })).toThrow(/^variance: expected options\.ddof to be a number/);
    expect(() => weft.sum(a, { keepdims: 1 as never })).toThrow(/^sum: expected options\.keepdims to be a boolean/);
    expect(() => weft.sum(a, { ddof: 1 } as never)).toThrow(/^sum: unknown option "ddof"/);
    expect(() => weft.std('x' as never)).toThrow(/^std: expected a to be/);
    expect(() => weft.min([])).toThrow(new RangeError('min: zero-size array to reduction operation minimum which has no identity'));
    expect(() => weft.argmin(new NDArray(new Float64Array(0), [2, 0]), { axis: 1 })).toThrow(new RangeError('argmin: attempt to get argmin of an empty sequence'));
    // 2^32 elements (a broadcast view of one): their indices would not fit int32, refused before anything is read.
    const huge = new NDArray(new Float64Array(1), [65536, 65536], [0, 0]);
    expect(() => weft.argmax(huge)).toThrow(/^argmax: 4294967296 elements to search: indices past 2\^31 - 1/);
    await expect(weft.maxAsync([], { axis: 0 })).rejects.toThrow(new RangeError('maxAsync: zero-size array to reduction operation maximum which has no identity'));
    await expect(weft.sumAsync(a, { axis: 5 })).rejects.toThrow(new RangeError('sumAsync: options.axis 5 is out of range for an array with 2 axes'));
    // numpy's name for variance, a word JS reserves for variables but not for properties.
    expect([weft.var, weft.varAsync]).toEqual([weft.variance, weft.varianceAsync]);
  });

  it('a negative LAPACK info is an internal error naming the routine, never garbage (none reachable from the API)', () => {
    // Every LAPACK argument is derived from validated shapes; the check exists for bugs.
    expect(linalg.solve([[2]], [4]).toArray()).toEqual([2]);
  });
});

describe('AbortSignal', () => {
  const heavy = () => random.normal([48, 160, 160], { seed: 5 });

  it('an already aborted signal rejects at once with its reason, and no work runs', async () => {
    const controller = new AbortController();
    controller.abort(new Error('not needed'));
    threading.resetThreadStats();
    await expect(linalg.eigAsync(heavy(), { signal: controller.signal })).rejects.toThrow('not needed');
    await expect(linalg.matmulAsync([[1]], [[1]], { signal: controller.signal })).rejects.toThrow('not needed');
  });

  it('aborting mid-batch rejects promptly and skips the items not started', async () => {
    const a = heavy();
    const started = performance.now();
    const full = await linalg.eigAsync(a);
    const fullMs = performance.now() - started;
    expect(full.eigenvalues.shape).toEqual([48, 160]);
    const controller = new AbortController();
    const t0 = performance.now();
    const pending = linalg.eigAsync(a, { signal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - t0).toBeLessThan(fullMs);
    // The arena is free again: the next call works.
    expect((await linalg.detAsync([[2, 0], [0, 2]])).item()).toBe(4);
  });

  it('a multi-step async function stops between steps', async () => {
    const controller = new AbortController();
    const pending = linalg.normAsync(heavy(), { ord: 2, axis: [-2, -1], signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('a signal that never fires changes nothing', async () => {
    const controller = new AbortController();
    const a = random.normal([4, 4], { seed: 1 });
    expect(Array.from((await linalg.invAsync(a, { signal: controller.signal })).data)).toEqual(Array.from(linalg.inv(a).data));
  });
});

describe('errors from native work keep their origin', () => {
  // A function whose name must show in the stack of an error raised on a
  // later turn of the event loop.
  async function solveSingularFromHere(): Promise<unknown> {
    return await linalg.solveAsync([[1, 2], [2, 4]], [1, 2]);
  }

  it('an async LinAlgError names its function and carries the caller\'s stack; numpy\'s message stays', async () => {
    const e = (await solveSingularFromHere().catch((err: unknown) => err)) as LinAlgError;
    expect(e).toBeInstanceOf(LinAlgError);
    expect(e.message).toBe('Singular matrix');
    expect(e.code).toBe('ERR_SINGULAR');
    expect(e.fn).toBe('linalg.solveAsync');
    expect(e.stack).toMatch(/^LinAlgError: Singular matrix\n/);
    expect(e.stack).toMatch(/solveSingularFromHere/);
  });

  it('a sync LinAlgError names its function too, and a failing item of a stack its index', () => {
    const e = thrown(() => linalg.inv([[[1, 0], [0, 1]], [[1, 2], [2, 4]]])) as LinAlgError;
    expect(e).toMatchObject({ message: 'Singular matrix', code: 'ERR_SINGULAR', fn: 'linalg.inv', batchIndex: 1 });
  });

  it('an async failure of a later step (a program of several native calls) names the function', async () => {
    const e = (await linalg.matrixPowerAsync([[1, 2], [2, 4]], -3).catch((err: unknown) => err)) as LinAlgError;
    expect(e).toMatchObject({ code: 'ERR_SINGULAR', fn: 'linalg.matrixPowerAsync' });
  });
});

describe('an aborted call', () => {
  it('does not keep the process alive once it has settled as aborted', () => {
    const r = runFixture('abort-exit.mjs');
    expect(r.signal, r.stderr).toBeNull();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.json.rejected.name).toBe('TimeoutError');
    // Before: the process lived until the discarded 2000² SVD finished (8–9 s).
    expect(r.json.exitMs - r.json.rejected.ms).toBeLessThan(1000);
  });
});
