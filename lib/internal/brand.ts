/**
 * What holds when two copies of weft's JS run in one process: weft ships
 * an ESM build (`import`) and a CommonJS one (`require`, a bundle in
 * dist/cjs), so an app that imports weft while a dependency requires it
 * loads both. The addon is one per process either way (Node loads a
 * `.node` file once); each copy has its own op registry and Pool count.
 *
 * `instanceof NDArray` and `instanceof LinAlgError` hold across the
 * copies: the classes test a process-wide brand (a `Symbol.for` key),
 * not their own prototype, so an array made by one copy is an NDArray to
 * the other — a bool array stays bool rather than being read as an
 * ndarray-like object of integers. What does not cross is an op: a Pool
 * of one copy rejects the other's `linalg.qr` with a TypeError (loudly,
 * not silently). So the second copy to load warns once, naming both.
 *
 * @internal
 * @module
 */

/** The brand of each class; `v1` is the layout an NDArray's fields have (data, shape, strides, offset). */
export const brands = {
  NDArray: Symbol.for('weft.NDArray.v1'),
  LinAlgError: Symbol.for('weft.LinAlgError.v1'),
  Complex128Data: Symbol.for('weft.Complex128Data.v1'),
  Complex64Data: Symbol.for('weft.Complex64Data.v1'),
} as const;

/** Whether `x` carries `brand` (on its prototype chain). */
export function hasBrand(x: unknown, brand: symbol): boolean {
  return typeof x === 'object' && x !== null && (x as { [brand]?: unknown })[brand] === true;
}

/** Puts `brand` on `prototype`, not enumerable. */
export function brand(prototype: object, key: symbol): void {
  Object.defineProperty(prototype, key, { value: true });
}

const copies = Symbol.for('weft.copies');
const here = import.meta.url;
const registry = globalThis as { [copies]?: string[] };
const loaded = (registry[copies] ??= []);
if (loaded.length > 0 && !loaded.includes(here)) {
  process.emitWarning(
    `weft is loaded twice in this process (${loaded[0]} and ${here}), e.g. by import and by require. ` +
      'NDArrays and LinAlgErrors pass between the copies, but a Pool runs only the ops of its own copy; ' +
      'load weft one way to have one copy.',
    { code: 'WEFT_TWO_COPIES' },
  );
}
loaded.push(here);
