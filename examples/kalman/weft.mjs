// A Kalman filter tracking a point in the plane (4-state constant velocity),
// in weft: original.py, line for line.
import { add, arange, eye, linalg, mod, multiply, stack, subtract, zeros } from 'weft';

const dt = 0.1;
const steps = 60;
const F = [
  [1, 0, dt, 0],
  [0, 1, 0, dt],
  [0, 0, 1, 0],
  [0, 0, 0, 1],
]; // state transition: x, y, vx, vy
const H = [
  [1, 0, 0, 0],
  [0, 1, 0, 0],
]; // we measure the position
const Q = multiply(0.01, eye(4)); // process noise
const R = multiply(0.25, eye(2)); // measurement noise
const { matmul, multiDot, solve } = linalg;

const t = arange(steps);
const truth = stack([multiply(multiply(1, t), dt), multiply(multiply(0.5, t), dt)], { axis: 1 });
const jitter = subtract(stack([mod(multiply(t, 0.6180339887498949), 1), mod(multiply(t, 0.41421356237309515), 1)], { axis: 1 }), 0.5);
const measurements = add(truth, jitter);

let x = zeros([4]);
let P = eye(4);
const I = eye(4);
const track = [];
for (let step = 0; step < steps; step++) {
  // one step per measurement
  const z = measurements.slice(step);
  x = matmul(F, x); // predict
  P = add(multiDot([F, P, linalg.transpose(F)]), Q);
  const S = add(multiDot([H, P, linalg.transpose(H)]), R); // update
  const K = solve(S, matmul(H, P)).T; // P Hᵀ S⁻¹ (P and S symmetric)
  x = add(x, matmul(K, subtract(z, matmul(H, x))));
  P = matmul(subtract(I, matmul(K, H)), P);
  track.push(x.slice([0, 2]));
}

console.log(JSON.stringify({ x, P, track: stack(track) }));
