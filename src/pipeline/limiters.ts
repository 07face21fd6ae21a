// Concurrency limits, created once per run and shared by every deck in it.
import os from 'node:os';
import pLimit, { type LimitFunction } from 'p-limit';

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
}

export function createLimiters(options: { llm: number; image: number; cpu?: number }): Limiters {
  return {
    llm: pLimit(options.llm),
    image: pLimit(options.image),
    cpu: pLimit(options.cpu ?? Math.max(1, Math.min(4, os.availableParallelism()))),
    picture: pLimit(2 * options.image),
  };
}
