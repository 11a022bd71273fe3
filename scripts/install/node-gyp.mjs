// How weft's scripts run node-gyp: npm's bundled one (or a local one),
// against the headers that ship with this Node, since nothing can be
// downloaded on the machines weft targets. Shared by install.mjs (the npm
// install hook) and build-asan.mjs.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

// node-gyp must use this Node's own headers (include/node beside the binary).
function nodeDir() {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const prefix = dirname(dirname(process.execPath));
  if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) return prefix;
  return undefined; // let node-gyp fall back to its own header cache/download
}

// npm tells lifecycle scripts where its bundled node-gyp is; outside npm,
// look beside this Node's npm, then in node_modules.
function nodeGypScript() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(dirname(process.execPath)), 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ].filter(Boolean);
  try {
    candidates.push(require.resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed locally; the candidates above may still hold it
  }
  return candidates.find((p) => existsSync(p));
}

/** Node's arguments for `node-gyp rebuild` (plus `extra`); throws when node-gyp cannot be found. */
export function nodeGypRebuildArgs(extra = []) {
  const gyp = nodeGypScript();
  if (!gyp) throw new Error('cannot find node-gyp to build the addon from source; run this through npm, or install node-gyp');
  const args = [gyp, 'rebuild', `--jobs=${availableParallelism()}`, ...extra];
  const dir = nodeDir();
  if (dir) args.push(`--nodedir=${dir}`);
  return args;
}
