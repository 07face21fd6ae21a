// The prices Infomaniak publishes with GET /1/ai/models?with=pricing, read conservatively. The spec
// gives each model `prices[]` of {label, model, input_amount_excl_vat, output_amount_excl_vat,
// amount_excl_vat, currency_id, unit} and types `unit` only as "array", so a price is used only when
// its currency and unit are clear; anything else stays unknown (config pricing, else "unknown").
import type { AiModel } from './infomaniak-models.js';
import type { PublishedPrices } from './types.js';

/** Infomaniak's currency ids, as seen in public code reading these prices (the spec lists no table). */
const CURRENCY_IDS: Readonly<Record<number, string>> = { 1: 'CHF', 2: 'EUR' };

// Per-image and per-million-token prices of the two models in use, in `currency` only.
export function publishedPrices(models: AiModel[], use: { llm: string; image: string; currency: string }): PublishedPrices {
  const prices: PublishedPrices = {};
  const inCurrency = (name: string) =>
    models.find((m) => m.name === name)?.prices.filter((p) => CURRENCY_IDS[p['currency_id'] as number] === use.currency) ?? [];
  for (const p of inCurrency(use.image)) {
    const amount = numberOf(p['amount_excl_vat']);
    // An image price is per image unless its unit says how many images it covers.
    if (amount !== undefined) prices.perImage ??= amount / (unitSize(p['unit']) ?? 1);
  }
  for (const p of inCurrency(use.llm)) {
    // A token price without a readable unit could be per token, per thousand or per million: unknown.
    const unit = unitSize(p['unit']);
    const input = numberOf(p['input_amount_excl_vat']);
    const output = numberOf(p['output_amount_excl_vat']);
    if (unit === undefined) continue;
    if (input !== undefined) prices.perMillionPromptTokens ??= (input / unit) * 1_000_000;
    if (output !== undefined) prices.perMillionCompletionTokens ??= (output / unit) * 1_000_000;
  }
  return prices;
}

/** How many units a price covers: a number, `{amount}`, or the first of a list of either. */
function unitSize(unit: unknown): number | undefined {
  const value = Array.isArray(unit) ? unit[0] : unit;
  const n = numberOf(typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['amount'] : value);
  return n !== undefined && n > 0 ? n : undefined;
}

function numberOf(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}
