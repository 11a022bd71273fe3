#!/usr/bin/env node
// `npm run bench`: weft against the limit (raw oneMKL from C++, same inputs)
// and against what a user would pick instead (ml-matrix, numpy, @stdlib),
// measured side by side in one run. Writes bench.json, bench.md and one SVG
// chart per group into --out (default bench-results/).
//
//   node bench/run.mjs            quick (a few minutes on 2 cores)
//   node bench/run.mjs --full     every size
//   node bench/run.mjs --smoke    tiny sizes, one run: checks the plumbing (CI)
//   node bench/run.mjs --only small,arrays   some groups (limit, overhead, peers, arrays, small)
//
// Every figure is the median of several timed runs after a warm-up; a run
// repeats the call until it lasts a minimum time, so small sizes are timed
// over many calls. Ratios compare figures taken in this same run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { NDArray, linalg, threading } from '../dist/index.js';
import { fillMatrix } from '../dist/cli/demo/workloads.js';
import { buildRaw } from './build-raw.mjs';
import { arraysGroup, arraysMarkdown } from './arrays.mjs';
import { smallGroup, smallMarkdown } from './small.mjs';
import { barChart } from './chart.mjs';
import { fetchOracle, oracleDir, python } from '../scripts/dev/fetch-oracle.mjs';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const mode = args.includes('--full') ? 'full' : args.includes('--smoke') ? 'smoke' : 'quick';
const outIndex = args.indexOf('--out');
const out = resolve(outIndex >= 0 ? args[outIndex + 1] : join(root, 'bench-results'));
const GROUPS = ['limit', 'overhead', 'peers', 'arrays', 'small'];
const onlyIndex = args.indexOf('--only');
const groups = onlyIndex >= 0 ? args[onlyIndex + 1].split(',') : GROUPS;
for (const g of groups) if (!GROUPS.includes(g)) throw new Error(`--only: no group '${g}' (the groups: ${GROUPS.join(', ')})`);

const CONFIG = {
  smoke: { minMs: 1, runs: 1, matmul: [16], ops: [16], peers: [16], tiny: 200, batch: 100 },
  quick: { minMs: 30, runs: 5, matmul: [64, 256, 1024, 2048], ops: [64, 256, 1024], peers: [64, 256], tiny: 200_000, batch: 10_000 },
  full: { minMs: 40, runs: 7, matmul: [64, 128, 256, 512, 1024, 2048], ops: [64, 128, 256, 512, 1024], peers: [64, 256, 512], tiny: 500_000, batch: 10_000 },
}[mode];

export const OPS = ['matmul', 'qr', 'svd', 'eigh', 'solve', 'cholesky', 'inv'];
const say = (line = '') => process.stderr.write(`${line}\n`);

// ---------------------------------------------------------------- timing

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Median ns per call of `call` (sync or async), as raw.cc and numpy_bench.py time it. */
async function time(call) {
  await call();
  let calls = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) await call();
    if (performance.now() - t0 >= CONFIG.minMs || calls >= 1 << 20) break;
    calls *= 2;
  }
  const samples = [];
  for (let r = 0; r < CONFIG.runs; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) await call();
    samples.push(Number(process.hrtime.bigint() - t0) / calls);
  }
  return median(samples);
}

/** Synchronous calls timed without an await between them (the overhead group). */
function timeSync(call, count) {
  for (let i = 0; i < Math.min(count, 20_000); i++) call();
  const samples = [];
  for (let r = 0; r < CONFIG.runs; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < count; i++) call();
    samples.push(Number(process.hrtime.bigint() - t0) / count);
  }
  return median(samples);
}

// ---------------------------------------------------------------- inputs

/** The matrices raw.cc and numpy_bench.py factor too (same generator). */
function inputs(op, n, dtype) {
  const make = (seed) => {
    const data = new Float64Array(n * n);
    fillMatrix(data, seed);
    return data;
  };
  let a = make(1);
  const b = make(2);
  if (op === 'eigh') {
    const s = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s[i * n + j] = (a[i * n + j] + a[j * n + i]) / 2;
    a = s;
  } else if (op === 'cholesky') {
    // AᵀA + n·I, symmetrised: gemm's blocked sums need not give (i, j) and
    // (j, i) the same last bit, and ml-matrix refuses any asymmetry.
    const m = { data: a, shape: [n, n] };
    const g = linalg.matmul(linalg.transpose(m), m).data;
    a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = (g[i * n + j] + g[j * n + i]) / 2 + (i === j ? n : 0);
  }
  const typed = (x) => (dtype === 'float32' ? Float32Array.from(x) : x);
  return { a: new NDArray(typed(a), [n, n]), b: new NDArray(typed(b), [n, n]), bvec: new NDArray(typed(b.subarray(0, n)), [n]) };
}

function weftCall(op, { a, b, bvec }, async) {
  const fn = (name) => linalg[async ? `${name}Async` : name];
  switch (op) {
    case 'matmul': return () => fn('matmul')(a, b);
    case 'qr': return () => fn('qr')(a);
    case 'svd': return () => fn('svd')(a);
    case 'eigh': return () => fn('eigh')(a);
    case 'solve': return () => fn('solve')(a, bvec);
    case 'cholesky': return () => fn('cholesky')(a);
    case 'inv': return () => fn('inv')(a);
    case 'dot': return () => fn('vdot')(a, b);
    default: throw new Error(op);
  }
}

const flops = (op, n) => ({ matmul: 2 * n ** 3, qr: (4 / 3) * n ** 3 * 2, cholesky: n ** 3 / 3, solve: (2 / 3) * n ** 3, inv: 2 * n ** 3 })[op];

// ---------------------------------------------------------------- groups

async function limitGroup(report) {
  const raw = buildRaw();
  const rows = [];
  for (const dtype of ['float64', 'float32']) {
    for (const op of OPS) {
      const sizes = op === 'matmul' ? CONFIG.matmul : CONFIG.ops;
      const rawRun = spawnSync(raw, [op, dtype, ...sizes.map(String)], { encoding: 'utf8' });
      if (rawRun.status !== 0) throw new Error(`raw ${op} failed: ${rawRun.stderr}`);
      const rawNs = Object.fromEntries(rawRun.stdout.trim().split('\n').map((l) => JSON.parse(l)).map((r) => [r.n, r.nsPerCall]));
      for (const n of sizes) {
        const data = inputs(op, n, dtype);
        const sync = await time(weftCall(op, data, false));
        const async = await time(weftCall(op, data, true));
        const row = { op, dtype, n, rawNs: rawNs[n], syncNs: sync, asyncNs: async, syncRatio: sync / rawNs[n], asyncRatio: async / rawNs[n] };
        if (op === 'matmul') Object.assign(row, { rawGflops: flops(op, n) / rawNs[n], syncGflops: flops(op, n) / sync, asyncGflops: flops(op, n) / async });
        rows.push(row);
        say(`limit  ${op.padEnd(9)} ${dtype} n=${String(n).padEnd(5)} raw ${fmtNs(row.rawNs).padStart(9)}  sync ${row.syncRatio.toFixed(2)}×  async ${row.asyncRatio.toFixed(2)}×`);
      }
    }
  }
  report.limit = rows;
}

async function overheadGroup(report) {
  const rows = [];
  for (const n of [2, 4, 8]) {
    const a = new NDArray(Float64Array.from({ length: n * n }, (_, i) => ((i * 7) % 11) + (i % (n + 1) === 0 ? n : 0)), [n, n]);
    const b = new NDArray(Float64Array.from({ length: n * n }, (_, i) => (i % 5) - 2), [n, n]);
    for (const [op, call] of [['matmul', () => linalg.matmul(a, b)], ['solve', () => linalg.solve(a, b)]]) {
      const sync = timeSync(call, CONFIG.tiny);
      const asyncCall = op === 'matmul' ? () => linalg.matmulAsync(a, b) : () => linalg.solveAsync(a, b);
      const inFlight = 1000;
      const batches = Math.max(1, Math.round(CONFIG.tiny / 20 / inFlight));
      await Promise.all(Array.from({ length: inFlight }, asyncCall));
      const samples = [];
      for (let r = 0; r < CONFIG.runs; r++) {
        const t0 = process.hrtime.bigint();
        for (let k = 0; k < batches; k++) await Promise.all(Array.from({ length: inFlight }, asyncCall));
        samples.push(Number(process.hrtime.bigint() - t0) / (batches * inFlight));
      }
      const awaited = await time(asyncCall);
      rows.push({ op, n, syncNs: sync, asyncNsPerPromise: median(samples), asyncNsAwaited: awaited });
      say(`overhead ${op} ${n}×${n}: sync ${fmtNs(sync)}, async ${fmtNs(median(samples))} per Promise (1000 in flight), ${fmtNs(awaited)} awaited one by one`);
    }
  }
  // One call on a stack of 10 000 4×4 matrices against 10 000 calls.
  const count = CONFIG.batch;
  const stack = new NDArray(Float64Array.from({ length: count * 16 }, (_, i) => Math.sin(i)), [count, 4, 4]);
  const items = Array.from({ length: count }, (_, i) => new NDArray(stack.data.subarray(i * 16, i * 16 + 16), [4, 4]));
  const batched = await time(() => linalg.matmul(stack, stack));
  const loop = await time(() => {
    for (const m of items) linalg.matmul(m, m);
  });
  report.batch = { count, batchedNs: batched, loopNs: loop, speedup: loop / batched };
  say(`overhead [${count},4,4] matmul: one batched call ${fmtNs(batched)}, a loop of ${count} calls ${fmtNs(loop)} (${(loop / batched).toFixed(1)}×)`);
  report.overhead = rows;
}

async function peersGroup(report) {
  const { Matrix, QrDecomposition, SingularValueDecomposition, EigenvalueDecomposition, CholeskyDecomposition, solve, inverse } = require('ml-matrix');
  const dgemm = require('@stdlib/blas-base-dgemm');
  const ddot = require('@stdlib/blas-base-ddot');
  const rows = [];
  // numpy, in a Python child that times internally.
  fetchOracle();
  const specs = [...OPS, 'dot'].map((op) => `${op}:${CONFIG.peers.join(',')}`);
  const np = spawnSync(python, [join(root, 'bench', 'peers', 'numpy_bench.py'), String(CONFIG.minMs), String(CONFIG.runs), ...specs], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: oracleDir, PYTHONNOUSERSITE: '1' },
    maxBuffer: 1 << 24,
  });
  if (np.status !== 0) throw new Error(`numpy bench failed: ${np.stderr}`);
  const npLines = np.stdout.trim().split('\n').map((l) => JSON.parse(l));
  report.numpy = npLines.pop();
  const npNs = Object.fromEntries(npLines.map((r) => [`${r.op}:${r.n}`, r.nsPerCall]));
  for (const n of CONFIG.peers) {
    for (const op of [...OPS, 'dot']) {
      const data = inputs(op, n, 'float64');
      const weft = await time(weftCall(op, data, false));
      const row = { op, n, weftNs: weft, numpyNs: npNs[`${op}:${n}`] };
      const A = new Matrix(data.a.toArray());
      const B = new Matrix(data.b.toArray());
      const ml = {
        matmul: () => A.mmul(B),
        qr: () => {
          const qr = new QrDecomposition(A);
          return [qr.orthogonalMatrix, qr.upperTriangularMatrix];
        },
        svd: () => new SingularValueDecomposition(A),
        eigh: () => new EigenvalueDecomposition(A, { assumeSymmetric: true }),
        solve: () => solve(A, Matrix.columnVector(Array.from(data.bvec.data))),
        cholesky: () => new CholeskyDecomposition(A).lowerTriangularMatrix,
        inv: () => inverse(A),
      }[op];
      if (ml) row.mlMatrixNs = await time(ml);
      if (op === 'matmul') {
        const c = new Float64Array(n * n);
        row.stdlibNs = await time(() => dgemm('row-major', 'no-transpose', 'no-transpose', n, n, n, 1, data.a.data, n, data.b.data, n, 0, c, n));
      }
      if (op === 'dot') row.stdlibNs = await time(() => ddot(n * n, data.a.data, 1, data.b.data, 1));
      rows.push(row);
      say(`peers  ${op.padEnd(9)} n=${String(n).padEnd(4)} weft ${fmtNs(weft).padStart(9)}  numpy ${(row.numpyNs / weft).toFixed(2)}×${row.mlMatrixNs ? `  ml-matrix ${(row.mlMatrixNs / weft).toFixed(0)}×` : ''}${row.stdlibNs ? `  @stdlib ${(row.stdlibNs / weft).toFixed(1)}×` : ''}`);
    }
  }
  report.peers = rows;
}

// ---------------------------------------------------------------- report

function fmtNs(ns) {
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${ns.toFixed(0)} ns`;
}

function markdown(report) {
  const m = report.machine;
  const peak = m.peakGflopsFloat64 ? ` Nominal float64 peak: ${m.cpus} cores × ${(m.mhz / 1000).toFixed(2)} GHz × ${m.isa === 'AVX-512' ? 32 : 16} flops/cycle (${m.isa}, two FMA units) = ${m.peakGflopsFloat64.toFixed(0)} GFLOP/s; turbo clocks can exceed it.` : '';
  const lines = [`# weft benchmark (${report.mode})`, '', `${report.machine.cpu}, ${report.machine.cpus} CPUs; oneMKL ${report.weft.mkl} (${report.weft.layer} layer, ${report.weft.codePath.split(' with ')[0]}); oneTBB ${report.weft.tbb}; numpy ${report.numpy?.numpy} with ${report.numpy?.blas?.name} ${report.numpy?.blas?.version}; ${report.date}.${peak}`, '', 'Medians; ratios taken in the same run.', ''];
  if (report.limit) lines.push('## weft against raw oneMKL (weft time / raw time; ≤ 1.05 is the target at n ≥ 256)', '', '| op | dtype | n | raw MKL | weft sync | weft async | GFLOP/s raw / sync / async |', '|---|---|---|---|---|---|---|');
  for (const r of report.limit ?? []) {
    lines.push(`| ${r.op} | ${r.dtype} | ${r.n} | ${fmtNs(r.rawNs)} | ${r.syncRatio.toFixed(2)}× | ${r.asyncRatio.toFixed(2)}× | ${r.rawGflops ? `${r.rawGflops.toFixed(0)} / ${r.syncGflops.toFixed(0)} / ${r.asyncGflops.toFixed(0)}` : ''} |`);
  }
  if (report.overhead) {
    lines.push('', '## Per-call overhead on tiny inputs', '', '| op | size | sync per call | async per Promise (1000 in flight) | async, awaited one by one |', '|---|---|---|---|---|');
    for (const r of report.overhead) lines.push(`| ${r.op} | ${r.n}×${r.n} | ${fmtNs(r.syncNs)} | ${fmtNs(r.asyncNsPerPromise)} | ${fmtNs(r.asyncNsAwaited)} |`);
    const b = report.batch;
    lines.push('', `A stack of ${b.count} 4×4 matmuls in one call: ${fmtNs(b.batchedNs)}; ${b.count} separate calls: ${fmtNs(b.loopNs)} (${b.speedup.toFixed(1)}× faster batched).`);
  }
  if (report.peers) lines.push('', '## Against the peers (float64; how many times longer the peer takes than weft sync)', '', '| op | n | weft | numpy | ml-matrix | @stdlib |', '|---|---|---|---|---|---|');
  for (const r of report.peers ?? []) {
    const x = (peer) => (peer ? `${(peer / r.weftNs).toFixed(peer / r.weftNs >= 10 ? 0 : 2)}×` : '—');
    lines.push(`| ${r.op} | ${r.n} | ${fmtNs(r.weftNs)} | ${x(r.numpyNs)} | ${x(r.mlMatrixNs)} | ${x(r.stdlibNs)} |`);
  }
  if (report.arrays) lines.push('', ...arraysMarkdown(report, fmtNs));
  if (report.small) lines.push('', ...smallMarkdown(report, fmtNs));
  return `${lines.join('\n')}\n`;
}

function charts(report) {
  if (!report.limit || !report.peers || !report.overhead) return {};
  const largest = (op) => Math.max(...report.limit.filter((r) => r.op === op).map((r) => r.n));
  const limit = barChart({
    title: 'weft / raw oneMKL, float64 (lower is better; target ≤ 1.05)',
    groups: OPS.map((op) => {
      const r = report.limit.find((x) => x.op === op && x.dtype === 'float64' && x.n === largest(op));
      return { label: `${op} ${r.n}`, values: { sync: r.syncRatio, async: r.asyncRatio } };
    }),
    series: ['sync', 'async'],
    reference: 1.05,
    log: false,
  });
  const peerN = report.peers.some((r) => r.n === 256) ? 256 : report.peers[0].n;
  const peers = barChart({
    title: `how many times longer the peer takes than weft, n = ${peerN} (log scale)`,
    groups: report.peers.filter((r) => r.n === peerN).map((r) => ({
      label: r.op,
      values: { numpy: r.numpyNs / r.weftNs, 'ml-matrix': r.mlMatrixNs ? r.mlMatrixNs / r.weftNs : 0, '@stdlib': r.stdlibNs ? r.stdlibNs / r.weftNs : 0 },
    })),
    series: ['numpy', 'ml-matrix', '@stdlib'],
    reference: 1,
    log: true,
  });
  const overhead = barChart({
    title: 'per-call overhead on tiny inputs, µs (lower is better)',
    groups: report.overhead.map((r) => ({ label: `${r.op} ${r.n}×${r.n}`, values: { sync: r.syncNs / 1e3, 'async (in flight)': r.asyncNsPerPromise / 1e3 } })),
    series: ['sync', 'async (in flight)'],
    log: false,
  });
  return { 'limit.svg': limit, 'peers.svg': peers, 'overhead.svg': overhead };
}

/**
 * The CPU's vector ISA and nominal clock from /proc/cpuinfo, and the peak
 * float64 GFLOP/s they imply: cores × GHz × flops per cycle (two FMA units:
 * 32 with AVX-512, 16 with AVX2+FMA). Turbo clocks can beat it; raw MKL's
 * own figure is the practical limit.
 */
function cpuPeak(cores) {
  let text;
  try {
    text = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return { mhz: null, isa: 'unknown', peakGflopsFloat64: null };
  }
  const mhz = Number(/^cpu MHz\s*:\s*([\d.]+)/m.exec(text)?.[1]) || null;
  const flags = new Set((/^flags\s*:(.*)$/m.exec(text)?.[1] ?? '').trim().split(/\s+/));
  const isa = flags.has('avx512f') ? 'AVX-512' : flags.has('avx2') && flags.has('fma') ? 'AVX2+FMA' : 'SSE';
  const perCycle = { 'AVX-512': 32, 'AVX2+FMA': 16, SSE: 4 }[isa];
  return { mhz, isa, peakGflopsFloat64: mhz ? (cores * mhz * perCycle) / 1000 : null };
}

const info = threading.info();
const report = {
  mode,
  date: new Date().toISOString().slice(0, 10),
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cpus: info.cpus, node: process.version, ...cpuPeak(info.cpus) },
  weft: { mkl: info.mkl.version, tbb: info.tbb.version, layer: info.mkl.threadingLayer, codePath: info.mkl.codePath },
  config: CONFIG,
};
say(`weft bench (${mode}) — ${report.machine.cpu}, ${report.machine.cpus} CPUs, MKL ${info.mkl.version} ${info.mkl.threadingLayer}`);
const env = { time, say, fmtNs, config: CONFIG, mode, python, oracleDir, root, raw: buildRaw() };
if (groups.includes('limit')) await limitGroup(report);
if (groups.includes('overhead')) await overheadGroup(report);
if (groups.includes('peers')) await peersGroup(report);
if (groups.includes('arrays')) await arraysGroup(report, env);
if (groups.includes('small')) {
  fetchOracle();
  await smallGroup(report, env);
}
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(out, 'bench.md'), markdown(report));
const written = charts(report);
for (const [name, svg] of Object.entries(written)) writeFileSync(join(out, name), svg);
say(`wrote ${['bench.json', 'bench.md', ...Object.keys(written)].map((f) => join(out, f)).join(', ')}`);
