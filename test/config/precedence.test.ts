// Flags override the config file, which overrides the defaults — through the real flag parser.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs, type IllustrateArgs } from '../../src/cli/args.js';
import { configOverrides } from '../../src/cli/run-context.js';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { tempDir } from '../helpers/paths.js';

type Case = [
  name: string,
  read: (c: Config) => unknown,
  file: object,
  flag: string[],
  defaultValue: unknown,
  fileValue: unknown,
  flagValue: unknown,
];

const CASES: Case[] = [
  ['concurrency.image / --concurrency', (c) => c.concurrency.image, { concurrency: { image: 6 } }, ['--concurrency', '2'], 4, 6, 2],
  ['rpm / --rpm', (c) => c.rpm, { rpm: 30 }, ['--rpm', '12'], 60, 30, 12],
  ['timeoutSeconds / --timeout', (c) => c.timeoutSeconds, { timeoutSeconds: 90 }, ['--timeout', '7.5'], 120, 90, 7.5],
  [
    'cacheDir / --cache-dir',
    (c) => c.cacheDir,
    { cacheDir: 'team-cache' },
    ['--cache-dir', 'mine'],
    '.slide-illustrate-cache',
    'team-cache',
    'mine',
  ],
];

async function configFor(file: object | undefined, flags: string[]): Promise<Config> {
  const cwd = await tempDir();
  if (file) await writeFile(path.join(cwd, 'pipeline.config.json'), JSON.stringify({ ...file, llm: { temperature: 0.2 } }));
  const { args } = await parseArgs(['deck.pptx', ...flags]);
  const { config } = await loadConfig({ cwd, overrides: configOverrides(args as IllustrateArgs) });
  // A key no flag stands for keeps the file's value even when flags are given.
  expect(config.llm.temperature).toBe(file ? 0.2 : 0.7);
  return config;
}

describe('flags > config file > defaults', () => {
  it.each(CASES)('%s', async (_name, read, file, flag, defaultValue, fileValue, flagValue) => {
    expect(read(await configFor(undefined, []))).toBe(defaultValue);
    expect(read(await configFor(file, []))).toBe(fileValue);
    expect(read(await configFor(file, flag))).toBe(flagValue);
    expect(read(await configFor(undefined, flag))).toBe(flagValue);
  });
});
