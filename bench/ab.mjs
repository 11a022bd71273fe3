#!/usr/bin/env node
// Per-call overhead of this checkout against another one (an older commit
// built in its own worktree), measured side by side: the two run in
// alternation, one child process per round, so drift on a shared machine
// hits both alike. Prints the median of each figure and the ratio.
//
//   node bench/ab.mjs ../weft-before [--rounds 7] [--calls 100000]
//
// Each round times, in a fresh process: sync matmul, solve and det on 2×2,
// 4×4 and 8×8, inv and multiDot (of three) on 4×4, one step of
// examples/kalman (ns per call over `calls` calls, after as many warm-up
// calls), and async matmul 2×2 per Promise with 1000 in flight.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const other = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (!other || !existsSync(join(other, 'dist', 'index.js'))) {
  process.stderr.write('usage: node bench/ab.mjs <other checkout, built> [--rounds 7] [--calls 100000]\n');
  process.exit(2);
}
const rounds = option('--rounds', 7);
const calls = option('--calls', 100_000);
const here = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// The timing child: imports weft from the checkout given as argv[1].
const child = `
const { NDArray, linalg } = await import(process.argv[1] + '/dist/index.js');
const calls = Number(process.argv[2]);
const matrix = (n, f) => new NDArray(Float64Array.from({ length: n * n }, f), [n, n]);
const out = {};
function sync(name, call) {
  for (let i = 0; i < calls; i++) call();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) call();
  out[name] = Number(process.hrtime.bigint() - t0) / calls;
}
for (const n of [2, 4, 8]) {
  const a = matrix(n, (_, i) => ((i * 7) % 11) + (i % (n + 1) === 0 ? n : 0));
  const b = matrix(n, (_, i) => (i % 5) - 2);
  sync('matmul ' + n + '×' + n + ' sync', () => linalg.matmul(a, b));
  sync('solve ' + n + '×' + n + ' sync', () => linalg.solve(a, b));
  sync('det ' + n + '×' + n + ' sync', () => linalg.det(a));
  if (n === 4) {
    sync('inv 4×4 sync', () => linalg.inv(a));
    sync('multiDot 3 × 4×4 sync', () => linalg.multiDot([a, b, a]));
  }
}
// One step of examples/kalman (4 states, 2 measured), its matrices NDArrays.
{
  const weft = await import(process.argv[1] + '/dist/index.js');
  const { add, subtract, multiply, eye } = weft;
  const dt = 0.1;
  const F = new NDArray(Float64Array.of(1, 0, dt, 0, 0, 1, 0, dt, 0, 0, 1, 0, 0, 0, 0, 1), [4, 4]);
  const H = new NDArray(Float64Array.of(1, 0, 0, 0, 0, 1, 0, 0), [2, 4]);
  const Ft = linalg.transpose(F);
  const Ht = linalg.transpose(H);
  const Q = multiply(0.01, eye(4));
  const R = multiply(0.25, eye(2));
  const I = eye(4);
  const z = new NDArray(Float64Array.of(0.3, -0.2), [2]);
  let x = new NDArray(new Float64Array(4), [4]);
  let P = eye(4);
  sync('Kalman step (4 states) sync', () => {
    x = linalg.matmul(F, x);
    P = add(linalg.multiDot([F, P, Ft]), Q);
    const S = add(linalg.multiDot([H, P, Ht]), R);
    const K = linalg.solve(S, linalg.matmul(H, P)).T;
    x = add(x, linalg.matmul(K, subtract(z, linalg.matmul(H, x))));
    P = linalg.matmul(subtract(I, linalg.matmul(K, H)), P);
    if (!(P.data[0] < 10)) { x = new NDArray(new Float64Array(4), [4]); P = eye(4); }
  });
}
const a = matrix(2, (_, i) => i + 1);
const batch = () => Promise.all(Array.from({ length: 1000 }, () => linalg.matmulAsync(a, a)));
for (let i = 0; i < 20; i++) await batch();
const t0 = process.hrtime.bigint();
const batches = Math.max(1, Math.round(calls / 2000));
for (let i = 0; i < batches; i++) await batch();
out['matmul 2×2 async, per Promise'] = Number(process.hrtime.bigint() - t0) / (batches * 1000);
console.log(JSON.stringify(out));
`;

function measure(checkout) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', child, resolve(checkout), String(calls)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${checkout}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const samples = { before: [], after: [] };
for (let round = 0; round < rounds; round++) {
  // Alternate which goes first, so neither always runs on a warmer machine.
  const order = round % 2 === 0 ? ['before', 'after'] : ['after', 'before'];
  for (const which of order) samples[which].push(measure(which === 'before' ? other : here));
  process.stderr.write(`round ${round + 1}/${rounds}\n`);
}
const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
const rows = Object.keys(samples.after[0]).map((name) => {
  const before = median(samples.before.map((s) => s[name]));
  const after = median(samples.after.map((s) => s[name]));
  return { name, before, after, ratio: after / before };
});
const us = (ns) => `${(ns / 1000).toFixed(2)} µs`;
console.log(`| call | before (${other}) | after (this checkout) | after / before |`);
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.name} | ${us(r.before)} | ${us(r.after)} | ${r.ratio.toFixed(3)} |`);
