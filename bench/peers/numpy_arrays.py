"""numpy's side of the array-function group of `npm run bench` (bench/arrays.mjs):
the same inputs, timed inside Python.

usage: numpy_arrays.py <min_ms> <runs> <spec> ...
  spec: <op>:<size>[,<size>...]  elementwise (add, multiply, where) or math (exp, ...)
        <op>@<axis>:<n>          a reduction (sum, mean) of an n×n matrix; axis 'None' for all
prints one JSON line per (spec, size): {"spec", "size", "nsPerCall"}.
"""

import json
import sys

import numpy as np

from numpy_bench import timed


def inputs(size):
    """bench/arrays.mjs inputs(): x, y in [0.1, 2) and cond = x < 1.05."""
    i = np.arange(size, dtype=np.float64)
    x = np.mod(i * 0.6180339887498949, 1.0) * 1.9 + 0.1
    y = np.mod(i * 0.41421356237309515, 1.0) * 1.9 + 0.1
    return x, y, x < 1.05


def main():
    min_ms = float(sys.argv[1])
    runs = int(sys.argv[2])
    for spec in sys.argv[3:]:
        name, sizes = spec.split(":")
        for size in map(int, sizes.split(",")):
            if "@" in name:
                op, axis = name.split("@")
                a = inputs(size * size)[0].reshape(size, size)
                f = getattr(np, op)
                ax = None if axis in ("None", "null") else int(axis)
                call = lambda: f(a, axis=ax)  # noqa: E731
            else:
                x, y, cond = inputs(size)
                call = {
                    "add": lambda: np.add(x, y),
                    "multiply": lambda: np.multiply(x, y),
                    "where": lambda: np.where(cond, x, y),
                }.get(name) or (lambda f=getattr(np, name): f(x))
            ns, _ = timed(call, min_ms, runs)
            print(json.dumps({"spec": name, "size": size, "nsPerCall": ns}), flush=True)


if __name__ == "__main__":
    main()
