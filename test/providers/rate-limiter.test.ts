import { describe, expect, test } from 'vitest';
import { createRateLimiter } from '../../src/providers/rate-limiter.js';

/** A clock that only moves when someone sleeps. */
function fakeClock() {
  const c = { t: 0, now: () => c.t, sleep: async (ms: number) => void (c.t += ms) };
  return c;
}

/** Most starts found in any window of `windowMs` (half-open). */
function busiestWindow(starts: number[], windowMs: number): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j < sorted.length && sorted[j]! < sorted[i]! + windowMs) j++;
    most = Math.max(most, j - i);
  }
  return most;
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

  test('refuses a nonsense rpm', () => {
    expect(() => createRateLimiter({ rpm: 0 })).toThrow('rpm: expected a positive integer, got 0');
  });
});
