#!/usr/bin/env node
// `npm run test:pack`: install weft the way a user does, from the packed
// tarball, on a machine with no C++ toolchain, and use it.
//
// 1. `npm run prebuild`, then `npm pack` (prints the tarball's size).
// 2. For each of two fresh projects — plain, and with PREBUILDS_ONLY=1 —
//    `npm install <tarball>` with a PATH that holds node, npm, python3 and a
//    shell but no cc, c++, g++ or make, a HOME/XDG cache with no oneMKL, and
//    no MKLROOT/CONDA_PREFIX/VIRTUAL_ENV/WEFT_MKL_DIR: the install must take
//    the prebuild and fetch oneMKL's runtime into the package (pip, from
//    PyPI; pip's own cache is kept so repeated runs stay fast).
// 3. In that project: an ES module imports { linalg, threading } from 'weft',
//    runs a QR and prints threading.info() (TBB layer, oneMKL from the
//    package, the prebuilt binary loaded); a CommonJS script require()s weft;
//    `tsc --noEmit` type-checks a consumer .ts file against weft's types.
// 4. A third project installed with WEFT_SKIP_MKL_DOWNLOAD=1: importing weft
//    fails with the one "could not find oneMKL" error, `npx weft install-mkl`
//    fills the per-user cache, and then weft loads oneMKL from there.
// Prints one JSON line with the figures; exits non-zero on any failure.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PINNED } from '../install/fetch-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = mkdtempSync(join(tmpdir(), 'weft-pack-'));
const say = (line) => process.stderr.write(`test:pack: ${line}\n`);

function fail(message) {
  say(`FAILED: ${message}`);
  process.exit(1);
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, ...options });
  if (r.status !== 0) {
    fail(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}\n${r.stdout ?? ''}\n${r.stderr ?? ''}`);
  }
  return r;
}

// ---------------------------------------------------------------- pack

say('prebuild');
run(process.execPath, [join(root, 'scripts', 'dev', 'prebuild.mjs')], { cwd: root, stdio: 'inherit' });
say('npm pack');
const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], { cwd: root }).stdout);
const tarball = join(work, packed[0].filename);
const tarballBytes = statSync(tarball).size;
const files = packed[0].files.map((f) => f.path);
for (const forbidden of [/^test\//, /^\.deps\//, /^bench\//, /^node_modules\//]) {
  const hit = files.find((f) => forbidden.test(f));
  if (hit) fail(`the tarball holds ${hit}`);
}
for (const needed of ['dist/index.js', 'dist/index.d.ts', 'prebuilds/linux-x64/libtbb.so.12', 'NOTICE', 'LICENSE', 'binding.gyp']) {
  if (!files.includes(needed)) fail(`the tarball lacks ${needed}`);
}
if (!files.some((f) => /^prebuilds\/linux-x64\/.*\.node$/.test(f))) fail('the tarball has no prebuilt .node');

// ---------------------------------------------------------------- a machine without a compiler

// A PATH of symlinks to the few programs an install needs. python3 is linked
// at its real executable (not, say, a pyenv shim, which needs more tools).
const bin = join(work, 'bin');
mkdirSync(bin);
const realPython = execFileSync(process.env.PYTHON || 'python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
const tools = {
  node: process.execPath,
  npm: realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim()),
  npx: realpathSync(execFileSync('sh', ['-c', 'command -v npx'], { encoding: 'utf8' }).trim()),
  python3: realPython,
  sh: '/bin/sh',
  env: '/usr/bin/env',
};
for (const [name, target] of Object.entries(tools)) symlinkSync(target, join(bin, name));
const home = join(work, 'home');
mkdirSync(home);
const cleanEnv = {
  PATH: bin,
  HOME: home,
  XDG_CACHE_HOME: join(home, '.cache'),
  npm_config_cache: process.env.npm_config_cache || join(homedir(), '.npm'),
  PIP_CACHE_DIR: process.env.PIP_CACHE_DIR || join(homedir(), '.cache', 'pip'),
  LANG: 'C.UTF-8',
};
for (const compiler of ['cc', 'c++', 'g++', 'gcc', 'make']) {
  const r = spawnSync('sh', ['-c', `command -v ${compiler}`], { env: cleanEnv, encoding: 'utf8' });
  if (r.status === 0) fail(`${compiler} is reachable on the test PATH (${r.stdout.trim()})`);
}

const consumerMjs = `
import { linalg, threading } from 'weft';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
const require = createRequire(import.meta.url);
const { Q, R } = linalg.qr([[12, -51, 4], [6, 167, -68], [-4, 24, -41]]);
const back = linalg.matmul(Q, R).toArray().flat();
const ok = [12, -51, 4, 6, 167, -68, -4, 24, -41].every((v, i) => Math.abs(back[i] - v) < 1e-9);
const info = threading.info();
const addon = require('node-gyp-build').path(dirname(require.resolve('weft/package.json')));
console.log(JSON.stringify({ ok, r00: R.get(0, 0), layer: info.mkl.threadingLayer, mklSource: info.mkl.source, mklPath: info.mkl.path,
  mklVersion: info.mkl.version, tbbPath: info.tbb.path, addon }));
`;
const consumerCjs = `
const { linalg } = require('weft');
const x = linalg.solve([[3, 1], [1, 2]], [9, 8]).toArray();
console.log(JSON.stringify({ ok: Math.abs(x[0] - 2) < 1e-12 && Math.abs(x[1] - 3) < 1e-12 }));
`;
const consumerTs = `
import { linalg, NDArray, threading, LinAlgError } from 'weft';
import type { ThreadingInfo } from 'weft';
const a: NDArray = linalg.matmul([[1, 2], [3, 4]], [[5], [6]]);
const { Q, R }: { Q: NDArray; R: NDArray } = linalg.qr([[1, 2], [3, 4]]);
const first: number = a.get(0, 0);
const info: ThreadingInfo = threading.info();
const layer: 'tbb' | 'intel' | 'gnu' | 'sequential' = info.mkl.threadingLayer;
async function later(): Promise<number> {
  const s: NDArray = await linalg.svdvalsAsync([[1, 0], [0, 2]]);
  return s.get(0) + first;
}
export const used = [Q, R, layer, later, LinAlgError];
`;

function installInto(name, env) {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, version: '1.0.0', private: true }));
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--foreground-scripts', tarball], {
    cwd: dir,
    env: { ...cleanEnv, ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (install.status !== 0) fail(`npm install in ${name} exited ${install.status}\n${install.stdout}\n${install.stderr}`);
  writeFileSync(join(dir, 'consumer.mjs'), consumerMjs);
  return { dir, install };
}

function project(name, env) {
  const started = performance.now();
  const { dir, install } = installInto(name, env);
  const esm = run(process.execPath, ['consumer.mjs'], { cwd: dir, env: { ...cleanEnv, ...env } });
  const seconds = (performance.now() - started) / 1000;
  const result = JSON.parse(esm.stdout.trim().split('\n').pop());
  if (!result.ok) fail(`${name}: Q·R did not give back A: ${esm.stdout}`);
  if (result.layer !== 'tbb') fail(`${name}: MKL threading layer is ${result.layer}, not tbb`);
  if (result.mklSource !== (env.expectSource ?? 'package')) fail(`${name}: oneMKL came from ${result.mklSource} (${result.mklPath}), not the package's own fetch`);
  if (!result.addon.includes(`${join('node_modules', 'weft', 'prebuilds', 'linux-x64')}`)) fail(`${name}: loaded ${result.addon}, not the prebuild`);
  if (!result.tbbPath.includes(join('node_modules', 'weft', 'prebuilds', 'linux-x64'))) fail(`${name}: libtbb from ${result.tbbPath}, not the prebuild's`);
  if (existsSync(join(dir, 'node_modules', 'weft', 'build'))) fail(`${name}: the install compiled something (node_modules/weft/build exists)`);
  writeFileSync(join(dir, 'consumer.cjs'), consumerCjs);
  const cjs = JSON.parse(run(process.execPath, ['consumer.cjs'], { cwd: dir, env: { ...cleanEnv, ...env } }).stdout.trim());
  if (!cjs.ok) fail(`${name}: require('weft') solved wrong`);
  // A stack trace through the source maps names .ts files the package ships.
  writeFileSync(join(dir, 'throws.mjs'), "import { linalg } from 'weft';\nlinalg.inv('not a matrix');\n");
  const thrown = spawnSync(process.execPath, ['--enable-source-maps', 'throws.mjs'], { cwd: dir, env: { ...cleanEnv, ...env }, encoding: 'utf8' });
  const frames = [...thrown.stderr.matchAll(/\((\/[^()]*\/node_modules\/weft\/[^():]+\.ts):\d+:\d+\)/g)].map((m) => m[1]);
  if (frames.length === 0) fail(`${name}: no frame of weft's .ts sources in the stack trace:\n${thrown.stderr}`);
  const absent = frames.find((f) => !existsSync(f));
  if (absent) fail(`${name}: the stack trace names ${absent}, which the package does not ship`);
  return { result, seconds, installLog: install.stderr };
}

say('npm install <tarball> (no compiler on PATH)');
const plain = project('plain', {});
say(`installed and ran a QR in ${plain.seconds.toFixed(1)} s`);
say('npm install <tarball> with PREBUILDS_ONLY=1');
const prebuildsOnly = project('prebuilds-only', { PREBUILDS_ONLY: '1' });

// ---------------------------------------------------------------- no download, then install-mkl

say('npm install with WEFT_SKIP_MKL_DOWNLOAD=1, then npx weft install-mkl');
const cache = join(work, 'weft-cache');
const skipEnv = { ...cleanEnv, WEFT_SKIP_MKL_DOWNLOAD: '1', WEFT_CACHE_DIR: cache };
const skipped = installInto('skip-download', skipEnv);
if (existsSync(join(skipped.dir, 'node_modules', 'weft', '.deps'))) fail('WEFT_SKIP_MKL_DOWNLOAD=1 still fetched oneMKL');
const missing = spawnSync(process.execPath, ['consumer.mjs'], { cwd: skipped.dir, env: skipEnv, encoding: 'utf8' });
if (missing.status === 0) fail('weft loaded without any oneMKL on the machine');
for (const part of ['weft could not find oneMKL 2026 (libmkl_rt.so.3). Searched, in order:', join(cache, `onemkl-${PINNED.versions.mkl}`, 'lib'), 'Fix: npx weft install-mkl']) {
  if (!missing.stderr.includes(part)) fail(`the not-found error lacks "${part}":\n${missing.stderr}`);
}
run('npx', ['--no-install', 'weft', 'install-mkl'], { cwd: skipped.dir, env: skipEnv });
const fromCache = JSON.parse(run(process.execPath, ['consumer.mjs'], { cwd: skipped.dir, env: skipEnv }).stdout.trim());
if (!fromCache.ok || fromCache.mklSource !== 'user-cache' || !fromCache.mklPath.startsWith(cache)) {
  fail(`after install-mkl: ${JSON.stringify(fromCache)}`);
}

// ---------------------------------------------------------------- TypeScript

say('tsc --noEmit on a consumer file (with @types/node, as a Node TypeScript project has)');
const tsDir = join(work, 'plain');
const typesNode = JSON.parse(readFileSync(join(root, 'node_modules', '@types', 'node', 'package.json'), 'utf8')).version;
run('npm', ['install', '--no-audit', '--no-fund', '--save-dev', `@types/node@${typesNode}`], { cwd: tsDir, env: cleanEnv });
writeFileSync(join(tsDir, 'consumer.ts'), consumerTs);
writeFileSync(
  join(tsDir, 'tsconfig.json'),
  JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, types: ['node'], skipLibCheck: false }, files: ['consumer.ts'] }),
);
const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tsDir], { encoding: 'utf8', env: { ...cleanEnv } });
if (tsc.status !== 0) fail(`tsc --noEmit on consumer.ts failed:\n${tsc.stdout}${tsc.stderr}`);

// ---------------------------------------------------------------- CommonJS under tsx (issue 14, part 6)

say('a .cts file under tsx (import w = require(...)): the CommonJS build, its types and its run');
writeFileSync(
  join(tsDir, 'consumer.cts'),
  "import w = require('weft');\nconst x: number = w.linalg.solve([[3, 1], [1, 2]], [9, 8]).toArray(1)[0]!;\nconsole.log(JSON.stringify({ ok: Math.abs(x - 2) < 1e-12 }));\n",
);
const ctsCheck = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '--strict', '--module', 'nodenext', '--types', 'node', 'consumer.cts'], { cwd: tsDir, encoding: 'utf8', env: cleanEnv });
if (ctsCheck.status !== 0) fail(`tsc on consumer.cts failed:\n${ctsCheck.stdout}${ctsCheck.stderr}`);
const cts = JSON.parse(run(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'consumer.cts'], { cwd: tsDir, env: cleanEnv }).stdout.trim());
if (!cts.ok) fail('consumer.cts under tsx solved wrongly');

const summary = {
  tarball: packed[0].filename,
  tarballBytes,
  unpackedBytes: packed[0].unpackedSize,
  files: files.length,
  installToFirstQrSeconds: Number(plain.seconds.toFixed(1)),
  prebuildsOnlyInstallToFirstQrSeconds: Number(prebuildsOnly.seconds.toFixed(1)),
  mkl: { source: plain.result.mklSource, version: plain.result.mklVersion, path: plain.result.mklPath },
  afterInstallMkl: fromCache.mklSource,
  addon: plain.result.addon,
  layer: plain.result.layer,
};
console.log(JSON.stringify(summary));
rmSync(work, { recursive: true, force: true });
say('ok');
