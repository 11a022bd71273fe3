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
import { ITEM_WORK, matrixOf } from './item-work.js';
import type { ItemInput } from './item-work.js';
import { fillMatrix, isBaseline, stageItems, workloads } from './workloads.js';
import type { DemoMode, ItemOp, Workload } from './workloads.js';

/**
 * A progress line that starts with this marks the timed runs of a workload
 * (`<mark> start <id>` / `<mark> stop <id>`): the parent samples this
 * process's threads between the two (index.ts), from outside, so the
 * sampling costs this process nothing.
 */
export const SAMPLE_MARK = '@weft-demo-sample';

export interface WorkloadResult {
  runsMs: number[];
  medianMs: number;
  /** Most OS threads the process had at once during the timed runs. */
  peakOsThreads: number;
  /** Threads that burned CPU (≥ 20 ms) during the timed runs. */
  busyThreads: number;
  /** weft modes: most threads inside weft's arenas at once. */
  peakArenaThreads?: number;
  /**
   * Most threads burning CPU at once: threads that ran ≥ 50 % of a ~20 ms
   * window, counted per window by the parent's sampler (burning.ts).
   */
  peakBurning?: number;
  /** Most threads that ran or waited runnable ≥ 50 % of one window: those that wanted a CPU (burning.ts). */
  peakWanting?: number;
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

/** One item of a stage: its op and its input. */
interface Item extends ItemInput {
  op: ItemOp;
}

/** The inputs of each stage, shared memory so workers (the baseline's, a worker Pool's) read them in place. */
function inputs(workload: Workload): Item[][] {
  return workload.stages.map((step, s) =>
    stageItems(step).map(({ op, m, n }, i) => {
      const data = new Float64Array(new SharedArrayBuffer((op === 'features-solve' ? n : m * n) * 8));
      fillMatrix(data, 1000 * s + i);
      return { op, m, n, data };
    }),
  );
}

interface Runner {
  run(): Promise<void>;
  close(): Promise<void>;
}

const MIXED_TASK = new URL('./mixed-task.js', import.meta.url);

/**
 * weft's Pool modes: one Pool of the workload's width; each stage is one
 * map — of a weft op, of the async pipeline, or (features-solve) of a
 * worker-backed Pool's module, whose JS holds a slot of weft's threads.
 */
function poolRunner(mode: PoolMode, workload: Workload, data: Item[][]): Runner {
  if (data[0]![0]!.op === 'features-solve') {
    const workers = new Pool({ worker: MIXED_TASK, concurrency: workload.width, mode });
    return {
      async run() {
        for (let r = 0; r < workload.repeat; r++) {
          for (const items of data) await workers.map(items.map((item) => item.data));
        }
      },
      close: () => workers.close(),
    };
  }
  const pool = new Pool({ concurrency: workload.width, mode });
  const stageRun = async (items: Item[]): Promise<void> => {
    const op = items[0]!.op;
    const views = items.map(matrixOf);
    if (op === 'matmul') await pool.starmap(linalg.matmul, views.map((v) => [v, v]));
    else if (op === 'qr-rq') await pool.map(ITEM_WORK['qr-rq'].async, items);
    else await pool.map(op === 'qr' ? linalg.qr : linalg.eig, views);
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

/**
 * No Pool: each stage is `Promise.all` over the items' async calls or
 * pipelines, all started at once (features-solve: each item's JS runs on
 * the main thread as it starts, then its solveAsync).
 */
function promiseAllRunner(workload: Workload, data: Item[][]): Runner {
  return {
    async run() {
      for (let r = 0; r < workload.repeat; r++) {
        for (const items of data) await Promise.all(items.map((item) => ITEM_WORK[item.op].async(item)));
      }
    },
    close: async () => {},
  };
}

/**
 * The baselines: a pool of worker_threads, each calling MKL (OpenMP layer)
 * directly on its own thread — what a Node user gets from a worker pool and
 * an OpenMP BLAS binding. Every MKL call starts an OpenMP team of its own
 * ('default'), or of one thread ('workers-1': MKL_NUM_THREADS=1, set by
 * the parent). The items are sync calls: an op, QR then R·Q, or the JS
 * then the solve.
 */
async function workerRunner(workload: Workload, data: Item[][], crew: Worker[]): Promise<Runner> {
  const url = new URL('./baseline-worker.js', import.meta.url);
  const stages = data.map((items) => items.map(({ op, m, n, data: d }) => ({ op, m, n, buffer: d.buffer })));
  const loaded = (w: Worker): Promise<unknown> => new Promise((resolve) => w.once('message', resolve));
  // The crew outlives a workload (loading weft in a worker costs more than
  // the quick demo's runs): grown to this one's width, told its inputs.
  while (crew.length < workload.width) {
    const worker = new Worker(url);
    await loaded(worker);
    crew.push(worker);
  }
  const workers = crew.slice(0, workload.width);
  await Promise.all(
    workers.map((w) => {
      const told = loaded(w);
      w.postMessage({ stages });
      return told;
    }),
  );
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
    close: async () => {},
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
  const baseline = isBaseline(mode);
  const crew: Worker[] = [];
  for (const workload of workloads(scale, only)) {
    const data = inputs(workload);
    const runner = baseline
      ? await workerRunner(workload, data, crew)
      : mode === 'promise-all'
        ? promiseAllRunner(workload, data)
        : poolRunner(mode === 'sequential' ? 'composable' : mode, workload, data);
    await runner.run(); // warm-up: MKL's buffers, TBB's and OpenMP's threads
    threading.resetThreadStats();
    let peakOsThreads = readdirSync('/proc/self/task').length;
    const sampler = setInterval(() => (peakOsThreads = Math.max(peakOsThreads, readdirSync('/proc/self/task').length)), 2);
    const before = threadCpuTicks();
    progress(`${SAMPLE_MARK} start ${workload.id}`);
    const runsMs: number[] = [];
    for (let r = 0; r < reps; r++) {
      const started = performance.now();
      await runner.run();
      runsMs.push(performance.now() - started);
    }
    progress(`${SAMPLE_MARK} stop ${workload.id}`);
    clearInterval(sampler);
    const after = threadCpuTicks();
    let busyThreads = 0;
    for (const [tid, ticks] of after) if (ticks - (before.get(tid) ?? 0) >= 2) busyThreads += 1;
    await runner.close();
    const entry: WorkloadResult = { runsMs, medianMs: median(runsMs), peakOsThreads, busyThreads };
    if (!baseline) entry.peakArenaThreads = threading.threadStats().peak;
    result.workloads[workload.id] = entry;
    progress(`${mode.padEnd(12)} ${workload.id.padEnd(15)} ${entry.medianMs.toFixed(0).padStart(6)} ms   ${busyThreads} busy threads`);
  }
  await Promise.all(crew.map((w) => w.terminate()));
  return result;
}
