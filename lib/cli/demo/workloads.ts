/**
 * The demo's workloads: the seed's example (10 × QR 256 through a 10-wide
 * pool), the four of the SciPy 2017 composability paper (Malakhov et al.)
 * — balanced QR, balanced eig, unbalanced QR, unbalanced eig — scaled so a
 * run takes a fraction of a second on 2 cores at scale 1, two of issue
 * 15's, on which a default Pool once lost to plain `Promise.all` (48 eigs
 * of 128, and QRs of mixed tall shapes in one map), and two of issue 17's,
 * whose items are the user's own code: the seed's example as an async
 * pipeline (QR, then R·Q), and real JavaScript (building a feature matrix)
 * followed by a solve.
 *
 * @internal
 * @module
 */
import { availableParallelism } from 'node:os';

/**
 * What one item does. 'qr', 'eig', 'matmul' (a·a): one weft operation.
 * 'qr-rq': the user pipeline `{ Q, R } = qr(a)`, then `R·Q`. 'features-solve':
 * the user's JavaScript builds an n×n feature matrix F from n seeded inputs
 * x (features.ts), then solves F·y = x.
 */
export type ItemOp = 'qr' | 'eig' | 'matmul' | 'qr-rq' | 'features-solve';

/** One stage: `count` independent items of `op` on m×n matrices (n×n unless `m`; an n-vector for 'features-solve'), all submitted at once. */
export interface Stage {
  op: ItemOp;
  n: number;
  /** Rows, when not n (qr only). */
  m?: number;
  count: number;
}

export interface Workload {
  id: string;
  title: string;
  /** The pool's width: items of a stage running at once. */
  width: number;
  /**
   * Stages run one after another (a barrier between them). A list of
   * stages (of one op) in place of one is a single map over all their items.
   */
  stages: (Stage | Stage[])[];
  /** How many times the stages run per timed run (to reach a measurable time). */
  repeat: number;
}

/**
 * `scale` multiplies the work: 'quick' (CI smoke test) uses tiny sizes;
 * 1 is the default demo; larger values (`--full`) grow the matrices.
 */
export function workloads(scale: number | 'quick', only: readonly string[] = [], cpus = availableParallelism()): Workload[] {
  const quick = scale === 'quick';
  const f = quick ? 1 : scale;
  const n = (base: number): number => (quick ? Math.max(8, Math.round(base / 8)) : Math.round(base * f));
  const r = (times: number): number => (quick ? 1 : times);
  const mixedCount = quick ? 4 : 24;
  const all: Workload[] = [
    {
      id: 'seed-qr',
      title: '10 × QR 256, pool of 10 (the seed)',
      width: 10,
      stages: [{ op: 'qr', n: quick ? 32 : 256, count: 10 }],
      repeat: r(12),
    },
    {
      id: 'balanced-qr',
      title: 'balanced QR: 32 equal QRs, pool of 8',
      width: 8,
      stages: [{ op: 'qr', n: n(384), count: 32 }],
      repeat: r(4),
    },
    {
      id: 'balanced-eig',
      title: 'balanced eig: 32 equal eigs, pool of 8',
      width: 8,
      stages: [{ op: 'eig', n: n(160), count: 32 }],
      repeat: r(2),
    },
    {
      id: 'unbalanced-qr',
      title: 'unbalanced QR: 1, then 4, then 8 of 8 workers busy',
      width: 8,
      stages: [
        { op: 'qr', n: n(1024), count: 1 },
        { op: 'qr', n: n(640), count: 4 },
        { op: 'qr', n: n(384), count: 8 },
      ],
      repeat: r(2),
    },
    {
      id: 'unbalanced-eig',
      title: 'unbalanced eig: 2 big matmuls, then 16, then 8 eigs',
      width: 8,
      stages: [
        { op: 'matmul', n: n(1536), count: 2 },
        { op: 'eig', n: n(160), count: 16 },
        { op: 'eig', n: n(160), count: 8 },
      ],
      repeat: r(2),
    },
    {
      id: 'eig-48',
      title: '48 × eig 128, pool of 10',
      width: 10,
      stages: [{ op: 'eig', n: n(128), count: 48 }],
      repeat: r(1),
    },
    {
      id: 'mixed-qr',
      title: 'mixed QR (1200×600, 4 × 600×300, 24 × 200×100), pool of 10',
      width: 10,
      stages: [
        [
          { op: 'qr', m: n(1200), n: n(600), count: 1 },
          { op: 'qr', m: n(600), n: n(300), count: 4 },
          { op: 'qr', m: n(200), n: n(100), count: 24 },
        ],
      ],
      repeat: r(3),
    },
    {
      id: 'pipeline-qr',
      title: '10 × (QR 256, then R·Q) as an async item, pool of 10',
      width: 10,
      stages: [{ op: 'qr-rq', n: quick ? 32 : 256, count: 10 }],
      repeat: r(6),
    },
    {
      id: 'mixed-js',
      title: `${mixedCount} × (JS builds a ${n(512)}² feature matrix, then solve), pool of ${cpus}`,
      width: cpus,
      stages: [{ op: 'features-solve', n: n(512), count: mixedCount }],
      repeat: r(1),
    },
  ];
  return only.length > 0 ? all.filter((w) => only.includes(w.id)) : all;
}

/** The items of one step of a workload: a stage, or stages run as one map. */
export function stageItems(step: Stage | Stage[]): { op: ItemOp; m: number; n: number }[] {
  return (Array.isArray(step) ? step : [step]).flatMap((s) => Array.from({ length: s.count }, () => ({ op: s.op, m: s.m ?? s.n, n: s.n })));
}

/** The demo's modes, in the order the table shows them. */
export const MODES = ['default', 'workers-1', 'promise-all', 'sequential', 'serial-inner', 'static', 'composable'] as const;
export type DemoMode = (typeof MODES)[number];

/** The modes without weft's arena: plain worker_threads calling MKL's OpenMP layer. */
export const BASELINES = ['default', 'workers-1'] as const satisfies readonly DemoMode[];
export const isBaseline = (mode: DemoMode): mode is (typeof BASELINES)[number] => (BASELINES as readonly DemoMode[]).includes(mode);

export const MODE_NOTES: Record<DemoMode, string> = {
  default: 'MKL OpenMP layer; worker_threads call MKL directly (no weft arena): the oversubscribed baseline',
  'workers-1': 'the same worker pool with MKL_NUM_THREADS=1: one thread per worker, no nested teams',
  'promise-all': 'no Pool: Promise.all over the async calls (qrAsync, ...) or the async pipelines, TBB layer',
  sequential: 'weft Pool (default), MKL_THREADING_LAYER=SEQUENTIAL: items single-threaded without the TBB layer',
  'serial-inner': 'weft Pool, items single-threaded (OMP_NUM_THREADS=1 habit)',
  static: 'weft Pool, each item limited to cores/width threads (python -m smp)',
  composable: "weft Pool (default): one TBB arena under the pool and MKL's nested work",
};

/** A deterministic n×n matrix (entries in [-1, 1)), filled in place. */
export function fillMatrix(data: Float64Array, seed: number): void {
  let s = (seed * 2654435761 + 1) >>> 0;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2147483648 - 1;
  }
}
