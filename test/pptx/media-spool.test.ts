import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openMediaSpool } from '../../src/pptx/media-spool.js';

const bytesOf = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) % 256));

describe('the media spool', () => {
  it('gives back every picture added, concurrent adds included, and leaves no file in its folder', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'si-spool-'));
    const spool = (await openMediaSpool(dir))!;
    expect(spool).toBeDefined();
    // Unlinked as soon as opened: a killed run leaves nothing (POSIX; Windows deletes it on close).
    if (process.platform !== 'win32') expect(await readdir(dir)).toEqual([]);
    const pictures = [bytesOf(150_000, 1), bytesOf(1, 2), bytesOf(70_000, 3), bytesOf(0, 4), bytesOf(300_000, 5)];
    const ranges = await Promise.all(pictures.map((p) => spool.add(p)));
    // No two ranges overlap.
    const sorted = [...ranges].sort((a, b) => a.offset - b.offset);
    sorted.slice(1).forEach((r, i) => expect(r.offset).toBeGreaterThanOrEqual(sorted[i]!.offset + sorted[i]!.length));
    const back = await Promise.all(ranges.map((r) => spool.read(r)));
    back.forEach((b, i) => expect(b.equals(pictures[i]!)).toBe(true));
    await spool.close();
    await spool.close();
    expect(await readdir(dir)).toEqual([]);
    await expect(spool.read(ranges[0]!)).rejects.toThrow(/after close/);
    await expect(spool.add(bytesOf(10, 6))).rejects.toThrow(/after close/);
  });

  it('is not there when its folder cannot hold a file: the pictures then stay in memory', async () => {
    expect(await openMediaSpool(path.join(os.tmpdir(), 'si-no-such-folder', String(Date.now())))).toBeUndefined();
  });
});
