/**
 * Loads the native addon (a prebuild, or the local build) and gives it the
 * per-env pieces it needs. Private: only the rest of lib/ calls it.
 *
 * @internal
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LinAlgError } from '../errors.js';
import type { FloatArray, View } from '../ndarray.js';
import type { ThreadingInfo, ThreadStats } from '../threading-info.js';
import { MAX_DIMS, isComplexData } from '../ndarray.js';
import { describeSettings, exportThreadingLayer, readThreadingEnvironment } from './env.js';
import type { ThreadingEnvironment } from './env.js';
import { PINNED_MKL, findMkl, mklInstallDir, mklNotFoundMessage } from './find-mkl.js';
import type { MklSearch, MklSource } from './find-mkl.js';

/** An opaque token from `cancelToken()`; `cancel(token)` aborts the jobs that carry it. */
export type CancelToken = { readonly __weftCancelToken: unique symbol };

/** An opaque handle from `newPool()`. */
export type PoolHandle = { readonly __weftPool: unique symbol };

type Data = FloatArray | Int32Array;
/** The leading arguments of every op: how the call runs (native/call_args.h; native/job.h, CallMode). */
type Call = [async: boolean, cancel: CancelToken | undefined, pool: PoolHandle | undefined, threads: number];

/** What `poolStats()` reports (native/pool.h). */
export interface NativePoolStats {
  submitted: number;
  completed: number;
  failed: number;
  cancelled: number;
  queued: number;
  running: number;
  busyMs: number;
  peakThreads: number;
}

/**
 * The flat export table of native/addon.cc. Ops start with the call context
 * (`...call`), then take their operands, whose geometry they read from the
 * geometry buffer (writeGeometry), then their parameters; sync calls return
 * the raw typed arrays, async ones a Promise of them.
 */
export interface Binding {
  /** `layer`: MKL's threading layer as the environment named it ('' for TBB), `layerSource` the variable (lib/internal/env.ts). */
  loadMkl(library: string, source: MklSource, layer: string, layerSource: string): void;
  /** WEFT_NUM_THREADS and MKL_NUM_THREADS (0: unset), applied by the process's first call only, which returns true (native/settings.h). */
  configure(threads: number, mklThreads: number): boolean;
  init(linAlgError: typeof LinAlgError, geometry: Float64Array): void;
  info(): Omit<ThreadingInfo, 'cpus' | 'pools'>;
  threadStats(): ThreadStats;
  resetThreadStats(): void;
  currentThreadId(): number;
  setMaxThreads(threads: number): number;
  /** `mode`: a PoolMode by name (lib/pool.ts), checked again natively. */
  newPool(concurrency: number, mode: string): PoolHandle;
  poolStats(pool: PoolHandle): NativePoolStats;
  /** Announces (or, negative, retracts) the estimated work of items about to be launched into `pool` (native/pool.h, Expect). */
  poolExpect(pool: PoolHandle, weight: number): void;
  /** The estimated work of the items the next calls launch into `pool` (lib/pool.ts, itemWeight), and whether poolExpect announced them. */
  poolWeight(pool: PoolHandle, weight: number, announced: boolean): void;
  /** The handle a function item's weft calls carry in their `pool` slot: the pool's mode applies, no slot is taken (native/pool.h). */
  poolMember(pool: PoolHandle): PoolHandle;
  /** A function item takes one of the pool's slots (true) or, submitted now (`waiting` false), is counted as queued (false). */
  poolTakeSlot(pool: PoolHandle, waiting: boolean): boolean;
  /** A function item that held a slot ended: outcome 0 ok, 1 failed, 2 cancelled; its run time in ms. */
  poolEndItem(pool: PoolHandle, outcome: 0 | 1 | 2, ms: number): void;
  /** A queued function item was aborted before it took a slot. */
  poolDropWaiting(pool: PoolHandle): void;
  cancelToken(): CancelToken;
  cancel(token: CancelToken): void;
  /** The demo baseline's process-wide switch: sync calls run outside weft's arena (native/job.h). */
  setDirectCalls(on: boolean): void;
  /** A pool worker's item starts: its JS thread takes a slot of the arena's threads, waiting for one (native/budget.h). */
  budgetHold(): void;
  /** The item ended: its slot goes back. */
  budgetRelease(): void;
  /**
   * numpy's `out` (lib/internal/out.ts): the next sync op's result of
   * `count` elements goes into `data` from `offset` on (native/buffer.h,
   * OutTarget), and the op returns undefined for it; null clears it.
   */
  setOut(data: Float64Array | Float32Array | null, offset?: number, count?: number): void;
  /** Every export with its parameters by name (native/addon.cc), for test/51-native-boundary. */
  exportTable(): { name: string; signature: string }[];
  matmul(...args: [...call: Call, a: Data, b: Data]): unknown;
  contract(...args: [...call: Call, a: Data, b: Data, ka: number, kb: number, fn: string]): unknown;
  cross(...args: [...call: Call, a: Data, b: Data]): unknown;
  qr(...args: [...call: Call, a: Data, mode: number]): unknown;
  lu(...args: [...call: Call, a: Data, mode: number]): unknown;
  cholesky(...args: [...call: Call, a: Data, upper: boolean, zeroOther: boolean]): unknown;
  inv(...args: [...call: Call, a: Data, nanOnSingular: boolean]): unknown;
  det(...args: [...call: Call, a: Data, log: boolean]): unknown;
  solve(...args: [...call: Call, a: Data, b: Data, assume: number, lower: boolean]): unknown;
  luSolve(...args: [...call: Call, lu: Data, piv: Data, b: Data, trans: boolean]): unknown;
  choSolve(...args: [...call: Call, c: Data, b: Data, lower: boolean]): unknown;
  lstsq(...args: [...call: Call, a: Data, b: Data, rcond: number]): unknown;
  svd(...args: [...call: Call, a: Data, mode: number]): unknown;
  eig(...args: [...call: Call, a: Data, vectors: boolean]): unknown;
  eigh(...args: [...call: Call, a: Data, lower: boolean, vectors: boolean]): unknown;
  pinv(...args: [...call: Call, a: Data, rcond: number, hermitian: boolean]): unknown;
  reduce(...args: [...call: Call, x: Data, axes: number, kind: number, p: number]): unknown;
  statistic(...args: [...call: Call, x: Data, mask: number, kind: number, ddof: number]): unknown;
  argExtreme(...args: [...call: Call, x: Data, axis: number, largest: boolean]): unknown;
  /** Elementwise ops: every operand already broadcast to the result's shape (stride 0 where repeated). */
  binary(...args: [...call: Call, x1: Data, x2: Data, op: number]): unknown;
  unary(...args: [...call: Call, x: Data, op: number, decimals: number]): unknown;
  clip(...args: [...call: Call, a: Data, aMin: Data, aMax: Data]): unknown;
  select(...args: [...call: Call, condition: Uint8Array, x: Data, y: Data]): unknown;
  random(...args: [...call: Call, kind: number, count: number, seed: number, f64: boolean, a: number, b: number]): unknown;
  /** Sanitizer build only (`npm run build:asan`): reads past a buffer or leaks one, for the sanitizers to catch; or runs LeakSanitizer now. */
  sanitizerProbe?(kind: 'overflow' | 'leak' | 'leak-check'): number | undefined;
}

/** The ops of the table, by name: what `nativeCall` can name. */
export type OpName = Exclude<
  keyof Binding,
  | 'loadMkl'
  | 'configure'
  | 'init'
  | 'info'
  | 'threadStats'
  | 'resetThreadStats'
  | 'currentThreadId'
  | 'setMaxThreads'
  | 'newPool'
  | 'poolStats'
  | 'poolExpect'
  | 'poolWeight'
  | 'poolMember'
  | 'poolTakeSlot'
  | 'poolEndItem'
  | 'poolDropWaiting'
  | 'cancelToken'
  | 'cancel'
  | 'setDirectCalls'
  | 'setOut'
  | 'exportTable'
  | 'sanitizerProbe'
>;

const packageRoot = fileURLToPath(new URL('../..', import.meta.url));

function loadBinary(): Binding {
  const require = createRequire(import.meta.url);
  try {
    return require('node-gyp-build')(packageRoot) as Binding;
  } catch (err) {
    // The binary loaded but refused the process (a second libtbb): its message says why.
    if ((err as { code?: string }).code === 'ERR_WEFT_INIT') throw err;
    const message = (err as Error).message;
    let fix = `Build it with \`npm rebuild weft\` (needs python3 with pip, a C++17 compiler and make).`;
    if (/libtbb/.test(message)) {
      fix =
        `oneTBB (libtbb.so.12), which ships beside a prebuilt binary and is fetched into .deps for a source build, ` +
        `was not found: reinstall with \`npm rebuild weft\`.`;
    } else if (/undefined symbol: (cblas_|LAPACKE_|mkl_|MKL_|vsl|v[sd][A-Z])/.test(message)) {
      fix =
        `weft binds oneMKL when it loads it, after the binary: LD_BIND_NOW (set: ${process.env.LD_BIND_NOW ?? 'no'}) ` +
        `makes the dynamic linker refuse that. Unset LD_BIND_NOW for this process.`;
    }
    throw new Error(`could not load weft's native addon: ${message}\n${fix}`, { cause: err });
  }
}

/**
 * oneMKL's first-use fetch, for installs whose package manager skipped
 * weft's install script (npm 11's and pnpm 10's default): the same fetch
 * into the per-user cache, once per machine, announced on stderr with its
 * progress. Synchronous (a child process) so that `import` and `require`
 * both work. Returns why it did not fetch, or undefined when it did.
 */
function fetchOnFirstUse(): string | undefined {
  const offline = process.env.WEFT_OFFLINE;
  if (offline && offline !== '0') return 'weft did not fetch oneMKL itself: WEFT_OFFLINE is set.';
  let dir: string;
  try {
    dir = mklInstallDir(packageRoot);
  } catch (err) {
    return (err as Error).message;
  }
  process.stderr.write(
    `weft: no oneMKL on this machine (weft's install script did not run, or skipped it): fetching oneMKL ${PINNED_MKL} once into ${dir} ` +
      '(WEFT_OFFLINE=1 stops this)\n',
  );
  const script = join(packageRoot, 'scripts', 'install', 'fetch-deps.mjs');
  const r = spawnSync(process.execPath, [script, '--runtime', '--dir', dir], { stdio: ['ignore', 2, 2] });
  return r.status === 0 ? undefined : `weft tried to fetch oneMKL into ${dir} and failed (exit ${r.status ?? r.signal}; its output is above).`;
}

const OPENMP_LAYERS: Record<string, string> = { INTEL: 'libmkl_intel_thread.so.3', GNU: 'libmkl_gnu_thread.so.3' };

/**
 * MKL_THREADING_LAYER=INTEL or GNU with a oneMKL that weft fetched without
 * its OpenMP layers: libmkl_rt would exit the process when it cannot load
 * the layer, so say it first.
 */
function checkOpenmpLayer(found: NonNullable<MklSearch['found']>, settings: ThreadingEnvironment): void {
  const layer = settings.layer.toUpperCase();
  const library = OPENMP_LAYERS[layer];
  if (!library || (found.source !== 'package' && found.source !== 'user-cache')) return;
  const missing = [library, ...(layer === 'INTEL' ? ['libiomp5.so'] : [])].filter((name) => !existsSync(join(dirname(found.library), name)));
  if (missing.length === 0) return;
  throw Object.assign(
    new Error(
      `weft: ${settings.layerSource}=${settings.layer} needs ${missing.join(' and ')}, which weft fetches only when asked. ` +
        `Run \`npx weft install-mkl --openmp\` (adds the OpenMP layers and intel-openmp to ${dirname(found.library)}), or unset ${settings.layerSource} to use TBB.`,
    ),
    { code: 'ERR_WEFT_MKL_NOT_FOUND' },
  );
}

/**
 * Loads the addon, applies the environment's threading settings (env.ts;
 * checked before anything loads), then loads the oneMKL that find-mkl.ts
 * finds (fetching it on first use) into the process.
 */
function load(): Binding {
  const settings = readThreadingEnvironment();
  exportThreadingLayer(settings);
  const binding = loadBinary();
  const first = binding.configure(settings.threads, settings.mklThreads);
  let search = findMkl(packageRoot);
  let fetchFailure: string | undefined;
  if (!search.found && !search.explicitMiss) {
    fetchFailure = fetchOnFirstUse();
    if (!fetchFailure) search = findMkl(packageRoot);
  }
  if (!search.found) {
    throw Object.assign(new Error(mklNotFoundMessage(search, process.env, packageRoot, fetchFailure)), { code: 'ERR_WEFT_MKL_NOT_FOUND' });
  }
  checkOpenmpLayer(search.found, settings);
  binding.loadMkl(search.found.library, search.found.source, settings.layer, settings.layerSource);
  if (first && settings.verbose) {
    const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };
    process.stderr.write(`${describeSettings(version, binding.info())}\n`);
  }
  return binding;
}

/**
 * Operand geometry for the next native call, written here and read by
 * native/view.cc (GeometryReader) during that same call. Per operand, in
 * argument order: ndim, kind (0 real, 1 complex: (re, im) pairs, the rest
 * counted in pairs), offset, shape[0..ndim), strides[0..ndim). One
 * Float64Array per env, reused: reading it costs the addon one N-API call
 * where shape and strides arrays would cost one per element.
 */
const geometry = new Float64Array(4 * (3 + 2 * MAX_DIMS));

/** Writes the geometry of `views`, in order, for the native call that follows at once. */
export function writeGeometry(...views: View[]): void {
  let i = 0;
  for (const view of views) i = writeView(view, i);
}

/** Writes the geometry of one or two views (writeGeometry without its rest array, for the hot path). */
export function writeGeometry2(a: View, b?: View): void {
  const i = writeView(a, 0);
  if (b !== undefined) writeView(b, i);
}

/** Writes `view`'s geometry at `i`; returns where the next one starts. */
function writeView(view: View, i: number): number {
  const ndim = view.shape.length;
  geometry[i++] = ndim;
  geometry[i++] = isComplexData(view.data) ? 1 : 0;
  geometry[i++] = view.offset;
  for (let d = 0; d < ndim; d++) geometry[i++] = view.shape[d]!;
  for (let d = 0; d < ndim; d++) geometry[i++] = view.strides[d]!;
  return i;
}

export const native: Binding = load();
native.init(LinAlgError, geometry);

// Two installs of weft in one process (a nested node_modules) each load
// their own addon, with its own arena: a second thread pool after all.
const { copies } = native.info().addon;
if (copies.length > 1) {
  process.emitWarning(
    `${copies.length} copies of weft's native addon are loaded in this process (${copies.join(', ')}). ` +
      'Each runs its own arena, so together they can run more threads than there are cores, and ' +
      "threading.setMaxThreads() of one does not limit the others. Deduplicate them (npm dedupe) so that one copy serves.",
    { code: 'WEFT_DUPLICATE' },
  );
}
