"""numpy/scipy as the oracle for test/32-complex-solve: complex products,
solvers and factorisations.

Reads a JSON list of cases {id, fn, args, kwargs} from argv[1] and writes
{id: {"out": {name: array}} | {"error": "LinAlgError: message"}} to
argv[2]. Arrays travel as {"dtype", "shape", "b64"}: the little-endian bytes
of the array in its own dtype (complex128/complex64 as interleaved pairs),
so every value arrives exactly; results come back the same way, in the dtype
numpy gave them.
"""

import base64
import json
import sys

import numpy as np
import scipy.linalg as sl
from oracle import decode, per_item, solve_with  # the main oracle's (this directory): arrays arrive the same way

L = np.linalg


def encode(array):
    a = np.asarray(array).copy(order="C")  # (ascontiguousarray would make a 0-d result 1-D)
    return {"dtype": str(a.dtype), "shape": list(a.shape), "b64": base64.b64encode(a.tobytes()).decode()}


def solve(a, b, assumeA="gen", lower=False):
    # weft's rule for b (numpy 1.x's): a stack of vectors when b.ndim == a.ndim - 1.
    return solve_with(lambda x, y: sl.solve(x, y, assume_a=assumeA, lower=lower), a, b)


def qr(a, mode="reduced"):
    r = L.qr(a, mode=mode)
    if mode == "r":
        return {"R": r}
    if mode == "raw":
        return {"h": r[0], "tau": r[1]}
    return {"Q": r[0], "R": r[1]}


def lu(a):
    p, l, u = per_item(sl.lu, a)
    # scipy's 1x1 shortcut returns P in a's (complex) dtype; every other
    # shape gets a real P, which weft gives for all (documented deviation).
    return {"P": p.real if a.shape[-2:] == (1, 1) else p, "L": l, "U": u}


def lu_factor(a):
    f, piv = sl.lu_factor(a)
    return {"lu": f, "piv": piv}


def cho_factor_solve(a, b, lower=False):
    return solve_with(lambda x, y: sl.cho_solve(sl.cho_factor(x, lower=lower), y), a, b)


def slogdet(a):
    sign, logabsdet = L.slogdet(a)
    return {"sign": sign, "logabsdet": logabsdet}


FNS = {
    "matmul": np.matmul,
    "dot": np.dot,
    "vdot": np.vdot,
    "outer": np.outer,
    "cross": lambda a, b, axis=-1: np.cross(a, b, axis=axis),
    "multiDot": lambda *arrays: L.multi_dot(list(arrays)),
    "matrixPower": lambda a, n: L.matrix_power(a, n),
    "trace": lambda a, offset=0: L.trace(a, offset=offset),
    "diagonal": lambda a, offset=0: L.diagonal(a, offset=offset),
    "solve": solve,
    "inv": L.inv,
    "det": L.det,
    "slogdet": slogdet,
    "cholesky": lambda a, upper=False: L.cholesky(a, upper=upper),
    "choSolve": cho_factor_solve,
    "lu": lu,
    "luFactor": lu_factor,
    "luSolve": lambda a, b, trans=0: solve_with(lambda x, y: sl.lu_solve(sl.lu_factor(x), y, trans=trans), a, b),
    "qr": qr,
}


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    results = {}
    for case in cases:
        args = decode(case["args"])
        kwargs = {k: decode(v) for k, v in case.get("kwargs", {}).items()}
        try:
            out = FNS[case["fn"]](*args, **kwargs)
            named = out if isinstance(out, dict) else {"out": out}
            results[case["id"]] = {"out": {k: encode(v) for k, v in named.items()}}
        except Exception as e:  # noqa: BLE001 - every failure is reported to the test
            results[case["id"]] = {"error": f"{type(e).__name__}: {e}"}
    with open(sys.argv[2], "w") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main()
