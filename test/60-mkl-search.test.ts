// Where weft finds oneMKL (lib/internal/find-mkl.ts): the search order on fake
// directories, the one error it throws when nothing usable is found, and
// real loads from each kind of place in child processes.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PINNED_MKL, findMkl, mklCandidates, mklInstallDir, mklNotFoundMessage, userCacheDir } from '../lib/internal/find-mkl.js';
import { root, runNode } from './helpers.js';

const realMklDir = join(root, '.deps', 'lib');

/** A fake prefix whose lib/ holds the named (empty) files. */
function prefix(...libraries: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'weft-mkl-'));
  mkdirSync(join(dir, 'lib'));
  for (const name of libraries) writeFileSync(join(dir, 'lib', name), '');
  return dir;
}

describe('the search order', () => {
  const home = prefix();
  const pkg = prefix();
  const base = { HOME: home, PATH: '' };

  it('walks WEFT_MKL_DIR alone when it is set', () => {
    const dirs = mklCandidates(pkg, { ...base, WEFT_MKL_DIR: '/x', MKLROOT: '/m', CONDA_PREFIX: '/c' });
    expect(dirs).toEqual([
      { source: 'WEFT_MKL_DIR', dir: '/x' },
      { source: 'WEFT_MKL_DIR', dir: '/x/lib' },
    ]);
  });

  it('goes MKLROOT, conda, Python environments, the package, the user cache, then the system', () => {
    const dirs = mklCandidates(pkg, { ...base, MKLROOT: '/m', CONDA_PREFIX: '/c', VIRTUAL_ENV: '/v', LD_LIBRARY_PATH: '/ld1:/ld2' });
    const order = [...new Set(dirs.map((d) => d.source))];
    expect(order).toEqual(['MKLROOT', 'conda', 'python', 'package', 'user-cache', 'system']);
    expect(dirs.slice(0, 5).map((d) => d.dir)).toEqual(['/m/lib', '/m/lib/intel64', '/c/lib', '/v/lib', join(home, '.local', 'lib')]);
    expect(dirs.find((d) => d.source === 'package')!.dir).toBe(join(pkg, '.deps', 'lib'));
    expect(dirs.find((d) => d.source === 'user-cache')!.dir).toBe(join(home, '.cache', 'weft', `onemkl-${PINNED_MKL}`, 'lib'));
    expect(dirs.filter((d) => d.source === 'system').map((d) => d.dir).slice(0, 2)).toEqual(['/ld1', '/ld2']);
  });

  it('finds the first directory holding libmkl_rt.so.3, and remembers older ones it passed', () => {
    const conda = prefix('libmkl_rt.so.2');
    const root2026 = prefix('libmkl_rt.so.3');
    const search = findMkl(pkg, { ...base, CONDA_PREFIX: conda, VIRTUAL_ENV: root2026 });
    expect(search.found).toEqual({ source: 'python', dir: join(root2026, 'lib'), library: join(root2026, 'lib', 'libmkl_rt.so.3') });
    expect(search.older).toEqual([join(conda, 'lib', 'libmkl_rt.so.2')]);
  });

  it("looks in each of pyenv's versions when a pyenv shims directory is on PATH", () => {
    const pyenv = prefix();
    mkdirSync(join(pyenv, 'shims'));
    mkdirSync(join(pyenv, 'versions', '3.11.9', 'lib'), { recursive: true });
    writeFileSync(join(pyenv, 'versions', '3.11.9', 'lib', 'libmkl_rt.so.3'), '');
    const search = findMkl(pkg, { ...base, PATH: join(pyenv, 'shims') });
    expect(search.found).toMatchObject({ source: 'python', dir: join(pyenv, 'versions', '3.11.9', 'lib') });
  });

  it('uses WEFT_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache for the user cache, one directory per oneMKL version', () => {
    expect(userCacheDir({ WEFT_CACHE_DIR: '/w', XDG_CACHE_HOME: '/x' })).toBe(`/w/onemkl-${PINNED_MKL}`);
    expect(userCacheDir({ XDG_CACHE_HOME: '/x' })).toBe(`/x/weft/onemkl-${PINNED_MKL}`);
    expect(userCacheDir({ HOME: '/h' })).toBe(`/h/.cache/weft/onemkl-${PINNED_MKL}`);
  });

  it('fetches into the user cache by default, into the package with WEFT_MKL_LOCAL=1, and names a bad value', () => {
    expect(mklInstallDir('/pkg', { HOME: '/h' })).toBe(`/h/.cache/weft/onemkl-${PINNED_MKL}`);
    expect(mklInstallDir('/pkg', { HOME: '/h', WEFT_MKL_LOCAL: '0' })).toBe(`/h/.cache/weft/onemkl-${PINNED_MKL}`);
    expect(mklInstallDir('/pkg', { HOME: '/h', WEFT_MKL_LOCAL: '1' })).toBe('/pkg/.deps');
    expect(() => mklInstallDir('/pkg', { WEFT_MKL_LOCAL: 'yes' })).toThrow('WEFT_MKL_LOCAL must be 1 (a copy of oneMKL in this project\'s node_modules/weft/.deps) or 0, but it is "yes"');
  });

  it('when nothing is found, says where it looked, what older copies it saw, and the one-line fix', () => {
    const conda = prefix('libmkl_rt.so.2');
    const env = { ...base, CONDA_PREFIX: conda, LD_LIBRARY_PATH: '/nowhere' };
    const search = findMkl(pkg, env);
    // The real system directories may hold a oneMKL; only assert on a miss.
    if (search.found) return;
    const message = mklNotFoundMessage(search, env);
    expect(message).toContain('weft could not find oneMKL 2026 (libmkl_rt.so.3). Searched, in order:');
    for (const dir of [join(conda, 'lib'), join(pkg, '.deps', 'lib'), '/nowhere']) expect(message).toContain(dir);
    expect(message).toContain(`Found only older oneMKL, which weft cannot use: ${join(conda, 'lib', 'libmkl_rt.so.2')}`);
    expect(message).toContain('Fix, one of:\n  npx weft install-mkl ');
    for (const remedy of ['npm install-scripts approve weft', 'pnpm approve-builds', 'WEFT_MKL_DIR=<dir>', 'WEFT_SKIP_MKL_DOWNLOAD=1', 'WEFT_OFFLINE=1', 'WEFT_MKL_LOCAL=1']) {
      expect(message).toContain(remedy);
    }
  });

  it('an explicit WEFT_MKL_DIR without the library is its own error', () => {
    const empty = prefix();
    const search = findMkl(pkg, { ...base, WEFT_MKL_DIR: empty });
    expect(search.found).toBeUndefined();
    expect(mklNotFoundMessage(search, base)).toMatch(/^weft: WEFT_MKL_DIR is set to .* but neither it nor its lib\/ holds libmkl_rt\.so\.3/);
  });
});

describe('loading weft with oneMKL from each kind of place', () => {
  const probe = [
    '--input-type=module',
    '-e',
    "const { threading, linalg } = await import('./dist/index.js'); const i = threading.info(); " +
      'console.log(JSON.stringify({ source: i.mkl.source, path: i.mkl.path, layer: i.mkl.threadingLayer, ' +
      'qr: linalg.qr([[3, 1], [4, 2]]).R.get(0, 0) }));',
  ];
  /** A prefix whose lib/ is the real oneMKL, reached through a symlink. */
  function linkedPrefix(): string {
    const dir = mkdtempSync(join(tmpdir(), 'weft-mkl-'));
    symlinkSync(realMklDir, join(dir, 'lib'));
    return dir;
  }

  for (const [name, variable] of [['WEFT_MKL_DIR', 'WEFT_MKL_DIR'], ['MKLROOT', 'MKLROOT'], ['conda', 'CONDA_PREFIX']] as const) {
    it(`${variable} wins over the package's own copy (source '${name}')`, () => {
      const dir = linkedPrefix();
      const r = runNode(probe, { [variable]: dir });
      expect(r.status, r.stderr).toBe(0);
      expect(r.json).toMatchObject({ source: name, layer: 'tbb', qr: -5 });
      expect((r.json as { path: string }).path.startsWith(dir)).toBe(true);
    });
  }

  it("falls back to the package's .deps when nothing else has it", () => {
    const r = runNode(probe, { MKLROOT: '', CONDA_PREFIX: '', VIRTUAL_ENV: '', WEFT_MKL_DIR: '' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ source: 'package', path: join(realMklDir, 'libmkl_rt.so.3'), layer: 'tbb' });
  });

  it('a WEFT_MKL_DIR without oneMKL makes importing weft throw that one error', () => {
    const empty = prefix();
    const r = runNode(['--input-type=module', '-e', "await import('./dist/index.js')"], { WEFT_MKL_DIR: empty });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`weft: WEFT_MKL_DIR is set to ${empty}, but neither it nor its lib/ holds libmkl_rt.so.3`);
    expect(r.stderr).toContain('Fix, one of:\n  npx weft install-mkl ');
    expect(r.stderr).toContain('ERR_WEFT_MKL_NOT_FOUND');
  });
});

describe('the pinned runtimes', () => {
  it('are written once, in package.json, and every script and lib/ reads them from there', async () => {
    const { readFileSync } = await import('node:fs');
    const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).weft.pinned;
    expect(pinned).toEqual({ mkl: expect.stringMatching(/^2026\.\d+\.\d+$/), tbb: expect.stringMatching(/^2023\.\d+\.\d+$/), tcmlib: expect.any(String) });
    expect(PINNED_MKL).toBe(pinned.mkl);
    const { PINNED } = await import('../scripts/install/fetch-deps.mjs');
    expect(PINNED.build).toEqual([
      `mkl==${pinned.mkl}`, `intel-openmp==${pinned.mkl}`, `mkl-include==${pinned.mkl}`,
      `tbb==${pinned.tbb}`, `tbb-devel==${pinned.tbb}`, `tcmlib==${pinned.tcmlib}`,
    ]);
    expect(PINNED.runtime).toEqual([`mkl==${pinned.mkl}`]);
    expect(PINNED.openmp).toEqual([`intel-openmp==${pinned.mkl}`]);
    // No other source names a pinned version.
    const { readdirSync } = await import('node:fs');
    const sources = ['lib', 'scripts', 'native'].flatMap((dir) =>
      readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
        .filter((f) => /\.(ts|mjs|cc|h)$/.test(f))
        .map((f) => join(dir, f)),
    );
    const versionPattern = new RegExp(`(${[pinned.mkl, pinned.tbb, pinned.tcmlib].map((v: string) => v.replace(/\./g, '\\.')).join('|')})`);
    // (Comments may give a version as an example.)
    const code = (line: string) => (/^\s*(\/\/|\*|\/\*\*)/.test(line) ? '' : line.replace(/\s\/\/\s.*$/, ''));
    const naming = sources.filter((f) => readFileSync(join(root, f), 'utf8').split('\n').some((line) => versionPattern.test(code(line))));
    expect(naming).toEqual([]);
  });
});
