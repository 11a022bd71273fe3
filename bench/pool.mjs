#!/usr/bin/env node
// Does a default Pool cost anything? Runs the demo's workloads (lib/cli/demo)
// under weft's ways of running the same items — plain Promise.all over the
// async calls, a Pool under MKL's sequential layer, the 'serial-inner' and
// 'static' Pools, and the default ('composable') Pool — each mode in a
// process of its own, the modes interleaved round after round (A B C A B C
// ...) so drift on a shared machine hits all alike. Prints, per workload,
// each mode's median over all rounds, the spread of its per-round medians,
// and the default Pool's ratio to the best other mode (issue 15: ≤ 1.05),
// on the medians and on the fastest rounds (what a quiet machine gives:
// other load only slows a round down).
//
//   node bench/pool.mjs [--rounds 5] [--reps 3] [--workloads seed-qr,mixed-qr]
//                       [--against ../other-checkout] [--json file]
//
// --against adds that checkout's (built) default Pool as one more mode,
// 'composable@other', for a before/after in the same rounds.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const rounds = Number(option('--rounds', '5'));
const reps = Number(option('--reps', '3'));
const only = option('--workloads', '');
const against = option('--against', '');
const jsonOut = option('--json', '');
const here = resolve(dirname(fileURLToPath(import.meta.url)), '..');
for (const dir of [here, ...(against ? [against] : [])]) {
  if (!existsSync(join(dir, 'dist', 'cli', 'index.js'))) {
    process.stderr.write(`bench/pool.mjs: ${dir} is not built (no dist/cli/index.js)\n`);
    process.exit(2);
  }
}

// [label, checkout, demo mode, MKL threading layer]
const modes = [
  ['promise-all', here, 'promise-all', 'TBB'],
  ['sequential', here, 'sequential', 'SEQUENTIAL'],
  ['serial-inner', here, 'serial-inner', 'TBB'],
  ['static', here, 'static', 'TBB'],
  ['composable', here, 'composable', 'TBB'],
  ...(against ? [['composable@other', resolve(against), 'composable', 'TBB']] : []),
];
const rivals = ['promise-all', 'sequential', 'serial-inner', 'static'];

function child(checkout, mode, layer) {
  const cli = join(checkout, 'dist', 'cli', 'index.js');
  const argv = [cli, 'demo', '--child', mode, '--reps', String(reps), ...(only ? ['--workloads', only] : [])];
  return new Promise((resolvePromise, reject) => {
    const p = spawn(process.execPath, argv, { env: { ...process.env, MKL_THREADING_LAYER: layer, WEFT_THREADING_LAYER: undefined }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (c) => (out += c));
    p.stderr.on('data', (c) => (err += c));
    p.on('close', (code) => (code === 0 ? resolvePromise(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`${mode} (${checkout}) failed:\n${err}`))));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const runs = {}; // label -> workload -> runs (ms), in round order
for (let round = 0; round < rounds; round++) {
  for (const [label, checkout, mode, layer] of modes) {
    const result = await child(checkout, mode, layer);
    for (const [id, w] of Object.entries(result.workloads)) ((runs[label] ??= {})[id] ??= []).push(...w.runsMs);
  }
  process.stderr.write(`round ${round + 1}/${rounds} done\n`);
}

const ids = Object.keys(runs['composable']);
const labels = modes.map((m) => m[0]);
const report = { cpu: cpus()[0]?.model, cpus: cpus().length, rounds, reps, workloads: {} };
const w = 18;
console.log(`${cpus().length} × ${cpus()[0]?.model}; median of ${rounds} rounds × ${reps} runs, modes interleaved; [min–max of the per-round medians]`);
console.log(`${'workload'.padEnd(16)}${labels.map((l) => l.padStart(w)).join('')}   composable / best other: medians, fastest rounds`);
for (const id of ids) {
  const cells = {};
  for (const label of labels) {
    const all = runs[label][id];
    if (!all) continue; // a workload the other checkout does not have
    const perRound = Array.from({ length: rounds }, (_, k) => median(all.slice(k * reps, (k + 1) * reps)));
    cells[label] = { medianMs: median(all), roundMin: Math.min(...perRound), roundMax: Math.max(...perRound), runsMs: all };
  }
  const best = rivals.reduce((a, b) => (cells[b].medianMs < cells[a].medianMs ? b : a));
  const ratio = cells.composable.medianMs / cells[best].medianMs;
  const bestFast = rivals.reduce((a, b) => (cells[b].roundMin < cells[a].roundMin ? b : a));
  const ratioFast = cells.composable.roundMin / cells[bestFast].roundMin;
  report.workloads[id] = { modes: cells, bestOther: best, composableVsBest: ratio, bestOtherFastest: bestFast, composableVsBestFastest: ratioFast };
  const fmt = (c) => (c ? `${c.medianMs.toFixed(0)} [${c.roundMin.toFixed(0)}–${c.roundMax.toFixed(0)}]` : '—');
  const other = cells['composable@other'] ? `; before ${(cells['composable@other'].medianMs / cells[best].medianMs).toFixed(2)}, ${(cells['composable@other'].roundMin / cells[bestFast].roundMin).toFixed(2)}` : '';
  console.log(`${id.padEnd(16)}${labels.map((l) => fmt(cells[l]).padStart(w)).join('')}   ${ratio.toFixed(2)} (${best}), ${ratioFast.toFixed(2)} (${bestFast})${other}`);
}
if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(report, null, 2)}\n`);
