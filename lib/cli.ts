#!/usr/bin/env node
/**
 * `npx weft <command>`: `info` prints what weft runs on; `demo` shows the
 * shared arena at work with measured numbers.
 *
 * @internal
 * @module
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { NDArrayLike } from './index.js';

// Loaded in main() so that a failure to load the addon (say, a bad
// MKL_THREADING_LAYER) prints one clean line instead of a module stack.
let weft: typeof import('./index.js');

const HELP = `usage: weft <command>

commands:
  info [--json]   versions, MKL threading layer, TBB arena, library paths
  demo            matmul GFLOP/s sync and async, and concurrent QR on the shared arena
  help            this text

environment:
  MKL_THREADING_LAYER   TBB (default), INTEL, GNU or SEQUENTIAL
`;

function printInfo(json: boolean): void {
  const info = weft.threading.info();
  if (json) {
    process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
    return;
  }
  const { mkl, tbb, arena } = info;
  const rows: [string, string][] = [
    ['mkl.version', `${mkl.version} (build ${mkl.build})`],
    ['mkl.threadingLayer', `${mkl.threadingLayer}${mkl.threadingLayerSource === 'default' ? ' (default)' : ' (from MKL_THREADING_LAYER)'}`],
    ['mkl.interfaceLayer', mkl.interfaceLayer],
    ['mkl.codePath', mkl.codePath],
    ['mkl.path', mkl.path],
    ['mkl.layerLibrary', mkl.layerLibrary || '(none loaded)'],
    ['tbb.version', `${tbb.version} (interface ${tbb.interfaceVersion})`],
    ['tbb.path', `${tbb.path} (${tbb.loadedCopies} cop${tbb.loadedCopies === 1 ? 'y' : 'ies'} loaded)`],
    ['arena.concurrency', String(arena.concurrency)],
    ['cpus', `${info.cpus} (${cpus()[0]?.model ?? 'unknown CPU'})`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
  if (mkl.threadingLayer !== mkl.requestedThreadingLayer) {
    process.stdout.write(`\nwarning: weft asked MKL for '${mkl.requestedThreadingLayer}' but another library fixed '${mkl.threadingLayer}' first\n`);
  }
}

function filled(n: number, seed: number): NDArrayLike {
  const data = new Float64Array(n * n);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.37 + seed);
  return { data, shape: [n, n] };
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function timeIt(runs: number, fn: () => unknown): Promise<number> {
  await fn(); // warm-up: MKL's first call per size allocates its buffers
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

async function demo(): Promise<void> {
  const { linalg, threading } = weft;
  const info = threading.info();
  const out = (s = ''): boolean => process.stdout.write(`${s}\n`);
  out(`weft demo: oneMKL ${info.mkl.version} (${info.mkl.threadingLayer} layer), oneTBB ${info.tbb.version}, ` +
    `one arena of ${info.arena.concurrency} threads on ${info.cpus} CPUs`);
  out(`CPU: ${cpus()[0]?.model ?? 'unknown'}`);
  out(`MKL code path: ${info.mkl.codePath}`);
  out();

  const n = 1024;
  const a = filled(n, 1);
  const b = filled(n, 2);
  const flops = 2 * n ** 3;
  out(`1. matmul ${n}×${n} float64, median of 7 runs`);
  const sync = await timeIt(7, () => linalg.matmul(a, b));
  out(`   sync   ${sync.toFixed(1).padStart(7)} ms  ${(flops / sync / 1e6).toFixed(1).padStart(6)} GFLOP/s`);
  const async = await timeIt(7, () => linalg.matmulAsync(a, b));
  out(`   async  ${async.toFixed(1).padStart(7)} ms  ${(flops / async / 1e6).toFixed(1).padStart(6)} GFLOP/s  (one call in flight at a time)`);
  out();

  const q = 256;
  const mats = Array.from({ length: 10 }, (_, s) => filled(q, s));
  out(`2. 10 × QR of ${q}×${q} float64, median of 5 runs`);
  const serial = await timeIt(5, () => mats.forEach((m) => linalg.qr(m)));
  out(`   one after another (sync)    ${serial.toFixed(1).padStart(7)} ms`);
  threading.resetThreadStats();
  const concurrent = await timeIt(5, () => Promise.all(mats.map((m) => linalg.qrAsync(m))));
  const stats = threading.threadStats();
  out(`   10 at once (qrAsync)        ${concurrent.toFixed(1).padStart(7)} ms   ${(serial / concurrent).toFixed(2)}× ` +
    `— threads in the arena: at most ${stats.peak} at once, ${stats.threadIds.length} distinct ` +
    `(arena concurrency ${info.arena.concurrency})`);
  out();
  out('Every call above ran in the one TBB arena, MKL\'s inner parallelism included: concurrent calls share');
  out(`${info.arena.concurrency} threads instead of each starting a pool of its own.`);
}

async function main(argv: string[]): Promise<void> {
  const [command = 'help', ...rest] = argv;
  if (command === 'info' || command === 'demo') weft = await import('./index.js');
  switch (command) {
    case 'info':
      printInfo(rest.includes('--json'));
      break;
    case 'demo':
      await demo();
      break;
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      break;
    default:
      process.stderr.write(`weft: unknown command "${command}"\n\n${HELP}`);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`weft: ${(err as Error).message ?? String(err)}\n`);
  process.exitCode = 1;
});
