/**
 * Loads the native addon (a prebuild, or the local build) and gives it the
 * per-env pieces it needs. Private: only the rest of lib/ calls it.
 *
 * @internal
 * @module
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { LinAlgError } from './errors.js';
import type { FloatArray, View } from './ndarray.js';
import type { ThreadingInfo, ThreadStats } from './threading.js';
import { MAX_DIMS } from './ndarray.js';

/** The flat export table of native/addon.cc. Ops read operand geometry from `geometry`. */
interface Binding {
  init(linAlgError: typeof LinAlgError, geometry: Float64Array): void;
  info(): Omit<ThreadingInfo, 'cpus'>;
  threadStats(): ThreadStats;
  resetThreadStats(): void;
  currentThreadId(): number;
  matmul(a: FloatArray, b: FloatArray, async: false): FloatArray;
  matmul(a: FloatArray, b: FloatArray, async: true): Promise<FloatArray>;
  qr(a: FloatArray, mode: number, async: false): FloatArray[];
  qr(a: FloatArray, mode: number, async: true): Promise<FloatArray[]>;
}

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

function load(): Binding {
  const require = createRequire(import.meta.url);
  try {
    return require('node-gyp-build')(packageRoot) as Binding;
  } catch (err) {
    // The binary loaded but refused the process (MKL_THREADING_LAYER, a second libtbb): its message says why.
    if ((err as { code?: string }).code === 'ERR_WEFT_INIT') throw err;
    const message = (err as Error).message;
    const missingRuntime = /lib(mkl_rt|tbb)\.so/.test(message);
    const fix = missingRuntime
      ? `The oneMKL/oneTBB runtime it links was not found. Fetch it with \`node ${packageRoot}scripts/fetch-deps.mjs\` ` +
        `(needs python3 with pip), or reinstall with \`npm rebuild weft\`.`
      : `Build it with \`npm rebuild weft\` (needs python3 with pip, a C++17 compiler and make).`;
    throw new Error(`could not load weft's native addon: ${message}\n${fix}`, { cause: err });
  }
}

/**
 * Operand geometry for the next native call, written here and read by
 * native/array.cc (GeometryReader) during that same call. Per operand, in
 * argument order: ndim, offset, shape[0..ndim), strides[0..ndim). One
 * Float64Array per env, reused: reading it costs the addon one N-API call
 * where shape and strides arrays would cost one per element.
 */
const geometry = new Float64Array(4 * (2 + 2 * MAX_DIMS));

/** Writes the geometry of `views`, in order, for the native call that follows at once. */
export function writeGeometry(...views: View[]): void {
  let i = 0;
  for (const view of views) {
    const ndim = view.shape.length;
    geometry[i++] = ndim;
    geometry[i++] = view.offset;
    for (let d = 0; d < ndim; d++) geometry[i++] = view.shape[d]!;
    for (let d = 0; d < ndim; d++) geometry[i++] = view.strides[d]!;
  }
}

export const native: Binding = load();
native.init(LinAlgError, geometry);
