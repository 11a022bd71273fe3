"""Ridge regression on standardised features, in numpy."""
import json

import numpy as np

n, lam = 150, 2.0
t = np.arange(n, dtype=np.float64)
# Four features on very different scales (which is why they are standardised).
X = np.stack([np.mod(t * 0.6180339887498949, 1.0) * 1000 + 50,
              np.mod(t * 0.41421356237309515, 1.0) * 0.01,
              np.mod(t * 0.7320508075688772, 1.0) * 3 - 1,
              np.mod(t * 0.2360679774997898, 1.0) * 20], axis=1)
noise = np.mod(t * 0.1457513110645906, 1.0) - 0.5
y = X @ np.array([0.002, 150.0, -0.8, 0.05]) + 4.0 + 0.3 * noise

mu = X.mean(axis=0)
sd = X.std(axis=0)
Z = (X - mu) / sd
y_mean = y.mean()
beta = np.linalg.solve(Z.T @ Z + lam * np.eye(Z.shape[1]), Z.T @ (y - y_mean))

coef = beta / sd                       # the same model on the original scale
intercept = y_mean - mu @ coef
pred = X[:5] @ coef + intercept

print(json.dumps({"beta": beta.tolist(), "coef": coef.tolist(),
                  "intercept": float(intercept), "pred": pred.tolist(),
                  "mu": mu.tolist(), "sd": sd.tolist()}))
