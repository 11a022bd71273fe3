#!/usr/bin/env node
// Renders docs/api.md from the TSDoc of every public export of lib/index.ts,
// so the reference can never drift from the code.
//
// Usage: node scripts/dev/gen-api-docs.mjs          write docs/api.md
//        node scripts/dev/gen-api-docs.mjs --check  exit 1 if docs/api.md is stale, or
//                                               an export lacks a doc comment or an example
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = join(root, 'lib', 'index.ts');
const target = join(root, 'docs', 'api.md');

const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
const program = ts.createProgram([entry], config.options);
const checker = program.getTypeChecker();
const problems = [];

const text = (parts) => ts.displayPartsToString(parts).trim();
const resolve = (symbol) => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);

function docOf(symbol, declaration) {
  const comment = text(symbol.getDocumentationComment(checker));
  const tags = (declaration ? ts.getJSDocTags(declaration) : []).map((tag) => ({
    name: tag.tagName.text,
    text: typeof tag.comment === 'string' ? tag.comment : ts.getTextOfJSDocComment(tag.comment) ?? '',
    param: ts.isJSDocParameterTag(tag) ? tag.name.getText() : undefined,
  }));
  return { comment, tags };
}

function renderTags(tags) {
  const out = [];
  const params = tags.filter((t) => t.name === 'param');
  if (params.length) out.push(params.map((p) => `- \`${p.param}\`: ${p.text.replace(/^- /, '')}`).join('\n'));
  for (const t of tags.filter((t) => t.name === 'returns')) out.push(`**Returns** ${t.text}`);
  for (const t of tags.filter((t) => t.name === 'throws')) out.push(`**Throws** ${t.text}`);
  for (const t of tags.filter((t) => t.name === 'example')) out.push(`**Example**\n\n${t.text.trim()}`);
  return out;
}

function requireDocs(name, doc, needExample) {
  if (!doc.comment) problems.push(`${name}: no doc comment`);
  if (needExample && !doc.tags.some((t) => t.name === 'example')) problems.push(`${name}: no @example`);
}

function signatureText(declaration) {
  const printer = ts.createPrinter({ removeComments: true });
  const clone = ts.isFunctionDeclaration(declaration)
    ? ts.factory.updateFunctionDeclaration(
        declaration,
        declaration.modifiers?.filter((m) => m.kind !== ts.SyntaxKind.ExportKeyword && m.kind !== ts.SyntaxKind.AsyncKeyword),
        declaration.asteriskToken,
        declaration.name,
        declaration.typeParameters,
        declaration.parameters,
        declaration.type,
        undefined,
      )
    : declaration;
  return printer.printNode(ts.EmitHint.Unspecified, clone, declaration.getSourceFile()).replace(/;$/, '');
}

function renderFunction(qualified, symbol) {
  const declarations = symbol.declarations.filter(ts.isFunctionDeclaration);
  // Overloads carry the user-facing signatures; the implementation's doc carries the text.
  const documented = declarations.find((d) => ts.getJSDocCommentsAndTags(d).length) ?? declarations[0];
  const overloads = declarations.length > 1 ? declarations.filter((d) => !d.body) : declarations;
  const doc = docOf(symbol, documented);
  requireDocs(qualified, doc, true);
  const lines = [`### ${qualified}()`, '', '```ts', ...overloads.map((d) => signatureText(d).replace(/^function /, `function ${qualified.includes('.') ? qualified.split('.')[0] + '.' : ''}`)), '```', '', doc.comment];
  return [...lines, '', ...renderTags(doc.tags).flatMap((t) => [t, ''])].join('\n');
}

// ------------------------------------------------------------ ops (lib/internal/registry.ts)

/** The call `defineOp(...)` or `asyncOf(...)` that initialises an op's export, seen through an `as` cast. */
function opOf(symbol) {
  const declaration = symbol.valueDeclaration;
  let init = declaration && ts.isVariableDeclaration(declaration) ? declaration.initializer : undefined;
  while (init && (ts.isAsExpression(init) || ts.isParenthesizedExpression(init))) init = init.expression;
  if (!init || !ts.isCallExpression(init) || !ts.isIdentifier(init.expression)) return undefined;
  return { defineOp: 'op', asyncOf: 'twin' }[init.expression.text];
}

/** A signature's parameter names, a rest parameter of tuple type (`...args: [a: X, b: Y]`) spread into its labels. */
function parameterNames(sig) {
  const params = sig.getParameters();
  const last = params.at(-1);
  const labels = last && checker.getTypeOfSymbol(last).target?.labeledElementDeclarations;
  if (last?.valueDeclaration?.dotDotDotToken && labels) return [...params.slice(0, -1).map((p) => p.name), ...labels.map((l) => l.name.getText())];
  return params.map((p) => p.name);
}

const signatures = (symbol) => {
  const type = checker.getTypeOfSymbolAtLocation(symbol, symbol.valueDeclaration);
  return type
    .getCallSignatures()
    .map((sig) => checker.signatureToString(sig, symbol.valueDeclaration, ts.TypeFormatFlags.NoTruncation))
    .map((s) => s.replace(/import\("[^"]*"\)\./g, '').replace(/ \| undefined(?=[,)])/g, ''));
};

/**
 * An op: its one doc comment and signatures, then its async twin's
 * signatures (the twin has no doc of its own: one declaration per op).
 */
function renderOp(namespace, member, symbol, moduleSymbol) {
  const qualified = namespace ? `${namespace}.${member}` : member;
  const declaration = symbol.valueDeclaration;
  const statement = declaration.parent.parent; // VariableDeclaration → List → Statement, where the doc sits
  const doc = docOf(symbol, statement);
  requireDocs(qualified, doc, true);
  const twin = checker.getExportsOfModule(moduleSymbol).find((s) => s.name === `${member}Async`);
  if (!twin || opOf(resolve(twin)) !== 'twin') problems.push(`${qualified}: no async twin exported as ${member}Async = asyncOf(${member})`);
  const lines = ['### ' + qualified + '()', '', '```ts', ...signatures(symbol).map((s) => `function ${qualified}${s}`), '```', '', doc.comment, ''];
  lines.push(...renderTags(doc.tags).flatMap((t) => [t, '']));
  if (twin) {
    // defineOp's { options: true }: the twin's options are the op's own, plus the async ones.
    const takesOptions = /\boptions:\s*true\b/.test(declaration.initializer.getText());
    // ...which must agree with the program: its last parameter is `options` exactly then.
    const type = checker.getTypeOfSymbolAtLocation(symbol, declaration);
    const lastIsOptions = type.getCallSignatures().every((sig) => parameterNames(sig).at(-1) === 'options');
    if (lastIsOptions !== takesOptions) {
      problems.push(`${qualified}: its last parameter ${lastIsOptions ? 'is' : 'is not'} \`options\`, but defineOp is ${takesOptions ? '' : 'not '}told { options: true }`);
    }
    const where = takesOptions
      ? 'its options (the last argument) also take `signal` and `threads`'
      : 'it takes one more argument, `{ signal, threads }`';
    lines.push(
      `**Async** \`${qualified}Async\` returns a Promise of the same result (its native work queued on the shared arena); ${where} (see \`AsyncOptions\`).`,
      '',
      '```ts',
      ...signatures(resolve(twin)).map((s) => `function ${qualified}Async${s}`),
      '```',
      '',
    );
  }
  return lines.join('\n');
}

const fromLib = (declaration) => declaration.getSourceFile().fileName.startsWith(join(root, 'lib'));

// One bullet per documented property; object-literal types nest their own.
function renderMembers(type, owner, depth = 0) {
  const out = [];
  const indent = '  '.repeat(depth);
  for (const member of type.getProperties()) {
    const declaration = member.valueDeclaration ?? member.declarations?.[0];
    if (!declaration || !fromLib(declaration) || ts.isMethodDeclaration(declaration)) continue;
    if (declaration.name && ts.isPrivateIdentifier(declaration.name)) continue;
    if (ts.getCombinedModifierFlags(declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
    if (member.getJsDocTags(checker).some((t) => t.name === 'internal')) continue;
    const doc = docOf(member, declaration);
    if (!doc.comment) problems.push(`${owner}.${member.name}: no doc comment`);
    const memberType = checker.getTypeOfSymbolAtLocation(member, declaration);
    const literal = declaration.type && ts.isTypeLiteralNode(declaration.type);
    const typeText = literal ? 'object' : checker.typeToString(memberType, undefined, ts.TypeFormatFlags.NoTruncation);
    out.push(`${indent}- \`${member.name}\`: \`${typeText}\`${doc.comment ? ` — ${doc.comment.replace(/\n+/g, ' ')}` : ''}`);
    if (literal) out.push(...renderMembers(memberType, `${owner}.${member.name}`, depth + 1));
  }
  return out;
}

function renderClass(name, symbol) {
  const declaration = symbol.declarations.find(ts.isClassDeclaration);
  const doc = docOf(symbol, declaration);
  requireDocs(name, doc, true);
  const instance = checker.getDeclaredTypeOfSymbol(symbol);
  const lines = [`### class ${name}`, '', doc.comment, '', ...renderTags(doc.tags).flatMap((t) => [t, ''])];
  const ctor = declaration.members.find(ts.isConstructorDeclaration);
  if (ctor) {
    const params = ctor.parameters.map((p) => p.getText()).join(', ');
    lines.push('```ts', `new ${name}(${params})`, '```', '', text(checker.getSignatureFromDeclaration(ctor).getDocumentationComment(checker)), '');
    lines.push(...renderTags(ts.getJSDocTags(ctor).map((tag) => ({ name: tag.tagName.text, text: ts.getTextOfJSDocComment(tag.comment) ?? '', param: ts.isJSDocParameterTag(tag) ? tag.name.getText() : undefined }))).flatMap((t) => [t, '']));
  }
  lines.push('Members:', '', ...renderMembers(instance, name), '');
  for (const member of instance.getProperties()) {
    const declaration = member.valueDeclaration;
    if (!declaration || !ts.isMethodDeclaration(declaration) || ts.isComputedPropertyName(declaration.name)) continue;
    if (ts.isPrivateIdentifier(declaration.name)) continue;
    if (member.getJsDocTags(checker).some((t) => t.name === 'internal')) continue;
    const doc = docOf(member, declaration);
    requireDocs(`${name}.${member.name}`, doc, true);
    lines.push(`#### ${name}.prototype.${member.name}()`, '', doc.comment, '', ...renderTags(doc.tags).flatMap((t) => [t, '']));
  }
  return lines.join('\n');
}

function renderInterface(name, symbol) {
  const declaration = symbol.declarations[0];
  const doc = docOf(symbol, declaration);
  requireDocs(name, doc, false);
  if (ts.isTypeAliasDeclaration(declaration)) {
    return [`### type ${name}`, '', '```ts', `type ${name} = ${declaration.type.getText()}`, '```', '', doc.comment, ''].join('\n');
  }
  return [`### interface ${name}`, '', doc.comment, '', ...renderMembers(checker.getDeclaredTypeOfSymbol(symbol), name), ''].join('\n');
}

function render() {
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry));
  const sections = { namespaces: [], classes: [], functions: [], types: [], topLevelOps: new Map() };
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = resolve(exported);
    const name = exported.name;
    if (symbol.flags & ts.SymbolFlags.ValueModule) {
      const file = symbol.declarations[0];
      const moduleDoc = ts.getJSDocCommentsAndTags(file.statements[0] ?? file)[0];
      const summary = moduleDoc && ts.isJSDoc(moduleDoc) ? ts.getTextOfJSDocComment(moduleDoc.comment) ?? '' : '';
      const body = [`## ${name}`, '', summary, ''];
      for (const member of checker.getExportsOfModule(symbol)) {
        const resolved = resolve(member);
        if (resolved.flags & ts.SymbolFlags.Function) body.push(renderFunction(`${name}.${member.name}`, resolved));
        else if (resolved.flags & ts.SymbolFlags.Variable) {
          const op = opOf(resolved);
          if (op === 'twin') continue; // rendered with its sync op
          if (op === 'op') body.push(renderOp(name, member.name, resolved, symbol));
          else problems.push(`${name}.${member.name}: a value export that is not an op (defineOp) or its twin (asyncOf)`);
        }
      }
      sections.namespaces.push(body.join('\n'));
    } else if (symbol.flags & ts.SymbolFlags.Class) {
      sections.classes.push(renderClass(name, symbol));
    } else if (symbol.flags & ts.SymbolFlags.Function) {
      sections.functions.push(renderFunction(name, symbol));
    } else if (symbol.flags & ts.SymbolFlags.Variable) {
      // Top-level ops ('zeros'): grouped by the module that defines them, under its doc.
      const op = opOf(symbol);
      if (op === 'twin') continue;
      if (op !== 'op') {
        problems.push(`${name}: a value export that is not an op (defineOp) or its twin (asyncOf)`);
        continue;
      }
      const file = symbol.valueDeclaration.getSourceFile();
      if (!sections.topLevelOps.has(file)) sections.topLevelOps.set(file, []);
      sections.topLevelOps.get(file).push(renderOp('', name, symbol, moduleSymbol));
    } else if (symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) {
      sections.types.push(renderInterface(name, symbol));
    }
  }
  return [
    '# weft API reference',
    '',
    '<!-- Generated by scripts/dev/gen-api-docs.mjs from the TSDoc in lib/. Edit the source, then run `npm run docs`. -->',
    '',
    '```ts',
    "import { linalg, threading, NDArray, array, zeros, LinAlgError } from 'weft';",
    '```',
    '',
    ...sections.namespaces,
    ...[...sections.topLevelOps].flatMap(([file, ops]) => {
      const moduleDoc = ts.getJSDocCommentsAndTags(file.statements[0] ?? file)[0];
      const summary = moduleDoc && ts.isJSDoc(moduleDoc) ? ts.getTextOfJSDocComment(moduleDoc.comment) ?? '' : '';
      const title = file.fileName.split('/').pop().replace(/\.ts$/, '');
      return [`## ${title[0].toUpperCase()}${title.slice(1)}`, '', summary, '', ...ops];
    }),
    '## Arrays and errors',
    '',
    ...sections.classes,
    ...sections.functions,
    '## Types',
    '',
    ...sections.types,
  ]
    .join('\n')
    .replace(/\{@link ([^}]+)\}/g, '`$1`')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()
    .concat('\n');
}

const markdown = render();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing counts as stale
  }
  if (current !== markdown) problems.push('docs/api.md is stale: run `npm run docs`');
  if (problems.length) {
    process.stderr.write(`${problems.join('\n')}\n`);
    process.exit(1);
  }
} else {
  writeFileSync(target, markdown);
  if (problems.length) process.stderr.write(`warning:\n${problems.join('\n')}\n`);
}
