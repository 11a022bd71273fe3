#!/usr/bin/env node
// `npm run build:asan`: weft.node with AddressSanitizer and
// UndefinedBehaviorSanitizer, in build-asan/ (git-ignored) beside the normal
// build, which it leaves alone. Owned buffers then come from the C library
// (WEFT_SANITIZE, native/buffer.h) so ASan sees every weft allocation.
//
// Node itself is not instrumented, so the ASan runtime must be the first
// library in the process: run Node with
//
//   LD_PRELOAD=$(g++ -print-file-name=libasan.so) \
//   ASAN_OPTIONS=detect_leaks=0:allow_user_segv_handler=1 \
//   WEFT_PREBUILD=$PWD/build-asan  node ...
//
// (WEFT_PREBUILD makes node-gyp-build load build-asan/build/Release/weft.node.
// allow_user_segv_handler: V8 handles SIGSEGV itself. Leaks are a separate
// run: scripts/dev/leak-check.mjs.) scripts/dev/test-asan.mjs does all of this.
//
// Options: --quiet (no compiler output).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchDeps } from '../install/fetch-deps.mjs';
import { nodeGypRebuildArgs } from '../install/node-gyp.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const asanDir = join(root, 'build-asan');
const SANITIZE_FLAGS = '-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g -O1';

/** The runtime libraries the instrumented addon needs preloaded, from the compiler that built it. */
function sanitizerRuntime() {
  const r = spawnSync(process.env.CXX || 'g++', ['-print-file-name=libasan.so'], { encoding: 'utf8' });
  const path = r.stdout.trim();
  if (r.status !== 0 || !existsSync(path)) throw new Error('cannot find libasan.so (g++ -print-file-name=libasan.so)');
  return path;
}

/**
 * The environment that runs Node against the sanitizer build: the ASan
 * runtime preloaded (Node itself is not instrumented, so it must come
 * first), node-gyp-build pointed at build-asan/, and `asanOptions` added to
 * the defaults (allow_user_segv_handler: V8 handles SIGSEGV itself).
 */
export function sanitizerEnv(asanOptions = '') {
  return {
    ...process.env,
    LD_PRELOAD: sanitizerRuntime(),
    // allocator_may_return_null: an allocation too large to satisfy returns
    // null, as it does without ASan, so weft's out-of-memory path
    // (test/25-sizes) runs instead of ASan's own abort.
    ASAN_OPTIONS: ['allow_user_segv_handler=1', 'allocator_may_return_null=1', asanOptions].filter(Boolean).join(':'),
    UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
    WEFT_PREBUILD: asanDir,
  };
}

/** Builds build-asan/ unless its addon is newer than every native source and binding.gyp. */
export function ensureAsanBuild({ quiet = true } = {}) {
  const addon = join(asanDir, 'build', 'Release', 'weft.node');
  const sources = [join(root, 'binding.gyp'), ...readdirSync(join(root, 'native'), { recursive: true }).map((f) => join(root, 'native', f))];
  const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs));
  if (!existsSync(addon) || statSync(addon).mtimeMs < newest) buildAsan({ quiet });
}

export function buildAsan({ quiet = false } = {}) {
  fetchDeps({ kind: 'build', quiet });
  rmSync(asanDir, { recursive: true, force: true });
  mkdirSync(asanDir);
  // The same sources and dependencies, seen from build-asan/ so that
  // node-gyp's build/ lands there; RUNPATH $ORIGIN/../../.deps/lib resolves
  // through the .deps link.
  for (const name of ['binding.gyp', 'native', '.deps', 'node_modules', 'package.json']) {
    symlinkSync(join(root, name), join(asanDir, name));
  }
  const started = Date.now();
  const r = spawnSync(process.execPath, nodeGypRebuildArgs(), {
    cwd: asanDir,
    stdio: quiet ? 'ignore' : 'inherit',
    env: {
      ...process.env,
      CXXFLAGS: `${SANITIZE_FLAGS} -DWEFT_SANITIZE`,
      CFLAGS: SANITIZE_FLAGS,
      LDFLAGS: '-fsanitize=address,undefined',
    },
  });
  if (r.status !== 0) throw new Error(`the sanitizer build failed (node-gyp exit ${r.status ?? r.signal})`);
  process.stderr.write(`weft: sanitizer build in ${join(asanDir, 'build', 'Release')} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    buildAsan({ quiet: process.argv.includes('--quiet') });
  } catch (err) {
    process.stderr.write(`weft: ${err.message}\n`);
    process.exit(1);
  }
}
