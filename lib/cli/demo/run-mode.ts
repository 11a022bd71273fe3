/**
 * One demo mode in its own process (the MKL threading layer is fixed per
 * process): runs every workload, times it, counts the threads that did the
 * work, and prints the result as JSON on stdout (progress on stderr).
 *
 * @internal
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { Pool, linalg, threading } from '../../index.js';
import type { PoolMode } from '../../index.js';
import { fillMatrix, stageItems, workloads } from './workloads.js';
import type { DemoMode, Workload } from './workloads.js';

export interface WorkloadResult {
  runsMs: number[];
  medianMs: number;
  /** Most OS threads the process had at once during the timed runs. */
  peakOsThreads: number;
  /** Threads that burned CPU (≥ 20 ms) during the timed runs. */
  busyThreads: number;
  /** weft modes: most threads inside weft's arenas at once. */
  peakArenaThreads?: number;
}

export interface ModeResult {
  mode: DemoMode;
  threadingLayer: string;
  cpus: number;
  workloads: Record<string, WorkloadResult>;
}

function threadCpuTicks(): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(tid, Number(fields[11]) + Number(fields[12]));
    } catch {
      // the thread ended between readdir and read
    }
  }
  return ticks;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** One item of a stage: its op and its m×n matrix. */
interface Item {
  op: 'qr' | 'eig' | 'matmul';
  m: number;
  n: number;
  data: Float64Array;
}

/** The matrices of each stage, shared memory so the baseline's workers read them in place. */
function inputs(workload: Workload): Item[][] {
  return workload.stages.map((step, s) =>
    stageItems(step).map(({ op, m, n }, i) => {
      const data = new Float64Array(new SharedArrayBuffer(m * n * 8));
      fillMatrix(data, 1000 * s + i);
      return { op, m, n, data };
    }),
  );
}

interface Runner {
  run(): Promise<void>;
  close(): Promise<void>;
}

const view = (item: Item): { data: Float64Array; shape: number[] } => ({ data: item.data, shape: [item.m, item.n] });

/** weft's Pool modes: one Pool of the workload's width; each stage is one map. */
function poolRunner(mode: PoolMode, workload: Workload, data: Item[][]): Runner {
  const pool = new Pool({ concurrency: workload.width, mode });
  const stageRun = async (items: Item[]): Promise<void> => {
    const views = items.map(view);
    if (items[0]!.op === 'matmul') await pool.starmap(linalg.matmul, views.map((v) => [v, v]));
    else await pool.map(items[0]!.op === 'qr' ? linalg.qr : linalg.eig, views);
  };
  return {
    async run() {
      for (let r = 0; r < workload.repeat; r++) {
        for (const items of data) await stageRun(items);
      }
    },
    close: () => pool.close(),
  };
}

/** No Pool: each stage is `Promise.all` over the ops' async calls, all started at once. */
function promiseAllRunner(workload: Workload, data: Item[][]): Runner {
  const call = (item: Item): Promise<unknown> => {
    const v = view(item);
    return item.op === 'matmul' ? linalg.matmulAsync(v, v) : item.op === 'qr' ? linalg.qrAsync(v) : linalg.eigAsync(v);
  };
  return {
    async run() {
      for (let r = 0; r < workload.repeat; r++) {
        for (const items of data) await Promise.all(items.map(call));
      }
    },
    close: async () => {},
  };
}

/**
 * The baseline: a pool of worker_threads, each calling MKL (OpenMP layer)
 * directly on its own thread — what a Node user gets from a worker pool and
 * an OpenMP BLAS binding. Every MKL call starts an OpenMP team of its own.
 */
async function workerRunner(workload: Workload, data: Item[][]): Promise<Runner> {
  const url = new URL('./baseline-worker.js', import.meta.url);
  const stages = data.map((items) => items.map(({ op, m, n, data: d }) => ({ op, m, n, buffer: d.buffer })));
  const workers = Array.from({ length: workload.width }, () => new Worker(url, { workerData: { stages } }));
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve)))); // loaded
  const runStage = (s: number): Promise<void> =>
    new Promise((resolve, reject) => {
      let next = 0;
      let done = 0;
      const count = data[s]!.length;
      const give = (worker: Worker): void => {
        if (next >= count) return;
        worker.postMessage({ stage: s, index: next++ });
      };
      const onMessage = (worker: Worker) => (message: { error?: string }): void => {
        if (message.error) {
          reject(new Error(message.error));
          return;
        }
        done += 1;
        if (done === count) {
          workers.forEach((w) => w.removeAllListeners('message'));
          resolve();
        } else {
          give(worker);
        }
      };
      workers.forEach((w) => w.on('message', onMessage(w)));
      workers.forEach(give);
    });
  return {
    async run() {
      for (let r = 0; r < workload.repeat; r++) {
        for (let s = 0; s < data.length; s++) await runStage(s);
      }
    },
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

export async function runMode(
  mode: DemoMode,
  scale: number | 'quick',
  reps: number,
  only: readonly string[],
  progress: (line: string) => void,
): Promise<ModeResult> {
  const info = threading.info();
  const result: ModeResult = { mode, threadingLayer: info.mkl.threadingLayer, cpus: info.cpus, workloads: {} };
  for (const workload of workloads(scale, only)) {
    const data = inputs(workload);
    const runner =
      mode === 'default'
        ? await workerRunner(workload, data)
        : mode === 'promise-all'
          ? promiseAllRunner(workload, data)
          : poolRunner(mode === 'sequential' ? 'composable' : mode, workload, data);
    await runner.run(); // warm-up: MKL's buffers, TBB's and OpenMP's threads
    threading.resetThreadStats();
    let peakOsThreads = readdirSync('/proc/self/task').length;
    const sampler = setInterval(() => (peakOsThreads = Math.max(peakOsThreads, readdirSync('/proc/self/task').length)), 2);
    const before = threadCpuTicks();
    const runsMs: number[] = [];
    for (let r = 0; r < reps; r++) {
      const started = performance.now();
      await runner.run();
      runsMs.push(performance.now() - started);
    }
    clearInterval(sampler);
    const after = threadCpuTicks();
    let busyThreads = 0;
    for (const [tid, ticks] of after) if (ticks - (before.get(tid) ?? 0) >= 2) busyThreads += 1;
    await runner.close();
    const entry: WorkloadResult = { runsMs, medianMs: median(runsMs), peakOsThreads, busyThreads };
    if (mode !== 'default') entry.peakArenaThreads = threading.threadStats().peak;
    result.workloads[workload.id] = entry;
    progress(`${mode.padEnd(12)} ${workload.id.padEnd(15)} ${entry.medianMs.toFixed(0).padStart(6)} ms   ${busyThreads} busy threads`);
  }
  return result;
}
