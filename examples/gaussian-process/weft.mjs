// Gaussian-process regression with an RBF kernel built by broadcasting,
// solved with a Cholesky factor (choFactor/choSolve), in weft: original.py, line for line.
import { add, arange, diag, divide, exp, eye, linalg, linspace, log, maximum, mod, multiply, power, reshape, sin, sqrt, subtract, sum } from 'weft';

const n = 40;
const m = 25;
const [length, signal, jitter] = [1.3, 1.5, 0.01];

function rbf(a, b) {
  const d = subtract(reshape(a, [-1, 1]), reshape(b, [1, -1])); // every pair, by broadcasting
  return multiply(signal, exp(divide(multiply(-0.5, power(d, 2)), length ** 2)));
}

const xTrain = linspace(0, 10, n);
const yTrain = add(sin(xTrain), multiply(0.1, subtract(mod(multiply(arange(n), 0.6180339887498949), 1), 0.5)));
const xTest = linspace(-1, 11, m);

const K = add(rbf(xTrain, xTrain), multiply(jitter, eye(n)));
const factor = linalg.choFactor(K);
const alpha = linalg.choSolve(factor, yTrain);

const KStar = rbf(xTest, xTrain);
const mean = linalg.matmul(KStar, alpha);
const v = linalg.choSolve(factor, KStar.T);
const variance = subtract(signal, sum(multiply(KStar, v.T), { axis: 1 })); // the diagonal of the posterior covariance
const std = sqrt(maximum(variance, 0));
const logLikelihood = -0.5 * linalg.matmul(yTrain, alpha).item() - sum(log(diag(factor.c))).item() - (n / 2) * Math.log(2 * Math.PI);

console.log(JSON.stringify({ mean, std, log_likelihood: logLikelihood }));
