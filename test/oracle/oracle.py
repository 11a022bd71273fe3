"""numpy/scipy as an independent oracle for weft's tests.

Reads a JSON list of cases from argv[1] and writes the results to argv[2].
Arrays travel as {"dtype", "shape", "b64"} (little-endian bytes, base64) so
values, NaN and Inf arrive exactly; a complex array's bytes are its (re, im)
pairs interleaved, as numpy and weft store them. Plain numbers that JSON
cannot carry (Infinity, NaN) travel as {"num": "inf" | "-inf" | "nan"}, a
complex scalar (weft's { re, im }, a Python complex) as {"complex": [re, im]}
with each part a number or such a {"num"}. Each result is
{"out": {name: array}} or {"error": "LinAlgError: message"}; outputs are
float64 (complex128 for a complex result: interleaved float64 pairs) with
the numpy dtype they had recorded beside them.

Only weft's names are mapped here; the semantics are numpy 2's, with two
deliberate choices where weft follows its issue rather than numpy 2:
solve/luSolve/choSolve treat b as a stack of vectors when
b.ndim == a.ndim - 1 (numpy 1.x's rule), and eig results are split into real
and imaginary parts.
"""

import base64
import json
import sys
import warnings

import numpy as np
import scipy.linalg as sl

L = np.linalg


def decode(value):
    if isinstance(value, dict) and "b64" in value:
        raw = base64.b64decode(value["b64"])
        return np.frombuffer(raw, dtype=value["dtype"]).reshape(value["shape"]).copy()
    if isinstance(value, dict) and "num" in value:
        return float(value["num"])
    if isinstance(value, dict) and "complex" in value:
        re, im = (decode(part) for part in value["complex"])
        return complex(re, im)
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def encode(array):
    a = np.asarray(array)
    wide = np.complex128 if np.iscomplexobj(a) else np.float64
    return {
        "dtype": str(a.dtype),
        "shape": list(a.shape),
        "b64": base64.b64encode(np.ascontiguousarray(a, dtype=wide).tobytes()).decode(),
    }


def rhs_vectors(a, b):
    return b.ndim == 1 or b.ndim == a.ndim - 1


def per_item(fn, *arrays, core=(2,)):
    """Applies a 2-D-only scipy function over the leading batch axes."""
    first = arrays[0]
    batch = first.shape[: first.ndim - core[0]]
    if not batch:
        return fn(*arrays)
    results = [fn(*(a[idx] for a in arrays)) for idx in np.ndindex(*batch)]
    if isinstance(results[0], tuple):
        return tuple(np.stack([r[i] for r in results]).reshape(batch + np.shape(results[0][i])) for i in range(len(results[0])))
    return np.stack(results).reshape(batch + np.shape(results[0]))


def solve_with(factor_solve, a, b):
    vectors = rhs_vectors(a, b)
    b2 = b[..., None] if vectors else b
    batch = np.broadcast_shapes(a.shape[:-2], b2.shape[:-2])
    a_ = np.broadcast_to(a, batch + a.shape[-2:])
    b_ = np.broadcast_to(b2, batch + b2.shape[-2:])
    if batch:
        x = np.stack([factor_solve(a_[i], b_[i]) for i in np.ndindex(*batch)]).reshape(batch + b2.shape[-2:])
    else:
        x = factor_solve(a_, b_)
    return x[..., 0] if vectors else x


def run(fn, args, kw):
    a = args[0] if args else None
    if fn == "matmul":
        return {"out": np.matmul(args[0], args[1])}
    if fn == "dot":
        return {"out": np.dot(args[0], args[1])}
    if fn == "vdot":
        return {"out": np.vdot(args[0], args[1])}
    if fn == "outer":
        return {"out": np.outer(args[0], args[1])}
    if fn == "cross":
        return {"out": L.cross(args[0], args[1], axis=kw.get("axis", -1))}
    if fn == "multiDot":
        return {"out": L.multi_dot(args[0])}
    if fn == "matrixPower":
        return {"out": L.matrix_power(a, int(args[1]))}
    if fn == "transpose":
        return {"out": L.matrix_transpose(a)}
    if fn == "solve":
        b = args[1]
        x = L.solve(a, b[..., None])[..., 0] if (rhs_vectors(a, b) and b.ndim > 1) else L.solve(a, b)
        return {"out": x}
    if fn == "inv":
        return {"out": L.inv(a)}
    if fn == "det":
        return {"out": L.det(a)}
    if fn == "slogdet":
        r = L.slogdet(a)
        return {"sign": r.sign, "logabsdet": r.logabsdet}
    if fn == "cholesky":
        return {"out": L.cholesky(a, upper=kw.get("upper", False))}
    if fn == "qr":
        mode = kw.get("mode", "reduced")
        if mode == "r":
            return {"R": L.qr(a, mode="r")}
        if mode == "raw":
            h, tau = L.qr(a, mode="raw")
            return {"h": h, "tau": tau}
        q, r = L.qr(a, mode=mode)
        return {"Q": q, "R": r}
    if fn == "svd":
        if not kw.get("computeUV", True):
            return {"S": L.svd(a, compute_uv=False)}
        u, s, vh = L.svd(a, full_matrices=kw.get("fullMatrices", True))
        return {"U": u, "S": s, "Vh": vh}
    if fn == "svdvals":
        return {"out": L.svdvals(a)}
    if fn in ("eig", "eigvals"):
        if fn == "eigvals":
            w = L.eigvals(a)
            return {"re": np.real(w), "im": np.imag(w), "complex": np.array(float(np.iscomplexobj(w)))}
        w, v = L.eig(a)
        return {"re": np.real(w), "im": np.imag(w), "complex": np.array(float(np.iscomplexobj(w))),
                "vre": np.real(v), "vim": np.imag(v)}
    if fn == "eigh":
        w, v = L.eigh(a, UPLO=kw.get("uplo", "L"))
        return {"eigenvalues": w, "eigenvectors": v}
    if fn == "eigvalsh":
        return {"out": L.eigvalsh(a, UPLO=kw.get("uplo", "L"))}
    if fn == "lstsq":
        x, res, rank, s = L.lstsq(a, args[1], rcond=kw.get("rcond"))
        return {"x": x, "residuals": res, "rank": np.array(rank, dtype=np.float64), "s": s}
    if fn == "pinv":
        return {"out": L.pinv(a, rcond=kw.get("rcond", 1e-15), hermitian=kw.get("hermitian", False))}
    if fn == "matrixRank":
        return {"out": L.matrix_rank(a, tol=kw.get("tol"), hermitian=kw.get("hermitian", False), rtol=kw.get("rtol"))}
    if fn == "norm":
        axis = kw.get("axis")
        return {"out": L.norm(a, ord=kw.get("ord"), axis=tuple(axis) if isinstance(axis, list) else axis, keepdims=kw.get("keepdims", False))}
    if fn == "cond":
        return {"out": L.cond(a, kw.get("p"))}
    if fn == "diagonal":
        return {"out": L.diagonal(a, offset=kw.get("offset", 0))}
    if fn == "trace":
        return {"out": L.trace(a, offset=kw.get("offset", 0))}
    if fn == "lu":
        p, l, u = sl.lu(a)
        return {"P": p, "L": l, "U": u}
    if fn == "luFactor":
        lu, piv = per_item(sl.lu_factor, a)
        return {"lu": lu, "piv": piv}
    if fn == "luSolve":
        trans = 1 if kw.get("trans", False) else 0
        return {"out": solve_with(lambda m, b: sl.lu_solve(sl.lu_factor(m), b, trans=trans), a, args[1])}
    if fn == "choSolve":
        lower = kw.get("lower", False)
        return {"out": solve_with(lambda m, b: sl.cho_solve(sl.cho_factor(m, lower=lower), b), a, args[1])}
    if fn == "choFactor":
        lower = kw.get("lower", False)
        c = per_item(lambda m: sl.cho_factor(m, lower=lower)[0], a)
        return {"out": np.tril(c) if lower else np.triu(c)}
    # Array creation (the top level): dtype travels as a keyword.
    dt = kw.get("dtype")
    if fn == "top.zeros":
        return {"out": np.zeros(args[0], dtype=dt or np.float64)}
    if fn == "top.ones":
        return {"out": np.ones(args[0], dtype=dt or np.float64)}
    if fn == "top.full":
        return {"out": np.full(args[0], args[1], dtype=dt or np.float64)}
    if fn == "top.eye":
        return {"out": np.eye(int(args[0]), kw.get("m"), kw.get("k", 0), dtype=dt or np.float64)}
    if fn == "top.identity":
        return {"out": np.identity(int(args[0]), dtype=dt or np.float64)}
    if fn == "top.arange":
        return {"out": np.arange(*args, dtype=dt or np.float64)}
    if fn == "top.linspace":
        return {"out": np.linspace(args[0], args[1], kw.get("num", 50), endpoint=kw.get("endpoint", True), dtype=dt or np.float64)}
    if fn == "top.diag":
        return {"out": np.diag(a, kw.get("k", 0))}
    if fn == "top.asarray":
        return {"out": np.asarray(a, dtype=dt)}
    if fn == "top.copy":
        return {"out": np.copy(a)}
    if fn == "top.zerosLike":
        return {"out": np.zeros_like(a, dtype=dt)}
    if fn == "top.onesLike":
        return {"out": np.ones_like(a, dtype=dt)}
    if fn == "top.fullLike":
        return {"out": np.full_like(a, args[1], dtype=dt)}
    # Shape and views (the top level).
    tup = lambda x: tuple(x) if isinstance(x, list) else x
    if fn == "top.reshape":
        return {"out": np.reshape(a, args[1])}
    if fn == "top.ravel":
        return {"out": np.ravel(a)}
    if fn == "top.transpose":
        return {"out": np.transpose(a, kw.get("axes"))}
    if fn == "top.swapaxes":
        return {"out": np.swapaxes(a, args[1], args[2])}
    if fn == "top.moveaxis":
        return {"out": np.moveaxis(a, args[1], args[2])}
    if fn == "top.expandDims":
        return {"out": np.expand_dims(a, tup(args[1]))}
    if fn == "top.squeeze":
        return {"out": np.squeeze(a, tup(kw.get("axis")))}
    if fn == "top.broadcastTo":
        return {"out": np.broadcast_to(a, args[1])}
    if fn == "top.flip":
        return {"out": np.flip(a, tup(kw.get("axis")))}
    if fn == "top.slice":
        # weft's null is the whole axis (numpy's None would be a new axis).
        index = tuple(slice(*s) if isinstance(s, list) else slice(None) if s is None else s for s in args[1])
        return {"out": a[index]}
    if fn == "top.take":
        return {"out": np.take(a, args[1], axis=kw.get("axis"))}
    if fn == "top.concatenate":
        return {"out": np.concatenate(args[0], axis=kw.get("axis", 0))}
    if fn == "top.stack":
        return {"out": np.stack(args[0], axis=kw.get("axis", 0))}
    if fn == "top.hstack":
        return {"out": np.hstack(args[0])}
    if fn == "top.vstack":
        return {"out": np.vstack(args[0])}
    if fn == "top.split":
        return {str(i): p for i, p in enumerate(np.split(a, args[1] if isinstance(args[1], list) else int(args[1]), axis=kw.get("axis", 0)))}
    # Binary arithmetic (the top level): weft's weak scalars are numpy 2's Python floats.
    ufuncs = {"add": np.add, "subtract": np.subtract, "multiply": np.multiply, "divide": np.divide, "power": np.power,
              "maximum": np.maximum, "minimum": np.minimum, "mod": np.mod, "hypot": np.hypot, "arctan2": np.arctan2}
    if fn in ("top.add", "top.subtract", "top.multiply", "top.divide", "top.power", "top.maximum", "top.minimum", "top.mod", "top.hypot", "top.arctan2"):
        return {"out": np.asarray(ufuncs[fn[4:]](args[0], args[1]))}
    # Comparisons and logic (the top level): bool results; weft's weak scalars are numpy 2's Python floats and bools.
    comparisons = {"equal": np.equal, "notEqual": np.not_equal, "less": np.less, "lessEqual": np.less_equal,
                   "greater": np.greater, "greaterEqual": np.greater_equal, "logicalAnd": np.logical_and, "logicalOr": np.logical_or}
    if fn in ("top.equal", "top.notEqual", "top.less", "top.lessEqual", "top.greater", "top.greaterEqual", "top.logicalAnd", "top.logicalOr"):
        return {"out": np.asarray(comparisons[fn[4:]](args[0], args[1]))}
    predicates = {"logicalNot": np.logical_not, "isnan": np.isnan, "isfinite": np.isfinite, "isinf": np.isinf}
    if fn in ("top.logicalNot", "top.isnan", "top.isfinite", "top.isinf"):
        return {"out": np.asarray(predicates[fn[4:]](args[0]))}
    close = {"rtol": kw.get("rtol", 1e-5), "atol": kw.get("atol", 1e-8), "equal_nan": kw.get("equalNan", False)}
    if fn == "top.isclose":
        return {"out": np.asarray(np.isclose(args[0], args[1], **close))}
    if fn == "top.allclose":
        return {"out": np.asarray(np.allclose(args[0], args[1], **close))}
    if fn in ("top.any", "top.all"):
        axis = kw.get("axis")
        reduce = np.any if fn == "top.any" else np.all
        return {"out": np.asarray(reduce(a, axis=tuple(axis) if isinstance(axis, list) else axis, keepdims=kw.get("keepdims", False)))}
    if fn == "top.where":
        return {"out": np.asarray(np.where(args[0], args[1], args[2]))}
    # Complex parts (the top level).
    parts = {"conj": np.conj, "conjugate": np.conjugate, "real": np.real, "imag": np.imag}
    if fn in ("top.conj", "top.conjugate", "top.real", "top.imag"):
        return {"out": np.asarray(parts[fn[4:]](a))}
    if fn == "top.angle":
        return {"out": np.asarray(np.angle(a, deg=kw.get("deg", False)))}
    # Reductions (the top level): weft's options are numpy's keywords; a list of axes is numpy's tuple.
    reductions = {"sum": np.sum, "prod": np.prod, "mean": np.mean, "variance": np.var, "std": np.std, "min": np.min, "max": np.max,
                  "argmin": np.argmin, "argmax": np.argmax, "cumsum": np.cumsum, "cumprod": np.cumprod}
    if fn in ("top.sum", "top.prod", "top.mean", "top.variance", "top.std", "top.min", "top.max", "top.argmin", "top.argmax", "top.cumsum", "top.cumprod"):
        kw = {k: tuple(v) if isinstance(v, list) else v for k, v in kw.items()}
        return {"out": np.asarray(reductions[fn[4:]](a, **kw))}
    # Unary math (the top level): numpy's ufuncs on the same dtype; a number is a Python float.
    unary = {"negative": np.negative, "abs": np.abs, "sign": np.sign, "sqrt": np.sqrt, "square": np.square,
             "reciprocal": np.reciprocal, "exp": np.exp, "expm1": np.expm1, "exp2": np.exp2, "log": np.log,
             "log1p": np.log1p, "log2": np.log2, "log10": np.log10, "sin": np.sin, "cos": np.cos, "tan": np.tan,
             "arcsin": np.arcsin, "arccos": np.arccos, "arctan": np.arctan, "sinh": np.sinh, "cosh": np.cosh,
             "tanh": np.tanh, "floor": np.floor, "ceil": np.ceil}
    if fn in ("top.negative", "top.abs", "top.sign", "top.sqrt", "top.square", "top.reciprocal", "top.exp", "top.expm1",
              "top.exp2", "top.log", "top.log1p", "top.log2", "top.log10", "top.sin", "top.cos", "top.tan", "top.arcsin",
              "top.arccos", "top.arctan", "top.sinh", "top.cosh", "top.tanh", "top.floor", "top.ceil"):
        return {"out": np.asarray(unary[fn[4:]](np.float64(args[0]) if isinstance(args[0], float) else args[0]))}
    if fn == "top.round":
        return {"out": np.asarray(np.round(np.float64(a) if isinstance(a, float) else a, kw.get("decimals", 0)))}
    if fn == "top.clip":
        return {"out": np.asarray(np.clip(args[0], args[1], args[2]))}
    if fn == "cond2":  # the 2-norm condition number of the input, for tolerances
        return {"out": L.cond(a)}
    raise ValueError(f"oracle does not know {fn}")


def main(refusals=(L.LinAlgError, ValueError)):
    """Runs the cases; an exception of `refusals` is recorded as the case's error."""
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    results = {}
    for case in cases:
        args = [decode(x) for x in case["args"]]
        kw = {k: decode(v) for k, v in case.get("kwargs", {}).items()}
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                out = run(case["fn"], args, kw)
            results[case["id"]] = {"out": {k: encode(v) for k, v in out.items()}}
        except refusals as e:
            results[case["id"]] = {"error": f"{type(e).__name__}: {e}"}
    with open(sys.argv[2], "w") as f:
        json.dump({"numpy": np.__version__, "results": results}, f)


if __name__ == "__main__":
    main()
