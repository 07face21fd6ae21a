// The end-of-run summaries, as whole strings and documents: what a user and a script read.
import { describe, expect, it } from 'vitest';
import {
  batchJson,
  costJson,
  deckJson,
  formatBatchSummary,
  formatBatchTotals,
  formatDeckLine,
  formatDeckSummary,
  totalsJson,
} from '../../src/cli/summary.js';
import type { Prices } from '../../src/model/cost.js';
import { emptyUsage, totalBatch, type DeckReport, type SlideReport } from '../../src/model/report.js';

const cwd = '/work/decks';
const prices: Prices = { currency: 'CHF', perImage: 0.05, perMillionPromptTokens: 1, perMillionCompletionTokens: 2 };

const illustrated = (number: number, cached?: SlideReport['cached']): SlideReport => ({
  number,
  status: 'illustrated',
  title: `Slide ${number}`,
  ...(cached ? { cached } : {}),
});
const skipped = (number: number, reason: string): SlideReport => ({ number, status: 'skipped', reason, title: '' });
const failed = (number: number, reason: string): SlideReport => ({ number, status: 'failed', reason, title: '' });

/** A paid deck: three pictures (one from the cache), two skips for the same reason, a failure, a warning. */
const paid: DeckReport = {
  input: `${cwd}/q3.pptx`,
  output: `${cwd}/output/q3.pptx`,
  status: 'partial',
  slides: [
    illustrated(1),
    skipped(2, 'no text'),
    illustrated(3, { prompt: true, image: true }),
    skipped(4, 'no text'),
    illustrated(5),
    failed(6, 'image API: 500'),
  ],
  usage: { promptTokens: 2_000, completionTokens: 500, llmCalls: 2, images: 2 },
  warnings: ['slide 5: font "Imaginary" unknown'],
  ms: 12_345,
};
const offline: DeckReport = {
  input: `${cwd}/intro.pptx`,
  output: `${cwd}/output/intro.pptx`,
  status: 'ok',
  slides: [illustrated(1)],
  usage: emptyUsage(),
  warnings: [],
  ms: 800,
};
const refused: DeckReport = {
  input: `${cwd}/locked.pptx`,
  output: undefined,
  status: 'refused',
  error: `${cwd}/locked.pptx: encrypted deck`,
  slides: [],
  usage: emptyUsage(),
  warnings: [],
  ms: 3,
};
const batch = { decks: [paid, offline, refused], totals: totalBatch([paid, offline, refused]), ms: 14_000 };

describe('formatDeckSummary', () => {
  it('prints counts, reasons grouped by slide, warnings, API use with its cost, and the output, relative to cwd', () => {
    expect(formatDeckSummary(paid, cwd, prices)).toBe(
      [
        'q3.pptx: 6 slides read, 3 illustrated, 2 skipped, 1 failed (12.3 s)',
        '  skipped: no text — slides 2, 4',
        '  failed: image API: 500 — slide 6',
        '  warning: slide 5: font "Imaginary" unknown',
        '  API: 2 prompt calls (2000 + 500 tokens), 2 images, est. cost CHF 0.103; cache: 1 prompts, 1 images reused',
        '  → output/q3.pptx',
      ].join('\n'),
    );
  });

  it('leaves out the API line on an offline run, and says the cost is unknown when a price is', () => {
    expect(formatDeckSummary(offline, cwd)).toBe(
      'intro.pptx: 1 slides read, 1 illustrated, 0 skipped, 0 failed (0.8 s)\n  → output/intro.pptx',
    );
    const unknown = formatDeckSummary(paid, cwd, { ...prices, perImage: null });
    expect(unknown).toContain('2 images, est. cost unknown (set pricing in pipeline.config.json);');
    // A cached prompt alone (its image made anew) still shows the cache line.
    const promptHit = { ...offline, slides: [illustrated(1, { prompt: true, image: false })] };
    expect(formatDeckSummary(promptHit, cwd).split('\n')[1]).toBe('  cache: 1 prompts, 0 images reused');
  });

  it('is one line for a refused deck, and says nothing was written when a read deck has no output', () => {
    expect(formatDeckSummary(refused, cwd)).toBe(`✗ ${cwd}/locked.pptx: encrypted deck`);
    const unwritten = { ...offline, output: undefined, status: 'failed' as const, error: 'disk full' };
    expect(formatDeckSummary(unwritten, cwd).split('\n').at(-1)).toBe('  nothing written: disk full');
  });

  it('escapes control characters in reasons and file names, so each stays on its line', () => {
    const hostile: DeckReport = { ...offline, input: `${cwd}/a\nb.pptx`, slides: [skipped(1, 'bad\u001b[2J')] };
    const lines = formatDeckSummary(hostile, cwd).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^a\\nb\.pptx: 1 slides read/);
    expect(lines[1]).not.toContain('\u001b');
  });
});

describe('formatDeckLine and formatBatchSummary', () => {
  it('marks each deck by its status, one line each, warnings indented below', () => {
    expect(formatDeckLine(paid, cwd)).toBe(
      '! q3.pptx → output/q3.pptx: 3 illustrated, 2 skipped, 1 failed (12.3 s)\n    warning: slide 5: font "Imaginary" unknown',
    );
    expect(formatDeckLine(offline, cwd)).toBe('✓ intro.pptx → output/intro.pptx: 1 illustrated, 0 skipped, 0 failed (0.8 s)');
    // The error names the deck relative to cwd.
    expect(formatDeckLine(refused, cwd)).toBe('✗ locked.pptx: encrypted deck');
    expect(formatDeckLine({ ...offline, status: 'unchanged' }, cwd)).toBe(
      '· intro.pptx: unchanged since the last run, output/intro.pptx is up to date',
    );
  });

  it('sums the run in one line of totals after the decks', () => {
    const totals =
      '3 decks: 1 ok, 1 partial, 1 refused — 4 slides illustrated, 2 skipped, 1 failed; ' +
      'API: 2 prompt calls (2000 + 500 tokens), 2 images, est. cost CHF 0.103; cache: 1 prompts, 1 images reused (14.0 s)';
    expect(formatBatchTotals(batch, prices)).toBe(totals);
    expect(formatBatchSummary(batch, cwd, { prices }).split('\n')).toEqual([
      ...formatDeckLine(paid, cwd).split('\n'),
      formatDeckLine(offline, cwd),
      formatDeckLine(refused, cwd),
      totals,
    ]);
    // Decks progress already printed are not printed again.
    expect(formatBatchSummary(batch, cwd, { prices, shown: [refused] }).split('\n')).toEqual([formatDeckLine(refused, cwd), totals]);
  });

  it('says so when no deck was found', () => {
    expect(formatBatchTotals({ decks: [], totals: totalBatch([]), ms: 0 })).toBe(
      '0 decks: none found — 0 slides illustrated, 0 skipped, 0 failed (0.0 s)',
    );
  });
});

describe('--json', () => {
  it('gives each deck with absolute paths, counts, calls, hits, tokens, and null for what is not there', () => {
    expect(deckJson(paid)).toEqual({
      input: `${cwd}/q3.pptx`,
      output: `${cwd}/output/q3.pptx`,
      status: 'partial',
      slides: { illustrated: 3, skipped: 2, failed: 1 },
      skippedForRoom: 0,
      apiCalls: { prompts: 2, images: 2 },
      cacheHits: { prompts: 1, images: 1 },
      tokens: { prompt: 2_000, completion: 500 },
      error: null,
      warnings: ['slide 5: font "Imaginary" unknown'],
      ms: 12_345,
    });
    expect(deckJson(refused)).toMatchObject({
      output: null,
      error: `${cwd}/locked.pptx: encrypted deck`,
      slides: { illustrated: 0, skipped: 0, failed: 0 },
    });
  });

  it('gives the run with the provider, every deck and the totals, with the cost only when prices are known', () => {
    const doc = batchJson(batch, { kind: 'infomaniak', offline: false }, prices);
    expect(JSON.parse(JSON.stringify(doc))).toEqual({
      provider: 'infomaniak',
      offline: false,
      decks: [paid, offline, refused].map((d) => JSON.parse(JSON.stringify(deckJson(d)))),
      totals: {
        decks: { ok: 1, partial: 1, failed: 0, refused: 1, unchanged: 0 },
        slides: { illustrated: 4, skipped: 2, failed: 1 },
        skippedForRoom: 0,
        apiCalls: { prompts: 2, images: 2 },
        cacheHits: { prompts: 1, images: 1 },
        tokens: { prompt: 2_000, completion: 500 },
        cost: { currency: 'CHF', total: expect.closeTo(0.103, 9), images: expect.closeTo(0.1, 9), tokens: expect.closeTo(0.003, 9) },
        ms: 14_000,
      },
    });
    expect(totalsJson(batch)).not.toHaveProperty('cost');
  });

  it('writes an unknown price as null, never as 0', () => {
    expect(costJson({ currency: 'CHF', total: undefined, images: undefined, tokens: 0.003 })).toEqual({
      currency: 'CHF',
      total: null,
      images: null,
      tokens: 0.003,
    });
  });
});
