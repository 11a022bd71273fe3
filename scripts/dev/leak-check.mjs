#!/usr/bin/env node
// `npm run leak-check`: a short loop over every linalg function, sync and
// async, Pool maps, aborted and failing calls and a worker_thread
// (test/fixtures/leak-loop.mjs), under LeakSanitizer with the sanitizer
// build (scripts/dev/build-asan.mjs). test/leak/node.supp suppresses Node's own
// allocations; a leak with any frame in weft's addon is weft's and fails the
// check. Other unsuppressed leaks are listed but do not fail it: they are not
// weft's, and the suppressions file may need their V8 function.
//
// Usage: node scripts/dev/leak-check.mjs [--rounds N] [--json] [--probe]
//   --probe  the positive control: weft leaks on purpose, the check must fail
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureAsanBuild, sanitizerEnv } from './build-asan.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const rounds = Number(option('--rounds', 50));
const suppressions = join(root, 'test', 'leak', 'node.supp');

/** LeakSanitizer's report as records: kind, bytes, objects, frames. */
export function parseLeaks(stderr) {
  const records = [];
  for (const block of stderr.split(/\n(?=(?:Direct|Indirect) leak of )/)) {
    const head = /^(Direct|Indirect) leak of (\d+) byte\(s\) in (\d+) object\(s\)/.exec(block);
    if (!head) continue;
    const frames = [...block.matchAll(/#\d+ 0x[0-9a-f]+ in (.*)/g)].map((m) => m[1]);
    records.push({ kind: head[1].toLowerCase(), bytes: Number(head[2]), objects: Number(head[3]), frames });
  }
  return records;
}

/** weft's when any frame is in its addon or its sources. */
const isWeft = (record) => record.frames.some((f) => /weft\.node|\/native\//.test(f));

ensureAsanBuild();
const started = Date.now();
const r = spawnSync(process.execPath, ['--expose-gc', join(root, 'test', 'fixtures', 'leak-loop.mjs'), String(rounds)], {
  cwd: root,
  encoding: 'utf8',
  maxBuffer: 1 << 28,
  env: {
    ...sanitizerEnv('detect_leaks=1:leak_check_at_exit=0'),
    LSAN_OPTIONS: `suppressions=${suppressions}:print_suppressions=1`,
    ...(args.includes('--probe') ? { WEFT_LEAK_PROBE: '1' } : {}),
  },
});
const records = parseLeaks(r.stderr);
const weft = records.filter(isWeft);
const other = records.filter((x) => !isWeft(x));
// "Suppressions used:" / "  count      bytes template" / "    153       5608 v8::..."
const used = r.stderr.split('Suppressions used:')[1] ?? '';
const suppressed = [...used.matchAll(/^\s+(\d+)\s+(\d+)\s+(\S+)$/gm)].map((m) => ({ count: Number(m[1]), bytes: Number(m[2]), pattern: m[3] }));
const loop = /^\{.*\}$/m.exec(r.stdout)?.[0];
const sum = (xs, key) => xs.reduce((s, x) => s + x[key], 0);
const report = {
  rounds,
  loopCompleted: loop !== undefined && r.status === 0,
  seconds: (Date.now() - started) / 1000,
  weftLeaks: weft.length,
  weftBytes: sum(weft, 'bytes'),
  otherLeaks: other.length,
  otherBytes: sum(other, 'bytes'),
  suppressedLeaks: sum(suppressed, 'count'),
  suppressedBytes: sum(suppressed, 'bytes'),
};

if (args.includes('--json')) {
  process.stdout.write(`${JSON.stringify({ ...report, weft: weft.slice(0, 5) })}\n`);
} else {
  process.stdout.write(
    `leak check: ${rounds} rounds in ${report.seconds.toFixed(1)} s; ` +
      `${report.weftLeaks} leaks attributed to weft (${report.weftBytes} bytes), ` +
      `${report.otherLeaks} other unsuppressed (${report.otherBytes} bytes), ` +
      `${report.suppressedLeaks} of Node's own suppressed (${report.suppressedBytes} bytes)\n`,
  );
  for (const record of weft.slice(0, 5)) process.stdout.write(`\nweft leak, ${record.bytes} bytes:\n  ${record.frames.slice(0, 12).join('\n  ')}\n`);
  for (const record of other.slice(0, 3)) process.stdout.write(`\nnot weft's, ${record.bytes} bytes (add its V8 function to test/leak/node.supp?):\n  ${record.frames.slice(0, 6).join('\n  ')}\n`);
}
if (!report.loopCompleted) {
  process.stderr.write(`leak check: the loop itself failed (exit ${r.status ?? r.signal}):\n${r.stderr.slice(-4000)}\n`);
  process.exit(2);
}
process.exit(weft.length > 0 ? 1 : 0);
