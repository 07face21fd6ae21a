// Concurrency limits, created once per run and shared by every deck in it.
import os from 'node:os';
import pLimit, { type LimitFunction } from 'p-limit';

/**
 * One of the c places a caller may hold at the API. The HTTP layer gives it back as soon as a 2xx
 * status has arrived, so the next request leaves while this one's body is still arriving and being
 * decoded and stored, and takes it again before a retry, so no more than c requests are ever out.
 */
export interface ConcurrencySlot {
  /** Resolves once the slot is held; at once when it already is. */
  acquire(): Promise<void>;
  /** Gives the slot back; nothing when it is not held. */
  release(): void;
}

export interface Limiters {
  /** Prompt-writing LLM calls in flight. */
  llm: LimitFunction;
  /** Image generations in flight. */
  image: LimitFunction;
  /** CPU work (sharp, zip): no more than the machine's cores. */
  cpu: LimitFunction;
  /**
   * Slides between starting their prompt and finishing their fit: twice the image limit, enough
   * to keep the image limit fed. When images come faster than sharp fits them (a fast API, a warm
   * cache), the next slide waits instead of another full-size picture piling up in memory; under
   * an rpm limit, prompts cannot run far ahead and spend the budget images need.
   */
  picture: LimitFunction;
  /**
   * Images requested or received and not yet fitted: the image limit plus twice the CPU limit.
   * With answers faster than sharp (a zero-latency API, cached images) it keeps the next request
   * back until a fit ends, so no more than c + 2·cpu decoded pictures wait in memory instead of all
   * 2c slides'. With an API slower than sharp it must not bind: answers come in bursts (c requests
   * sent together come back within their jitter), and while cpu of them fit, the others wait; a
   * limit of c + cpu held the next requests back until a fit ended (~120 ms a wave at c=4).
   */
  decoded: LimitFunction;
  /** Image requests paced to what sharp can take, and fits under the CPU limit (see PicturePacer). */
  pacer: PicturePacer;
}

export function createLimiters(options: { llm: number; image: number; cpu?: number | undefined }): Limiters {
  const cpu = options.cpu ?? Math.max(1, Math.min(4, os.availableParallelism()));
  const cpuLimit = pLimit(cpu);
  return {
    llm: pLimit(options.llm),
    image: pLimit(options.image),
    cpu: cpuLimit,
    picture: pLimit(2 * options.image),
    decoded: pLimit(options.image + 2 * cpu),
    pacer: createPicturePacer(cpuLimit),
  };
}

/**
 * Paces image requests to sharp. An image asked for now arrives after the API's latency; if the
 * pictures already waiting for sharp, and those on their way, would still keep it waiting then,
 * asking now only holds one more full-size picture (2-3 MB decoded) in memory. With a fast API
 * (or images from the cache) that is what happened: 8 requests out and 12 decoded pictures queued
 * for 2 cores held ~40 MB of buffers, and V8 ran a full collection every ~2 pictures to keep its
 * external memory under its limit. With an API slower than sharp (the usual case) the pacer never
 * holds anything back: its bound, (queued + in flight) · fit time / CPU places ≤ latency + one fit,
 * is far above the image limit.
 */
export interface PicturePacer {
  /**
   * Waits until an image requested now would not wait for sharp on arrival, then counts it as on
   * its way. Call the returned function once the image is in hand (`ok`) or failed; calling it
   * twice does nothing.
   */
  request(signal?: AbortSignal): Promise<(ok: boolean) => void>;
  /** Runs a fit under the CPU limit, timing it. */
  fit<T>(work: () => Promise<T>): Promise<T>;
}

/** Weight of the newest sample in the moving averages of latency and fit time. */
const SMOOTHING = 0.3;

export function createPicturePacer(cpu: LimitFunction): PicturePacer {
  let latencyMs: number | undefined;
  let fitMs: number | undefined;
  let onTheirWay = 0;
  let queued = 0;
  let wakers: (() => void)[] = [];
  const average = (was: number | undefined, sample: number) => (was === undefined ? sample : was + SMOOTHING * (sample - was));
  const wake = () => {
    const woken = wakers;
    wakers = [];
    for (const w of woken) w();
  };
  // Until both are measured nothing is held back; with nothing queued or on its way, never.
  const clear = () =>
    latencyMs === undefined || fitMs === undefined || ((queued + onTheirWay) * fitMs) / cpu.concurrency <= latencyMs + fitMs;
  return {
    async request(signal) {
      while (!clear()) {
        signal?.throwIfAborted();
        await new Promise<void>((resolve) => wakers.push(resolve));
      }
      onTheirWay++;
      const start = performance.now();
      let done = false;
      return (ok) => {
        if (done) return;
        done = true;
        onTheirWay--;
        if (ok) latencyMs = average(latencyMs, performance.now() - start);
        wake();
      };
    },
    async fit(work) {
      queued++;
      let started = false;
      try {
        return await cpu(async () => {
          queued--;
          started = true;
          wake();
          const start = performance.now();
          try {
            return await work();
          } finally {
            fitMs = average(fitMs, performance.now() - start);
            wake();
          }
        });
      } finally {
        if (!started) {
          queued--;
          wake();
        }
      }
    },
  };
}

// A slot of `limit` that can be given back before its work ends and taken again (see
// ConcurrencySlot). Every acquire() must be followed, whatever happens, by release().
export function slotOf(limit: LimitFunction): ConcurrencySlot {
  let held: (() => void) | undefined;
  let taking: Promise<void> | undefined;
  return {
    acquire() {
      if (held) return Promise.resolve();
      return (taking ??= new Promise<void>((granted) => {
        void limit(
          () =>
            new Promise<void>((release) => {
              held = release;
              taking = undefined;
              granted();
            }),
        );
      }));
    },
    release() {
      const release = held;
      held = undefined;
      release?.();
    },
  };
}
