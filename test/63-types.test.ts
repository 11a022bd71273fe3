// weft's published types as a consumer compiles them: test/types/consumer.ts
// (ESM) and consumer.cts (CommonJS, `import = require`) under `strict`,
// against dist/ through package.json's exports, as a project that installed
// weft would. The files hold the assignments issue 14 asked to compile
// without casts, and `@ts-expect-error` lines that must stay errors.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { array, linalg } from '../lib/index.js';
import type { NDArray } from '../lib/index.js';
import { root } from './helpers.js';

describe('types for consumers', () => {
  it('compiles test/types under strict', () => {
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'test', 'types')], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);

  it('toArray(rank) checks the rank it types', () => {
    expect(array([[1, 2]]).toArray(2)).toEqual([[1, 2]]);
    expect(() => array([[1, 2]]).toArray(1)).toThrow(/NDArray.toArray: expected rank to be the array's number of axes \(2\), but received 1/);
  });

  it('reads an ndarray-like object whose data is a JS array of numbers (scijs ndarray([...]))', () => {
    const scijs = { data: [9, 2, 0, 0, 1], shape: [2, 2], stride: [2, 1], offset: 1 };
    const x: NDArray<'float64'> = linalg.inv(scijs);
    expect(x.toArray()).toEqual(linalg.inv([[2, 0], [0, 1]]).toArray());
    expect(() => linalg.inv({ data: [1, 'x'], shape: [1, 1] } as never)).toThrow(/linalg.inv: expected a.data to be an array of numbers/);
  });
});
