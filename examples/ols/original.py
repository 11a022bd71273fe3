"""Ordinary least squares with an intercept, and R², in numpy."""
import json

import numpy as np

n = 200
t = np.arange(n, dtype=np.float64)
# Three features and some noise, quasi-random but reproducible in any language.
X = np.stack([np.mod(t * 0.6180339887498949, 1.0),
              np.mod(t * 0.41421356237309515, 1.0),
              np.mod(t * 0.7320508075688772, 1.0)], axis=1)
noise = np.mod(t * 0.2360679774997898, 1.0) - 0.5
y = 1.5 + X @ np.array([2.0, -1.0, 0.5]) + 0.1 * noise

A = np.hstack([np.ones((n, 1)), X])            # the intercept column
beta, residuals, rank, sv = np.linalg.lstsq(A, y, rcond=None)
fitted = A @ beta
r2 = 1 - np.sum((y - fitted) ** 2) / np.sum((y - np.mean(y)) ** 2)

print(json.dumps({"beta": beta.tolist(), "r2": float(r2), "rank": int(rank),
                  "fitted_head": fitted[:5].tolist()}))
