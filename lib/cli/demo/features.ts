/**
 * The JavaScript half of the demo's mixed-js item: a feature matrix built
 * with loops, as an app would before handing it to a solver — polynomial
 * and trigonometric features of n seeded inputs, ~8 ms of JS at n = 512
 * on one core of a 2.6 GHz Xeon. Shared by every mode, so each runs the
 * same JS.
 *
 * @internal
 * @module
 */
import { linalg } from '../../index.js';

/**
 * The n×n row-major matrix F with F[i][j] = x_i^(j mod 8) + sin((j+1)·x_i)·cos(x_i·x_j)
 * + tanh(x_i − x_j)/(j+1), plus n on the diagonal (so F is well conditioned).
 */
export function buildFeatures(x: Float64Array): Float64Array {
  const n = x.length;
  const f = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    let power = 1;
    for (let j = 0; j < n; j++) {
      const xj = x[j]!;
      power = j % 8 === 0 ? 1 : power * xi;
      f[i * n + j] = power + Math.sin((j + 1) * xi) * Math.cos(xi * xj) + Math.tanh(xi - xj) / (j + 1) + (i === j ? n : 0);
    }
  }
  return f;
}

/** The whole item, synchronously: F from x, then y with F·y = x. */
export function featuresSolve(x: Float64Array): Float64Array {
  return linalg.solve({ data: buildFeatures(x), shape: [x.length, x.length] }, x).data as Float64Array;
}

/** The same item with the solve async: the JS runs now, on the calling thread. */
export async function featuresSolveAsync(x: Float64Array): Promise<Float64Array> {
  const f = buildFeatures(x);
  return (await linalg.solveAsync({ data: f, shape: [x.length, x.length] }, x)).data as Float64Array;
}
