import { describe, expect, it } from 'vitest';
import { ArgsError, parseArgs } from '../../src/cli/args.js';

describe('parseArgs', () => {
  it.each([
    [['a.pptx'], { command: 'illustrate', inputs: ['a.pptx'], json: false, force: false, cacheDir: undefined, out: undefined }],
    [['decks', 'more', '-o', 'ill', '--json', '--force', '--cache-dir', 'c'], { command: 'illustrate', inputs: ['decks', 'more'], out: 'ill', json: true, force: true, cacheDir: 'c' }],
    [['schedule', '--config', 'p.json', '--once', '--json'], { command: 'schedule', config: 'p.json', once: true, json: true, force: false }],
    [['schedule'], { command: 'schedule', once: false, config: undefined }],
    [['cache', '--prune-older-than', '30d', '--cache-dir', 'c'], { command: 'cache', pruneOlderThanMs: 30 * 86_400_000, cacheDir: 'c', json: false }],
    [['cache'], { command: 'cache', pruneOlderThanMs: undefined }],
  ])('%j', async (argv, expected) => {
    const { args } = await parseArgs(argv);
    expect(args).toMatchObject(expected);
  });

  it.each([
    [['cache', '--prune-older-than', 'soon'], /--prune-older-than: expected a duration such as 30d/],
    [['cache', '--once'], /Unknown argument: once/],
    [['schedule', 'deck.pptx'], /Unknown argument: deck\.pptx/],
  ])('%j is a usage error', async (argv, message) => {
    await expect(parseArgs(argv)).rejects.toThrow(ArgsError);
    await expect(parseArgs(argv)).rejects.toThrow(message);
  });
});
