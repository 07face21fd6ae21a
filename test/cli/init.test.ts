// `slide-illustrate init`: a commented starter config that loads to exactly the defaults.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { defaultConfig } from '../../src/config/schema.js';
import { configKeys } from '../../src/config/starter.js';
import { tempDir } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('slide-illustrate init', () => {
  it('writes pipeline.config.json, which loads to exactly the defaults', async () => {
    const cwd = await tempDir();
    const run = await runCli(['init'], { cwd });
    expect(run).toEqual({
      code: 0,
      stdout: 'wrote pipeline.config.json: every key at its default, each explained in a comment above it\n',
      stderr: '',
    });
    const loaded = await loadConfig({ cwd });
    expect(loaded.file).toBe(path.join(cwd, 'pipeline.config.json'));
    expect(loaded.config).toEqual(defaultConfig());
  });

  it('shows every key of the schema, in order, under its .describe() text', async () => {
    const cwd = await tempDir();
    await runCli(['init'], { cwd });
    const lines = (await readFile(path.join(cwd, 'pipeline.config.json'), 'utf8')).split('\n');
    const keys = configKeys();
    expect(keys.map((k) => k.path.join('.'))).toEqual(
      expect.arrayContaining(['llm.model', 'image.quality', 'pricing.perImage', 'placement']),
    );
    let from = 0;
    for (const key of keys) {
      expect(key.description, key.path.join('.')).not.toBe('');
      const at = lines.findIndex((l, i) => i >= from && new RegExp(`^\\s*(// )?"${escapeRe(key.path.at(-1)!)}": `).test(l));
      expect(at, `${key.path.join('.')} is in the file`).toBeGreaterThan(0);
      // The comment lines right above the key are its description, word for word.
      let top = at;
      while (top > 0 && /^\s*\/\/ (?!")/.test(lines[top - 1]!)) top--;
      expect(
        lines
          .slice(top, at)
          .map((l) => l.replace(/^\s*\/\/ /, ''))
          .join(' '),
        key.path.join('.'),
      ).toBe(key.description);
      expect(lines[at]!.trimStart().startsWith('//'), key.path.join('.')).toBe(key.optional);
      from = at + 1;
    }
  });

  it('a key shown commented out takes effect once uncommented', async () => {
    const cwd = await tempDir();
    await runCli(['init'], { cwd });
    const file = path.join(cwd, 'pipeline.config.json');
    await writeFile(file, (await readFile(file, 'utf8')).replace('// "quality": "standard",', '"quality": "hd",'));
    expect((await loadConfig({ cwd })).config.image.quality).toBe('hd');
  });

  it('refuses to overwrite without --force (exit 2, one line); --force restores the defaults', async () => {
    const cwd = await tempDir();
    const file = path.join(cwd, 'pipeline.config.json');
    await writeFile(file, '{ "rpm": 30 }');
    const refused = await runCli(['init'], { cwd });
    expect(refused).toEqual({
      code: 2,
      stdout: '',
      stderr: 'slide-illustrate: pipeline.config.json already exists; add --force to replace it with the defaults\n',
    });
    expect(await readFile(file, 'utf8')).toBe('{ "rpm": 30 }');
    expect((await runCli(['init', '--force'], { cwd })).code).toBe(0);
    expect((await loadConfig({ cwd })).config).toEqual(defaultConfig());
  });

  it('--config writes another file', async () => {
    const cwd = await tempDir();
    const run = await runCli(['init', '--config', 'team/team.config.json'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^wrote team\/team\.config\.json: /);
    expect((await loadConfig({ cwd, file: 'team/team.config.json' })).config).toEqual(defaultConfig());
  });
});
