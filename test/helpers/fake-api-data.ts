// Data the fake API serves: products, the model roster, real PNG pictures, a seeded RNG, and the
// error bodies in both dialects (Infomaniak's envelope, OpenAI's `{error:{message}}`).
import sharp from 'sharp';

export interface FakeProduct {
  product_id: number;
  product_name: string;
  account_name: string;
  status: string;
}

export interface FakeModel {
  id: number;
  name: string;
  type: string;
  description: string;
  info_status: string | null;
  meta: { is_beta: boolean; is_coder?: boolean };
  /** Served only to GET /1/ai/models?with=pricing, as the real API does. */
  prices?: FakePrice[];
}

/** The spec's AIPrice; `unit` is typed only as "array". */
export interface FakePrice {
  label: string;
  model: string;
  input_amount_excl_vat?: number;
  output_amount_excl_vat?: number;
  amount_excl_vat?: number;
  currency_id: number;
  unit: unknown[];
}

/** DEFAULT_MODELS with CHF prices (currency_id 1) on flux and the chat model "auto" picks. */
export function pricedModels(prices: { perImage: number; perMillionInput: number; perMillionOutput: number }): FakeModel[] {
  return DEFAULT_MODELS.map((m) => {
    if (m.name === 'flux')
      return { ...m, prices: [{ label: 'Image', model: m.name, amount_excl_vat: prices.perImage, currency_id: 1, unit: [{ amount: 1 }] }] };
    if (m.name !== 'mistralai/Ministral-3-14B-Instruct-2512') return m;
    return {
      ...m,
      prices: [
        {
          label: 'Tokens',
          model: m.name,
          input_amount_excl_vat: prices.perMillionInput,
          output_amount_excl_vat: prices.perMillionOutput,
          currency_id: 1,
          unit: [{ amount: 1_000_000 }],
        },
      ],
    };
  });
}

export const DEFAULT_PRODUCTS: FakeProduct[] = [{ product_id: 105, product_name: 'LLM API', account_name: 'Northwind SA', status: 'ok' }];

const model = (
  id: number,
  name: string,
  type: string,
  description: string,
  info_status: string | null,
  meta: FakeModel['meta'] = { is_beta: false },
): FakeModel => ({
  id,
  name,
  type,
  description,
  info_status,
  meta,
});

/** Shaped like the May 2026 dump of GET /1/ai/models, plus a coder model that "auto" must skip. */
export const DEFAULT_MODELS: FakeModel[] = [
  model(1, 'Qwen/Qwen3-Coder-480B-A35B-Instruct', 'llm', 'Qwen3 Coder', 'ready', { is_beta: false, is_coder: true }),
  model(2, 'moonshotai/Kimi-K2.6', 'llm', 'Kimi K2.6', 'coming_soon', { is_beta: true }),
  model(3, 'mistralai/Ministral-3-14B-Instruct-2512', 'llm', 'Ministral 3 14B', 'ready'),
  model(4, 'swiss-ai/Apertus-70B-Instruct-2509', 'llm', 'Apertus 70B', 'ready'),
  model(10, 'flux', 'image', 'Flux schnell', 'ready'),
  model(11, 'photomaker', 'image', 'Photomaker V2', 'coming_soon'),
  model(20, 'bge_multilingual_gemma2', 'embedding', 'BGE multilingual', 'ready'),
];

/** What GET /v1/models lists on the fake OpenAI-compatible server. */
export const DEFAULT_OPENAI_MODELS = ['text-embedding-3-small', 'llama-3.1-8b-instruct', 'flux-schnell'];

export const IMAGE_SIZES = ['1024x1024', '1024x1792', '1792x1024'];
export const IMAGE_STYLES = [
  'cinematic',
  'comic_book',
  'digital_art',
  'disney_charactor',
  'enhance',
  'fantasy_art',
  'line_art',
  'lowpoly',
  'neonpunk',
  'photographic',
];

const pngs = new Map<string, Promise<string>>();

// A real PNG with the requested aspect, 1/32 of its pixel size so tests stay fast, as base64.
export function pngBase64(size: string): Promise<string> {
  let png = pngs.get(size);
  if (!png) {
    const [w, h] = size.split('x').map((n) => Math.round(Number(n) / 32)) as [number, number];
    png = sharp({ create: { width: w, height: h, channels: 3, background: { r: 40, g: 110, b: 160 } } })
      .png()
      .toBuffer()
      .then((b) => b.toString('base64'));
    pngs.set(size, png);
  }
  return png;
}

// Deterministic numbers in [0, 1) (mulberry32), so a flaky run can be replayed.
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Infomaniak's error envelope; validation errors carry the details in `errors[]`. */
export function envelope(code: string, description: string, errors?: { attribute: string; description: string }[]) {
  const error: Record<string, unknown> = { code, description };
  if (errors)
    error['errors'] = errors.map((e) => ({ code: 'validation_rule', description: e.description, context: { attribute: e.attribute } }));
  return { result: 'error', error };
}

/** The error body OpenAI (and vLLM behind Infomaniak's v2 routes) sends. */
export function openAiError(message: string, type: string, code: string | null = null) {
  return { error: { message, type, code } };
}

/** The chat answer the fake LLM gives by default: a French preamble, quotes and a long English prompt. */
export function defaultChatReply(userMessage: string): string {
  const slide = userMessage.slice(Math.max(0, userMessage.indexOf('Titre :')));
  const words = (slide.match(/(?<!\p{L})(?!Titre|Contenu|Notes)\p{L}{5,}/gu) ?? ['presentation']).slice(0, 6).join(', ');
  return `Voici un prompt :\n\n"A calm editorial illustration about ${words}, soft daylight, wide composition, muted colours, people at work seen from a distance. No text or letters in the picture."`;
}
