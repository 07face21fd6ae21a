// The config file may carry comments and trailing commas (JSON with comments, as `init` writes it).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { cronProblem } from '../../src/config/schema.js';
import { ConfigError } from '../../src/errors.js';
import { illustrate } from '../../src/index.js';
import { mkfifo } from '../helpers/fifo.js';
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

describe('schedule', () => {
  it.each(['0 0 30 2 *', '0 0 31 4 *', '0 0 31 6,9,11 *', '0 0 0 30 2 *'])(
    '%s parses but never fires: refused naming the key',
    async (schedule) => {
      expect(cronProblem(schedule)).toMatch(/never fires/);
      const error = await load(JSON.stringify({ schedule })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        'schedule: not a valid cron expression (it never fires: no date matches it, such as the 30th of February)',
      ]);
    },
  );

  it.each(['0 3 * * *', '0 0 29 2 *', '0 0 31 * *', '0 0 30 2 1'])(
    '%s fires (leap days, the 31st of some months, day of month OR day of week)',
    (schedule) => {
      expect(cronProblem(schedule)).toBeUndefined();
    },
  );

  it('the library refuses it too', async () => {
    await expect(illustrate(['none.pptx'], { config: { schedule: '0 0 30 2 *' } })).rejects.toThrow(
      /schedule: not a valid cron expression \(it never fires/,
    );
  });
});

describe('loadConfig: the file must be a small regular file', () => {
  it('refuses a FIFO at once, and a config over 1 MiB before reading it, in one line naming the file', async () => {
    const cwd = await tempDir();
    const fifo = path.join(cwd, 'fifo.json');
    mkfifo(fifo);
    const big = path.join(cwd, 'big.json');
    // Valid JSON padded past the limit: the old code read and accepted it.
    await writeFile(big, `{}${' '.repeat(2 * 2 ** 20)}`);
    for (const [file, reason] of [
      [fifo, 'is a FIFO (named pipe), not a regular file'],
      [big, 'larger than 1 MiB (2 MiB)'],
    ] as const) {
      const error = await Promise.race([loadConfig({ file, cwd }).catch((e: unknown) => e), sleep(3000).then(() => new Error('blocked'))]);
      expect(error, file).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toBe(`${file}: cannot read config file: ${reason}`);
    }
  });
});
