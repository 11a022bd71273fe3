/**
 * A worker of the demo's baseline pool: calls weft's ops *directly* on its
 * own thread, outside weft's arena, as a binding without one would; with
 * MKL_THREADING_LAYER=INTEL each call starts an OpenMP team of its own.
 *
 * @internal
 * @module
 */
import { parentPort } from 'node:worker_threads';
import { native } from '../../internal/native.js';
import { ITEM_WORK } from './item-work.js';
import type { ItemOp } from './workloads.js';

/** One item of a stage: its op and its m×n matrix (n-vector for 'features-solve'). */
interface ItemData {
  op: ItemOp;
  m: number;
  n: number;
  buffer: SharedArrayBuffer;
}

/** The current workload's items, per stage: each workload sends its own. */
let stages: ItemData[][] = [];
// This process runs the baseline and nothing else (run-mode.ts).
native.setDirectCalls(true);

parentPort!.on('message', (message: { stages: ItemData[][] } | { stage: number; index: number }) => {
  if ('stages' in message) {
    stages = message.stages;
    parentPort!.postMessage({ ready: true });
    return;
  }
  const { stage, index } = message;
  try {
    const { op, m, n, buffer } = stages[stage]![index]!;
    ITEM_WORK[op].sync({ data: new Float64Array(buffer), m, n });
    parentPort!.postMessage({ stage, index });
  } catch (err) {
    parentPort!.postMessage({ error: (err as Error).message });
  }
});
parentPort!.postMessage({ ready: true });
