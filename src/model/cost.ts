// Cost estimates: what a run spent, or will spend, from usage counts and per-unit prices.
// Prices come from config `pricing`, else from what the API publishes; unknown stays unknown
// (never guessed as zero), so a user is not told a paid run is free.
import type { Usage } from './report.js';

/** Prices as configured (config `pricing`): null means "not set here". */
export interface Pricing {
  currency: string;
  perImage: number | null;
  perMillionPromptTokens: number | null;
  perMillionCompletionTokens: number | null;
}

export interface Prices {
  currency: string;
  perImage: number | null;
  perMillionPromptTokens: number | null;
  perMillionCompletionTokens: number | null;
}

export interface CostEstimate {
  currency: string;
  /** Undefined when a price that matters is unknown. */
  total: number | undefined;
  images: number | undefined;
  tokens: number | undefined;
}

/** Config prices, with API-published prices filling what the config leaves null. */
export function resolvePrices(pricing: Pricing, published: Partial<Prices> = {}): Prices {
  return {
    currency: pricing.currency,
    perImage: pricing.perImage ?? published.perImage ?? null,
    perMillionPromptTokens: pricing.perMillionPromptTokens ?? published.perMillionPromptTokens ?? null,
    perMillionCompletionTokens: pricing.perMillionCompletionTokens ?? published.perMillionCompletionTokens ?? null,
  };
}

// Cost of the given usage; a part with zero units costs zero even when its price is unknown.
export function estimateCost(usage: Pick<Usage, 'images' | 'promptTokens' | 'completionTokens'>, prices: Prices): CostEstimate {
  const part = (units: number, price: number | null, per: number): number | undefined =>
    units === 0 ? 0 : price === null ? undefined : (units / per) * price;
  const images = part(usage.images, prices.perImage, 1);
  const input = part(usage.promptTokens, prices.perMillionPromptTokens, 1_000_000);
  const output = part(usage.completionTokens, prices.perMillionCompletionTokens, 1_000_000);
  const tokens = input === undefined || output === undefined ? undefined : input + output;
  return { currency: prices.currency, images, tokens, total: images === undefined || tokens === undefined ? undefined : images + tokens };
}

/** "CHF 0.42", or "unknown (set pricing in pipeline.config.json)". */
export function formatCost(cost: CostEstimate): string {
  return cost.total === undefined
    ? 'unknown (set pricing in pipeline.config.json)'
    : `${cost.currency} ${cost.total.toFixed(cost.total < 1 ? 3 : 2)}`;
}
