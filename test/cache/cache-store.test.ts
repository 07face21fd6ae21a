// The store verifies what it reads: size + CRC-32 in each entry's header (size + sha256 in the
// first header, still read); entries of earlier versions (no header) by decoding them, then
// rewritten with a header.
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ENTRY_HEADER_BYTES, openCacheStore, type CacheKind } from '../../src/cache/cache-store.js';
import { crc32 } from '../../src/internal/crc32.js';
import { tempDir } from '../helpers/paths.js';

const hash = (c: string) => c.repeat(64);

async function storeWith(entries: Partial<Record<CacheKind, Record<string, Buffer | string>>>) {
  const dir = await tempDir();
  for (const [kind, files] of Object.entries(entries)) {
    await mkdir(path.join(dir, kind), { recursive: true });
    for (const [name, data] of Object.entries(files)) await writeFile(path.join(dir, kind, name), data);
  }
  const corrupt: string[] = [];
  const store = await openCacheStore(dir, { onCorrupt: (kind, h) => corrupt.push(`${kind}/${h.slice(0, 1)}`) });
  return { dir, store, corrupt };
}

describe('cache store integrity', () => {
  it('writes a header with the size and CRC-32, and reads back the payload alone', async () => {
    const { dir, store, corrupt } = await storeWith({});
    await store.write('prompts', hash('a'), '{"prompt":"x"}');
    const raw = await readFile(path.join(dir, 'prompts', hash('a')));
    expect(ENTRY_HEADER_BYTES).toBe(31); // this Node has a native CRC-32
    expect(raw.length).toBe(ENTRY_HEADER_BYTES + 14);
    const crc = crc32(Buffer.from('{"prompt":"x"}')).toString(16).padStart(8, '0');
    expect(raw.toString('latin1', 0, ENTRY_HEADER_BYTES)).toBe(`SICACHE2 000000000014 ${crc}\n`);
    expect((await store.read('prompts', hash('a')))?.toString()).toBe('{"prompt":"x"}');
    expect(corrupt).toEqual([]);
  });

  it('still reads entries with the first header (size and sha256), and refuses a damaged one', async () => {
    const entry = (payload: string, digest = createHash('sha256').update(payload).digest('hex')) =>
      `SICACHE1 ${String(Buffer.byteLength(payload)).padStart(12, '0')} ${digest}\n${payload}`;
    const { store, corrupt } = await storeWith({
      prompts: { [hash('a')]: entry('{"prompt":"old"}'), [hash('b')]: entry('{"prompt":"old"}', 'f'.repeat(64)) },
    });
    expect((await store.read('prompts', hash('a')))?.toString()).toBe('{"prompt":"old"}');
    expect(await store.read('prompts', hash('b'))).toBeUndefined();
    expect(corrupt).toEqual([`prompts/${hash('b').slice(0, 1)}`]);
  });

  it('entries from before the header: sound ones are hits and are upgraded, damaged ones are removed', async () => {
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#993366' } })
      .jpeg()
      .toBuffer();
    const picture = Buffer.concat([Buffer.from('{"format":"jpeg","width":64,"height":48,"srcRect":null}\n'), jpeg]);
    const { dir, store, corrupt } = await storeWith({
      prompts: { [hash('a')]: '{"prompt":"a lighthouse"}', [hash('b')]: '{"prompt":"cut sho' },
      images: { [hash('c')]: png, [hash('d')]: png.subarray(0, png.length - 20) },
      pictures: { [hash('e')]: picture, [hash('f')]: picture.subarray(0, 70) },
    });
    expect((await store.read('prompts', hash('a')))?.toString()).toBe('{"prompt":"a lighthouse"}');
    expect((await store.read('images', hash('c')))?.equals(png)).toBe(true);
    expect((await store.read('pictures', hash('e')))?.equals(picture)).toBe(true);
    for (const [kind, h] of [
      ['prompts', 'a'],
      ['images', 'c'],
      ['pictures', 'e'],
    ] as const) {
      expect((await readFile(path.join(dir, kind, hash(h)))).toString('latin1', 0, 9), `${kind} upgraded`).toBe('SICACHE2 ');
    }
    expect((await store.read('images', hash('c')))?.equals(png)).toBe(true);

    expect(await store.read('prompts', hash('b'))).toBeUndefined();
    expect(await store.read('images', hash('d'))).toBeUndefined();
    expect(await store.read('pictures', hash('f'))).toBeUndefined();
    expect(corrupt).toEqual(['prompts/b', 'images/d', 'pictures/f']);
    for (const [kind, h] of [
      ['prompts', 'b'],
      ['images', 'd'],
      ['pictures', 'f'],
    ] as const) {
      await expect(stat(path.join(dir, kind, hash(h)))).rejects.toThrow(/ENOENT/);
    }
  });

  it('an entry cut inside its header, or with a size that disagrees, is corrupt; a missing one is a plain miss', async () => {
    const { dir, store, corrupt } = await storeWith({});
    await store.write('prompts', hash('a'), '{"prompt":"x"}');
    const whole = await readFile(path.join(dir, 'prompts', hash('a')));
    await writeFile(path.join(dir, 'prompts', hash('b')), whole.subarray(0, 5));
    await writeFile(path.join(dir, 'prompts', hash('c')), whole.subarray(0, 40));
    await writeFile(path.join(dir, 'prompts', hash('d')), Buffer.concat([whole, Buffer.from(' ')]));
    for (const h of ['b', 'c', 'd']) expect(await store.read('prompts', hash(h)), h).toBeUndefined();
    expect(await store.read('prompts', hash('e'))).toBeUndefined();
    expect(corrupt).toEqual(['prompts/b', 'prompts/c', 'prompts/d']);
  });
});
