// The real-client test: LibreOffice opens illustrated decks and shows each picture on its slide's page.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { illustrateOffline } from '../helpers/illustrate.js';
import { expectedPictures } from '../helpers/expected-pictures.js';
import { convertToPdf, listPdfImages, pdfOf } from '../helpers/libreoffice.js';
import { tempDir } from '../helpers/paths.js';

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
});
