// Ordinary least squares with an intercept, and R², in weft: original.py, line for line.
import { add, arange, hstack, linalg, mean, mod, multiply, ones, power, stack, subtract, sum } from 'weft';

const n = 200;
const t = arange(n);
// Three features and some noise, quasi-random but reproducible in any language.
const X = stack(
  [mod(multiply(t, 0.6180339887498949), 1), mod(multiply(t, 0.41421356237309515), 1), mod(multiply(t, 0.7320508075688772), 1)],
  { axis: 1 },
);
const noise = subtract(mod(multiply(t, 0.2360679774997898), 1), 0.5);
const y = add(add(1.5, linalg.matmul(X, [2, -1, 0.5])), multiply(0.1, noise));

const A = hstack([ones([n, 1]), X]); // the intercept column
const { x: beta, rank } = linalg.lstsq(A, y);
const fitted = linalg.matmul(A, beta);
const r2 = 1 - sum(power(subtract(y, fitted), 2)).item() / sum(power(subtract(y, mean(y)), 2)).item();

console.log(JSON.stringify({ beta, r2, rank, fitted_head: fitted.slice([0, 5]) }));
