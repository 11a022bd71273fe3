// The small-matrix group of `npm run bench`: stacks of small matrices in one
// call, single calls on tiny matrices, and a Kalman-filter step — weft
// against numpy (one thread: its stacked linalg loops run item by item),
// ml-matrix (item by item in this process) and plain JS, measured side by
// side in one run, and against the limit: the time the stack's flops take at
// the measured matmul peak, or the time its bytes take at the measured
// memory bandwidth, whichever is longer.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as weft from '../dist/index.js';
import { numpyPeer } from './numpy.mjs';

const require = createRequire(import.meta.url);
const { linalg } = weft;

/** Stacks per bench mode: [count, n]. */
export const SMALL_SIZES = {
  smoke: { stacks: [[50, 8], [50, 4], [4, 64]], mlMatrix: true },
  quick: { stacks: [[20000, 8], [10000, 4], [500, 64]], mlMatrix: true },
  full: { stacks: [[20000, 8], [10000, 4], [500, 64]], mlMatrix: true },
};
export const STACK_OPS = ['matmul', 'solve', 'inv', 'det', 'cholesky', 'qr'];
/** Single calls: [op, n]. */
const CALLS = [
  ['matmul', 2],
  ['matmul', 4],
  ['solve', 4],
  ['inv', 4],
  ['det', 4],
  ['multiDot', 4],
];

// Flops per n×n item (LAPACK's counts; qr is numpy's reduced mode: geqrf then orgqr).
const FLOPS = {
  matmul: (n) => 2 * n ** 3,
  solve: (n) => (2 / 3) * n ** 3 + 2 * n ** 2,
  inv: (n) => 2 * n ** 3,
  det: (n) => (2 / 3) * n ** 3,
  cholesky: (n) => n ** 3 / 3,
  qr: (n) => (8 / 3) * n ** 3,
};
// Elements read and written per n×n item (inputs once, results once).
const ELEMENTS = {
  matmul: (n) => 3 * n * n,
  solve: (n) => n * n + 2 * n,
  inv: (n) => 2 * n * n,
  det: (n) => n * n + 1,
  cholesky: (n) => 2 * n * n,
  qr: (n) => 3 * n * n,
};

const PHI = 0.6180339887498949;
const SQRT2 = 0.41421356237309515;

/**
 * numpy_small.py's stack_inputs(): entries frac(k·φ) − 0.5 (exact in both
 * languages) with n added on each diagonal, so every item is nonsingular,
 * and symmetric positive definite for cholesky once symmetrised.
 */
export function stackInputs(op, count, n, dtype) {
  const frac = (step) => weft.subtract(weft.mod(weft.multiply(weft.arange(count * n * n), step), 1), 0.5).reshape(count, n, n);
  let a = frac(PHI);
  const b = frac(SQRT2);
  if (op === 'cholesky') a = weft.divide(weft.add(a, weft.swapaxes(a, -1, -2)), 2);
  if (op !== 'matmul') a = weft.add(a, weft.multiply(weft.eye(n), n));
  const rhs = weft.copy(b.slice(null, null, [0, 1]));
  return { a: a.astype(dtype), b: b.astype(dtype), rhs: rhs.astype(dtype) };
}

function stackCall(op, { a, b, rhs }, async) {
  const fn = linalg[async ? `${op}Async` : op];
  if (op === 'matmul') return () => fn(a, b);
  if (op === 'solve') return () => fn(a, rhs);
  return () => fn(a);
}

/** The same stack through ml-matrix, one item at a time (a user's loop today). */
function mlMatrixStack(op, { a, b, rhs }) {
  const { Matrix, QrDecomposition, CholeskyDecomposition, LuDecomposition, solve, inverse } = require('ml-matrix');
  const items = (x) => x.toArray().map((m) => new Matrix(m));
  const as = items(a);
  const bs = op === 'matmul' ? items(b) : [];
  const rs = op === 'solve' ? items(rhs) : [];
  const each = {
    matmul: (i) => as[i].mmul(bs[i]),
    solve: (i) => solve(as[i], rs[i]),
    inv: (i) => inverse(as[i]),
    det: (i) => new LuDecomposition(as[i]).determinant,
    cholesky: (i) => new CholeskyDecomposition(as[i]).lowerTriangularMatrix,
    qr: (i) => {
      const qr = new QrDecomposition(as[i]);
      return [qr.orthogonalMatrix, qr.upperTriangularMatrix];
    },
  }[op];
  return () => {
    for (let i = 0; i < as.length; i++) each(i);
  };
}

function singleInputs(op, n) {
  const { a, b } = stackInputs(op === 'multiDot' ? 'solve' : op, 1, n, 'float64');
  return { a: a.reshape(n, n), b: b.reshape(n, n) };
}

function weftSingle(op, { a, b }) {
  if (op === 'matmul') return () => linalg.matmul(a, b);
  if (op === 'solve') return () => linalg.solve(a, b);
  if (op === 'multiDot') return () => linalg.multiDot([a, b, a]);
  return () => linalg[op](a);
}

function mlMatrixSingle(op, { a, b }) {
  const { Matrix, LuDecomposition, solve, inverse } = require('ml-matrix');
  const A = new Matrix(a.toArray());
  const B = new Matrix(b.toArray());
  return {
    matmul: () => A.mmul(B),
    solve: () => solve(A, B),
    inv: () => inverse(A),
    det: () => new LuDecomposition(A).determinant,
    multiDot: () => A.mmul(B).mmul(A),
  }[op];
}

// ---------------------------------------------------------------- Kalman step

const DT = 0.1;
const F = [
  [1, 0, DT, 0],
  [0, 1, 0, DT],
  [0, 0, 1, 0],
  [0, 0, 0, 1],
];
const H = [
  [1, 0, 0, 0],
  [0, 1, 0, 0],
];
const Z = [0.3, 0.2];

/** One step of examples/kalman/weft.mjs: predict, then update with one measurement. */
function kalmanWeft() {
  const { add, eye, multiply, subtract, zeros } = weft;
  const { matmul, multiDot, solve, transpose } = linalg;
  const Fa = weft.asarray(F);
  const Ha = weft.asarray(H);
  const Ft = transpose(Fa);
  const Ht = transpose(Ha);
  const Q = multiply(0.01, eye(4));
  const R = multiply(0.25, eye(2));
  const I = eye(4);
  const z = weft.asarray(Z);
  const x0 = zeros([4]);
  const P0 = eye(4);
  return () => {
    let x = matmul(Fa, x0);
    let P = add(multiDot([Fa, P0, Ft]), Q);
    const S = add(multiDot([Ha, P, Ht]), R);
    const K = solve(S, matmul(Ha, P)).T;
    x = add(x, matmul(K, subtract(z, matmul(Ha, x))));
    P = matmul(subtract(I, matmul(K, Ha)), P);
    return [x, P];
  };
}

/** The same step through ml-matrix. */
function kalmanMlMatrix() {
  const { Matrix, solve } = require('ml-matrix');
  const Fm = new Matrix(F);
  const Hm = new Matrix(H);
  const Q = Matrix.eye(4).mul(0.01);
  const R = Matrix.eye(2).mul(0.25);
  const I = Matrix.eye(4);
  const z = Matrix.columnVector(Z);
  const x0 = Matrix.zeros(4, 1);
  const P0 = Matrix.eye(4);
  return () => {
    let x = Fm.mmul(x0);
    let P = Fm.mmul(P0).mmul(Fm.transpose()).add(Q);
    const S = Hm.mmul(P).mmul(Hm.transpose()).add(R);
    const K = solve(S, Hm.mmul(P)).transpose();
    x = x.add(K.mmul(z.sub(Hm.mmul(x))));
    P = I.sub(K.mmul(Hm)).mmul(P);
    return [x, P];
  };
}

/**
 * The same step in plain JS over Float64Arrays, written the way a user
 * would for a fixed 4-state, 2-measurement filter (S⁻¹ as the 2×2 closed form).
 */
function kalmanPlain() {
  const f = Float64Array.from(F.flat());
  const q = 0.01;
  const r = 0.25;
  const x0 = new Float64Array(4);
  const p0 = Float64Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  const mm = (a, b, ar, ac, bc) => {
    const c = new Float64Array(ar * bc);
    for (let i = 0; i < ar; i++) for (let k = 0; k < ac; k++) for (let j = 0; j < bc; j++) c[i * bc + j] += a[i * ac + k] * b[k * bc + j];
    return c;
  };
  const tr = (a, rows, cols) => {
    const t = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
    return t;
  };
  const ft = tr(f, 4, 4);
  return () => {
    const x = mm(f, x0, 4, 4, 1);
    const P = mm(mm(f, p0, 4, 4, 4), ft, 4, 4, 4);
    for (let i = 0; i < 4; i++) P[i * 5] += q;
    // S = H P Hᵀ + R: the top-left 2×2 of P (H picks the first two states).
    const s00 = P[0] + r;
    const s01 = P[1];
    const s10 = P[4];
    const s11 = P[5] + r;
    const det = s00 * s11 - s01 * s10;
    // K = (S⁻¹ H P)ᵀ, 4×2; H P is P's first two rows.
    const K = new Float64Array(8);
    for (let j = 0; j < 4; j++) {
      K[j * 2] = (s11 * P[j] - s01 * P[4 + j]) / det;
      K[j * 2 + 1] = (-s10 * P[j] + s00 * P[4 + j]) / det;
    }
    const y0 = Z[0] - x[0];
    const y1 = Z[1] - x[1];
    for (let i = 0; i < 4; i++) x[i] += K[i * 2] * y0 + K[i * 2 + 1] * y1;
    // P = (I − K H) P
    const next = new Float64Array(16);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) next[i * 4 + j] = P[i * 4 + j] - K[i * 2] * P[j] - K[i * 2 + 1] * P[4 + j];
    }
    return [x, next];
  };
}

/** The three steps compute the same x and P (to rounding), or the timing compares different work. */
function checkKalman(steps) {
  const flat = (v) => (v.to1DArray ? v.to1DArray() : v instanceof weft.NDArray ? Array.from(v.copy().data) : Array.from(v));
  const [x, P] = steps.weft().map(flat);
  for (const [name, step] of Object.entries(steps)) {
    const [x2, P2] = step().map(flat);
    const worst = Math.max(...[...x, ...P].map((v, i) => Math.abs(v - [...x2, ...P2][i])));
    if (!(worst < 1e-12) || x2.length !== 4 || P2.length !== 16) throw new Error(`Kalman step: ${name} differs from weft by ${worst}`);
  }
}

// ---------------------------------------------------------------- the group

function numpyTimes(env, specs) {
  return Object.fromEntries(numpyPeer(env, 'numpy_small.py', specs).map((r) => [r.spec, r.nsPerCall]));
}

/**
 * The measured limits the stacks are held to: raw dgemm/sgemm's best
 * GFLOP/s and the best memory bandwidth raw stream measures — from this
 * run's limit and array groups (report.limit, report.stream), or measured
 * here when the run left those groups out (`--only small`).
 */
function measuredLimits(report, raw, mode) {
  const gemm = (dtype) => {
    const rows = report.limit?.filter((r) => r.op === 'matmul' && r.dtype === dtype);
    if (rows?.length) return Math.max(...rows.map((r) => r.rawGflops));
    const n = mode === 'smoke' ? 64 : 1024;
    const run = spawnSync(raw, ['matmul', dtype, String(n)], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`raw matmul failed: ${run.stderr}`);
    return (2 * n ** 3) / JSON.parse(run.stdout.trim().split('\n')[0]).nsPerCall;
  };
  let kernels = report.stream?.kernels;
  if (!kernels) {
    const run = spawnSync(raw, ['stream', '0', String(mode === 'smoke' ? 1e5 : 1e7)], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`raw stream failed: ${run.stderr}`);
    kernels = run.stdout.trim().split('\n').map((l) => ({ gbPerS: JSON.parse(l).gbPerSecond }));
  }
  return { gflops: { float64: gemm('float64'), float32: gemm('float32') }, gbPerS: Math.max(...kernels.map((k) => k.gbPerS)) };
}

/**
 * Fills report.small: { limits, stacks, calls, kalman }.
 * @param env { time, say, fmtNs, config, mode, python, oracleDir, root, raw }
 */
export async function smallGroup(report, env) {
  const { time, say, fmtNs, mode, raw } = env;
  const sizes = SMALL_SIZES[mode];
  const stackSpecs = [];
  for (const dtype of ['float64', 'float32']) for (const [count, n] of sizes.stacks) for (const op of STACK_OPS) stackSpecs.push({ op, count, n, dtype });
  const numpy = numpyTimes(env, [
    ...stackSpecs.map(({ op, count, n, dtype }) => `stack:${op}:${count}:${n}:${dtype}`),
    ...CALLS.map(([op, n]) => `call:${op}:${n}`),
    'kalman',
  ]);
  const limits = measuredLimits(report, raw, mode);
  const stacks = [];
  for (const { op, count, n, dtype } of stackSpecs) {
    const data = stackInputs(op, count, n, dtype);
    const syncNs = await time(stackCall(op, data, false));
    const asyncNs = await time(stackCall(op, data, true));
    const mlMatrixNs = dtype === 'float64' && sizes.mlMatrix ? await time(mlMatrixStack(op, data)) : undefined;
    const numpyNs = numpy[`stack:${op}:${count}:${n}:${dtype}`];
    const flops = count * FLOPS[op](n);
    const bytes = count * ELEMENTS[op](n) * (dtype === 'float32' ? 4 : 8);
    const limitNs = Math.max(flops / limits.gflops[dtype], bytes / limits.gbPerS);
    const row = { op, shape: [count, n, n], dtype, syncNs, asyncNs, numpyNs, mlMatrixNs, limitNs, gflopsSync: flops / syncNs, numpySpeedup: numpyNs / syncNs, fromLimit: syncNs / limitNs };
    stacks.push(row);
    say(`small  ${op.padEnd(8)} [${count},${n},${n}] ${dtype} sync ${fmtNs(syncNs).padStart(9)}  async ${fmtNs(asyncNs).padStart(9)}  numpy ${fmtNs(numpyNs).padStart(9)} (${row.numpySpeedup.toFixed(2)}×)  limit ${fmtNs(limitNs)}${mlMatrixNs ? `  ml-matrix ${fmtNs(mlMatrixNs)}` : ''}`);
  }
  const calls = [];
  for (const [op, n] of CALLS) {
    const data = singleInputs(op, n);
    const syncNs = await time(weftSingle(op, data));
    const mlMatrixNs = await time(mlMatrixSingle(op, data));
    const numpyNs = numpy[`call:${op}:${n}`];
    calls.push({ op, n, syncNs, numpyNs, mlMatrixNs });
    say(`small  call ${op} ${n}×${n}${op === 'multiDot' ? ' ×3' : ''}: weft ${fmtNs(syncNs)}, numpy ${fmtNs(numpyNs)}, ml-matrix ${fmtNs(mlMatrixNs)}`);
  }
  const steps = { weft: kalmanWeft(), plain: kalmanPlain(), mlMatrix: kalmanMlMatrix() };
  checkKalman(steps);
  const kalman = { weftNs: await time(steps.weft), plainNs: await time(steps.plain), mlMatrixNs: await time(steps.mlMatrix), numpyNs: numpy.kalman };
  say(`small  Kalman step: weft ${fmtNs(kalman.weftNs)}, plain JS ${fmtNs(kalman.plainNs)}, ml-matrix ${fmtNs(kalman.mlMatrixNs)}, numpy ${fmtNs(kalman.numpyNs)}`);
  report.small = { limits, stacks, calls, kalman };
}

/** The markdown of report.small. */
export function smallMarkdown(report, fmtNs) {
  const { limits, stacks, calls, kalman } = report.small;
  const lines = [
    '## Small matrices',
    '',
    `Stacks in one call (numpy / weft sync: > 1 is weft faster). The limit is the stack's flops at raw gemm's measured peak (${limits.gflops.float64.toFixed(0)} GFLOP/s float64, ${limits.gflops.float32.toFixed(0)} float32) or its bytes at the measured bandwidth (${limits.gbPerS.toFixed(1)} GB/s), whichever is longer; ml-matrix loops over the items.`,
    '',
    '| op | stack | dtype | weft sync | weft async | numpy | numpy / sync | limit | sync / limit | ml-matrix |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of stacks) {
    lines.push(`| ${r.op} | [${r.shape.join(',')}] | ${r.dtype} | ${fmtNs(r.syncNs)} | ${fmtNs(r.asyncNs)} | ${fmtNs(r.numpyNs)} | ${r.numpySpeedup.toFixed(2)}× | ${fmtNs(r.limitNs)} | ${r.fromLimit.toFixed(1)}× | ${r.mlMatrixNs ? fmtNs(r.mlMatrixNs) : '—'} |`);
  }
  lines.push('', 'Single sync calls on float64 matrices (multiDot: three n×n):', '', '| op | n | weft | numpy | ml-matrix |', '|---|---|---|---|---|');
  for (const c of calls) lines.push(`| ${c.op} | ${c.n} | ${fmtNs(c.syncNs)} | ${fmtNs(c.numpyNs)} | ${fmtNs(c.mlMatrixNs)} |`);
  lines.push(
    '',
    `Kalman step (examples/kalman, 4 states, 2 measured): weft ${fmtNs(kalman.weftNs)}, plain JS ${fmtNs(kalman.plainNs)} (weft / plain ${(kalman.weftNs / kalman.plainNs).toFixed(1)}×), ml-matrix ${fmtNs(kalman.mlMatrixNs)}, numpy ${fmtNs(kalman.numpyNs)}.`,
  );
  return lines;
}
