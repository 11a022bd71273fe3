/**
 * numpy-style printing of NDArrays (toString and util.inspect).
 *
 * @internal
 * @module
 */

/** numpy's print options: more than `threshold` elements are summarised, `edgeItems` shown at each end. */
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
/** numpy's default print precision: at most 8 digits after the point. */
const PRECISION = 8;

/**
 * One element as numpy prints it by default: the shortest form that reads
 * back as the same value in its dtype (float32's shortest for float32), cut
 * to 8 digits after the point; scientific notation for magnitudes below
 * 1e-4 or from 1e16 on. Integral values print without a point (`1`, not
 * numpy's `1.`), as JS writes them.
 */
export function formatNumber(v: number, float32: boolean): string {
  if (!Number.isFinite(v) || v === 0) return Object.is(v, -0) ? '-0' : String(v);
  let shortest = String(v);
  if (float32) {
    for (let p = 1; p <= 9; p++) {
      const candidate = Number(v.toPrecision(p));
      if (Math.fround(candidate) === v) {
        shortest = String(candidate);
        break;
      }
    }
  }
  const magnitude = Math.abs(v);
  if (magnitude < 1e-4 || magnitude >= 1e16) {
    const [mantissa, exponent] = Number(shortest).toExponential().split('e');
    const digits = mantissa!.split('.')[1]?.length ?? 0;
    return `${digits > PRECISION ? Number(mantissa).toFixed(PRECISION).replace(/\.?0+$/, '') : mantissa}e${exponent}`;
  }
  const fraction = shortest.split('.')[1]?.length ?? 0;
  return fraction > PRECISION ? Number(shortest).toFixed(PRECISION).replace(/\.?0+$/, '') : shortest;
}

/**
 * numpy's layout of an array's elements: nested brackets, each column right
 * aligned to the widest element, rows of a matrix on lines of their own,
 * a blank line between matrices of a stack, and `...` for the middle of an
 * axis when the array has more than 1000 elements; elements as
 * formatNumber writes them (bool ones as True/False: `dtype`). `separator` is `' '` for
 * str(), `', '` for repr(); `indent` is the column the first bracket is at.
 */
export function formatElements(
  shape: readonly number[],
  read: (index: readonly number[]) => number | { re: number; im: number },
  dtype: string,
  separator: string,
  indent: number,
): string {
  // numpy prints bool elements as True and False, complex ones as 1+2j.
  const float32 = dtype === 'float32' || dtype === 'complex64';
  const show = (index: readonly number[]): string => {
    const v = read(index);
    if (typeof v !== 'number') {
      const im = formatNumber(v.im, float32);
      return `${formatNumber(v.re, float32)}${im.startsWith('-') ? '' : '+'}${im}j`;
    }
    return dtype === 'bool' ? (v !== 0 ? 'True' : 'False') : formatNumber(v, float32);
  };
  const nd = shape.length;
  if (nd === 0) return show([]);
  const summarise = shape.reduce((p, d) => p * d, 1) > THRESHOLD;
  const shown = (d: number): (number | undefined)[] => {
    const n = shape[d]!;
    if (!summarise || n <= 2 * EDGE_ITEMS) return Array.from({ length: n }, (_, i) => i);
    return [...Array.from({ length: EDGE_ITEMS }, (_, i) => i), undefined, ...Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i)];
  };
  // The widest element shown sets every column's width.
  let width = 0;
  const visit = (d: number, index: number[]): void => {
    for (const i of shown(d)) {
      if (i === undefined) continue;
      if (d === nd - 1) width = Math.max(width, show([...index, i]).length);
      else visit(d + 1, [...index, i]);
    }
  };
  visit(0, []);
  const rowSeparator = separator.trimEnd();
  const render = (d: number, index: number[]): string => {
    const pad = ' '.repeat(indent + d + 1);
    if (d === nd - 1) {
      return `[${shown(d)
        .map((i) => (i === undefined ? '...' : show([...index, i]).padStart(width)))
        .join(separator)}]`;
    }
    const lines = '\n'.repeat(nd - d - 1);
    return `[${shown(d)
      .map((i) => (i === undefined ? '...' : render(d + 1, [...index, i])))
      .join(`${rowSeparator}${lines}${pad}`)}]`;
  };
  return render(0, []);
}
