"""numpy as the oracle of the array core on complex (test/12-complex-arrays).

oracle.py's cases, encoding and `run`, with one difference: a TypeError
(numpy has no complex loop for the op) is a result to compare, as weft
refuses the same ops by name.
"""

import numpy as np

import oracle

if __name__ == "__main__":
    oracle.main(refusals=(np.linalg.LinAlgError, ValueError, TypeError))
