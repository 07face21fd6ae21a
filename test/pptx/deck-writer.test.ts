// The deck writer: parts stream into the temp file as slides finish; unchanged parts are copied as stored.
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import JSZip from 'jszip';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { openDeckWriter, writePresentation } from '../../src/pptx/deck-writer.js';
import { readPresentation, readPresentationFile } from '../../src/pptx/read-presentation.js';
import type { PictureToAdd } from '../../src/pptx/write-presentation.js';
import { tempDir } from '../helpers/paths.js';
import { checkPackage, zipEntries } from '../helpers/pptx-invariants.js';

async function pictureFor(slidePart: string, seed: number): Promise<PictureToAdd> {
  const image = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: seed * 40, g: 90, b: 200 } } })
    .png()
    .toBuffer();
  return {
    slidePart,
    image,
    format: 'png',
    box: { x: 100_000, y: 100_000, cx: 2_000_000, cy: 1_500_000 },
    descr: `picture ${seed}`,
    z: 'front',
  };
}

const temps = async (dir: string) => (await readdir(dir)).filter((n) => n.endsWith('.tmp'));

describe('the deck writer', () => {
  it('writes each slide into the temp file as soon as it is added, and the deck appears only at finish', async () => {
    const dir = await tempDir();
    const out = path.join(dir, 'out.pptx');
    const pres = await readPresentationFile(fixtures.demo);
    const [first, second] = pres.slides.map((s) => s.part);
    const writer = await openDeckWriter(pres, out, { slides: [first!, second!] });
    const [temp] = await temps(dir);
    expect(temp).toBeDefined();
    const opened = (await stat(path.join(dir, temp!))).size;
    expect(opened).toBeGreaterThan(0); // the unchanged parts are there already
    const picture = await pictureFor(first!, 1);
    await writer.addSlide([picture]);
    // The picture is in the file before the deck is finished: nothing waits in memory for the end.
    const temp1 = await readFile(path.join(dir, temp!));
    expect(temp1.length).toBeGreaterThan(opened + 200);
    expect(temp1.includes(Buffer.from('ppt/media/slide-illustrate-'))).toBe(true);
    await expect(stat(out)).rejects.toThrow(/ENOENT/);
    const result = await writer.finish();
    expect(result).toEqual({ replaced: 0, repairs: [] });
    expect(await temps(dir)).toEqual([]);
    const report = await checkPackage(await readFile(out), await readFile(fixtures.demo));
    expect(report.problems).toEqual([]);
    expect([...report.ourPictures]).toEqual([[first, 1]]);
    // The slide held for a picture that never came is written as it was.
    expect(report.changed).not.toContain(second);
  });

  it('copies every part it does not change as stored: same method, same compressed bytes', async () => {
    const src = new JSZip();
    const input = await JSZip.loadAsync(await readFile(fixtures.demo));
    for (const f of Object.values(input.files)) {
      if (f.dir) continue;
      // Some parts stored, the rest deflated, as decks from different tools have them.
      src.file(f.name, await f.async('uint8array'), { compression: /slideLayout|theme/.test(f.name) ? 'STORE' : 'DEFLATE' });
    }
    const bytes = await src.generateAsync({ type: 'nodebuffer' });
    const pres = await readPresentation('mixed.pptx', bytes);
    const out = path.join(await tempDir(), 'out.pptx');
    await writePresentation(pres, [await pictureFor(pres.slides[0]!.part, 2)], out);
    const written = await readFile(out);
    const before = new Map(zipEntries(bytes).map((e) => [e.name, e]));
    const after = new Map(zipEntries(written).map((e) => [e.name, e]));
    const untouched = [...before.keys()].filter((n) => !n.startsWith('ppt/slides/') && n !== '[Content_Types].xml');
    expect(untouched.some((n) => before.get(n)!.method === 0)).toBe(true);
    for (const name of untouched) expect(after.get(name), name).toEqual(before.get(name));
    const back = await JSZip.loadAsync(written, { checkCRC32: true });
    expect(await back.file('ppt/theme/theme1.xml')!.async('string')).toBe(await input.file('ppt/theme/theme1.xml')!.async('string'));
  });

  it('abort() leaves nothing behind, and a slide it does not hold is refused', async () => {
    const dir = await tempDir();
    const pres = await readPresentationFile(fixtures.demo);
    const writer = await openDeckWriter(pres, path.join(dir, 'out.pptx'), { slides: [pres.slides[0]!.part] });
    await expect(writer.addSlide([await pictureFor(pres.slides[1]!.part, 3)])).rejects.toThrow(/not a slide this writer holds/);
    await writer.abort();
    expect(await readdir(dir)).toEqual([]);
    await expect(writer.finish()).rejects.toThrow(/finished or aborted/);
  });

  it('forced zip64 gives a deck our reader and jszip read back the same', async () => {
    const out = path.join(await tempDir(), 'zip64.pptx');
    const pres = await readPresentationFile(fixtures.demo);
    await writePresentation(pres, [await pictureFor(pres.slides[0]!.part, 4)], out, { forceZip64: true });
    const bytes = await readFile(out);
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true);
    const again = await readPresentation('zip64.pptx', bytes);
    expect(again.slides.length).toBe(pres.slides.length);
    expect(again.slides[0]!.shapes.filter((s) => s.ours)).toHaveLength(1);
    expect((await checkPackage(bytes, await readFile(fixtures.demo))).problems).toEqual([]);
  });
});
