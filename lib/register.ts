/**
 * `weft/register`: configures weft from the environment before an app's own
 * code runs, the analogue of `python -m tbb app.py`:
 *
 * ```sh
 * WEFT_NUM_THREADS=4 node --import weft/register app.mjs     # an ES module app
 * WEFT_NUM_THREADS=4 node --require weft/register app.cjs    # a CommonJS app
 * ```
 *
 * It loads weft and oneMKL at once, so that the variables below apply
 * before the app makes its first call and a setting weft cannot use stops
 * the process at start (exit code 1, a TypeError naming the variable and
 * its value) instead of at the first request. An app that never configures
 * weft is capped without code changes. Match the flag to the app's module
 * system (`--import` loads weft's ES module build, `--require` its CommonJS
 * build: the other flag would load a second copy of weft's JavaScript,
 * which works but warns, `WEFT_TWO_COPIES`).
 *
 * The variables (weft reads the same ones whenever it loads, with or
 * without this module; an empty value counts as unset):
 *
 * - `WEFT_NUM_THREADS`: the shared arena's size, weft's thread budget (an
 *   integer from 1 to 4096; default: the CPUs). `threading.setMaxThreads()`
 *   changes it later.
 * - `MKL_NUM_THREADS`: the most inner threads one call's MKL work uses (an
 *   integer from 1 to 4096; default: no cap), as MKL users expect it; under
 *   the TBB layer MKL ignores it, so weft applies it itself. An async call's
 *   `threads` option overrides it for that call.
 * - `WEFT_THREADING_LAYER`: MKL's threading layer, `TBB` (default), `INTEL`,
 *   `GNU` or `SEQUENTIAL`; weft sets `MKL_THREADING_LAYER` to it before
 *   oneMKL loads (child processes inherit it). Both set to different layers
 *   is an error.
 * - `WEFT_VERBOSE=1`: one line on stderr: weft's, oneMKL's and oneTBB's
 *   versions, the layer, the threads, and where each setting came from.
 *
 * `OMP_NUM_THREADS` is not weft's: weft's threads are oneTBB's, not
 * OpenMP's, and MKL reads it only under its OpenMP layers (`INTEL`, `GNU`),
 * where `MKL_NUM_THREADS` takes precedence over it. Under those layers MKL
 * reads `MKL_NUM_THREADS` itself for its OpenMP teams (a call's `threads`
 * option cannot raise them); under `SEQUENTIAL` every MKL call runs on one
 * thread.
 *
 * worker_threads share the process's arena: the settings apply once, at
 * the process's first load of weft, and a worker that loads weft later
 * (Node runs `--require` preloads again in each worker) re-applies
 * nothing, not even over a `threading.setMaxThreads()` made meanwhile.
 * `threading.info().settings` reports each setting and its source.
 *
 * @example
 * ```ts
 * // WEFT_NUM_THREADS=1 node --import weft/register app.mjs, where app.mjs is
 * import { threading } from 'weft';
 * threading.info().settings.threads; // { value: 1, source: 'WEFT_NUM_THREADS' }
 * ```
 *
 * @module
 */
import './index.js';
