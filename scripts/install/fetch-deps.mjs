#!/usr/bin/env node
// Installs the pinned oneMKL (and, for a source build, oneTBB) from Intel's
// official PyPI wheels into a prefix directory.
//
// Two sets. `runtime` is oneMKL's libraries alone, for a prebuilt addon that
// found no oneMKL on the machine (it ships its own libtbb): fetchRuntime()
// takes the `mkl` wheel from the Python package index with Node alone
// (scripts/install/pypi.mjs: the index, pip's settings, proxies, sha256;
// zip.mjs: the unzip), and keeps only the libraries weft loads
// (RUNTIME_LIBRARIES), into the per-user cache by default. pip is its
// fallback when that fails. `build` is what compiling the addon needs
// (headers, oneTBB to link, oneMKL): fetchDeps() installs it with pip, since
// a source build needs a Python-capable toolchain anyway.
//
// Why pip --prefix for `build`: the wheels carry their libraries and headers
// as wheel *data* files, which `--prefix DIR` lays out as DIR/lib and
// DIR/include; `--target` drops them. Why --no-deps with every wheel pinned:
// the set is reproducible and leaves out the offload runtimes
// (intel-cmplr-lib-ur, umf, ~200 MB) that intel-openmp declares but libiomp5
// does not load.
//
// Idempotent: a stamp file records what a prefix holds; when it covers what
// is asked for and the libraries are present, nothing runs.
//
// Usage: node scripts/install/fetch-deps.mjs [--runtime [--openmp]] [--dir DIR] [--force] [--quiet]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadWheel, locateWheel, pipSettings } from './pypi.mjs';
import { extractEntry, listZip } from './zip.mjs';

// The versions live in package.json ("weft": { "pinned" }), their one place.
const versions = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json'), 'utf8')).weft.pinned;
export const PINNED = {
  runtime: [`mkl==${versions.mkl}`],
  // libiomp5, for MKL_THREADING_LAYER=INTEL comparison runs: only when asked.
  openmp: [`intel-openmp==${versions.mkl}`],
  build: [
    `mkl==${versions.mkl}`,
    `intel-openmp==${versions.mkl}`,
    `mkl-include==${versions.mkl}`,
    `tbb==${versions.tbb}`, // mkl 2026 requires tbb==2023.*
    `tbb-devel==${versions.tbb}`,
    `tcmlib==${versions.tcmlib}`, // libtcm, loaded by libtbb when TCM_ENABLE=1
  ],
  versions,
};

// Files whose presence means the set is usable.
const REQUIRED = {
  runtime: ['lib/libmkl_rt.so.3', 'lib/libmkl_tbb_thread.so.3'],
  openmp: ['lib/libmkl_intel_thread.so.3', 'lib/libiomp5.so'],
  build: ['lib/libmkl_rt.so.3', 'lib/libmkl_tbb_thread.so.3', 'lib/libtbb.so.12', 'include/mkl.h', 'include/oneapi/tbb/task_arena.h'],
};

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const depsDir = join(root, '.deps');
const stampOf = (dir) => join(dir, '.weft-deps.json');

function log(quiet, msg) {
  if (!quiet) process.stderr.write(`weft: ${msg}\n`);
}

/** True when `dir` already holds the `kind` set (a `build` set covers `runtime`). */
export function depsReady(kind = 'build', dir = depsDir) {
  try {
    const stamp = JSON.parse(readFileSync(stampOf(dir), 'utf8'));
    if (!PINNED[kind].every((pin) => stamp.pinned?.includes(pin))) return false;
  } catch {
    return false;
  }
  return REQUIRED[kind].every((f) => existsSync(join(dir, f)));
}

function findPython() {
  const candidates = [process.env.PYTHON, 'python3', 'python'].filter(Boolean);
  for (const exe of candidates) {
    const r = spawnSync(exe, ['-m', 'pip', '--version'], { encoding: 'utf8' });
    if (r.status === 0) return exe;
  }
  throw new Error(
    `Python 3 with pip is needed to fetch the pinned oneMKL and oneTBB wheels for a source build, but none of ` +
      `${candidates.join(', ')} runs "-m pip". Install python3-pip, or set PYTHON to a Python that has pip.`,
  );
}

export function fetchDeps({ kind = 'build', dir = depsDir, force = false, quiet = false } = {}) {
  if (!force && depsReady(kind, dir)) {
    log(quiet, `oneMKL${kind === 'build' ? '/oneTBB' : ''} already in ${dir}`);
    return;
  }
  const python = findPython();
  const pins = PINNED[kind];
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(quiet, `fetching ${pins.join(' ')} into ${dir} (pip, ${kind === 'build' ? '~300' : '~250'} MB on first run)`);
  const started = Date.now();
  const r = spawnSync(
    python,
    [
      '-m', 'pip', 'install',
      '--prefix', dir,
      '--no-deps',
      '--only-binary=:all:',
      '--no-warn-script-location',
      '--disable-pip-version-check',
      '--no-compile',
      '--quiet',
      ...pins,
    ],
    // Keep pip away from any virtualenv/user-site settings of the caller.
    { stdio: 'inherit', env: { ...process.env, PIP_USER: '0', PYTHONNOUSERSITE: '1', PIP_ROOT_USER_ACTION: 'ignore' } },
  );
  if (r.status !== 0) {
    throw new Error(`pip install of the pinned Intel wheels failed (exit ${r.status ?? r.signal}); see pip's output above`);
  }
  const missing = REQUIRED[kind].filter((f) => !existsSync(join(dir, f)));
  if (missing.length) {
    throw new Error(`pip finished but ${missing.join(', ')} is missing under ${dir}`);
  }
  writeFileSync(stampOf(dir), JSON.stringify({ kind, pinned: pins, fetchedAt: new Date().toISOString() }, null, 2));
  log(quiet, `${kind === 'build' ? 'oneMKL/oneTBB' : 'oneMKL'} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

// The libraries a prebuilt weft loads from each wheel (found by running the
// suite against a prefix holding only these): libmkl_rt, the LP64 interface,
// the core, the TBB and SEQUENTIAL threading layers, and every CPU-dispatch
// kernel and VM variant (def, mc3, avx2, avx512, avx10; vml_cmpt for
// MKL_CBWR=COMPATIBLE), since MKL picks one by the CPU it runs on. Left out:
// ILP64, ScaLAPACK, BLACS, cluster FFT, and the OpenMP layers unless asked.
export const RUNTIME_LIBRARIES = {
  mkl: /^libmkl_(rt|core|intel_lp64|tbb_thread|sequential|def|mc3|avx2|avx512|avx10|vml_(def|mc3|avx2|avx512|avx10|cmpt))\.so\.\d+$/,
  mklOpenmp: /^libmkl_(intel_thread|gnu_thread)\.so\.\d+$/,
  openmp: /^libiomp5\.so$/,
};

/**
 * What `parts` ('mkl': the base set; 'openmp': the OpenMP layers and
 * libiomp5) take from each wheel: [project, version, label, filter of library names].
 */
function wheelsFor(parts) {
  const base = parts.includes('mkl');
  const openmp = parts.includes('openmp');
  const mklNames = (name) => (base && RUNTIME_LIBRARIES.mkl.test(name)) || (openmp && RUNTIME_LIBRARIES.mklOpenmp.test(name));
  const list = [['mkl', versions.mkl, 'oneMKL', mklNames]];
  if (openmp) list.push(['intel-openmp', versions.mkl, 'intel-openmp', (name) => RUNTIME_LIBRARIES.openmp.test(name)]);
  return list;
}

// Scratch names unique across processes and across calls in one process.
let scratchCount = 0;
const uniqueTag = () => `${process.pid}-${++scratchCount}`;

function readStamp(dir) {
  try {
    return JSON.parse(readFileSync(stampOf(dir), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Takes the libraries `keep` selects out of a wheel's data files (<name>-<ver>.data/data/lib/) into dir/lib. */
async function unpackWheel(wheelPath, dir, keep, project) {
  const entries = listZip(wheelPath).filter((e) => /^[^/]+\.data\/data\/lib\/[^/]+$/.test(e.name) && keep(basename(e.name)));
  if (entries.length === 0) {
    throw new Error(`${basename(wheelPath)} holds none of the libraries weft needs`);
  }
  mkdirSync(join(dir, 'lib'), { recursive: true });
  for (const entry of entries) await extractEntry(wheelPath, entry, join(dir, 'lib', basename(entry.name)));
  const license = listZip(wheelPath).find((e) => /^[^/]+\.dist-info\/LICENSE(\.txt)?$/.test(e.name));
  if (license) await extractEntry(wheelPath, license, join(dir, `LICENSE-${project}.txt`));
  return entries.reduce((sum, e) => sum + e.size, 0);
}

/** The Node fetcher: each wheel by name from the index (or find-links), verified, unpacked, deleted. */
async function fetchWithNode(parts, dir, { env, quiet }) {
  const settings = pipSettings(env);
  for (const [project, version, label, keep] of wheelsFor(parts)) {
    const wheel = await locateWheel(project, version, { settings, env });
    const download = `${dir}.${project}-${uniqueTag()}.whl`;
    const got = await downloadWheel(wheel, download, { settings, env, label: `${label} ${version}`, stream: quiet ? { write() {} } : process.stderr });
    try {
      const bytes = await unpackWheel(got.path, dir, keep, project);
      log(quiet, `${label} ${version}: unpacked ${Math.round(bytes / 1e6)} MB of the libraries weft loads`);
    } finally {
      if (got.path === download) rmSync(download, { force: true });
    }
  }
}

/** The fallback: pip into a scratch prefix, then the same libraries kept. */
function fetchWithPip(parts, dir, { env, quiet }) {
  const python = findPython();
  const scratch = `${dir}.pip-${uniqueTag()}`;
  rmSync(scratch, { recursive: true, force: true });
  const pins = parts.flatMap((part) => PINNED[part === 'mkl' ? 'runtime' : 'openmp']);
  log(quiet, `fetching ${pins.join(' ')} with pip`);
  const r = spawnSync(python, ['-m', 'pip', 'install', '--prefix', scratch, '--no-deps', '--only-binary=:all:', '--no-warn-script-location', '--disable-pip-version-check', '--no-compile', '--quiet', ...pins], {
    stdio: ['ignore', 2, 2],
    env: { ...env, PIP_USER: '0', PYTHONNOUSERSITE: '1', PIP_ROOT_USER_ACTION: 'ignore' },
  });
  try {
    if (r.status !== 0) throw new Error(`pip install ${pins.join(' ')} failed (exit ${r.status ?? r.signal}); see pip's output above`);
    mkdirSync(join(dir, 'lib'), { recursive: true });
    const keep = (name) => wheelsFor(parts).some(([, , , k]) => k(name));
    for (const name of readdirSync(join(scratch, 'lib')).filter(keep)) renameSync(join(scratch, 'lib', name), join(dir, 'lib', name));
    // The wheels' licences, kept as the Node fetcher keeps them (pip leaves them in site-packages).
    for (const python of readdirSync(join(scratch, 'lib')).filter((d) => /^python3/.test(d))) {
      const site = join(scratch, 'lib', python, 'site-packages');
      for (const info of readdirSync(site).filter((d) => d.endsWith('.dist-info'))) {
        const license = join(site, info, 'LICENSE.txt');
        if (existsSync(license)) renameSync(license, join(dir, `LICENSE-${info.split('-')[0].replace(/_/g, '-')}.txt`));
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Makes `dir` hold oneMKL's runtime libraries (and, with `openmp`, the
 * OpenMP layers and libiomp5). Fetches with Node; falls back to pip; throws
 * when both fail. Safe against a concurrent fetch into the same dir: each
 * fills a scratch directory and renames it into place.
 */
export async function fetchRuntime({ dir, openmp = false, force = false, quiet = false, env = process.env }) {
  const parts = openmp ? ['mkl', 'openmp'] : ['mkl'];
  const ready = (part) => depsReady(part === 'mkl' ? 'runtime' : 'openmp', dir);
  if (!force && parts.every(ready)) {
    log(quiet, `oneMKL ${versions.mkl}${openmp ? ' with intel-openmp' : ''} already in ${dir}`);
    return;
  }
  // Adding intel-openmp to a complete oneMKL goes in place; anything else starts afresh.
  const inPlace = !force && ready('mkl');
  const todo = inPlace ? parts.filter((p) => !ready(p)) : parts;
  const target = inPlace ? dir : `${dir}.partial-${uniqueTag()}`;
  mkdirSync(dirname(dir), { recursive: true });
  if (!inPlace) rmSync(target, { recursive: true, force: true });
  const started = Date.now();
  let via = 'node';
  try {
    await fetchWithNode(todo, target, { env, quiet });
  } catch (nodeError) {
    log(quiet, `fetching with Node failed: ${nodeError.message}; trying pip`);
    via = 'pip';
    try {
      fetchWithPip(todo, target, { env, quiet });
    } catch (pipError) {
      if (!inPlace) rmSync(target, { recursive: true, force: true });
      throw new Error(`could not fetch oneMKL ${versions.mkl}: ${nodeError.message} (and pip: ${pipError.message})`, { cause: pipError });
    }
  }
  const pinned = [...(inPlace ? (readStamp(dir)?.pinned ?? []) : []), ...todo.flatMap((p) => PINNED[p === 'mkl' ? 'runtime' : 'openmp'])];
  writeFileSync(stampOf(target), JSON.stringify({ kind: 'runtime', pinned, via, fetchedAt: new Date().toISOString() }, null, 2));
  if (!inPlace && !force && parts.every(ready)) {
    // Another process (a parallel first use) finished first: keep its copy, which may be loaded already.
    rmSync(target, { recursive: true, force: true });
  } else if (!inPlace) {
    rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(target, dir);
    } catch (err) {
      rmSync(target, { recursive: true, force: true });
      if (!parts.every(ready)) throw err; // another process filled it meanwhile, or not
    }
  }
  log(quiet, `oneMKL ${versions.mkl}${openmp ? ' with intel-openmp' : ''} ready in ${dir} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const dirAt = argv.indexOf('--dir');
  const options = { dir: dirAt >= 0 ? resolve(argv[dirAt + 1]) : depsDir, force: argv.includes('--force'), quiet: argv.includes('--quiet') };
  try {
    if (argv.includes('--runtime')) await fetchRuntime({ ...options, openmp: argv.includes('--openmp') });
    else fetchDeps({ kind: 'build', ...options });
  } catch (err) {
    process.stderr.write(`weft: ${err.message}\n`);
    process.exit(1);
  }
}
