/**
 * The environment variables that set weft's threading, read in this one
 * place when weft loads (lib/internal/native.ts), checked strictly: a value
 * weft cannot use makes loading weft throw, so a misconfigured server fails
 * at start rather than running on a setting it did not ask for. An empty
 * value counts as unset; blanks around a value are ignored.
 *
 * The first load of weft in the process applies them (worker_threads share
 * the arena, so a worker that loads weft later changes nothing, not even
 * after `threading.setMaxThreads()`); every load checks them.
 *
 * @internal
 * @module
 */
import { typeError } from '../errors.js';
import { LIMITS } from './codes.js';
import type { ThreadingInfo, ThreadingLayer } from '../threading-info.js';

/** The variables and what each sets: the list the README's "Threading from the environment" and lib/register.ts repeat. */
export const THREADING_VARIABLES = {
  WEFT_NUM_THREADS: "the shared arena's size: the most threads that run weft and MKL work at once (default: the CPUs)",
  MKL_NUM_THREADS: "the most inner threads one call's MKL work uses (default: no cap; an async call's `threads` option overrides it)",
  WEFT_THREADING_LAYER: "MKL's threading layer (TBB, INTEL, GNU, SEQUENTIAL), set as MKL_THREADING_LAYER before oneMKL loads",
  MKL_THREADING_LAYER: "MKL's threading layer, as MKL itself reads it (default: TBB)",
  WEFT_VERBOSE: "1: one line on stderr at the first load: versions, layer, threads and where each setting came from",
} as const;

/** Where the requested threading layer came from. */
export type LayerSource = 'default' | 'MKL_THREADING_LAYER' | 'WEFT_THREADING_LAYER';

/** The threading settings the environment asks for. */
export interface ThreadingEnvironment {
  /** WEFT_NUM_THREADS; 0 when unset. */
  threads: number;
  /** MKL_NUM_THREADS; 0 when unset. */
  mklThreads: number;
  /** The layer to ask MKL for, as the variable spells it ('' when unset: TBB); native/mkl_setup.cc checks the name. */
  layer: string;
  /** The variable `layer` came from. */
  layerSource: LayerSource;
  /** WEFT_VERBOSE=1. */
  verbose: boolean;
}

const LAYERS = ['TBB', 'INTEL', 'GNU', 'SEQUENTIAL'];

/** A variable's value, trimmed; undefined when unset or empty. */
function value(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

/** A thread count, 1 to MAX_THREADS, written as plain decimal digits; 0 when unset. */
function threadCount(env: NodeJS.ProcessEnv, name: 'WEFT_NUM_THREADS' | 'MKL_NUM_THREADS'): number {
  const text = value(env, name);
  if (text === undefined) return 0;
  const n = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= LIMITS.MaxThreads)) {
    throw typeError('weft', `the environment variable ${name}`, `an integer from 1 to ${LIMITS.MaxThreads} (or unset)`, env[name]);
  }
  return n;
}

/** Reads and checks the threading variables; throws a TypeError naming the variable and its value. */
export function readThreadingEnvironment(env: NodeJS.ProcessEnv = process.env): ThreadingEnvironment {
  const threads = threadCount(env, 'WEFT_NUM_THREADS');
  const mklThreads = threadCount(env, 'MKL_NUM_THREADS');
  const verboseText = value(env, 'WEFT_VERBOSE');
  if (verboseText !== undefined && verboseText !== '0' && verboseText !== '1') {
    throw typeError('weft', 'the environment variable WEFT_VERBOSE', '0 or 1 (or unset)', env.WEFT_VERBOSE);
  }
  const weftLayer = value(env, 'WEFT_THREADING_LAYER');
  const mklLayer = value(env, 'MKL_THREADING_LAYER');
  let layer = mklLayer ?? '';
  let layerSource: LayerSource = mklLayer === undefined ? 'default' : 'MKL_THREADING_LAYER';
  if (weftLayer !== undefined) {
    if (!LAYERS.includes(weftLayer.toUpperCase())) {
      throw typeError('weft', 'the environment variable WEFT_THREADING_LAYER', `one of ${LAYERS.join(', ')} (or unset)`, env.WEFT_THREADING_LAYER);
    }
    if (mklLayer !== undefined && mklLayer.toUpperCase() !== weftLayer.toUpperCase()) {
      throw new TypeError(
        `weft: the environment variables WEFT_THREADING_LAYER (${JSON.stringify(env.WEFT_THREADING_LAYER)}) and ` +
          `MKL_THREADING_LAYER (${JSON.stringify(env.MKL_THREADING_LAYER)}) ask for different threading layers: unset one of them.`,
      );
    }
    layer = weftLayer;
    layerSource = 'WEFT_THREADING_LAYER';
  }
  return { threads, mklThreads, layer, layerSource, verbose: verboseText === '1' };
}

/**
 * What WEFT_THREADING_LAYER does beyond weft's own load: MKL_THREADING_LAYER
 * set to it in this process's environment, so that child processes (and any
 * other library that loads oneMKL) see the same layer, as `python -m tbb`
 * sets it. The main thread's process.env is the process's environment; a
 * worker_thread's is its own copy.
 */
export function exportThreadingLayer(settings: ThreadingEnvironment, env: NodeJS.ProcessEnv = process.env): void {
  if (settings.layerSource === 'WEFT_THREADING_LAYER') env.MKL_THREADING_LAYER = settings.layer.toUpperCase();
}

/** WEFT_VERBOSE's line: versions, the layer, the threads and where each setting came from. */
export function describeSettings(version: string, info: Pick<ThreadingInfo, 'mkl' | 'tbb' | 'settings'>): string {
  const { threads, mklThreads, threadingLayer } = info.settings;
  const layer: ThreadingLayer = threadingLayer.value;
  return (
    `weft ${version}: oneMKL ${info.mkl.version} (layer ${layer}, from ${threadingLayer.source}), oneTBB ${info.tbb.version}; ` +
    `threads ${threads.value} (from ${threads.source}); ` +
    `MKL threads per call ${mklThreads.value ?? 'not capped'} (from ${mklThreads.source})`
  );
}
