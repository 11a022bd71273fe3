/**
 * A Pool runs many weft operations at once — `pool.map(linalg.qr, mats)` —
 * or many items of your own pipeline — `pool.map(async (m) => ..., mats)` —
 * on the one shared arena, so the pool's outer concurrency and MKL's inner
 * parallelism share the same threads instead of multiplying.
 *
 * @module
 */
import { typeError } from './errors.js';
import { currentItem, withContext, withItemContext } from './internal/dispatch.js';
import { MAX_POOL_ITEMS, abortSignal, flag, integer, oneOf, readOptions } from './internal/options.js';
import type { OptionReader } from './internal/options.js';
import { native } from './internal/native.js';
import { lookupOp } from './internal/registry.js';
import { WorkerSet } from './internal/workers.js';
import type { PoolHandle } from './internal/native.js';

/**
 * How a Pool's items share the threads:
 * - `'composable'` (default): items and MKL's nested work in one arena,
 *   balanced dynamically — idle threads help whichever item has work;
 * - `'static'`: each item limited to ⌊arena threads / concurrency⌋
 *   threads, counted as the item starts (a nested arena per item), like
 *   `python -m smp`;
 * - `'serial-inner'`: each item runs MKL single-threaded, the habit of
 *   `OMP_NUM_THREADS=1` under a thread pool.
 */
export type PoolMode = 'composable' | 'static' | 'serial-inner';

/** Options of {@link Pool}. */
export interface PoolOptions {
  /** Items running at once. Default: the arena's threads (the core count). */
  concurrency?: number;
  /** How items share threads; default `'composable'`. */
  mode?: PoolMode;
  /**
   * Items that may wait behind the running ones. `pool.run` rejects beyond
   * it; `map`/`starmap`/`imap` feed items as room frees up. Default
   * `'auto'`: concurrency² (at least 16).
   */
  maxQueue?: number | 'auto';
  /**
   * A module whose default export runs each item on worker_threads —
   * `new URL('./task.mjs', import.meta.url)`, a `file:` URL string or an
   * absolute path — for items with real JavaScript work of their own. The
   * pool starts up to `concurrency` workers as items need them. While a
   * worker runs an item's JavaScript it holds one of weft's threads (the
   * arena's), so JS work and MKL work together stay within the thread
   * budget. `pool.map(items)`, `pool.run(item)`, `pool.imap(items)` and
   * `pool.starmap(argLists)` send items there; `pool.map(fn, items)` still
   * runs weft operations and functions on this thread.
   */
  worker?: URL | string;
  /** With `worker`: the value each worker sees as `workerData` (node:worker_threads), cloned. */
  workerData?: unknown;
}

/** Options of a worker-backed Pool's `map`, `imap`, `starmap` and `run` (see {@link PoolOptions.worker}). */
export interface WorkerItemOptions {
  /** Aborts the items: those not started never run; a running one's worker is terminated (and replaced). */
  signal?: AbortSignal;
  /**
   * Transfer the ArrayBuffers of the items' typed arrays and NDArrays to the
   * workers instead of copying them (the caller's arrays become detached).
   * SharedArrayBuffer-backed arrays are always shared. Default false.
   */
  transfer?: boolean;
}

/** What {@link Pool.stats} reports. */
export interface PoolStats {
  /** Items handed to the pool. */
  submitted: number;
  /** Items that finished with a result. */
  completed: number;
  /** Items that failed (their Promise rejected with an error other than abort). */
  failed: number;
  /** Items skipped or stopped by an abort (a signal, or a failing sibling in `map`). */
  cancelled: number;
  /** Items waiting for a free slot. */
  queued: number;
  /** Items running now. */
  running: number;
  /** Summed run time of the finished items, in milliseconds. */
  busyMs: number;
  /**
   * The most threads inside weft's arenas at any moment while this pool's
   * items ran — an upper bound on the threads that ran its work: the
   * arena's threads, plus any JS thread inside a sync call meanwhile.
   */
  peakThreads: number;
}

/** A weft operation, as `pool.map` and friends accept it: `linalg.qr`, `linalg.svdAsync`, `random.normal`, .... */
export type Operation = (...args: never[]) => unknown;

/**
 * What calling op `F` with arguments `Args` gives, awaited: the first of
 * its overloads (up to four) that takes `Args`, so that
 * `pool.map(linalg.qr, mats, { args: [{ mode: 'r' }] })` is typed as qr's
 * `{ mode: 'r' }` overload returns; `never` when none does.
 */
export type OpResult<F, Args extends readonly unknown[]> = F extends {
  (...args: infer A1): infer R1;
  (...args: infer A2): infer R2;
  (...args: infer A3): infer R3;
  (...args: infer A4): infer R4;
}
  ? Awaited<Args extends A1 ? R1 : Args extends A2 ? R2 : Args extends A3 ? R3 : Args extends A4 ? R4 : never>
  : never;

/** The first parameter of op `F`: what each item of `pool.map` is. */
export type OpItem<F extends Operation> = Parameters<F> extends [(infer A)?, ...unknown[]] ? A : never;

/** `Args` when op `F` takes an item followed by them, else `never` (which no `args` value fits: a type error at the call). */
type ArgsAfterItem<F extends Operation, Args extends readonly unknown[]> = [OpResult<F, [OpItem<F>, ...Args]>] extends [never] ? never : Args;

/** Pools not yet garbage-collected, for threading.info(). */
const livePools = new Set<WeakRef<Pool>>();

/** Live pools, and their running and queued items in total. @internal */
export function poolSummary(): { live: number; running: number; queued: number } {
  const summary = { live: 0, running: 0, queued: 0 };
  for (const ref of livePools) {
    const pool = ref.deref();
    if (!pool) {
      livePools.delete(ref);
      continue;
    }
    const stats = pool.stats();
    summary.live += 1;
    summary.running += stats.running;
    summary.queued += stats.queued;
  }
  return summary;
}

/**
 * The `pool.map` failure of one item: which one (`index`), and why (`cause`,
 * e.g. a LinAlgError). The items not yet started are skipped.
 *
 * @example
 * ```ts
 * import { Pool, PoolItemError, linalg } from 'weft';
 * const pool = new Pool();
 * try {
 *   await pool.map(linalg.inv, [[[1]], [[0]], [[2]]]);
 * } catch (err) {
 *   (err as PoolItemError).index; // 1
 * }
 * ```
 */
export class PoolItemError extends Error {
  /** Index of the failing item in the input. */
  readonly index: number;

  constructor(fn: string, index: number, cause: unknown) {
    super(`${fn}: item ${index} failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'PoolItemError';
    this.index = index;
  }
}

type AsyncOp = (...args: unknown[]) => Promise<unknown>;

/**
 * How an item runs: a weft operation's async twin, whose one native call
 * joins the pool's native queue (an op item), or a function of the user's,
 * which runs on the calling thread while its weft calls run on the arena
 * (a function item).
 */
type ItemRunner =
  | { op: AsyncOp; fn?: undefined; worker?: undefined }
  | { op?: undefined; fn: (...args: unknown[]) => unknown; worker?: undefined }
  | { op?: undefined; fn?: undefined; worker: { transfer: boolean } };

/** The runner of `op`: its async twin from the op registry (given either of its functions), or the function itself. */
function itemRunner(fn: string, op: unknown): ItemRunner {
  const twin = lookupOp(op)?.async;
  if (twin) return { op: twin };
  if (typeof op === 'function') return { fn: op as (...args: unknown[]) => unknown };
  throw typeError(fn, 'op', 'a weft operation such as linalg.qr, or a function', op);
}

/** A user function as `pool.map`, `imap` and `run` take it. */
export type ItemFunction<T, R> = (item: T, index: number) => R;

/**
 * Runs many items at once on the shared arena: at most `concurrency` at a
 * time, results in input order, a failing item reported with its index.
 * An item is either
 * - a weft operation on one input (`pool.map(linalg.qr, mats)`): every
 *   operation in `linalg` and `random` can be used, sync or async name
 *   (`linalg.qr` and `linalg.qrAsync` do the same here); waiting items sit in
 *   the pool's native queue and start as running ones finish, without a
 *   trip through JS; or
 * - a function of yours, typically an async pipeline of weft calls and JS
 *   glue (`pool.map(async (m) => ..., mats)`): it runs on the calling thread
 *   (JavaScript's one thread, like Python code under the GIL) and every weft
 *   call it makes — sync or async, directly or deeper — belongs to its item:
 *   the pool's `concurrency` bounds the items in flight, its `mode` applies
 *   to their native work, the map's `signal` aborts their pending calls and
 *   `stats()` counts items, not calls; or
 * - an item of a worker module's (`new Pool({ worker })`, then
 *   `pool.map(items)`): for real JavaScript work, the module's default
 *   export runs on worker_threads, and while it runs JavaScript it holds one
 *   of weft's threads, so JS and MKL together stay within the thread budget
 *   (see {@link PoolOptions.worker}).
 *
 * @example
 * ```ts
 * import { Pool, linalg, random } from 'weft';
 * const pool = new Pool({ concurrency: 10 });
 * const mats = Array.from({ length: 10 }, (_, i) => random.normal([256, 256], { seed: i }));
 * const results = await pool.map(linalg.qr, mats);           // 10 × { Q, R }
 * const rs = await pool.map(linalg.qr, mats, { args: [{ mode: 'r' }] });
 * rs[0].R.shape;                                              // [256, 256]
 * const xs = await pool.starmap(linalg.solve, [[[[2]], [4]], [[[4]], [4]]]);
 * xs.map((x) => x.item());                                    // [2, 1]
 * // An item of your own: a QR, then a product with R (the seed's example).
 * const rq = await pool.map(async (m) => {
 *   const { Q, R } = await linalg.qrAsync(m);
 *   return linalg.matmulAsync(R, Q);
 * }, mats);
 * rq[0].shape;                                                // [256, 256]
 * pool.stats().completed;                                     // 32 items
 * await pool.close();
 * ```
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { Pool, type NDArray } from 'weft';
 * // A worker module: JavaScript work (a matrix built in loops), then a solve.
 * const task = join(tmpdir(), `weft-task-${process.pid}.mjs`);
 * writeFileSync(task, `
 *   import { linalg } from 'weft';
 *   export default function item(seed, index) {
 *     const n = 64, a = new Float64Array(n * n);
 *     for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = Math.sin(seed * i + j) + (i === j ? n : 0);
 *     return linalg.solve({ data: a, shape: [n, n] }, new Float64Array(n).fill(index));
 *   }`);
 * const pool = new Pool({ worker: task, concurrency: 2 });
 * const xs = await pool.map<NDArray>([1, 2, 3]); // item(seed, index) on worker_threads
 * xs.length;                               // 3
 * xs[0].shape;                             // [64]
 * await pool.close();
 * ```
 */
export class Pool {
  /** Items running at once. */
  readonly concurrency: number;
  /** How items share threads. */
  readonly mode: PoolMode;
  /** Items that may wait behind the running ones. */
  readonly maxQueue: number;
  readonly #handle: PoolHandle;
  /** What a function item's weft calls carry: the pool's mode, no slot of their own. */
  readonly #member: PoolHandle;
  #closed = false;
  #inFlight = 0;
  #drained: (() => void)[] = [];
  /** The workers of a worker-backed pool (options.worker). */
  readonly #workers: WorkerSet | undefined;
  /** Function items waiting for a slot, in order. */
  #waiting: { resolve: () => void; reject: (reason: unknown) => void }[] = [];

  /**
   * @param options `{ concurrency, mode, maxQueue }`.
   * @throws TypeError for an option of the wrong type or value.
   */
  constructor(options: PoolOptions = {}) {
    const fn = 'new Pool';
    const cores = native.info().arena.threads;
    const opts = readOptions(fn, options, {
      concurrency: integer(1, MAX_POOL_ITEMS, cores),
      mode: oneOf(['composable', 'static', 'serial-inner'], 'composable'),
      maxQueue: (value, f, name) => (value === 'auto' ? undefined : integer(1, MAX_POOL_ITEMS, undefined)(value, f, name)),
      worker: (value) => value as URL | string | undefined,
      workerData: (value) => value,
    });
    this.concurrency = opts.concurrency;
    this.mode = opts.mode;
    this.maxQueue = opts.maxQueue ?? Math.max(16, this.concurrency ** 2);
    this.#handle = native.newPool(this.concurrency, this.mode);
    this.#member = native.poolMember(this.#handle);
    if (opts.worker === undefined && opts.workerData !== undefined) {
      throw new TypeError(`${fn}: options.workerData is for a worker-backed pool, but options.worker is not given`);
    }
    this.#workers = opts.worker === undefined ? undefined : new WorkerSet(fn, opts.worker, this.concurrency, { workerData: opts.workerData });
    livePools.add(new WeakRef(this));
  }

  /**
   * A composable pool weighs its op items (Pool::ItemThreads): announces
   * these items' weights before the first of them starts, so each item,
   * starting as soon as it is submitted, weighs all of them when it decides
   * whether to use nested threads (see docs/ARCHITECTURE.md). Returns the
   * weights, for #start; undefined for the other modes and for function
   * items (whose work is unknown before they run).
   */
  #announce(runner: ItemRunner, argLists: unknown[][]): number[] | undefined {
    if (!runner.op || this.mode !== 'composable' || argLists.length === 0) return undefined;
    const weights = argLists.map(itemWeight);
    native.poolExpect(this.#handle, sum(weights));
    return weights;
  }

  /**
   * Throws ERR_WEFT_POOL_CLOSED once close() was called: new work is
   * refused. Also refuses work from inside one of this pool's own function
   * items: it would wait for a slot while its caller holds one (with
   * concurrency 1, forever).
   */
  #refuse(fn: string): void {
    if (this.#closed) throw Object.assign(new Error(`${fn}: the pool is closed`), { code: 'ERR_WEFT_POOL_CLOSED' });
    if (currentItem().owner === this) {
      throw Object.assign(
        new Error(
          `${fn}: called from inside an item of the same pool, which would wait for a slot its own item holds; ` +
            'call the operations directly there, or use another Pool',
        ),
        { code: 'ERR_WEFT_POOL_REENTERED' },
      );
    }
  }

  /**
   * Counts a unit of work close() waits for: an item, or a whole map (whose
   * later items start after close() may have been called, and still run).
   * Returns the function that uncounts it.
   */
  #hold(): () => void {
    this.#inFlight += 1;
    return () => {
      this.#inFlight -= 1;
      if (this.#inFlight === 0) for (const resolve of this.#drained.splice(0)) resolve();
    };
  }

  /**
   * The item's native work: an aborted item rejects at once, but what it
   * had started inside MKL runs on, and the item stays counted (for close()
   * and the pool's capacity) until that ends. Returns the hook that sees
   * each native call, and `whenSettled`, which runs its callback once every
   * call seen so far has ended (at once if none is running).
   */
  static #nativeWork(): { onNativeWork: (work: Promise<unknown>) => void; whenSettled: (then: () => void) => void } {
    let unsettled = 0;
    let waiter: (() => void) | undefined;
    const onNativeWork = (work: Promise<unknown>): void => {
      unsettled += 1;
      const settled = (): void => {
        unsettled -= 1;
        if (unsettled === 0 && waiter) {
          const then = waiter;
          waiter = undefined;
          then();
        }
      };
      work.then(settled, settled);
    };
    const whenSettled = (then: () => void): void => {
      if (unsettled === 0) then();
      else waiter = then;
    };
    return { onNativeWork, whenSettled };
  }

  /**
   * Starts one item: `announced` is its weight, if #announce announced it
   * (op items); `signal` the map's, which aborts the item.
   */
  #start(runner: ItemRunner, args: unknown[], signal?: AbortSignal, announced?: number, index = 0): Promise<unknown> {
    const workers = this.#workers;
    const settled = runner.op
      ? this.#startOp(runner.op, args, signal, announced)
      : runner.fn
        ? this.#startFunction(runner.fn, args, signal)
        : // A worker item: a function item whose function hands it to a worker.
          this.#startFunction((...a) => workers!.run(a, index, signal, runner.worker.transfer), args, signal);
    // Any item that ends may free a slot for a function item waiting in JS.
    // Woken here, as the item settles, rather than where the slot is freed:
    // a map sees a failed item (these reactions run in order) and aborts
    // before a waiting item it would skip could start.
    settled.then(this.#wake, this.#wake);
    return settled;
  }

  /** An op item: the op's async twin with the pool's queue (and the map's signal) in effect for the call. */
  #startOp(op: AsyncOp, args: unknown[], signal?: AbortSignal, announced?: number): Promise<unknown> {
    const done = this.#hold();
    // A failed item's work has ended before its rejection arrives (the
    // hook's handlers run first), so it is uncounted at once, as a result is.
    const { onNativeWork, whenSettled } = Pool.#nativeWork();
    let pending: Promise<unknown>;
    try {
      if (announced !== undefined) native.poolWeight(this.#handle, announced, true);
      else if (this.mode === 'composable') native.poolWeight(this.#handle, itemWeight(args), false);
      pending = withContext({ pool: this.#handle, signal, onNativeWork }, () => op(...args));
    } catch (err) {
      // Refused before it reached the pool (a bad argument): no longer coming.
      if (announced !== undefined) native.poolExpect(this.#handle, -announced);
      pending = Promise.reject(err);
    }
    return pending.then(
      (value) => {
        done();
        return value;
      },
      (err: unknown) => {
        whenSettled(done);
        throw err;
      },
    );
  }

  /**
   * A function item: waits for a slot (in order, behind the natively queued
   * op items), then runs `fn(...args)` on this thread with the item's
   * context in effect across its awaits. It keeps its slot until it has
   * settled and every weft call it made has ended (an aborted call's work
   * inside MKL runs on), so the pool's concurrency bounds the native work
   * too.
   */
  async #startFunction(fn: (...args: unknown[]) => unknown, args: unknown[], signal?: AbortSignal): Promise<unknown> {
    const done = this.#hold();
    if (!native.poolTakeSlot(this.#handle, false)) {
      try {
        await this.#slot(signal);
      } catch (err) {
        native.poolDropWaiting(this.#handle);
        done();
        throw err;
      }
    }
    const { onNativeWork, whenSettled } = Pool.#nativeWork();
    const started = performance.now();
    let outcome: 0 | 1 | 2 = 1;
    try {
      if (signal?.aborted) throw signal.reason;
      const value = await withItemContext({ member: this.#member, owner: this, signal, onNativeWork }, () => fn(...args));
      outcome = 0;
      return value;
    } catch (err) {
      if (signal?.aborted) outcome = 2;
      throw err;
    } finally {
      let now = true;
      whenSettled(() => {
        native.poolEndItem(this.#handle, outcome, performance.now() - started);
        done();
        if (!now) this.#wake(); // freed after the item settled (#start woke too early)
      });
      now = false;
    }
  }

  /** Resolves when a waiting function item has taken a slot; rejects with the signal's reason if it aborts first. */
  #slot(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const entry = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject,
      };
      const onAbort = (): void => {
        const at = this.#waiting.indexOf(entry);
        if (at >= 0) this.#waiting.splice(at, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(entry);
    });
  }

  /** Hands free slots to waiting function items, first come first served. */
  readonly #wake = (): void => {
    while (this.#waiting.length > 0 && native.poolTakeSlot(this.#handle, true)) this.#waiting.shift()!.resolve();
  };

  /**
   * Runs one item: a weft operation on its arguments,
   * `pool.run(linalg.svd, a, { computeUV: false })`, or a function of yours,
   * `pool.run(async (a) => ..., a)`.
   *
   * @throws (rejects) RangeError when `maxQueue` items already wait; the
   *   item's own errors.
   *
   * @example
   * ```ts
   * import { Pool, linalg } from 'weft';
   * const pool = new Pool();
   * (await pool.run(linalg.det, [[2, 0], [0, 3]])).item(); // 6
   * const half = await pool.run(async (a: number[][]) => (await linalg.detAsync(a)).item() / 2, [[2, 0], [0, 3]]);
   * half; // 3
   * ```
   */
  run<F extends Operation, const Args extends readonly unknown[]>(op: F, ...args: Args & Parameters<F>): Promise<OpResult<F, Args>>;
  run<const A extends readonly unknown[], R>(fn: (...args: A) => R, ...args: A): Promise<Awaited<R>>;
  /** A worker-backed pool's item: its module's default export, called with `item`. */
  run<R = unknown>(item: unknown, options?: WorkerItemOptions): Promise<R>;
  run(op: unknown, ...rest: unknown[]): Promise<unknown> {
    const fn = 'pool.run';
    try {
      this.#refuse(fn);
      let runner: ItemRunner;
      let args = rest;
      let signal: AbortSignal | undefined;
      if (this.#forWorkers(op)) {
        const options = readWorkerOptions(fn, rest[0]);
        runner = { worker: { transfer: options.transfer } };
        signal = options.signal;
        if (signal?.aborted) throw signal.reason;
        args = [op];
      } else {
        runner = itemRunner(fn, op);
      }
      if (this.#inFlight >= this.concurrency + this.maxQueue) {
        throw new RangeError(
          `${fn}: the pool is full (${this.concurrency} running and maxQueue ${this.maxQueue} waiting); await some results first or raise maxQueue`,
        );
      }
      return this.#start(runner, args, signal);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Whether a call's first argument is the items of a worker-backed pool
   * (anything but a function, on a pool with a worker module) rather than
   * an operation or function to run here.
   */
  #forWorkers(first: unknown): boolean {
    return this.#workers !== undefined && typeof first !== 'function';
  }

  /**
   * `op(item, ...args)` for every item — or, for a function of yours,
   * `fn(item, index)` — at most `concurrency` at a time; resolves with the
   * results in input order. If an item fails, the Promise rejects with a
   * {@link PoolItemError} (its `index` and `cause`), the items not yet
   * started are skipped and the running ones aborted (their pending weft
   * calls reject with an AbortError). `signal` aborts the whole map.
   *
   * @param op A weft operation, e.g. `linalg.qr`, or a function (sync or async) of the item and its index.
   * @param items The first argument of each call.
   * @param options `args`: further arguments for every call of an operation (e.g. `[{ mode: 'r' }]`); `signal`.
   *
   * @example
   * ```ts
   * import { Pool, linalg } from 'weft';
   * const pool = new Pool({ concurrency: 4 });
   * const dets = await pool.map(linalg.det, [[[1]], [[2]], [[3]]]);
   * dets.map((d) => d.item()); // [1, 2, 3]
   * const scaled = await pool.map(async (a, i) => (await linalg.detAsync(a)).item() * i, [[[1]], [[2]], [[3]]]);
   * scaled; // [0, 2, 6]
   * ```
   */
  map<F extends Operation, const Args extends readonly unknown[] = []>(
    op: F,
    items: Iterable<OpItem<F>>,
    options?: { args?: ArgsAfterItem<F, Args>; signal?: AbortSignal },
  ): Promise<OpResult<F, [OpItem<F>, ...Args]>[]>;
  map<T, R>(fn: ItemFunction<T, R>, items: Iterable<T>, options?: { signal?: AbortSignal }): Promise<Awaited<R>[]>;
  /** A worker-backed pool's items: its module's default export, called with `(item, index)` for each. */
  map<R = unknown>(items: Iterable<unknown>, options?: WorkerItemOptions): Promise<R[]>;
  map(op: unknown, items?: unknown, options: { args?: readonly unknown[]; signal?: AbortSignal } = {}): Promise<unknown[]> {
    const fn = 'pool.map';
    try {
      if (this.#forWorkers(op)) {
        const { signal, transfer } = readWorkerOptions(fn, items);
        const list = Array.from(iterableOf(fn, op as Iterable<unknown>), (item, i) => [item, i]);
        return this.#mapAll(fn, { worker: { transfer } }, list, signal);
      }
      const runner = itemRunner(fn, op);
      const { args = [], signal } = readMapOptions(fn, options, !runner.fn);
      const list = Array.from(iterableOf(fn, items as Iterable<unknown>), (item, i) => (runner.fn ? [item, i] : [item, ...args]));
      return this.#mapAll(fn, runner, list, signal);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Like {@link Pool.map} for operations (or functions) of several
   * arguments: each entry of `argLists` is one call's argument list.
   *
   * @example
   * ```ts
   * import { Pool, linalg } from 'weft';
   * const pool = new Pool();
   * const xs = await pool.starmap(linalg.solve, [[[[2]], [4]], [[[4]], [2]]]);
   * xs.map((x) => x.item()); // [2, 0.5]
   * const ys = await pool.starmap(async (a: number[][], k: number) => (await linalg.detAsync(a)).item() + k, [[[[2]], 1], [[[3]], 2]]);
   * ys; // [3, 5]
   * ```
   */
  starmap<F extends Operation>(op: F, argLists: Iterable<Parameters<F>>, options?: { signal?: AbortSignal }): Promise<OpResult<F, Parameters<F>>[]>;
  starmap<const A extends readonly unknown[], R>(fn: (...args: A) => R, argLists: Iterable<A>, options?: { signal?: AbortSignal }): Promise<Awaited<R>[]>;
  /** A worker-backed pool's items: its module's default export, called with each argument list spread. */
  starmap<R = unknown>(argLists: Iterable<readonly unknown[]>, options?: WorkerItemOptions): Promise<R[]>;
  starmap(op: unknown, argLists?: unknown, options: { signal?: AbortSignal } = {}): Promise<unknown[]> {
    const fn = 'pool.starmap';
    try {
      let runner: ItemRunner;
      let signal: AbortSignal | undefined;
      if (this.#forWorkers(op)) {
        const options = readWorkerOptions(fn, argLists);
        runner = { worker: { transfer: options.transfer } };
        signal = options.signal;
        argLists = op;
      } else {
        runner = itemRunner(fn, op);
        signal = readMapOptions(fn, options, false).signal;
      }
      const list = Array.from(iterableOf(fn, argLists as Iterable<unknown>, 'argLists'), (args, i) => {
        if (!Array.isArray(args)) throw typeError(fn, `argLists[${i}]`, 'an array of arguments', args);
        return args as unknown[];
      });
      return this.#mapAll(fn, runner, list, signal);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * {@link Pool.map} as an async iterator: yields results in input order as
   * they are ready, feeding the pool as it goes. Leaving the loop early
   * aborts the items not yet started.
   *
   * @example
   * ```ts
   * import { Pool, linalg } from 'weft';
   * const pool = new Pool();
   * for await (const d of pool.imap(linalg.det, [[[2]], [[5]]])) console.log(d.item()); // 2, then 5
   * for await (const r of pool.imap(async (a: number[][], i) => `${i}: ${(await linalg.invAsync(a)).item()}`, [[[2]], [[4]]])) {
   *   console.log(r); // '0: 0.5', then '1: 0.25'
   * }
   * ```
   */
  imap<F extends Operation, const Args extends readonly unknown[] = []>(
    op: F,
    items: Iterable<OpItem<F>>,
    options?: { args?: ArgsAfterItem<F, Args>; signal?: AbortSignal },
  ): AsyncGenerator<OpResult<F, [OpItem<F>, ...Args]>>;
  imap<T, R>(fn: ItemFunction<T, R>, items: Iterable<T>, options?: { signal?: AbortSignal }): AsyncGenerator<Awaited<R>>;
  /** A worker-backed pool's items, as {@link Pool.map} of them runs them. */
  imap<R = unknown>(items: Iterable<unknown>, options?: WorkerItemOptions): AsyncGenerator<R>;
  async *imap(op: unknown, items?: unknown, options: { args?: readonly unknown[]; signal?: AbortSignal } = {}): AsyncGenerator<unknown> {
    const fn = 'pool.imap';
    let runner: ItemRunner;
    let args: readonly unknown[] = [];
    let signal: AbortSignal | undefined;
    if (this.#forWorkers(op)) {
      const options = readWorkerOptions(fn, items);
      runner = { worker: { transfer: options.transfer } };
      signal = options.signal;
      items = op;
    } else {
      runner = itemRunner(fn, op);
      ({ args = [], signal } = readMapOptions(fn, options, !runner.fn));
    }
    if (signal?.aborted) throw signal.reason;
    this.#refuse(fn);
    const controller = new AbortController(); // one per map: its items get its signal
    const onAbort = (): void => controller.abort(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const results: Promise<unknown>[] = [];
    const iterator = iterableOf(fn, items as Iterable<unknown>)[Symbol.iterator]();
    let exhausted = false;
    let yielded = 0;
    const feed = (): void => {
      const batch: unknown[][] = [];
      while (!exhausted && results.length + batch.length - yielded < this.concurrency + this.maxQueue) {
        const next = iterator.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        batch.push(runner.op ? [next.value, ...args] : [next.value, results.length + batch.length]);
      }
      const weights = this.#announce(runner, batch);
      batch.forEach((itemArgs, i) => {
        const pending = this.#start(runner, itemArgs, controller.signal, weights?.[i], results.length);
        pending.catch(() => {}); // observed in order below
        results.push(pending);
      });
    };
    try {
      if (signal?.aborted) throw signal.reason;
      feed();
      while (yielded < results.length) {
        let value: unknown;
        try {
          value = await results[yielded];
        } catch (err) {
          if (controller.signal.aborted) throw controller.signal.reason;
          throw new PoolItemError(fn, yielded, err);
        }
        // Results already in hand are not yielded once the signal fired.
        if (controller.signal.aborted) throw controller.signal.reason;
        yielded += 1;
        if (!exhausted) feed();
        yield value;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      controller.abort();
    }
  }

  async #mapAll(fn: string, runner: ItemRunner, argLists: unknown[][], signal?: AbortSignal): Promise<unknown[]> {
    if (signal?.aborted) throw signal.reason;
    this.#refuse(fn);
    const done = this.#hold(); // close() waits for every item of a map already started
    // One controller per map: a failing item or the caller's signal stops the rest.
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const weights = this.#announce(runner, argLists);
    let next = 0;
    try {
      return await new Promise<unknown[]>((resolve, reject) => {
        const results = new Array<unknown>(argLists.length);
        let finished = 0;
        let running = 0;
        if (argLists.length === 0) resolve(results);
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
        const feed = (): void => {
          while (!controller.signal.aborted && next < argLists.length && running < this.concurrency + this.maxQueue) {
            const index = next++;
            running += 1;
            this.#start(runner, argLists[index]!, controller.signal, weights?.[index], index).then(
              (value) => {
                results[index] = value;
                running -= 1;
                finished += 1;
                if (finished === argLists.length) resolve(results);
                else feed();
              },
              (err: unknown) => {
                running -= 1;
                if (!controller.signal.aborted) controller.abort(new PoolItemError(fn, index, err));
              },
            );
          }
        };
        feed();
      });
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // Items an abort left unfed are no longer coming.
      if (weights && next < argLists.length) native.poolExpect(this.#handle, -sum(weights.slice(next)));
      done();
    }
  }

  /**
   * Counters since the pool was made. A function item counts once, however
   * many weft calls it makes.
   *
   * @example
   * ```ts
   * import { Pool, linalg } from 'weft';
   * const pool = new Pool({ concurrency: 2 });
   * await pool.map(linalg.inv, [[[2]], [[4]], [[8]]]);
   * pool.stats().completed; // 3
   * ```
   */
  stats(): PoolStats {
    return native.poolStats(this.#handle);
  }

  /**
   * Stops accepting new work and resolves when all work already started
   * has finished: every item of a `map`/`starmap` already called (also
   * those it had not fed to the pool yet), and every `run`. Later calls of
   * `run`, `map`, `starmap` and `imap` reject with an Error whose `code` is
   * `'ERR_WEFT_POOL_CLOSED'`.
   *
   * @example
   * ```ts
   * import { Pool, linalg } from 'weft';
   * const pool = new Pool();
   * const pending = pool.map(linalg.det, [[[1]]]);
   * await pool.close(); // waits for the map's items
   * (await pending)[0].item(); // 1
   * ```
   */
  async close(): Promise<void> {
    this.#closed = true;
    // Counted until their native work ends, also items an abort settled
    // early (#start). An aborted call no longer keeps the process alive
    // (its work is abandoned); while close() waits for that work, it must.
    if (this.#inFlight > 0) {
      const keepAlive = setInterval(() => {}, 2 ** 30);
      try {
        await new Promise<void>((resolve) => this.#drained.push(resolve));
      } finally {
        clearInterval(keepAlive);
      }
    }
    await this.#workers?.close(); // no item runs in them any more
  }

  /** `await using pool = new Pool()` closes it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** `items` if it is iterable (not a string), else a TypeError naming `name`. */
function iterableOf<T>(fn: string, items: Iterable<T>, name = 'items'): Iterable<T> {
  if (items === null || typeof items !== 'object' || typeof (items as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
    throw typeError(fn, name, 'an iterable of items', items);
  }
  return items;
}

/** Elements of an operand as the ops take it (an NDArray, `{ data, shape }`, a typed array, nested arrays); 0 for a scalar or option. */
function elements(value: unknown, depth = 0): number {
  if (ArrayBuffer.isView(value)) return (value as unknown as { length?: number }).length ?? 0;
  if (Array.isArray(value)) return value.length === 0 || depth > 32 ? value.length : value.length * Math.max(1, elements(value[0], depth + 1));
  if (value !== null && typeof value === 'object') {
    const shape = (value as { shape?: unknown }).shape;
    if (Array.isArray(shape)) return shape.reduce((a: number, b) => a * (typeof b === 'number' ? b : 1), 1);
  }
  return 0;
}

/**
 * An item's estimated work, from its operands' sizes: elements^1.5, the
 * flops of a factorization of an n×n matrix up to a constant. Only ratios
 * between a map's items matter (Pool::ItemThreads weighs an item against
 * its siblings); equal items weigh alike, whatever the op.
 */
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

function itemWeight(args: readonly unknown[]): number {
  let weight = 0;
  for (const arg of args) {
    const n = elements(arg);
    weight += n * Math.sqrt(n);
  }
  return weight > 0 ? weight : 1;
}

function readWorkerOptions(fn: string, options: unknown): { signal?: AbortSignal; transfer: boolean } {
  return readOptions(fn, options, { signal: abortSignal, transfer: flag(false) });
}

function readMapOptions(fn: string, options: unknown, withArgs: boolean): { args?: unknown[]; signal?: AbortSignal } {
  if (options === null || typeof options !== 'object') throw typeError(fn, 'options', 'an object', options);
  const furtherArgs: OptionReader<unknown[] | undefined> = (value, f, name) => {
    if (value !== undefined && !Array.isArray(value)) throw typeError(f, name, 'an array of further arguments', value);
    return value as unknown[] | undefined;
  };
  return withArgs ? readOptions(fn, options, { args: furtherArgs, signal: abortSignal }) : readOptions(fn, options, { signal: abortSignal });
}
