// Threading from the environment: WEFT_NUM_THREADS, MKL_NUM_THREADS,
// WEFT_THREADING_LAYER and WEFT_VERBOSE, read when weft loads, and
// `node --import weft/register` / `--require weft/register`. Each case runs
// in a fresh process with its own environment; thread counts are measured
// there (the arena's census and per-thread CPU time).
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { threading } from '../lib/index.js';
import { THREADING_VARIABLES, readThreadingEnvironment } from '../lib/internal/env.js';
import { native } from '../lib/internal/native.js';
import { MAX_THREADS } from '../lib/internal/options.js';
import { root, runCli, runFixture, runNode, underAsan } from './helpers.js';

/** Every variable this file is about, unset: each case sets its own on top. */
const CLEAN = {
  OMP_NUM_THREADS: undefined,
  WEFT_NUM_THREADS: undefined,
  MKL_NUM_THREADS: undefined,
  WEFT_THREADING_LAYER: undefined,
  MKL_THREADING_LAYER: undefined,
  WEFT_VERBOSE: undefined,
};

const multicore = availableParallelism() >= 2 && !underAsan;

/** `threading.info()` of a fresh process that loads weft with `env`. */
function infoWith(env: Record<string, string | undefined>) {
  return runNode(
    ['--input-type=module', '-e', "const { threading } = await import('./dist/index.js'); console.log(JSON.stringify(threading.info()));"],
    { ...CLEAN, ...env },
  );
}

/** The TypeError loading weft throws for `name`'s value `value`. */
const badThreads = (name: string, value: string) =>
  `TypeError: weft: expected the environment variable ${name} to be an integer from 1 to ${MAX_THREADS} (or unset), but received ${JSON.stringify(value)}`;

const VERBOSE_LINE =
  /^weft \d+\.\d+\.\d+: oneMKL 2026\.\d+\.\d+ \(layer tbb, from default\), oneTBB 20\d\d\.\d+\.\d+; threads 1 \(from WEFT_NUM_THREADS\); MKL threads per call not capped \(from default\)$/;

describe('reading the environment (lib/internal/env.ts)', () => {
  it('takes integers from 1 to MAX_THREADS, blanks around them allowed; empty means unset', () => {
    expect(readThreadingEnvironment({})).toEqual({ threads: 0, mklThreads: 0, layer: '', layerSource: 'default', verbose: false });
    expect(readThreadingEnvironment({ WEFT_NUM_THREADS: ' 3 ', MKL_NUM_THREADS: '\t1\n' })).toMatchObject({ threads: 3, mklThreads: 1 });
    expect(readThreadingEnvironment({ WEFT_NUM_THREADS: String(MAX_THREADS) }).threads).toBe(MAX_THREADS);
    expect(readThreadingEnvironment({ WEFT_NUM_THREADS: '', MKL_NUM_THREADS: '  ' })).toMatchObject({ threads: 0, mklThreads: 0 });
    expect(readThreadingEnvironment({ WEFT_NUM_THREADS: '007' }).threads).toBe(7);
  });

  it.each(['0', 'abc', '1.5', '99999', String(MAX_THREADS + 1), '-1', '+2', '0x2', '1e1', '2 2', 'Infinity', '٣'])(
    'refuses %j for WEFT_NUM_THREADS and MKL_NUM_THREADS, naming the variable and the value',
    (value) => {
      expect(() => readThreadingEnvironment({ WEFT_NUM_THREADS: value })).toThrow(
        new TypeError(badThreads('WEFT_NUM_THREADS', value).replace('TypeError: ', '')),
      );
      expect(() => readThreadingEnvironment({ MKL_NUM_THREADS: value })).toThrow(
        new TypeError(badThreads('MKL_NUM_THREADS', value).replace('TypeError: ', '')),
      );
    },
  );

  it('takes WEFT_THREADING_LAYER over the default, and refuses a conflict with MKL_THREADING_LAYER', () => {
    expect(readThreadingEnvironment({ WEFT_THREADING_LAYER: 'sequential' })).toMatchObject({ layer: 'sequential', layerSource: 'WEFT_THREADING_LAYER' });
    expect(readThreadingEnvironment({ MKL_THREADING_LAYER: 'GNU' })).toMatchObject({ layer: 'GNU', layerSource: 'MKL_THREADING_LAYER' });
    // the same layer twice is no conflict
    expect(readThreadingEnvironment({ WEFT_THREADING_LAYER: ' tbb', MKL_THREADING_LAYER: 'TBB' })).toMatchObject({ layerSource: 'WEFT_THREADING_LAYER' });
    expect(() => readThreadingEnvironment({ WEFT_THREADING_LAYER: 'openmp' })).toThrow(
      /^weft: expected the environment variable WEFT_THREADING_LAYER to be one of TBB, INTEL, GNU, SEQUENTIAL \(or unset\), but received "openmp"$/,
    );
    expect(() => readThreadingEnvironment({ WEFT_THREADING_LAYER: 'gnu', MKL_THREADING_LAYER: 'TBB' })).toThrow(
      /WEFT_THREADING_LAYER \("gnu"\) and MKL_THREADING_LAYER \("TBB"\) ask for different threading layers/,
    );
  });

  it('WEFT_VERBOSE=1 prints its line on any first load, weft/register or not; 0 prints nothing', () => {
    const r = infoWith({ WEFT_VERBOSE: '1', WEFT_NUM_THREADS: '1' });
    expect(r.status).toBe(0);
    expect(r.stderr.trim()).toMatch(VERBOSE_LINE);
    expect(infoWith({ WEFT_VERBOSE: '0' }).stderr).toBe('');
  });

  it('takes WEFT_VERBOSE 0 or 1 only', () => {
    expect(readThreadingEnvironment({ WEFT_VERBOSE: '1' }).verbose).toBe(true);
    expect(readThreadingEnvironment({ WEFT_VERBOSE: '0' }).verbose).toBe(false);
    expect(() => readThreadingEnvironment({ WEFT_VERBOSE: 'yes' })).toThrow(TypeError);
  });
});

describe('WEFT_NUM_THREADS', () => {
  it('sizes the arena at load, and info() says where the size came from', () => {
    const r = infoWith({ WEFT_NUM_THREADS: ' 1 ' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.json.arena.threads).toBe(1);
    expect(r.json.settings.threads).toEqual({ value: 1, source: 'WEFT_NUM_THREADS' });
    expect(r.json.tbb.maxAllowedParallelism).toBe(2); // oneTBB's workers capped to match
    const more = infoWith({ WEFT_NUM_THREADS: '5' }); // more than the CPUs: taken as asked, as setMaxThreads(5) would
    expect(more.json.settings.threads).toEqual({ value: 5, source: 'WEFT_NUM_THREADS' });
    expect(more.json.tbb.maxAllowedParallelism).toBe(6);
    const byDefault = infoWith({ WEFT_NUM_THREADS: '' });
    expect(byDefault.json.settings).toEqual({
      threads: { value: byDefault.json.arena.defaultThreads, source: 'default' },
      mklThreads: { value: null, source: 'default' },
      threadingLayer: { value: 'tbb', source: 'default' },
    });
  });

  it.each(['0', 'abc', '1.5', '99999'])('%j makes loading weft fail with a TypeError naming it', (value) => {
    for (const name of ['WEFT_NUM_THREADS', 'MKL_NUM_THREADS']) {
      const r = infoWith({ [name]: value });
      expect(r.signal).toBeNull();
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(badThreads(name, value));
    }
  });

  it('applies once per process: a worker loading weft later keeps setMaxThreads(), and a worker loading first applies it', () => {
    const after = runFixture('env-workers.mjs', ['after-set'], { ...CLEAN, WEFT_NUM_THREADS: '1' });
    expect(after.status).toBe(0);
    expect(after.json.mainAtLoad).toEqual({ value: 1, source: 'WEFT_NUM_THREADS' });
    expect(after.json.worker.settings.threads).toEqual({ value: 2, source: 'setMaxThreads' });
    expect(after.json.mainAfter).toEqual({ value: 2, source: 'setMaxThreads' });
    const first = runFixture('env-workers.mjs', ['worker-first'], { ...CLEAN, WEFT_NUM_THREADS: '1' });
    expect(first.status).toBe(0);
    expect(first.json.worker.settings.threads).toEqual({ value: 1, source: 'WEFT_NUM_THREADS' });
    expect(first.json.main).toEqual({ value: 1, source: 'WEFT_NUM_THREADS' });
  });

  it('the binding applies the environment once: a second configure() changes nothing, and checks its arguments', () => {
    const before = threading.info().settings;
    expect(native.configure(1, 1)).toBe(false);
    expect(threading.info().settings).toEqual(before);
    for (const [threads, mklThreads] of [[-1, 0], [1.5, 0], [0, MAX_THREADS + 1], [Number.NaN, 0]] as const) {
      expect(() => native.configure(threads, mklThreads)).toThrow(RangeError);
    }
  });

  it('is checked by every load: a worker whose own environment has a bad value fails to load weft, the process goes on', () => {
    const r = runFixture('env-workers.mjs', ['bad-worker'], CLEAN);
    expect(r.status).toBe(0);
    expect(r.json.worker.error).toBe(badThreads('WEFT_NUM_THREADS', 'abc'));
    expect(r.json.main.source).toBe('default');
  });
});

describe('MKL_NUM_THREADS', () => {
  // Per call, the threads that computed it (fixtures/threads.mjs: threadsThatComputed):
  // three runs each, one call at a time (test/fixtures/env-threads.mjs).
  it('caps every call’s inner threads at its value (under the TBB layer, where MKL ignores it)', () => {
    const r = runFixture('env-threads.mjs', [], { ...CLEAN, MKL_NUM_THREADS: '1' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.json.settings.mklThreads).toEqual({ value: 1, source: 'MKL_NUM_THREADS' });
    for (const kind of ['matmulAsync', 'qrAsync', 'matmulSync', 'poolItem']) expect(r.json[kind], kind).toEqual([1, 1, 1]);
    // An async call's own threads option overrides it, as mkl_set_num_threads_local overrides the global.
    if (multicore) expect(Math.max(...r.json.matmulAsyncThreads2)).toBe(2);
  });

  it.runIf(multicore)('leaves calls free without it', () => {
    const r = runFixture('env-threads.mjs', [], CLEAN);
    expect(r.status).toBe(0);
    expect(r.json.settings.mklThreads).toEqual({ value: null, source: 'default' });
    for (const kind of ['matmulAsync', 'qrAsync', 'matmulSync', 'poolItem']) expect(Math.max(...r.json[kind]), kind).toBeGreaterThanOrEqual(2);
  });
});

describe('MKL_NUM_THREADS under MKL’s other layers (README: what weft does there)', () => {
  it.runIf(multicore)('INTEL (OpenMP): MKL reads MKL_NUM_THREADS itself, and so OMP_NUM_THREADS; a call’s threads option cannot raise it', () => {
    const capped = runFixture('env-threads.mjs', [], { ...CLEAN, MKL_THREADING_LAYER: 'INTEL', MKL_NUM_THREADS: '1' });
    expect(capped.status).toBe(0);
    expect(capped.json.settings.threadingLayer).toEqual({ value: 'intel', source: 'MKL_THREADING_LAYER' });
    for (const kind of ['matmulAsync', 'matmulAsyncThreads2', 'matmulSync']) expect(capped.json[kind], kind).toEqual([1, 1, 1]);
    const omp = runFixture('env-threads.mjs', [], { ...CLEAN, MKL_THREADING_LAYER: 'INTEL', OMP_NUM_THREADS: '1' });
    expect(omp.json.settings.mklThreads).toEqual({ value: null, source: 'default' }); // not weft's setting
    expect(omp.json.matmulAsync).toEqual([1, 1, 1]);
    const free = runFixture('env-threads.mjs', [], { ...CLEAN, MKL_THREADING_LAYER: 'INTEL' });
    expect(free.status).toBe(0);
    expect(Math.max(...free.json.matmulAsync)).toBeGreaterThanOrEqual(2);
  });

  it('SEQUENTIAL: one thread per call whatever the variables say; weft still reports the cap it applies', () => {
    const r = runFixture('env-threads.mjs', [], { ...CLEAN, MKL_THREADING_LAYER: 'SEQUENTIAL', MKL_NUM_THREADS: '2' });
    expect(r.status).toBe(0);
    expect(r.json.settings.mklThreads).toEqual({ value: 2, source: 'MKL_NUM_THREADS' });
    for (const kind of ['matmulAsync', 'qrAsync', 'matmulSync']) expect(r.json[kind], kind).toEqual([1, 1, 1]);
  });
});

describe('WEFT_THREADING_LAYER', () => {
  it('sets MKL_THREADING_LAYER before oneMKL loads, and info() names it as the source', () => {
    const r = runNode(
      [
        '--input-type=module',
        '-e',
        "const { threading } = await import('./dist/index.js'); const { mkl, settings } = threading.info(); console.log(JSON.stringify({ mkl, settings, env: process.env.MKL_THREADING_LAYER }));",
      ],
      { ...CLEAN, WEFT_THREADING_LAYER: 'sequential' },
    );
    expect(r.status).toBe(0);
    expect(r.json.mkl.threadingLayer).toBe('sequential');
    expect(r.json.mkl.layerLibrary).toMatch(/libmkl_sequential\.so/);
    expect(r.json.settings.threadingLayer).toEqual({ value: 'sequential', source: 'WEFT_THREADING_LAYER' });
    expect(r.json.env).toBe('SEQUENTIAL'); // child processes inherit it
  });

  it('conflicting with MKL_THREADING_LAYER fails the load', () => {
    const r = infoWith({ WEFT_THREADING_LAYER: 'sequential', MKL_THREADING_LAYER: 'tbb' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('TypeError: weft: the environment variables WEFT_THREADING_LAYER ("sequential") and MKL_THREADING_LAYER ("tbb")');
  });
});

describe('weft/register', () => {
  it('under --import, caps an app that never configures weft, before the app’s first line runs', () => {
    const r = runNode(['--import', 'weft/register', 'test/fixtures/register-app.mjs'], { ...CLEAN, WEFT_NUM_THREADS: '1', WEFT_THREADING_LAYER: 'tbb' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.json.layerAtStart).toBe('TBB'); // set by weft/register, before the app imported weft
    expect(r.json.settings.threads).toEqual({ value: 1, source: 'WEFT_NUM_THREADS' });
    expect(r.json.settings.threadingLayer).toEqual({ value: 'tbb', source: 'WEFT_THREADING_LAYER' });
    expect(r.json.peak).toBe(1);
    // without it, the app's first line sees nothing of weft
    const without = runNode(['test/fixtures/register-app.mjs'], { ...CLEAN, WEFT_NUM_THREADS: '1', WEFT_THREADING_LAYER: 'tbb' });
    expect(without.status).toBe(0);
    expect(without.json.layerAtStart).toBeNull();
  });

  it('under --require, caps a CommonJS app, loading weft before it, as one copy of weft', () => {
    const r = runNode(['--require', 'weft/register', 'test/fixtures/register-app.cjs'], {
      ...CLEAN,
      WEFT_NUM_THREADS: '1',
      MKL_NUM_THREADS: '1',
      WEFT_THREADING_LAYER: 'TBB',
      WEFT_VERBOSE: '1',
    });
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/WEFT_TWO_COPIES/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/threads 1 \(from WEFT_NUM_THREADS\); MKL threads per call 1 \(from MKL_NUM_THREADS\)/);
    expect(r.json.layerAtStart).toBe('TBB');
    expect(r.json.settings).toEqual({
      threads: { value: 1, source: 'WEFT_NUM_THREADS' },
      mklThreads: { value: 1, source: 'MKL_NUM_THREADS' },
      threadingLayer: { value: 'tbb', source: 'WEFT_THREADING_LAYER' },
    });
    expect(r.json.peak).toBe(1);
  });
});

/** The app that never configures weft, in the module system each flag loads. */
const APPS = { '--import': 'test/fixtures/register-app.mjs', '--require': 'test/fixtures/register-app.cjs' } as const;

describe.each(['--import', '--require'] as const)('node %s weft/register', (flag) => {
  // Node runs --require preloads again in each worker (not --import, on Node 20): either way weft loads there again.
  it('WEFT_VERBOSE=1 prints one line, once per process; a worker_thread started after setMaxThreads(2) keeps it', () => {
    const r = runNode([flag, 'weft/register', APPS[flag], 'worker'], { ...CLEAN, WEFT_NUM_THREADS: '1', WEFT_VERBOSE: '1' });
    expect(r.status).toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(VERBOSE_LINE);
    expect(r.json.settings.threads).toEqual({ value: 1, source: 'WEFT_NUM_THREADS' }); // before the worker
    expect(r.json.workerSettings.threads).toEqual({ value: 2, source: 'setMaxThreads' });
  });

  it.each([
    ['MKL_NUM_THREADS', '1.5'],
    ['WEFT_NUM_THREADS', 'abc'],
  ])('stops the process at start on %s=%j: the message, exit code 1, no crash, the app never ran', (name, value) => {
    const r = runNode([flag, 'weft/register', APPS[flag]], { ...CLEAN, [name]: value });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(badThreads(name, value));
    expect(r.stdout).toBe('');
  });
});

describe('the documentation of the variables', () => {
  it('lists every variable env.ts reads in the README section, weft/register’s TSDoc and `npx weft help`', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Threading from the environment'), readme.indexOf('\n## ', readme.indexOf('## Threading from the environment') + 1));
    const register = readFileSync(join(root, 'lib', 'register.ts'), 'utf8');
    const help = runCli(['help']).stdout;
    for (const name of Object.keys(THREADING_VARIABLES)) {
      expect(section, name).toContain(`| \`${name}\` |`);
      expect(register, name).toContain(`\`${name}`);
      expect(help, name).toContain(name);
    }
  });

  it('`npx weft info` prints each setting with its source, and a bad value in one line', () => {
    const r = runCli(['info'], { ...CLEAN, WEFT_NUM_THREADS: '1', MKL_NUM_THREADS: '1' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^arena\.threads +1 \(from WEFT_NUM_THREADS\)$/m);
    expect(r.stdout).toMatch(/^mklThreads +1 per call \(from MKL_NUM_THREADS\)$/m);
    expect(r.stdout).toMatch(/^mkl\.threadingLayer +tbb \(default\)$/m);
    const bad = runCli(['info'], { ...CLEAN, WEFT_NUM_THREADS: 'abc' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe(`${badThreads('WEFT_NUM_THREADS', 'abc').replace('TypeError: weft: ', 'weft: ')}\n`);
  });
});
