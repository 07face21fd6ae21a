import { describe, expect, it } from 'vitest';
import { ArgsError, parseArgs } from '../../src/cli/args.js';

describe('parseArgs', () => {
  it.each([
    [['a.pptx'], { command: 'illustrate', inputs: ['a.pptx'], json: false, force: false, cacheDir: undefined, out: undefined }],
    [
      ['decks', 'more', '-o', 'ill', '--json', '--force', '--cache-dir', 'c'],
      { command: 'illustrate', inputs: ['decks', 'more'], out: 'ill', json: true, force: true, cacheDir: 'c' },
    ],
    [
      ['schedule', '--config', 'p.json', '--once', '--json'],
      { command: 'schedule', config: 'p.json', once: true, json: true, force: false },
    ],
    [['schedule'], { command: 'schedule', once: false, config: undefined }],
    [
      ['cache', '--prune-older-than', '30d', '--cache-dir', 'c'],
      { command: 'cache', pruneOlderThanMs: 30 * 86_400_000, cacheDir: 'c', json: false },
    ],
    [['cache'], { command: 'cache', pruneOlderThanMs: undefined }],
    [['worker', '--threads', '1', '-c', '4'], { command: 'worker', threads: 1, concurrency: 4 }],
    [['worker'], { command: 'worker', threads: undefined }],
    [['a.pptx'], { dryRun: false, maxImages: undefined, yes: false, verbosity: 'normal' }],
    [['a.pptx', '--dry-run', '--max-images', '0', '-y', '-q'], { dryRun: true, maxImages: 0, yes: true, verbosity: 'quiet' }],
    [['a.pptx', '--max-images', '50', '--verbose'], { maxImages: 50, verbosity: 'verbose' }],
    [['init'], { command: 'init', force: false, config: undefined }],
    [['init', '--force', '--config', 'x.json'], { command: 'init', force: true, config: 'x.json' }],
    [['--', '-rf.pptx'], { command: 'illustrate', inputs: ['-rf.pptx'] }],
    [['a.pptx', '--', 'schedule', '--out'], { command: 'illustrate', inputs: ['a.pptx', 'schedule', '--out'], out: undefined }],
    [['a.pptx', '-c', '3', '--timeout', '2.5'], { concurrency: 3, timeout: 2.5 }],
    [
      ['a.pptx'],
      { slides: undefined, reroll: undefined, reprompt: undefined, variants: undefined, style: undefined, imageStyle: undefined },
    ],
    [
      [
        'a.pptx',
        '--slides',
        '3,5-7',
        '--reroll',
        '3',
        '--reprompt',
        '6,5',
        '--variants',
        '3',
        '--style',
        'ink wash',
        '--image-style',
        'line_art',
      ],
      { slides: [3, 5, 6, 7], reroll: [3], reprompt: [5, 6], variants: 3, style: 'ink wash', imageStyle: 'line_art' },
    ],
  ])('%j', async (argv, expected) => {
    const { args } = await parseArgs(argv);
    expect(args).toMatchObject(expected);
  });

  it.each([
    [['cache', '--prune-older-than', 'soon'], /--prune-older-than: expected a duration such as 30d/],
    [['cache', '--once'], /Unknown argument: once/],
    [['schedule', 'deck.pptx'], /Unknown argument: deck\.pptx/],
    [['a.pptx', '--quiet', '--verbose'], /quiet and verbose are mutually exclusive/],
    [['a.pptx', '--max-images', '-1'], /--max-images: expected an integer from 0 to 1000000, got -1/],
    [['a.pptx', '--variants', '6'], /--variants: expected an integer from 1 to 5, got 6/],
    [['a.pptx', '--variants', '0'], /--variants: expected an integer from 1 to 5, got 0/],
    [['a.pptx', '--slides', '7-5'], /--slides: the range 7-5 runs backwards/],
    [['a.pptx', '--reroll', '0'], /--reroll: expected slide numbers from 1 and ranges such as 3,5-7, got "0"/],
    [['a.pptx', '--reprompt', 'three'], /--reprompt: expected slide numbers from 1/],
    [['a.pptx', '--image-style', 'watercolour'], /image-style.*watercolour/],
    [['a.pptx', '--style', ''], /--style needs a value/],
    [['a.pptx', '--slides', '1', '--slides', '2'], /--slides was given 2 times/],
    [['a.pptx', '--max-images', '2.5'], /--max-images: expected an integer from 0 to 1000000, got 2\.5/],
    [['schedule', '--dry-run'], /Unknown argument: dry-run/],
    [['init', 'deck.pptx'], /Unknown argument: deck\.pptx/],
    [['a.pptx', '--out', 'a/', '-o', 'b/'], /^--out was given 2 times \("a\/", "b\/"\); give it once$/],
    [['schedule', '--report', 'a.html', '--report', 'b.html'], /^--report was given 2 times/],
    [['--bogus', 'a.pptx'], /^Unknown argument: bogus$/],
    [['a.pptx', '--concurrency', 'abc'], /^--concurrency: expected an integer from 1 to 64, got "abc"$/],
    [['--json'], /^no deck or folder given/],
    [['a.pptx', '--out'], /^--out needs a value$/],
    [['a.pptx', '--out=', '--json'], /^--out needs a value$/],
    [['a.pptx', '--config', '--json'], /^--config needs a value$/],
    [['schedule', '--cache-dir'], /^--cache-dir needs a value$/],
    [['a.pptx', '--report', ''], /^--report needs a value$/],
  ])('%j is a usage error', async (argv, message) => {
    await expect(parseArgs(argv)).rejects.toThrow(ArgsError);
    await expect(parseArgs(argv)).rejects.toThrow(message);
  });
});
