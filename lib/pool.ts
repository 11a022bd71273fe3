/**
 * A Pool runs many weft operations at once — `pool.map(linalg.qr, mats)` — on
 * the one shared arena, so the pool's outer concurrency and MKL's inner
 * parallelism share the same threads instead of multiplying.
 *
 * @module
 */
import { typeError } from './errors.js';
import { withContext } from './internal/dispatch.js';
import { MAX_POOL_ITEMS, abortSignal, integer, oneOf, readOptions } from './internal/options.js';
import type { OptionReader } from './internal/options.js';
import { native } from './internal/native.js';
import { lookupOp } from './internal/registry.js';
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

/** The async twin of a weft operation (given by either of its functions), from the op registry. */
function asyncTwin(fn: string, op: unknown): AsyncOp {
  const found = lookupOp(op)?.async;
  if (found) return found;
  if (typeof op === 'function') {
    throw new TypeError(
      `${fn}: expected op to be a weft operation such as linalg.qr, but received function ${op.name || '(anonymous)'}. ` +
        'A Pool runs its items on the arena’s native threads, where JavaScript cannot run; ' +
        'for JS work use worker_threads (their weft calls share the same arena).',
    );
  }
  throw typeError(fn, 'op', 'a weft operation such as linalg.qr', op);
}

/**
 * Runs weft operations on many inputs at once, on the shared arena: at most
 * `concurrency` items run at a time; the rest wait in the pool's native
 * queue and start as running ones finish, without a trip through JS. Results
 * come back in input order; no JavaScript runs per item on other threads.
 * Every operation in `linalg` and `random` can be used, sync or async name
 * (`linalg.qr` and `linalg.qrAsync` do the same here).
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
  #closed = false;
  #inFlight = 0;
  #drained: (() => void)[] = [];

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
    });
    this.concurrency = opts.concurrency;
    this.mode = opts.mode;
    this.maxQueue = opts.maxQueue ?? Math.max(16, this.concurrency ** 2);
    this.#handle = native.newPool(this.concurrency, this.mode);
    livePools.add(new WeakRef(this));
  }

  /**
   * A composable pool weighs its items (Pool::ItemThreads): announces
   * these items' weights before the first of them starts, so each item,
   * starting as soon as it is submitted, weighs all of them when it decides
   * whether to use nested threads (see docs/ARCHITECTURE.md). Returns the
   * weights, for #start; undefined for the other modes.
   */
  #announce(argLists: unknown[][]): number[] | undefined {
    if (this.mode !== 'composable' || argLists.length === 0) return undefined;
    const weights = argLists.map(itemWeight);
    native.poolExpect(this.#handle, sum(weights));
    return weights;
  }

  /** Throws ERR_WEFT_POOL_CLOSED once close() was called: new work is refused. */
  #refuseIfClosed(fn: string): void {
    if (this.#closed) throw Object.assign(new Error(`${fn}: the pool is closed`), { code: 'ERR_WEFT_POOL_CLOSED' });
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
   * Starts one item: the op's async twin with the pool's queue (and the
   * map's `signal`, which aborts its items) in effect for the call.
   * `announced`: its weight, if #announce announced it.
   */
  #start(op: AsyncOp, args: unknown[], signal?: AbortSignal, announced?: number): Promise<unknown> {
    const done = this.#hold();
    // The item's native work: an aborted item rejects at once, but what it
    // had started inside MKL runs on, and the item stays counted (for
    // close() and the pool's capacity) until that ends. A failed item's
    // work has ended before its rejection arrives (these handlers run
    // first), so it is uncounted at once, as a result is.
    let unsettled = 0;
    let uncountWhenSettled = false;
    const onNativeWork = (work: Promise<unknown>): void => {
      unsettled += 1;
      const settled = (): void => {
        unsettled -= 1;
        if (unsettled === 0 && uncountWhenSettled) done();
      };
      work.then(settled, settled);
    };
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
        if (unsettled === 0) done();
        else uncountWhenSettled = true;
        throw err;
      },
    );
  }

  /**
   * Runs one operation: `pool.run(linalg.svd, a, { computeUV: false })`.
   *
   * @throws (rejects) RangeError when `maxQueue` items already wait; the
   *   operation's own errors.
   *
   * @example
   * ```ts
   * import { Pool, linalg } from 'weft';
   * const pool = new Pool();
   * (await pool.run(linalg.det, [[2, 0], [0, 3]])).item(); // 6
   * ```
   */
  run<F extends Operation, const Args extends readonly unknown[]>(op: F, ...args: Args & Parameters<F>): Promise<OpResult<F, Args>> {
    const fn = 'pool.run';
    try {
      this.#refuseIfClosed(fn);
      const twin = asyncTwin(fn, op);
      if (this.#inFlight >= this.concurrency + this.maxQueue) {
        throw new RangeError(
          `${fn}: the pool is full (${this.concurrency} running and maxQueue ${this.maxQueue} waiting); await some results first or raise maxQueue`,
        );
      }
      return this.#start(twin, args) as Promise<OpResult<F, Args>>;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * `op(item, ...args)` for every item, at most `concurrency` at a time;
   * resolves with the results in input order. If an item fails, the Promise
   * rejects with a {@link PoolItemError} (its `index` and `cause`) and the
   * items not yet started are skipped. `signal` aborts the whole map.
   *
   * @param op A weft operation, e.g. `linalg.qr`.
   * @param items The first argument of each call.
   * @param options `args`: further arguments for every call (e.g. `[{ mode: 'r' }]`); `signal`.
   *
   * @example
   * ```ts
   * import { Pool, linalg } from 'weft';
   * const pool = new Pool({ concurrency: 4 });
   * const dets = await pool.map(linalg.det, [[[1]], [[2]], [[3]]]);
   * dets.map((d) => d.item()); // [1, 2, 3]
   * ```
   */
  map<F extends Operation, const Args extends readonly unknown[] = []>(
    op: F,
    items: Iterable<OpItem<F>>,
    options: { args?: ArgsAfterItem<F, Args>; signal?: AbortSignal } = {},
  ): Promise<OpResult<F, [OpItem<F>, ...Args]>[]> {
    const fn = 'pool.map';
    try {
      const { args = [], signal } = readMapOptions(fn, options, true);
      const list = Array.from(items, (item) => [item, ...args]);
      return this.#mapAll(fn, asyncTwin(fn, op), list, signal) as Promise<OpResult<F, [OpItem<F>, ...Args]>[]>;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Like {@link Pool.map} for operations of several arguments: each entry of
   * `argLists` is one call's argument list.
   *
   * @example
   * ```ts
   * import { Pool, linalg } from 'weft';
   * const pool = new Pool();
   * const xs = await pool.starmap(linalg.solve, [[[[2]], [4]], [[[4]], [2]]]);
   * xs.map((x) => x.item()); // [2, 0.5]
   * ```
   */
  starmap<F extends Operation>(op: F, argLists: Iterable<Parameters<F>>, options: { signal?: AbortSignal } = {}): Promise<OpResult<F, Parameters<F>>[]> {
    const fn = 'pool.starmap';
    try {
      const { signal } = readMapOptions(fn, options, false);
      const list = Array.from(argLists, (args, i) => {
        if (!Array.isArray(args)) throw typeError(fn, `argLists[${i}]`, 'an array of arguments', args);
        return args as unknown[];
      });
      return this.#mapAll(fn, asyncTwin(fn, op), list, signal) as Promise<OpResult<F, Parameters<F>>[]>;
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
   * ```
   */
  async *imap<F extends Operation, const Args extends readonly unknown[] = []>(
    op: F,
    items: Iterable<OpItem<F>>,
    options: { args?: ArgsAfterItem<F, Args>; signal?: AbortSignal } = {},
  ): AsyncGenerator<OpResult<F, [OpItem<F>, ...Args]>> {
    const fn = 'pool.imap';
    const { args = [], signal } = readMapOptions(fn, options, true);
    if (signal?.aborted) throw signal.reason;
    this.#refuseIfClosed(fn);
    const twin = asyncTwin(fn, op);
    const controller = new AbortController(); // one per map: its items get its signal
    const onAbort = (): void => controller.abort(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const results: Promise<unknown>[] = [];
    const iterator = items[Symbol.iterator]();
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
        batch.push([next.value, ...args]);
      }
      const weights = this.#announce(batch);
      batch.forEach((itemArgs, i) => {
        const pending = this.#start(twin, itemArgs, controller.signal, weights?.[i]);
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
        yield value as OpResult<F, [OpItem<F>, ...Args]>;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      controller.abort();
    }
  }

  async #mapAll(fn: string, op: AsyncOp, argLists: unknown[][], signal?: AbortSignal): Promise<unknown[]> {
    if (signal?.aborted) throw signal.reason;
    this.#refuseIfClosed(fn);
    const done = this.#hold(); // close() waits for every item of a map already started
    // One controller per map: a failing item or the caller's signal stops the rest.
    const controller = new AbortController(); // one per map: its items get its signal
    const onAbort = (): void => controller.abort(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const weights = this.#announce(argLists);
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
            this.#start(op, argLists[index]!, controller.signal, weights?.[index]).then(
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
   * Counters since the pool was made.
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
    if (this.#inFlight === 0) return;
    const keepAlive = setInterval(() => {}, 2 ** 30);
    try {
      await new Promise<void>((resolve) => this.#drained.push(resolve));
    } finally {
      clearInterval(keepAlive);
    }
  }

  /** `await using pool = new Pool()` closes it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
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

function readMapOptions(fn: string, options: unknown, withArgs: boolean): { args?: unknown[]; signal?: AbortSignal } {
  if (options === null || typeof options !== 'object') throw typeError(fn, 'options', 'an object', options);
  const furtherArgs: OptionReader<unknown[] | undefined> = (value, f, name) => {
    if (value !== undefined && !Array.isArray(value)) throw typeError(f, name, 'an array of further arguments', value);
    return value as unknown[] | undefined;
  };
  return withArgs ? readOptions(fn, options, { args: furtherArgs, signal: abortSignal }) : readOptions(fn, options, { signal: abortSignal });
}
