import { deflateRawSync } from 'node:zlib';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { addDeflatedPart, deflatePart, keepLoadedCompression, MEDIA_DEFLATE_LEVEL } from '../../src/pptx/deflated-part.js';
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
