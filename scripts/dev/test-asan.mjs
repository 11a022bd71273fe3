#!/usr/bin/env node
// `npm run test:asan`: the test suite and the argument fuzzer against the
// AddressSanitizer + UBSan build (scripts/dev/build-asan.mjs), every process of
// the run (vitest's workers and the tests' own child processes) with the
// ASan runtime preloaded. Any sanitizer report aborts the process that made
// it, which fails the test that ran it.
//
// Usage: node scripts/dev/test-asan.mjs [--fuzz-seconds N] [vitest args...]
//   (the fuzz budget defaults to WEFT_FUZZ_SECONDS or 20 s)
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureAsanBuild, sanitizerEnv } from './build-asan.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const budgetAt = args.indexOf('--fuzz-seconds');
const fuzzSeconds = budgetAt >= 0 ? args.splice(budgetAt, 2)[1] : process.env.WEFT_FUZZ_SECONDS || '20';

ensureAsanBuild();
const env = {
  // detect_leaks: Node leaks by design at exit (scripts/dev/leak-check.mjs
  // attributes leaks instead). abort_on_error: a report kills the process
  // with SIGABRT, which no test can mistake for success.
  ...sanitizerEnv('detect_leaks=0:abort_on_error=1:halt_on_error=1:print_summary=1'),
  WEFT_EXPECT_ASAN: '1',
  WEFT_FUZZ_SECONDS: fuzzSeconds,
};
const r = spawnSync(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...args], {
  cwd: root,
  env,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
