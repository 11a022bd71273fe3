/**
 * A worker of the demo's baseline pool: calls weft's ops *directly* on its
 * own thread, outside weft's arena, as a binding without one would; with
 * MKL_THREADING_LAYER=INTEL each call starts an OpenMP team of its own.
 *
 * @internal
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { withContext } from '../dispatch.js';
import { linalg } from '../index.js';

interface StageData {
  op: 'qr' | 'eig' | 'matmul';
  n: number;
  buffers: SharedArrayBuffer[];
}

const { stages } = workerData as { stages: StageData[] };

parentPort!.on('message', ({ stage, index }: { stage: number; index: number }) => {
  try {
    const { op, n, buffers } = stages[stage]!;
    const a = { data: new Float64Array(buffers[index]!), shape: [n, n] };
    withContext({ direct: true }, () => (op === 'matmul' ? linalg.matmul(a, a) : op === 'qr' ? linalg.qr(a) : linalg.eig(a)));
    parentPort!.postMessage({ stage, index });
  } catch (err) {
    parentPort!.postMessage({ error: (err as Error).message });
  }
});
parentPort!.postMessage({ ready: true });
