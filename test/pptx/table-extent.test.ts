// Tables drawn taller than their frame (issue 13): rows grow with their text past a:tr@h and the
// graphicFrame's a:ext. The extent we compute must reach the bottom LibreOffice draws.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPresentation } from '../../src/pptx/read-presentation.js';
import { convertToPdf } from '../helpers/libreoffice.js';
import { requireCorpus } from '../helpers/paths.js';

// poi__table_test2.pptx slide 1: merged cells, vertical text and rows whose text outgrows them; its
// table runs past the slide's bottom, so the deck is rendered on a slide twice as tall (same EMU geometry).
describe('table extent against LibreOffice', () => {
  const source = path.join(requireCorpus(), 'poi__table_test2.pptx');
  let dir = '';
  let bytes: Uint8Array;
  let png: { data: Buffer; width: number; height: number };
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'si-table-extent-'));
    const zip = await JSZip.loadAsync(await readFile(source));
    const pres = await zip.file('ppt/presentation.xml')!.async('string');
    zip.file('ppt/presentation.xml', pres.replace(/<p:sldSz cx="12192000" cy="6858000"/, '<p:sldSz cx="12192000" cy="13716000"'));
    bytes = await zip.generateAsync({ type: 'uint8array' });
    const deck = path.join(dir, 'tall.pptx');
    await writeFile(deck, bytes);
    await convertToPdf([deck], dir);
    await promisify(execFile)('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', path.join(dir, 'tall.pdf'), path.join(dir, 'page')]);
    const { data, info } = await sharp(path.join(dir, 'page-1.png')).greyscale().raw().toBuffer({ resolveWithObject: true });
    png = { data, width: info.width, height: info.height };
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reaches the last row LibreOffice draws, well past the frame, without doubling it', async () => {
    const pres = await readPresentation('tall.pptx', bytes);
    expect(pres.slideSize.cy).toBe(13_716_000);
    const table = pres.slides[0]!.shapes.find((s) => s.kind === 'graphicFrame')!;
    const px = (emu: number) => Math.round((emu / pres.slideSize.cx) * png.width);
    let lastDrawn = -1;
    for (let y = 0; y < png.height; y++) {
      for (let x = px(table.box!.x); x < px(table.box!.x + table.box!.cx); x++) if (png.data[y * png.width + x]! < 245) lastDrawn = y;
    }
    const frameBottom = px(719_666 + 3_214_794);
    expect(lastDrawn, 'the drawn table runs past its frame').toBeGreaterThan(frameBottom + 50);
    const bottom = px(table.box!.y + table.box!.cy);
    expect(bottom, 'extent bottom (px) vs last drawn row').toBeGreaterThanOrEqual(lastDrawn + 1);
    // Not a blanket over-estimate: within 10 % of the drawn table's height.
    expect(bottom - lastDrawn).toBeLessThan(0.1 * (lastDrawn - px(table.box!.y)));
  });
});
