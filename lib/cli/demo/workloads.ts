/**
 * The demo's workloads: the seed's example (10 × QR 256 through a 10-wide
 * pool) and the four of the SciPy 2017 composability paper (Malakhov et al.)
 * — balanced QR, balanced eig, unbalanced QR, unbalanced eig — scaled so a
 * run takes a fraction of a second on 2 cores at scale 1.
 *
 * @internal
 * @module
 */

/** One stage: `count` independent items of `op` on n×n matrices, all submitted at once. */
export interface Stage {
  op: 'qr' | 'eig' | 'matmul';
  n: number;
  count: number;
}

export interface Workload {
  id: string;
  title: string;
  /** The pool's width: items of a stage running at once. */
  width: number;
  /** Stages run one after another (a barrier between them). */
  stages: Stage[];
  /** How many times the stages run per timed run (to reach a measurable time). */
  repeat: number;
}

/**
 * `scale` multiplies the work: 'quick' (CI smoke test) uses tiny sizes;
 * 1 is the default demo; larger values (`--full`) grow the matrices.
 */
export function workloads(scale: number | 'quick'): Workload[] {
  const quick = scale === 'quick';
  const f = quick ? 1 : scale;
  const n = (base: number): number => (quick ? Math.max(8, Math.round(base / 8)) : Math.round(base * f));
  const r = (times: number): number => (quick ? 1 : times);
  return [
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
  ];
}

/** The demo's modes, in the order the table shows them. */
export const MODES = ['default', 'serial-inner', 'static', 'composable'] as const;
export type DemoMode = (typeof MODES)[number];

export const MODE_NOTES: Record<DemoMode, string> = {
  default: 'MKL OpenMP layer; worker_threads call MKL directly (no weft arena): the oversubscribed baseline',
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
