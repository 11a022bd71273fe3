#!/usr/bin/env node
// `npm run test:pack`: install weft the way users do, from the packed
// tarball, in a simulated slim image (like node:20-slim): a PATH of only
// node, npm, npx, sh and env (no python, no compiler), an empty HOME, no
// MKLROOT/CONDA_PREFIX/VIRTUAL_ENV/WEFT_MKL_DIR, no pip config.
//
// 1. `npm run prebuild`, then `npm pack` (the tarball's size and files).
// 2. The pinned mkl wheel is fetched once, from the real index with its
//    sha256 checked (scripts/install/pypi.mjs); every install below takes it
//    from there as pip's find-links (PIP_FIND_LINKS), with PIP_INDEX_URL
//    pointing nowhere, so the run downloads ~220 MB once, not once per path.
// 3. Each path, in a fresh project, timed from install to a first QR:
//    - npm with weft's install script skipped (--ignore-scripts, what npm
//      11 does to a dependency allowScripts does not cover when it
//      enforces them): the first import fetches oneMKL into the per-user
//      cache, announced on stderr;
//    - npm with the script approved (allowScripts): the install
//      fetches it; CommonJS require, source-mapped stacks and a strict tsc
//      check run here;
//    - a second project on the same machine (PREBUILDS_ONLY=1): nothing
//      fetched, the project holds ≤ 15 MB;
//    - WEFT_OFFLINE=1: importing fails with the remedies; `npx weft
//      install-mkl` (the first of them) then makes it work;
//    - an index that cannot be reached: the install succeeds with a warning;
//    - WEFT_MKL_LOCAL=1: a copy in the project's node_modules, none cached;
//    - pnpm 10 with and without its build approved (onlyBuiltDependencies);
//    - yarn berry with nodeLinker: node-modules (its build scripts off, its default).
// Prints one JSON line with the figures (sizes, seconds); exits non-zero on
// any failure.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PINNED } from '../install/fetch-deps.mjs';
import { downloadWheel, locateWheel, pipSettings } from '../install/pypi.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = mkdtempSync(join(tmpdir(), 'weft-pack-'));
const say = (line) => process.stderr.write(`test:pack: ${line}\n`);
const mkl = PINNED.versions.mkl;

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

/** Bytes under `path` (files only, links not followed): what `du --apparent-size` says. */
function bytesUnder(path) {
  if (!existsSync(path)) return 0;
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.isFile() ? stat.size : 0;
  return readdirSync(path).reduce((sum, name) => sum + bytesUnder(join(path, name)), 0);
}
const MB = (bytes) => Number((bytes / 1e6).toFixed(1));

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
for (const needed of ['dist/index.js', 'dist/index.d.ts', 'prebuilds/linux-x64/libtbb.so.12', 'NOTICE', 'LICENSE', 'binding.gyp', 'scripts/install/pypi.mjs', 'scripts/install/zip.mjs']) {
  if (!files.includes(needed)) fail(`the tarball lacks ${needed}`);
}
if (!files.some((f) => /^prebuilds\/linux-x64\/.*\.node$/.test(f))) fail('the tarball has no prebuilt .node');

// ---------------------------------------------------------------- the wheel, once

say(`fetching the mkl ${mkl} wheel once (sha256 checked); every install below takes it through PIP_FIND_LINKS`);
const settings = pipSettings(process.env);
const wheel = await locateWheel('mkl', mkl, { settings });
let wheelDir = join(work, 'wheels');
if (wheel.path) {
  wheelDir = dirname(wheel.path); // already local (find-links on this machine)
} else {
  mkdirSync(wheelDir);
  await downloadWheel(wheel, join(wheelDir, wheel.filename), { settings, label: `oneMKL ${mkl}` });
}

// ---------------------------------------------------------------- a slim image

// A PATH of symlinks to the few programs node:20-slim has.
const bin = join(work, 'bin');
mkdirSync(bin);
const tools = {
  node: process.execPath,
  npm: realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim()),
  npx: realpathSync(execFileSync('sh', ['-c', 'command -v npx'], { encoding: 'utf8' }).trim()),
  sh: '/bin/sh',
  env: '/usr/bin/env',
};
for (const [name, target] of Object.entries(tools)) symlinkSync(target, join(bin, name));
const slimEnv = {
  PATH: bin,
  LANG: 'C.UTF-8',
  // npm's download cache is not what is under test: share it, so packages come once.
  npm_config_cache: process.env.npm_config_cache || join(homedir(), '.npm'),
  npm_config_update_notifier: 'false',
  // This machine's network (a TLS-inspecting proxy's CA) is not under test either.
  ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
  PIP_CONFIG_FILE: '/dev/null',
  PIP_FIND_LINKS: wheelDir,
  // Any request to an index would fail: the wheel must come from find-links.
  PIP_INDEX_URL: 'http://127.0.0.1:9/simple/',
};
for (const tool of ['python3', 'python', 'pip', 'cc', 'c++', 'g++', 'gcc', 'make']) {
  const r = spawnSync('sh', ['-c', `command -v ${tool}`], { env: slimEnv, encoding: 'utf8' });
  if (r.status === 0) fail(`${tool} is reachable on the test PATH (${r.stdout.trim()})`);
}

const consumerMjs = `
import { linalg, threading } from 'weft';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
// node-gyp-build as weft sees it (pnpm does not hoist it to the project).
const weftRoot = dirname(createRequire(import.meta.url).resolve('weft/package.json'));
const { Q, R } = linalg.qr([[12, -51, 4], [6, 167, -68], [-4, 24, -41]]);
const back = linalg.matmul(Q, R).toArray().flat();
const ok = [12, -51, 4, 6, 167, -68, -4, 24, -41].every((v, i) => Math.abs(back[i] - v) < 1e-9);
const info = threading.info();
const addon = createRequire(weftRoot + '/package.json')('node-gyp-build').path(weftRoot);
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

const homes = new Set();
function freshHome(name) {
  const home = join(work, `home-${name}`);
  mkdirSync(home);
  homes.add(home);
  return home;
}

const npmInstall = (extra = []) => (dir, env) =>
  spawnSync('npm', ['install', '--no-audit', '--no-fund', '--foreground-scripts', ...extra, tarball], { cwd: dir, env, encoding: 'utf8', maxBuffer: 1 << 26 });
const pnpm = ['-y', 'pnpm@10'];
const pnpmInstall = (dir, env) => spawnSync('npx', [...pnpm, 'add', tarball], { cwd: dir, env, encoding: 'utf8', maxBuffer: 1 << 26 });
const yarnInstall = (dir, env) => {
  writeFileSync(join(dir, '.yarnrc.yml'), 'nodeLinker: node-modules\nenableTelemetry: false\n');
  writeFileSync(join(dir, 'yarn.lock'), '');
  return spawnSync('npx', ['-y', '@yarnpkg/cli-dist@4', 'add', `weft@file:${tarball}`], { cwd: dir, env: { ...env, YARN_ENABLE_GLOBAL_CACHE: 'false' }, encoding: 'utf8', maxBuffer: 1 << 26 });
};

/**
 * A fresh project: install, then a first QR. `expect` is where oneMKL must
 * come from; `fetched` whether the install ('install') or the first import
 * ('first-use') fetched it, or neither (undefined).
 */
function project(name, { install, home = freshHome(name), env = {}, expectSource = 'user-cache', fetched, manifest = {} }) {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, version: '1.0.0', private: true, ...manifest }));
  const fullEnv = { ...slimEnv, HOME: home, ...env };
  const started = performance.now();
  const installed = install(dir, fullEnv);
  if (installed.status !== 0) fail(`${name}: the install exited ${installed.status}\n${installed.stdout}\n${installed.stderr}`);
  const installSeconds = (performance.now() - started) / 1000;
  const cache = join(home, '.cache', 'weft', `onemkl-${mkl}`);
  const installLog = `${installed.stdout}${installed.stderr}`;
  if ((fetched === 'install') !== installLog.includes(`oneMKL ${mkl} ready in`)) fail(`${name}: the install ${fetched === 'install' ? 'did not fetch' : 'fetched'} oneMKL:\n${installLog}`);
  if (manifest.allowScripts && installLog.includes('not yet covered by allowScripts')) fail(`${name}: npm did not take the approval:\n${installLog}`);
  writeFileSync(join(dir, 'consumer.mjs'), consumerMjs);
  const esm = spawnSync(process.execPath, ['consumer.mjs'], { cwd: dir, env: fullEnv, encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (esm.status !== 0) fail(`${name}: the first QR failed:\n${esm.stderr}`);
  const announced = esm.stderr.includes(`fetching oneMKL ${mkl} once into`);
  if ((fetched === 'first-use') !== announced) fail(`${name}: the first import ${announced ? 'fetched' : 'did not fetch'} oneMKL:\n${esm.stderr}`);
  const result = JSON.parse(esm.stdout.trim().split('\n').pop());
  if (!result.ok) fail(`${name}: Q·R did not give back A: ${esm.stdout}`);
  if (result.layer !== 'tbb') fail(`${name}: MKL threading layer is ${result.layer}, not tbb`);
  if (result.mklSource !== expectSource) fail(`${name}: oneMKL came from ${result.mklSource} (${result.mklPath}), not ${expectSource}`);
  const prebuild = join('node_modules', 'weft', 'prebuilds', 'linux-x64');
  if (!realpathSync(result.addon).includes(join('weft', 'prebuilds', 'linux-x64'))) fail(`${name}: loaded ${result.addon}, not the prebuild`);
  if (!result.tbbPath.includes(join('weft', 'prebuilds', 'linux-x64'))) fail(`${name}: libtbb from ${result.tbbPath}, not the prebuild's`);
  const weftDir = realpathSync(join(dir, 'node_modules', 'weft'));
  if (existsSync(join(weftDir, 'build'))) fail(`${name}: the install compiled something (${prebuild}/../build exists)`);
  const figures = {
    installSeconds: Number(installSeconds.toFixed(1)),
    toFirstQrSeconds: Number(seconds.toFixed(1)),
    projectMB: MB(bytesUnder(dir)),
    weftPackageMB: MB(bytesUnder(weftDir)),
    machineCacheMB: MB(bytesUnder(cache)),
  };
  say(`${name}: ${JSON.stringify(figures)}`);
  return { dir, env: fullEnv, home, result, figures };
}

const cleanHome = (p) => rmSync(join(p.home, '.cache', 'weft'), { recursive: true, force: true });
const paths = {};

say('npm with the install script skipped (--ignore-scripts; npm 11 with allowScripts enforced): the first import fetches oneMKL');
const npmDefault = project('npm-scripts-skipped', { install: npmInstall(['--ignore-scripts']), fetched: 'first-use' });
paths.npmScriptsSkipped = npmDefault.figures;
cleanHome(npmDefault);

// What `npm install-scripts approve weft --no-allow-scripts-pin` writes (a
// tarball dependency is approved by its spec; a registry one by its name).
const allowWeft = { allowScripts: { weft: true, [`file:${tarball}`]: true } };
say('npm with the install script approved (allowScripts in package.json)');
const approved = project('npm-approved', { install: npmInstall(), fetched: 'install', manifest: allowWeft });
paths.npmApproved = approved.figures;
writeFileSync(join(approved.dir, 'consumer.cjs'), consumerCjs);
if (!JSON.parse(run(process.execPath, ['consumer.cjs'], { cwd: approved.dir, env: approved.env }).stdout.trim()).ok) fail("require('weft') solved wrong");
// weft/register from the installed package, both flags: the environment's cap applies before the app.
writeFileSync(join(approved.dir, 'register-app.mjs'), "import { threading } from 'weft';\nconsole.log(JSON.stringify(threading.info().settings.threads));\n");
writeFileSync(join(approved.dir, 'register-app.cjs'), "console.log(JSON.stringify(require('weft').threading.info().settings.threads));\n");
for (const [flag, app] of [['--import', 'register-app.mjs'], ['--require', 'register-app.cjs']]) {
  const out = run(process.execPath, [flag, 'weft/register', app], { cwd: approved.dir, env: { ...approved.env, WEFT_NUM_THREADS: '1' } }).stdout.trim();
  if (out !== '{"value":1,"source":"WEFT_NUM_THREADS"}') fail(`node ${flag} weft/register ${app} with WEFT_NUM_THREADS=1 printed ${out}`);
}
// A stack trace through the source maps names .ts files the package ships.
writeFileSync(join(approved.dir, 'throws.mjs'), "import { linalg } from 'weft';\nlinalg.inv('not a matrix');\n");
const thrown = spawnSync(process.execPath, ['--enable-source-maps', 'throws.mjs'], { cwd: approved.dir, env: approved.env, encoding: 'utf8' });
const frames = [...thrown.stderr.matchAll(/\((\/[^()]*\/node_modules\/weft\/[^():]+\.ts):\d+:\d+\)/g)].map((m) => m[1]);
if (frames.length === 0) fail(`no frame of weft's .ts sources in the stack trace:\n${thrown.stderr}`);
const absent = frames.find((f) => !existsSync(f));
if (absent) fail(`the stack trace names ${absent}, which the package does not ship`);

say('a second project on the same machine (PREBUILDS_ONLY=1): oneMKL is already in the cache');
const second = project('npm-second-project', { install: npmInstall(), home: approved.home, env: { PREBUILDS_ONLY: '1' }, manifest: allowWeft });
paths.secondProject = second.figures;
if (second.figures.projectMB > 15) fail(`a project holds ${second.figures.projectMB} MB, more than 15`);

say('tsc --noEmit on a consumer file (strict, with @types/node)');
const typesNode = JSON.parse(readFileSync(join(root, 'node_modules', '@types', 'node', 'package.json'), 'utf8')).version;
run('npm', ['install', '--no-audit', '--no-fund', '--save-dev', `@types/node@${typesNode}`], { cwd: second.dir, env: second.env });
writeFileSync(join(second.dir, 'consumer.ts'), consumerTs);
writeFileSync(
  join(second.dir, 'tsconfig.json'),
  JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, types: ['node'], skipLibCheck: false }, files: ['consumer.ts'] }),
);
const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', second.dir], { encoding: 'utf8', env: second.env });
if (tsc.status !== 0) fail(`tsc --noEmit on consumer.ts failed:\n${tsc.stdout}${tsc.stderr}`);
cleanHome(approved);

say('WEFT_OFFLINE=1: no fetch anywhere; the import error gives the remedies; npx weft install-mkl then works');
{
  const name = 'offline';
  const home = freshHome(name);
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer-offline', version: '1.0.0', private: true, ...allowWeft }));
  const env = { ...slimEnv, HOME: home, WEFT_OFFLINE: '1' };
  run('npm', ['install', '--no-audit', '--no-fund', '--foreground-scripts', tarball], { cwd: dir, env });
  writeFileSync(join(dir, 'consumer.mjs'), consumerMjs);
  const missing = spawnSync(process.execPath, ['consumer.mjs'], { cwd: dir, env, encoding: 'utf8' });
  if (missing.status === 0) fail('weft loaded without any oneMKL on the machine');
  for (const part of [
    'weft could not find oneMKL 2026 (libmkl_rt.so.3). Searched, in order:',
    join(home, '.cache', 'weft', `onemkl-${mkl}`, 'lib'),
    'weft did not fetch oneMKL itself: WEFT_OFFLINE is set.',
    'Fix, one of:\n  npx weft install-mkl ',
    'npm install-scripts approve weft',
    'pnpm approve-builds',
  ]) {
    if (!missing.stderr.includes(part)) fail(`the not-found error lacks "${part}":\n${missing.stderr}`);
  }
  run('npx', ['--no-install', 'weft', 'install-mkl'], { cwd: dir, env });
  const after = JSON.parse(run(process.execPath, ['consumer.mjs'], { cwd: dir, env }).stdout.trim());
  if (!after.ok || after.mklSource !== 'user-cache') fail(`after install-mkl: ${JSON.stringify(after)}`);
  rmSync(join(home, '.cache', 'weft'), { recursive: true, force: true });
}

say('an index that cannot be reached: the install still succeeds, warning with the remedies');
{
  const dir = join(work, 'unreachable');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer-unreachable', version: '1.0.0', private: true, ...allowWeft }));
  const env = { ...slimEnv, HOME: freshHome('unreachable'), PIP_FIND_LINKS: '' };
  const log = run('npm', ['install', '--no-audit', '--no-fund', '--foreground-scripts', tarball], { cwd: dir, env });
  for (const part of ['weft: WARNING: the install succeeded but oneMKL was not fetched: could not fetch oneMKL', 'npx weft install-mkl', 'WEFT_MKL_DIR=<dir>']) {
    if (!`${log.stdout}${log.stderr}`.includes(part)) fail(`the failed fetch's warning lacks "${part}":\n${log.stdout}${log.stderr}`);
  }
}

say('WEFT_MKL_LOCAL=1: a copy in the project, none in the cache');
const local = project('npm-local', { install: npmInstall(), env: { WEFT_MKL_LOCAL: '1' }, expectSource: 'package', fetched: 'install', manifest: allowWeft });
paths.npmLocal = local.figures;
if (local.figures.machineCacheMB !== 0) fail('WEFT_MKL_LOCAL=1 still filled the per-user cache');

say('pnpm 10, build scripts not approved (its default)');
const pnpmDefault = project('pnpm-default', { install: pnpmInstall, fetched: 'first-use' });
paths.pnpmDefault = pnpmDefault.figures;
cleanHome(pnpmDefault);
say('pnpm 10, weft approved (what `pnpm approve-builds` writes: onlyBuiltDependencies)');
// `pnpm approve-builds --all` writes the dependency's spec, relative to the project.
const pnpmApproval = { pnpm: { onlyBuiltDependencies: ['weft', `weft@file:../${packed[0].filename}`] } };
const pnpmApproved = project('pnpm-approved', { install: pnpmInstall, fetched: 'install', manifest: pnpmApproval });
paths.pnpmApproved = pnpmApproved.figures;
cleanHome(pnpmApproved);

say('yarn berry, nodeLinker: node-modules (yarn 4 disables dependencies\' build scripts by default)');
const yarn = project('yarn-berry', { install: yarnInstall, fetched: 'first-use' });
paths.yarnBerry = yarn.figures;
cleanHome(yarn);

// ---------------------------------------------------------------- CommonJS under tsx (issue 14, part 6)

say('a .cts file under tsx (import w = require(...)): the CommonJS build, its types and its run');
writeFileSync(
  join(second.dir, 'consumer.cts'),
  "import w = require('weft');\nconst x: number = w.linalg.solve([[3, 1], [1, 2]], [9, 8]).toArray(1)[0]!;\nconsole.log(JSON.stringify({ ok: Math.abs(x - 2) < 1e-12 }));\n",
);
const ctsCheck = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '--strict', '--module', 'nodenext', '--types', 'node', 'consumer.cts'], { cwd: second.dir, encoding: 'utf8', env: second.env });
if (ctsCheck.status !== 0) fail(`tsc on consumer.cts failed:\n${ctsCheck.stdout}${ctsCheck.stderr}`);
const cts = JSON.parse(run(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'consumer.cts'], { cwd: second.dir, env: second.env }).stdout.trim());
if (!cts.ok) fail('consumer.cts under tsx solved wrongly');

const summary = {
  tarball: packed[0].filename,
  tarballMB: MB(tarballBytes),
  unpackedMB: MB(packed[0].unpackedSize),
  files: files.length,
  mkl: { source: approved.result.mklSource, version: approved.result.mklVersion },
  paths,
};
console.log(JSON.stringify(summary));
rmSync(work, { recursive: true, force: true });
say('ok');
