/**
 * Every ```ts block of README.md and docs/*.md is type-checked against the source, so no
 * sample can drift from the API. Each block is its own module (top-level await allowed) in one
 * TypeScript program, with 'tfjs-gan' and 'tfjs-gan/node' mapped to src/ as tsconfig.json maps
 * them. A block that goes on from the block before it in the same file says so with
 * `<!-- continues -->` on the line before its fence, and is checked appended to that block. A
 * block that is deliberately partial says so with `<!-- not-checked: reason -->` there; those
 * stay few.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** At most this many blocks may opt out; a sample that cannot be checked is the exception. */
const MAX_UNCHECKED = 4;

interface Sample {
  /** `docs/losses.md:42`: the file and the line of the opening fence. */
  where: string;
  /** The virtual file the block is checked as. */
  fileName: string;
  code: string;
  /** Lines of `code` that come from the blocks this one continues. */
  prefixLines: number;
  /** The reason given in a `not-checked` marker, if any. */
  unchecked?: string;
}

// `export {}` makes every block a module, so top-level await is allowed and blocks never share
// declarations.
const EXPORT = 'export {};\n';
const FENCE = /^```(ts|typescript)\s*$/;
const NOT_CHECKED = /^<!--\s*not-checked:\s*(.+?)\s*-->$/;
const CONTINUES = /^<!--\s*continues\s*-->$/;

/** The ```ts blocks of one Markdown file, with their opt-out markers. */
export function extractSamples(markdown: string, file: string): Sample[] {
  const lines = markdown.split('\n');
  const samples: Sample[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!FENCE.test(lines[i].trim())) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i].trim() !== '```'; i++) body.push(lines[i]);
    let previous = start - 1;
    while (previous >= 0 && lines[previous].trim() === '') previous--;
    const before = previous >= 0 ? lines[previous].trim() : '';
    const line = start + 1;
    const continued = CONTINUES.test(before) ? samples[samples.length - 1] : undefined;
    if (CONTINUES.test(before) && continued === undefined) {
      throw new Error(`${file}:${line}: <!-- continues --> needs a block before it.`);
    }
    const prefix = continued === undefined ? '' : continued.code.replace(EXPORT, '');
    samples.push({
      where: `${file}:${line}`,
      fileName: join(ROOT, '.doc-samples', `${file.replace(/[/.]/g, '_')}_L${line}.ts`),
      code: `${prefix}${body.join('\n')}\n${EXPORT}`,
      prefixLines: prefix === '' ? 0 : prefix.split('\n').length - 1,
      unchecked: NOT_CHECKED.exec(before)?.[1],
    });
  }
  return samples;
}

function documents(): string[] {
  const guides = readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`);
  return ['README.md', ...guides.sort()];
}

function compilerOptions(): ts.CompilerOptions {
  const configPath = join(ROOT, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  return { ...parsed.options, noEmit: true };
}

/** Type-checks all samples in one program; returns the errors of each, by `where`. */
function check(samples: Sample[]): Map<string, string[]> {
  const options = compilerOptions();
  const virtual = new Map(samples.map((s) => [s.fileName, s.code]));
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => virtual.has(name) || fileExists.call(host, name);
  host.readFile = (name) => virtual.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, language, onError, create) => {
    const code = virtual.get(name);
    if (code !== undefined) return ts.createSourceFile(name, code, language, true);
    return getSourceFile.call(host, name, language, onError, create);
  };
  const program = ts.createProgram([...virtual.keys()], options, host);
  const errors = new Map<string, string[]>();
  for (const sample of samples) {
    const file = program.getSourceFile(sample.fileName) as ts.SourceFile;
    const diagnostics = [
      ...program.getSyntacticDiagnostics(file),
      ...program.getSemanticDiagnostics(file),
    ];
    const [docFile, fence] = sample.where.split(':');
    const messages: string[] = [];
    for (const d of diagnostics) {
      // 0-based line in the virtual file; lines of continued blocks are their own tests' errors.
      const line = file.getLineAndCharacterOfPosition(d.start ?? 0).line - sample.prefixLines;
      if (line < 0) continue;
      // +1 for 1-based lines, +1 for the fence line above the block.
      const at = `${docFile}:${Number(fence) + line + 1}`;
      messages.push(`${at}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    }
    errors.set(sample.where, messages);
  }
  return errors;
}

const samples = documents().flatMap((file) =>
  extractSamples(readFileSync(join(ROOT, file), 'utf8'), file),
);
const checked = samples.filter((s) => s.unchecked === undefined);
let results: Map<string, string[]> | undefined;
const errorsOf = (where: string) => {
  results ??= check(checked);
  return results.get(where);
};

describe('code samples in README.md and docs/*.md', () => {
  it('finds the samples, and few opt out of checking', () => {
    expect(checked.length).toBeGreaterThan(10);
    const optedOut = samples.filter((s) => s.unchecked !== undefined).map((s) => s.where);
    expect(optedOut.length, `not-checked blocks: ${optedOut.join(', ')}`).toBeLessThanOrEqual(
      MAX_UNCHECKED,
    );
  });

  it.each(checked.map((s) => [s.where]))('%s type-checks', (where) => {
    expect(errorsOf(where)).toEqual([]);
  });
});

describe('extractSamples', () => {
  it('reads ts blocks, their fence lines and not-checked markers', () => {
    const markdown = [
      '# Title', // line 1
      '```ts', // 2
      'const a = 1;',
      '```',
      '<!-- not-checked: needs a browser -->', // 5
      '',
      '```typescript', // 7
      'document.title;',
      '```',
      '```sh',
      'npm test',
      '```',
      '<!-- continues -->', // 13
      '```ts', // 14
      'const b = a;',
      '```',
    ].join('\n');
    const found = extractSamples(markdown, 'docs/x.md');
    expect(found.map((s) => [s.where, s.unchecked, s.prefixLines])).toEqual([
      ['docs/x.md:2', undefined, 0],
      ['docs/x.md:7', 'needs a browser', 0],
      ['docs/x.md:14', undefined, 1],
    ]);
    expect(found[0].code).toBe('const a = 1;\nexport {};\n');
  });
});
