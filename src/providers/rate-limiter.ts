// A requests-per-minute limit shared by every call to one provider (prompts, images, retries),
// so a batch stays under the API's quota instead of discovering it through 429s.
import { setTimeout as wait } from 'node:timers/promises';

export interface RateLimiter {
  /** Waits until one more request may start, then counts it. Rejects when `signal` aborts. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Holds every caller back for `ms` (after a 429, the whole provider waits, not just one call). */
  pause(ms: number): void;
}

export interface RateLimiterOptions {
  /** Requests allowed in any window. */
  rpm: number;
  /** Window length in milliseconds. @default 60000 */
  windowMs?: number;
  /** Clock and timer, injectable for tests. */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

// Creates a sliding-window limiter: never more than `rpm` starts within any `windowMs`.
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  if (!Number.isInteger(options.rpm) || options.rpm < 1) throw new TypeError(`rpm: expected a positive integer, got ${options.rpm}`);
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  // Start times of the requests inside the current window, oldest first.
  const starts: number[] = [];
  let pausedUntil = 0;
  // Callers queue in order so a burst is served first come, first served.
  let queue: Promise<void> = Promise.resolve();

  const waitForSlot = async (signal?: AbortSignal): Promise<void> => {
    for (;;) {
      signal?.throwIfAborted();
      const t = now();
      while (starts.length && starts[0]! <= t - windowMs) starts.shift();
      const wait = Math.max(pausedUntil - t, starts.length >= options.rpm ? starts[0]! + windowMs - t : 0);
      if (wait <= 0) {
        starts.push(t);
        return;
      }
      await sleep(wait, signal);
    }
  };

  return {
    acquire(signal) {
      const mine = queue.then(() => waitForSlot(signal));
      // A caller that gives up must not block the ones behind it.
      queue = mine.catch(() => undefined);
      return mine;
    },
    pause(ms) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
    },
  };
}

// Resolves after `ms`, rejecting early with the signal's reason when it aborts.
export async function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  await wait(ms, undefined, signal ? { signal } : {});
}
