import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { UsageError } from '../../src/errors.js';
import { commonFolder, planDeckJobs } from '../../src/pipeline/deck-jobs.js';
import { findDecks, isDeckName } from '../../src/pipeline/find-decks.js';
import { writeTree } from '../helpers/deck-tree.js';
import { tempDir } from '../helpers/paths.js';

describe('findDecks', () => {
  it('walks folders in sorted order, skipping lock files, dot entries, output and cache folders and symlink loops', async () => {
    const root = await tempDir();
    await writeTree(root, {
      'decks/b.pptx': fixtures.bullets,
      'decks/a/z.PPTX': fixtures.bullets,
      'decks/a/m.pptm': fixtures.bullets,
      'decks/a/s.ppsx': fixtures.bullets,
      'decks/a/t.potx': fixtures.bullets,
      'decks/~$b.pptx': fixtures.bullets,
      'decks/._b.pptx': fixtures.bullets,
      'decks/.git/x.pptx': fixtures.bullets,
      'decks/old.ppt': Buffer.from('legacy'),
      'decks/notes.txt': Buffer.from('not a deck'),
      'decks/output/b.pptx': fixtures.bullets,
      'decks/.cache/images/x.pptx': fixtures.bullets,
    });
    await symlink(path.join(root, 'decks'), path.join(root, 'decks/a/loop'));
    const found = await findDecks(['decks'], { cwd: root, exclude: ['decks/output', 'decks/.cache'] });
    expect(found.map((d) => path.relative(root, d.input))).toEqual([
      'decks/a/m.pptm',
      'decks/a/s.ppsx',
      'decks/a/t.potx',
      'decks/a/z.PPTX',
      'decks/b.pptx',
    ]);
    expect(found.every((d) => d.folder === path.join(root, 'decks'))).toBe(true);
  });

  it('keeps explicit files, even missing or not decks, so the run reports them; a deck named twice runs once', async () => {
    const root = await tempDir();
    await writeTree(root, { 'd/x.pptx': fixtures.bullets, 'old.ppt': Buffer.from('legacy') });
    const found = await findDecks(['d', 'd/x.pptx', 'old.ppt', 'missing.pptx'], { cwd: root });
    expect(found.map((d) => [path.relative(root, d.input), d.folder ? path.relative(root, d.folder) : undefined])).toEqual([
      ['d/x.pptx', 'd'],
      ['old.ppt', undefined],
      ['missing.pptx', undefined],
    ]);
  });

  it.each([
    ['deck.pptx', true],
    ['Deck.PPSX', true],
    ['~$deck.pptx', false],
    ['.deck.pptx.123.abcdef01.tmp', false],
    ['deck.ppt', false],
    ['deck.pptx.bak', false],
  ])('isDeckName(%s) is %s', (name, expected) => {
    expect(isDeckName(name)).toBe(expected);
  });
});

describe('planDeckJobs', () => {
  const base = { outputDir: 'output', cacheDir: '.cache' };

  it('keeps the one-deck rules: output/<name>, --out file, --out folder', async () => {
    const cwd = await tempDir();
    await mkdir(path.join(cwd, 'existing'));
    const plan = (out?: string) => planDeckJobs({ ...base, inputs: [fixtures.bullets], cwd, out });
    expect(await plan()).toEqual({ single: true, jobs: [{ input: fixtures.bullets, output: path.join(cwd, 'output/bullets.pptx') }] });
    expect((await plan('x/y.pptx')).jobs[0]!.output).toBe(path.join(cwd, 'x/y.pptx'));
    expect((await plan('existing')).jobs[0]!.output).toBe(path.join(cwd, 'existing/bullets.pptx'));
    expect((await plan('new/')).jobs[0]!.output).toBe(path.join(cwd, 'new/bullets.pptx'));
  });

  it('mirrors folders under the output folder from the common folder of the inputs', async () => {
    const cwd = await tempDir();
    await writeTree(cwd, { 'team/a/x.pptx': fixtures.bullets, 'team/a/deep/y.pptx': fixtures.bullets, 'team/b/x.pptx': fixtures.bullets });
    const one = await planDeckJobs({ ...base, inputs: ['team'], cwd, out: 'ill' });
    expect(one.single).toBe(false);
    expect(one.jobs.map((j) => path.relative(cwd, j.output))).toEqual(['ill/a/deep/y.pptx', 'ill/a/x.pptx', 'ill/b/x.pptx']);
    const two = await planDeckJobs({ ...base, inputs: ['team/a', 'team/b/x.pptx'], cwd });
    expect(two.jobs.map((j) => path.relative(cwd, j.output))).toEqual(['output/a/deep/y.pptx', 'output/a/x.pptx', 'output/b/x.pptx']);
  });

  it('refuses a deck-named --out for a folder run', async () => {
    const cwd = await tempDir();
    await writeTree(cwd, { 'd/x.pptx': fixtures.bullets });
    await expect(planDeckJobs({ ...base, inputs: ['d'], cwd, out: 'all.pptx' })).rejects.toThrow(UsageError);
  });

  it('refuses an output folder that is an input folder', async () => {
    const cwd = await tempDir();
    await writeTree(cwd, { 'd/x.pptx': fixtures.bullets });
    await expect(planDeckJobs({ ...base, inputs: ['d'], cwd, out: 'd/' })).rejects.toThrow(
      /--out d\/: the output folder is an input folder/,
    );
  });

  it('commonFolder', () => {
    expect(commonFolder(['/a/b/c', '/a/b/d/e', '/a/b'])).toBe('/a/b');
    expect(commonFolder(['/a/bc', '/a/bd'])).toBe('/a');
    expect(commonFolder(['/x', '/y'])).toBe('/');
  });
});
