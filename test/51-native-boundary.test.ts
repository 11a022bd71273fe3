// "Validate twice": the addon re-checks every geometry lib/ hands it against
// the typed array's real length, so a bug (or a bypass) in lib/ can never
// make native code read outside a buffer. These call the private binding
// directly with geometry lib/ would have refused.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { linalg } from '../lib/index.js';
import { native, writeGeometry } from '../lib/internal/native.js';
import { root, runNode } from './helpers.js';

type Geometry = { shape: number[]; strides: number[]; offset: number };
const g = (shape: number[], strides: number[], offset = 0): Geometry => ({ shape, strides, offset });

function matmul(a: Float64Array | Float32Array, ga: Geometry, b: Float64Array, gb: Geometry, async = false): unknown {
  writeGeometry({ data: a, ...ga }, { data: b, ...gb });
  return native.matmul(async, undefined, undefined, 0, a, b);
}

describe('native re-checks', () => {
  const ok = g([2, 2], [2, 1]);
  const four = new Float64Array(4);

  it('a view reaching past the end of its data', () => {
    expect(() => matmul(four, g([2, 2], [2, 1], 1), four, ok)).toThrow(
      new RangeError("linalg.matmul: a's shape, strides and offset reach elements 1 to 4, outside its data (length 4)"),
    );
    expect(() => matmul(four, ok, four, g([2, 2], [3, 1]))).toThrow(/b's shape, strides and offset reach elements 0 to 4/);
  });

  it('a view reaching before the start of its data (negative strides)', () => {
    expect(() => matmul(four, g([2, 2], [-2, 1], 1), four, ok)).toThrow(/reach elements -1 to 2/);
  });

  it('strides whose products would overflow 64 bits', () => {
    expect(() => matmul(four, g([2, 2], [2 ** 52, 1]), four, ok)).toThrow(RangeError);
    expect(() => matmul(four, g([2, 2], [2 ** 60, 1]), four, ok)).toThrow(/strides\[0\] must be an integer/);
  });

  it('non-integer, negative and oversized dimensions and offsets', () => {
    expect(() => matmul(four, g([2, 1.5], [2, 1]), four, ok)).toThrow(/shape\[1\] must be an integer/);
    expect(() => matmul(four, g([-1, 2], [2, 1]), four, ok)).toThrow(/shape\[0\] must be an integer/);
    expect(() => matmul(four, g([2 ** 31, 2], [2, 1]), four, ok)).toThrow(/shape\[0\] must be an integer from 0 to 2147483647/);
    expect(() => matmul(four, g([2, 2], [2, 1], -1), four, ok)).toThrow(/offset must be a non-negative integer/);
    expect(() => matmul(four, g([2, 2], [2, 1], Number.NaN), four, ok)).toThrow(/offset/);
  });

  it('wrong element types and non-arrays', () => {
    expect(() => matmul(new Int32Array(4) as never, ok, four, ok)).toThrow(
      new TypeError('linalg.matmul: a.data must be a Float64Array or Float32Array'),
    );
    expect(() => matmul({} as never, ok, four, ok)).toThrow(TypeError);
  });

  it('mismatched inner dimensions and non-matrices', () => {
    expect(() => matmul(new Float64Array(6), g([2, 3], [3, 1]), four, ok)).toThrow(
      new RangeError('linalg.matmul: a has 3 columns but b has 2 rows'),
    );
    expect(() => matmul(four, g([4], [1]), four, ok)).toThrow(/a must have at least 2 axes, got 1/);
  });

  it('bad qr mode codes', () => {
    writeGeometry({ data: four, ...ok });
    expect(() => native.qr(false, undefined, undefined, 0, four, 7)).toThrow(new TypeError('linalg.qr: mode code must be 0 to 3'));
  });

  it('the call context in the leading slots', () => {
    const a = new Float64Array([1, 2, 3, 4]);
    const call = (threads: number, pool?: ReturnType<typeof native.newPool>): unknown => {
      writeGeometry({ data: a, ...ok }, { data: a, ...ok });
      return native.matmul(false, undefined, pool, threads, a, a);
    };
    expect(() => call(4097)).toThrow(new RangeError('linalg.matmul: threads must be 0 to 4096'));
    expect(() => call(-1)).toThrow(RangeError);
    expect(() => call(0, native.newPool(1, 'composable'))).toThrow(new TypeError('linalg.matmul: a pool runs async calls only'));
    expect(() => native.matmul(false, native.newPool(1, 'composable') as never, undefined, 0, a, a)).toThrow(
      new TypeError('weft: not a cancel token'),
    );
    expect(Array.from(call(2) as Float64Array)).toEqual([7, 10, 15, 22]);
  });

  it('numeric parameters must be numbers', () => {
    writeGeometry({ data: four, ...ok }, { data: four, ...ok });
    expect(() => native.lstsq(false, undefined, undefined, 0, four, four, '1' as never)).toThrow(
      new TypeError('linalg.lstsq: rcond must be a number'),
    );
  });

  it('the same checks guard the async path, before anything is queued', () => {
    expect(() => matmul(four, g([2, 2], [2, 1], 1), four, ok, true)).toThrow(RangeError);
  });

  it('an empty view touches nothing, whatever its strides and offset say', async () => {
    // Empty views reach no element, so they are not bounds-checked: every op
    // must read nothing of them. (A reduction over three axes with an empty
    // middle one used to read a row anyway: a segfault with these strides.)
    const wild = { data: new Float64Array(4), shape: [2, 0, 3], strides: [1e9, 1, 1e9], offset: 0 };
    expect(linalg.norm(wild).item()).toBe(0);
    expect((await linalg.normAsync(wild)).item()).toBe(0);
    expect(linalg.norm(wild, { axis: [1, 2] }).toArray()).toEqual([0, 0]);
    expect(linalg.matrixRank({ ...wild, shape: [0, 2, 2] }).shape).toEqual([0]);
    const flat = { ...wild, strides: [1e9, 1e9] };
    expect(linalg.matmul({ ...flat, shape: [2, 0] }, { ...flat, shape: [0, 3] }).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
  });

  it('and a valid call through the same door works', () => {
    const a = new Float64Array([1, 2, 3, 4]);
    const c = matmul(a, ok, a, ok) as Float64Array;
    expect(Array.from(c)).toEqual([7, 10, 15, 22]);
  });
});

describe('the codes that cross the boundary', () => {
  it('native/codes.h is generated from lib/internal/codes.ts and current', () => {
    const r = runNode([join(root, 'scripts', 'dev', 'gen-codes.mjs'), '--check']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('the export table', () => {
  /**
   * lib/internal/native.ts's Binding type: each method's parameters by name,
   * and whether it is optional. An op's `...args: [...call: Call, a: Data, ...]`
   * is read as the names in its tuple, `...call` spelled out as the names of
   * the Call tuple: what native/addon.cc writes for it.
   */
  function bindingType(): Map<string, { signature: string; optional: boolean }> {
    const file = join(root, 'lib', 'internal', 'native.ts');
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const binding = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'Binding');
    const aliases = new Map(
      source.statements.filter((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s)).map((s) => [s.name.text, s.type]),
    );
    const names = (tuple: ts.TupleTypeNode): string[] =>
      tuple.elements.flatMap((element) => {
        if (!ts.isNamedTupleMember(element)) throw new Error(`unnamed tuple element: ${element.getText(source)}`);
        if (element.dotDotDotToken === undefined) return [element.name.text];
        const spread = ts.isTypeReferenceNode(element.type) ? aliases.get(element.type.typeName.getText(source)) : element.type;
        if (spread === undefined || !ts.isTupleTypeNode(spread)) throw new Error(`not a tuple: ${element.getText(source)}`);
        return names(spread);
      });
    const methods = new Map<string, { signature: string; optional: boolean }>();
    for (const member of binding!.members) {
      if (!ts.isMethodSignature(member)) continue;
      const params = member.parameters.flatMap((p) =>
        p.dotDotDotToken && p.type && ts.isTupleTypeNode(p.type) ? names(p.type) : [`${p.dotDotDotToken ? '...' : ''}${p.name.getText(source)}`],
      );
      methods.set(member.name.getText(source), { signature: params.join(', '), optional: member.questionToken !== undefined });
    }
    return methods;
  }

  it('exports exactly what the Binding type declares, parameter for parameter', () => {
    const declared = bindingType();
    const exported = new Map(native.exportTable().map((e) => [e.name, e.signature]));
    expect(declared.size).toBeGreaterThan(25);
    for (const [name, signature] of exported) expect({ name, signature }).toEqual({ name, signature: declared.get(name)?.signature });
    for (const [name, { optional }] of declared) if (!optional) expect(exported.has(name), name).toBe(true);
    // ...and every export is a function of the binding.
    for (const name of exported.keys()) expect(typeof (native as unknown as Record<string, unknown>)[name], name).toBe('function');
  });
});
