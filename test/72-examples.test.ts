// examples/: each a numpy script (original.py) beside its weft port
// (weft.mjs). Both run as a user runs them — `python3 original.py` with the
// pinned numpy/scipy oracle, `node weft.mjs` importing 'weft' by name — and
// every value they print agrees to 1e-10, relative to the largest magnitude
// of that value in numpy's answer. A port holds no loop over elements: it
// never reads elements one by one, and it has exactly the loops its original
// has (over time steps or Newton iterations, never over data).
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { root } from './helpers.js';
import { fetchOracle, oracleDir, python } from '../scripts/dev/fetch-oracle.mjs';

const TOLERANCE = 1e-10;
const examplesDir = join(root, 'examples');
const examples = readdirSync(examplesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} in ${cwd} exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

/** Every number in a (nested) JSON value, in order. */
function numbers(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.flatMap(numbers);
  throw new TypeError(`not a number or array: ${JSON.stringify(value)}`);
}

function count(source: string, pattern: RegExp): number {
  return source.split('\n').filter((line) => pattern.test(line)).length;
}

beforeAll(() => {
  fetchOracle();
}, 600_000);

describe('examples: numpy original vs weft port', () => {
  it('there are the six the README promises', () => {
    expect(examples).toEqual(['gaussian-process', 'kalman', 'logistic-regression', 'ols', 'pca', 'ridge']);
  });

  for (const name of examples) {
    const dir = join(examplesDir, name);
    it(`${name}: the port agrees with numpy to ${TOLERANCE} relative`, () => {
      const expected = run(python, ['original.py'], dir, { ...process.env, PYTHONPATH: oracleDir });
      const actual = run(process.execPath, ['weft.mjs'], dir);
      expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
      for (const [key, value] of Object.entries(expected)) {
        const want = numbers(value);
        const got = numbers(actual[key]);
        expect(got.length, key).toBe(want.length);
        const scale = Math.max(...want.map(Math.abs), Number.MIN_VALUE);
        const worst = Math.max(0, ...got.map((g, i) => Math.abs(g - want[i]!)));
        expect(worst / scale, `${name}: ${key}`).toBeLessThanOrEqual(TOLERANCE);
      }
    }, 120_000);

    it(`${name}: the port has no loop over elements`, () => {
      const port = readFileSync(join(dir, 'weft.mjs'), 'utf8');
      const original = readFileSync(join(dir, 'original.py'), 'utf8');
      expect(port).not.toMatch(/\.data\b|\.get\(|\.item\(\)\s*\)|\.toArray\(|\.map\(|\.forEach\(|\.reduce\(|\bwhile\b/);
      expect(count(port, /\bfor\s*\(/), 'loops in the port').toBe(count(original, /^\s*for\s/));
    });
  }
});
