// The API reference is generated from the TSDoc and must be current, and its
// examples must run and say what they claim: a line `expr; // value` whose
// comment is a JS literal is checked (numbers to 1e-9 relative).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { root, runNode } from './helpers.js';

const api = readFileSync(join(root, 'docs', 'api.md'), 'utf8');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

function codeBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((code) => code.includes("from 'weft'"));
}

const CHECK_HELPER = `
const __close = (x, y) => {
  if (typeof y === 'number') return typeof x === 'number' && (x === y || Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y)));
  if (Array.isArray(y)) return Array.isArray(x) && x.length === y.length && y.every((v, i) => __close(x[i], v));
  if (y !== null && typeof y === 'object') {
    // A plain object such as a complex element { re, im }: the same keys, each close.
    const keys = Object.keys(y);
    return x !== null && typeof x === 'object' && Object.keys(x).length === keys.length && keys.every((k) => __close(x[k], y[k]));
  }
  return x === y;
};
const __check = (line, actual, expected) => {
  if (!__close(actual, expected)) throw new Error(line + ' gave ' + JSON.stringify(actual) + ', expected ' + JSON.stringify(expected));
};
`;

/** Turns `expr; // literal` lines into checks; leaves every other line as it is. */
function instrument(code: string): { source: string; checks: number } {
  let checks = 0;
  const lines = code.split('\n').map((line) => {
    const m = /^(\s*)([^/;]+?);\s*\/\/\s*(.+?)\s*$/.exec(line);
    if (!m || /^(const|let|var|import|await Promise)\b/.test(m[2]!.trim())) return line;
    let expected: unknown;
    try {
      expected = new Function(`return (${m[3]});`)();
    } catch {
      return line; // a prose comment, not a value
    }
    if (typeof expected === 'function' || expected === undefined) return line;
    checks++;
    return `${m[1]}__check(${JSON.stringify(m[2]!.trim())}, ${m[2]}, ${JSON.stringify(expected)});`;
  });
  return { source: lines.join('\n'), checks };
}

function runExample(code: string): { status: number | null; stderr: string; checks: number } {
  const { source, checks } = instrument(code);
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const dir = mkdtempSync(join(tmpdir(), 'weft-doc-'));
  const file = join(dir, 'example.mjs');
  const dist = new URL('../dist/index.js', import.meta.url).href;
  writeFileSync(file, CHECK_HELPER + js.replaceAll("from 'weft'", `from '${dist}'`));
  const r = spawnSync(process.execPath, [file], { encoding: 'utf8', cwd: root });
  return { status: r.status, stderr: r.stderr, checks };
}

describe('docs/api.md', () => {
  it('is generated from the current TSDoc, and every export is documented with an example', () => {
    const r = runNode([join(root, 'scripts', 'dev', 'gen-api-docs.mjs'), '--check']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  const examples = codeBlocks(api);
  it('has examples', () => expect(examples.length).toBeGreaterThan(10));

  it.each(examples.map((code, i) => [i, code.split('\n').find((l) => l.includes('linalg.') || l.includes('new NDArray')) ?? code.split('\n')[1], code]))(
    'example %i (%s) runs and its commented values hold',
    (_i, _title, code) => {
      const r = runExample(code as string);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    },
  );

  it('checks values, not just that examples run', () => {
    const total = examples.reduce((n, code) => n + instrument(code).checks, 0);
    expect(total).toBeGreaterThanOrEqual(12);
    expect(runExample("import { linalg } from 'weft';\nlinalg.matmul([[1]], [[2]]).toArray(); // [[3]]").status).not.toBe(0);
  });
});

describe('README tour', () => {
  it('runs', () => {
    const [tour] = codeBlocks(readme);
    expect(tour).toBeDefined();
    const r = runExample(tour!);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
