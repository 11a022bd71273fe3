"""A Kalman filter tracking a point in the plane (4-state constant velocity), in numpy."""
import json

import numpy as np

dt, steps = 0.1, 60
F = np.array([[1.0, 0.0, dt, 0.0],
              [0.0, 1.0, 0.0, dt],
              [0.0, 0.0, 1.0, 0.0],
              [0.0, 0.0, 0.0, 1.0]])       # state transition: x, y, vx, vy
H = np.array([[1.0, 0.0, 0.0, 0.0],
              [0.0, 1.0, 0.0, 0.0]])       # we measure the position
Q = 0.01 * np.eye(4)                       # process noise
R = 0.25 * np.eye(2)                       # measurement noise

t = np.arange(steps, dtype=np.float64)
truth = np.stack([1.0 * t * dt, 0.5 * t * dt], axis=1)
jitter = np.stack([np.mod(t * 0.6180339887498949, 1.0), np.mod(t * 0.41421356237309515, 1.0)], axis=1) - 0.5
measurements = truth + jitter

x = np.zeros(4)
P = np.eye(4)
I = np.eye(4)
track = []
for z in measurements:                     # one step per measurement
    x = F @ x                              # predict
    P = F @ P @ F.T + Q
    S = H @ P @ H.T + R                    # update
    K = np.linalg.solve(S, H @ P).T        # P Hᵀ S⁻¹ (P and S symmetric)
    x = x + K @ (z - H @ x)
    P = (I - K @ H) @ P
    track.append(x[:2])

print(json.dumps({"x": x.tolist(), "P": P.tolist(), "track": np.array(track).tolist()}))
