// The help layout's column counter (given to yargs in place of string-width by the bundle).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import textWidth from '../../src/cli/text-width.js';
import { repoRoot } from '../helpers/paths.js';

describe('textWidth', () => {
  it('counts one column per letter, accents and combining marks included', () => {
    expect(textWidth('--concurrency <n>')).toBe(17);
    expect(textWidth('Crée une description détaillée')).toBe(30);
    expect(textWidth('e\u0301te\u0301')).toBe(3); // é as e + combining acute
  });
  it('counts two columns for East Asian wide characters and emoji, none for escapes and controls', () => {
    expect(textWidth('日本語')).toBe(6);
    expect(textWidth('ｆｕｌｌ')).toBe(8);
    expect(textWidth('🎨 art')).toBe(6);
    expect(textWidth('\u001b[1mbold\u001b[22m')).toBe(4);
    expect(textWidth('a\u0007b\u200bc')).toBe(3);
    expect(textWidth('\u001b[1mb\u001b[22m', { countAnsiEscapeCodes: true })).toBeGreaterThan(1);
    expect(textWidth('')).toBe(0);
  });
  it('treats East Asian ambiguous characters as narrow unless asked', () => {
    expect(textWidth('±')).toBe(1);
    expect(textWidth('±', { ambiguousIsNarrow: false })).toBe(2);
  });
  it('is what the bundle gives yargs: no Intl.Segmenter is built while the CLI starts', async () => {
    // Every file the bundle loads statically (import … from, not import()), followed through its chunks.
    const seen = new Map<string, string>();
    const visit = async (file: string): Promise<void> => {
      if (seen.has(file)) return;
      const code = await readFile(file, 'utf8');
      seen.set(file, code);
      for (const m of code.matchAll(/^(?:import|export)\s*(?:[^;'"]*?\s*from\s*)?"(\.\.?\/[^"]+)"/gm))
        await visit(path.resolve(path.dirname(file), m[1]!));
    };
    await visit(path.join(repoRoot, 'dist/cli.bundle.js'));
    expect(seen.size).toBeGreaterThan(3);
    expect([...seen].filter(([, code]) => code.includes('new Intl.Segmenter')).map(([file]) => path.basename(file))).toEqual([]);
    // The progress line's real string-width is still there, loaded only on a terminal.
    const chunks = path.join(repoRoot, 'dist/chunks');
    const all = await Promise.all((await readdir(chunks)).map((n) => readFile(path.join(chunks, n), 'utf8')));
    expect(all.some((code) => code.includes('new Intl.Segmenter'))).toBe(true);
  });
});
