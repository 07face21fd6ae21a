import { deflateRawSync } from 'node:zlib';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { addDeflatedPart, deflatePart, keepLoadedCompression, MEDIA_DEFLATE_LEVEL, prepareMedia } from '../../src/pptx/deflated-part.js';
import { openMediaSpool, type MediaSpool } from '../../src/pptx/media-spool.js';
import { zipEntries } from '../helpers/pptx-invariants.js';

describe('parts deflated by zlib', () => {
  it('are DEFLATE entries with zlib’s bytes that read back whole, beside jszip’s own entries', async () => {
    const data = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251));
    const zip = new JSZip();
    zip.file('ppt/slides/slide1.xml', '<p:sld/>', { createFolders: false });
    addDeflatedPart(zip, 'ppt/media/picture.jpeg', await deflatePart(data));
    const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    const entry = zipEntries(bytes).find((e) => e.name === 'ppt/media/picture.jpeg')!;
    expect(entry).toMatchObject({ method: 8, size: data.length, compressedSize: deflateRawSync(data, { level: MEDIA_DEFLATE_LEVEL }).length });
    const back = await JSZip.loadAsync(bytes, { checkCRC32: true });
    expect((await back.file('ppt/media/picture.jpeg')!.async('nodebuffer')).equals(data)).toBe(true);
    expect(await back.file('ppt/slides/slide1.xml')!.async('string')).toBe('<p:sld/>');
  });
});

describe('pictures waiting in a spool', () => {
  it('are read back one at a time, only as the write reaches them, into whole DEFLATE entries', async () => {
    const spool = (await openMediaSpool())!;
    // The spool, watched: how many reads are out at once, and when the first one starts.
    let reads = 0;
    let out = 0;
    let most = 0;
    const watched: MediaSpool = {
      add: (b) => spool.add(b),
      close: () => spool.close(),
      async read(range) {
        reads++;
        most = Math.max(most, ++out);
        try {
          return await spool.read(range);
        } finally {
          out--;
        }
      },
    };
    try {
      const pictures = Array.from({ length: 6 }, (_, k) => Buffer.from(Array.from({ length: 40_000 + k * 1000 }, (_, i) => (i * 7919 + k) % 251)));
      const prepared = await Promise.all(pictures.map((p) => prepareMedia(p, watched)));
      prepared.forEach((m, k) => expect(m.sha256).toBe(createHash('sha256').update(pictures[k]!).digest('hex')));
      const zip = new JSZip();
      zip.file('ppt/slides/slide1.xml', '<p:sld/>', { createFolders: false });
      prepared.forEach((m, k) => addDeflatedPart(zip, `ppt/media/p${k}.jpeg`, m.part));
      expect(reads).toBe(0);
      const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
      expect(reads).toBe(pictures.length);
      expect(most).toBe(1);
      const back = await JSZip.loadAsync(bytes, { checkCRC32: true });
      for (const [k, p] of pictures.entries()) {
        expect(zipEntries(bytes).find((e) => e.name === `ppt/media/p${k}.jpeg`)).toMatchObject({ method: 8, size: p.length });
        expect((await back.file(`ppt/media/p${k}.jpeg`)!.async('nodebuffer')).equals(p)).toBe(true);
      }
      // The entry can also be read from the zip it was added to, as jszip allows.
      expect((await zip.file('ppt/media/p0.jpeg')!.async('nodebuffer')).equals(pictures[0]!)).toBe(true);
    } finally {
      await spool.close();
    }
  });

  it('a spool that fails while the zip is written fails the write', async () => {
    const spool = (await openMediaSpool())!;
    const m = await prepareMedia(Buffer.alloc(5000, 7), spool);
    await spool.close();
    const zip = new JSZip();
    addDeflatedPart(zip, 'ppt/media/p.jpeg', m.part);
    await expect(zip.generateAsync({ type: 'nodebuffer' })).rejects.toThrow(/after close/);
  });
});

describe('a loaded zip written again', () => {
  it('keeps each untouched entry’s method and compressed bytes, stored or deflated', async () => {
    const src = new JSZip();
    src.file('stored.xml', '<a>' + 'x'.repeat(5000) + '</a>', { compression: 'STORE' });
    src.file('deflated.xml', '<b>' + 'y'.repeat(5000) + '</b>', { compression: 'DEFLATE' });
    const input = await src.generateAsync({ type: 'nodebuffer' });
    const zip = await JSZip.loadAsync(input);
    keepLoadedCompression(zip);
    zip.file('new.xml', '<c/>', { compression: 'DEFLATE' });
    const output = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    const before = new Map(zipEntries(input).map((e) => [e.name, e]));
    const after = new Map(zipEntries(output).map((e) => [e.name, e]));
    expect(after.get('stored.xml')).toMatchObject({ method: 0, compressedSize: before.get('stored.xml')!.compressedSize });
    expect(after.get('deflated.xml')).toMatchObject({ method: 8, compressedSize: before.get('deflated.xml')!.compressedSize });
    expect(after.get('new.xml')!.method).toBe(8);
  });
});
