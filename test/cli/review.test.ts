// `slide-illustrate review`: its flags, and the problems that stop it before anything is served
// (exit 2, one line, no URL). The page itself is driven in test/review/review-browser.test.ts.
import { copyFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { ArgsError, parseArgs } from '../../src/cli/args.js';
import { tempDir } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';

describe('parseArgs: review', () => {
  it.each([
    [['review', 'talk.pptx'], { command: 'review', deck: 'talk.pptx', open: true, port: undefined, maxImages: undefined, out: undefined }],
    [
      [
        'review',
        'talk.pptx',
        '--no-open',
        '--port',
        '8123',
        '--max-images',
        '3',
        '--variants',
        '2',
        '-o',
        'x.pptx',
        '--provider',
        'offline',
      ],
      { command: 'review', deck: 'talk.pptx', open: false, port: 8123, maxImages: 3, variants: 2, out: 'x.pptx', provider: 'offline' },
    ],
    [['review', 'talk.pptx', '--port', '0'], { port: 0 }],
  ])('%j', async (argv, expected) => {
    expect((await parseArgs(argv)).args).toMatchObject(expected);
  });

  it.each([
    [['review'], /Not enough non-option arguments/],
    [['review', 'a.pptx', '--port', '70000'], /^--port: expected an integer from 0 to 65535, got 70000$/],
    [['review', 'a.pptx', '--port', '1', '--port', '2'], /^--port was given 2 times/],
    [['review', 'a.pptx', '--variants', '6'], /^--variants: expected an integer from 1 to 5, got 6$/],
    [['review', 'a.pptx', '--dry-run'], /Unknown argument: dry-run/],
  ])('%j is a usage error', async (argv, message) => {
    await expect(parseArgs(argv)).rejects.toThrow(ArgsError);
    await expect(parseArgs(argv)).rejects.toThrow(message);
  });
});

describe('slide-illustrate review: refused before serving', () => {
  it('a deck that cannot be read: exit 2, one line naming it, no URL', async () => {
    const cwd = await tempDir();
    const r = await runCli(['review', 'missing.pptx', '--no-open', '--provider', 'offline'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^slide-illustrate: .*missing\.pptx.*\n$/);
  });

  it('a bad directions file: exit 2 naming the file and the key', async () => {
    const cwd = await tempDir();
    await copyFile(fixtures.demo, path.join(cwd, 'talk.pptx'));
    await writeFile(path.join(cwd, 'talk.illustrate.json'), '{ "slides": { "3": { "variant": 9 } } }');
    const r = await runCli(['review', 'talk.pptx', '--no-open', '--provider', 'offline'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(path.join(cwd, 'talk.illustrate.json'));
    expect(r.stderr).toContain('slides.3.variant');
  });

  it('a --port in use: exit 2 naming the flag, no URL', async () => {
    const cwd = await tempDir();
    await copyFile(fixtures.demo, path.join(cwd, 'talk.pptx'));
    const busy = http.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as AddressInfo;
    try {
      const r = await runCli(['review', 'talk.pptx', '--no-open', '--provider', 'offline', '--port', String(port)], { cwd });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `slide-illustrate: --port ${port}: in use by another program; choose another, or leave --port out for a free one\n`,
      );
    } finally {
      busy.close();
    }
  });

  it('a folder: exit 2, review takes one deck', async () => {
    const cwd = await tempDir();
    await copyFile(fixtures.demo, path.join(cwd, 'talk.pptx'));
    const r = await runCli(['review', '.', '--no-open', '--provider', 'offline'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('slide-illustrate: review .: review takes one deck file, not a folder\n');
  });
});
