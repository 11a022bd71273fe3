#!/usr/bin/env node
/**
 * `npx weft <command>`: `info` prints what weft runs on; `demo` shows the
 * shared arena at work with measured numbers; `install-mkl` fetches oneMKL
 * into the per-user cache for machines that have none.
 *
 * @internal
 * @module
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Loaded in main() so that a failure to load the addon (say, a bad
// MKL_THREADING_LAYER) prints one clean line instead of a module stack.
let weft: typeof import('../index.js');

const HELP = `usage: weft <command>

commands:
  info [--json]   versions, MKL threading layer, TBB arena, library paths
  demo            the composability demo: the seed's 10 × QR, the SciPy 2017 paper's four workloads,
                  two more, and two of user code (an async QR pipeline; JS work then a solve), under
                  an oversubscribed OpenMP worker pool, the same with MKL_NUM_THREADS=1, plain
                  Promise.all, a Pool under MKL's sequential layer, and weft's Pool modes
                    --quick | --full | --scale x   problem sizes (default scale 1)
                    --reps n                       timed runs per workload (default 3)
                    --rounds n                     each mode's process n times, modes interleaved (default 1)
                    --out dir                      where demo.json and demo.svg go (default ./weft-demo)
                    --modes a,b                    a subset of default, workers-1, promise-all,
                                                   sequential, serial-inner, static, composable
                    --workloads a,b                a subset of the workloads, by id
  install-mkl     fetch the pinned oneMKL (the mkl wheel from the Python package index, with Node
                  alone; pip's settings and proxies honoured) into the per-user cache weft searches:
                  $WEFT_CACHE_DIR, else $XDG_CACHE_HOME/weft, else ~/.cache/weft (the package's
                  .deps with WEFT_MKL_LOCAL=1)
                    --openmp                       also the OpenMP layers and intel-openmp
                                                   (for MKL_THREADING_LAYER=INTEL or GNU; npx weft demo)
                    --force                        fetch again even if it is there
  help            this text

environment (threading: README, "Threading from the environment"):
  WEFT_NUM_THREADS      the threads weft runs on at most (default: the CPUs)
  MKL_NUM_THREADS       the most threads one call's MKL work uses (default: no cap)
  WEFT_THREADING_LAYER  sets MKL_THREADING_LAYER before oneMKL loads
  MKL_THREADING_LAYER   TBB (default), INTEL, GNU or SEQUENTIAL
  WEFT_VERBOSE=1        one line on stderr at load: versions, layer, threads, their sources
  WEFT_MKL_DIR          the directory holding libmkl_rt.so.3 to use (skips the search)
  WEFT_OFFLINE=1        never download oneMKL (not at install, not on first use)
`;

/** fetch-deps.mjs's fetchRuntime (scripts/ ships in the package beside dist/). */
async function fetchRuntime(options: { dir: string; force: boolean; openmp: boolean }): Promise<void> {
  const script = new URL('../../scripts/install/fetch-deps.mjs', import.meta.url);
  const fetcher = (await import(script.href)) as { fetchRuntime(o: typeof options): Promise<void> };
  await fetcher.fetchRuntime(options);
}

async function installMkl(force: boolean, openmp: boolean): Promise<void> {
  const { mklInstallDir } = await import('../internal/find-mkl.js');
  const packageRoot = fileURLToPath(new URL('../..', import.meta.url));
  const dir = mklInstallDir(packageRoot);
  await fetchRuntime({ dir, force, openmp });
  process.stdout.write(`oneMKL is in ${dir}/lib; weft will find it there (threading.info().mkl.source)\n`);
}

/**
 * The demo's baseline runs MKL's OpenMP layer, which weft fetches only when
 * asked: asking for the demo asks for it, so a oneMKL weft fetched without
 * it gets it now, beside itself (announced; never with WEFT_OFFLINE=1).
 */
async function ensureDemoBaseline(): Promise<void> {
  const { mkl } = weft.threading.info();
  if (mkl.source !== 'package' && mkl.source !== 'user-cache') return; // a oneMKL weft did not fetch is the user's
  const lib = dirname(mkl.path);
  if (['libmkl_intel_thread.so.3', 'libiomp5.so'].every((name) => existsSync(join(lib, name)))) return;
  if (process.env.WEFT_OFFLINE === '1') {
    throw new Error(`weft demo: its baseline needs MKL's OpenMP layer, not in ${lib}, and WEFT_OFFLINE=1 forbids fetching it: run \`npx weft install-mkl --openmp\` where downloads are allowed`);
  }
  process.stderr.write(`weft demo: its baseline (MKL_THREADING_LAYER=INTEL) needs MKL's OpenMP layer and intel-openmp; fetching them once into ${dirname(lib)} (what \`npx weft install-mkl --openmp\` does)\n`);
  await fetchRuntime({ dir: dirname(lib), force: false, openmp: true });
}

function printInfo(json: boolean): void {
  const info = weft.threading.info();
  if (json) {
    process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
    return;
  }
  const { mkl, tbb, settings } = info;
  const rows: [string, string][] = [
    ['mkl.version', `${mkl.version} (build ${mkl.build})`],
    ['mkl.threadingLayer', `${mkl.threadingLayer}${mkl.threadingLayerSource === 'default' ? ' (default)' : ` (from ${mkl.threadingLayerSource})`}`],
    ['mkl.interfaceLayer', mkl.interfaceLayer],
    ['mkl.codePath', mkl.codePath],
    ['mkl.path', `${mkl.path} (found via ${mkl.source})`],
    ['mkl.layerLibrary', mkl.layerLibrary || '(none loaded)'],
    ['tbb.version', `${tbb.version} (interface ${tbb.interfaceVersion})`],
    ['tbb.path', `${tbb.path} (${tbb.loadedCopies} cop${tbb.loadedCopies === 1 ? 'y' : 'ies'} loaded)`],
    ['arena.threads', `${settings.threads.value}${settings.threads.source === 'default' ? ' (default)' : ` (from ${settings.threads.source})`}`],
    ['mklThreads', settings.mklThreads.value === null ? 'not capped (default)' : `${settings.mklThreads.value} per call (from MKL_NUM_THREADS)`],
    ['cpus', `${info.cpus} (${cpus()[0]?.model ?? 'unknown CPU'})`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
  if (mkl.threadingLayer !== mkl.requestedThreadingLayer) {
    process.stdout.write(`\nwarning: weft asked MKL for '${mkl.requestedThreadingLayer}' but another library fixed '${mkl.threadingLayer}' first\n`);
  }
}

async function main(argv: string[]): Promise<void> {
  // `weft info | head` closes the pipe early: not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const [command = 'help', ...rest] = argv;
  if (command === 'info' || command === 'demo') weft = await import('../index.js');
  switch (command) {
    case 'info':
      printInfo(rest.includes('--json'));
      break;
    case 'demo': {
      const { demo, parseDemoArgs } = await import('./demo/index.js');
      const options = parseDemoArgs(rest);
      if (options.child) {
        const { runMode } = await import('./demo/run-mode.js');
        const result = await runMode(options.child, options.scale, options.reps, options.only, (line) => process.stderr.write(`${line}\n`));
        process.stdout.write(`${JSON.stringify(result)}\n`);
      } else {
        if (options.modes.includes('default')) await ensureDemoBaseline();
        await demo(options);
      }
      break;
    }
    case 'install-mkl':
      await installMkl(rest.includes('--force'), rest.includes('--openmp'));
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
  process.stderr.write(`weft: ${String((err as Error).message ?? err).replace(/^weft: /, '')}\n`);
  process.exitCode = 1;
});
