// Pool items that are the user's own functions (issue 17, item 1): async
// pipelines of weft calls and JS glue, run on the calling thread, whose weft
// calls belong to their item — bounded by the pool's concurrency, limited by
// its mode, aborted with its map, counted once in its stats.
import { describe, expect, it } from 'vitest';
import { NDArray, Pool, PoolItemError, allclose, eye, linalg, random } from '../lib/index.js';
import { runFixture, underAsan } from './helpers.js';

const mats = (count: number, n: number, seed = 0) => Array.from({ length: count }, (_, i) => random.normal([n, n], { seed: seed + i }));
const same = (x: NDArray, y: NDArray) => x.shape.join() === y.shape.join() && x.data.every((v, i) => v === y.data[i]);
const tick = (ms = 1) => new Promise((resolve) => setTimeout(resolve, ms));

describe('function items', () => {
  it('run the seed’s pipeline (qr, then R·Q) and give the direct calls’ values, in input order', async () => {
    const inputs = mats(6, 48);
    const pool = new Pool({ concurrency: 3 });
    const results = await pool.map(async (m, i) => {
      const { Q, R } = await linalg.qrAsync(m);
      return { i, x: await linalg.matmulAsync(R, Q) };
    }, inputs);
    expect(results.map((r) => r.i)).toEqual([0, 1, 2, 3, 4, 5]);
    results.forEach(({ x }, i) => {
      const { Q, R } = linalg.qr(inputs[i]!);
      expect(same(x, linalg.matmul(R, Q))).toBe(true);
    });
    await pool.close();
  });

  it('sync functions, sync weft calls and plain values are items too; starmap spreads, run passes its arguments', async () => {
    const pool = new Pool({ concurrency: 2 });
    expect(await pool.map((x: number, i) => x * 10 + i, [1, 2, 3])).toEqual([10, 21, 32]);
    expect(await pool.map((m: number[][]) => linalg.det(m).item(), [[[2]], [[3]]])).toEqual([2, 3]);
    expect(await pool.starmap((a: number, b: string) => `${b}${a}`, [[1, 'x'], [2, 'y']])).toEqual(['x1', 'y2']);
    expect(await pool.run(async (a: number, b: number) => a + b, 2, 5)).toBe(7);
    expect(await pool.run(Math.sqrt, 16)).toBe(4);
    const seen: string[] = [];
    for await (const r of pool.imap(async (x: number, i) => `${i}:${x}`, [5, 6, 7])) seen.push(r);
    expect(seen).toEqual(['0:5', '1:6', '2:7']);
    expect(await pool.map(async (x: number) => x, [])).toEqual([]);
    await pool.close();
  });

  it('the pool’s concurrency bounds the items in flight, also across awaits, and the rest are counted as queued', async () => {
    const pool = new Pool({ concurrency: 2 });
    let live = 0;
    let peak = 0;
    const pending = pool.map(async (m: NDArray) => {
      live += 1;
      peak = Math.max(peak, live);
      const x = await linalg.invAsync(m);
      await tick();
      const y = linalg.matmul(x, m); // a sync call inside the item
      live -= 1;
      return y;
    }, mats(8, 16));
    // Fed within concurrency + maxQueue: two run, six wait for a slot.
    expect(pool.stats()).toMatchObject({ submitted: 8, running: 2, queued: 6 });
    const results = await pending;
    expect(peak).toBe(2);
    for (const y of results) expect(allclose(y, eye(16), { atol: 1e-10 })).toBe(true);
    // One item, three weft calls: counted once.
    expect(pool.stats()).toMatchObject({ submitted: 8, completed: 8, failed: 0, cancelled: 0, queued: 0, running: 0 });
    expect(pool.stats().busyMs).toBeGreaterThan(0);
    await pool.close();
  });

  it('op items and function items of one pool share its slots', async () => {
    const pool = new Pool({ concurrency: 1 });
    let live = 0;
    let peak = 0;
    const fnItem = async (x: number) => {
      live += 1;
      peak = Math.max(peak, live + pool.stats().running - 1);
      await tick(2);
      live -= 1;
      return x * 2;
    };
    const [dets, doubled] = await Promise.all([pool.map(linalg.det, [[[2]], [[3]], [[4]]]), pool.map(fnItem, [1, 2, 3])]);
    expect(dets.map((d) => d.item())).toEqual([2, 3, 4]);
    expect(doubled).toEqual([2, 4, 6]);
    expect(peak).toBe(1);
    expect(pool.stats()).toMatchObject({ submitted: 6, completed: 6, running: 0, queued: 0 });
    await pool.close();
  });

  it('a failing item rejects the map with its index and cause; its running siblings’ weft calls are aborted', async () => {
    const pool = new Pool({ concurrency: 2 });
    const sawAbort: string[] = [];
    const failing = pool.map(async (m: NDArray, i) => {
      if (i === 1) {
        await tick(5);
        throw new RangeError('bad item');
      }
      try {
        for (let k = 0; k < 50; k++) await linalg.svdAsync(m);
      } catch (err) {
        sawAbort.push((err as Error).name);
        throw err;
      }
      return i;
    }, mats(5, 96));
    const err = await failing.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PoolItemError);
    expect((err as PoolItemError).index).toBe(1);
    expect((err as PoolItemError).cause).toBeInstanceOf(RangeError);
    expect((err as Error).message).toBe('pool.map: item 1 failed: bad item');
    await pool.close(); // waits for item 0 to see its abort
    // Item 0's pending svd rejected with the map's reason: the failure.
    expect(sawAbort).toEqual(['PoolItemError']);
    // Items 2-4 never started: cancelled while they waited for a slot.
    expect(pool.stats()).toMatchObject({ submitted: 5, completed: 0, failed: 1, cancelled: 4, running: 0, queued: 0 });
  });

  it('a synchronous throw and a non-Error rejection are item failures with their index', async () => {
    const pool = new Pool();
    const thrown = await pool.map((x: number) => {
      if (x === 3) throw new TypeError('three');
      return x;
    }, [1, 2, 3]).catch((e: unknown) => e);
    expect(thrown).toMatchObject({ name: 'PoolItemError', index: 2 });
    const rejected = await pool.run(() => Promise.reject('plain')).catch((e: unknown) => e);
    expect(rejected).toBe('plain');
  });

  it('the map’s signal rejects it at once with its reason and aborts the items’ pending weft calls', async () => {
    const pool = new Pool({ concurrency: 1 });
    const controller = new AbortController();
    const seen: string[] = [];
    const started: number[] = [];
    const pending = pool.map(
      async (m: NDArray, i) => {
        started.push(i);
        try {
          for (;;) await linalg.eigAsync(m);
        } catch (err) {
          seen.push((err as Error).message);
          throw err;
        }
      },
      mats(4, 64),
      { signal: controller.signal },
    );
    await tick(20);
    const reason = new Error('enough');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await pool.close();
    expect(started).toEqual([0]);
    expect(seen).toEqual(['enough']); // its pending eig rejected with the signal's reason
    expect(pool.stats()).toMatchObject({ submitted: 4, completed: 0, failed: 0, cancelled: 4, running: 0, queued: 0 });
    // An aborted signal refuses the map before any item starts.
    await expect(pool.map(async (x: number) => x, [1], { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  it('leaving imap early aborts the items not yet started', async () => {
    const pool = new Pool({ concurrency: 1, maxQueue: 1 });
    const started: number[] = [];
    for await (const value of pool.imap(async (x: number) => {
      started.push(x);
      await tick();
      return x;
    }, [0, 1, 2, 3, 4, 5])) {
      if (value === 1) break;
    }
    await pool.close();
    expect(started).toEqual([0, 1, 2]); // item 2 had its slot when the loop left
    expect(pool.stats().completed + pool.stats().cancelled).toBe(pool.stats().submitted);
  });

  it('close() waits for function items, and the weft calls they left running', async () => {
    const pool = new Pool({ concurrency: 2 });
    const order: string[] = [];
    const pending = pool.map(async (m: NDArray, i) => {
      await linalg.svdAsync(m);
      await tick(5);
      order.push(`item ${i}`);
      return i;
    }, mats(3, 128));
    await pool.close();
    order.push('closed');
    expect(order.slice(-1)).toEqual(['closed']);
    expect(order).toHaveLength(4);
    expect(await pending).toEqual([0, 1, 2]);
    await expect(pool.run(async () => 1)).rejects.toMatchObject({ code: 'ERR_WEFT_POOL_CLOSED' });
  });

  it('an item that waits on its own pool is refused (it would wait for its own slot); another pool is fine', async () => {
    const pool = new Pool({ concurrency: 1 });
    const other = new Pool({ concurrency: 1 });
    await expect(pool.run(async () => pool.map(linalg.det, [[[1]]]))).rejects.toMatchObject({ code: 'ERR_WEFT_POOL_REENTERED' });
    await expect(pool.run(async () => pool.run(async () => 1))).rejects.toThrow(
      /pool\.run: called from inside an item of the same pool, which would wait for a slot its own item holds/,
    );
    const nested = await pool.run(async () => (await other.map(linalg.det, [[[2]], [[5]]])).map((d) => d.item()));
    expect(nested).toEqual([2, 5]);
    await Promise.all([pool.close(), other.close()]);
  });

  it('refuses what is neither an operation nor a function, and options a function item does not take', async () => {
    const pool = new Pool();
    await expect(pool.map(42 as never, [1])).rejects.toThrow(
      /pool\.map: expected op to be a weft operation such as linalg\.qr, or a function, but received 42/,
    );
    await expect(pool.map((x: number) => x, 5 as never)).rejects.toThrow(/pool\.map: expected items to be an iterable of items, but received 5/);
    await expect(pool.map((x: number) => x, [1], { args: [1] } as never)).rejects.toThrow(/unknown option "args"/);
    await expect(pool.starmap((x: number) => x, [1] as never)).rejects.toThrow(/argLists\[0\] to be an array of arguments/);
  });

  it('the pool’s mode applies to the weft calls inside its items, sync and async (threads measured in a child process)', () => {
    const r = runFixture('pool-function-threads.mjs');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const kind of ['sync', 'async']) {
      const serial = r.json[`serial-inner ${kind}`];
      const free = r.json[`composable ${kind}`];
      expect(serial.shape).toEqual([2048, 2048]);
      expect(serial.stats).toMatchObject({ submitted: 4, completed: 4, failed: 0 });
      // serial-inner: one thread computed every run; composable: the arena's threads joined in.
      expect(serial.runs, kind).toEqual([1, 1, 1]);
      if (r.json.cores >= 2 && !underAsan) expect(Math.max(...free.runs)).toBeGreaterThanOrEqual(2);
    }
  });
});
