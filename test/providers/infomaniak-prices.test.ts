import { describe, expect, it } from 'vitest';
import type { AiModel } from '../../src/providers/infomaniak-models.js';
import { publishedPrices } from '../../src/providers/infomaniak-prices.js';
import { pricedModels } from '../helpers/fake-api-data.js';
import { fakeApi, providersFor } from '../helpers/provider-setup.js';

const model = (name: string, prices: Record<string, unknown>[]): AiModel => ({
  name,
  type: 'llm',
  description: '',
  infoStatus: 'ready',
  isBeta: false,
  isCoder: false,
  prices,
});
const USE = { llm: 'chat', image: 'flux', currency: 'CHF' };

describe('prices published by GET /1/ai/models?with=pricing', () => {
  it('converts token prices to per million and image prices to per image', () => {
    const models = [
      model('chat', [
        { label: 'Tokens', input_amount_excl_vat: 0.3, output_amount_excl_vat: 0.9, currency_id: 1, unit: [{ amount: 1000 }] },
      ]),
      model('flux', [{ label: 'Image', amount_excl_vat: 0.5, currency_id: 1, unit: [{ amount: 10 }] }]),
    ];
    expect(publishedPrices(models, USE)).toEqual({ perMillionPromptTokens: 300, perMillionCompletionTokens: 900, perImage: 0.05 });
  });

  it('leaves unknown what it cannot read: another currency, a token price without unit, a missing model', () => {
    const models = [
      model('chat', [
        { label: 'Tokens', input_amount_excl_vat: 0.3, output_amount_excl_vat: 0.9, currency_id: 2, unit: [{ amount: 1000 }] },
        { label: 'Tokens', input_amount_excl_vat: 0.3, output_amount_excl_vat: 0.9, currency_id: 1, unit: [] },
      ]),
      // An image price with no unit is a price per image.
      model('flux', [{ label: 'Image', amount_excl_vat: 0.02, currency_id: 1, unit: [] }]),
    ];
    expect(publishedPrices(models, USE)).toEqual({ perImage: 0.02 });
    expect(publishedPrices(models, { ...USE, currency: 'USD' })).toEqual({});
    expect(publishedPrices([], USE)).toEqual({});
  });

  it('reach the providers of a run through the models call it already makes', async () => {
    const api = await fakeApi({ models: pricedModels({ perImage: 0.02, perMillionInput: 0.5, perMillionOutput: 1.5 }) });
    const { providers } = await providersFor(api);
    expect(providers.prices).toEqual({ perImage: 0.02, perMillionPromptTokens: 0.5, perMillionCompletionTokens: 1.5 });
    expect(api.stats.requests.models).toBe(1);
  });
});
