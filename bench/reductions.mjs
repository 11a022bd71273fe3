#!/usr/bin/env node
// sum and mean against numpy (issue 13's target: at least numpy's speed for
// a 1000×1000 float64 along axis 0 and -1), and sum over sizes 10 to 1e7.
// weft sync and async, numpy single-threaded in a child process (the pinned
// oracle, scripts/dev/fetch-oracle.mjs). Each figure is the fastest of 7
// runs, over alternating rounds of both sides: on a shared, loaded machine
// the fastest run is the one least disturbed, for both alike.
//
// Usage: node bench/reductions.mjs [--rounds N] [--threads N]   (after npx tsc)
import { spawnSync } from 'node:child_process';
import { NDArray, mean, meanAsync, sum, sumAsync, threading } from '../dist/index.js';
import { fetchOracle, oracleDir, python } from '../scripts/dev/fetch-oracle.mjs';

const flag = (name, fallback) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const rounds = flag('--rounds', 3);
if (flag('--threads', 0)) threading.setMaxThreads(flag('--threads', 0));
const fill = (n) => Float64Array.from({ length: n }, (_, i) => Math.sin(i) + 1);
const matrix = new NDArray(fill(1e6), [1000, 1000]);
const cases = [
  ...['sum', 'mean'].flatMap((op) => [0, -1, null].map((axis) => ({ label: `${op} 1000x1000 axis=${axis}`, op, shape: [1000, 1000], axis }))),
  ...[10, 1e3, 1e5, 1e7].map((n) => ({ label: `sum ${n}`, op: 'sum', shape: [n], axis: null })),
];
const ops = { sum: [sum, sumAsync], mean: [mean, meanAsync] };

/** Microseconds per call: the fastest of 7 runs, each repeating the call for at least 20 ms (sync calls are not awaited). */
async function time(call, isAsync) {
  const repeat = async (reps) => {
    const t0 = process.hrtime.bigint();
    if (isAsync) for (let i = 0; i < reps; i++) await call();
    else for (let i = 0; i < reps; i++) call();
    return Number(process.hrtime.bigint() - t0);
  };
  let reps = 1;
  while ((await repeat(reps)) < 20e6) reps *= 2;
  let fastest = Infinity;
  for (let r = 0; r < 7; r++) fastest = Math.min(fastest, (await repeat(reps)) / reps / 1e3);
  return fastest;
}

function numpy() {
  const script = `
import json, sys, timeit, numpy as np
out = {}
for c in json.loads(sys.argv[1]):
    n = int(np.prod(c["shape"]))
    a = (np.sin(np.arange(n)) + 1).reshape(c["shape"])
    f = getattr(np, c["op"])
    call = lambda: f(a, axis=c["axis"])
    number = 1
    while timeit.timeit(call, number=number) < 0.02:
        number *= 2
    out[c["label"]] = min(timeit.repeat(call, number=number, repeat=7)) / number * 1e6
print(json.dumps(out))
`;
  const r = spawnSync(python, ['-c', script, JSON.stringify(cases)], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: oracleDir, PYTHONNOUSERSITE: '1', OPENBLAS_NUM_THREADS: '1' },
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

fetchOracle();
const best = {};
for (let round = 0; round < rounds; round++) {
  const np = numpy();
  for (const c of cases) {
    const x = c.shape.length === 2 ? matrix : new NDArray(fill(c.shape[0]), c.shape);
    const [syncOp, asyncOp] = ops[c.op];
    const row = { sync: await time(() => syncOp(x, { axis: c.axis }), false), async: await time(() => asyncOp(x, { axis: c.axis }), true), numpy: np[c.label] };
    best[c.label] = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Math.min(v, best[c.label]?.[k] ?? Infinity)]));
  }
}
const us = (v) => (v < 10 ? v.toFixed(2) : v.toFixed(0)).padStart(8);
console.log(`| case | weft sync µs | weft async µs | numpy µs | numpy / sync | numpy / async |\n|---|---|---|---|---|---|`);
for (const c of cases) {
  const b = best[c.label];
  console.log(`| ${c.label} | ${us(b.sync)} | ${us(b.async)} | ${us(b.numpy)} | ${(b.numpy / b.sync).toFixed(2)} | ${(b.numpy / b.async).toFixed(2)} |`);
}
