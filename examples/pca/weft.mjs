// Principal component analysis two ways, via svd of the centred data and via
// eigh of the covariance, in weft: original.py, line for line.
import { add, arange, divide, flip, linalg, mean, mod, multiply, power, reshape, stack, subtract, sum } from 'weft';

const n = 300;
const k = 2;
const t = arange(n);
// Two latent factors mixed into five observed variables, plus a little noise.
const latent = stack([subtract(mod(multiply(t, 0.6180339887498949), 1), 0.5), subtract(mod(multiply(t, 0.41421356237309515), 1), 0.5)], {
  axis: 1,
});
const mixing = [
  [3, 1, 0.5, 0, 2],
  [0.5, -2, 1, 1.5, 0],
];
const noise = multiply(0.05, subtract(mod(multiply(multiply(reshape(t, [-1, 1]), [0.1, 0.2, 0.3, 0.4, 0.5]), 0.7320508075688772), 1), 0.5));
const X = add(add(linalg.matmul(latent, mixing), noise), [10, -5, 0, 3, 1]);

const Xc = subtract(X, mean(X, { axis: 0 }));

// 1. eigh of the covariance matrix, largest first.
const C = divide(linalg.matmul(Xc.T, Xc), n - 1);
const { eigenvalues, eigenvectors } = linalg.eigh(C);
const w = flip(eigenvalues);
const V = flip(eigenvectors, { axis: 1 });

// 2. svd of the centred data.
const { S, Vh } = linalg.svd(Xc, { fullMatrices: false });
const varSvd = divide(power(S, 2), n - 1);

// Sign-free summaries: the projector onto the top k components, the spread of the scores.
const Vk = V.slice(null, [0, k]);
const Pk = Vh.slice([0, k]);
const PEigh = linalg.matmul(Vk, Vk.T);
const PSvd = linalg.matmul(Pk.T, Pk);
const explainedRatio = sum(w.slice([0, k])).item() / sum(w).item();
const scoreSpread = linalg.norm(linalg.matmul(Xc, Vk), { axis: 0 });

console.log(
  JSON.stringify({ var_eigh: w, var_svd: varSvd, P_eigh: PEigh, P_svd: PSvd, explained_ratio: explainedRatio, score_spread: scoreSpread }),
);
