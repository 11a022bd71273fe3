// Hardening: the sanitizer build's positive control, and stress in child
// processes (test/fixtures/stress.mjs) — 100 000 async calls with RSS
// sampled, 1 000 worker_threads terminated at random moments, exits with
// work in flight, abort storms on a busy Pool. Each scenario prints its
// figures; under `npm run test:asan` the sanitizers watch every one.
import { describe, expect, it } from 'vitest';
import { native } from '../lib/internal/native.js';
import { join } from 'node:path';
import { root, runFixture, runNode, underAsan } from './helpers.js';

function stress(name: string, timeoutMs = 240_000) {
  const started = Date.now();
  const r = runFixture('stress.mjs', [name], {}, timeoutMs);
  const endedAt = Date.now();
  const at = /"(?:exitAt|endAt)":([\d.]+)/.exec(r.stdout)?.[1];
  const gone = at ? `, ${(endedAt - Number(at)).toFixed(0)} ms from exit to gone` : '';
  process.stderr.write(`stress ${name}${underAsan ? ' (sanitizer build)' : ''}: ${r.stdout.trim()} (${endedAt - started} ms${gone})\n`);
  return { ...r, endedAt };
}

/** A child that died of a signal or wrote to stderr failed, whatever its JSON says. */
function expectClean(r: ReturnType<typeof stress>): void {
  expect(r.signal, r.stderr).toBeNull();
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

describe('the sanitizer build', () => {
  it.skipIf(!underAsan)('reports a read past a weft buffer (positive control)', () => {
    const r = runFixture('stress.mjs', ['probe'], {}, 60_000);
    // (abort_on_error: the report kills the process with SIGABRT.)
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/AddressSanitizer: heap-buffer-overflow/);
    expect(r.stderr).toMatch(/SanitizerProbe/);
  });

  it.skipIf(!underAsan)('a loop over every function under LeakSanitizer: no leak attributed to weft', () => {
    const r = runNode([join(root, 'scripts', 'dev', 'leak-check.mjs'), '--json'], {}, 240_000);
    process.stderr.write(`leak check: ${r.stdout.trim()}\n`);
    expect(r.json.loopCompleted, r.stderr).toBe(true);
    expect(r.json.weft).toEqual([]);
    expect(r.status).toBe(0);
  }, 300_000);

  it.skipIf(!underAsan)('the leak check catches a leak inside weft (positive control)', () => {
    const r = runNode([join(root, 'scripts', 'dev', 'leak-check.mjs'), '--json', '--probe', '--rounds', '1'], {}, 120_000);
    // 2 means the loop itself failed: its stderr says why.
    expect(r.status, r.stderr.slice(-4000)).toBe(1);
    expect(r.json.weftLeaks).toBeGreaterThan(0);
    expect(r.json.weft[0].frames.join('\n')).toMatch(/SanitizerProbe/);
  });

  it.skipIf(underAsan)('is the only build with the probe', () => {
    expect(native.sanitizerProbe).toBeUndefined();
  });
});

describe('stress', () => {
  it('100 000 async calls of random ops and sizes: right answers, RSS on a plateau', () => {
    const r = stress('async-rss');
    expectClean(r);
    const { calls, wrong, samples, secondHalfGrowthMiB } = r.json;
    expect(calls).toBe(100_000);
    expect(wrong).toBe(0);
    expect(samples.length).toBe(20);
    // A leak of even 100 bytes a call would add ~5 MB over the second half.
    // (Not under ASan: its quarantine keeps freed memory for a while, so RSS
    // climbs by design there; the leak check is scripts/dev/leak-check.mjs.)
    if (!underAsan) expect(secondHalfGrowthMiB).toBeLessThan(16);
  }, 300_000);

  it('1 000 worker_threads terminated at random moments: no crash, no hang, the arena still works', () => {
    const r = stress('workers', 400_000);
    expectClean(r);
    const { workers, terminated, stillWorks, arenaPeak, arenaSize } = r.json;
    expect(workers).toBe(1000);
    expect(terminated).toBe(workers);
    expect(stillWorks).toBe(true);
    // The arena's threads, besides the JS threads of the (at most 8) live
    // workers while they make a sync call.
    expect(arenaPeak).toBeLessThanOrEqual(arenaSize + 8);
  }, 450_000);

  it('worker_threads terminated while busy in sync loops, async loops and Pool maps, or exiting themselves: no abort', () => {
    const r = stress('busy-workers', 240_000);
    expectClean(r);
    expect(r.json).toMatchObject({ sync: 50, async: 50, pool: 50, exited: 30, stillWorks: true });
  }, 300_000);

  it('process.exit() on the main thread while workers are busy in weft exits 0 at once', () => {
    for (let run = 0; run < 3; run++) {
      const r = stress('exit-busy');
      expectClean(r);
      expect(r.endedAt - r.json.exitAt).toBeLessThan(underAsan ? 10_000 : 2_000);
    }
  }, 120_000);

  it('arenas of sizes no longer in use are released', () => {
    const r = stress('arena-sweep');
    expectClean(r);
    const { startMiB, afterSharedMiB, endMiB, stillWorks } = r.json;
    expect(stillWorks).toBe(true);
    // Before: every size kept its arena (and tbbmalloc the freed blocks):
    // +280 MiB over this sweep, +3 GiB over 1…2048.
    if (!underAsan) {
      expect(afterSharedMiB - startMiB).toBeLessThan(100);
      expect(endMiB - startMiB).toBeLessThan(100);
    }
  });

  it('process.exit() with large jobs and a Pool map in flight ends at once', () => {
    const r = stress('exit-inflight');
    expectClean(r);
    // From the exit call to the parent seeing the process gone.
    expect(r.endedAt - r.json.exitAt).toBeLessThan(underAsan ? 10_000 : 2_000);
  });

  it('a script that ends with jobs in flight waits for them, then exits', () => {
    const r = stress('end-inflight');
    expectClean(r);
    expect(r.json.settled).toBe(6);
    expect(r.endedAt - r.json.endAt).toBeLessThan(underAsan ? 10_000 : 2_000);
  });

  it('abort storms on a busy Pool: every Promise settles as result or AbortError, the books balance', () => {
    const r = stress('abort-storm');
    expectClean(r);
    const { maps, resolved, aborted, wrongError, calls, stats, stillWorks } = r.json;
    expect(maps).toBe(200);
    expect(calls).toBe(maps);
    expect(wrongError).toBe(0);
    expect(resolved + aborted).toBe(maps);
    expect(aborted).toBeGreaterThan(0);
    expect(resolved).toBeGreaterThan(0);
    expect(stats.queued + stats.running).toBe(0);
    expect(stats.completed + stats.failed + stats.cancelled).toBe(stats.submitted);
    expect(stats.cancelled).toBeGreaterThan(0);
    expect(stillWorks).toBe(true);
  });
});
