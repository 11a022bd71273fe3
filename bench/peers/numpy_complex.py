"""numpy's side of bench/complex.mjs: complex matmul, solve, svd and eig on
the same inputs as weft's, timed inside Python.

usage: numpy_complex.py <min_ms> <runs> <spec> ...
  spec: <op>:<n>:<dtype>   op one of matmul, solve, svd, eig; dtype complex128 or complex64
prints one JSON line per spec: {"spec", "nsPerCall"} (or {"spec", "error"}).
"""

import json
import sys

import numpy as np

from numpy_bench import timed

PHI = 0.6180339887498949
SQRT2 = 0.41421356237309515
L = np.linalg


def inputs(n, dtype):
    """bench/complex.mjs inputs(): real parts frac(k·φ) − 0.5, imaginary
    parts frac(k·√2) − 0.5 (exact in both languages), n on the diagonal (a
    well-conditioned a); b the same with the roles of φ and √2 swapped."""
    k = np.arange(n * n, dtype=np.float64)
    re = np.mod(k * PHI, 1.0) - 0.5
    im = np.mod(k * SQRT2, 1.0) - 0.5
    a = (re + 1j * im).reshape(n, n) + n * np.eye(n)
    b = (im + 1j * re).reshape(n, n)
    return a.astype(dtype), b.astype(dtype)


def call(op, a, b):
    return {
        "matmul": lambda: a @ b,
        "solve": lambda: L.solve(a, b[:, :1]),
        "svd": lambda: L.svd(a),
        "eig": lambda: L.eig(a),
    }[op]


def main():
    min_ms = float(sys.argv[1])
    runs = int(sys.argv[2])
    for spec in sys.argv[3:]:
        op, n, dtype = spec.split(":")
        a, b = inputs(int(n), dtype)
        ns, _ = timed(call(op, a, b), min_ms, runs)
        print(json.dumps({"spec": spec, "nsPerCall": ns}), flush=True)


if __name__ == "__main__":
    main()
