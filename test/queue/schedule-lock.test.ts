// The queued schedule's pass lock on the private Redis.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newRedis } from '../../src/queue/connection.js';
import { scheduleLockKey, withScheduleLock } from '../../src/queue/schedule-lock.js';
import { testPrefix, testRedisUrl } from '../helpers/queue.js';

let redis: Redis;
beforeAll(async () => {
  redis = await newRedis(testRedisUrl(), { maxRetriesPerRequest: 1 });
});
afterAll(() => redis.disconnect());

describe('the schedule lock', () => {
  test('a second pass while one runs is refused with its owner; after the first ends the lock is free', async () => {
    const key = scheduleLockKey(testPrefix('lock'), '/srv/out');
    let release!: () => void;
    const first = withScheduleLock(redis, key, () => new Promise<string>((r) => (release = () => r('first'))));
    await new Promise((r) => setTimeout(r, 50));
    const second = await withScheduleLock(redis, key, async () => 'second');
    expect(second.ran).toBe(false);
    expect(second.ran ? '' : second.owner).toMatch(new RegExp(`pid ${process.pid} since \\d{4}-`));
    release();
    expect(await first).toEqual({ ran: true, value: 'first' });
    expect(await redis.exists(key)).toBe(0);
    expect(await withScheduleLock(redis, key, async () => 'third')).toEqual({ ran: true, value: 'third' });
  });

  test('the lock is renewed past its TTL while the pass runs, and a lost lock aborts the pass', async () => {
    const key = scheduleLockKey(testPrefix('lock'), '/srv/out');
    const kept = await withScheduleLock(
      redis,
      key,
      async () => {
        await new Promise((r) => setTimeout(r, 700));
        return redis.pttl(key);
      },
      300,
    );
    expect(kept.ran && kept.value).toBeGreaterThan(0);
    const lost = await withScheduleLock(
      redis,
      key,
      async (signal) => {
        await redis.set(key, 'someone else');
        await new Promise((r) => setTimeout(r, 400));
        return signal.aborted;
      },
      300,
    );
    expect(lost).toEqual({ ran: true, value: true });
    // Not ours any more: left alone.
    expect(await redis.get(key)).toBe('someone else');
  });
});
