// Stacked small matrices: weft sync against numpy (one python child, same
// shapes, same inputs' kind), medians. `node bench/stacked-dev.mjs [reps] [ops]`
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { NDArray, linalg } from '../dist/index.js';

const reps = Number(process.argv[2] ?? 15);
const only = process.argv[3] ? process.argv[3].split(',') : null;
const shapes = [[20000, 8], [10000, 4], [500, 64]];
const ops = ['matmul', 'solve', 'inv', 'det', 'slogdet', 'cholesky', 'qr'].filter((o) => !only || only.includes(o));

function inputs(count, n, Typed) {
  // Diagonally dominant (well conditioned) and symmetric positive definite.
  const a = new Typed(count * n * n), spd = new Typed(count * n * n), b = new Typed(count * n * n);
  for (let i = 0; i < count; ++i) {
    for (let r = 0; r < n; ++r) {
      for (let c = 0; c < n; ++c) {
        const at = i * n * n + r * n + c;
        a[at] = Math.sin(at * 0.7) + (r === c ? n : 0);
        spd[at] = Math.cos((r - c) * 0.3) / (1 + Math.abs(r - c)) + (r === c ? n : 0);
        b[at] = Math.cos(at * 0.3);
      }
    }
  }
  return { a: new NDArray(a, [count, n, n]), spd: new NDArray(spd, [count, n, n]), b: new NDArray(b, [count, n, n]) };
}

const median = (xs) => xs.sort((x, y) => x - y)[xs.length >> 1];
// Medians of wall time and of CPU time (all threads): on a shared, loaded
// machine the CPU time is the steadier measure of the work done.
function time(fn) {
  fn();
  const t = [], u = [];
  for (let r = 0; r < reps; ++r) {
    const c = process.cpuUsage();
    const s = process.hrtime.bigint();
    fn();
    t.push(Number(process.hrtime.bigint() - s) / 1e6);
    const d = process.cpuUsage(c);
    u.push((d.user + d.system) / 1e3);
  }
  return [median(t), median(u)];
}

const calls = {
  matmul: (x) => linalg.matmul(x.a, x.b),
  solve: (x) => linalg.solve(x.a, x.b),
  inv: (x) => linalg.inv(x.a),
  det: (x) => linalg.det(x.a),
  slogdet: (x) => linalg.slogdet(x.a),
  cholesky: (x) => linalg.cholesky(x.spd),
  qr: (x) => linalg.qr(x.a),
};

const py = `
import sys, time, numpy as np
reps = ${reps}
def med(f):
    f(); t = []; u = []
    for _ in range(reps):
        c = time.process_time(); s = time.perf_counter(); f()
        t.append((time.perf_counter() - s) * 1e3); u.append((time.process_time() - c) * 1e3)
    t.sort(); u.sort(); return f'{t[len(t) // 2]} {u[len(u) // 2]}'
for count, n in ${JSON.stringify(shapes)}:
    for dt in ['float64', 'float32']:
        idx = np.arange(count * n * n).reshape(count, n, n)
        r = np.arange(n)[:, None]; c = np.arange(n)[None, :]
        a = (np.sin(idx * 0.7) + np.where(r == c, n, 0)).astype(dt)
        spd = np.broadcast_to((np.cos((r - c) * 0.3) / (1 + np.abs(r - c)) + np.where(r == c, n, 0)), (count, n, n)).astype(dt)
        b = np.cos(idx * 0.3).astype(dt)
        fs = dict(matmul=lambda: a @ b, solve=lambda: np.linalg.solve(a, b), inv=lambda: np.linalg.inv(a), det=lambda: np.linalg.det(a),
                  slogdet=lambda: np.linalg.slogdet(a), cholesky=lambda: np.linalg.cholesky(spd), qr=lambda: np.linalg.qr(a))
        for op in ${JSON.stringify(ops)}:
            print(count, n, dt, op, med(fs[op]))
`;
const np = spawnSync('python3', ['-c', py], { env: { ...process.env, PYTHONPATH: '/work/main/.deps/oracle', OMP_NUM_THREADS: '1' }, encoding: 'utf8' });
if (np.status !== 0) throw new Error(np.stderr);
const numpy = new Map(np.stdout.trim().split('\n').map((l) => { const f = l.split(' '); return [f.slice(0, 4).join(' '), [Number(f[4]), Number(f[5])]]; }));

console.log(`CPU: ${cpus()[0].model} ×${cpus().length}; medians of ${reps}`);
for (const [Typed, dt] of [[Float64Array, 'float64'], [Float32Array, 'float32']]) {
  console.log(`\n| ${dt} | op | weft wall ms | numpy wall ms | numpy/weft wall | weft CPU ms | numpy CPU ms | numpy CPU/weft CPU |\n|---|---|---|---|---|---|---|---|`);
  for (const [count, n] of shapes) {
    const x = inputs(count, n, Typed);
    for (const op of ops) {
      const [w, wc] = time(() => calls[op](x));
      const [p, pc] = numpy.get(`${count} ${n} ${dt} ${op}`);
      const f = (v) => v.toFixed(2);
      console.log(`| [${count},${n},${n}] | ${op} | ${f(w)} | ${f(p)} | ${f(p / w)}× | ${f(wc)} | ${f(pc)} | ${f(pc / wc)}× |`);
    }
  }
}
