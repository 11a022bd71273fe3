// Pool semantics (order, errors with their index, abort, close, backpressure,
// stats, modes) and threading control (setMaxThreads, the per-call
// threads option), with thread counts measured by the arena's observer.
import { spawn } from 'node:child_process';
import { getEventListeners, once } from 'node:events';
import { availableParallelism } from 'node:os';
import type { BurnPeaks } from '../lib/cli/demo/burning.js';
import { describe, expect, it } from 'vitest';
import { LinAlgError, NDArray, Pool, PoolItemError, linalg, random, threading } from '../lib/index.js';
import { runFixture, underAsan } from './helpers.js';

const mats = (count: number, n: number, seed = 0) => Array.from({ length: count }, (_, i) => random.normal([n, n], { seed: seed + i }));
const same = (x: NDArray, y: NDArray) => x.shape.join() === y.shape.join() && x.data.every((v, i) => v === y.data[i]);

describe('Pool.map, starmap, run, imap', () => {
  it('returns results in input order, equal to the direct calls', async () => {
    const pool = new Pool({ concurrency: 3 });
    const inputs = mats(12, 40);
    const results = await pool.map(linalg.qr, inputs);
    results.forEach((r, i) => {
      const direct = linalg.qr(inputs[i]!);
      expect(same(r.R, direct.R) && same(r.Q, direct.Q)).toBe(true);
    });
    // Sizes differ, so items finish out of order; the results do not.
    const sizes = [90, 5, 60, 3, 30, 1];
    const dets = await pool.map(linalg.det, sizes.map((n, i) => random.normal([n, n], { seed: i })));
    dets.forEach((d, i) => expect(d.item()).toBe(linalg.det(random.normal([sizes[i]!, sizes[i]!], { seed: i })).item()));
    await pool.close();
  });

  it('passes further arguments (args) and accepts sync or async names', async () => {
    const pool = new Pool();
    const inputs = mats(4, 16, 10);
    const rs = await pool.map(linalg.qr, inputs, { args: [{ mode: 'r' }] });
    rs.forEach((r, i) => expect(same(r.R, linalg.qr(inputs[i]!, { mode: 'r' }).R)).toBe(true));
    const svals = await pool.map(linalg.svdAsync, inputs, { args: [{ computeUV: false }] });
    expect(Object.keys(svals[0]!)).toEqual(['S']);
    const powers = await pool.map(linalg.matrixPower, [[[2]], [[3]]], { args: [3] });
    expect(powers.map((p) => p.item())).toEqual([8, 27]);
    const xs = await pool.starmap(linalg.solve, [[[[2]], [4]], [[[4]], [2]], [[[1, 0], [0, 2]], [2, 2]]]);
    expect(xs.map((x) => x.toArray())).toEqual([[2], [0.5], [2, 1]]);
    expect((await pool.run(linalg.trace, [[1, 2], [3, 4]])).item()).toBe(5);
    expect((await pool.run(random.uniform, [3], { seed: 1 })).shape).toEqual([3]);
    const seen: number[] = [];
    for await (const d of pool.imap(linalg.det, [[[2]], [[5]], [[7]]])) seen.push(Math.round(d.item() as number));
    expect(seen).toEqual([2, 5, 7]);
    expect(await pool.map(linalg.inv, [])).toEqual([]);
  });

  it('refuses an op that is neither a weft operation nor a function, and bad options', async () => {
    const pool = new Pool();
    await expect(pool.map('linalg.qr' as never, [1])).rejects.toThrow(
      /pool\.map: expected op to be a weft operation such as linalg\.qr, or a function, but received "linalg\.qr"/,
    );
    await expect(pool.run({} as never)).rejects.toThrow(TypeError);
    await expect(pool.starmap(linalg.solve, [[1, 2], 3] as never)).rejects.toThrow(/argLists\[1\] to be an array of arguments/);
    expect(() => new Pool({ concurrency: 0 })).toThrow(/options.concurrency to be an integer from 1 to 65536, but received 0/);
    expect(() => new Pool({ mode: 'fast' as never })).toThrow(/options.mode to be one of 'composable', 'static', 'serial-inner'/);
    expect(() => new Pool({ workers: 2 } as never)).toThrow(/unknown option "workers"/);
  });

  it('a failing item rejects map with its index and cause, and the items not started are skipped', async () => {
    const pool = new Pool({ concurrency: 1, maxQueue: 2 });
    const inputs: unknown[] = Array.from({ length: 40 }, (_, i) => (i === 3 ? [[1, 2], [2, 4]] : [[i + 1, 0], [0, 1]]));
    const error = await pool.map(linalg.inv, inputs as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PoolItemError);
    expect((error as PoolItemError).index).toBe(3);
    expect((error as PoolItemError).cause).toBeInstanceOf(LinAlgError);
    expect((error as PoolItemError).message).toBe('pool.map: item 3 failed: Singular matrix');
    await pool.close();
    const stats = pool.stats();
    expect(stats.failed).toBe(1);
    expect(stats.submitted).toBeLessThan(40); // fed as room freed up, and feeding stopped at the failure
    expect(stats.running + stats.queued).toBe(0);
  });

  it('signal aborts a map: it rejects at once and queued items do not run', async () => {
    const pool = new Pool({ concurrency: 1 });
    const controller = new AbortController();
    const pending = pool.map(linalg.eig, mats(30, 120), { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('enough')), 20);
    await expect(pending).rejects.toThrow('enough');
    await pool.close();
    const stats = pool.stats();
    expect(stats.completed).toBeLessThan(30);
    expect(stats.completed + stats.cancelled + stats.failed).toBe(stats.submitted);
    const aborted = new AbortController();
    aborted.abort(new Error('before'));
    await expect(pool.map(linalg.qr, mats(2, 4), { signal: aborted.signal })).rejects.toThrow('before');
  });

  it('maxQueue: run rejects when full; map feeds within it', async () => {
    const pool = new Pool({ concurrency: 1, maxQueue: 2 });
    const big = random.normal([300, 300], { seed: 1 });
    const held = [pool.run(linalg.eig, big), pool.run(linalg.eig, big), pool.run(linalg.eig, big)];
    await expect(pool.run(linalg.eig, big)).rejects.toThrow(
      /pool\.run: the pool is full \(1 running and maxQueue 2 waiting\)/,
    );
    await Promise.all(held);
    const many = await pool.map(linalg.det, Array.from({ length: 50 }, (_, i) => [[i]]));
    expect(many.map((d) => Math.round(d.item() as number))).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(pool.stats().queued).toBe(0);
  });

  it('close() waits for work in flight and then refuses new work; asyncDispose closes', async () => {
    const pool = new Pool({ concurrency: 1 });
    const pending = pool.map(linalg.qr, mats(6, 150));
    await pool.close();
    expect(pool.stats().completed).toBe(6);
    expect((await pending).length).toBe(6);
    await expect(pool.run(linalg.det, [[1]])).rejects.toThrow(/pool\.run: the pool is closed/);
    await expect(pool.run(linalg.det, [[1]])).rejects.toMatchObject({ code: 'ERR_WEFT_POOL_CLOSED' });
    const other = new Pool();
    await other[Symbol.asyncDispose]();
    await expect(other.map(linalg.det, [[[1]]])).rejects.toThrow(/closed/);
  });

  it('stats count what happened', async () => {
    const pool = new Pool({ concurrency: 2 });
    await pool.map(linalg.inv, [[[2]], [[4]], [[8]]]);
    await pool.map(linalg.inv, [[[0]]]).catch(() => {});
    const s = pool.stats();
    expect(s).toMatchObject({ submitted: 4, completed: 3, failed: 1, cancelled: 0, queued: 0, running: 0 });
    expect(s.busyMs).toBeGreaterThan(0);
    expect(s.peakThreads).toBeGreaterThanOrEqual(1);
    expect(s.peakThreads).toBeLessThanOrEqual(threading.info().arena.threads);
    expect(threading.info().pools.live).toBeGreaterThanOrEqual(1);
  });
});

describe('modes', () => {
  it.each(['composable', 'static', 'serial-inner'] as const)('%s gives the same values as direct calls', async (mode) => {
    const pool = new Pool({ concurrency: 4, mode });
    const inputs = mats(6, 64, 40);
    const results = await pool.map(linalg.svd, inputs, { args: [{ computeUV: false }] });
    results.forEach((r, i) => {
      const direct = linalg.svd(inputs[i]!, { computeUV: false }).S;
      r.S.data.forEach((v, j) => expect(Math.abs(v - direct.data[j]!)).toBeLessThan(1e-12 * direct.data[0]!));
    });
  });
});

describe('a composable Pool weighs its items', () => {
  it('a large item ahead of small ones (it may run free, they single-threaded) gives the direct calls’ values bit for bit', async () => {
    const pool = new Pool({ concurrency: 10 });
    const inputs = [random.normal([600, 300], { seed: 1 }), ...mats(3, 150, 2), ...mats(12, 50, 5)];
    const results = await pool.map(linalg.qr, inputs);
    results.forEach((r, i) => {
      const direct = linalg.qr(inputs[i]!);
      expect(same(r.R, direct.R) && same(r.Q, direct.Q), `item ${i}`).toBe(true);
    });
    expect(pool.stats()).toMatchObject({ submitted: 16, completed: 16, queued: 0, running: 0 });
    await pool.close();
  });

  it('takes items of any operand form: NDArrays, { data, shape }, nested arrays, scalars', async () => {
    const pool = new Pool({ concurrency: 2 });
    const xs = await pool.starmap(linalg.solve, [
      [random.normal([3, 3], { seed: 1 }), random.normal([3], { seed: 2 })],
      [{ data: new Float64Array([2, 0, 0, 4]), shape: [2, 2] }, [2, 4]],
      [[[4]], [8]],
    ]);
    expect(xs.map((x) => x.shape.join())).toEqual(['3', '2', '1']);
    expect([...xs[1]!.data]).toEqual([1, 1]);
    expect((await pool.run(linalg.matrixPower, [[2]], 3)).item()).toBe(8);
  });
});

describe('threads', () => {
  it('a Pool of concurrency 10 over MKL-heavy items never runs on more threads than the arena has', () => {
    const r = runFixture('pool-threads.mjs');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const w = r.json;
    expect(w.completed).toBe(20);
    expect(w.peak).toBeLessThanOrEqual(w.arenaSize);
    expect(w.poolPeak).toBeLessThanOrEqual(w.arenaSize);
    for (const tid of w.busyThreads) expect([...w.arenaThreads, w.mainThread]).toContain(tid);
    expect(w.osThreadsMax - w.osThreadsBefore).toBeLessThanOrEqual(w.arenaSize);
  });

  it('setMaxThreads caps every thread of weft, worker_threads included', () => {
    const r = runFixture('max-threads.mjs');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.json).toMatchObject({ previous: r.json.cores, cappedThreads: 1, arenaPeakCapped: 1, restored: r.json.cores });
    // CPU time over wall time: one thread computing at a time (with rounding slack).
    expect(r.json.parallelismCapped).toBeLessThan(1.3);
    expect(r.json.workerResultsOk).toBe(true);
  });

  it('a per-call threads option limits one call’s own threads', () => {
    const r = runFixture('max-threads.mjs', ['per-call']);
    expect(r.status).toBe(0);
    expect(r.json.parallelismLimited).toBeLessThan(1.3);
    expect(r.json.computedLimited).toEqual([1, 1, 1]);
    if (r.json.cores >= 2 && !underAsan) expect(Math.max(...r.json.computedFree)).toBeGreaterThanOrEqual(2);
  });

  it('setMaxThreads checks its argument', () => {
    expect(() => threading.setMaxThreads(0)).toThrow(/threading\.setMaxThreads: expected n to be an integer from 1 to 4096, but received 0/);
    expect(() => threading.setMaxThreads(1.5)).toThrow(TypeError);
  });

  it('async calls check their threads option', async () => {
    await expect(linalg.invAsync([[1]], { threads: 0 })).rejects.toThrow(/options.threads to be an integer from 1 to 4096/);
    expect((await linalg.invAsync([[2]], { threads: 1 })).item()).toBe(0.5);
  });
});

describe('the demo', () => {
  it('workers-1 is the default worker pool with one MKL thread per worker: no OpenMP team threads beside its workers', async () => {
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const out = mkdtempSync(join(tmpdir(), 'weft-demo-'));
    // Full-size QR 256 (quick sizes are too small for MKL to start a team). The parent sets MKL_NUM_THREADS for workers-1
    // alone: the caller's MKL_NUM_THREADS=1 must not reach the default pool.
    const r = runFixture('../../dist/cli/index.js', ['demo', '--modes', 'default,workers-1', '--workloads', 'pipeline-qr', '--reps', '1', '--out', out], { MKL_NUM_THREADS: '1' }, 120_000);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'demo.json'), 'utf8'));
    const threads = (mode: string): number => report.results[mode].workloads['pipeline-qr'].peakOsThreads;
    // 10 workers: the default pool's each start an OpenMP team (≥ 1 more thread each on 2+ cores).
    if (report.machine.cpus >= 2) expect(threads('default') - threads('workers-1')).toBeGreaterThanOrEqual(10);
    expect(threads('workers-1')).toBeGreaterThanOrEqual(10);
  });

  it("mixed-js's item solves the feature matrix its JS builds, the same in sync and async form", async () => {
    const { buildFeatures, featuresSolve, featuresSolveAsync } = await import('../lib/cli/demo/features.js');
    const x = new Float64Array(64).map((_, i) => Math.sin(i * 1.7));
    const f = buildFeatures(x);
    expect(f[0]).toBeCloseTo(1 + Math.sin(x[0]!) * Math.cos(x[0]! * x[0]!) + 64, 12);
    const y = featuresSolve(x);
    const residual = linalg.matmul({ data: f, shape: [64, 64] }, y).data.map((v, i) => v - x[i]!);
    expect(Math.max(...residual.map(Math.abs))).toBeLessThan(1e-12);
    expect([...(await featuresSolveAsync(x))]).toEqual([...y]);
  });

  it('samples the threads burning and wanting CPU in another process: spinning threads count, a sleeping one does not', async () => {
    const { sampleBurning } = await import('../lib/cli/demo/burning.js');
    // Each child says "ready" once started, then spins or sleeps for 2 s; the sampler watches 600 ms of that.
    const peakOf = async (code: string): Promise<BurnPeaks | undefined> => {
      const child = spawn(process.execPath, ['-e', `process.stdout.write('ready\\n'); ${code}`], { stdio: ['ignore', 'pipe', 'inherit'] });
      await once(child.stdout, 'data');
      const stop = sampleBurning(child.pid!);
      await new Promise((r) => setTimeout(r, 600));
      const peak = stop();
      child.kill();
      await once(child, 'close');
      return peak;
    };
    const spin = 'const end = Date.now() + 2000; while (Date.now() < end);';
    expect((await peakOf(spin))!.burning).toBeGreaterThanOrEqual(1);
    // 2 × cores + 2 spinning threads: at most 2 × cores can run half of a window, all of them want to.
    const cores = availableParallelism();
    const many = `const { Worker } = require('node:worker_threads'); for (let i = 0; i < ${2 * cores + 1}; i++) new Worker(${JSON.stringify(spin)}, { eval: true }); ${spin}`;
    const crowded = (await peakOf(many))!;
    expect(crowded.burning).toBeLessThanOrEqual(2 * cores);
    expect(crowded.wanting).toBeGreaterThanOrEqual(2 * cores + 1);
    expect(await peakOf('setTimeout(() => {}, 2000);')).toEqual({ burning: 0, wanting: 0 });
  });

  it('runs every workload under every mode (quick sizes) and writes JSON and SVG', async () => {
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const out = mkdtempSync(join(tmpdir(), 'weft-demo-'));
    const r = runFixture('../../dist/cli/index.js', ['demo', '--quick', '--reps', '1', '--out', out], {}, 120_000);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('speed-up over default');
    const report = JSON.parse(readFileSync(join(out, 'demo.json'), 'utf8'));
    const ids = ['seed-qr', 'balanced-qr', 'balanced-eig', 'unbalanced-qr', 'unbalanced-eig', 'eig-48', 'mixed-qr', 'pipeline-qr', 'mixed-js'];
    for (const mode of ['default', 'workers-1', 'promise-all', 'sequential', 'serial-inner', 'static', 'composable']) {
      expect(Object.keys(report.results[mode].workloads).sort()).toEqual([...ids].sort());
      for (const id of ids) {
        const entry = report.results[mode].workloads[id];
        expect(entry.medianMs, `${mode} ${id}`).toBeGreaterThan(0);
        // Sampled by the parent between the child's marks: present, no more than 2 × cores can each run half a window, and a thread that burns wants.
        expect(entry.peakBurning, `${mode} ${id}`).toBeGreaterThanOrEqual(0);
        expect(entry.peakBurning, `${mode} ${id}`).toBeLessThanOrEqual(2 * report.machine.cpus);
        expect(entry.peakWanting, `${mode} ${id}`).toBeGreaterThanOrEqual(entry.peakBurning);
      }
    }
    expect(report.results.default.threadingLayer).toBe('intel');
    expect(report.results['workers-1'].threadingLayer).toBe('intel');
    expect(report.results.composable.threadingLayer).toBe('tbb');
    expect(report.results['promise-all'].threadingLayer).toBe('tbb');
    expect(report.results.sequential.threadingLayer).toBe('sequential');
    // The default Pool is held to the best of weft's other modes, per workload.
    for (const row of report.summary) expect(['promise-all', 'sequential', 'serial-inner', 'static']).toContain(row.bestRival);
    expect(r.stdout).toMatch(/mixed-qr +composable [\d.]+× the best other weft mode/);
    expect(r.stdout).toMatch(/mixed-js +composable [\d.]+× the best other weft mode \(\w[\w-]*\) — [^;]+; [\d.]+× the best worker pool \((default|workers-1)\)/);
    expect(r.stdout).toContain('threads burning / wanting CPU at once');
    // The children's sampling marks are the parent's business, not the user's.
    expect(r.stderr).not.toContain('@weft-demo-sample');
    expect(r.stderr).toMatch(/composable +mixed-js +\d+ ms/);
    const svg = readFileSync(join(out, 'demo.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('composable');
    // One bar per workload and mode, each titled with its workload, mode and time.
    expect(svg.match(/<title>/g)).toHaveLength(ids.length * 7);
    expect(svg).toMatch(/<title>mixed-js — workers-1: \d+ ms/);
    expect(svg).toMatch(/<title>pipeline-qr — composable: \d+ ms/);
  });
});

describe('close, abort and the books, as they happen', () => {
  it('close() during a map lets every item of it run, also those not fed yet', async () => {
    const pool = new Pool({ concurrency: 2 });
    // 40 items: more than concurrency + maxQueue (2 + 16), so most are fed after close().
    const pending = pool.map(linalg.det, Array.from({ length: 40 }, (_, i) => [[i + 1]]));
    await pool.close();
    const dets = (await pending) as NDArray[];
    expect(dets.map((d) => Math.round(d.item()))).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(pool.stats()).toMatchObject({ submitted: 40, completed: 40, queued: 0, running: 0 });
    await expect(pool.map(linalg.det, [[[1]]])).rejects.toMatchObject({ code: 'ERR_WEFT_POOL_CLOSED' });
    await expect(pool.run(linalg.det, [[1]])).rejects.toMatchObject({ code: 'ERR_WEFT_POOL_CLOSED' });
    await expect(pool.imap(linalg.det, [[[1]]]).next()).rejects.toMatchObject({ code: 'ERR_WEFT_POOL_CLOSED' });
  });

  it('stats are current when a map settles: resolved, and aborted with items still queued', async () => {
    const pool = new Pool({ concurrency: 2 });
    const inputs = mats(16, 300);
    for (let round = 0; round < 5; round++) {
      await pool.map(linalg.svdvals, inputs);
      expect(pool.stats()).toMatchObject({ submitted: 16 * (round + 1), completed: 16 * (round + 1), queued: 0, running: 0 });
    }
    const controller = new AbortController();
    const aborted = pool.map(linalg.svdvals, inputs, { signal: controller.signal });
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    const stats = pool.stats();
    // The items still queued left the queue as cancelled when the map was
    // aborted; only those already inside MKL may still run. On a loaded
    // machine the JS thread can be descheduled between map() and abort()
    // long enough for the workers to finish an item or two and take the
    // next from the queue, so the books are: every item of the aborted map
    // is cancelled, running, or completed natively before the abort.
    const completedBeforeAbort = stats.completed - 16 * 5;
    expect(stats.queued).toBe(0);
    expect(stats.running).toBeLessThanOrEqual(2);
    expect(completedBeforeAbort).toBeLessThan(16 - 2);
    expect(stats.cancelled + stats.running + completedBeforeAbort).toBe(16);
    // close() waits for the aborted items' native work too (no polling: each
    // item counts until its native Promise settles).
    await pool.close();
    const end = pool.stats();
    expect(end).toMatchObject({ running: 0, queued: 0 });
    expect(end.completed + end.cancelled + end.failed).toBe(end.submitted);
  });

  it('a failed item frees its place in the pool by the time its rejection is seen', async () => {
    const pool = new Pool({ concurrency: 1, maxQueue: 1 });
    const failing = pool.run(linalg.inv, [[0]]); // singular: fails
    const queued = pool.run(linalg.det, [[2]]); // the pool is now full (1 running + 1 waiting)
    await expect(pool.run(linalg.det, [[5]])).rejects.toThrow(/the pool is full/);
    const again = await failing.then(
      () => 'resolved',
      () => pool.run(linalg.det, [[3]]).then((d) => (d as NDArray).item()),
    );
    expect(again).toBeCloseTo(3, 12);
    expect(((await queued) as NDArray).item()).toBeCloseTo(2, 12);
    await pool.close();
  });

  it('imap yields nothing more once its signal fired, even results already in hand', async () => {
    const pool = new Pool({ concurrency: 2 });
    const controller = new AbortController();
    const seen: number[] = [];
    const iterate = async () => {
      for await (const d of pool.imap(linalg.det, Array.from({ length: 40 }, (_, i) => [[i + 1]]), { signal: controller.signal })) {
        seen.push((d as NDArray).item());
        if (seen.length === 1) {
          await new Promise((resolve) => setTimeout(resolve, 20)); // the next results finish meanwhile
          controller.abort();
        }
      }
    };
    await expect(iterate()).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toEqual([1]);
  });

  it('calls and maps sharing one signal add one abort listener to it, not one per call', async () => {
    const controller = new AbortController();
    const calls = Array.from({ length: 2000 }, (_, i) => linalg.detAsync([[i + 1]], { signal: controller.signal }));
    const pool = new Pool({ concurrency: 2, maxQueue: 4096 });
    const map = pool.map(linalg.det, Array.from({ length: 2000 }, (_, i) => [[i + 1]]), { signal: controller.signal });
    // One for the calls, one for the map (which passes its own signal to its items).
    expect(getEventListeners(controller.signal, 'abort').length).toBeLessThanOrEqual(2);
    await Promise.all([...calls, map]);
  });
});
