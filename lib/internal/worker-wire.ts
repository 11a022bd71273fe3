/**
 * What crosses between a worker-backed pool and its workers
 * (workers.ts, pool-worker.ts): NDArrays as their parts, rebuilt on the
 * other side; errors as their fields, rebuilt as the same class.
 *
 * Structured clone keeps typed arrays (and shares SharedArrayBuffers) but
 * drops classes: an NDArray would arrive as a plain object and complex
 * storage as a plain Float64Array. So encode() replaces each NDArray (and
 * complex storage on its own) found in arrays and plain objects, down to
 * MAX_DEPTH levels, by a tagged record of its data, shape, strides, offset
 * and dtype, and decode() builds the NDArray again over the data it
 * received, without a copy.
 *
 * @internal
 * @module
 */
import { LinAlgError } from '../errors.js';
import { Complex128Data, Complex64Data, NDArray, type AnyNDArray } from '../ndarray.js';

/** How deep encode/decode look into nested arrays and plain objects; deeper values cross as structured clone gives them. */
export const MAX_DEPTH = 16;

const TAG = '__weftWire';

interface WireArray {
  [TAG]: 'ndarray';
  data: ArrayBufferView;
  dtype: string;
  shape: number[];
  strides: number[];
  offset: number;
}

interface WireComplex {
  [TAG]: 'complex';
  data: Float64Array | Float32Array;
}

/** An error as it crosses: its class by name and the fields that say what happened. */
export interface WireError {
  [TAG]: 'error';
  name: string;
  message: string;
  stack?: string;
  code?: unknown;
  batchIndex?: number;
  fn?: string;
  cause?: unknown;
}

function isPlainObject(x: object): x is Record<string, unknown> {
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

function isComplexStorage(x: unknown): x is Complex128Data | Complex64Data {
  return x instanceof Complex128Data || x instanceof Complex64Data;
}

/**
 * `value` with every NDArray and complex storage in it replaced by its
 * wire record; `buffers` collects the ArrayBuffers (never
 * SharedArrayBuffers) of the typed arrays met, for a transfer list.
 */
export function encode(value: unknown, buffers?: Set<ArrayBuffer>, depth = 0): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof NDArray) {
    const a = value as AnyNDArray;
    collect(a.data, buffers);
    const record: WireArray = { [TAG]: 'ndarray', data: a.data, dtype: a.dtype, shape: [...a.shape], strides: [...a.strides], offset: a.offset };
    return record;
  }
  if (ArrayBuffer.isView(value)) {
    collect(value, buffers);
    if (isComplexStorage(value)) return { [TAG]: 'complex', data: value } satisfies WireComplex;
    return value;
  }
  if (depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((v) => encode(v, buffers, depth + 1));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = encode(value[key], buffers, depth + 1);
    return out;
  }
  return value;
}

function collect(view: ArrayBufferView, buffers: Set<ArrayBuffer> | undefined): void {
  if (buffers !== undefined && view.buffer instanceof ArrayBuffer) buffers.add(view.buffer);
}

/** `value` as encode() received it: wire records become NDArrays and complex storage again. */
export function decode(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
  const tag = (value as { [TAG]?: unknown })[TAG];
  if (tag === 'ndarray') {
    const w = value as WireArray;
    return new NDArray(storage(w.data, w.dtype) as Float64Array, w.shape, w.strides, w.offset);
  }
  if (tag === 'complex') return storage((value as WireComplex).data, (value as WireComplex).data instanceof Float32Array ? 'complex64' : 'complex128');
  if (tag === 'error') return decodeError(value as WireError);
  if (depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((v) => decode(v, depth + 1));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = decode(value[key], depth + 1);
    return out;
  }
  return value;
}

/** The typed array of `dtype` over `data`'s memory (complex storage is a brand a clone does not keep). */
function storage(data: ArrayBufferView, dtype: string): ArrayBufferView {
  if (dtype === 'complex128' && !(data instanceof Complex128Data)) {
    return new Complex128Data(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength / 8);
  }
  if (dtype === 'complex64' && !(data instanceof Complex64Data)) {
    return new Complex64Data(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength / 4);
  }
  return data;
}

/**
 * An ArrayBuffer that may be transferred without detaching memory the
 * sender still uses elsewhere: the only view over it is `view`, whole.
 * A result's small arrays may be slices of a shared slab; those are copied.
 */
export function transferable(buffers: Set<ArrayBuffer>, value: unknown): ArrayBuffer[] {
  const whole = new Set<ArrayBuffer>();
  const visit = (v: unknown, depth: number): void => {
    if (typeof v !== 'object' || v === null) return;
    const data = v instanceof NDArray ? (v as AnyNDArray).data : ArrayBuffer.isView(v) ? v : undefined;
    if (data !== undefined) {
      if (data.buffer instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength) whole.add(data.buffer);
      return;
    }
    if (depth >= MAX_DEPTH) return;
    if (Array.isArray(v)) v.forEach((x) => visit(x, depth + 1));
    else if (isPlainObject(v)) Object.values(v).forEach((x) => visit(x, depth + 1));
  };
  visit(value, 0);
  return [...buffers].filter((b) => whole.has(b));
}

const ERROR_CLASSES: Record<string, new (message: string) => Error> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  LinAlgError,
};

/** A thrown value as it crosses: an Error's fields (its cause too, once), anything else encoded as it is. */
export function encodeError(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error)) return encode(err);
  const e = err as Error & { code?: unknown; batchIndex?: number; fn?: string };
  const wire: WireError = { [TAG]: 'error', name: e.name, message: e.message, stack: e.stack };
  if (e.code !== undefined) wire.code = e.code;
  if (e.batchIndex !== undefined) wire.batchIndex = e.batchIndex;
  if (e.fn !== undefined) wire.fn = e.fn;
  if (e.cause !== undefined && depth < 2) wire.cause = encodeError(e.cause, depth + 1);
  return wire;
}

/** The error encodeError sent, as an instance of its class (Error with its name when the class is not a built-in one or LinAlgError). */
function decodeError(wire: WireError): Error {
  const Class = ERROR_CLASSES[wire.name] ?? Error;
  const err = new Class(wire.message);
  if (err.name !== wire.name) Object.defineProperty(err, 'name', { value: wire.name, configurable: true, writable: true });
  if (wire.stack !== undefined) err.stack = wire.stack;
  const fields = err as Error & { code?: unknown; batchIndex?: number; fn?: string };
  if (wire.code !== undefined) fields.code = wire.code;
  if (wire.batchIndex !== undefined) fields.batchIndex = wire.batchIndex;
  if (wire.fn !== undefined) fields.fn = wire.fn;
  if (wire.cause !== undefined) err.cause = decode(wire.cause);
  return err;
}
