// Worker-backed Pools (issue 17, item 2) through the public API: a user
// module's default export per item on worker_threads, with the Pool's
// semantics — order, bounded concurrency, errors with their index, crash
// replacement, abort, stats, close — and function/op items beside them.
// The engine (WorkerSet) and the thread budget are tested in test/43.
import { threadId } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { NDArray, Pool, PoolItemError, array, linalg } from '../lib/index.js';

const task = new URL('./fixtures/workers/task.mjs', import.meta.url);

describe('worker-backed Pool', () => {
  it('map, starmap, imap and run send items to the module’s default export; results in input order', async () => {
    const pool = new Pool({ worker: task, concurrency: 2, workerData: { answer: 42 } });
    // map calls default(item, index): 'echo' returns its second argument, the index.
    expect(await pool.map(['echo', 'echo', 'echo'])).toEqual([0, 1, 2]);
    const delays = [40, 0, 20, 5];
    expect(await pool.starmap(delays.map((ms, i) => ['delayed-echo', `item ${i}`, ms]))).toEqual(delays.map((_, i) => `item ${i}`));
    expect(await pool.run('worker-data')).toEqual({ answer: 42 }); // run(item): default(item)
    const seen: unknown[] = [];
    for await (const v of pool.imap(['echo', 'echo'])) seen.push(v);
    expect(seen).toEqual([0, 1]);
    // NDArrays cross both ways; the worker's weft calls give the values this thread's do.
    const a = array([[4, 1], [1, 3]]);
    const [x] = await pool.starmap<NDArray>([['solve', a, [1, 2]]]);
    expect(x).toBeInstanceOf(NDArray);
    expect([...x!.data]).toEqual([...linalg.solve(a, [1, 2]).data]);
    await pool.close();
  });

  it('runs items on at most concurrency worker threads, none of them this one', async () => {
    const pool = new Pool({ worker: task, concurrency: 2 });
    const threads = await pool.starmap<number>(Array.from({ length: 8 }, () => ['thread']));
    const distinct = new Set(threads);
    expect(distinct.size).toBeLessThanOrEqual(2);
    expect(distinct.has(threadId)).toBe(false);
    expect(pool.stats()).toMatchObject({ submitted: 8, completed: 8, running: 0, queued: 0 });
    await pool.close();
  });

  it('a throwing item rejects the map with its index and its own error; a crashed worker is replaced', async () => {
    const pool = new Pool({ worker: task, concurrency: 2 });
    const thrown = await pool.starmap([['echo', 1], ['throw', 7], ['echo', 3]]).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(PoolItemError);
    expect((thrown as PoolItemError).index).toBe(1);
    expect((thrown as PoolItemError).cause).toBeInstanceOf(RangeError);
    expect((thrown as PoolItemError).cause).toMatchObject({ message: 'item 7 is out of range', code: 'ERR_ITEM' });
    const crashed = await pool.starmap([['delayed-echo', 1, 20], ['exit', 3]]).catch((e: unknown) => e);
    expect(crashed).toMatchObject({ name: 'PoolItemError', index: 1, cause: { code: 'ERR_WEFT_WORKER_CRASHED' } });
    // The pool goes on: the dead worker was replaced.
    expect(await pool.starmap([['echo', 'a'], ['echo', 'b'], ['echo', 'c']])).toEqual(['a', 'b', 'c']);
    // A LinAlgError inside a worker's weft call arrives as one.
    await expect(pool.run('singular')).rejects.toMatchObject({ name: 'LinAlgError' });
    await pool.close();
  });

  it('signal aborts: a running item’s worker is terminated, items not started never run, the pool goes on', async () => {
    const pool = new Pool({ worker: task, concurrency: 1 });
    const controller = new AbortController();
    const reason = new Error('enough');
    setTimeout(() => controller.abort(reason), 30);
    const started = performance.now();
    await expect(pool.starmap([['spin'], ['echo', 'never']], { signal: controller.signal })).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(5000); // the spinning JS was stopped, not awaited
    await expect(pool.map(['echo'], { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    await expect(pool.run('spin', { signal: AbortSignal.timeout(20) })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(await pool.run('echo')).toBeUndefined(); // default('echo'): no second argument
    expect(pool.stats()).toMatchObject({ submitted: 4, completed: 1, failed: 0, cancelled: 3, running: 0, queued: 0 });
    await pool.close();
  });

  it('transfer moves the items’ buffers to the workers; by default they are copied', async () => {
    const pool = new Pool({ worker: task, concurrency: 1 });
    const copied = new Float64Array([1, 2, 3]);
    expect(await pool.starmap([['echo', copied]])).toEqual([new Float64Array([1, 2, 3])]);
    expect(copied.length).toBe(3);
    const moved = new Float64Array([4, 5]);
    expect(await pool.starmap([['echo', moved]], { transfer: true })).toEqual([new Float64Array([4, 5])]);
    expect(moved.length).toBe(0); // detached
    const shared = new Float64Array(new SharedArrayBuffer(16));
    await pool.starmap([['write-shared', shared, 7]]);
    expect(shared[0]).toBe(7);
    await pool.close();
  });

  it('function items and op items run beside worker items, all within the pool’s concurrency', async () => {
    const pool = new Pool({ worker: task, concurrency: 2 });
    let peak = 0;
    const [fromWorkers, dets, doubled] = await Promise.all([
      pool.starmap(Array.from({ length: 4 }, (_, i) => ['delayed-echo', i, 10])),
      pool.map(linalg.det, [[[2]], [[3]]]),
      pool.map(async (x: number) => {
        peak = Math.max(peak, pool.stats().running);
        await new Promise((r) => setTimeout(r, 5));
        return 2 * x;
      }, [1, 2, 3]),
    ]);
    expect(fromWorkers).toEqual([0, 1, 2, 3]);
    expect(dets.map((d) => d.item())).toEqual([2, 3]);
    expect(doubled).toEqual([2, 4, 6]);
    expect(peak).toBeLessThanOrEqual(2);
    expect(pool.stats()).toMatchObject({ submitted: 9, completed: 9, running: 0 });
    await pool.close();
  });

  it('close() waits for the items in flight, then ends the workers and refuses new items', async () => {
    const pool = new Pool({ worker: task, concurrency: 2 });
    const pending = pool.starmap([['delayed-echo', 'late', 50]]);
    await pool.close();
    expect(await pending).toEqual(['late']);
    await expect(pool.map(['echo'])).rejects.toMatchObject({ code: 'ERR_WEFT_POOL_CLOSED' });
  });

  it('checks its options and calls', async () => {
    expect(() => new Pool({ worker: 'relative/task.mjs' })).toThrow(/new Pool: expected options\.worker to be/);
    expect(() => new Pool({ workerData: 1 })).toThrow(/new Pool: options\.workerData is for a worker-backed pool, but options\.worker is not given/);
    const pool = new Pool({ worker: task });
    await expect(pool.map(['echo'], { transfer: 'yes' } as never)).rejects.toThrow(/pool\.map: expected options\.transfer to be/);
    await expect(pool.map(['echo'], { args: [1] } as never)).rejects.toThrow(/unknown option "args"/);
    await expect(pool.map(5 as never)).rejects.toThrow(/pool\.map: expected items to be an iterable of items, but received 5/);
    await expect(pool.starmap(['echo'] as never)).rejects.toThrow(/argLists\[0\] to be an array of arguments/);
    // Without a worker module, items alone are not an operation.
    await expect(new Pool().map(['echo'] as never)).rejects.toThrow(/pool\.map: expected op to be a weft operation such as linalg\.qr, or a function/);
    await pool.close();
  });
});
