/**
 * Where weft finds oneMKL's runtime: libmkl_rt.so.3, the single dynamic
 * library of oneMKL 2026 and later. weft does not link oneMKL at build time
 * (native/mkl_setup.cc loads it), so a prebuilt weft works with the oneMKL a
 * user already has. Searched in this order, first match wins:
 *
 * 1. `WEFT_MKL_DIR` — a directory holding libmkl_rt.so.3 (or its `lib/`).
 *    When set, nothing else is searched: an explicit choice that does not
 *    hold the library is an error, not a hint.
 * 2. `MKLROOT` — a oneAPI install (`$MKLROOT/lib`, `$MKLROOT/lib/intel64`).
 * 3. The active conda environment (`$CONDA_PREFIX/lib`).
 * 4. Python environments with the `mkl` wheel (`pip install mkl` puts the
 *    libraries in `<prefix>/lib`): `$VIRTUAL_ENV`, `~/.local` (pip --user),
 *    the prefix of each `python3`/`python` on `PATH`, and for a pyenv shims
 *    directory on `PATH`, each of pyenv's versions (a shim is a script, so
 *    its own prefix says nothing).
 * 5. This package's own `.deps/lib`: a project-local copy, which `npm
 *    install` fills only when asked (`WEFT_MKL_LOCAL=1`, e.g. for a Docker
 *    layer), or a source build's pinned set.
 * 6. The per-user cache, one copy per machine shared by every project and
 *    versioned so that two weft releases coexist
 *    (`$WEFT_CACHE_DIR`, else `$XDG_CACHE_HOME/weft`, else `~/.cache/weft`,
 *    then `onemkl-<version>`): where `npm install`, `npx weft install-mkl`
 *    and a first-use fetch (lib/internal/native.ts) put oneMKL by default.
 * 7. The system: `LD_LIBRARY_PATH`, `/opt/intel/oneapi/mkl/latest/lib`, and
 *    the usual library directories.
 *
 * Private: lib/internal/native.ts calls it; the CLI's `install-mkl` uses the cache path.
 *
 * @internal
 * @module
 */
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

/** The soname of oneMKL 2026's single dynamic library. */
export const MKL_LIBRARY = 'libmkl_rt.so.3';
/** Sonames of older oneMKL releases, reported when only they are found. */
const OLDER_LIBRARIES = ['libmkl_rt.so.2', 'libmkl_rt.so.1'];
/** The oneMKL release `npm install` and `weft install-mkl` fetch (package.json's `weft.pinned`, their one place). */
export const PINNED_MKL: string = (createRequire(import.meta.url)('../../package.json') as { weft: { pinned: { mkl: string } } }).weft.pinned.mkl;

/** Which step of the search found oneMKL (`threading.info().mkl.source`). */
export type MklSource = 'WEFT_MKL_DIR' | 'MKLROOT' | 'conda' | 'python' | 'package' | 'user-cache' | 'system';

/** One directory the search looks in. */
export interface MklCandidate {
  source: MklSource;
  dir: string;
}

/** The outcome of a search. */
export interface MklSearch {
  /** The library to load, when found. */
  found?: MklCandidate & { library: string };
  /** Every directory looked in, in order. */
  searched: MklCandidate[];
  /** Older oneMKL libraries seen on the way (they cannot be used). */
  older: string[];
  /** Set when `WEFT_MKL_DIR` names a directory without the library. */
  explicitMiss?: string;
}

type Env = Record<string, string | undefined>;

/** The per-user directory the pinned oneMKL is installed into by default. */
export function userCacheDir(env: Env = process.env): string {
  const base = env.WEFT_CACHE_DIR || join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'weft');
  return join(base, `onemkl-${PINNED_MKL}`);
}

/** Where a fetch puts oneMKL: the package's `.deps` when `WEFT_MKL_LOCAL=1`, else the per-user cache. */
export function mklInstallDir(packageRoot: string, env: Env = process.env): string {
  const local = env.WEFT_MKL_LOCAL;
  if (local !== undefined && local !== '' && local !== '0' && local !== '1') {
    throw new Error(`WEFT_MKL_LOCAL must be 1 (a copy of oneMKL in this project's node_modules/weft/.deps) or 0, but it is "${local}"`);
  }
  return local === '1' ? join(packageRoot, '.deps') : userCacheDir(env);
}

/** What a user can do when no oneMKL is found: shared by the import-time error and the install script's warning. */
export function mklRemedies(packageRoot: string, env: Env = process.env): string[] {
  return [
    `  npx weft install-mkl               fetches oneMKL ${PINNED_MKL} (~220 MB download, ~580 MB unpacked; Node alone, no Python) into ${mklInstallDir(packageRoot, env)}, once per machine`,
    `  npm install-scripts approve weft   (npm 11) or \`pnpm approve-builds\` (pnpm 10), then \`npm rebuild weft\` / \`pnpm rebuild weft\`: lets weft's install script do the same`,
    `  WEFT_MKL_DIR=<dir>                 a directory holding ${MKL_LIBRARY} you already have (e.g. the lib/ of \`pip install mkl==${PINNED_MKL}\`)`,
    `  (WEFT_SKIP_MKL_DOWNLOAD=1 makes installs skip the fetch; WEFT_OFFLINE=1 stops weft from ever downloading; WEFT_MKL_LOCAL=1 puts the copy in the project)`,
  ];
}

function pythonPrefixes(env: Env): string[] {
  const prefixes: string[] = [];
  if (env.VIRTUAL_ENV) prefixes.push(env.VIRTUAL_ENV);
  prefixes.push(join(env.HOME || homedir(), '.local'));
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    if (dir.endsWith('/shims') && existsSync(join(dirname(dir), 'versions'))) {
      try {
        for (const version of readdirSync(join(dirname(dir), 'versions')).sort()) prefixes.push(join(dirname(dir), 'versions', version));
      } catch {
        // unreadable: nothing to add
      }
      continue;
    }
    for (const exe of ['python3', 'python']) {
      const path = join(dir, exe);
      if (!existsSync(path)) continue;
      try {
        prefixes.push(dirname(dirname(realpathSync(path))));
      } catch {
        // a dangling link: not a Python
      }
    }
  }
  return prefixes;
}

/** The directories searched, in order (see the module comment). */
export function mklCandidates(packageRoot: string, env: Env = process.env): MklCandidate[] {
  const list: MklCandidate[] = [];
  const add = (source: MklSource, dir: string) => {
    if (!list.some((c) => c.dir === dir)) list.push({ source, dir });
  };
  if (env.WEFT_MKL_DIR) {
    add('WEFT_MKL_DIR', env.WEFT_MKL_DIR);
    add('WEFT_MKL_DIR', join(env.WEFT_MKL_DIR, 'lib'));
    return list;
  }
  if (env.MKLROOT) {
    add('MKLROOT', join(env.MKLROOT, 'lib'));
    add('MKLROOT', join(env.MKLROOT, 'lib', 'intel64'));
  }
  if (env.CONDA_PREFIX) add('conda', join(env.CONDA_PREFIX, 'lib'));
  for (const prefix of pythonPrefixes(env)) add('python', join(prefix, 'lib'));
  add('package', join(packageRoot, '.deps', 'lib'));
  add('user-cache', join(userCacheDir(env), 'lib'));
  for (const dir of (env.LD_LIBRARY_PATH ?? '').split(delimiter).filter(Boolean)) add('system', dir);
  for (const dir of ['/opt/intel/oneapi/mkl/latest/lib', '/usr/local/lib', '/usr/lib/x86_64-linux-gnu', '/usr/lib64', '/usr/lib']) {
    add('system', dir);
  }
  return list;
}

/** Walks the candidates; stops at the first directory with libmkl_rt.so.3. */
export function findMkl(packageRoot: string, env: Env = process.env): MklSearch {
  const searched: MklCandidate[] = [];
  const older: string[] = [];
  for (const candidate of mklCandidates(packageRoot, env)) {
    searched.push(candidate);
    const library = join(candidate.dir, MKL_LIBRARY);
    if (existsSync(library)) return { found: { ...candidate, library }, searched, older };
    for (const name of OLDER_LIBRARIES) {
      const path = join(candidate.dir, name);
      if (existsSync(path)) older.push(path);
    }
  }
  const explicitMiss = env.WEFT_MKL_DIR ? env.WEFT_MKL_DIR : undefined;
  return { searched, older, explicitMiss };
}

/**
 * The one error loading weft throws when no usable oneMKL is found;
 * `fetchFailure` says why weft did not fetch it itself.
 */
export function mklNotFoundMessage(search: MklSearch, env: Env = process.env, packageRoot = '', fetchFailure?: string): string {
  const lines: string[] = [];
  if (search.explicitMiss) {
    lines.push(`weft: WEFT_MKL_DIR is set to ${search.explicitMiss}, but neither it nor its lib/ holds ${MKL_LIBRARY} (oneMKL 2026).`);
  } else {
    lines.push(`weft could not find oneMKL 2026 (${MKL_LIBRARY}). Searched, in order:`);
    let last = '';
    for (const c of search.searched) {
      lines.push(`  ${c.source === last ? ' '.repeat(c.source.length) : c.source}  ${c.dir}`);
      last = c.source;
    }
    const unset = ['MKLROOT', 'CONDA_PREFIX', 'VIRTUAL_ENV'].filter((v) => !env[v]);
    if (unset.length) lines.push(`  (not set: ${unset.join(', ')})`);
  }
  if (search.older.length) {
    lines.push(`Found only older oneMKL, which weft cannot use: ${search.older.join(', ')}.`);
  }
  if (fetchFailure) lines.push(fetchFailure);
  lines.push('Fix, one of:', ...mklRemedies(packageRoot, env));
  return lines.join('\n');
}
