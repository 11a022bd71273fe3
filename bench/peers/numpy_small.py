"""numpy's side of the small-matrix group of `npm run bench` (bench/small.mjs):
the same stacks, single calls and Kalman step, timed inside Python.

usage: numpy_small.py <min_ms> <runs> <spec> ...
  spec: stack:<op>:<count>:<n>:<dtype>   one call on a [count, n, n] stack
        call:<op>:<n>                    one call on an n×n float64 matrix
        kalman                           one predict + update step, 4 states, 2 measured
prints one JSON line per spec: {"spec", "nsPerCall"}.
"""

import json
import sys

import numpy as np

from numpy_bench import timed

PHI = 0.6180339887498949
SQRT2 = 0.41421356237309515
L = np.linalg


def stack_inputs(op, count, n, dtype):
    """bench/small.mjs stackInputs(): entries frac(k·φ) − 0.5 (exact in both
    languages), n added on each diagonal (diagonally dominant: nonsingular,
    and symmetric positive definite for cholesky after symmetrising)."""
    k = np.arange(count * n * n, dtype=np.float64)
    a = (np.mod(k * PHI, 1.0) - 0.5).reshape(count, n, n)
    b = (np.mod(k * SQRT2, 1.0) - 0.5).reshape(count, n, n)
    if op == "cholesky":
        a = (a + np.swapaxes(a, -1, -2)) / 2
    if op != "matmul":
        a = a + n * np.eye(n)
    return a.astype(dtype), b.astype(dtype)


def stack_call(op, a, b):
    rhs = np.ascontiguousarray(b[..., :1])  # one right-hand side per item: [count, n, 1]
    return {
        "matmul": lambda: a @ b,
        "solve": lambda: L.solve(a, rhs),
        "inv": lambda: L.inv(a),
        "det": lambda: L.det(a),
        "cholesky": lambda: L.cholesky(a),
        "qr": lambda: L.qr(a),
    }[op]


def single_call(op, n):
    a, b = stack_inputs(op, 1, n, np.float64)
    a, b = a[0], b[0]
    return {
        "matmul": lambda: a @ b,
        "solve": lambda: L.solve(a, b),
        "inv": lambda: L.inv(a),
        "det": lambda: L.det(a),
        "multiDot": lambda: L.multi_dot([a, b, a]),
    }[op]


def kalman_step():
    """One step of examples/kalman/original.py, as bench/small.mjs times it."""
    dt = 0.1
    F = np.array([[1.0, 0.0, dt, 0.0], [0.0, 1.0, 0.0, dt], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]])
    H = np.array([[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]])
    Q = 0.01 * np.eye(4)
    R = 0.25 * np.eye(2)
    I = np.eye(4)
    z = np.array([0.3, 0.2])
    x0, P0 = np.zeros(4), np.eye(4)

    def step():
        x = F @ x0
        P = F @ P0 @ F.T + Q
        S = H @ P @ H.T + R
        K = L.solve(S, H @ P).T
        x = x + K @ (z - H @ x)
        P = (I - K @ H) @ P
        return x, P

    return step


def main():
    min_ms = float(sys.argv[1])
    runs = int(sys.argv[2])
    for spec in sys.argv[3:]:
        kind, *rest = spec.split(":")
        if kind == "stack":
            op, count, n, dtype = rest
            call = stack_call(op, *stack_inputs(op, int(count), int(n), np.dtype(dtype)))
        elif kind == "call":
            call = single_call(rest[0], int(rest[1]))
        else:
            call = kalman_step()
        ns, _ = timed(call, min_ms, runs)
        print(json.dumps({"spec": spec, "nsPerCall": ns}), flush=True)


if __name__ == "__main__":
    main()
