// `npm run bench --smoke`: the benchmark's plumbing end to end at tiny sizes
// (timings meaningless): the raw-MKL driver builds and runs, every op is
// measured against raw MKL and every peer, the array functions against
// numpy and memory bandwidth, the small-matrix group against numpy,
// ml-matrix, plain JS and its limit, and the outputs are written.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runNode } from './helpers.js';

describe('npm run bench (smoke)', () => {
  it('writes JSON, Markdown and charts covering every op against raw MKL and every peer', () => {
    const out = mkdtempSync(join(tmpdir(), 'weft-bench-'));
    const r = runNode([join(root, 'bench', 'run.mjs'), '--smoke', '--out', out], {}, 300_000);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8'));
    const ops = ['matmul', 'qr', 'svd', 'eigh', 'solve', 'cholesky', 'inv'];
    for (const dtype of ['float64', 'float32']) {
      for (const op of ops) {
        const row = report.limit.find((x: { op: string; dtype: string }) => x.op === op && x.dtype === dtype);
        expect(row, `${op} ${dtype}`).toBeDefined();
        for (const k of ['rawNs', 'syncNs', 'asyncNs']) expect(row[k], `${op} ${dtype} ${k}`).toBeGreaterThan(0);
      }
    }
    for (const op of ops) {
      const row = report.peers.find((x: { op: string }) => x.op === op);
      expect(row.numpyNs, `${op} numpy`).toBeGreaterThan(0);
      expect(row.mlMatrixNs, `${op} ml-matrix`).toBeGreaterThan(0);
    }
    expect(report.peers.find((x: { op: string }) => x.op === 'matmul').stdlibNs).toBeGreaterThan(0);
    expect(report.peers.find((x: { op: string }) => x.op === 'dot').stdlibNs).toBeGreaterThan(0);
    expect(report.numpy.numpy).toBe('2.4.6');
    expect(report.overhead.map((x: { op: string; n: number }) => `${x.op}${x.n}`)).toEqual(['matmul2', 'solve2', 'matmul4', 'solve4', 'matmul8', 'solve8']);
    expect(report.batch.speedup).toBeGreaterThan(0);
    for (const op of ['add', 'multiply', 'where', 'exp', 'log', 'sin', 'tanh', 'sqrt', 'sum axis 0', 'sum axis -1', 'mean axis 0', 'mean axis -1']) {
      const row = report.arrays.find((x: { op: string }) => x.op === op);
      expect(row, op).toBeDefined();
      for (const k of ['syncNs', 'asyncNs', 'numpyNs']) expect(row[k], `${op} ${k}`).toBeGreaterThan(0);
    }
    for (const dtype of ['float64', 'float32']) {
      for (const op of ['matmul', 'solve', 'inv', 'det', 'cholesky', 'qr']) {
        const rows = report.small.stacks.filter((x: { op: string; dtype: string }) => x.op === op && x.dtype === dtype);
        expect(rows.length, `small ${op} ${dtype}`).toBe(3);
        for (const row of rows) for (const k of ['syncNs', 'asyncNs', 'numpyNs', 'limitNs']) expect(row[k], `small ${op} ${dtype} ${k}`).toBeGreaterThan(0);
      }
    }
    expect(report.small.calls.map((x: { op: string; n: number }) => `${x.op}${x.n}`)).toEqual(['matmul2', 'matmul4', 'solve4', 'inv4', 'det4', 'multiDot4']);
    for (const k of ['weftNs', 'plainNs', 'mlMatrixNs', 'numpyNs']) expect(report.small.kalman[k], `Kalman ${k}`).toBeGreaterThan(0);
    expect(report.stream.kernels.length).toBeGreaterThan(0);
    expect(report.stream.weftAddGBs).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'bench.md'), 'utf8')).toContain('| matmul | float64 |');
    expect(readFileSync(join(out, 'bench.md'), 'utf8')).toContain('| add | 10 |');
    expect(readFileSync(join(out, 'bench.md'), 'utf8')).toContain('| matmul | [50,8,8] | float64 |');
    for (const chart of ['limit.svg', 'peers.svg', 'overhead.svg']) expect(readFileSync(join(out, chart), 'utf8').startsWith('<svg')).toBe(true);
  });
});
