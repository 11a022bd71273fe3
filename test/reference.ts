// Plain-JS float64 linear algebra on nested arrays: the independent
// reference the identity tests compare weft with.
import { NDArray } from '../lib/index.js';

export type Mat = number[][];

/** The items of a stacked NDArray as 2-D matrices (core = last two axes). */
export function matrices(a: NDArray): Mat[] {
  const nd = a.shape.length;
  const [m, n] = [a.shape[nd - 2]!, a.shape[nd - 1]!];
  const items = a.shape.slice(0, nd - 2).reduce((p, d) => p * d, 1);
  const flat = flatten(a);
  return Array.from({ length: items }, (_, i) =>
    Array.from({ length: m }, (_, r) => Array.from({ length: n }, (_, c) => flat[i * m * n + r * n + c]!)),
  );
}

/** The items of a stacked NDArray as vectors (core = last axis). */
export function vectors(a: NDArray): number[][] {
  const n = a.shape[a.shape.length - 1]!;
  const flat = flatten(a);
  const items = n === 0 ? a.shape.slice(0, -1).reduce((p, d) => p * d, 1) : flat.length / n;
  return Array.from({ length: items }, (_, i) => flat.slice(i * n, i * n + n));
}

/** All elements in row-major order, honouring strides. */
export function flatten(a: NDArray): number[] {
  const out: number[] = [];
  const walk = (d: number, at: number): void => {
    if (d === a.shape.length) {
      out.push(a.data[at]!);
      return;
    }
    for (let i = 0; i < a.shape[d]!; i++) walk(d + 1, at + i * a.strides[d]!);
  };
  if (a.size > 0) walk(0, a.offset);
  return out;
}

export const mm = (a: Mat, b: Mat): Mat =>
  a.map((row) => Array.from({ length: b[0]?.length ?? 0 }, (_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
export const tr = (a: Mat, cols = a[0]?.length ?? 0): Mat => Array.from({ length: cols }, (_, j) => a.map((r) => r[j]!));
/** A vector as an n×1 column. */
export const col = (v: number[]): Mat => v.map((x) => [x]);
export const eye = (n: number): Mat => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
export const cols = (a: Mat, k: number): Mat => a.map((r) => r.slice(0, k));
export const maxAbs = (a: Mat | number[]): number =>
  (a as (number | number[])[]).flat().reduce<number>((m, v) => Math.max(m, Math.abs(v as number)), 0);
export const diff = (a: Mat, b: Mat): number => {
  let worst = 0;
  a.forEach((r, i) => r.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[i]![j]!)))));
  if (a.length !== b.length || (a[0]?.length ?? 0) !== (b[0]?.length ?? 0)) return Infinity;
  return worst;
};
export const fro = (a: Mat): number => Math.sqrt(a.flat().reduce((s, v) => s + v * v, 0));
export const scaleCols = (a: Mat, s: number[]): Mat => a.map((r) => r.map((v, j) => v * s[j]!));

/** Determinant by Gaussian elimination with partial pivoting, float64. */
export function det(a: Mat): number {
  const m = a.map((r) => r.slice());
  const n = m.length;
  let d = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i]![k]!) > Math.abs(m[p]![k]!)) p = i;
    if (m[p]![k] === 0) return 0;
    if (p !== k) {
      [m[p], m[k]] = [m[k]!, m[p]!];
      d = -d;
    }
    d *= m[k]![k]!;
    for (let i = k + 1; i < n; i++) {
      const f = m[i]![k]! / m[k]![k]!;
      for (let j = k; j < n; j++) m[i]![j]! -= f * m[k]![j]!;
    }
  }
  return d;
}
