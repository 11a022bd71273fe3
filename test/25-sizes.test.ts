// Sizes beyond MKL's 32-bit (LP64) interface. weft's decision: every matrix
// handed to MKL (operand or result, per item of a stack) has fewer than 2^31
// elements, or the call throws a RangeError before any native work. Tested
// with stride-0 views — huge shapes over a one-element buffer — so nothing
// of that size is ever allocated.
import { describe, expect, it } from 'vitest';
import { linalg } from '../lib/index.js';
import { runFixture, underAsan } from './helpers.js';

const one = new Float64Array([1]);
const huge = (...shape: number[]) => ({ data: one, shape, strides: shape.map(() => 0) });
const LP64 = /weft calls MKL's 32-bit \(LP64\) interface, which takes matrices of at most 2147483647 elements/;

describe('matrices of 2^31 elements or more', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['matmul, an operand', () => linalg.matmul(huge(65536, 32769), huge(32769, 1)), /^linalg\.matmul: a \(each matrix\) would be 65536×32769 = 2147549184 elements/],
    ['matmul, the result of small operands', () => linalg.matmul(huge(50000, 1), huge(1, 50000)), /^linalg\.matmul: the result \(each matrix\) would be 50000×50000 = 2500000000 elements/],
    ['matmul, one item of a stack', () => linalg.matmul(huge(3, 46341, 46341), huge(3, 46341, 1)), /^linalg\.matmul: a \(each matrix\) would be 46341×46341/],
    ['matmulAsync', () => linalg.matmulAsync(huge(50000, 1), huge(1, 50000)), /^linalg\.matmul(Async)?: the result/],
    ['qr complete: Q is m×m', () => linalg.qr(huge(46341, 1), { mode: 'complete' }), /^linalg\.qr: the complete Q \(each matrix\) would be 46341×46341/],
    ['svd full: Vh is n×n', () => linalg.svd(huge(1, 46341)), /^linalg\.svd: Vh \(each matrix\) would be 46341×46341/],
    ['lu: P is m×m', () => linalg.lu(huge(46341, 1)), /^linalg\.lu: P \(each matrix\) would be 46341×46341/],
    ['inv', () => linalg.inv(huge(46341, 46341)), /^linalg\.inv: a \(each matrix\) would be 46341×46341/],
    ['det', () => linalg.det(huge(46341, 46341)), /^linalg\.det: a \(each matrix\)/],
    ['eigh', () => linalg.eigh(huge(46341, 46341)), /^linalg\.eigh: a \(each matrix\)/],
    ['solve, b', () => linalg.solve(huge(3, 3), huge(3, 2 ** 31 - 1)), /^linalg\.solve: b \(each matrix\) would be 3×2147483647/],
    ['lstsq, b padded to max(m, n) rows', () => linalg.lstsq(huge(2, 65536), huge(2, 32769)), /^linalg\.lstsq: b, padded to max\(m, n\) rows, would be 65536×32769/],
    ['outer', () => linalg.outer(huge(50000), huge(50000)), /^linalg\.outer: the result would be 50000×50000/],
  ];
  for (const [name, call, message] of cases) {
    it(`${name}: RangeError naming the matrix and its size`, async () => {
      let error: unknown;
      try {
        await call();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toMatch(LP64);
    });
  }

  it('vdot of operands that flatten past 2^31 elements', () => {
    expect(() => linalg.vdot(huge(65536, 65536), huge(65536, 65536))).toThrow(
      /^linalg\.vdot: operands flatten to more than 2147483647 rows or columns, beyond MKL's 32-bit \(LP64\) interface/,
    );
  });

  it('an axis longer than 2^31 - 1, or dims whose product overflows, are refused as such', () => {
    expect(() => linalg.dot(huge(3, 2 ** 31), huge(2 ** 31))).toThrow(RangeError);
    expect(() => linalg.dot(huge(3, 2 ** 31), huge(2 ** 31))).toThrow(/a\.shape\[1\] to be an integer from 0 to 2147483647, but received 2147483648/);
    expect(() => linalg.matmul(huge(2 ** 31 - 1, 2 ** 31 - 1, 2 ** 31 - 1), huge(2 ** 31 - 1, 1))).toThrow(
      /a\.shape \[2147483647, 2147483647, 2147483647\] has more elements than an array can hold/,
    );
  });
});

describe('memory that cannot be allocated', () => {
  it('ends every call, sync and async, in a RangeError naming the function, and the process goes on', () => {
    const r = runFixture('allocation.mjs');
    expect(r.signal, r.stderr).toBeNull();
    // Under the sanitizer build ASan reports each allocation it refused (and
    // returns null, as malloc does: allocator_may_return_null); nothing else.
    const stderr = underAsan ? r.stderr.replace(/^==\d+==WARNING: AddressSanitizer failed to allocate 0x[0-9a-f]+ bytes\n/gm, '') : r.stderr;
    expect(stderr).toBe('');
    expect(r.status).toBe(0);
    const { stillWorks, ...calls } = r.json;
    expect(Object.keys(calls)).toHaveLength(8);
    for (const [fn, outcome] of Object.entries(calls)) {
      expect(outcome, fn).toMatchObject({ type: 'RangeError', code: 'ERR_WEFT_OUT_OF_MEMORY' });
      expect((outcome as { message: string }).message, fn).toMatch(new RegExp(`^${fn.replace('.', '\\.')}: (out of memory|array is too big)`));
    }
    expect(stillWorks).toBe(true);
  });
});
