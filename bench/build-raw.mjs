#!/usr/bin/env node
// Builds bench/native/raw.cc (the raw-MKL reference) against the same
// .deps/ oneMKL and oneTBB the addon uses, into build/bench/raw. Rebuilds
// only when the source is newer than the binary.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const rawBinary = join(root, 'build', 'bench', 'raw');

export function buildRaw() {
  const source = join(root, 'bench', 'native', 'raw.cc');
  if (existsSync(rawBinary) && statSync(rawBinary).mtimeMs > statSync(source).mtimeMs) return rawBinary;
  mkdirSync(dirname(rawBinary), { recursive: true });
  const deps = join(root, '.deps');
  const cxx = process.env.CXX ?? 'g++';
  const r = spawnSync(
    cxx,
    ['-O2', '-std=c++17', source, `-I${join(deps, 'include')}`, `-L${join(deps, 'lib')}`,
      // libtbb loaded up front (MKL's TBB layer, dlopened later, binds to it), found by RPATH.
      '-Wl,--no-as-needed', '-l:libtbb.so.12', '-l:libmkl_rt.so.3', '-Wl,--disable-new-dtags',
      `-Wl,-rpath,${join(deps, 'lib')}`, '-o', rawBinary],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error(`building the raw-MKL reference failed (${cxx} exit ${r.status})`);
  return rawBinary;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildRaw();
