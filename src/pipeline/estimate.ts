// What a run will cost, from its plan alone (no read, no call): the plan says which prompts and
// images the cache already holds and what each slide would still pay for.
import type { RunPlan } from '../model/run-plan.js';
import { estimateCost, type CostEstimate, type Prices } from '../model/cost.js';

export interface RunEstimate {
  /** Slides that would get a picture. */
  planned: number;
  prompts: { cached: number; toWrite: number };
  /** `toGenerate` is already cut to --max-images; `overCap` slides would be skipped. */
  images: { cached: number; toGenerate: number; overCap: number };
  /** Tokens of the prompts to write: input from their text, output at most llm.maxTokens each. */
  tokens: { prompt: number; completion: number };
  cost: CostEstimate;
  /** Decks that cannot be read or are refused; the run reports them. */
  unreadable: number;
  /** Decks left as the last complete run wrote them: nothing to pay for. */
  unchanged: number;
}

export interface EstimateOptions {
  prices: Prices;
  /** --max-images: images past it are not paid for (their slides are skipped). */
  maxImages?: number | undefined;
}

// Sums what the plan would pay for, with the image count cut to --max-images.
export function estimateRun(plan: RunPlan, options: EstimateOptions): RunEstimate {
  const t = plan.totals;
  const uncached = t.images.toGenerate;
  const toGenerate = options.maxImages === undefined ? uncached : Math.min(uncached, options.maxImages);
  const tokens = { ...t.tokens };
  const cost = estimateCost({ images: toGenerate, promptTokens: tokens.prompt, completionTokens: tokens.completion }, options.prices);
  return {
    planned: t.planned,
    prompts: { ...t.prompts },
    images: { cached: t.images.cached, toGenerate, overCap: uncached - toGenerate },
    tokens,
    cost,
    unreadable: t.unreadable,
    unchanged: t.unchanged,
  };
}
