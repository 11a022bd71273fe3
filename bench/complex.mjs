// Complex linear algebra against numpy: matmul, solve, svd and eig on
// complex128 and complex64 n×n matrices (n = 256 by default), weft sync and
// async beside numpy (bench/peers/numpy_complex.py, the pinned oracle numpy
// in a Python child) on the same inputs, medians of several runs, printed
// as one table. numpy runs twice: with OpenBLAS's default threads and with
// one (OPENBLAS_NUM_THREADS=1): on a shared, loaded machine OpenBLAS's
// spinning threads made its complex svd 48× slower than one thread (1.87 s
// against 39 ms at n = 256, load average 10 on 2 vCPUs); weft's ratios are
// against the faster of the two. An op weft cannot run on complex input yet (it throws) shows
// a dash and the reason, so the script runs on any branch.
//
// usage: node bench/complex.mjs [--n 256] [--runs 5] [--min-ms 200] [--smoke] [--json FILE]
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as weft from '../dist/index.js';
import { numpyPeer } from './numpy.mjs';
import { fetchOracle, oracleDir, python } from '../scripts/dev/fetch-oracle.mjs';

const { linalg } = weft;
const root = fileURLToPath(new URL('..', import.meta.url));

const PHI = 0.6180339887498949;
const SQRT2 = 0.41421356237309515;
const OPS = ['matmul', 'solve', 'svd', 'eig'];
const DTYPES = ['complex128', 'complex64'];

function args(argv) {
  const opt = { n: 256, runs: 5, minMs: 200, json: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--smoke') Object.assign(opt, { n: 16, runs: 2, minMs: 5 });
    else if (a === '--n') opt.n = Number(argv[++i]);
    else if (a === '--runs') opt.runs = Number(argv[++i]);
    else if (a === '--min-ms') opt.minMs = Number(argv[++i]);
    else if (a === '--json') opt.json = argv[++i];
    else throw new Error(`bench/complex.mjs: unknown argument ${a}`);
  }
  return opt;
}

/** numpy_complex.py's inputs(): frac(k·φ) − 0.5 + (frac(k·√2) − 0.5)i, n on a's diagonal; b with φ and √2 swapped. */
function inputs(n, dtype) {
  const frac = (step) => weft.subtract(weft.mod(weft.multiply(weft.arange(n * n), step), 1), 0.5).data;
  const [re, im] = [frac(PHI), frac(SQRT2)];
  const pair = (x, y, diagonal) => {
    const data = new Float64Array(2 * n * n);
    for (let k = 0; k < n * n; k++) {
      data[2 * k] = x[k] + (diagonal && k % (n + 1) === 0 ? n : 0);
      data[2 * k + 1] = y[k];
    }
    return weft.array({ data, shape: [n, n], dtype: 'complex128' }, { dtype });
  };
  const b = pair(im, re, false);
  return { a: pair(re, im, true), b, rhs: weft.array(b.slice(null, [0, 1]), { dtype }) };
}

function call(op, { a, b, rhs }, async) {
  const fn = linalg[async ? `${op}Async` : op];
  return { matmul: () => fn(a, b), solve: () => fn(a, rhs), svd: () => fn(a), eig: () => fn(a) }[op];
}

/** numpy_bench.py's timed(): calls doubled until a batch takes minMs, then the median of `runs` batches (ns per call). */
async function timed(fn, minMs, runs) {
  await fn();
  let calls = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) await fn();
    if (performance.now() - t0 >= minMs || calls >= 1 << 20) break;
    calls *= 2;
  }
  const samples = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) await fn();
    samples.push(((performance.now() - t0) * 1e6) / calls);
  }
  samples.sort((x, y) => x - y);
  return samples[Math.floor(samples.length / 2)];
}

/** weft's time for one op, or the reason it cannot run (the op threw on complex input). */
async function weftTime(op, input, async, opt) {
  const fn = call(op, input, async);
  try {
    await fn();
  } catch (err) {
    return { error: String(err.message ?? err).split('\n')[0] };
  }
  return { ns: await timed(fn, opt.minMs, opt.runs) };
}

const ms = (ns) => (ns / 1e6).toFixed(ns < 1e7 ? 3 : 1);

async function main() {
  const opt = args(process.argv.slice(2));
  fetchOracle();
  const specs = DTYPES.flatMap((dtype) => OPS.map((op) => `${op}:${opt.n}:${dtype}`));
  const numpyTimes = (threads) => {
    const saved = process.env.OPENBLAS_NUM_THREADS;
    if (threads === undefined) delete process.env.OPENBLAS_NUM_THREADS;
    else process.env.OPENBLAS_NUM_THREADS = String(threads);
    try {
      return new Map(numpyPeer({ python, oracleDir, root, config: { minMs: opt.minMs, runs: opt.runs } }, 'numpy_complex.py', specs).map((r) => [r.spec, r.nsPerCall]));
    } finally {
      if (saved === undefined) delete process.env.OPENBLAS_NUM_THREADS;
      else process.env.OPENBLAS_NUM_THREADS = saved;
    }
  };
  const [numpy, numpy1] = [numpyTimes(undefined), numpyTimes(1)];
  const rows = [];
  for (const dtype of DTYPES) {
    const input = inputs(opt.n, dtype);
    for (const op of OPS) {
      const sync = await weftTime(op, input, false, opt);
      const async = await weftTime(op, input, true, opt);
      const spec = `${op}:${opt.n}:${dtype}`;
      rows.push({ op, dtype, n: opt.n, numpyNs: numpy.get(spec), numpy1Ns: numpy1.get(spec), syncNs: sync.ns, asyncNs: async.ns, error: sync.error ?? async.error });
    }
  }
  const cell = (ns, ref) => (ns === undefined ? '—' : `${ms(ns)} (${(ref / ns).toFixed(2)}×)`);
  const lines = [
    `complex linear algebra, n = ${opt.n}: median ms per call (in brackets the faster numpy's time / weft's: > 1 is weft faster)`,
    '',
    '| op | dtype | numpy | numpy, 1 thread | weft sync | weft async |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => {
      const best = Math.min(r.numpyNs, r.numpy1Ns);
      return `| ${r.op} | ${r.dtype} | ${ms(r.numpyNs)} | ${ms(r.numpy1Ns)} | ${cell(r.syncNs, best)} | ${cell(r.asyncNs, best)} |${r.error ? ` skipped: ${r.error}` : ''}`;
    }),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (opt.json) writeFileSync(opt.json, JSON.stringify({ n: opt.n, runs: opt.runs, rows }, null, 2));
}

await main();
