// Shared test helpers: seeded data, plain-JS references, tolerances, and
// running scripts in child processes (for crash, teardown and thread tests).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { NDArray } from '../lib/index.js';
import type { DType, FloatArray } from '../lib/index.js';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const distIndex = new URL('../dist/index.js', import.meta.url).href;
export const distNative = new URL('../dist/native.js', import.meta.url).href;

/** mulberry32: a small seeded PRNG, so failures reproduce. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
  /** The last stdout line that parses as JSON. */
  json: any;
}

/**
 * Runs an ES module source in a fresh Node process (cwd = repository root).
 * Its last JSON line on stdout is returned parsed.
 */
export function runScript(source: string, env: Record<string, string | undefined> = {}, timeoutMs = 120_000): ChildResult {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', source], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  const lines = (r.stdout ?? '').trim().split('\n').reverse();
  let json: unknown;
  for (const line of lines) {
    try {
      json = JSON.parse(line);
      break;
    } catch {
      // not the result line
    }
  }
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', json };
}

/**
 * Source of a helper for child scripts: CPU ticks (utime + stime, 1/100 s) of
 * every thread of the process, from /proc/self/task.
 */
export const THREAD_CPU_SOURCE = `
import { readdirSync, readFileSync } from 'node:fs';
function threadCpuTicks() {
  const ticks = new Map();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync('/proc/self/task/' + tid + '/stat', 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(Number(tid), Number(fields[11]) + Number(fields[12]));
    } catch {}
  }
  return ticks;
}
function busyThreads(before, after, minTicks) {
  const busy = [];
  for (const [tid, t] of after) if (t - (before.get(tid) ?? 0) >= minTicks) busy.push(tid);
  return busy.sort((a, b) => a - b);
}
`;
