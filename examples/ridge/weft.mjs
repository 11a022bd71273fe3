// Ridge regression on standardised features, in weft: original.py, line for line.
import { add, arange, divide, eye, linalg, mean, mod, multiply, stack, std, subtract } from 'weft';

const n = 150;
const lam = 2;
const t = arange(n);
// Four features on very different scales (which is why they are standardised).
const X = stack(
  [
    add(multiply(mod(multiply(t, 0.6180339887498949), 1), 1000), 50),
    multiply(mod(multiply(t, 0.41421356237309515), 1), 0.01),
    subtract(multiply(mod(multiply(t, 0.7320508075688772), 1), 3), 1),
    multiply(mod(multiply(t, 0.2360679774997898), 1), 20),
  ],
  { axis: 1 },
);
const noise = subtract(mod(multiply(t, 0.1457513110645906), 1), 0.5);
const y = add(add(linalg.matmul(X, [0.002, 150, -0.8, 0.05]), 4), multiply(0.3, noise));

const mu = mean(X, { axis: 0 });
const sd = std(X, { axis: 0 });
const Z = divide(subtract(X, mu), sd);
const yMean = mean(y);
const beta = linalg.solve(add(linalg.matmul(Z.T, Z), multiply(lam, eye(Z.shape[1]))), linalg.matmul(Z.T, subtract(y, yMean)));

const coef = divide(beta, sd); // the same model on the original scale
const intercept = subtract(yMean, linalg.matmul(mu, coef));
const pred = add(linalg.matmul(X.slice([0, 5]), coef), intercept);

console.log(JSON.stringify({ beta, coef, intercept: intercept.item(), pred, mu, sd }));
