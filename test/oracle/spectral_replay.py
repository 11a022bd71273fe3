"""numpy's own test_linalg.py checks, on its complex cases, with weft's results.

test/33-complex-spectral.test.ts runs this twice around a Node step:
  spectral_replay.py cases OUT      numpy's complex LinalgCases (test_linalg.CASES) as JSON
  (Node computes weft's results for every call the test classes make)
  spectral_replay.py check RESULTS  runs the classes' own do() bodies, numpy's
                                    assertions and tolerances unchanged, with
                                    `linalg` routed to weft's precomputed results;
                                    prints one JSON object: per class, run/passed
                                    and the failures' first lines.
"""

import json
import sys
import traceback

import numpy as np
from numpy.linalg import LinAlgError
from numpy.linalg._linalg import EighResult, EigResult, SVDResult
from numpy.linalg.tests import test_linalg as T

# The classes whose do() calls only the spectral and least-squares functions,
# with the tag filters of their test methods (LinalgSquareTestCase & co.).
CLASSES = {
    "TestEigvals": (T.TestEigvals, ["square"]),
    "TestEig": (T.TestEig, ["square"]),
    "TestSVD": (T.TestSVD, ["square"]),
    "TestCond": (T.TestCond, ["square"]),
    "TestPinv": (T.TestPinv, ["square", "nonsquare"]),
    "TestPinvHermitian": (T.TestPinvHermitian, ["hermitian"]),
    "TestLstsq": (T.TestLstsq, ["square", "nonsquare"]),
    "TestEigvalshCases": (T.TestEigvalshCases, ["hermitian"]),
    "TestEighCases": (T.TestEighCases, ["hermitian"]),
}
# test_linalg's generalized variants run only on the non-lstsq classes.
GENERALIZED = {"TestLstsq": False}


def complex_cases():
    return [c for c in T.CASES if np.iscomplexobj(c.a)]


def enc(x):
    x = np.asarray(x)
    return {"dtype": str(x.dtype), "shape": list(x.shape), "re": np.real(x).ravel().tolist(), "im": np.imag(x).ravel().tolist()}


def dec(e):
    x = np.array(e["re"], dtype=np.float64)
    if e["dtype"].startswith("complex"):
        x = x + 1j * np.array(e["im"], dtype=np.float64)
    return x.reshape(e["shape"]).astype(e["dtype"])


def key(*arrays):
    return "|".join(f"{a.dtype.str}{a.shape}{np.ascontiguousarray(a).tobytes().hex()}" for a in map(np.asarray, arrays))


def cases_json():
    return [{"name": c.name, "tags": sorted(c.tags), "a": enc(c.a), "b": enc(c.b), "key": key(c.a), "keyAB": key(c.a, c.b)} for c in complex_cases()]


class Weft:
    """numpy.linalg's signatures, answering from weft's results for the same input."""

    def __init__(self, results):
        self.results = results

    def _get(self, name, k):
        r = self.results[k].get(name)
        if r is None:
            raise KeyError(f"no weft result for {name}")
        if "error" in r:
            e = r["error"]
            raise (LinAlgError if e["name"] == "LinAlgError" else ValueError)(e["message"])
        return r["out"]

    def eigvals(self, a):
        return dec(self._get("eigvals", key(a)))

    def eig(self, a):
        w, v = self._get("eig", key(a))
        return EigResult(dec(w), dec(v))

    def eigvalsh(self, a, UPLO="L"):
        return dec(self._get(f"eigvalsh{UPLO}", key(a)))

    def eigh(self, a, UPLO="L"):
        w, v = self._get(f"eigh{UPLO}", key(a))
        return EighResult(dec(w), dec(v))

    def svd(self, a, full_matrices=True, compute_uv=True, hermitian=False):
        if hermitian:
            raise NotImplementedError("svd(hermitian=True) is not weft's on this branch")
        if not compute_uv:
            return dec(self._get("svdvals", key(a)))
        u, s, vh = self._get("svdFull" if full_matrices else "svd", key(a))
        return SVDResult(dec(u), dec(s), dec(vh))

    def cond(self, x, p=None):
        return dec(self._get(f"cond{p}", key(x)))

    def pinv(self, a, rcond=None, hermitian=False, *, rtol=None):
        return dec(self._get("pinvHermitian" if hermitian else "pinv", key(a)))

    def lstsq(self, a, b, rcond=None):
        x, res, rank, s = self._get("lstsq", key(a, b))
        return dec(x), dec(res), rank, dec(s)


def check(results_path):
    with open(results_path) as f:
        results = json.load(f)
    T.linalg = Weft(results)
    report = {}
    for name, (cls, kinds) in CLASSES.items():
        test = cls()
        run, failures = 0, []
        for case in complex_cases():
            if not case.tags & set(kinds):
                continue
            if "generalized" in case.tags and not GENERALIZED.get(name, True):
                continue
            run += 1
            try:
                case.check(test.do)
            except Exception as e:  # numpy's assertion (or weft's error) decides
                line = "".join(traceback.format_exception_only(type(e), e)).strip().splitlines()
                failures.append(f"{case.name}: {' '.join(line)[:300]}")
        report[name] = {"run": run, "passed": run - len(failures), "failures": failures}
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    if sys.argv[1] == "cases":
        with open(sys.argv[2], "w") as f:
            json.dump(cases_json(), f)
    else:
        check(sys.argv[2])
