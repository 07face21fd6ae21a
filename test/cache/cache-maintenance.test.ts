import { readdir, utimes } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pruneCache, readCacheStats } from '../../src/cache/cache-maintenance.js';
import { ENTRY_HEADER_BYTES, openCacheStore } from '../../src/cache/cache-store.js';
import { deadPid } from '../helpers/dead-pid.js';
import { writeTree } from '../helpers/deck-tree.js';
import { tempDir } from '../helpers/paths.js';

const hash = (c: string) => c.repeat(64);
const DAY = 86_400_000;

describe('cache stats and pruning', () => {
  it('counts entries and bytes per kind, with the oldest and newest use', async () => {
    const dir = await tempDir();
    const store = await openCacheStore(dir);
    await store.write('prompts', hash('a'), '{"prompt":"x"}');
    await store.write('images', hash('b'), Buffer.alloc(1000));
    await store.write('images', hash('c'), Buffer.alloc(500));
    await utimes(path.join(dir, 'images', hash('c')), new Date('2020-01-02T00:00:00Z'), new Date('2020-01-02T00:00:00Z'));
    await writeTree(dir, { 'images/README': Buffer.from('not an entry') });
    const stats = await readCacheStats(dir);
    expect(stats.entries).toEqual({ prompts: 1, images: 2, pictures: 0 });
    // Bytes on disk: each entry carries its size-and-hash header.
    expect(stats.bytes).toEqual({ prompts: 14 + ENTRY_HEADER_BYTES, images: 1500 + 2 * ENTRY_HEADER_BYTES, pictures: 0 });
    expect(stats.oldest?.toISOString()).toBe('2020-01-02T00:00:00.000Z');
    expect(stats.newest!.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('a missing cache is empty', async () => {
    const stats = await readCacheStats(path.join(await tempDir(), 'none'));
    expect(stats.entries).toEqual({ prompts: 0, images: 0, pictures: 0 });
    expect(stats.oldest).toBeUndefined();
  });

  it('prunes entries unused for longer than the bound, and temp files of dead writers only', async () => {
    const dir = await tempDir();
    const store = await openCacheStore(dir);
    await store.write('images', hash('a'), Buffer.alloc(100));
    await store.write('images', hash('b'), Buffer.alloc(200));
    const old = new Date(Date.now() - 40 * DAY);
    await utimes(path.join(dir, 'images', hash('b')), old, old);
    const dead = `.${hash('d')}.${deadPid()}.0123abcd.tmp`;
    const live = `.${hash('e')}.${process.pid}.0123abcd.tmp`;
    await writeTree(dir, { [`images/${dead}`]: Buffer.alloc(5), [`images/${live}`]: Buffer.alloc(5) });
    const result = await pruneCache(dir, 30 * DAY);
    expect(result).toEqual({ removed: 1, bytes: 200 + ENTRY_HEADER_BYTES, temps: 1 });
    expect((await readdir(path.join(dir, 'images'))).sort()).toEqual([live, hash('a')].sort());
  });

  it('prune clears claims whose heartbeat stopped past the stale bound, never a live one', async () => {
    const dir = await tempDir();
    await writeTree(dir, {
      [`claims/${hash('a')}`]: Buffer.from('{}'),
      [`claims/${hash('b')}`]: Buffer.from('{}'),
      [`claims/${hash('c')}.break`]: Buffer.from('1'),
      'claims/notes.txt': Buffer.from('x'),
    });
    const old = new Date(Date.now() - 11 * 60_000);
    for (const name of [hash('a'), `${hash('c')}.break`, 'notes.txt']) await utimes(path.join(dir, 'claims', name), old, old);
    expect(await pruneCache(dir, 30 * DAY)).toEqual({ removed: 0, bytes: 0, temps: 2 });
    expect((await readdir(path.join(dir, 'claims'))).sort()).toEqual([hash('b'), 'notes.txt']);
  });

  it('opening the store clears temp files a killed writer left', async () => {
    const dir = await tempDir();
    const dead = `.${hash('f')}.${deadPid()}.89abcdef.tmp`;
    await writeTree(dir, { [`prompts/${dead}`]: Buffer.from('{"pro') });
    await openCacheStore(dir);
    expect(await readdir(path.join(dir, 'prompts'))).toEqual([]);
  });
});
