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

/**
 * numpy's einsum by brute force (every combination of every label, float64):
 * the result's shape, values, and per element the sum of |products| (the
 * scale of its rounding error). Ellipses broadcast right-aligned.
 */
export function einsumReference(subscripts: string, operands: NDArray[]): { shape: number[]; values: number[]; scale: number[] } {
  const spec = subscripts.replace(/ /g, '');
  const [lhs, rhs] = spec.split('->') as [string, string | undefined];
  const terms = lhs.split(',');
  const letters = (t: string) => t.replace('...', '').length;
  const total = Math.max(0, ...terms.map((t, i) => (t.includes('...') ? operands[i]!.shape.length - letters(t) : 0)));
  const digits = (n: number) => Array.from({ length: n }, (_, i) => String(total - n + i));
  const expand = (t: string, n: number) => t.split('...').flatMap((part, k) => (k === 0 ? [...part] : [...digits(n), ...part]));
  const labels = terms.map((t, i) => expand(t, operands[i]!.shape.length - letters(t)));
  const counts = new Map<string, number>();
  for (const ls of labels) for (const l of ls) counts.set(l, (counts.get(l) ?? 0) + 1);
  const out = rhs === undefined
    ? [...digits(total), ...[...counts.keys()].filter((l) => !/\d/.test(l) && counts.get(l) === 1).sort()]
    : expand(rhs, total);
  const size = new Map<string, number>();
  labels.forEach((ls, i) => ls.forEach((l, d) => size.set(l, Math.max(size.get(l) ?? 1, operands[i]!.shape[d]!))));
  labels.forEach((ls, i) => ls.forEach((l, d) => operands[i]!.shape[d] === 0 && size.set(l, 0)));
  const all = [...size.keys()];
  const shape = out.map((l) => size.get(l)!);
  const n = shape.reduce((p, d) => p * d, 1);
  const values = new Array<number>(n).fill(0);
  const scale = new Array<number>(n).fill(0);
  const at = new Map<string, number>(all.map((l) => [l, 0]));
  const combos = all.reduce((p, l) => p * size.get(l)!, 1);
  for (let c = 0; c < combos; c++) {
    let rest = c;
    for (let k = all.length - 1; k >= 0; k--) {
      const len = size.get(all[k]!)!;
      at.set(all[k]!, rest % len);
      rest = Math.floor(rest / len);
    }
    let product = 1;
    operands.forEach((x, i) => {
      product *= x.get(...labels[i]!.map((l, d) => (x.shape[d] === 1 ? 0 : at.get(l)!)));
    });
    const index = out.reduce((p, l, d) => p * shape[d]! + at.get(l)!, 0);
    values[index]! += product;
    scale[index]! += Math.abs(product);
  }
  return { shape, values, scale };
}
