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

interface StageData {
  op: 'qr' | 'eig' | 'matmul';
  n: number;
  buffers: SharedArrayBuffer[];
}

const { stages } = workerData as { stages: StageData[] };
// This process runs the baseline and nothing else (run-mode.ts).
native.setDirectCalls(true);

parentPort!.on('message', ({ stage, index }: { stage: number; index: number }) => {
  try {
    const { op, n, buffers } = stages[stage]!;
    const a = { data: new Float64Array(buffers[index]!), shape: [n, n] };
    if (op === 'matmul') linalg.matmul(a, a);
    else if (op === 'qr') linalg.qr(a);
    else linalg.eig(a);
    parentPort!.postMessage({ stage, index });
  } catch (err) {
    parentPort!.postMessage({ error: (err as Error).message });
  }
});
parentPort!.postMessage({ ready: true });
