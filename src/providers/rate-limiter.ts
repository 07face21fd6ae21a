// A requests-per-minute limit shared by every call to one provider (prompts, images, retries),
// so a batch stays under the API's quota instead of discovering it through 429s. When the API
// says 429 anyway (the account allows fewer requests than `rpm`), the limiter lowers its own
// rate and creeps back up once requests get through again (additive increase, multiplicative decrease).
import { setTimeout as wait } from 'node:timers/promises';

/** What `acquire` hands out: which rate the request started under, so its 429 is not counted twice. */
export interface Permit {
  /** When the request was let go, on the limiter's clock. */
  readonly startedAt: number;
  /** How many times the rate had been lowered when the request started. */
  readonly generation: number;
}

export interface RateLimiter {
  /** Waits until one more request may start, then counts it. Rejects when `signal` aborts. */
  acquire(signal?: AbortSignal): Promise<Permit>;
  /** Holds every caller back for `ms` (after a 429, the whole provider waits, not just one call). */
  pause(ms: number): void;
  /**
   * The API refused the request started with `permit` (429): halve the rate, at least 1 a window.
   * Only once per decrease: requests already out when the rate was lowered are refused too, and
   * say nothing about the lower rate.
   */
  refused(permit: Permit): void;
  /** The API let a request through: after a window's worth of these the rate goes up by one. */
  accepted(permit: Permit): void;
  /** Requests allowed per window now (at most the configured rpm). */
  readonly rpm: number;
  /** The rpm it was created with, the ceiling the rate climbs back to. */
  readonly configuredRpm: number;
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

// Creates a sliding-window limiter: never more than the current rate's starts within any `windowMs`,
// and while lowered after a 429, at least windowMs / rate between two starts.
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  if (!Number.isInteger(options.rpm) || options.rpm < 1) throw new TypeError(`rpm: expected a positive integer, got ${options.rpm}`);
  const configured = options.rpm;
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  // Start times of the requests inside the current window, oldest first.
  const starts: number[] = [];
  let pausedUntil = 0;
  let current = configured;
  let generation = 0;
  // Requests let through since the rate last changed.
  let acceptedSinceChange = 0;
  // Callers queue in order so a burst is served first come, first served.
  let queue: Promise<unknown> = Promise.resolve();

  const waitForSlot = async (signal?: AbortSignal): Promise<Permit> => {
    for (;;) {
      signal?.throwIfAborted();
      const t = now();
      while (starts.length && starts[0]! <= t - windowMs) starts.shift();
      // After a decrease the window may hold more starts than the new rate: wait for the excess to age out.
      const full = starts.length >= current ? starts[starts.length - current]! + windowMs - t : 0;
      // While the API pushes back, starts are also spread evenly over the window: a burst at the
      // lowered rate would be refused whole before the next 429 could lower it again.
      const spaced = current < configured && starts.length ? starts[starts.length - 1]! + windowMs / current - t : 0;
      const wait = Math.max(pausedUntil - t, full, spaced);
      if (wait <= 0) {
        starts.push(t);
        return { startedAt: t, generation };
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
    refused(permit) {
      if (permit.generation !== generation) return;
      generation++;
      current = Math.max(1, Math.floor(current / 2));
      acceptedSinceChange = 0;
    },
    accepted() {
      if (current >= configured) return;
      if (++acceptedSinceChange < current) return;
      current++;
      acceptedSinceChange = 0;
    },
    get rpm() {
      return current;
    },
    configuredRpm: configured,
  };
}

// Resolves after `ms`, rejecting early with the signal's reason when it aborts.
export async function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  await wait(ms, undefined, signal ? { signal } : {});
}
