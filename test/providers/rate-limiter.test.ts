import { busiestWindow } from '../helpers/busiest-window.js';
import { describe, expect, test } from 'vitest';
import { createRateLimiter } from '../../src/providers/rate-limiter.js';

/** A clock that only moves when someone sleeps. */
function fakeClock() {
  const c = { t: 0, now: () => c.t, sleep: async (ms: number) => void (c.t += ms) };
  return c;
}

describe('createRateLimiter', () => {
  test('never starts more than rpm requests in any window (fake clock)', async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ rpm: 3, windowMs: 1000, ...clock });
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 10 }, () => limiter.acquire().then(() => starts.push(clock.t))));
    expect(starts).toEqual([0, 0, 0, 1000, 1000, 1000, 2000, 2000, 2000, 3000]);
    expect(busiestWindow(starts, 1000)).toBe(3);
  });

  test('holds on a real clock too: 12 calls at 4 per 150 ms take at least two extra windows', async () => {
    const limiter = createRateLimiter({ rpm: 4, windowMs: 150 });
    const t0 = performance.now();
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 12 }, () => limiter.acquire().then(() => starts.push(performance.now()))));
    // Timers may fire a hair early; 2 ms of slack keeps the check honest without flaking.
    expect(busiestWindow(starts, 148)).toBeLessThanOrEqual(4);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(295);
  });

  test('pause holds every caller back', async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ rpm: 100, ...clock });
    limiter.pause(2500);
    await limiter.acquire();
    expect(clock.t).toBe(2500);
    limiter.pause(100);
    limiter.pause(50); // a shorter pause does not cut a longer one
    await limiter.acquire();
    expect(clock.t).toBe(2600);
  });

  test('an aborted caller rejects and does not block the ones behind it', async () => {
    const limiter = createRateLimiter({ rpm: 1, windowMs: 60_000 });
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow();
    const other = createRateLimiter({ rpm: 1, windowMs: 30 });
    const c2 = new AbortController();
    c2.abort();
    await expect(other.acquire(c2.signal)).rejects.toThrow();
    // The aborted call took no slot: the next one starts at once.
    const t0 = performance.now();
    await other.acquire();
    expect(performance.now() - t0).toBeLessThan(25);
  });

  test('a 429 halves the rate once per decrease; successes raise it back one step per window of them', async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ rpm: 60, windowMs: 1000, ...clock });
    // Four requests out at 60 rpm, all refused: one decrease, not four (they say nothing of 30).
    const early = await Promise.all([1, 2, 3, 4].map(() => limiter.acquire()));
    for (const permit of early) limiter.refused(permit);
    expect(limiter.rpm).toBe(30);
    // A request started at 30 and refused: the lower rate is still too high.
    limiter.refused(await limiter.acquire());
    expect(limiter.rpm).toBe(15);
    for (let i = 0; i < 5; i++) limiter.refused(await limiter.acquire());
    expect(limiter.rpm).toBe(1);
    // Never below 1.
    limiter.refused(await limiter.acquire());
    expect(limiter.rpm).toBe(1);
    // Additive increase: one step after as many accepted requests as the rate allows a window.
    const permit = await limiter.acquire();
    limiter.accepted(permit);
    expect(limiter.rpm).toBe(2);
    limiter.accepted(permit);
    expect(limiter.rpm).toBe(2);
    limiter.accepted(permit);
    expect(limiter.rpm).toBe(3);
    // 3 + 4 + … + 59 accepted requests climb from 3 to 60.
    for (let i = 0; i < 1766; i++) limiter.accepted(permit);
    expect(limiter.rpm).toBe(59);
    limiter.accepted(permit);
    for (let i = 0; i < 500; i++) limiter.accepted(permit);
    // Back to, and never above, the configured rpm.
    expect(limiter.rpm).toBe(60);
    expect(limiter.configuredRpm).toBe(60);
  });

  test('after a decrease no more than the lowered rate starts in any window (fake clock)', async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ rpm: 8, windowMs: 1000, ...clock });
    const starts: number[] = [];
    const first = await Promise.all(Array.from({ length: 8 }, () => limiter.acquire()));
    for (const p of first) starts.push(p.startedAt);
    limiter.refused(first[7]!);
    expect(limiter.rpm).toBe(4);
    await Promise.all(Array.from({ length: 12 }, () => limiter.acquire().then((p) => starts.push(p.startedAt))));
    // The 8 starts at t=0 age out first; from then on 4 a window, spread evenly (a burst of 4 would
    // all be refused before the next 429 could lower the rate again).
    expect(starts.slice(8)).toEqual(Array.from({ length: 12 }, (_, i) => 1000 + 250 * i));
    expect(busiestWindow(starts.slice(8), 1000)).toBe(4);
    // Back at the configured rate, bursts are allowed again.
    for (let i = 0; i < 4 + 5 + 6 + 7; i++) limiter.accepted(first[0]!);
    expect(limiter.rpm).toBe(8);
    const t = clock.t + 1000;
    clock.t = t;
    const burst = await Promise.all(Array.from({ length: 8 }, () => limiter.acquire()));
    expect(burst.map((p) => p.startedAt)).toEqual(Array.from({ length: 8 }, () => t));
  });

  test('refuses a nonsense rpm', () => {
    expect(() => createRateLimiter({ rpm: 0 })).toThrow('rpm: expected a positive integer, got 0');
  });
});
