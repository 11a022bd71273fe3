"""numpy's side of `npm run bench`: the same operations on the same inputs,
timed inside Python (process start and data transfer excluded).

usage: numpy_bench.py <min_ms> <runs> <op>:<n>[,<n>...] ...
prints one JSON line per (op, n): {"op","n","nsPerCall","calls"}, then a
last line {"numpy": version, "blas": ...}.
"""

import json
import sys
import time

import numpy as np


def fill(n, seed):
    """lib/cli/demo/workloads.ts fillMatrix, row-major: the matrices weft gets."""
    s = (seed * 2654435761 + 1) & 0xFFFFFFFF
    out = np.empty(n * n)
    for i in range(n * n):
        s = (s * 1664525 + 1013904223) & 0xFFFFFFFF
        out[i] = s / 2147483648 - 1
    return out.reshape(n, n)


def inputs(op, n):
    a = fill(n, 1)
    b = fill(n, 2)
    if op == "eigh":
        a = (a + a.T) / 2
    if op == "cholesky":
        a = a.T @ a + n * np.eye(n)
    return a, b


def call_for(op, a, b):
    L = np.linalg
    return {
        "matmul": lambda: a @ b,
        "qr": lambda: L.qr(a),
        "svd": lambda: L.svd(a),
        "eigh": lambda: L.eigh(a),
        "solve": lambda: L.solve(a, b[:, 0]),
        "cholesky": lambda: L.cholesky(a),
        "inv": lambda: L.inv(a),
        "dot": lambda: np.dot(a.ravel(), b.ravel()),
    }[op]


def timed(call, min_ms, runs):
    call()
    calls = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(calls):
            call()
        if (time.perf_counter() - t0) * 1e3 >= min_ms or calls >= 1 << 20:
            break
        calls *= 2
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for _ in range(calls):
            call()
        samples.append((time.perf_counter() - t0) * 1e9 / calls)
    samples.sort()
    return samples[len(samples) // 2], calls


def main():
    min_ms = float(sys.argv[1])
    runs = int(sys.argv[2])
    for spec in sys.argv[3:]:
        op, sizes = spec.split(":")
        for n in map(int, sizes.split(",")):
            a, b = inputs(op, n)
            ns, calls = timed(call_for(op, a, b), min_ms, runs)
            print(json.dumps({"op": op, "n": n, "nsPerCall": ns, "calls": calls}), flush=True)
    config = np.show_config(mode="dicts")
    blas = config.get("Build Dependencies", {}).get("blas", {})
    print(json.dumps({"numpy": np.__version__, "blas": {k: blas.get(k) for k in ("name", "version", "openblas configuration")}}))


if __name__ == "__main__":
    main()
