// The queued schedule's pass lock, in Redis: schedulers on any machines that share the queue never
// run two passes at once. SET NX PX with a random token, renewed while the pass runs (compare and
// PEXPIRE), released by compare and DEL; a scheduler that dies frees it within `ttlMs`.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { sha256 } from './jobs.js';

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export const SCHEDULE_LOCK_TTL_MS = 60_000;

/** One lock per output folder: two schedules writing elsewhere do not wait for each other. */
export function scheduleLockKey(prefix: string, outputDir: string): string {
  return `${prefix}:schedule:${sha256(outputDir).slice(0, 16)}`;
}

export type LockedPass<T> = { ran: true; value: T } | { ran: false; owner: string };

// Runs `pass` under the lock, or returns who holds it. A lost renewal (Redis away past the TTL)
// aborts the pass's signal: another scheduler may have started one.
export async function withScheduleLock<T>(
  redis: Redis,
  key: string,
  pass: (signal: AbortSignal) => Promise<T>,
  ttlMs = SCHEDULE_LOCK_TTL_MS,
): Promise<LockedPass<T>> {
  const token = `${hostname()} pid ${process.pid} since ${new Date().toISOString()} ${randomUUID()}`;
  const taken = await redis.set(key, token, 'PX', ttlMs, 'NX');
  if (taken !== 'OK') {
    const owner = (await redis.get(key)) ?? 'another scheduler';
    return { ran: false, owner: owner.replace(/ [0-9a-f-]{36}$/, '') };
  }
  const lost = new AbortController();
  const timer = setInterval(() => {
    redis
      .eval(RENEW, 1, key, token, ttlMs)
      .then((renewed) => {
        if (renewed !== 1) lost.abort(new Error('the schedule lock in Redis was lost; stopping this pass'));
      })
      .catch(() => undefined);
  }, ttlMs / 3);
  try {
    return { ran: true, value: await pass(lost.signal) };
  } finally {
    clearInterval(timer);
    await redis.eval(RELEASE, 1, key, token).catch(() => undefined);
  }
}
