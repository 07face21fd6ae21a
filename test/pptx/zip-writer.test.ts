// The zip writer: entries other readers accept (jszip, unzip, Python's zipfile), zip64 by force and by count.
import { execFile } from 'node:child_process';
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { deflateRawSync } from 'node:zlib';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../src/internal/crc32.js';
import { listCentralDirectory } from '../../src/pptx/package.js';
import { ZipWriter, type ZipEntry } from '../../src/pptx/zip-writer.js';
import { tempDir } from '../helpers/paths.js';

const run = promisify(execFile);

function deflated(name: string, text: string): [ZipEntry, Buffer] {
  const data = Buffer.from(text, 'utf8');
  const bytes = deflateRawSync(data);
  return [{ name, method: 8, crc32: crc32(data), size: data.length, compressedSize: bytes.length }, bytes];
}

function stored(name: string, text: string): [ZipEntry, Buffer] {
  const data = Buffer.from(text, 'utf8');
  return [{ name, method: 0, crc32: crc32(data), size: data.length, compressedSize: data.length }, data];
}

async function writeZip(file: string, entries: [ZipEntry, Buffer][], forceZip64: boolean | 'end' = false): Promise<Buffer> {
  const handle = await open(file, 'w');
  try {
    const zip = new ZipWriter(handle, { forceZip64 });
    await Promise.all(entries.map(([e, d]) => zip.add(e, d)));
    const length = await zip.finish();
    expect((await handle.stat()).size).toBe(length);
  } finally {
    await handle.close();
  }
  return readFile(file);
}

// Python's zipfile: names in order and every CRC checked (testzip), and whether it saw zip64 end records.
async function pythonReads(file: string): Promise<{ names: number; bad: string | null; first: string; last: string }> {
  const script = [
    'import json, sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    'n = z.namelist()',
    'print(json.dumps({"names": len(n), "bad": z.testzip(), "first": n[0], "last": n[-1]}))',
  ].join('\n');
  const { stdout } = await run('python3', ['-c', script, file], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as { names: number; bad: string | null; first: string; last: string };
}

const sample = (): [ZipEntry, Buffer][] => [
  deflated('[Content_Types].xml', `<Types>${'x'.repeat(3000)}</Types>`),
  stored('ppt/slides/slide1.xml', '<p:sld/>'),
  deflated('ppt/media/é picture.xml', `<a>${'é'.repeat(500)}</a>`),
  stored('docProps/', ''),
];

describe('the zip writer', () => {
  it('writes stored and deflated entries that jszip (CRC checked), unzip -t and Python read back whole', async () => {
    const file = path.join(await tempDir(), 'plain.zip');
    const bytes = await writeZip(file, sample());
    const back = await JSZip.loadAsync(bytes, { checkCRC32: true });
    expect(await back.file('ppt/media/é picture.xml')!.async('string')).toBe(`<a>${'é'.repeat(500)}</a>`);
    expect(await back.file('ppt/slides/slide1.xml')!.async('string')).toBe('<p:sld/>');
    await run('unzip', ['-tq', file]);
    expect(await pythonReads(file)).toEqual({ names: 4, bad: null, first: '[Content_Types].xml', last: 'docProps/' });
    // No zip64 record where none is needed; our own reader agrees on every field.
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(false);
    const entries = listCentralDirectory('plain.zip', bytes);
    expect(entries.map((e) => [e.name, e.method, e.size, e.utf8])).toEqual([
      ['[Content_Types].xml', 8, 3015, false],
      ['ppt/slides/slide1.xml', 0, 8, false],
      ['ppt/media/é picture.xml', 8, 1007, true],
      ['docProps/', 0, 0, false],
    ]);
  });

  it('forced zip64 (extra fields on every entry, zip64 end records) is still read by jszip, unzip, Python and our reader', async () => {
    const file = path.join(await tempDir(), 'forced.zip');
    const bytes = await writeZip(file, sample(), true);
    // (LibreOffice 7.4 refuses any zip64 package, Python's own included: zip64 is written only when needed.)
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true); // zip64 end of central directory
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x07]))).toBe(true); // its locator
    expect(bytes.readUInt16LE(bytes.length - 12)).toBe(0xffff); // the classic record defers to it
    const back = await JSZip.loadAsync(bytes, { checkCRC32: true });
    expect(await back.file('[Content_Types].xml')!.async('string')).toHaveLength(3015);
    await run('unzip', ['-tq', file]);
    expect(await pythonReads(file)).toMatchObject({ names: 4, bad: null });
    const entries = listCentralDirectory('forced.zip', bytes);
    // The sizes and offsets come from the zip64 extra fields (the 32-bit slots hold 0xffffffff).
    expect(entries.map((e) => e.size)).toEqual([3015, 8, 1007, 0]);
    expect(entries[1]!.localOffset).toBeGreaterThan(0);
    expect(bytes.readUInt32LE(entries[1]!.localOffset)).toBe(0x04034b50);
  });

  it('zip64 end records alone (forced) are read by unzip and Python, the classic record deferring to them', async () => {
    const file = path.join(await tempDir(), 'end.zip');
    const bytes = await writeZip(file, sample(), 'end');
    expect(bytes.readUInt16LE(bytes.length - 12)).toBe(0xffff);
    expect(bytes.readUInt32LE(bytes.length - 6)).toBe(0xffffffff); // the directory's offset, in the zip64 record only
    expect(listCentralDirectory('end.zip', bytes).map((e) => e.name)).toEqual(sample().map(([e]) => e.name));
    await run('unzip', ['-tq', file]);
    expect(await pythonReads(file)).toMatchObject({ names: 4, bad: null });
  });

  it('more than 65 535 entries switch to zip64 end records by themselves', { timeout: 120_000 }, async () => {
    const file = path.join(await tempDir(), 'many.zip');
    const count = 65_540;
    const entries = Array.from({ length: count }, (_, i) => stored(`e/${i}`, ''));
    const bytes = await writeZip(file, entries);
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true);
    // The record's total entry count, 8 bytes at offset 32.
    const record = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x06, 0x06]));
    expect(Number(bytes.readBigUInt64LE(record + 32))).toBe(count);
    expect(await pythonReads(file)).toEqual({ names: count, bad: null, first: 'e/0', last: `e/${count - 1}` });
    await run('unzip', ['-tq', file], { maxBuffer: 1 << 24 });
  });

  it('refuses an entry whose bytes do not match its compressed size, and an entry after finish', async () => {
    const handle = await open(path.join(await tempDir(), 'x.zip'), 'w');
    try {
      const zip = new ZipWriter(handle);
      const [entry, data] = stored('a.xml', '<a/>');
      await expect(zip.add({ ...entry, compressedSize: 3 }, data)).rejects.toThrow(/has 4 bytes, not 3/);
      await zip.finish();
      await expect(zip.add(entry, data)).rejects.toThrow(/after finish/);
    } finally {
      await handle.close();
    }
  });

  it('a write that fails fails every later write and the finish', async () => {
    const handle = await open(path.join(await tempDir(), 'closed.zip'), 'w');
    await handle.close(); // every write now fails (EBADF)
    const zip = new ZipWriter(handle);
    const [entry, data] = stored('a.xml', '<a/>');
    await expect(zip.add(entry, data)).rejects.toThrow();
    await expect(zip.add({ ...entry, name: 'b.xml' }, data)).rejects.toThrow();
    await expect(zip.finish()).rejects.toThrow();
  });
});

describe('crc32', () => {
  it('is the CRC-32 of zip (the check value of "123456789")', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });
});
