"""Principal component analysis two ways, via svd of the centred data and
via eigh of the covariance, in numpy."""
import json

import numpy as np

n, k = 300, 2
t = np.arange(n, dtype=np.float64)
# Two latent factors mixed into five observed variables, plus a little noise.
latent = np.stack([np.mod(t * 0.6180339887498949, 1.0) - 0.5,
                   np.mod(t * 0.41421356237309515, 1.0) - 0.5], axis=1)
mixing = np.array([[3.0, 1.0, 0.5, 0.0, 2.0],
                   [0.5, -2.0, 1.0, 1.5, 0.0]])
noise = 0.05 * (np.mod(t[:, None] * np.array([0.1, 0.2, 0.3, 0.4, 0.5]) * 0.7320508075688772, 1.0) - 0.5)
X = latent @ mixing + noise + np.array([10.0, -5.0, 0.0, 3.0, 1.0])

Xc = X - X.mean(axis=0)

# 1. eigh of the covariance matrix, largest first.
C = Xc.T @ Xc / (n - 1)
w, V = np.linalg.eigh(C)
w, V = w[::-1], V[:, ::-1]

# 2. svd of the centred data.
U, S, Vt = np.linalg.svd(Xc, full_matrices=False)
var_svd = S ** 2 / (n - 1)

# Sign-free summaries: the projector onto the top k components, the spread of the scores.
P_eigh = V[:, :k] @ V[:, :k].T
P_svd = Vt[:k].T @ Vt[:k]
explained_ratio = w[:k].sum() / w.sum()
score_spread = np.linalg.norm(Xc @ V[:, :k], axis=0)

print(json.dumps({"var_eigh": w.tolist(), "var_svd": var_svd.tolist(),
                  "P_eigh": P_eigh.tolist(), "P_svd": P_svd.tolist(),
                  "explained_ratio": float(explained_ratio),
                  "score_spread": score_spread.tolist()}))
