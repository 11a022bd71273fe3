/**
 * The module of the demo's worker-backed Pool (mixed-js): its default
 * export runs once per item on a worker_thread — the feature matrix in
 * JavaScript, then the solve, whose weft call joins the process's one arena.
 *
 * @internal
 * @module
 */
import { featuresSolve } from './features.js';

export default function mixedTask(x: Float64Array): Float64Array {
  return featuresSolve(x);
}
