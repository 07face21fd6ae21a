import { execFileSync } from 'node:child_process';
import { mkdir, open, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/internal/lock-file.js';
import { deadPid } from '../helpers/dead-pid.js';
import { tempDir } from '../helpers/paths.js';

const owner = (pid: number, host = os.hostname()) =>
  JSON.stringify({ pid, host, startedAt: '2026-01-01T00:00:00.000Z', token: 'someone-else' });

describe('acquireLock', () => {
  it('is exclusive while held, and free again once released', async () => {
    const file = path.join(await tempDir(), 'x.lock');
    const a = await acquireLock(file);
    expect(a.acquired).toBe(true);
    const b = await acquireLock(file);
    expect(b).toMatchObject({ acquired: false, owner: { pid: process.pid, host: os.hostname() } });
    if (a.acquired) await a.lock.release();
    await expect(stat(file)).rejects.toThrow();
    const c = await acquireLock(file);
    expect(c.acquired).toBe(true);
    if (c.acquired) await c.lock.release();
  });

  it('takes over a lock whose owner died (pid gone on this host)', async () => {
    const file = path.join(await tempDir(), 'x.lock');
    await writeFile(file, owner(deadPid()));
    const a = await acquireLock(file);
    expect(a.acquired).toBe(true);
    expect(JSON.parse(await readFile(file, 'utf8')).pid).toBe(process.pid);
    if (a.acquired) await a.lock.release();
  });

  it('takes over a lock whose heartbeat is older than the stale bound, even with a live pid or another host', async () => {
    const file = path.join(await tempDir(), 'x.lock');
    await writeFile(file, owner(process.pid, 'other-host'));
    const old = new Date(Date.now() - 11 * 60_000);
    await utimes(file, old, old);
    const a = await acquireLock(file);
    expect(a.acquired).toBe(true);
    if (a.acquired) await a.lock.release();
  });

  it('respects a fresh lock from another host, whose pid cannot be checked here', async () => {
    const file = path.join(await tempDir(), 'x.lock');
    await writeFile(file, owner(deadPid(), 'other-host'));
    expect(await acquireLock(file)).toMatchObject({ acquired: false, owner: { host: 'other-host' } });
  });

  it('an unreadable lock is respected while fresh (its owner may be writing it) and taken over once old', async () => {
    const file = path.join(await tempDir(), 'x.lock');
    await writeFile(file, '');
    expect(await acquireLock(file)).toEqual({ acquired: false, owner: undefined });
    const old = new Date(Date.now() - 60_000);
    await utimes(file, old, old);
    const taken = await acquireLock(file);
    expect(taken.acquired).toBe(true);
    if (taken.acquired) await taken.lock.release();
  });

  it('release never deletes a lock that someone else holds now', async () => {
    const file = path.join(await tempDir(), 'x.lock');
    const a = await acquireLock(file);
    expect(a.acquired).toBe(true);
    await writeFile(file, owner(process.pid));
    if (a.acquired) await a.lock.release();
    expect(JSON.parse(await readFile(file, 'utf8')).token).toBe('someone-else');
  });

  it('keeps its lock fresh with a heartbeat', async () => {
    const file = path.join(await tempDir(), 'x.lock');
    const a = await acquireLock(file, { heartbeatMs: 20 });
    const old = new Date(Date.now() - 3_600_000);
    await utimes(file, old, old);
    await new Promise((r) => setTimeout(r, 100));
    expect((await stat(file)).mtimeMs).toBeGreaterThan(Date.now() - 10_000);
    if (a.acquired) await a.lock.release();
  });

  // Issue 12, defect 11: a 300 MB file at the lock's path was read whole (665 MB RSS).
  it('never reads a huge file at the lock path whole: foreign, taken over once old', async () => {
    const file = path.join(await tempDir(), 'x.lock');
    const handle = await open(file, 'w');
    await handle.truncate(300 * 2 ** 20); // sparse: no disk used, but a whole read would allocate 300 MB
    await handle.close();
    expect(await acquireLock(file)).toEqual({ acquired: false, owner: undefined });
    const old = new Date(Date.now() - 60_000);
    await utimes(file, old, old);
    const rssBefore = process.resourceUsage().maxRSS; // KB, the peak so far
    const taken = await acquireLock(file);
    const grewMb = (process.resourceUsage().maxRSS - rssBefore) / 1024;
    expect(taken.acquired).toBe(true);
    expect(grewMb).toBeLessThan(100);
    expect(JSON.parse(await readFile(file, 'utf8')).pid).toBe(process.pid);
    if (taken.acquired) await taken.lock.release();
  });

  it('refuses a folder or a FIFO at the lock path with a message naming it, without hanging or deleting it', async () => {
    const dir = await tempDir();
    const folder = path.join(dir, 'folder.lock');
    await mkdir(folder);
    await expect(acquireLock(folder)).rejects.toThrow(`${folder}: a folder where a lock file belongs; remove it and run again`);
    expect((await stat(folder)).isDirectory()).toBe(true);
    const fifo = path.join(dir, 'fifo.lock');
    execFileSync('mkfifo', [fifo]);
    const outcome = await Promise.race([
      acquireLock(fifo).then(
        () => 'acquired',
        (e: Error) => e.message,
      ),
      new Promise((r) => setTimeout(() => r('hung'), 5_000)),
    ]);
    expect(outcome).toBe(`${fifo}: not a regular file where a lock file belongs; remove it and run again`);
  });
});
