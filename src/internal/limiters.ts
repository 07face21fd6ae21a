// Concurrency limits, created once per run and shared by every deck in it.
import os from 'node:os';
import pLimit, { type LimitFunction } from 'p-limit';

/**
 * One of the c places a caller may hold at the API. The HTTP layer gives it back as soon as an
 * answer has arrived, so the next request leaves while this one's answer is still being decoded
 * and stored, and takes it again before a retry, so no more than c requests are ever out.
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
}

export function createLimiters(options: { llm: number; image: number; cpu?: number | undefined }): Limiters {
  const cpu = options.cpu ?? Math.max(1, Math.min(4, os.availableParallelism()));
  return {
    llm: pLimit(options.llm),
    image: pLimit(options.image),
    cpu: pLimit(cpu),
    picture: pLimit(2 * options.image),
    decoded: pLimit(options.image + 2 * cpu),
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
