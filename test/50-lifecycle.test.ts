// worker_threads and teardown, each scenario in a child process so that a
// crash shows up as a signal or exit code instead of taking the runner down.
import { describe, expect, it } from 'vitest';
import { runFixture, underAsan } from './helpers.js';

function scenario(name: string) {
  const started = performance.now();
  const r = runFixture('lifecycle.mjs', [name], {}, 60_000);
  return { ...r, ms: performance.now() - started };
}

describe('worker_threads', () => {
  it('workers load weft, run async and sync calls beside the main thread, and share one arena', () => {
    const r = scenario('share');
    expect(r.signal).toBeNull();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const { arenaSize, reports, peak, arenaStillWorks } = r.json;
    expect(reports).toEqual([0, 1, 2, 3].map(() => ({ code: 0, ok: true })));
    // Five JS threads called weft at once; the arena never ran more than its
    // size, besides the two workers' own JS threads during their sync calls.
    expect(peak).toBeLessThanOrEqual(arenaSize + 2);
    expect(arenaStillWorks).toBe(true);
  });

  it('a worker terminated with jobs in flight (or while loading) does not crash the process', () => {
    const r = scenario('terminate');
    expect(r.signal).toBeNull();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.json).toEqual({ terminated: 30, arenaStillWorks: true });
  });
});

describe('process exit', () => {
  it('process.exit() with large jobs in flight ends promptly and cleanly', () => {
    const r = scenario('exit');
    expect(r.signal).toBeNull();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.json).toEqual({ queued: 8 });
    expect(r.ms).toBeLessThan(10_000);
  });

  it('a pending Promise keeps the process alive until it settles, and then it exits', () => {
    const r = scenario('drain');
    expect(r.status).toBe(0);
    expect(r.json.settled).toBe(true);
    expect(Number.isFinite(r.json.value)).toBe(true);
  });

  it('a sync loop that never yields does not keep the results it dropped', () => {
    // Sync results live in V8 memory, which GC frees on its own; external
    // memory would wait for an event-loop turn that this loop never gives
    // (measured before the fix: +1.6 GiB here).
    const r = scenario('sync-loop');
    expect(r.status, r.stderr).toBe(0);
    expect(r.json.finite).toBe(true);
    expect(r.json.grownMiB).toBeLessThan(400);
  });
});

describe('memory for sync results', () => {
  const glibc = Boolean((process.report?.getReport() as { header?: { glibcVersionRuntime?: string } })?.header?.glibcVersionRuntime);
  const memory = (name: string, env: Record<string, string> = {}) => runFixture('memory.mjs', [name], env, 60_000);

  it.skipIf(!glibc || underAsan)('weft raises glibc malloc thresholds at load, unless told not to or the process set its own', () => {
    expect(memory('malloc').json).toEqual({ tunedBy: 'weft', mmapThreshold: 32 * 2 ** 20, trimThreshold: 64 * 2 ** 20 });
    expect(memory('malloc', { WEFT_MALLOC_TUNING: 'off' }).json).toEqual({ tunedBy: 'off', mmapThreshold: null, trimThreshold: null });
    const own = memory('malloc', { GLIBC_TUNABLES: 'glibc.malloc.trim_threshold=268435456' }).json;
    expect(own).toEqual({ tunedBy: 'environment', mmapThreshold: null, trimThreshold: null });
  });

  it.skipIf(!glibc || underAsan)('repeated sync results reuse memory instead of fresh pages', () => {
    // A 256×256 float64 result is 128 pages; fresh pages fault once each.
    const tuned = memory('faults').json;
    expect(tuned.finite).toBe(true);
    expect(tuned.perCall).toBeLessThan(32);
    // Control: with glibc's defaults most results are a fresh mmap (measured
    // 50 to 127 faults per call, against 9 to 13 tuned).
    const untuned = memory('faults', { WEFT_MALLOC_TUNING: 'off' }).json.perCall;
    expect(untuned).toBeGreaterThan(32);
    expect(untuned).toBeGreaterThan(2 * tuned.perCall);
  });
});
