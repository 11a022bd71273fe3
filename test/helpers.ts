// Shared test helpers: seeded data, plain-JS references, tolerances, and
// running scripts in child processes (for crash, teardown and thread tests).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { NDArray } from '../lib/index.js';
import type { FloatDType as DType, FloatArray } from '../lib/index.js';

export const root = fileURLToPath(new URL('..', import.meta.url));

// mulberry32, shared with the child-process fixtures so failures reproduce.
export { rngSeeded as rng } from './fixtures/threads.mjs';
import { rngSeeded as rng } from './fixtures/threads.mjs';

/** A contiguous rows×cols matrix with entries uniform in [-1, 1). */
export function randomMatrix(rows: number, cols: number, seed: number, dtype: DType = 'float64'): NDArray {
  const next = rng(seed);
  const data = dtype === 'float32' ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = 2 * next() - 1;
  return new NDArray(data, [rows, cols]);
}

/** Element (i, j) of a 2-D view, honouring strides and offset. */
export function at(a: { data: FloatArray; shape: readonly number[]; strides: readonly number[]; offset: number }, i: number, j: number): number {
  return a.data[a.offset + i * a.strides[0]! + j * a.strides[1]!]!;
}

/** Plain-JS matrix product in float64 (the reference weft is checked against). */
export function refMatmul(a: NDArray, b: NDArray): number[][] {
  const [m, k] = a.shape as [number, number];
  const n = b.shape[1]!;
  const c: number[][] = [];
  for (let i = 0; i < m; i++) {
    const row = new Array<number>(n).fill(0);
    for (let p = 0; p < k; p++) {
      const aip = at(a, i, p);
      for (let j = 0; j < n; j++) row[j]! += aip * at(b, p, j);
    }
    c.push(row);
  }
  return c;
}

/** Largest |x - y| over two equally shaped 2-D arrays. */
export function maxAbsDiff(x: NDArray | number[][], y: NDArray | number[][]): number {
  const rows = (v: NDArray | number[][]): number[][] => (v instanceof NDArray ? (v.toArray() as number[][]) : v);
  const a = rows(x);
  const b = rows(y);
  if (a.length !== b.length) throw new Error(`row counts differ: ${a.length} vs ${b.length}`);
  let worst = 0;
  a.forEach((row, i) => {
    if (row.length !== b[i]!.length) throw new Error(`row ${i} lengths differ`);
    row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[i]![j]!))));
  });
  return worst;
}

/** Transpose of a 2-D NDArray as plain rows. */
export function transposeRows(a: NDArray): number[][] {
  const [m, n] = a.shape as [number, number];
  return Array.from({ length: n }, (_, j) => Array.from({ length: m }, (_, i) => a.get(i, j)));
}

export function identityRows(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

/** Machine epsilon of a dtype. */
export const eps = (dtype: DType): number => (dtype === 'float32' ? 1.1920929e-7 : 2.220446049250313e-16);

export interface ChildResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON, or else its last line that parses: each fixture's own shape. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/**
 * True under `npm run test:asan`: the sanitizer build replaces malloc and
 * slows native code several times, so tests of glibc's allocator or of
 * parallel speed say nothing there and are skipped.
 */
export const underAsan = Boolean(process.env.WEFT_EXPECT_ASAN);

/** Runs `node ...argv` in a fresh process (cwd = repository root); parses its stdout, or its last line, as JSON. */
export function runNode(argv: string[], env: Record<string, string | undefined> = {}, timeoutMs = 120_000): ChildResult {
  const r = spawnSync(process.execPath, argv, {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  let json: unknown;
  const stdout = (r.stdout ?? '').trim();
  for (const line of [stdout, ...stdout.split('\n').reverse()]) {
    try {
      json = JSON.parse(line);
      break;
    } catch {
      // not the result line
    }
  }
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', json };
}

/** Runs test/fixtures/<name> in a fresh process. */
export function runFixture(
  name: string,
  args: string[] = [],
  env: Record<string, string | undefined> = {},
  timeoutMs = 120_000,
): ChildResult {
  return runNode([fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), ...args], env, timeoutMs);
}

/** Runs the built CLI (`npx weft ...`) in a fresh process. */
export function runCli(args: string[], env: Record<string, string | undefined> = {}): ChildResult {
  return runNode([fileURLToPath(new URL('../dist/cli/index.js', import.meta.url)), ...args], env);
}
