import pLimit from 'p-limit';
import { describe, expect, test } from 'vitest';
import { createLimiters, slotOf } from '../../src/internal/limiters.js';

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
