// Slides skipped for lack of room are counted apart in summaries and --json (issue 13, item 5).
import { describe, expect, it } from 'vitest';
import { batchJson, deckJson, formatBatchTotals, formatDeckSummary } from '../../src/cli/summary.js';
import { findFreeBox, NO_ROOM } from '../../src/pptx/placement.js';
import { emptyUsage, totalBatch, type DeckReport } from '../../src/model/report.js';

const deck = (input: string, reasons: (string | undefined)[]): DeckReport => ({
  input,
  output: `${input}.out.pptx`,
  status: 'ok',
  slides: reasons.map((reason, i) =>
    reason ? { number: i + 1, status: 'skipped', reason, title: '' } : { number: i + 1, status: 'illustrated', title: '' },
  ),
  usage: emptyUsage(),
  warnings: [],
  ms: 10,
});

describe('skipped for lack of room', () => {
  it('is the reason the planner gives when no free area fits', () => {
    const slide = { cx: 12_192_000, cy: 6_858_000 };
    expect(findFreeBox(slide, [{ x: 0, y: 0, ...slide }])).toEqual({ box: undefined, reason: NO_ROOM });
  });

  it('is counted per deck and in the totals, in --json and in the printed summary', () => {
    const a = deck('/d/a.pptx', [undefined, NO_ROOM, 'no text', NO_ROOM]);
    const b = deck('/d/b.pptx', [NO_ROOM, 'hidden slide']);
    expect(deckJson(a)).toMatchObject({ slides: { illustrated: 1, skipped: 3, failed: 0 }, skippedForRoom: 2 });
    const batch = { decks: [a, b], totals: totalBatch([a, b]), ms: 5 };
    const json = batchJson(batch, { kind: 'offline', offline: true }) as { totals: { skippedForRoom: number; slides: object } };
    expect(json.totals.skippedForRoom).toBe(3);
    expect(json.totals.slides).toEqual({ illustrated: 1, skipped: 5, failed: 0 });
    expect(formatDeckSummary(a, '/d')).toContain('1 illustrated, 3 skipped (2 for lack of room), 0 failed');
    expect(formatBatchTotals(batch)).toContain('5 skipped (3 for lack of room)');
    expect(formatDeckSummary(deck('/d/c.pptx', [undefined, 'no text']), '/d')).toContain('1 illustrated, 1 skipped, 0 failed');
  });

  it('counts a title slide with no room for a side panel or a band as skipped for room', () => {
    const t = deck('/d/t.pptx', ['title slide: no room for a side panel or a band; left as designed', undefined, NO_ROOM]);
    expect(deckJson(t)).toMatchObject({ skippedForRoom: 2 });
    expect(formatDeckSummary(t, '/d')).toContain('1 illustrated, 2 skipped (2 for lack of room), 0 failed');
  });
});
