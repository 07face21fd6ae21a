// A lock that survives crashes: an O_EXCL file holding its owner's pid, host, start time and a
// random token, kept fresh by a heartbeat. A lock is stale — and taken over — when its owner's pid
// is dead on this host, or when its heartbeat is older than the stale bound (a crashed owner on
// another host sharing the folder, or a reused pid).
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, open, rm, stat, utimes } from 'node:fs/promises';
import os from 'node:os';
import { SlideIllustrateError } from '../errors.js';
import { isProcessAlive } from './pid.js';

/** A live owner refreshes its lock every 30 s; ten missed refreshes mean it is gone. */
export const LOCK_HEARTBEAT_MS = 30_000;
export const LOCK_STALE_MS = 10 * 60_000;
/** An unreadable lock younger than this may still be being written by its owner. */
const FRESH_MS = 5_000;
/** A lock is one short JSON line; anything longer is not ours and is never read whole. */
const MAX_LOCK_BYTES = 4096;

export interface LockOwner {
  pid: number;
  host: string;
  /** ISO time the owner took the lock. */
  startedAt: string;
  token: string;
}

export interface HeldLock {
  readonly owner: LockOwner;
  release(): Promise<void>;
}

export type LockAttempt = { acquired: true; lock: HeldLock } | { acquired: false; owner: LockOwner | undefined };

export interface LockOptions {
  staleMs?: number;
  heartbeatMs?: number;
}

// Takes the lock at `file`, taking over a stale one; reports the owner when a live process holds it.
export async function acquireLock(file: string, options: LockOptions = {}): Promise<LockAttempt> {
  const staleMs = options.staleMs ?? LOCK_STALE_MS;
  // Three rounds: a stale lock is broken, then another process may win the race to re-create it.
  for (let round = 0; round < 3; round++) {
    const owner: LockOwner = {
      pid: process.pid,
      host: os.hostname(),
      startedAt: new Date().toISOString(),
      token: randomBytes(8).toString('hex'),
    };
    if (await createExclusive(file, JSON.stringify(owner)))
      return { acquired: true, lock: holdLock(file, owner, options.heartbeatMs ?? LOCK_HEARTBEAT_MS) };
    const current = await readLock(file);
    if (!current) continue;
    if (!isStale(current, staleMs)) return { acquired: false, owner: current.owner };
    await breakStaleLock(file, current.text);
  }
  return { acquired: false, owner: (await readLock(file))?.owner };
}

// --- internal ---

interface LockOnDisk {
  text: string;
  owner: LockOwner | undefined;
  mtimeMs: number;
}

async function createExclusive(file: string, text: string): Promise<boolean> {
  try {
    const handle = await open(file, 'wx');
    try {
      await handle.writeFile(text);
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

// Reads a lock without trusting what is at its path: opened without following a link and without
// blocking (a FIFO would hang a read), checked on the open handle, and read for at most 4 KB. Anything
// larger is foreign content (owner unknown, taken over once old); a folder, a device or a FIFO there
// is refused with a message naming the path rather than deleted.
async function readLock(file: string): Promise<LockOnDisk | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') throw notALock(file, 'a symbolic link');
    return undefined;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw notALock(file, info.isDirectory() ? 'a folder' : 'not a regular file');
    if (info.size > MAX_LOCK_BYTES)
      return { text: `foreign: ${info.size} bytes, mtime ${info.mtimeMs}`, owner: undefined, mtimeMs: info.mtimeMs };
    const buffer = Buffer.alloc(MAX_LOCK_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, MAX_LOCK_BYTES, 0);
    const text = buffer.toString('utf8', 0, bytesRead);
    return { text, owner: parseOwner(text), mtimeMs: info.mtimeMs };
  } catch (error) {
    if (error instanceof SlideIllustrateError) throw error;
    return undefined;
  } finally {
    await handle.close();
  }
}

function notALock(file: string, what: string): SlideIllustrateError {
  return new SlideIllustrateError(`${file}: ${what} where a lock file belongs; remove it and run again`);
}

function isStale(lock: LockOnDisk, staleMs: number): boolean {
  const age = Date.now() - lock.mtimeMs;
  if (!lock.owner) return age > FRESH_MS;
  if (lock.owner.host === os.hostname() && !isProcessAlive(lock.owner.pid)) return true;
  return age > staleMs;
}

/**
 * Removes a stale lock, but only the one judged stale: breakers take a short-lived side lock and
 * re-read the file, so two processes breaking at once cannot delete a fresh lock the other just made.
 */
async function breakStaleLock(file: string, judged: string): Promise<void> {
  const breaker = `${file}.break`;
  if (!(await createExclusive(breaker, String(process.pid)))) {
    const info = await stat(breaker).catch(() => undefined);
    // A breaker that crashed holding the side lock: clear it; the next round tries again.
    if (info && Date.now() - info.mtimeMs > FRESH_MS) await rm(breaker, { force: true });
    return;
  }
  try {
    const again = await readLock(file).catch(() => undefined);
    if (again?.text === judged) await rm(file, { force: true });
  } finally {
    await rm(breaker, { force: true });
  }
}

function holdLock(file: string, owner: LockOwner, heartbeatMs: number): HeldLock {
  const timer = setInterval(() => {
    const now = new Date();
    void utimes(file, now, now).catch(() => undefined);
  }, heartbeatMs);
  // The heartbeat alone must not keep the process alive.
  timer.unref();
  return {
    owner,
    async release() {
      clearInterval(timer);
      const current = await readLock(file);
      if (current?.owner?.token === owner.token) await rm(file, { force: true });
    },
  };
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockOwner>;
    if (typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.startedAt === 'string' && typeof v.token === 'string')
      return v as LockOwner;
  } catch {
    // Half-written or foreign content: treated as unreadable.
  }
  return undefined;
}
