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
import type { MklSource } from './internal/find-mkl.js';

/** MKL's threading layers, as `MKL_THREADING_LAYER` names them (lower-cased). */
export type ThreadingLayer = 'tbb' | 'intel' | 'gnu' | 'sequential';

/** What {@link info} reports. */
export interface ThreadingInfo {
  /** The loaded oneMKL. */
  mkl: {
    /** oneMKL release, e.g. `'2026.2.0'`. */
    version: string;
    /** MKL's own version banner. */
    versionString: string;
    /** MKL build date, e.g. `'20260915'`. */
    build: string;
    /** The instruction set MKL dispatched to on this CPU. */
    codePath: string;
    /**
     * The layer MKL runs its parallel regions with: `'tbb'` (weft's default:
     * inside weft's arena), `'intel'` or `'gnu'` (OpenMP thread pools of their
     * own) or `'sequential'`. Chosen by `MKL_THREADING_LAYER` when set.
     */
    threadingLayer: ThreadingLayer;
    /** The layer weft asked MKL for; differs from `threadingLayer` only if another library initialised MKL first. */
    requestedThreadingLayer: ThreadingLayer;
    /** Where the request came from. */
    threadingLayerSource: 'default' | 'MKL_THREADING_LAYER';
    /** Path of the loaded layer library (`libmkl_tbb_thread.so.3`, ...). */
    layerLibrary: string;
    /** MKL's integer interface: weft calls the 32-bit (LP64) one. */
    interfaceLayer: 'lp64';
    /** Path of the loaded `libmkl_rt`. */
    path: string;
    /**
     * Where weft found it, first match of: `'WEFT_MKL_DIR'`, `'MKLROOT'`,
     * `'conda'` (`$CONDA_PREFIX`), `'python'` (an environment with the `mkl`
     * wheel), `'package'` (weft's own `.deps`, filled by `npm install`),
     * `'user-cache'` (`npx weft install-mkl`), `'system'` (see the README).
     */
    source: MklSource;
  };
  /** The loaded oneTBB, shared by weft and MKL. */
  tbb: {
    /** oneTBB runtime release, e.g. `'2023.2.0'`. */
    version: string;
    /** Runtime interface version, e.g. `12200`. */
    interfaceVersion: number;
    /** Interface version weft was compiled against (the runtime must be at least this). */
    builtInterfaceVersion: number;
    /** Path of the loaded `libtbb.so.12`, shared by weft and MKL. */
    path: string;
    /**
     * oneTBB runtime files mapped into the process (`libtbb.so*` and
     * `libtbb_debug.so*`): 1 when weft and MKL share one (weft refuses to
     * load otherwise).
     */
    loadedCopies: number;
    /** oneTBB's process-wide thread limit (arena concurrency + 1, see docs/ARCHITECTURE.md). */
    maxAllowedParallelism: number;
    /** CPUs oneTBB sees (affinity mask respected). */
    defaultConcurrency: number;
  };
  /**
   * glibc malloc thresholds for the memory sync results live in. weft raises
   * them once at load, so that repeated results reuse heap memory instead of
   * fresh pages from mmap (measured: 126 page faults per sync 256×256 matmul,
   * 380 µs instead of 235 µs); see docs/ARCHITECTURE.md.
   */
  malloc: {
    /**
     * `'weft'`: set by weft at load; `'environment'`: the process set its own
     * threshold (`MALLOC_MMAP_THRESHOLD_`, `MALLOC_TRIM_THRESHOLD_` or
     * `GLIBC_TUNABLES`), left alone; `'off'`: `WEFT_MALLOC_TUNING=off`;
     * `'unsupported'`: not glibc.
     */
    tunedBy: 'weft' | 'environment' | 'off' | 'unsupported';
    /** Bytes from which malloc uses mmap, when weft set it, else `null`. */
    mmapThreshold: number | null;
    /** Free bytes at the heap's top that malloc keeps before returning them, when weft set it, else `null`. */
    trimThreshold: number | null;
  };
  /** weft's native addon. */
  addon: {
    /** The `weft.node` this package loaded. */
    path: string;
    /**
     * Every copy of weft's addon in the process (two installs of weft, e.g.
     * a nested `node_modules`). Each copy runs its own arena and its own
     * {@link setMaxConcurrency}, so two copies can together run twice the
     * threads there are cores: weft warns (`WEFT_DUPLICATE`) when it
     * finds more than one; `npm dedupe` leaves one.
     */
    copies: string[];
  };
  /** The process-wide arena every weft task runs in. */
  arena: {
    /** Slots in the shared arena: the most threads that run weft or MKL work at once (see {@link setMaxConcurrency}). */
    concurrency: number;
    /** The arena's size at start: the CPUs oneTBB sees. */
    defaultConcurrency: number;
    /** Threads inside weft's arenas right now. */
    activeThreads: number;
  };
  /** Pools in this JS environment (worker_threads have their own, on the same arena). */
  pools: {
    /** Pools not yet garbage-collected. */
    live: number;
    /** Their items running now. */
    running: number;
    /** Their items waiting for a slot. */
    queued: number;
  };
  /** Logical CPUs available to this process (`os.availableParallelism()`). */
  cpus: number;
}

/**
 * Versions, paths and threading configuration of the running weft.
 *
 * @example
 * ```ts
 * import { threading } from 'weft';
 * const { mkl, arena } = threading.info();
 * console.log(mkl.version, mkl.threadingLayer, arena.concurrency); // '2026.2.0' 'tbb' 2
 * ```
 */
export function info(): ThreadingInfo {
  return { ...native.info(), pools: poolSummary(), cpus: availableParallelism() };
}

/**
 * Caps the threads that run weft work, process-wide and for every
 * worker_thread (like `python -m tbb -p n`): new work runs in an arena of `n`
 * slots and oneTBB starts no more workers than that; work already running
 * finishes where it is. Returns the previous cap. MKL's own thread settings
 * (`mkl_set_num_threads`, `MKL_NUM_THREADS`) have no effect under the TBB
 * layer; this is the control that does.
 *
 * @param n Threads, 1 to 4096; `threading.info().arena.defaultConcurrency` restores the default.
 * @throws TypeError when n is not an integer in range.
 *
 * @example
 * ```ts
 * import { threading } from 'weft';
 * const previous = threading.setMaxConcurrency(1); // weft now runs on one thread
 * threading.info().arena.concurrency;              // 1
 * threading.setMaxConcurrency(previous);
 * ```
 */
export function setMaxConcurrency(n: number): number {
  return native.setConcurrency(integer(1, MAX_THREADS)(n, 'threading.setMaxConcurrency', 'n'));
}

/** Threads seen inside the shared arena, from a TBB `task_scheduler_observer`. */
export interface ThreadStats {
  /** Threads inside the arena right now. */
  active: number;
  /**
   * Most threads inside weft's arenas at once since the last reset: an upper
   * bound on the threads that ran weft work at once. At most
   * `info().arena.concurrency` for async work and Pools; a sync call adds
   * its own JS thread, which was blocked in the call anyway (it runs at
   * once on that thread rather than waiting behind queued async work, and
   * takes arena workers for MKL's parallelism only while they are idle).
   */
  peak: number;
  /** OS thread ids (Linux `gettid`) of every thread that entered the arena since the last reset. */
  threadIds: number[];
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
 * peak <= threading.info().arena.concurrency; // true
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
