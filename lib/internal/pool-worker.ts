/**
 * The bootstrap of a worker-backed pool's workers (workers.ts): loads the
 * user's module, then runs its default export once per item message, one
 * item at a time, holding a slot of weft's thread budget while the item
 * runs (native/budget.h). The user's module sees its own `workerData`; this
 * file learns the module from the first message.
 *
 * @internal
 * @module
 */
import { parentPort } from 'node:worker_threads';
import { native } from './native.js';
import { decode, encode, encodeError, transferable } from './worker-wire.js';

/** The messages workers.ts sends. */
export type ToWorker = { kind: 'load'; module: string } | { kind: 'item'; id: number; args: unknown[] };
/** The replies: an item's result or error, or the module's failure to load. */
export type FromWorker = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: unknown } | { id: number; ok: false; loadError: string };

const port = parentPort!;
let item: Promise<((...args: unknown[]) => unknown) | string> | undefined;

async function load(module: string): Promise<((...args: unknown[]) => unknown) | string> {
  let exports: { default?: unknown };
  // This file's copy of weft serves only the wire and the budget, never the
  // user's ops: when the module loads weft the other way (a CommonJS module
  // under the ESM bootstrap, or the reverse), that is not the two-copies
  // mix-up brand.ts warns about, so the module's copy registers afresh.
  delete (globalThis as Record<symbol, unknown>)[Symbol.for('weft.copies')];
  try {
    exports = (await import(module)) as { default?: unknown };
  } catch (err) {
    return `failed to load: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (typeof exports.default !== 'function') return `has no default export that is a function (its default export is ${typeof exports.default})`;
  return exports.default as (...args: unknown[]) => unknown;
}

function reply(message: FromWorker, value?: unknown): void {
  const buffers = new Set<ArrayBuffer>();
  const wire = message.ok ? { ...message, value: encode(value, buffers) } : message;
  const transfer = message.ok ? transferable(buffers, value) : [];
  try {
    port.postMessage(wire, transfer);
    return;
  } catch {
    // A buffer that cannot be transferred (an external one): copied below.
  }
  try {
    port.postMessage(wire);
  } catch (err) {
    const why = new TypeError(`the item's result cannot be sent back from the worker: ${err instanceof Error ? err.message : String(err)}`);
    port.postMessage({ id: message.id, ok: false, error: encodeError(why) } satisfies FromWorker);
  }
}

// Items run one after another: the pool sends the next only when this one replied.
let queue: Promise<void> = Promise.resolve();
port.on('message', (message: ToWorker) => {
  if (message.kind === 'load') {
    item = load(message.module);
    return;
  }
  queue = queue.then(() => runItem(message.id, message.args));
});

async function runItem(id: number, args: unknown[]): Promise<void> {
  const fn = await item!;
  if (typeof fn === 'string') {
    reply({ id, ok: false, loadError: fn });
    return;
  }
  let value: unknown;
  native.budgetHold();
  try {
    value = await fn(...(decode(args) as unknown[]));
  } catch (err) {
    native.budgetRelease();
    reply({ id, ok: false, error: encodeError(err) });
    return;
  }
  native.budgetRelease();
  reply({ id, ok: true, value: undefined }, value);
}
