/**
 * What each kind of demo item computes, in the two forms the modes call:
 * `sync` (the worker-pool baselines, each on its own thread) and `async`
 * (promise-all, and a weft Pool's function items). One table, so that
 * every mode runs the same work per item.
 *
 * @internal
 * @module
 */
import { linalg } from '../../index.js';
import { featuresSolve, featuresSolveAsync } from './features.js';
import type { ItemOp } from './workloads.js';

/** An item's input: an m×n row-major matrix, or for 'features-solve' its n inputs. */
export interface ItemInput {
  data: Float64Array;
  m: number;
  n: number;
}

/** The item's matrix as weft takes it. */
export const matrixOf = ({ data, m, n }: ItemInput): { data: Float64Array; shape: number[] } => ({ data, shape: [m, n] });

export const ITEM_WORK: Record<ItemOp, { sync(item: ItemInput): unknown; async(item: ItemInput): Promise<unknown> }> = {
  matmul: { sync: (i) => linalg.matmul(matrixOf(i), matrixOf(i)), async: (i) => linalg.matmulAsync(matrixOf(i), matrixOf(i)) },
  qr: { sync: (i) => linalg.qr(matrixOf(i)), async: (i) => linalg.qrAsync(matrixOf(i)) },
  eig: { sync: (i) => linalg.eig(matrixOf(i)), async: (i) => linalg.eigAsync(matrixOf(i)) },
  // The seed's example as a user writes it: QR, then R·Q.
  'qr-rq': {
    sync(i) {
      const { Q, R } = linalg.qr(matrixOf(i));
      return linalg.matmul(R, Q);
    },
    async async(i) {
      const { Q, R } = await linalg.qrAsync(matrixOf(i));
      return linalg.matmulAsync(R, Q);
    },
  },
  'features-solve': { sync: (i) => featuresSolve(i.data), async: (i) => featuresSolveAsync(i.data) },
};
