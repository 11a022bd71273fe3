// Runs one of bench/peers/*.py (numpy, timed inside Python) in a child with
// the pinned oracle numpy on its path, and returns its JSON lines.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * @param env { python, oracleDir, root, config: { minMs, runs } }
 * @param script the file in bench/peers/
 * @param specs what to time, in the script's own spec syntax
 */
export function numpyPeer(env, script, specs) {
  const { python, oracleDir, root, config } = env;
  const np = spawnSync(python, [join(root, 'bench', 'peers', script), String(config.minMs), String(config.runs), ...specs], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: oracleDir, PYTHONNOUSERSITE: '1' },
    maxBuffer: 1 << 24,
  });
  if (np.status !== 0) throw new Error(`${script} failed: ${np.stderr}`);
  return np.stdout.trim().split('\n').map((l) => JSON.parse(l));
}
