/**
 * The shapes threading.info() and threading.threadStats() report: types
 * only, apart from threading.ts, so that the native binding's type can name
 * them without importing the module that uses the binding.
 *
 * @module
 */
import type { MklSource } from './internal/find-mkl.js';

/** MKL's threading layers, as `MKL_THREADING_LAYER` names them (lower-cased). */
export type ThreadingLayer = 'tbb' | 'intel' | 'gnu' | 'sequential';

/** One threading setting in force, and where it came from (`threading.info().settings`). */
export interface Setting<V, S extends string> {
  /** The setting. */
  value: V;
  /** The environment variable that set it, `'setMaxThreads'`, or `'default'`. */
  source: S;
}

/** What `threading.info()` reports. */
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
     * own) or `'sequential'`. Chosen by `WEFT_THREADING_LAYER` or
     * `MKL_THREADING_LAYER` when set.
     */
    threadingLayer: ThreadingLayer;
    /** The layer weft asked MKL for; differs from `threadingLayer` only if another library initialised MKL first. */
    requestedThreadingLayer: ThreadingLayer;
    /** Where the request came from. */
    threadingLayerSource: 'default' | 'MKL_THREADING_LAYER' | 'WEFT_THREADING_LAYER';
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
    /** oneTBB's process-wide thread limit (the arena's threads + 1, see docs/ARCHITECTURE.md). */
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
     * `threading.setMaxThreads()`, so two copies can together run twice the
     * threads there are cores: weft warns (`WEFT_DUPLICATE`) when it
     * finds more than one; `npm dedupe` leaves one.
     */
    copies: string[];
  };
  /** The process-wide arena every weft task runs in. */
  arena: {
    /** Slots in the shared arena: the most threads that run weft or MKL work at once (see `threading.setMaxThreads()`). */
    threads: number;
    /** The arena's size at start: the CPUs oneTBB sees. */
    defaultThreads: number;
    /** Threads inside weft's arenas right now. */
    activeThreads: number;
    /**
     * Slots of `threads` held now by worker-pool JavaScript: a Pool's worker
     * running an item's JS holds one, so JS threads and arena threads
     * together stay within `threads` (see docs/ARCHITECTURE.md, "A worker item").
     */
    jsThreads: number;
  };
  /**
   * Each threading setting in force and where it came from (the README's
   * "Threading from the environment" lists the variables).
   */
  settings: {
    /**
     * The shared arena's size (`arena.threads`): `'default'` (the CPUs),
     * `'WEFT_NUM_THREADS'` (read at weft's first load in the process) or
     * `'setMaxThreads'` (the latest call of `threading.setMaxThreads()`).
     */
    threads: Setting<number, 'default' | 'WEFT_NUM_THREADS' | 'setMaxThreads'>;
    /**
     * The most inner threads one call's work uses (MKL's parallel regions
     * and a batch's items): `MKL_NUM_THREADS` when set (weft applies it
     * under the TBB layer, where MKL ignores it; an async call's `threads`
     * option overrides it), else `null`: no cap beyond the arena's size.
     */
    mklThreads: Setting<number | null, 'MKL_NUM_THREADS' | 'default'>;
    /** The layer MKL runs (`mkl.threadingLayer`) and the variable that asked for it. */
    threadingLayer: Setting<ThreadingLayer, 'default' | 'MKL_THREADING_LAYER' | 'WEFT_THREADING_LAYER'>;
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

/** Threads seen inside the shared arena, from a TBB `task_scheduler_observer`. */
export interface ThreadStats {
  /** Threads inside the arena right now. */
  active: number;
  /**
   * Most threads inside weft's arenas at once since the last reset: an upper
   * bound on the threads that ran weft work at once. At most
   * `info().arena.threads` for async work and Pools; a sync call adds
   * its own JS thread, which was blocked in the call anyway (it runs at
   * once on that thread rather than waiting behind queued async work, and
   * takes arena workers for MKL's parallelism only while they are idle).
   */
  peak: number;
  /** OS thread ids (Linux `gettid`) of every thread that entered the arena since the last reset. */
  threadIds: number[];
}
