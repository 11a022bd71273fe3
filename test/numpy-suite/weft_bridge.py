"""The Python side of the bridge to weft: one persistent Node child process
(bridge.mjs) that runs weft's sync functions on arrays sent as raw bytes.

Arrays cross with their dtype, shape, strides and offset: the memory span a
numpy view covers is sent as it is, so weft reads strided, negative-stride
and zero-stride views in place as numpy's tests build them. Complex arrays
are interleaved (re, im) floats in numpy and in weft alike.

What the bridge converts, and why:
- int64/uint64 (numpy's default integers) to float64: weft reads the other
  integer types and converts them to float64 itself, as numpy.linalg does,
  but has no 64-bit integer input (a BigInt64Array);
- non-native byte order to native: typed arrays have none other;
- a 0-d result to a numpy scalar, as numpy's functions return.
float16, longdouble, clongdouble and object arrays never reach it
(routes.py: they are "unsupported").
"""
import ctypes
import json
import os
import struct
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
BRIDGE_JS = os.path.join(HERE, 'bridge.mjs')

# numpy dtype -> the name weft's bridge.mjs knows.
SENT_AS_IS = {
    'float64', 'float32', 'complex128', 'complex64',
    'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'bool',
}
CONVERTED_TO_FLOAT64 = {'int64', 'uint64'}


class WeftMissing(NotImplementedError):
    """weft has no function of this name (yet)."""


class BridgeError(RuntimeError):
    """A weft error of a kind numpy has no match for."""


def _pad(n):
    return (8 - n % 8) % 8


def _span_bytes(x):
    """The bytes of the memory a view covers, with its strides and offset in
    elements (None when its strides are not whole elements)."""
    itemsize = x.dtype.itemsize
    if x.size == 0:
        strides = [0] * x.ndim
        return b'', strides, 0
    lo = hi = 0
    for n, s in zip(x.shape, x.strides):
        reach = s * (n - 1)
        if reach > 0:
            hi += reach
        else:
            lo += reach
    if lo % itemsize or any(s % itemsize for s in x.strides):
        return None
    length = hi - lo + itemsize
    raw = (ctypes.c_char * length).from_address(x.ctypes.data + lo)
    return bytes(raw), [s // itemsize for s in x.strides], -lo // itemsize


def encode_array(x, buffers, out=False):
    x = np.asarray(x)
    if not x.dtype.isnative:
        x = x.astype(x.dtype.newbyteorder('='))
    name = x.dtype.name
    if name in CONVERTED_TO_FLOAT64:
        x = x.astype(np.float64)
        name = 'float64'
    if name not in SENT_AS_IS:
        raise TypeError(f'bridge: cannot send dtype {name}')
    span = None if out else _span_bytes(x)
    if span is None:
        # An `out` array (written back whole), or strides of part elements.
        c = np.ascontiguousarray(x)
        span = (c.tobytes(), [s // c.dtype.itemsize for s in c.strides], 0)
    data, strides, offset = span
    buffers.append(data)
    tag = {'$nd': len(buffers) - 1, 'dtype': name, 'shape': list(x.shape),
           'strides': [int(s) for s in strides], 'offset': int(offset)}
    if out:
        tag['$out'] = True
    return tag


class Out:
    """An `out` argument: weft writes into a copy, which is copied back."""

    def __init__(self, array):
        self.array = array


def encode(value, buffers, outs):
    if isinstance(value, Out):
        outs.append(value.array)
        return encode_array(value.array, buffers, out=True)
    if isinstance(value, np.ndarray):
        return encode_array(value, buffers)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        v = int(value)
        return v if abs(v) <= 2**53 else {'$bigint': str(v)}
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if v != v:
            return {'$num': 'nan'}
        if v in (float('inf'), float('-inf')):
            return {'$num': 'inf' if v > 0 else '-inf'}
        return v
    if isinstance(value, (complex, np.complexfloating)):
        return {'$complex': [encode(value.real, buffers, outs), encode(value.imag, buffers, outs)]}
    if isinstance(value, (list, tuple)):
        return [encode(v, buffers, outs) for v in value]
    if isinstance(value, dict):
        return {k: encode(v, buffers, outs) for k, v in value.items()}
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f'bridge: cannot send {type(value).__name__}')


def decode_array(tag, buffers):
    dtype = np.dtype('bool' if tag['dtype'] == 'bool' else tag['dtype'])
    raw = buffers[tag['$nd']]
    shape = tuple(tag['shape'])
    if int(np.prod(shape)) == 0:
        return np.empty(shape, dtype)
    size = dtype.itemsize
    view = np.ndarray(shape, dtype, buffer=raw, offset=tag['offset'] * size,
                      strides=tuple(s * size for s in tag['strides']))
    return view.copy()


def decode(value, buffers, outs):
    if isinstance(value, list):
        return [decode(v, buffers, outs) for v in value]
    if isinstance(value, dict):
        if '$nd' in value:
            return decode_array(value, buffers)
        if '$num' in value:
            return {'inf': float('inf'), '-inf': float('-inf'), 'nan': float('nan')}[value['$num']]
        if '$bigint' in value:
            return int(value['$bigint'])
        if '$ref' in value:
            return outs[value['index']]
        return {k: decode(v, buffers, outs) for k, v in value.items()}
    return value


def _error(error):
    name, message = error['name'], error['message']
    if name == 'LinAlgError':
        return np.linalg.LinAlgError(message)
    if name == 'RangeError':
        return ValueError(message)
    if name == 'TypeError':
        return TypeError(message)
    if name == 'WeftMissing':
        return WeftMissing(message)
    return BridgeError(f'{name}: {message}')


class Bridge:
    def __init__(self):
        self.proc = None
        self.calls = 0

    def start(self):
        if self.proc is None or self.proc.poll() is not None:
            self.proc = subprocess.Popen(['node', BRIDGE_JS], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=sys.stderr, bufsize=0)
            self._in = self.proc.stdin
            self._out = self.proc.stdout

    def close(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=30)
        self.proc = None

    def _read(self, n):
        chunks = []
        while n:
            chunk = self._out.read(n)
            if not chunk:
                raise BridgeError(f'bridge.mjs exited (status {self.proc.poll()})')
            chunks.append(chunk)
            n -= len(chunk)
        return b''.join(chunks)

    def call(self, fn, *args):
        """Calls weft's `fn` ('linalg.solve') with `args`; returns numpy values."""
        self.start()
        buffers, outs = [], []
        header = {'fn': fn, 'args': encode(list(args), buffers, outs)}
        header['buffers'] = [len(b) for b in buffers]
        js = json.dumps(header, allow_nan=False).encode()
        parts = [struct.pack('<I', len(js)), js, b'\0' * _pad(len(js))]
        for b in buffers:
            parts += [b, b'\0' * _pad(len(b))]
        body = b''.join(parts)
        self._in.write(struct.pack('<I', len(body)) + body)
        self.calls += 1
        total, = struct.unpack('<I', self._read(4))
        body = memoryview(self._read(total))
        hlen, = struct.unpack('<I', body[:4])
        reply = json.loads(bytes(body[4:4 + hlen]))
        if not reply['ok']:
            raise _error(reply['error'])
        at = 4 + hlen + _pad(hlen)
        rbuffers = []
        for n in reply['buffers']:
            rbuffers.append(bytes(body[at:at + n]))
            at += n + _pad(n)
        written = reply.get('written', [])
        for target, index in zip(outs, written):
            flat = np.frombuffer(rbuffers[index], dtype=target.dtype.newbyteorder('='))
            target[...] = flat.reshape(target.shape)
        return decode(reply['result'], rbuffers, outs)


_bridge = Bridge()


def call(fn, *args):
    return _bridge.call(fn, *args)


def calls_made():
    return _bridge.calls


def close():
    _bridge.close()
