// What `npm pack` puts in the package must hold together on its own: a
// source map that names a file the package lacks sends stack traces (tsx,
// node --enable-source-maps) and editors' go-to-definition nowhere.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
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

/** lib/'s module graph: every .ts file and the lib/ files it imports (type imports too). */
function libImports(): Map<string, string[]> {
  const lib = join(root, 'lib');
  const files = (readdirSync(lib, { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => f.endsWith('.ts'));
  const graph = new Map<string, string[]>();
  const specifier = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;
  for (const file of files) {
    const text = readFileSync(join(lib, file), 'utf8');
    const deps = [...text.matchAll(specifier)].map((m) => normalize(join(dirname(file), (m[1] ?? m[2])!)).replace(/\.js$/, '.ts'));
    graph.set(normalize(file), deps);
  }
  return graph;
}

describe('lib/', () => {
  it('has no import cycles, type imports included', () => {
    const graph = libImports();
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const dep of graph.get(file) ?? []) visit(dep, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(graph.size).toBeGreaterThan(20);
    expect(cycles).toEqual([]);
  });

  it('keeps the CLI and demo apart: nothing outside lib/cli/ imports them', () => {
    const outside = [...libImports()].filter(([file, deps]) => !file.startsWith('cli/') && deps.some((d) => d.startsWith('cli/')));
    expect(outside).toEqual([]);
  });
});
