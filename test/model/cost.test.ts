import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.js';
import { estimateCost, formatCost, resolvePrices } from '../../src/model/cost.js';

describe('cost estimates', () => {
  const usage = { images: 10, promptTokens: 200_000, completionTokens: 50_000 };
  it('multiplies usage by prices', () => {
    const prices = { currency: 'CHF', perImage: 0.02, perMillionPromptTokens: 0.5, perMillionCompletionTokens: 1.5 };
    const cost = estimateCost(usage, prices);
    expect(cost.images).toBeCloseTo(0.2, 10);
    expect(cost.tokens).toBeCloseTo(0.175, 10);
    expect(cost.total).toBeCloseTo(0.375, 10);
    expect(formatCost(estimateCost(usage, prices))).toBe('CHF 0.375');
  });
  it('is unknown, not zero, when a price that matters is missing', () => {
    const prices = resolvePrices(defaultConfig().pricing);
    expect(estimateCost(usage, prices).total).toBeUndefined();
    expect(formatCost(estimateCost(usage, prices))).toMatch(/unknown/);
    // Nothing used costs nothing, whatever the prices.
    expect(estimateCost({ images: 0, promptTokens: 0, completionTokens: 0 }, prices).total).toBe(0);
  });
  it('lets config prices win over published ones', () => {
    const prices = resolvePrices(
      { ...defaultConfig().pricing, perImage: 0.05 },
      { perImage: 0.01, perMillionPromptTokens: 1, perMillionCompletionTokens: 2 },
    );
    expect(prices).toEqual({ currency: 'CHF', perImage: 0.05, perMillionPromptTokens: 1, perMillionCompletionTokens: 2 });
  });
});
