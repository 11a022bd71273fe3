// weft's CommonJS entry (dist/cjs, built by scripts/dev/build-cjs.mjs) as a
// consumer reaches it: `require('weft')` from a project of its own, a .cts
// file under tsx (whose loader hooks break Node 20's require() of ESM: the
// reason for a CommonJS build), and both builds in one process.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root } from './helpers.js';

const project = mkdtempSync(join(tmpdir(), 'weft-cjs-'));
mkdirSync(join(project, 'node_modules'));
symlinkSync(root, join(project, 'node_modules', 'weft'));
writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
afterAll(() => rmSync(project, { recursive: true, force: true }));

/** Runs `node ...argv` in the consumer project; its stdout's last line parsed as JSON. */
function inProject(argv: string[]): { json: unknown; stderr: string } {
  const r = spawnSync(process.execPath, argv, { cwd: project, encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  return { json: JSON.parse(r.stdout.trim().split('\n').at(-1)!), stderr: r.stderr };
}

describe('CommonJS', () => {
  it("require('weft') loads the CommonJS build, not the ESM one", () => {
    const { json } = inProject([
      '-e',
      "const w = require('weft'); const x = w.linalg.solve([[3, 1], [1, 2]], [9, 8]);" +
        "console.log(JSON.stringify({ file: require.resolve('weft'), x: x.toArray(), name: w.NDArray.name, dtype: w.array([true]).dtype }))",
    ]);
    expect(json).toEqual({ file: join(root, 'dist', 'cjs', 'index.js'), x: [2, 3], name: 'NDArray', dtype: 'bool' });
  });

  it('runs a .cts file under tsx (import w = require)', () => {
    writeFileSync(
      join(project, 'qr.cts'),
      "import w = require('weft');\nconst { R } = w.linalg.qr([[3, 0], [4, 5]]);\nconsole.log(JSON.stringify(R.toArray(2)[0]));\n",
    );
    const { json } = inProject([join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'qr.cts']);
    expect((json as number[]).map((v) => Math.abs(v))).toEqual([5, 4]);
  });

  it('passes arrays and errors between an ESM and a CommonJS copy in one process, and warns once', () => {
    writeFileSync(
      join(project, 'both.mjs'),
      `import { createRequire } from 'node:module';
import * as esm from 'weft';
const cjs = createRequire(import.meta.url)('weft');
const mask = cjs.array([true, false]);
let crossError = false;
try { esm.linalg.inv([[0, 0], [0, 0]]); } catch (err) { crossError = err instanceof cjs.LinAlgError; }
// The other copy's op is not in this copy's registry: the pool runs it as a function item.
let poolResult = '';
const pool = new esm.Pool();
await pool.map(cjs.linalg.det, [[[3]]]).then((r) => { poolResult = r[0].item(); }, (err) => { poolResult = err.constructor.name; });
await pool.close();
console.log(JSON.stringify({ same: esm.NDArray === cjs.NDArray, instance: mask instanceof esm.NDArray, dtype: esm.array(mask).dtype,
  crossError, poolResult, product: esm.linalg.matmul(cjs.eye(2), [[1], [2]]).toArray() }));
`,
    );
    const { json, stderr } = inProject(['both.mjs']);
    expect(json).toEqual({ same: false, instance: true, dtype: 'bool', crossError: true, poolResult: 3, product: [[1], [2]] });
    expect(stderr.match(/WEFT_TWO_COPIES/g)).toHaveLength(1);
  });
});
