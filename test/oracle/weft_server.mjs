// weft behind a pipe, for running numpy's own tests against it
// (test/oracle/numpy_suite.py): one JSON request per line on stdin,
// { fn, args } in oracle.py's encoding, one JSON reply per line on stdout,
// { out } (encoded the same way) or { error: "TypeError: message" }.
import { createInterface } from 'node:readline';
import * as weft from '../../dist/index.js';

const TYPES = { complex128: weft.Complex128Data, complex64: weft.Complex64Data, float64: Float64Array, float32: Float32Array, bool: Uint8Array };

function decode(value) {
  if (Array.isArray(value)) return value.map(decode);
  if (value === null || typeof value !== 'object') return value;
  if ('num' in value) return value.num === 'nan' ? NaN : value.num === 'inf' ? Infinity : -Infinity;
  if ('complex' in value) return { re: decode(value.complex[0]), im: decode(value.complex[1]) };
  if ('b64' in value) {
    const bytes = Buffer.from(value.b64, 'base64');
    const Type = TYPES[value.dtype];
    if (Type === undefined) throw new TypeError(`weft_server: no dtype ${value.dtype} in weft`);
    const copy = new Uint8Array(bytes).buffer;
    return new weft.NDArray(new Type(copy, 0, bytes.byteLength / Type.BYTES_PER_ELEMENT), value.shape);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
}

function encode(x) {
  if (x instanceof weft.NDArray) {
    const copy = weft.array(x, { dtype: x.dtype === 'int32' ? 'float64' : x.dtype });
    return { dtype: x.dtype, shape: x.shape, b64: Buffer.from(copy.data.buffer, copy.data.byteOffset, copy.data.byteLength).toString('base64') };
  }
  if (typeof x === 'number' && !Number.isFinite(x)) return { num: Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf' };
  return x;
}

for await (const line of createInterface({ input: process.stdin })) {
  const { fn, args } = JSON.parse(line);
  let reply;
  try {
    reply = { out: encode(weft[fn](...args.map(decode))) };
  } catch (err) {
    reply = { error: `${err.name}: ${err.message}` };
  }
  process.stdout.write(JSON.stringify(reply) + '\n');
}
