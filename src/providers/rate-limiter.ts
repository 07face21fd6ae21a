// A requests-per-minute limit shared by every call to one provider (prompts, images, retries),
// so a batch stays under the API's quota instead of discovering it through 429s. When the API
// says 429 anyway (the account allows fewer requests than `rpm`), the limiter lowers its own
// rate and creeps back up once requests get through again (additive increase, multiplicative decrease).
//
// What is counted is when the API may have seen a request, not when it was let go: a request is
// counted from its admission for as long as it is out (whatever its age), and once it ends it is
// counted from the latest time the API can have received it (`arrivalBound`). A request reaches the
// API after its admission and before its answer, so for any set of requests the API receives within
// one window, the one admitted last found all the others still counted: never more than rpm in any
// window at the API, however late a busy event loop sends what was admitted (issue 15).
import { setTimeout as wait } from 'node:timers/promises';

/** What `acquire` hands out: which rate the request started under, so its 429 is not counted twice. */
export interface Permit {
  /** When the request was let go, on the limiter's clock. */
  readonly startedAt: number;
  /** How many times the rate had been lowered when the request started. */
  readonly generation: number;
}

/** How a request admitted with a permit ended, for `done`. */
export interface RequestEnd {
  /** An answer (any status) came back: the API had received the request by now. */
  answered: boolean;
  /**
   * How long ago the request's last byte was handed to the network, if the transport said so:
   * the API received it no later than `TRANSIT_MS` after that. @unit milliseconds
   */
  sentAgoMs?: number | undefined;
}

/**
 * How long after this machine handed a request's last byte to the network the API may count it:
 * the network's transit (tens of milliseconds; a lost segment's retransmission 200 ms and more) and
 * the gateway's own queue. An assumption about the network and the API, not about this process:
 * however late a starved event loop writes or reads, the times it measures only err late.
 */
export const TRANSIT_MS = 1000;

/**
 * The latest time (on the clock of `now`) at which the API can have received a request that ended
 * at `now`: its answer proves it had arrived; a request that got none (connection lost, timeout,
 * abort) may still be counted `TRANSIT_MS` after its last byte left, or after now if that is unknown.
 */
export function arrivalBound(now: number, end: RequestEnd, transitMs = TRANSIT_MS): number {
  const sent = end.sentAgoMs === undefined ? undefined : now - Math.max(0, end.sentAgoMs);
  if (end.answered) return sent === undefined ? now : Math.min(now, sent + transitMs);
  return (sent ?? now) + transitMs;
}

export interface RateLimiter {
  /**
   * Waits until one more request may start, then counts it (as in flight until `done`).
   * Rejects when `signal` aborts.
   */
  acquire(signal?: AbortSignal): Promise<Permit>;
  /**
   * The request admitted with `permit` ended (answered or not): from now on it is counted from the
   * latest time the API can have received it (`arrivalBound`) instead of as in flight. Call it once
   * per permit, whatever happened; a permit never done keeps its place (Redis: until its lease ends).
   */
  done(permit: Permit, end: RequestEnd): void;
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
  /** See `TRANSIT_MS`. @unit milliseconds */
  transitMs?: number;
  /** Clock and timer, injectable for tests. */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

// Creates a sliding-window limiter: never more than the current rate's requests counted within any
// `windowMs` (in flight, or ended and still inside the window from their arrival bound), and while
// lowered after a 429, at least windowMs / rate between two starts.
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  if (!Number.isInteger(options.rpm) || options.rpm < 1) throw new TypeError(`rpm: expected a positive integer, got ${options.rpm}`);
  const configured = options.rpm;
  const windowMs = options.windowMs ?? 60_000;
  const transitMs = options.transitMs ?? TRANSIT_MS;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  // Arrival bounds of the requests that ended inside the current window, in ascending order.
  const ended: number[] = [];
  // Requests let go and not yet done.
  const inFlight = new Set<Permit>();
  // The last start, for the spacing while the rate is lowered.
  let lastStart: number | undefined;
  let pausedUntil = 0;
  let current = configured;
  let generation = 0;
  // Requests let through since the rate last changed.
  let acceptedSinceChange = 0;
  // Callers queue in order so a burst is served first come, first served.
  let queue: Promise<unknown> = Promise.resolve();
  // Wakes the caller at the head of the queue when a request ends (it may free a place).
  let wake: (() => void) | undefined;

  const waitForSlot = async (signal?: AbortSignal): Promise<Permit> => {
    for (;;) {
      signal?.throwIfAborted();
      const t = now();
      while (ended.length && ended[0]! <= t - windowMs) ended.shift();
      // Over the rate (after a decrease the window may hold more than the new rate): wait for enough
      // ended requests to age out; requests in flight leave only once they end.
      const excess = ended.length + inFlight.size - current;
      const full = excess < 0 ? 0 : excess < ended.length ? ended[excess]! + windowMs - t : Number.POSITIVE_INFINITY;
      // While the API pushes back, starts are also spread evenly over the window: a burst at the
      // lowered rate would be refused whole before the next 429 could lower it again.
      const spaced = current < configured && lastStart !== undefined ? lastStart + windowMs / current - t : 0;
      const delay = Math.max(pausedUntil - t, full, spaced);
      if (delay <= 0) {
        lastStart = t;
        const permit: Permit = { startedAt: t, generation };
        inFlight.add(permit);
        return permit;
      }
      // Sleeps until the delay is over or a request ends, whichever comes first.
      const woken = new AbortController();
      wake = () => woken.abort();
      const either = signal ? AbortSignal.any([signal, woken.signal]) : woken.signal;
      try {
        await (delay === Number.POSITIVE_INFINITY ? aborted(either) : sleep(delay, either));
      } catch (error) {
        if (signal?.aborted || !woken.signal.aborted) throw error;
      } finally {
        wake = undefined;
      }
    }
  };

  return {
    acquire(signal) {
      const mine = queue.then(() => waitForSlot(signal));
      // A caller that gives up must not block the ones behind it.
      queue = mine.catch(() => undefined);
      return mine;
    },
    done(permit, end) {
      if (!inFlight.delete(permit)) return;
      const t = now();
      const at = arrivalBound(t, end, transitMs);
      if (at > t - windowMs) ended.splice(sortedIndex(ended, at), 0, at);
      wake?.();
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

/** Where `x` goes in the ascending `xs`, after any equal ones. */
function sortedIndex(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Rejects with the signal's reason once it aborts. */
function aborted(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

// Resolves after `ms`, rejecting early with the signal's reason when it aborts.
export async function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  await wait(ms, undefined, signal ? { signal } : {});
}
