/**
 * What runs weft's work: the oneMKL and oneTBB that are loaded, MKL's
 * threading layer, and the one process-wide TBB arena that every sync call,
 * async call and worker_thread shares with MKL's own parallel regions.
 *
 * @module
 */
import { availableParallelism } from 'node:os';
import { MAX_THREADS, integer } from './internal/options.js';
import { native } from './internal/native.js';
import { poolSummary } from './pool.js';
import type { ThreadingInfo, ThreadStats } from './threading-info.js';

export type { ThreadingInfo, ThreadingLayer, ThreadStats } from './threading-info.js';

/**
 * Versions, paths and threading configuration of the running weft, with
 * where each threading setting came from (`settings`: the environment's
 * `WEFT_NUM_THREADS`, `MKL_NUM_THREADS`, `WEFT_THREADING_LAYER` or
 * `MKL_THREADING_LAYER`, `setMaxThreads()`, or the default).
 *
 * @example
 * ```ts
 * import { threading } from 'weft';
 * const { mkl, arena, settings } = threading.info();
 * console.log(mkl.version, mkl.threadingLayer, arena.threads); // '2026.2.0' 'tbb' 2
 * settings.threads.source;    // 'default', or 'WEFT_NUM_THREADS' / 'setMaxThreads'
 * settings.mklThreads.value;  // null: no cap on a call's inner threads (MKL_NUM_THREADS sets one)
 * ```
 */
export function info(): ThreadingInfo {
  return { ...native.info(), pools: poolSummary(), cpus: availableParallelism() };
}

/**
 * Caps the threads that run weft work, process-wide and for every
 * worker_thread (like `python -m tbb -p n`): new work runs in an arena of `n`
 * slots and oneTBB starts no more workers than that; work already running
 * finishes where it is. Returns the previous cap. The environment sets it
 * at load with `WEFT_NUM_THREADS`; `info().settings.threads` says which
 * set it last. (`mkl_set_num_threads` has no effect under the TBB layer;
 * `MKL_NUM_THREADS`, which MKL ignores there too, weft applies as the cap
 * on each call's inner threads: see the README, "Threading from the
 * environment".)
 *
 * @param n Threads, 1 to 4096; `threading.info().arena.defaultThreads` restores the default.
 * @throws TypeError when n is not an integer in range.
 *
 * @example
 * ```ts
 * import { threading } from 'weft';
 * const previous = threading.setMaxThreads(1); // weft now runs on one thread
 * threading.info().arena.threads;              // 1
 * threading.setMaxThreads(previous);
 * ```
 */
export function setMaxThreads(n: number): number {
  return native.setMaxThreads(integer(1, MAX_THREADS)(n, 'threading.setMaxThreads', 'n'));
}

/**
 * Which threads have run weft work (including MKL's parallel regions under
 * the TBB layer) since the last {@link resetThreadStats}. This is how weft's
 * tests prove that concurrent calls do not oversubscribe the CPU; use it the
 * same way in your own.
 *
 * @example
 * ```ts
 * import { linalg, threading } from 'weft';
 * threading.resetThreadStats();
 * const big = { data: new Float64Array(1024 * 1024).fill(1), shape: [1024, 1024] };
 * await Promise.all(Array.from({ length: 8 }, () => linalg.matmulAsync(big, big)));
 * const { peak, threadIds } = threading.threadStats();
 * peak <= threading.info().arena.threads; // true
 * ```
 */
export function threadStats(): ThreadStats {
  return native.threadStats();
}

/**
 * Starts a new observation window for {@link threadStats}: forgets the
 * threads seen so far (threads inside the arena right now still count).
 *
 * @example
 * ```ts
 * import { threading } from 'weft';
 * threading.resetThreadStats();
 * threading.threadStats().threadIds.length; // 0 while nothing runs
 * ```
 */
export function resetThreadStats(): void {
  native.resetThreadStats();
}
