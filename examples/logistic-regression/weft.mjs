// Logistic regression fitted by Newton's method (iteratively reweighted least
// squares), in weft: original.py, line for line.
import { add, arange, divide, equal, exp, greater, hstack, linalg, log, log1p, mean, mod, multiply, negative, ones, reshape, stack, subtract, sum, zeros } from 'weft';

const n = 300;
const iterations = 25;
const t = arange(n);
const x1 = subtract(multiply(mod(multiply(t, 0.6180339887498949), 1), 4), 2);
const x2 = subtract(multiply(mod(multiply(t, 0.41421356237309515), 1), 4), 2);
const noise = subtract(mod(multiply(t, 0.2360679774997898), 1), 0.5);
const score = add(add(add(-0.5, multiply(2, x1)), multiply(-1, x2)), multiply(2.5, noise));
const y = greater(score, 0).astype('float64'); // labels, 0 or 1

const X = hstack([ones([n, 1]), stack([x1, x2], { axis: 1 })]);
const sigmoid = (z) => divide(1, add(1, exp(negative(z))));
let w = zeros([3]);
for (let step = 0; step < iterations; step++) {
  // Newton steps
  const p = sigmoid(linalg.matmul(X, w));
  const W = multiply(p, subtract(1, p));
  const H = linalg.matmul(X.T, multiply(X, reshape(W, [-1, 1]))); // the Hessian, XᵀWX
  const g = linalg.matmul(X.T, subtract(y, p)); // the gradient
  w = add(w, linalg.solve(H, g));
}

const p = sigmoid(linalg.matmul(X, w));
const logLikelihood = sum(add(multiply(y, log(p)), multiply(subtract(1, y), log1p(negative(p))))).item();
const accuracy = mean(equal(greater(p, 0.5), equal(y, 1))).item();

console.log(JSON.stringify({ w, log_likelihood: logLikelihood, accuracy, p_head: p.slice([0, 5]) }));
