/**
 * Checks and shaping shared by the linalg families.
 *
 * @internal
 * @module
 */
import { describe, linAlgError } from '../errors.js';
import { NDArray, complexData, isComplexData } from '../ndarray.js';
import type { DTypeArrays, DTypeName, FloatArray, FloatDType, View } from '../ndarray.js';
import { insertAxis } from '../internal/shape.js';

/** Machine epsilon of each float dtype. */
export const EPS = { float64: 2.220446049250313e-16, float32: 1.1920929e-7 } as const;

/** The epsilon of a result computed from `arrays`: float32 only when every one is float32 (numpy's promotion). */
export function resultEps(...arrays: { data: unknown }[]): number {
  return arrays.every((a) => a.data instanceof Float32Array) ? EPS.float32 : EPS.float64;
}

/** An NDArray (a native step's result) as a View for the next step. */
export function viewOf(a: NDArray): View {
  return { data: a.data as FloatArray, shape: a.shape.slice(), strides: a.strides.slice(), offset: a.offset };
}

/** `view` must be a (stack of) matrices: at least two axes. */
export function requireMatrices(fn: string, view: View, name: string): void {
  if (view.shape.length < 2) {
    throw new RangeError(
      `${fn}: expected ${name} to be at least two-dimensional, but received a ${view.shape.length}-D array (shape ${describe(view.shape)})`,
    );
  }
}

/** `view` must be a (stack of) square matrices: numpy's LinAlgError otherwise. */
export function requireSquare(fn: string, view: View, name: string): number {
  requireMatrices(fn, view, name);
  const n = view.shape.length;
  if (view.shape[n - 2] !== view.shape[n - 1]) {
    throw linAlgError(
      'ERR_NOT_SQUARE',
      `${fn}: Last 2 dimensions of the array must be square, but ${name} has shape ${describe(view.shape)}`,
    );
  }
  return view.shape[n - 1]!;
}

/** Whether any of `views` holds complex data: the op then computes in complex (numpy's promotion). */
export function anyComplex(...views: { data: unknown }[]): boolean {
  return views.some((v) => isComplexData(v.data));
}

/**
 * A contiguous native result as an NDArray of `shape`; with `complex`, the
 * raw Float64Array/Float32Array holds (re, im) pairs and becomes complex
 * storage (no copy).
 */
export function out<D extends DTypeName = FloatDType>(raw: unknown, shape: number[], complex = false): NDArray<D> {
  const data = complex ? complexData(raw as Float64Array | Float32Array) : raw;
  return NDArray.fromContiguous(data as DTypeArrays[D], shape) as unknown as NDArray<D>; // raw is D's array
}

/**
 * numpy's rule for a right-hand side: `b` is a stack of vectors when
 * `b.ndim === a.ndim - 1` (numpy 1.x's rule) or b is 1-D (numpy 2's), else a
 * stack of matrices. Returns b as matrices ([..., n, k], k = 1 for vectors)
 * and whether to drop that last axis after.
 */
export function rightHandSide(a: View, b: View): { b: View; vectors: boolean } {
  const vectors = b.shape.length === 1 || b.shape.length === a.shape.length - 1;
  return { b: vectors ? insertAxis(b, b.shape.length) : b, vectors };
}
