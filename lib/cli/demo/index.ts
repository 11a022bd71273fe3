/**
 * `npm run demo` / `npx weft demo`: the seed's example, the paper's four
 * workloads, issue 15's two and issue 17's two (user pipelines, JS plus a
 * solve) under seven modes, each mode in its own child process (the MKL
 * threading layer is fixed per process), modes interleaved over `--rounds`,
 * then a table, a JSON file and an SVG chart. The parent samples each
 * child's threads while it times a workload: the most burning CPU at once.
 *
 * @internal
 * @module
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { threading } from '../../index.js';
import { sampleBurning } from './burning.js';
import type { BurnPeaks } from './burning.js';
import { chart } from './chart.js';
import { SAMPLE_MARK } from './run-mode.js';
import type { ModeResult, WorkloadResult } from './run-mode.js';
import { BASELINES, MODES, MODE_NOTES, workloads } from './workloads.js';
import type { DemoMode } from './workloads.js';

export interface DemoOptions {
  scale: number | 'quick';
  reps: number;
  /** Each mode runs once per round, modes interleaved (A B C A B C ...): a noisy machine slows all alike. */
  rounds: number;
  out: string;
  modes: DemoMode[];
  /** Ids of the workloads to run; all when empty. */
  only: string[];
  json: boolean;
}

export function parseDemoArgs(args: string[]): DemoOptions & { child?: DemoMode } {
  const options: DemoOptions & { child?: DemoMode } = { scale: 1, reps: 3, rounds: 1, out: 'weft-demo', modes: [...MODES], only: [], json: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new Error(`weft demo: ${arg} needs a value`);
      return v;
    };
    if (arg === '--quick') options.scale = 'quick';
    else if (arg === '--full') options.scale = 2;
    else if (arg === '--scale') options.scale = value() === 'quick' ? 'quick' : Number(args[i]);
    else if (arg === '--reps') options.reps = Number(value());
    else if (arg === '--rounds') options.rounds = Number(value());
    else if (arg === '--out') options.out = value();
    else if (arg === '--json') options.json = true;
    else if (arg === '--modes') options.modes = value().split(',') as DemoMode[];
    else if (arg === '--workloads') options.only = value().split(',');
    else if (arg === '--child') options.child = value() as DemoMode;
    else throw new Error(`weft demo: unknown option ${arg} (options: --quick, --full, --scale x, --reps n, --rounds n, --out dir, --modes a,b, --workloads a,b, --json)`);
  }
  if (options.scale !== 'quick' && !(options.scale > 0)) throw new Error('weft demo: --scale must be a positive number');
  if (!Number.isInteger(options.reps) || options.reps < 1) throw new Error('weft demo: --reps must be a positive integer');
  if (!Number.isInteger(options.rounds) || options.rounds < 1) throw new Error('weft demo: --rounds must be a positive integer');
  for (const m of [...options.modes, ...(options.child ? [options.child] : [])]) {
    if (!MODES.includes(m)) throw new Error(`weft demo: unknown mode ${m} (modes: ${MODES.join(', ')})`);
  }
  const ids = workloads(1).map((w) => w.id);
  for (const id of options.only) {
    if (!ids.includes(id)) throw new Error(`weft demo: unknown workload ${id} (workloads: ${ids.join(', ')})`);
  }
  return options;
}

/** Runs one mode in a child process; relays its progress lines and samples its threads while it times each workload. */
function runChild(mode: DemoMode, options: DemoOptions): Promise<ModeResult> {
  const cli = fileURLToPath(new URL('../index.js', import.meta.url));
  const args = [cli, 'demo', '--child', mode, '--scale', String(options.scale), '--reps', String(options.reps)];
  if (options.only.length > 0) args.push('--workloads', options.only.join(','));
  // The baselines run MKL's OpenMP layer, 'sequential' no threading layer,
  // weft's other modes its default TBB layer (a WEFT_THREADING_LAYER of the
  // caller's would conflict with it, which fails the load); only 'workers-1'
  // caps MKL's threads (a cap in the caller's environment would blur the modes).
  const { MKL_NUM_THREADS: _mkl, OMP_NUM_THREADS: _omp, WEFT_THREADING_LAYER: _layer, ...inherited } = process.env;
  const env = { ...inherited, MKL_THREADING_LAYER: LAYERS[mode], ...(mode === 'workers-1' ? { MKL_NUM_THREADS: '1' } : {}) };
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let partial = '';
    let stopSampler: (() => BurnPeaks | undefined) | undefined;
    const burning = new Map<string, BurnPeaks>();
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith(`${SAMPLE_MARK} start `)) {
          stopSampler = sampleBurning(child.pid!);
        } else if (line.startsWith(`${SAMPLE_MARK} stop `)) {
          const peak = stopSampler?.();
          stopSampler = undefined;
          if (peak !== undefined) burning.set(line.slice(SAMPLE_MARK.length + 6), peak);
        } else {
          stderr += `${line}\n`;
          if (!options.json) process.stderr.write(`  ${line}\n`);
        }
      }
    });
    child.on('close', (code) => {
      stopSampler?.();
      if (code !== 0) {
        reject(new Error(`demo mode ${mode} failed (exit ${code}):\n${stderr}${partial}`));
        return;
      }
      const result = JSON.parse(stdout.trim().split('\n').pop()!) as ModeResult;
      for (const [id, peaks] of burning) {
        const entry = result.workloads[id];
        if (entry) Object.assign(entry, { peakBurning: peaks.burning, peakWanting: peaks.wanting });
      }
      resolvePromise(result);
    });
  });
}

const LAYERS: Record<DemoMode, string> = {
  default: 'INTEL',
  'workers-1': 'INTEL',
  'promise-all': 'TBB',
  sequential: 'SEQUENTIAL',
  'serial-inner': 'TBB',
  static: 'TBB',
  composable: 'TBB',
};

/** The modes a default Pool ('composable') is held to: weft's other ways to run the same items. */
const RIVALS: DemoMode[] = ['promise-all', 'sequential', 'serial-inner', 'static'];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** One mode's results over the rounds: each workload's runs pooled, its median over all of them. */
function merge(rounds: ModeResult[]): ModeResult {
  const merged: ModeResult = { ...rounds[0]!, workloads: {} };
  for (const id of Object.keys(rounds[0]!.workloads)) {
    const all = rounds.map((r) => r.workloads[id]!);
    const runsMs = all.flatMap((w) => w.runsMs);
    const peaks = all.map((w) => w.peakArenaThreads).filter((p) => p !== undefined);
    const burning = all.map((w) => w.peakBurning).filter((p) => p !== undefined);
    const wanting = all.map((w) => w.peakWanting).filter((p) => p !== undefined);
    merged.workloads[id] = {
      runsMs,
      medianMs: median(runsMs),
      peakOsThreads: Math.max(...all.map((w) => w.peakOsThreads)),
      busyThreads: Math.max(...all.map((w) => w.busyThreads)),
      ...(peaks.length > 0 ? { peakArenaThreads: Math.max(...peaks) } : {}),
      ...(burning.length > 0 ? { peakBurning: Math.max(...burning) } : {}),
      ...(wanting.length > 0 ? { peakWanting: Math.max(...wanting) } : {}),
    };
  }
  return merged;
}

const fmt = (ms: number | undefined): string => (ms === undefined ? '—' : ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`);

export async function demo(options: DemoOptions): Promise<void> {
  const info = threading.info();
  const say = (line = ''): void => {
    if (!options.json) process.stdout.write(`${line}\n`);
  };
  say(`weft demo — oneMKL ${info.mkl.version}, oneTBB ${info.tbb.version}, ${info.cpus} CPUs (${cpus()[0]?.model ?? 'unknown'})`);
  say(`MKL code path: ${info.mkl.codePath}`);
  const runs = options.rounds > 1 ? `${options.reps} runs in each of ${options.rounds} rounds (modes interleaved)` : `${options.reps} runs`;
  say(`scale ${options.scale}, median of ${runs} after a warm-up; each mode in its own process:`);
  for (const mode of options.modes) say(`  ${mode.padEnd(13)} ${MODE_NOTES[mode]}`);
  say();
  const rounds: Partial<Record<DemoMode, ModeResult[]>> = {};
  for (let round = 0; round < options.rounds; round++) {
    for (const mode of options.modes) (rounds[mode] ??= []).push(await runChild(mode, options));
  }
  const results = Object.fromEntries(options.modes.map((m) => [m, merge(rounds[m]!)])) as Partial<Record<DemoMode, ModeResult>>;

  const list = workloads(options.scale, options.only);
  const modes = options.modes;
  const width = 13;
  const label = Math.max(...list.map((w) => w.title.length)) + 2;
  say();
  say(`${'workload'.padEnd(label)}${modes.map((m) => m.padStart(width)).join('')}`);
  const row = (title: string, cell: (m: DemoMode) => string): void => say(`${title.padEnd(label)}${modes.map((m) => cell(m).padStart(width)).join('')}`);
  const summary = list.map((w) => {
    const entry = (m: DemoMode): WorkloadResult => results[m]!.workloads[w.id]!;
    const ms = Object.fromEntries(modes.map((m) => [m, entry(m).medianMs])) as Partial<Record<DemoMode, number>>;
    const best = Math.min(...Object.values(ms));
    const bestMode = modes.find((m) => ms[m] === best)!;
    row(w.title, (m) => fmt(ms[m]));
    if (ms.default !== undefined) row('  speed-up over default', (m) => (ms[m] === undefined ? '—' : `${(ms.default! / ms[m]).toFixed(2)}×`));
    row('  threads busy ≥20 ms (peak in arena)', (m) => `${entry(m).busyThreads}${entry(m).peakArenaThreads === undefined ? '' : ` (${entry(m).peakArenaThreads})`}`);
    row('  threads burning / wanting CPU at once', (m) => (entry(m).peakBurning === undefined ? '—' : `${entry(m).peakBurning} / ${entry(m).peakWanting}`));
    // A default Pool against the best of weft's other ways to run the same
    // items, and against the best plain worker pool.
    const fastest = (among: readonly DemoMode[]): DemoMode | undefined =>
      among.filter((m) => ms[m] !== undefined).reduce<DemoMode | undefined>((a, b) => (a === undefined || ms[b]! < ms[a]! ? b : a), undefined);
    const bestRival = fastest(RIVALS);
    const bestBaseline = fastest(BASELINES);
    const composableVsBest = ms.composable !== undefined && bestRival !== undefined ? ms.composable / ms[bestRival]! : undefined;
    const composableVsBaseline = ms.composable !== undefined && bestBaseline !== undefined ? ms.composable / ms[bestBaseline]! : undefined;
    return { id: w.id, title: w.title, ms, bestMode, bestRival, composableVsBest, bestBaseline, composableVsBaseline, composableBurning: results.composable?.workloads[w.id]?.peakBurning };
  });
  say();
  for (const s of summary) {
    const parts: string[] = [];
    if (s.composableVsBest !== undefined) {
      const verdict = s.composableVsBest <= 1.05 ? 'within 5 %' : 'more than 5 % behind';
      parts.push(`composable ${s.composableVsBest.toFixed(2)}× the best other weft mode (${s.bestRival}) — ${verdict}`);
    }
    if (s.composableVsBaseline !== undefined) {
      const verdict = s.composableVsBaseline <= 1.1 ? 'within 10 %' : 'more than 10 % behind';
      parts.push(`${s.composableVsBaseline.toFixed(2)}× the best worker pool (${s.bestBaseline}) — ${verdict}`);
    }
    if (parts.length > 0) say(`${s.id.padEnd(16)} ${parts.join('; ')}`);
  }

  const out = resolve(options.out);
  mkdirSync(out, { recursive: true });
  const report = {
    weft: { mkl: info.mkl.version, tbb: info.tbb.version, codePath: info.mkl.codePath },
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cpus: info.cpus },
    scale: options.scale,
    reps: options.reps,
    rounds: options.rounds,
    modes: Object.fromEntries(modes.map((m) => [m, MODE_NOTES[m]])),
    workloads: list,
    results,
    summary,
  };
  writeFileSync(join(out, 'demo.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(
    join(out, 'demo.svg'),
    chart(
      'weft: speed-up over an oversubscribed OpenMP worker pool',
      `${info.cpus} CPUs, ${cpus()[0]?.model ?? ''}; oneMKL ${info.mkl.version}; median of ${options.reps * options.rounds} runs`,
      summary.map((s) => ({ label: s.id, ms: s.ms })),
    ),
  );
  say();
  say(`wrote ${join(out, 'demo.json')} and ${join(out, 'demo.svg')}`);
  if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
}
