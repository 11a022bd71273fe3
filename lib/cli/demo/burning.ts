/**
 * The demo's sampled thread metric: the most threads of a process burning
 * CPU at once, read from outside the process (/proc/<pid>/task/<tid>/schedstat,
 * ns on a CPU), so the sampling costs the measured process nothing.
 *
 * @internal
 * @module
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';

/** Each thread of process `pid`: ns it has run on a CPU, and ns it has waited runnable for one (/proc/<pid>/task/<tid>/schedstat). */
function schedNs(pid: number): Map<string, { run: number; wait: number }> {
  const ns = new Map<string, { run: number; wait: number }>();
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    // the process ended
  }
  for (const tid of tids) {
    try {
      const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ');
      ns.set(tid, { run: Number(run), wait: Number(wait) });
    } catch {
      // the thread ended between readdir and read
    }
  }
  return ns;
}

/** Peaks over the sampled windows. */
export interface BurnPeaks {
  /** Most threads that each ran ≥ 50 % of one window (at most 2 × cores can). */
  burning: number;
  /**
   * Most threads that each ran or waited runnable for ≥ 50 % of one window:
   * the threads that wanted a CPU. Oversubscription shows here, not in
   * `burning`: 20 threads spinning on 2 cores each run ~10 % of a window.
   */
  wanting: number;
}

/**
 * Samples process `pid`'s threads every ~20 ms until the returned function
 * is called, which gives the peaks over the windows. Windows are measured,
 * not assumed, so a late timer does not inflate the counts. The sampler
 * runs in another process (the demo's parent), so the measured one pays
 * nothing for it. Undefined without /proc.
 */
export function sampleBurning(pid: number): () => BurnPeaks | undefined {
  if (!existsSync(`/proc/${pid}/task`)) return () => undefined;
  const peaks: BurnPeaks = { burning: 0, wanting: 0 };
  let last = schedNs(pid);
  let lastAt = process.hrtime.bigint();
  const timer = setInterval(() => {
    const now = schedNs(pid);
    const at = process.hrtime.bigint();
    const half = Number(at - lastAt) / 2;
    let burning = 0;
    let wanting = 0;
    for (const [tid, { run, wait }] of now) {
      const before = last.get(tid) ?? { run: 0, wait: 0 };
      if (run - before.run >= half) burning += 1;
      if (run - before.run + wait - before.wait >= half) wanting += 1;
    }
    peaks.burning = Math.max(peaks.burning, burning);
    peaks.wanting = Math.max(peaks.wanting, wanting);
    last = now;
    lastAt = at;
  }, 20);
  return () => {
    clearInterval(timer);
    return peaks;
  };
}
