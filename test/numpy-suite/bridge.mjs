#!/usr/bin/env node
// The Node side of the numpy-suite bridge: one long-lived process that runs
// weft's sync linalg functions for weft_bridge.py (see README.md here).
//
// Frames, both ways, little-endian: u32 total length (after this field),
// u32 header length, the header (UTF-8 JSON, `buffers` listing the byte
// length of each buffer), then the buffers its arrays refer to, each
// padded to 8 bytes. A request header is
// { fn: 'linalg.solve', args: [...] }; a reply is { ok: true, result } or
// { ok: false, error: { name, message, code } }. Values in args/result:
// JSON as it is, plus tagged objects: { $nd, dtype, shape, strides, offset }
// an array in buffer $nd (strides and offset count elements, complex ones
// as weft and numpy count them), { $num: 'inf' | '-inf' | 'nan' },
// { $bigint: '123' }, { $complex: [re, im] }, { $out: true, ...$nd } an
// `out` array written back after the call ({ $ref: 'out' } in the result
// when weft returned it).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const weft = await import(join(root, 'dist', 'index.js'));

const REAL = {
  float64: Float64Array,
  float32: Float32Array,
  int8: Int8Array,
  uint8: Uint8Array,
  bool: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
};
// complex128/complex64: weft's interleaved classes, where this build has them.
const COMPLEX = {
  complex128: weft.Complex128Data,
  complex64: weft.Complex64Data,
};

function decodeArray(tag, buffers) {
  const bytes = buffers[tag.$nd];
  const complex = tag.dtype === 'complex128' || tag.dtype === 'complex64';
  let data;
  if (complex) {
    const Klass = COMPLEX[tag.dtype];
    if (Klass === undefined) throw new TypeError(`bridge: this weft build has no ${tag.dtype} dtype`);
    const Float = tag.dtype === 'complex128' ? Float64Array : Float32Array;
    const floats = new Float(bytes.buffer, bytes.byteOffset, bytes.byteLength / Float.BYTES_PER_ELEMENT);
    data = new Klass(floats.length);
    data.set(floats);
  } else {
    const Klass = REAL[tag.dtype];
    if (Klass === undefined) throw new TypeError(`bridge: unknown dtype ${tag.dtype}`);
    data = new Klass(bytes.buffer, bytes.byteOffset, bytes.byteLength / Klass.BYTES_PER_ELEMENT);
  }
  const like = { data, shape: tag.shape, strides: tag.strides, offset: tag.offset };
  if (complex) like.dtype = tag.dtype;
  // An `out` array must be an NDArray (weft writes into it); the others go
  // in as ndarray-like objects, read in place with their strides.
  return tag.$out ? new weft.NDArray(data, tag.shape, tag.strides, tag.offset) : like;
}

function decode(value, buffers, outs) {
  if (Array.isArray(value)) return value.map((v) => decode(v, buffers, outs));
  if (value === null || typeof value !== 'object') return value;
  if ('$nd' in value) {
    const a = decodeArray(value, buffers);
    if (value.$out) outs.push(a);
    return a;
  }
  if ('$num' in value) return { inf: Infinity, '-inf': -Infinity, nan: NaN }[value.$num];
  if ('$bigint' in value) return BigInt(value.$bigint);
  if ('$complex' in value) return { re: value.$complex[0], im: value.$complex[1] };
  const out = {};
  for (const [k, v] of Object.entries(value)) out[k] = decode(v, buffers, outs);
  return out;
}

function dtypeOf(a) {
  if (typeof a.dtype === 'string') return a.dtype;
  for (const [name, Klass] of Object.entries(REAL)) if (a.data instanceof Klass) return name;
  throw new TypeError(`bridge: cannot name the dtype of a result over ${a.data?.constructor?.name}`);
}

function encode(value, buffers, outs) {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    return { $num: Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf' };
  }
  if (typeof value === 'bigint') return { $bigint: String(value) };
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof weft.NDArray) {
    if (outs.includes(value)) return { $ref: 'out', index: outs.indexOf(value) };
    const { data } = value;
    buffers.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return {
      $nd: buffers.length - 1,
      dtype: dtypeOf(value),
      shape: [...value.shape],
      strides: [...value.strides],
      offset: value.offset,
    };
  }
  if (Array.isArray(value)) return value.map((v) => encode(v, buffers, outs));
  const out = {};
  for (const [k, v] of Object.entries(value)) out[k] = encode(v, buffers, outs);
  return out;
}

function lookup(name) {
  let f = weft;
  for (const part of name.split('.')) f = f?.[part];
  if (typeof f !== 'function') {
    const error = new Error(`weft has no ${name}`);
    error.name = 'WeftMissing';
    throw error;
  }
  return f;
}

// With WEFT_NUMPY_SUITE_ASYNC=1 every call also runs its async twin on the
// same arguments, and any difference (a bit of a value, a shape, the error)
// fails the call: weft promises sync and async results bit for bit equal.
const checkAsync = process.env.WEFT_NUMPY_SUITE_ASYNC === '1';

function bits(value) {
  if (value instanceof weft.NDArray) {
    const { data } = value;
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return JSON.stringify([dtypeOf(value), value.shape, value.strides, value.offset]) + Buffer.from(bytes).toString('base64');
  }
  if (Array.isArray(value)) return `[${value.map(bits).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${k}:${bits(v)}`).join(',')}}`;
  }
  return Object.is(value, -0) ? '-0' : String(value);
}

async function sameAsync(name, args, outcome) {
  let twin;
  try {
    twin = { result: await lookup(`${name}Async`)(...args) };
  } catch (err) {
    twin = { error: err };
  }
  // Errors agree by class and code (the twin's messages name it and its own options).
  const describe = (o) => ('error' in o ? `${o.error?.name} ${o.error?.code ?? ''}` : bits(o.result));
  if (describe(twin) !== describe(outcome)) {
    const error = new Error(`${name} and ${name}Async differ: ${describe(outcome).slice(0, 200)} vs ${describe(twin).slice(0, 200)}`);
    error.name = 'SyncAsyncMismatch';
    throw error;
  }
}

async function handle(header, buffers) {
  const outs = [];
  const args = decode(header.args, buffers, outs);
  let outcome;
  try {
    outcome = { result: lookup(header.fn)(...args) };
  } catch (err) {
    outcome = { error: err };
  }
  // An `out` argument is written by the sync call; the twin would write it again.
  if (checkAsync && outs.length === 0 && header.fn.includes('.')) await sameAsync(header.fn, args, outcome);
  if ('error' in outcome) throw outcome.error;
  const result = outcome.result;
  const replyBuffers = [];
  const encoded = encode(result, replyBuffers, outs);
  // Written-back `out` arrays follow the result's buffers.
  const written = outs.map((o) => {
    replyBuffers.push(new Uint8Array(o.data.buffer, o.data.byteOffset, o.data.byteLength));
    return replyBuffers.length - 1;
  });
  return { header: { ok: true, result: encoded, written }, buffers: replyBuffers };
}

function frame(header, buffers) {
  header.buffers = buffers.map((b) => b.byteLength);
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const pad = (n) => (8 - (n % 8)) % 8;
  let total = 4 + json.length + pad(json.length);
  for (const b of buffers) total += b.byteLength + pad(b.byteLength);
  const out = Buffer.alloc(4 + total);
  out.writeUInt32LE(total, 0);
  out.writeUInt32LE(json.length, 4);
  let at = 8;
  json.copy(out, at);
  at += json.length + pad(json.length);
  for (const b of buffers) {
    out.set(b, at);
    at += b.byteLength + pad(b.byteLength);
  }
  return out;
}

function parse(body) {
  const headerLength = body.readUInt32LE(0);
  const header = JSON.parse(body.toString('utf8', 4, 4 + headerLength));
  const pad = (n) => (8 - (n % 8)) % 8;
  let at = 4 + headerLength + pad(headerLength);
  const buffers = (header.buffers ?? []).map((n) => {
    // A private, aligned copy: typed arrays need aligned offsets, and weft
    // may keep a view of its input in a result.
    const copy = new Uint8Array(new ArrayBuffer(n));
    copy.set(body.subarray(at, at + n));
    at += n + pad(n);
    return copy;
  });
  return { header, buffers };
}

async function reply(header, buffers) {
  let out;
  try {
    out = await handle(header, buffers);
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    out = {
      header: { ok: false, error: { name: error.name, message: error.message, code: error.code ?? null } },
      buffers: [],
    };
  }
  process.stdout.write(frame(out.header, out.buffers));
}

// One request at a time, in order: the client waits for each reply.
let pending = Buffer.alloc(0);
for await (const chunk of process.stdin) {
  pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
  while (pending.length >= 4) {
    const total = pending.readUInt32LE(0);
    if (pending.length < 4 + total) break;
    const body = pending.subarray(4, 4 + total);
    pending = pending.subarray(4 + total);
    const { header, buffers } = parse(body);
    await reply(header, buffers);
  }
}
