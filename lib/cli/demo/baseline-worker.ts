/**
 * A worker of the demo's baseline pool: calls weft's ops *directly* on its
 * own thread, outside weft's arena, as a binding without one would; with
 * MKL_THREADING_LAYER=INTEL each call starts an OpenMP team of its own.
 *
 * @internal
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { linalg } from '../../index.js';
import { native } from '../../internal/native.js';

/** One item of a stage: its op and its m×n matrix. */
interface ItemData {
  op: 'qr' | 'eig' | 'matmul';
  m: number;
  n: number;
  buffer: SharedArrayBuffer;
}

const { stages } = workerData as { stages: ItemData[][] };
// This process runs the baseline and nothing else (run-mode.ts).
native.setDirectCalls(true);

parentPort!.on('message', ({ stage, index }: { stage: number; index: number }) => {
  try {
    const { op, m, n, buffer } = stages[stage]![index]!;
    const a = { data: new Float64Array(buffer), shape: [m, n] };
    if (op === 'matmul') linalg.matmul(a, a);
    else if (op === 'qr') linalg.qr(a);
    else linalg.eig(a);
    parentPort!.postMessage({ stage, index });
  } catch (err) {
    parentPort!.postMessage({ error: (err as Error).message });
  }
});
parentPort!.postMessage({ ready: true });
