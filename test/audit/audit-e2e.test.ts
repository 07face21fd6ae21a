// The placement audit end to end: illustrate offline, render with LibreOffice, measure the pixels.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { runAudit } from '../../scripts/audit/run-audit.js';
import { tempDir } from '../helpers/paths.js';

describe('placement audit end to end', () => {
  it('measures every picture of a deck on the right page and draws a contact sheet', { timeout: 120_000 }, async () => {
    const out = await tempDir();
    // The hidden slide of empty-and-hidden is left out of LibreOffice's PDF: pages must still map to slides.
    const result = await runAudit({ decks: [fixtures.demo, fixtures.emptyAndHidden], outDir: out });
    const [demo, hidden] = result.decks;
    expect(demo!.renderError).toBeUndefined();
    expect(hidden!.renderError).toBeUndefined();
    // The cover and closing slides are title slides without room for a panel or a band: left as designed.
    expect(demo!.pictures.map((p) => p.slide)).toEqual([2, 3, 4, 5]);
    expect(hidden!.pictures.map((p) => p.slide)).toEqual([1, 4]);
    expect(result.totals.measured).toBe(result.totals.pictures);
    // The demo deck's pictures lie in its free areas: nothing of the input shows under them.
    for (const p of [...demo!.pictures, ...hidden!.pictures])
      expect(p.hiding, `slide ${p.slide}: ${p.insideEdges} edge pixels`).toBe(false);
    expect(demo!.pictures.every((p) => !p.titleSlide)).toBe(true);
    // Eligible (the planner's own measure: text and a free quarter of the slide): the four content slides, all illustrated.
    expect([demo!.eligible, demo!.eligibleIllustrated]).toEqual([4, 4]);
    expect([hidden!.eligible, hidden!.eligibleIllustrated]).toEqual([2, 2]);
    // Contact sheet: two 16:9 pages side by side at 40 dpi (533 px each), one row per slide.
    const sheet = await sharp(await readFile(path.join(out, 'demo.pptx.png'))).metadata();
    expect(sheet.width).toBeGreaterThan(2 * 533);
    expect(sheet.height).toBeGreaterThan(6 * 300);
  });

  it('flags pictures laid over the slide text as hiding', { timeout: 120_000 }, async () => {
    // Full-bleed pictures cover every word of the slide: the measurement must see them all.
    const result = await runAudit({ decks: [fixtures.bullets], config: { placement: 'background' } });
    const pictures = result.decks[0]!.pictures;
    expect(pictures.length).toBe(3);
    for (const p of pictures) {
      expect(p.share).toBeCloseTo(1);
      expect(p.hiding, `slide ${p.slide}`).toBe(true);
    }
    expect(result.totals.hiding).toBe(3);
  });
});
