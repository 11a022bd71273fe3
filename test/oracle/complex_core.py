"""numpy as the oracle of the array core on complex (test/12-complex-arrays).

oracle.py's cases, encoding and `run`, with one difference: a TypeError
(numpy has no complex loop for the op) is a result to compare, as weft
refuses the same ops by name.
"""

import json
import sys
import warnings

import numpy as np

from oracle import decode, encode, run


def main():
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
        except (TypeError, ValueError) as e:
            results[case["id"]] = {"error": f"{type(e).__name__}: {e}"}
    with open(sys.argv[2], "w") as f:
        json.dump({"numpy": np.__version__, "results": results}, f)


if __name__ == "__main__":
    main()
