// The array-function group of `npm run bench`: elementwise arithmetic, `where`,
// oneMKL VM math and reductions — weft sync, weft async (awaited one by one)
// and numpy (one thread, its own ufunc loops) on the same inputs, plus weft's
// `add` at 1e7 elements against the machine's memory bandwidth, measured by
// raw.cc's STREAM-like kernels in the same run.
import { spawnSync } from 'node:child_process';
import * as weft from '../dist/index.js';
import { numpyPeer } from './numpy.mjs';

/** Sizes per bench mode. */
export const ARRAY_SIZES = {
  smoke: { elementwise: [10, 1000], math: [1000], square: 100, stream: 1e5 },
  quick: { elementwise: [10, 1e3, 1e5, 1e7], math: [1e5, 1e6], square: 1000, stream: 1e7 },
  full: { elementwise: [10, 100, 1e3, 1e4, 1e5, 1e6, 1e7], math: [1e3, 1e5, 1e6, 1e7], square: 1000, stream: 1e7 },
};
const ELEMENTWISE = ['add', 'multiply', 'where'];
const MATH = ['exp', 'log', 'sin', 'tanh', 'sqrt'];
/** Reductions of an n×n matrix: [label, op, axis]. */
const REDUCTIONS = [
  ['sum axis 0', 'sum', 0],
  ['sum axis -1', 'sum', -1],
  ['sum all', 'sum', null],
  ['mean axis 0', 'mean', 0],
  ['mean axis -1', 'mean', -1],
];

/**
 * The inputs numpy_arrays.py builds too: x and y in [0.1, 2) from the
 * fractional parts of i·φ and i·√2 (exact in both languages), cond = x < 1.05.
 */
function inputs(size) {
  const frac = (k) => weft.mod(weft.multiply(weft.arange(size), k), 1);
  const x = weft.add(weft.multiply(frac(0.6180339887498949), 1.9), 0.1);
  const y = weft.add(weft.multiply(frac(0.41421356237309515), 1.9), 0.1);
  return { x, y, cond: weft.less(x, 1.05) };
}

function call(op, { x, y, cond }, async) {
  const fn = weft[async ? `${op}Async` : op];
  if (op === 'where') return () => fn(cond, x, y);
  if (ELEMENTWISE.includes(op)) return () => fn(x, y);
  return () => fn(x);
}

/** Runs numpy_arrays.py on `specs` ('op:size,size' or 'op@axis:n'); ns per call by spec and size. */
function numpyTimes(env, specs) {
  return Object.fromEntries(numpyPeer(env, 'numpy_arrays.py', specs).map((r) => [`${r.spec}:${r.size}`, r.nsPerCall]));
}

/**
 * Fills report.arrays: one row per op and size with weft sync, weft async and
 * numpy ns per call, and report.stream: raw.cc's bandwidth figures beside
 * weft's add at the largest size.
 * @param env { time, say, fmtNs, config, mode, python, oracleDir, root, raw }
 */
export async function arraysGroup(report, env) {
  const { time, say, fmtNs, mode, raw } = env;
  const sizes = ARRAY_SIZES[mode];
  const specs = [
    ...[...ELEMENTWISE].map((op) => `${op}:${sizes.elementwise.join(',')}`),
    ...MATH.map((op) => `${op}:${sizes.math.join(',')}`),
    ...REDUCTIONS.map(([, op, axis]) => `${op}@${axis}:${sizes.square}`),
  ];
  const numpy = numpyTimes(env, specs);
  const rows = [];
  const measure = async (label, size, syncCall, asyncCall, key) => {
    const syncNs = await time(syncCall);
    const asyncNs = await time(asyncCall);
    const numpyNs = numpy[key];
    rows.push({ op: label, size, syncNs, asyncNs, numpyNs, syncSpeedup: numpyNs / syncNs, asyncSpeedup: numpyNs / asyncNs });
    say(`arrays ${label.padEnd(12)} ${String(size).padEnd(9)} sync ${fmtNs(syncNs).padStart(9)}  async ${fmtNs(asyncNs).padStart(9)}  numpy ${fmtNs(numpyNs).padStart(9)}  (numpy/sync ${(numpyNs / syncNs).toFixed(2)}×)`);
  };
  for (const op of [...ELEMENTWISE, ...MATH]) {
    for (const size of ELEMENTWISE.includes(op) ? sizes.elementwise : sizes.math) {
      const data = inputs(size);
      await measure(op, size, call(op, data, false), call(op, data, true), `${op}:${size}`);
    }
  }
  const n = sizes.square;
  const square = inputs(n * n).x.reshape(n, n);
  for (const [label, op, axis] of REDUCTIONS) {
    const options = axis === null ? {} : { axis };
    await measure(label, `${n}×${n}`, () => weft[op](square, options), () => weft[`${op}Async`](square, options), `${op}@${axis}:${n}`);
  }
  report.arrays = rows;

  // Memory bandwidth: raw.cc's copy-free kernels over `stream` doubles, against weft's add.
  const stream = [1, 0].flatMap((threads) => {
    const run = spawnSync(raw, ['stream', String(threads), String(sizes.stream)], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`raw stream failed: ${run.stderr}`);
    const all = threads === 0 ? report.machine.cpus : 1;
    return run.stdout.trim().split('\n').map((l) => JSON.parse(l)).map((r) => ({ kernel: r.op, threads: all, gbPerS: r.gbPerSecond }));
  });
  const { x, y } = inputs(sizes.stream);
  const addNs = await time(() => weft.add(x, y));
  // add reads two arrays and writes one: 24 bytes per element (as STREAM counts).
  const addGBs = (24 * sizes.stream) / addNs;
  report.stream = { size: sizes.stream, kernels: stream, weftAddNs: addNs, weftAddGBs: addGBs };
  say(`arrays stream ${stream.map((k) => `${k.kernel} ${k.threads}t ${k.gbPerS.toFixed(1)} GB/s`).join(', ')}; weft add ${addGBs.toFixed(1)} GB/s`);
}

/** The markdown table of report.arrays and the bandwidth line. */
export function arraysMarkdown(report, fmtNs) {
  const lines = ['## Array functions against numpy (numpy time / weft time: > 1 is weft faster)', '', '| op | size | weft sync | weft async | numpy | numpy / sync | numpy / async |', '|---|---|---|---|---|---|---|'];
  for (const r of report.arrays) {
    lines.push(`| ${r.op} | ${r.size} | ${fmtNs(r.syncNs)} | ${fmtNs(r.asyncNs)} | ${fmtNs(r.numpyNs)} | ${r.syncSpeedup.toFixed(2)}× | ${r.asyncSpeedup.toFixed(2)}× |`);
  }
  const s = report.stream;
  const best = Math.max(...s.kernels.map((k) => k.gbPerS));
  lines.push(
    '',
    `Memory bandwidth, ${s.size} float64 (STREAM counting, raw C++): ${s.kernels.map((k) => `${k.kernel} on ${k.threads} thread${k.threads > 1 ? 's' : ''} ${k.gbPerS.toFixed(1)} GB/s`).join('; ')}. weft's add: ${s.weftAddGBs.toFixed(1)} GB/s, ${(best / s.weftAddGBs).toFixed(2)}× below the best.`,
  );
  return lines;
}
