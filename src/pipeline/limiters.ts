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
}

export function createLimiters(options: { llm: number; image: number; cpu?: number }): Limiters {
  return {
    llm: pLimit(options.llm),
    image: pLimit(options.image),
    cpu: pLimit(options.cpu ?? Math.max(1, Math.min(4, os.availableParallelism()))),
  };
}
