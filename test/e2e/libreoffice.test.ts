// The real-client test: LibreOffice opens illustrated decks and shows each picture on its slide's page.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { illustrateOffline } from '../helpers/illustrate.js';
import { expectedPictures } from '../helpers/expected-pictures.js';
import { convertToPdf, listPdfImages, pdfOf, pdfWords } from '../helpers/libreoffice.js';
import { tempDir } from '../helpers/paths.js';
import { WIDE_BODY, wideBodyDeck } from '../helpers/wide-body-deck.js';

describe('LibreOffice headless', () => {
  it('renders every illustrated slide of the fixture decks with its picture', { timeout: 300_000 }, async () => {
    const dir = await tempDir();
    const decks = [fixtures.demo, fixtures.multilingual, fixtures.emptyAndHidden, fixtures.fourThree, fixtures.tables, fixtures.groups];
    const outputs: string[] = [];
    for (const deck of decks) {
      const out = path.join(dir, path.basename(deck));
      const report = await illustrateOffline(deck, out);
      expect(report.status).toBe('ok');
      outputs.push(out);
    }
    await convertToPdf(outputs, dir);
    for (const out of outputs) {
      const expected = await expectedPictures(out);
      expect(expected.length, path.basename(out)).toBeGreaterThan(0);
      const images = await listPdfImages(pdfOf(out, dir));
      for (const e of expected) {
        const shown = images.some((i) => i.page === e.page && i.width === e.width && i.height === e.height);
        expect(shown, `${path.basename(out)} slide ${e.slide}: picture ${e.width}x${e.height} on page ${e.page}`).toBe(true);
      }
    }
  });

  it('renders a make-room slide: the narrowed body text all on its page, the picture beside it', { timeout: 300_000 }, async () => {
    const dir = await tempDir();
    const input = path.join(dir, 'wide.pptx');
    await writeFile(input, await wideBodyDeck(9));
    const out = path.join(dir, 'out', 'wide.pptx');
    const report = await illustrateOffline(input, out, { config: { placement: 'make-room' } });
    expect(report.slides.find((s) => s.number === 1)).toMatchObject({ status: 'illustrated', placement: 'make-room' });
    await convertToPdf([out], dir);
    const pdf = pdfOf(out, dir);
    const expected = await expectedPictures(out);
    const images = await listPdfImages(pdf);
    for (const e of expected)
      expect(
        images.some((i) => i.page === e.page && i.width === e.width && i.height === e.height),
        `slide ${e.slide}`,
      ).toBe(true);
    // Every bullet of the narrowed body is drawn on page 1, within the text column (left of the picture).
    const words = await pdfWords(pdf, 1);
    const pageWidth = words.pageWidth;
    const picture = report.slides.find((s) => s.number === 1)!.box!;
    const pictureLeft = (picture.x / 12_192_000) * pageWidth;
    for (let i = 1; i <= 9; i++) {
      const label = words.list.find((w) => w.text === `${i}:`);
      expect(label, `bullet ${i} drawn`).toBeDefined();
    }
    const bodyWords = words.list.filter((w) => w.yMin > words.pageHeight * 0.22);
    expect(bodyWords.length).toBeGreaterThan(100);
    for (const w of bodyWords) expect(w.xMax, w.text).toBeLessThan(pictureLeft);
    // …and none below the body's bottom edge (text cut or overflowing would show there).
    const bodyBottom = ((WIDE_BODY.y + WIDE_BODY.cy) / 6_858_000) * words.pageHeight;
    expect(Math.max(...bodyWords.map((w) => w.yMax))).toBeLessThan(bodyBottom);
  });
});
