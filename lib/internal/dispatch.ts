/**
 * One program per operation, two ways to run it.
 *
 * Each op is written once, as a *program*: a generator that validates its
 * arguments, yields native calls, and shapes their results (the op registry,
 * registry.ts, turns it into the public pair). `runSync` drives it on the
 * calling thread; `runAsync` drives it with every native call queued on the
 * arena and awaited, and wires an AbortSignal to the native cancel token. So
 * `fn` and `fnAsync` share validation, steps and result shaping, and return
 * exactly the same values.
 *
 * @internal
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { LinAlgError } from '../errors.js';
import { MAX_THREADS, abortSignal, integer } from './options.js';
import { contiguousStrides, copyElements } from '../ndarray.js';
import type { View } from '../ndarray.js';
import { native, writeGeometry, writeGeometry2 } from './native.js';
import type { CancelToken, OpName, PoolHandle } from './native.js';

/** Where and how a native call runs (native/job.h, CallMode). */
export interface CallContext {
  cancel?: CancelToken;
  /** Async only: join this Pool's queue instead of going straight to the arena. */
  pool?: PoolHandle;
  /** Cap on the call's inner (MKL) threads; 0 or undefined: none. */
  threads?: number;
}

/** One native call; `async` selects the Promise-returning form. */
export type NativeCall = (async: boolean, context: CallContext) => unknown;

/**
 * What a Pool sets around the work of an item: its queue (an op item) or
 * the handle its function's calls carry (a function item), the signal that
 * aborts the item with the rest of its map, and a hook that sees each
 * native call's Promise. runAsync reads it when it starts, so every step of
 * the call keeps it; the item's own arguments are passed as given.
 */
export interface ItemContext {
  /** An op item: the Pool whose native queue its call joins. */
  pool?: PoolHandle;
  /**
   * A function item: the handle (native poolMember) its weft calls carry,
   * sync or async: the pool's mode applies to them, and they take no slot
   * of their own (the item holds one).
   */
  member?: PoolHandle;
  /** The Pool whose function item this is (Pool refuses to wait on itself from inside one). */
  owner?: object;
  signal?: AbortSignal;
  /**
   * Called with the Promise of each native call the item makes. It settles
   * when that native work has ended — also after an abort, which rejects
   * the item at once while work already inside MKL runs on: so Pool.close()
   * can wait for the work itself, without polling.
   */
  onNativeWork?: (work: Promise<unknown>) => void;
}

const NONE: ItemContext = {};
let ambient: ItemContext = NONE;

/**
 * Function items' contexts, which must survive their functions' awaits.
 * Made when the first function item runs: before that no AsyncLocalStorage
 * exists, so a process that never maps a function pays nothing for it.
 */
let itemStorage: AsyncLocalStorage<ItemContext> | undefined;

/** Runs `fn` with `context` in effect for the weft calls it starts synchronously (an op item's). @internal */
export function withContext<R>(context: ItemContext, fn: () => R): R {
  const saved = ambient;
  ambient = { ...saved, ...context };
  try {
    return fn();
  } finally {
    ambient = saved;
  }
}

/**
 * Runs `fn` with `context` in effect for every weft call it makes, before
 * and after its awaits, and in the functions it calls (a function item's). @internal
 */
export function withItemContext<R>(context: ItemContext, fn: () => R): R {
  itemStorage ??= new AsyncLocalStorage<ItemContext>();
  return itemStorage.run(context, fn);
}

/** The context of the item whose work is running now (none: an empty one). @internal */
export function currentItem(): ItemContext {
  if (ambient !== NONE || itemStorage === undefined) return ambient;
  return itemStorage.getStore() ?? NONE;
}

/** An operation: yields native calls, receives their raw results, returns the value. */
export type Program<R> = Generator<NativeCall, R, unknown>;

/** Yields `call` and returns its raw result as `T` (use with `yield*`). */
export function* step<T>(call: NativeCall): Generator<NativeCall, T, unknown> {
  return (yield call) as T;
}

/**
 * The native call `op(async, cancel, pool, threads, views' data..., params...)`, writing the
 * views' geometry first — at call time, since other calls may have used the
 * geometry buffer since the program was built.
 */
export function nativeCall(op: OpName, views: readonly View[], ...params: unknown[]): NativeCall {
  const fn = native[op] as (...args: unknown[]) => unknown;
  // Spreading the operands and parameters into the call costs more than a
  // small op itself: the common arities are written out.
  if (views.length === 1 && params.length <= 2) {
    const [a] = views as [View];
    const [p, q] = params;
    return (async, { cancel, pool, threads = 0 }) => {
      writeGeometry2(a);
      return fn(async, cancel, pool, threads, a.data, p, q);
    };
  }
  if (views.length === 2 && params.length <= 2) {
    const [a, b] = views as [View, View];
    const [p, q] = params;
    return (async, { cancel, pool, threads = 0 }) => {
      writeGeometry2(a, b);
      return fn(async, cancel, pool, threads, a.data, b.data, p, q);
    };
  }
  return (async, { cancel, pool, threads = 0 }) => {
    writeGeometry(...views);
    return fn(async, cancel, pool, threads, ...views.map((v) => v.data), ...params);
  };
}

/**
 * Copies of `views` that a later step of an async call may read. runAsync
 * returns once the first native call has copied its inputs, and from then
 * on the caller may reuse their memory; so a program that reads an input
 * again after its first native call retains it first, before that call.
 * Sync calls take the same copies, though they could read the views in
 * place: the later steps then see the same (row-major) layout either way,
 * and BLAS rounds a transposed operand differently, so this keeps sync and
 * async results bit-for-bit equal. The copy is O(size) beside O(n³)
 * products. (Not a native call: runAsync takes its value at once, before
 * it returns.)
 */
export function* retain(...views: View[]): Generator<NativeCall, View[], unknown> {
  const copy = (v: View): View => ({ data: copyElements(v), shape: v.shape.slice(), strides: contiguousStrides(v.shape), offset: 0 });
  // A sync call may keep a view that is already row-major contiguous: its
  // copy would have the very same layout, so BLAS reads the same thing.
  return (yield (async) => views.map((v) => (async || !isRowMajor(v) ? copy(v) : v))) as View[];
}

/** Whether `v` is laid out as its row-major contiguous copy would be. */
function isRowMajor(v: View): boolean {
  let step = 1;
  for (let d = v.shape.length - 1; d >= 0; d--) {
    if (v.shape[d] !== 1 && v.strides[d] !== step) return false;
    step *= v.shape[d]!;
  }
  return true;
}

/**
 * Marks an error raised by a native step of `fn` with its origin: `fn` (the
 * public name, e.g. `'linalg.solveAsync'`) on every weft error, and the
 * message's leading binding name replaced by it on weft's own RangeErrors
 * (out of memory, too large). numpy's message text stays as it is. With
 * `restack`, the error arrived on a later turn of the event loop, where its
 * own stack has no frame of the caller's: it is captured again where the
 * async driver resumes, whose stack V8 continues through the caller's
 * awaiting functions (its zero-cost async stack traces; nothing is captured
 * for calls that succeed).
 */
function attribute(err: unknown, fn: string, restack = false): unknown {
  if (!(err instanceof Error)) return err;
  const code = (err as { code?: unknown }).code;
  if (!(err instanceof LinAlgError) && !(typeof code === 'string' && code.startsWith('ERR_WEFT_'))) return err;
  if (err instanceof RangeError && !err.message.startsWith(`${fn}: `)) {
    err.message = `${fn}: ${err.message.replace(/^[\w.]+: /, '')}`;
  }
  Object.defineProperty(err, 'fn', { value: fn, enumerable: true, configurable: true, writable: true });
  if (restack) {
    Error.captureStackTrace(err, attribute);
  } else if (err.stack !== undefined) {
    err.stack = `${err.name}: ${err.message}${err.stack.slice(err.stack.indexOf('\n'))}`;
  }
  return err;
}

/** Runs `program` (of the public function `fn`) to completion on the calling thread. */
export function runSync<R>(fn: string, program: Program<R>): R {
  // Inside a function item, the pool's mode applies to sync calls too.
  const context: CallContext = itemStorage === undefined ? {} : { pool: currentItem().member };
  let next = program.next();
  while (!next.done) {
    let raw: unknown;
    try {
      raw = next.value(false, context);
    } catch (err) {
      throw attribute(err, fn);
    }
    next = program.next(raw);
  }
  return next.value;
}

/** What every `…Async` function accepts. */
export interface AsyncOptions {
  /**
   * Aborts the call: the Promise rejects with `signal.reason` at once; work
   * not yet started (queued jobs, further items of a batch) is skipped, work
   * already inside MKL finishes and is discarded.
   */
  signal?: AbortSignal;
  /**
   * At most this many threads for the call's own parallelism (MKL's inner
   * threads and a batch's items): it runs in a nested arena of that size
   * inside the shared one. What `mkl_set_num_threads_local` would do, for the
   * TBB layer (where MKL's own thread settings have no effect). Not to be
   * confused with the arena's threads (`threading.setMaxThreads`, shared by
   * all calls) or a Pool's `concurrency` (items at once).
   */
  threads?: number;
}

/**
 * Callbacks waiting for each signal to abort. One 'abort' listener per
 * signal, however many calls share it: EventTarget's add and remove scan its
 * list, so a listener per call made N calls on one signal cost O(N²)
 * (4·10⁴ calls: 31 s to submit) and warned of a listener leak.
 */
const waiting = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `callback` when `signal` aborts; returns the function that cancels that. @internal */
export function whenAborted(signal: AbortSignal, callback: () => void): () => void {
  let callbacks = waiting.get(signal);
  if (callbacks === undefined) {
    const set = new Set<() => void>();
    callbacks = set;
    waiting.set(signal, set);
    signal.addEventListener(
      'abort',
      () => {
        waiting.delete(signal);
        for (const run of set) run();
      },
      { once: true },
    );
  }
  callbacks.add(callback);
  const set = callbacks;
  return () => set.delete(callback);
}

/**
 * Runs `program` with each native call queued on the arena. The first call's
 * inputs are copied before this returns (it runs synchronously up to the
 * first native call; later steps read only what `retain` copied or what
 * earlier steps returned); argument errors reject the Promise. `options` is the
 * call's options object: its `signal` and `threads` apply here.
 */
export function runAsync<R>(fn: string, program: Program<R>, options: unknown): Promise<R> {
  const item = currentItem();
  const context: CallContext = { pool: item.pool ?? item.member };
  const given = options !== null && typeof options === 'object' ? (options as AsyncOptions) : {};
  let signal: AbortSignal | undefined;
  try {
    signal = abortSignal(given.signal, fn, 'options.signal');
    context.threads = integer(1, MAX_THREADS, 0)(given.threads, fn, 'options.threads');
  } catch (err) {
    return Promise.reject(err);
  }
  // The call's own signal, and a Pool map's for its items.
  const signals = [signal, item.signal].filter((s): s is AbortSignal => s !== undefined);
  if (signals.length === 0) return drive(fn, program, context, item.onNativeWork);
  const fired = signals.find((s) => s.aborted);
  if (fired) return Promise.reject(fired.reason);
  // On abort: the native jobs skip or stop (and stop keeping the process
  // alive), and the call rejects at once with the signal's reason.
  const token = native.cancelToken();
  context.cancel = token;
  let stop!: (reason: unknown) => void;
  const aborted = new Promise<never>((_, reject) => (stop = reject));
  aborted.catch(() => {}); // observed by the race in drive, if still running
  const releases = signals.map((s) =>
    whenAborted(s, () => {
      native.cancel(token);
      stop(s.reason);
    }),
  );
  return drive(fn, program, context, item.onNativeWork, aborted, () => releases.forEach((release) => release()));
}

/**
 * runAsync's driver: feeds the program each native call's result, awaiting
 * those that return a Promise (or the abort, whichever comes first). An
 * async function, so it runs synchronously up to its first `await`, and
 * V8 can trace an error raised after one back through the caller's awaits.
 */
async function drive<R>(
  fn: string,
  program: Program<R>,
  context: CallContext,
  onNativeWork?: (work: Promise<unknown>) => void,
  aborted?: Promise<never>,
  release?: () => void,
): Promise<R> {
  let input: unknown;
  let waited = false;
  try {
    for (;;) {
      const next = program.next(input);
      if (next.done) return next.value;
      input = next.value(true, context);
      if (input instanceof Promise) {
        onNativeWork?.(input);
        waited = true;
        input = await (aborted === undefined ? input : Promise.race([input, aborted]));
      }
    }
  } catch (err) {
    throw attribute(err, fn, waited);
  } finally {
    release?.();
  }
}
