// The command line's edge cases, through the built bin: repeated flags, `--`, unknown flags,
// bad numbers and the empty command line are usage errors (exit 2, one line naming the flag).
import { copyFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { tempDir } from '../helpers/paths.js';
import { runBin } from '../helpers/run-cli.js';

const usageLine = (stderr: string) => stderr.split('\n').find((l) => l.startsWith('slide-illustrate: ')) ?? '';

describe('repeated flags', () => {
  it.each([
    [['--out', 'a/', '--out', 'b/'], '--out'],
    [['-o', 'a/', '--out', 'b/'], '--out'],
    [['--report', 'a.html', '--report', 'b.html'], '--report'],
    [['--config', 'a.json', '--config', 'b.json'], '--config'],
    [['--cache-dir', 'a', '--cache-dir', 'b'], '--cache-dir'],
    [['--concurrency', '2', '-c', '3'], '--concurrency'],
    [['--rpm', '2', '--rpm', '3'], '--rpm'],
    [['--timeout', '2', '--timeout', '3'], '--timeout'],
    [['--max-images', '2', '--max-images', '3'], '--max-images'],
    [['--provider', 'offline', '--provider', 'openai'], '--provider'],
  ])('%j is a usage error naming the flag; nothing is written', async (flags, flag) => {
    const cwd = await tempDir();
    await copyFile(fixtures.bullets, path.join(cwd, 'deck.pptx'));
    const r = await runBin(['deck.pptx', ...flags], { cwd });
    expect(r.code).toBe(2);
    expect(usageLine(r.stderr)).toContain(`${flag} was given 2 times`);
    expect(r.stderr).not.toMatch(/unexpected error|\n\s+at /);
    expect((await readdir(cwd)).sort()).toEqual(['deck.pptx']);
  });

  it('also on the other commands', async () => {
    const cwd = await tempDir();
    for (const argv of [
      ['schedule', '--once', '--config', 'a.json', '--config', 'b.json'],
      ['cache', '--cache-dir', 'a', '--cache-dir', 'b'],
      ['doctor', '--config', 'a', '--config', 'b'],
    ]) {
      const r = await runBin(argv, { cwd });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(usageLine(r.stderr)).toMatch(/--(config|cache-dir) was given 2 times/);
    }
  });
});

describe('--', () => {
  it('ends the options: a deck literally named -rf.pptx is illustrated', async () => {
    const cwd = await tempDir();
    await copyFile(fixtures.bullets, path.join(cwd, '-rf.pptx'));
    const r = await runBin(['--provider', 'offline', '--', '-rf.pptx'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/-rf\.pptx: 3 slides read, 3 illustrated/);
    expect(await readdir(path.join(cwd, 'output'))).toEqual(['-rf.pptx']);
  });

  it('after --, a command name or a flag is a file name', async () => {
    const cwd = await tempDir();
    for (const name of ['schedule', '--out']) {
      const r = await runBin(['--', name], { cwd });
      expect(r.code, name).toBe(2);
      expect(r.stdout + r.stderr, name).toContain(`✗ ${path.join(cwd, name)}: no such file`);
    }
  });

  it('a command takes nothing after --', async () => {
    const r = await runBin(['cache', '--', 'x']);
    expect(r.code).toBe(2);
    expect(usageLine(r.stderr)).toMatch(/Unknown argument: x/);
  });
});

describe('bad flags', () => {
  it('an unknown flag is named, even when it swallows the deck as its value', async () => {
    const r = await runBin(['--bogus', 'deck.pptx']);
    expect(r.code).toBe(2);
    expect(usageLine(r.stderr)).toBe('slide-illustrate: Unknown argument: bogus');
  });

  it.each([
    [['--concurrency', 'abc'], '--concurrency: expected an integer from 1 to 64, got "abc"'],
    [['--rpm', 'fast'], '--rpm: expected an integer from 1 to 10000, got "fast"'],
    [['--timeout', '10s'], '--timeout: expected a number of seconds up to 3600, got "10s"'],
    [['--max-images', 'ten'], '--max-images: expected an integer from 0 to 1000000, got "ten"'],
  ])('%j names the value given', async (flags, message) => {
    const r = await runBin(['deck.pptx', ...flags]);
    expect(r.code).toBe(2);
    expect(usageLine(r.stderr)).toBe(`slide-illustrate: ${message}`);
  });

  it('a number flag without its value is a usage error', async () => {
    const r = await runBin(['deck.pptx', '--concurrency']);
    expect(r.code).toBe(2);
    expect(usageLine(r.stderr)).toMatch(/Not enough arguments following: concurrency/);
  });

  it('flags without a deck say that no deck was given', async () => {
    const r = await runBin(['--provider', 'offline']);
    expect(r.code).toBe(2);
    expect(usageLine(r.stderr)).toBe('slide-illustrate: no deck or folder given: name at least one .pptx file or folder to illustrate');
  });
});

describe('no argument at all', () => {
  it('prints the help on stderr and exits 2, as git and npm do (a script with an empty deck list must not pass)', async () => {
    const r = await runBin([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^slide-illustrate <decks or folders\.\.> \[options\]/);
    expect(r.stderr).toMatch(/Examples:/);
    for (const command of ['schedule', 'cache', 'models', 'doctor', 'init'])
      expect(r.stderr).toMatch(new RegExp(`^ {2}slide-illustrate ${command} `, 'm'));
    expect(r.stderr).not.toMatch(/Not enough non-option arguments/);
  });
});
