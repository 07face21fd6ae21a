import { busiestWindow } from '../helpers/busiest-window.js';
import { describe, expect, test } from 'vitest';
import { arrivalBound, createRateLimiter, type RateLimiter } from '../../src/providers/rate-limiter.js';

/** A clock that only moves when someone sleeps. */
function fakeClock() {
  const c = { t: 0, now: () => c.t, sleep: async (ms: number) => void (c.t += ms) };
  return c;
}

/** A permit for a request answered at once (the rules of a window, without requests in flight). */
async function take(limiter: RateLimiter, signal?: AbortSignal) {
  const permit = await limiter.acquire(signal);
  limiter.done(permit, { answered: true });
  return permit;
}

/** Lets pending promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('createRateLimiter', () => {
  test('never starts more than rpm requests in any window (fake clock)', async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ rpm: 3, windowMs: 1000, ...clock });
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 10 }, () => take(limiter).then((p) => starts.push(p.startedAt))));
    expect(starts).toEqual([0, 0, 0, 1000, 1000, 1000, 2000, 2000, 2000, 3000]);
    expect(busiestWindow(starts, 1000)).toBe(3);
  });

  test('holds on a real clock too: 12 calls at 4 per 150 ms take at least two extra windows', async () => {
    const limiter = createRateLimiter({ rpm: 4, windowMs: 150 });
    const t0 = performance.now();
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 12 }, () => take(limiter).then(() => starts.push(performance.now()))));
    // Timers may fire a hair early; 2 ms of slack keeps the check honest without flaking.
    expect(busiestWindow(starts, 148)).toBeLessThanOrEqual(4);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(295);
  });

  test('pause holds every caller back', async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ rpm: 100, ...clock });
    limiter.pause(2500);
    await take(limiter);
    expect(clock.t).toBe(2500);
    limiter.pause(100);
    limiter.pause(50); // a shorter pause does not cut a longer one
    await take(limiter);
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
    const early = await Promise.all([1, 2, 3, 4].map(() => take(limiter)));
    for (const permit of early) limiter.refused(permit);
    expect(limiter.rpm).toBe(30);
    // A request started at 30 and refused: the lower rate is still too high.
    limiter.refused(await take(limiter));
    expect(limiter.rpm).toBe(15);
    for (let i = 0; i < 5; i++) limiter.refused(await take(limiter));
    expect(limiter.rpm).toBe(1);
    // Never below 1.
    limiter.refused(await take(limiter));
    expect(limiter.rpm).toBe(1);
    // Additive increase: one step after as many accepted requests as the rate allows a window.
    const permit = await take(limiter);
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
    const first = await Promise.all(Array.from({ length: 8 }, () => take(limiter)));
    for (const p of first) starts.push(p.startedAt);
    limiter.refused(first[7]!);
    expect(limiter.rpm).toBe(4);
    await Promise.all(Array.from({ length: 12 }, () => take(limiter).then((p) => starts.push(p.startedAt))));
    // The 8 starts at t=0 age out first; from then on 4 a window, spread evenly (a burst of 4 would
    // all be refused before the next 429 could lower the rate again).
    expect(starts.slice(8)).toEqual(Array.from({ length: 12 }, (_, i) => 1000 + 250 * i));
    expect(busiestWindow(starts.slice(8), 1000)).toBe(4);
    // Back at the configured rate, bursts are allowed again.
    for (let i = 0; i < 4 + 5 + 6 + 7; i++) limiter.accepted(first[0]!);
    expect(limiter.rpm).toBe(8);
    const t = clock.t + 1000;
    clock.t = t;
    const burst = await Promise.all(Array.from({ length: 8 }, () => take(limiter)));
    expect(burst.map((p) => p.startedAt)).toEqual(Array.from({ length: 8 }, () => t));
  });

  test('a request in flight keeps its place whatever its age; once answered it counts from its answer', async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ rpm: 2, windowMs: 1000, ...clock });
    const [a, b] = [await limiter.acquire(), await limiter.acquire()];
    let third: number | undefined;
    void limiter.acquire().then((p) => (third = p.startedAt));
    await settle();
    expect(third).toBeUndefined();
    // Five windows later both are still out: still nothing. (An admission-only window let the third
    // go at 1000, though a request admitted at 0 may reach the API at any time before its answer.)
    clock.t = 5000;
    await settle();
    expect(third).toBeUndefined();
    // `a` answered at 5000: the API may have counted it at 4999, so the third waits a window from then.
    limiter.done(a, { answered: true });
    await settle();
    expect(third).toBe(6000);
    limiter.done(b, { answered: true });
  });

  test('a request admitted at once but sent late: the API never sees more than rpm in a window', async () => {
    // The API's side: each request arrives some time between its admission and its answer.
    const clock = fakeClock();
    const limiter = createRateLimiter({ rpm: 2, windowMs: 1000, ...clock });
    const arrivals: number[] = [];
    // Admitted at 0, written 900 ms later (a starved event loop), answered at 950.
    const late = await limiter.acquire();
    const prompt = await limiter.acquire();
    arrivals.push(0);
    limiter.done(prompt, { answered: true });
    clock.t = 900;
    arrivals.push(900);
    clock.t = 950;
    limiter.done(late, { answered: true, sentAgoMs: 50 });
    // Two more, each sent and answered at once.
    for (let i = 0; i < 2; i++) {
      const p = await limiter.acquire();
      arrivals.push(clock.t);
      limiter.done(p, { answered: true });
    }
    expect(arrivals).toEqual([0, 900, 1000, 1950]);
    expect(busiestWindow(arrivals, 1000)).toBe(2);
  });

  test('the arrival bound: the answer, or the last byte plus the transit, whichever is earlier; no answer: the transit after', () => {
    expect(arrivalBound(10_000, { answered: true })).toBe(10_000);
    expect(arrivalBound(10_000, { answered: true, sentAgoMs: 9000 }, 1000)).toBe(2000);
    expect(arrivalBound(10_000, { answered: true, sentAgoMs: 300 }, 1000)).toBe(10_000);
    expect(arrivalBound(10_000, { answered: false }, 1000)).toBe(11_000);
    expect(arrivalBound(10_000, { answered: false, sentAgoMs: 9000 }, 1000)).toBe(2000);
    // A clock that went backwards says nothing earlier than now.
    expect(arrivalBound(10_000, { answered: true, sentAgoMs: -5 }, 1000)).toBe(10_000);
  });

  test('a slow answer counts from its last byte plus the transit; a request with no answer from the transit after now', async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ rpm: 1, windowMs: 1000, transitMs: 100, ...clock });
    const image = await limiter.acquire();
    // Sent at 10, answered 20 s later: counted from 110, long out of the window at 20 010.
    clock.t = 20_010;
    limiter.done(image, { answered: true, sentAgoMs: 20_000 });
    const next = await limiter.acquire();
    expect(next.startedAt).toBe(20_010);
    // Connection lost, nothing known of the write: the API may still count it 100 ms from now.
    limiter.done(next, { answered: false });
    expect((await take(limiter)).startedAt).toBe(20_010 + 100 + 1000);
  });

  test('refuses a nonsense rpm', () => {
    expect(() => createRateLimiter({ rpm: 0 })).toThrow('rpm: expected a positive integer, got 0');
  });
});
