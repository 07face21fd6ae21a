import pLimit from 'p-limit';
import { describe, expect, test } from 'vitest';
import { createLimiters, createPicturePacer, slotOf } from '../../src/internal/limiters.js';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('slotOf', () => {
  test('holds one place of the limit until released, and can take it again', async () => {
    const limit = pLimit(1);
    const a = slotOf(limit);
    const b = slotOf(limit);
    await a.acquire();
    await a.acquire(); // already held: no second place
    expect(limit.activeCount).toBe(1);
    let bHeld = false;
    void b.acquire().then(() => (bHeld = true));
    await tick();
    expect(bHeld).toBe(false);
    a.release();
    await tick();
    expect(bHeld).toBe(true);
    // a wants its place back (a retry): it waits for b.
    let aAgain = false;
    void a.acquire().then(() => (aAgain = true));
    await tick();
    expect(aAgain).toBe(false);
    b.release();
    b.release(); // nothing held: no effect on others
    await tick();
    expect(aAgain).toBe(true);
    expect(limit.activeCount).toBe(1);
    a.release();
    await tick();
    expect(limit.activeCount).toBe(0);
  });

  test('concurrent acquire() calls of one slot take a single place', async () => {
    const limit = pLimit(2);
    const slot = slotOf(limit);
    await Promise.all([slot.acquire(), slot.acquire()]);
    expect(limit.activeCount).toBe(1);
    slot.release();
    await tick();
    expect(limit.activeCount).toBe(0);
  });

  test('the picture limit is twice the image limit; decoded images, the image limit plus twice the CPU limit', () => {
    const limiters = createLimiters({ llm: 4, image: 3, cpu: 2 });
    expect(limiters.picture.concurrency).toBe(6);
    expect(limiters.decoded.concurrency).toBe(7);
  });
});

describe('createPicturePacer', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  test('holds nothing back until it has measured both the latency and a fit', async () => {
    const pacer = createPicturePacer(pLimit(1));
    const tickets = await Promise.all([1, 2, 3, 4, 5].map(() => pacer.request()));
    expect(tickets).toHaveLength(5);
    for (const done of tickets) done(false);
  });

  test('with answers faster than sharp, a request waits until the pictures ahead of it would be fitted', async () => {
    const pacer = createPicturePacer(pLimit(1));
    (await pacer.request())(true); // latency ≈ 0 ms
    await pacer.fit(() => sleep(40)); // a fit ≈ 40 ms
    const events: string[] = [];
    const b = pacer.fit(() => sleep(60)).then(() => events.push('B fitted'));
    const c = pacer.fit(() => sleep(60)).then(() => events.push('C fitted'));
    void pacer.fit(() => sleep(60));
    await tick();
    // Two pictures queued behind B: asking for a third now would only make it wait.
    const asked = pacer.request().then((done) => {
      events.push('request leaves');
      done(true);
    });
    await Promise.all([b, c, asked]);
    expect(events.indexOf('request leaves')).toBeGreaterThan(events.indexOf('B fitted'));
    expect(events.indexOf('request leaves')).toBeLessThan(events.indexOf('C fitted'));
  });

  test('with an API slower than sharp, a queue of fits holds no request back', async () => {
    const pacer = createPicturePacer(pLimit(1));
    const first = await pacer.request();
    await sleep(300);
    first(true); // latency ≈ 300 ms
    await pacer.fit(() => sleep(10)); // a fit ≈ 10 ms
    const fits = [1, 2, 3].map(() => pacer.fit(() => sleep(10)));
    await tick();
    let left = 0;
    const asked = [1, 2].map(() => pacer.request().then((done) => (left++, done(true))));
    await tick();
    expect(left).toBe(2);
    await Promise.all([...fits, ...asked]);
  });

  test('a failed fit and a failed request give their places back', async () => {
    const pacer = createPicturePacer(pLimit(1));
    (await pacer.request())(true);
    await pacer.fit(() => sleep(30));
    await expect(pacer.fit(() => Promise.reject(new Error('bad image')))).rejects.toThrow('bad image');
    const done = await pacer.request();
    done(false);
    done(false); // twice: no effect
    const again = await pacer.request(); // nothing queued, nothing on its way: leaves at once
    again(true);
  });
});
