// The rpm limiter shared through Redis: two limiters on one key stand for two worker processes.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newRedis } from '../../src/queue/connection.js';
import { createRedisRateLimiter, limiterKeys, marginOf } from '../../src/queue/redis-rate-limiter.js';
import { busiestWindow } from '../helpers/busiest-window.js';
import { testPrefix, testRedisUrl } from '../helpers/queue.js';

let redis: Redis;
beforeAll(async () => {
  redis = await newRedis(testRedisUrl(), { maxRetriesPerRequest: 1 });
});
afterAll(() => redis.disconnect());

const limiterPair = (rpm: number, windowMs: number) => {
  const prefix = testPrefix('rl');
  const make = () => createRedisRateLimiter({ redis, prefix, rpm, windowMs, scope: 'https://api.example' });
  return { a: make(), b: make(), prefix };
};

describe('the Redis rate limiter', () => {
  test('two limiters on one key admit at most rpm starts in any window between them', async () => {
    const windowMs = 400;
    const { a, b } = limiterPair(4, windowMs);
    const started: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        await (i % 2 ? a : b).acquire();
        started.push(performance.now() - t0);
      }),
    );
    // 12 starts at 4 per window: the last one no earlier than two full windows after the first.
    expect(busiestWindow(started, windowMs)).toBeLessThanOrEqual(4);
    expect(Math.max(...started)).toBeGreaterThanOrEqual(2 * windowMs);
  });

  test("one limiter's pause (a 429's Retry-After) holds back the other", async () => {
    const { a, b } = limiterPair(100, 1000);
    await b.acquire();
    a.pause(300);
    await new Promise((r) => setTimeout(r, 20));
    const t0 = performance.now();
    await b.acquire();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(250);
  });

  test('a refusal halves the shared rate once per generation; accepted requests raise it again', async () => {
    const { a, b, prefix } = limiterPair(8, 200);
    const permitA = await a.acquire();
    const permitB = await b.acquire();
    a.refused(permitA);
    // At once, for this process's own log line ("now 4 of 8 rpm").
    expect(a.rpm).toBe(4);
    // Started under the same rate: its refusal says nothing more.
    b.refused(permitB);
    await new Promise((r) => setTimeout(r, 50));
    const { state } = limiterKeys(prefix, 'https://api.example');
    expect(await redis.hget(state, 'rate')).toBe('4');
    const next = await b.acquire();
    expect(b.rpm).toBe(4);
    for (let i = 0; i < 4; i++) b.accepted(next);
    await new Promise((r) => setTimeout(r, 50));
    expect(await redis.hget(state, 'rate')).toBe('5');
  });

  test('the margin stretches the window by 2 %, between 100 ms and 1 s', () => {
    expect(marginOf(60_000)).toBe(1000);
    expect(marginOf(6000)).toBe(120);
    expect(marginOf(500)).toBe(100);
  });
});
