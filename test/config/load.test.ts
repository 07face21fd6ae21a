// The config file may carry comments and trailing commas (JSON with comments, as `init` writes it).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { tempDir } from '../helpers/paths.js';

async function load(text: string) {
  const cwd = await tempDir();
  await writeFile(path.join(cwd, 'pipeline.config.json'), text);
  return loadConfig({ cwd });
}

describe('loadConfig: JSON with comments', () => {
  it('ignores // and /* */ comments and trailing commas, but not // inside strings', async () => {
    const { config } = await load(`// team settings
{
  /* slower pace
     for the shared account */
  "rpm": 30, // requests per minute
  "outputDir": "https://not-a-comment//out", /* a URL-looking folder name stays whole */
  "llm": { "userPrompt": "Décris /* ceci */ : [TEXTE_DE_LA_SLIDE]", },
}
`);
    expect(config.rpm).toBe(30);
    expect(config.outputDir).toBe('https://not-a-comment//out');
    expect(config.llm.userPrompt).toBe('Décris /* ceci */ : [TEXTE_DE_LA_SLIDE]');
  });

  it('a syntax error still points at its place in the file as written', async () => {
    const text = '// comment before\n{ "rpm": 30 "cacheDir": "c" }';
    const error = await load(text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(new RegExp(`not valid JSON \\(.*position ${text.indexOf('"cacheDir"')}\\)`));
  });

  it('unknown keys are still errors, with comments around them', async () => {
    await expect(load('{\n  // typo below\n  "rmp": 30\n}')).rejects.toThrow('rmp: unknown key');
  });
});
