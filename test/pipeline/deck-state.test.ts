import { copyFile, mkdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { deckFingerprint, openDeckState, sha256File } from '../../src/pipeline/deck-state.js';
import { emptyUsage, type DeckReport } from '../../src/model/report.js';
import { editSlideText } from '../helpers/deck-tree.js';
import { tempDir } from '../helpers/paths.js';
import { mkfifo } from '../helpers/fifo.js';

async function setup() {
  const dir = await tempDir();
  const job = { input: path.join(dir, 'deck.pptx'), output: path.join(dir, 'out/deck.pptx') };
  await copyFile(fixtures.bullets, job.input);
  await mkdir(path.join(dir, 'out'));
  await writeFile(job.output, 'illustrated');
  const report = (status: DeckReport['status']): DeckReport => ({
    input: job.input,
    output: job.output,
    status,
    slides: [],
    usage: emptyUsage(),
    warnings: [],
    ms: 1,
  });
  const file = path.join(dir, 'out/.state.json');
  return { dir, job, report, file };
}

describe('deck state', () => {
  it('a deck recorded after a complete run is unchanged until its content, its output or the config changes', async () => {
    const { job, report, file } = await setup();
    const state = await openDeckState(file);
    const first = await state.check(job, 'cfg');
    expect(first.unchanged).toBe(false);
    expect(first.fingerprint?.sha256).toBe(await sha256File(job.input));
    await state.record(job, first, report('ok'), 'cfg');

    // A later process reads the same file.
    const later = await openDeckState(file);
    expect((await later.check(job, 'cfg')).unchanged).toBe(true);
    expect((await later.check(job, 'other-cfg')).unchanged).toBe(false);

    // Touched but identical: the hash says unchanged.
    const future = new Date(Date.now() + 5_000);
    await utimes(job.input, future, future);
    expect((await later.check(job, 'cfg')).unchanged).toBe(true);

    await editSlideText(job.input, 1, 'Open the call', 'Close the call');
    expect((await later.check(job, 'cfg')).unchanged).toBe(false);
  });

  it('an output deleted or replaced since is rebuilt', async () => {
    const { job, report, file } = await setup();
    const state = await openDeckState(file);
    await state.record(job, await state.check(job, 'cfg'), report('ok'), 'cfg');
    await writeFile(job.output, 'edited by hand, longer');
    expect((await state.check(job, 'cfg')).unchanged).toBe(false);
    await rm(job.output);
    expect((await state.check(job, 'cfg')).unchanged).toBe(false);
  });

  it('partial and failed decks are retried next pass', async () => {
    const { job, report, file } = await setup();
    const state = await openDeckState(file);
    await state.record(job, await state.check(job, 'cfg'), report('ok'), 'cfg');
    await state.record(job, await state.check(job, 'cfg'), report('partial'), 'cfg');
    expect((await state.check(job, 'cfg')).unchanged).toBe(false);
    expect(JSON.parse(await readFile(file, 'utf8')).decks).toEqual({});
  });

  it('a damaged state file means every deck runs again', async () => {
    const { job, file } = await setup();
    await writeFile(file, '{ damaged');
    const state = await openDeckState(file);
    expect((await state.check(job, 'cfg')).unchanged).toBe(false);
  });
});

describe('deck state and special files', () => {
  /** Resolves `p`, or fails after `ms` (the old code blocked in open() on a FIFO forever). */
  const within = <T>(p: Promise<T>, ms: number) =>
    Promise.race([p, sleep(ms).then(() => Promise.reject(new Error(`blocked for ${ms} ms`)))]);

  it('a FIFO as the state file or as a deck is not opened: nothing remembered, the deck is left to be refused', async () => {
    const { dir, job, file } = await setup();
    mkfifo(file);
    const state = await within(openDeckState(file), 3000);
    const fifoDeck = { input: path.join(dir, 'fifo.pptx'), output: path.join(dir, 'out/fifo.pptx') };
    mkfifo(fifoDeck.input);
    expect(await within(state.check(fifoDeck, 'cfg'), 3000)).toEqual({ unchanged: false, fingerprint: undefined });
    expect((await within(state.check(job, 'cfg'), 3000)).unchanged).toBe(false);
  });
});

describe('deckFingerprint', () => {
  it("is the config's without directions or shaping flags; a directions file or a flag makes it the deck's own", () => {
    expect(deckFingerprint('cfg', undefined)).toBe('cfg');
    expect(deckFingerprint('cfg', undefined, { slides: undefined, variants: undefined })).toBe('cfg');
    const prints = [
      deckFingerprint('cfg', { slides: {} }),
      deckFingerprint('cfg', { slides: { '2': { variant: 2 } } }),
      deckFingerprint('cfg', { slides: { '2': { variant: 3 } } }),
      deckFingerprint('cfg', undefined, { slides: [2] }),
      deckFingerprint('cfg', undefined, { variants: 3 }),
      deckFingerprint('other', { slides: { '2': { variant: 2 } } }),
    ];
    expect(new Set(['cfg', ...prints]).size).toBe(prints.length + 1);
    expect(deckFingerprint('cfg', { slides: { '2': { variant: 2 } } })).toBe(prints[1]);
  });
});
