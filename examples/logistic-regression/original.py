"""Logistic regression fitted by Newton's method (iteratively reweighted
least squares), in numpy."""
import json

import numpy as np

n, iterations = 300, 25
t = np.arange(n, dtype=np.float64)
x1 = np.mod(t * 0.6180339887498949, 1.0) * 4 - 2
x2 = np.mod(t * 0.41421356237309515, 1.0) * 4 - 2
noise = np.mod(t * 0.2360679774997898, 1.0) - 0.5
y = ((-0.5 + 2.0 * x1 - 1.0 * x2 + 2.5 * noise) > 0).astype(np.float64)   # labels, 0 or 1

X = np.hstack([np.ones((n, 1)), np.stack([x1, x2], axis=1)])
w = np.zeros(3)
for _ in range(iterations):                # Newton steps
    p = 1 / (1 + np.exp(-(X @ w)))
    W = p * (1 - p)
    H = X.T @ (X * W[:, None])             # the Hessian, XᵀWX
    g = X.T @ (y - p)                      # the gradient
    w = w + np.linalg.solve(H, g)

p = 1 / (1 + np.exp(-(X @ w)))
log_likelihood = np.sum(y * np.log(p) + (1 - y) * np.log1p(-p))
accuracy = np.mean((p > 0.5) == (y == 1))

print(json.dumps({"w": w.tolist(), "log_likelihood": float(log_likelihood),
                  "accuracy": float(accuracy), "p_head": p[:5].tolist()}))
