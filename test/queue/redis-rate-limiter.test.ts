// The rpm limiter shared through Redis: two limiters on one key stand for two worker processes.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newRedis } from '../../src/queue/connection.js';
import type { RateLimiter } from '../../src/providers/rate-limiter.js';
import { createRedisRateLimiter, leaseOf, limiterKeys } from '../../src/queue/redis-rate-limiter.js';
import { busiestWindow } from '../helpers/busiest-window.js';
import { testPrefix, testRedisUrl } from '../helpers/queue.js';

let redis: Redis;
beforeAll(async () => {
  redis = await newRedis(testRedisUrl(), { maxRetriesPerRequest: 1 });
});
afterAll(() => redis.disconnect());

const limiterPair = (rpm: number, windowMs: number, more: { timeoutMs?: number; transitMs?: number } = {}) => {
  const prefix = testPrefix('rl');
  const make = () => createRedisRateLimiter({ redis, prefix, rpm, windowMs, scope: 'https://api.example', timeoutMs: 30_000, ...more });
  return { a: make(), b: make(), prefix };
};

/**
 * A permit for a request sent and answered at once; `arrivals` gets the time it reached the API,
 * between its admission and its answer.
 */
async function take(limiter: RateLimiter, arrivals?: number[], t0 = 0) {
  const permit = await limiter.acquire();
  arrivals?.push(performance.now() - t0);
  limiter.done(permit, { answered: true });
  return permit;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the Redis rate limiter', () => {
  test('two limiters on one key admit at most rpm starts in any window between them', async () => {
    const windowMs = 400;
    const { a, b } = limiterPair(4, windowMs);
    const started: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        await take(i % 2 ? a : b, started, t0);
      }),
    );
    // 12 starts at 4 per window: the last one no earlier than two full windows after the first.
    expect(busiestWindow(started, windowMs)).toBeLessThanOrEqual(4);
    expect(Math.max(...started)).toBeGreaterThanOrEqual(2 * windowMs);
  });

  test("one limiter's pause (a 429's Retry-After) holds back the other", async () => {
    const { a, b } = limiterPair(100, 1000);
    await take(b);
    a.pause(300);
    await sleep(20);
    const t0 = performance.now();
    await take(b);
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
    a.done(permitA, { answered: true });
    b.done(permitB, { answered: true });
    const next = await take(b);
    expect(b.rpm).toBe(4);
    for (let i = 0; i < 4; i++) b.accepted(next);
    await new Promise((r) => setTimeout(r, 50));
    expect(await redis.hget(state, 'rate')).toBe('5');
  });

  test('a request admitted at once but sent late: the API, counting arrivals, never sees more than rpm in a window', async () => {
    // Worker a's request is admitted, then its event loop is starved: it reaches the API 250 ms later
    // and is answered at once. Worker b sends the others as soon as they are admitted. Counted from
    // admission alone (the old rule, even with its 100 ms margin), b's next two went at 400 ms
    // beside a's arrival at 250: three in one window at the API.
    const windowMs = 400;
    const { a, b } = limiterPair(2, windowMs);
    const arrivals: number[] = [];
    const t0 = performance.now();
    const late = await a.acquire();
    await take(b, arrivals, t0);
    await sleep(250);
    arrivals.push(performance.now() - t0);
    a.done(late, { answered: true, sentAgoMs: 0 });
    for (let i = 0; i < 2; i++) await take(b, arrivals, t0);
    expect(busiestWindow(arrivals, windowMs)).toBeLessThanOrEqual(2);
    // The last one waited a full window after the late arrival's answer.
    expect(arrivals[3]! - arrivals[1]!).toBeGreaterThanOrEqual(windowMs);
  });

  test('a request in flight holds its place past the window until it ends', async () => {
    const { a, b } = limiterPair(1, 100);
    const out = await a.acquire();
    let admitted = false;
    const next = b.acquire().then((p) => ((admitted = true), p));
    await sleep(400);
    expect(admitted).toBe(false);
    a.done(out, { answered: true });
    b.done(await next, { answered: true });
    expect(admitted).toBe(true);
  });

  test('a worker that never says its request ended (kill -9) holds the place until its lease ends, then a window', async () => {
    const windowMs = 200;
    const { a, b } = limiterPair(1, windowMs, { timeoutMs: 100, transitMs: 50 });
    expect(leaseOf(100, windowMs, 50)).toBe(350);
    const lost = await a.acquire();
    const next = await take(b);
    // Lease 350 ms from the admission (both on Redis TIME), then counted a window from there.
    expect(next.startedAt - lost.startedAt).toBeGreaterThanOrEqual(350 + windowMs);
  });

  test('a slow answer counts from its last byte plus the transit, not from the answer', async () => {
    const { a, b, prefix } = limiterPair(1, 300, { transitMs: 50 });
    const image = await a.acquire();
    await sleep(500);
    // Sent 480 ms ago, answered now: the API had it by 430 ms ago (480 − the 50 ms transit), out of
    // the 300 ms window already: nothing left counted (counted from its answer, it would hold the place 300 ms).
    a.done(image, { answered: true, sentAgoMs: 480 });
    const { ended, inflight } = limiterKeys(prefix, 'https://api.example');
    await take(b);
    expect(await redis.zcard(inflight)).toBe(0);
    expect(await redis.zcard(ended)).toBe(1);
  });
});
