/**
 * The engine of a worker-backed Pool: runs the default export of a user's
 * module on worker_threads, one item per worker at a time, with crash
 * replacement and abort. lib/pool.ts bounds the items in flight and maps
 * errors to item indices; this file knows nothing of maps.
 *
 * Each worker runs pool-worker.ts, which holds a slot of weft's thread
 * budget while an item runs (native/budget.h). NDArrays cross as their
 * parts and are rebuilt (worker-wire.ts); SharedArrayBuffers are shared.
 *
 * @internal
 * @module
 */
import { isAbsolute } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { typeError } from '../errors.js';
import type { FromWorker, ToWorker } from './pool-worker.js';
import { decode, encode } from './worker-wire.js';

/** What a WorkerSet's workers are started with. */
export interface WorkerSetOptions {
  /** The user module's `workerData` (structured clone). */
  workerData?: unknown;
  /** Each worker's V8 heap limits. */
  resourceLimits?: ResourceLimits;
}

interface Task {
  id: number;
  args: unknown[];
  index: number;
  transfer: boolean;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  settled: boolean;
}

interface Slot {
  worker: Worker;
  task: Task | undefined;
  error: unknown; // the worker's uncaught error, reported before it exits
  gone: boolean;
}

/** The bootstrap beside this file: pool-worker.js in dist/internal/ (ESM) or dist/cjs/ (the CommonJS bundle); from lib/'s sources (the tests), the built one. */
function bootstrap(): URL {
  if (import.meta.url.endsWith('.ts')) return new URL('../../dist/internal/pool-worker.js', import.meta.url);
  return new URL('./pool-worker.js', import.meta.url);
}

/** `module` as a file: URL string, or a TypeError naming `fn` and `options.worker`. */
export function workerModuleUrl(fn: string, module: unknown): string {
  const expected = 'a file URL, an absolute path or a file: URL string';
  if (module instanceof URL) {
    if (module.protocol !== 'file:') throw typeError(fn, 'options.worker', expected, module.href);
    return module.href;
  }
  if (typeof module === 'string') {
    if (module.startsWith('file:')) {
      try {
        return new URL(module).href;
      } catch {
        throw typeError(fn, 'options.worker', expected, module);
      }
    }
    if (isAbsolute(module)) return pathToFileURL(module).href;
  }
  throw typeError(fn, 'options.worker', expected, module);
}

/** An Error with a `code`, as Node's own. */
function codedError(message: string, code: string, cause?: unknown): Error {
  const err = new Error(message, cause === undefined ? undefined : { cause });
  (err as Error & { code: string }).code = code;
  return err;
}

/**
 * Runs the default export of `module` on up to `size` worker_threads,
 * spawned on demand. Idle workers are unref'd (they never keep the process
 * alive); a worker running an item is ref'd.
 */
export class WorkerSet {
  readonly #fn: string;
  readonly #module: string;
  readonly #path: string;
  readonly #size: number;
  readonly #options: WorkerSetOptions;
  readonly #slots: Slot[] = [];
  readonly #queue: Task[] = [];
  #nextId = 0;
  #closed = false;

  constructor(fn: string, module: URL | string, size: number, options: WorkerSetOptions = {}) {
    this.#fn = fn;
    this.#module = workerModuleUrl(fn, module);
    this.#path = fileURLToPath(this.#module);
    this.#size = size;
    this.#options = options;
  }

  /** Workers alive now (busy or idle). */
  get workers(): number {
    return this.#slots.length;
  }

  /**
   * Calls the module's default export with `args` in an idle worker
   * (queued until one is free). `index` names the item in crash errors;
   * `transfer` transfers the ArrayBuffers of the arguments' typed arrays
   * and NDArrays instead of copying them (the caller's arrays detach).
   */
  run(args: unknown[], index: number, signal: AbortSignal | undefined, transfer: boolean): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (this.#closed) {
        reject(codedError(`${this.#fn}: the pool is closed`, 'ERR_WEFT_POOL_CLOSED'));
        return;
      }
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const task: Task = { id: this.#nextId++, args, index, transfer, signal, onAbort: undefined, resolve, reject, settled: false };
      if (signal !== undefined) {
        task.onAbort = () => this.#abort(task);
        signal.addEventListener('abort', task.onAbort, { once: true });
      }
      this.#queue.push(task);
      this.#pump();
    });
  }

  /** Terminates every worker; items still queued or running reject. */
  async close(): Promise<void> {
    this.#closed = true;
    const closed = codedError(`${this.#fn}: the pool was closed`, 'ERR_WEFT_POOL_CLOSED');
    for (const task of this.#queue.splice(0)) this.#settle(task, false, closed);
    const exits = this.#slots.splice(0).map((slot) => {
      slot.gone = true;
      if (slot.task !== undefined) this.#settle(slot.task, false, closed);
      return slot.worker.terminate();
    });
    await Promise.all(exits);
  }

  #settle(task: Task, ok: boolean, value: unknown): void {
    if (task.settled) return;
    task.settled = true;
    if (task.onAbort !== undefined) task.signal!.removeEventListener('abort', task.onAbort);
    if (ok) task.resolve(value);
    else task.reject(value);
  }

  #abort(task: Task): void {
    const queued = this.#queue.indexOf(task);
    if (queued >= 0) this.#queue.splice(queued, 1);
    this.#settle(task, false, task.signal!.reason);
    if (queued >= 0) return;
    // Running: its JavaScript cannot be interrupted, so its worker goes (and
    // with it the budget slot it held); a new one serves later items.
    const slot = this.#slots.find((s) => s.task === task);
    if (slot !== undefined) {
      this.#retire(slot);
      void slot.worker.terminate();
      this.#pump();
    }
  }

  #retire(slot: Slot): void {
    slot.gone = true;
    slot.task = undefined;
    const at = this.#slots.indexOf(slot);
    if (at >= 0) this.#slots.splice(at, 1);
  }

  #pump(): void {
    while (this.#queue.length > 0 && !this.#closed) {
      let slot = this.#slots.find((s) => s.task === undefined);
      if (slot === undefined) {
        if (this.#slots.length >= this.#size) return;
        slot = this.#spawn();
      }
      this.#start(slot, this.#queue.shift()!);
    }
  }

  #spawn(): Slot {
    const { workerData, resourceLimits } = this.#options;
    const worker = new Worker(bootstrap(), { workerData, resourceLimits });
    const slot: Slot = { worker, task: undefined, error: undefined, gone: false };
    worker.unref();
    worker.on('message', (message: FromWorker) => this.#reply(slot, message));
    worker.on('error', (err) => {
      slot.error = err;
    });
    worker.on('exit', (code) => this.#exited(slot, code));
    worker.postMessage({ kind: 'load', module: this.#module } satisfies ToWorker);
    this.#slots.push(slot);
    return slot;
  }

  #start(slot: Slot, task: Task): void {
    slot.task = task;
    slot.worker.ref();
    const buffers = task.transfer ? new Set<ArrayBuffer>() : undefined;
    const message: ToWorker = { kind: 'item', id: task.id, args: encode(task.args, buffers) as unknown[] };
    try {
      try {
        slot.worker.postMessage(message, buffers === undefined ? [] : [...buffers]);
      } catch (err) {
        // A buffer that cannot move (Node's Buffer pool is marked untransferable): copied instead.
        if (buffers === undefined || buffers.size === 0) throw err;
        slot.worker.postMessage(message);
      }
    } catch (err) {
      // An argument structured clone cannot copy (a function, a symbol): the item fails, the worker stays.
      slot.task = undefined;
      slot.worker.unref();
      this.#settle(task, false, err);
    }
  }

  #reply(slot: Slot, message: FromWorker): void {
    const task = slot.task;
    if (slot.gone || task === undefined || task.id !== message.id) return;
    slot.task = undefined;
    slot.worker.unref();
    if (message.ok) this.#settle(task, true, decode(message.value));
    else if ('loadError' in message) this.#settle(task, false, new TypeError(`${this.#fn}: the worker module ${this.#path} ${message.loadError}`));
    else this.#settle(task, false, decode(message.error));
    this.#pump();
  }

  #exited(slot: Slot, code: number): void {
    if (slot.gone) return;
    const task = slot.task;
    this.#retire(slot);
    if (task !== undefined) {
      const cause = slot.error ?? code;
      const why = slot.error instanceof Error ? slot.error.message : `exit code ${code}`;
      this.#settle(task, false, codedError(`${this.#fn}: the worker running item ${task.index} crashed (${why})`, 'ERR_WEFT_WORKER_CRASHED', cause));
    }
    this.#pump();
  }
}
