#!/usr/bin/env node
// `npm run prebuild`: the prebuilt binary npm users get without a compiler.
//
// prebuildify --napi --strip builds weft.node for Node-API (one binary for
// every Node >= 20.19 on linux-x64) into prebuilds/linux-x64/, and copies the
// staged artifacts beside it: libtbb.so.12 and libtbbmalloc.so.2, which the
// addon links and finds through RUNPATH $ORIGIN, with the licence they are
// distributed under. oneMKL is not shipped: weft finds it at load time
// (lib/internal/find-mkl.ts) or `npm install` fetches it.
//
// Not committed to git (prebuilds/ is ignored): run before `npm pack`.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PINNED, depsDir, fetchDeps } from '../install/fetch-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// Staged outside build/, which node-gyp rebuild wipes.
const artifacts = mkdtempSync(join(tmpdir(), 'weft-prebuild-'));

function fail(message) {
  process.stderr.write(`weft prebuild: ${message}\n`);
  process.exit(1);
}

fetchDeps({ kind: 'build' });

// What ships beside the .node. The wheel's libraries are real files under
// their sonames (no symlinks to resolve).
for (const lib of ['libtbb.so.12', 'libtbbmalloc.so.2']) copyFileSync(join(depsDir, 'lib', lib), join(artifacts, lib));
const tbbInfo = readdirSync(join(depsDir, 'lib')).find((d) => /^python3\.\d+$/.test(d));
const tbbLicense = tbbInfo && join(depsDir, 'lib', tbbInfo, 'site-packages', `tbb-${PINNED.versions.tbb}.dist-info`, 'LICENSE.txt');
if (!tbbLicense || !existsSync(tbbLicense)) fail(`the oneTBB wheel's LICENSE.txt is not under ${depsDir}`);
copyFileSync(tbbLicense, join(artifacts, 'oneTBB-LICENSE.txt'));
copyFileSync(join(depsDir, 'share', 'doc', 'tbb', 'licensing', 'third-party-programs.txt'), join(artifacts, 'oneTBB-third-party-programs.txt'));

// node-gyp with this Node's own headers (nothing is downloaded), as in install.mjs.
const prefix = dirname(dirname(process.execPath));
const nodeGyp = [
  process.env.PREBUILD_NODE_GYP,
  join(prefix, 'lib', 'node_modules', 'npm', 'bin', 'node-gyp-bin', 'node-gyp'),
].find((p) => p && existsSync(p));
if (!nodeGyp) fail('cannot find node-gyp (npm ships one); set PREBUILD_NODE_GYP');
const env = { ...process.env, PREBUILD_NODE_GYP: nodeGyp };
if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) env.npm_config_nodedir = prefix;

rmSync(join(root, 'prebuilds'), { recursive: true, force: true });
const started = Date.now();
const r = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'prebuildify', 'bin.js'), '--napi', '--strip', '--tag-libc', '--artifacts', artifacts],
  { cwd: root, env, stdio: 'inherit' },
);
rmSync(artifacts, { recursive: true, force: true });
if (r.status !== 0) fail(`prebuildify failed (exit ${r.status ?? r.signal})`);
const out = join(root, 'prebuilds', 'linux-x64');
process.stderr.write(`weft prebuild: ${readdirSync(out).join(', ')} in ${out} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
