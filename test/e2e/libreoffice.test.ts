// The real-client test: LibreOffice opens illustrated decks and shows each picture on its slide's page.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { illustrateOffline } from '../helpers/illustrate.js';
import { expectedPictures } from '../helpers/expected-pictures.js';
import { convertToPdf, listPdfImages, pdfOf } from '../helpers/libreoffice.js';
import { tempDir } from '../helpers/paths.js';
import { writePresentation } from '../../src/pptx/deck-writer.js';
import { readPresentationFile } from '../../src/pptx/read-presentation.js';

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

  it('opens a deck written with zip64 records (forced) and shows its pictures', { timeout: 300_000 }, async () => {
    const dir = await tempDir();
    const illustrated = path.join(dir, 'plain.pptx');
    expect((await illustrateOffline(fixtures.demo, illustrated)).status).toBe('ok');
    // The illustrated deck copied again, every entry with zip64 extra fields, then zip64 end records.
    const out = path.join(dir, 'zip64.pptx');
    await writePresentation(await readPresentationFile(illustrated), [], out, { forceZip64: true });
    await convertToPdf([out], dir);
    const expected = await expectedPictures(out);
    expect(expected.length).toBeGreaterThan(0);
    const images = await listPdfImages(pdfOf(out, dir));
    for (const e of expected) expect(images.some((i) => i.page === e.page && i.width === e.width && i.height === e.height), `slide ${e.slide}`).toBe(true);
  });
});
