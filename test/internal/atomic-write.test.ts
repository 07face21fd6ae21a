import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { writeFileAtomic } from '../../src/internal/atomic-write.js';

const scratch = () => mkdtemp(path.join(os.tmpdir(), 'si-atomic-'));

describe('writeFileAtomic', () => {
  test('writes bytes and a stream whole, leaving no temp file', async () => {
    const dir = await scratch();
    await writeFileAtomic(path.join(dir, 'a.bin'), Buffer.from([1, 2, 3]));
    const chunks = Array.from({ length: 50 }, (_, i) => Buffer.alloc(64 * 1024, i));
    await writeFileAtomic(path.join(dir, 'sub', 'b.bin'), Readable.from(chunks));
    expect([...(await readFile(path.join(dir, 'a.bin')))]).toEqual([1, 2, 3]);
    expect((await readFile(path.join(dir, 'sub', 'b.bin'))).equals(Buffer.concat(chunks))).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['a.bin', 'sub']);
    expect(await readdir(path.join(dir, 'sub'))).toEqual(['b.bin']);
  });

  test('writes an array of chunks as one file, in order', async () => {
    const dir = await scratch();
    const chunks = [Buffer.from('head\n'), Buffer.alloc(300 * 1024, 7), Buffer.from('tail')];
    await writeFileAtomic(path.join(dir, 'c.bin'), chunks);
    expect((await readFile(path.join(dir, 'c.bin'))).equals(Buffer.concat(chunks))).toBe(true);
    expect(await readdir(dir)).toEqual(['c.bin']);
  });

  test('a stream that fails midway leaves the previous file untouched and no temp file', async () => {
    const dir = await scratch();
    const file = path.join(dir, 'deck.pptx');
    await writeFile(file, 'previous');
    async function* failing() {
      yield Buffer.alloc(100_000, 1);
      throw new Error('zip generation failed');
    }
    await expect(writeFileAtomic(file, Readable.from(failing()))).rejects.toThrow('zip generation failed');
    expect(await readFile(file, 'utf8')).toBe('previous');
    expect(await readdir(dir)).toEqual(['deck.pptx']);
  });
});

describe('writeFileAtomic on special paths', () => {
  test('refuses to replace a device node or a FIFO, leaving it as it was and no temp file', async () => {
    const dir = await scratch();
    execFileSync('mknod', [path.join(dir, 'null'), 'c', '1', '3']);
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    await expect(writeFileAtomic(path.join(dir, 'null'), 'data')).rejects.toThrow(
      `${path.join(dir, 'null')}: is a character device; only a regular file is ever replaced`,
    );
    await expect(writeFileAtomic(path.join(dir, 'pipe'), 'data')).rejects.toThrow(
      `${path.join(dir, 'pipe')}: is a FIFO (named pipe); only a regular file is ever replaced`,
    );
    expect((await stat(path.join(dir, 'null'))).isCharacterDevice()).toBe(true);
    expect((await stat(path.join(dir, 'pipe'))).isFIFO()).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['null', 'pipe']);
  });

  test('fails in one error naming the folder where recursive mkdir would spin (/proc)', async () => {
    await expect(writeFileAtomic('/proc/nope/x.pptx', 'data')).rejects.toThrow(/^\/proc\/nope: cannot create the folder \(E[A-Z]+\)$/);
  });
});
