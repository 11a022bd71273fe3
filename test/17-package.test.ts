// What `npm pack` puts in the package must hold together on its own: a
// source map that names a file the package lacks sends stack traces (tsx,
// node --enable-source-maps) and editors' go-to-definition nowhere.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './helpers.js';

/** The paths `npm pack` would put in the tarball (without running the prepare script). */
function packedFiles(): string[] {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
}

describe('the packed package', () => {
  it('has every source its source maps name, or the map carries the source itself', () => {
    const files = packedFiles();
    const maps = files.filter((f) => f.endsWith('.map'));
    expect(maps).toContain('dist/errors.js.map');
    expect(maps).toContain('dist/index.d.ts.map');
    const packed = new Set(files);
    const dangling: string[] = [];
    for (const map of maps) {
      const { sources, sourcesContent, sourceRoot = '' } = JSON.parse(readFileSync(join(root, map), 'utf8')) as {
        sources: string[];
        sourcesContent?: (string | null)[];
        sourceRoot?: string;
      };
      sources.forEach((source, i) => {
        if (typeof sourcesContent?.[i] === 'string') return;
        const path = normalize(join(dirname(map), sourceRoot, source));
        if (!packed.has(path)) dangling.push(`${map} -> ${path}`);
      });
    }
    expect(dangling).toEqual([]);
  });
});
