import sharp from 'sharp';
import { describe, expect, test } from 'vitest';
import { DEFAULT_SYSTEM_PROMPT } from '../../src/config/schema.js';
import { ConfigError, UsageError } from '../../src/errors.js';
import { ProviderAuthError, ProviderError } from '../../src/providers/provider-errors.js';
import { pickAutoLlm } from '../../src/providers/infomaniak-models.js';
import { DEFAULT_MODELS, DEFAULT_PRODUCTS } from '../helpers/fake-api-data.js';
import { RETRIED_FAILURES, type FailureKind } from '../helpers/fake-infomaniak.js';
import { fakeApi, infomaniakEnv, providersFor, slideRequest } from '../helpers/provider-setup.js';

const toModel = (m: (typeof DEFAULT_MODELS)[number]) => ({
  name: m.name,
  type: m.type,
  description: m.description,
  infoStatus: m.info_status ?? undefined,
  isBeta: m.meta.is_beta,
  isCoder: !!m.meta.is_coder,
  prices: [],
});

describe('Infomaniak provider, happy path', () => {
  test('writes a clean prompt from the slide and draws a decodable picture of the right size', async () => {
    const api = await fakeApi();
    const { providers } = await providersFor(api);
    expect(providers.kind).toBe('infomaniak');
    const written = await providers.prompt.writePrompt(slideRequest({ style: 'flat vector art' }));
    expect(written.prompt).toMatch(/^A calm editorial illustration about Safety/);
    expect(written.prompt).toMatch(/Style: flat vector art\.$/);
    expect(Array.from(written.prompt).length).toBeLessThanOrEqual(400);
    expect(written.usage!.promptTokens).toBeGreaterThan(0);
    expect(written.usage!.completionTokens).toBeGreaterThan(0);

    const chat = api.stats.chatBodies[0]!;
    expect(chat).toMatchObject({
      model: 'mistralai/Ministral-3-14B-Instruct-2512',
      stream: false,
      temperature: 0.7,
      max_completion_tokens: 200,
    });
    const [system, user] = chat['messages'] as { role: string; content: string }[];
    expect(system!.role).toBe('system');
    expect(system!.content.startsWith(DEFAULT_SYSTEM_PROMPT)).toBe(true);
    expect(system!.content).toMatch(/anglais/);
    expect(system!.content).toMatch(/Aucun texte/);
    for (const part of ['Warehouse onboarding', 'Safety first', 'Keep the aisles clear', 'fire drill'])
      expect(user!.content).toContain(part);

    const image = await providers.image.generateImage({ prompt: written.prompt, aspect: 16 / 9, palette: [] });
    expect(image.size).toBe('1792x1024');
    const meta = await sharp(image.data).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width! / meta.height!).toBeCloseTo(1792 / 1024, 1);
    expect(api.stats.imageBodies[0]).toEqual({
      model: 'flux',
      prompt: written.prompt,
      n: 1,
      size: '1792x1024',
      response_format: 'b64_json',
    });
    expect(api.stats.requests).toEqual({ products: 1, models: 1, chat: 1, images: 1 });
    expect(new Set(api.stats.authorizations)).toEqual(new Set([`Bearer ${api.token}`]));
  });

  test.each([
    [0.5, '1024x1792'],
    [1.1, '1024x1024'],
    [2.4, '1792x1024'],
  ])('a box of aspect %f asks for %s', async (aspect, size) => {
    const api = await fakeApi();
    const { providers } = await providersFor(api);
    expect((await providers.image.generateImage({ prompt: 'a lighthouse', aspect, palette: [] })).size).toBe(size);
    expect(api.stats.imageBodies[0]!['size']).toBe(size);
  });

  test('configured temperature, tokens, prompts, quality, API style and negative prompt are sent', async () => {
    const api = await fakeApi();
    const config = {
      llm: {
        model: 'swiss-ai/Apertus-70B-Instruct-2509',
        temperature: 0.2,
        maxTokens: 120,
        systemPrompt: 'You write image prompts.',
        userPrompt: 'Slide: [TEXTE_DE_LA_SLIDE]',
      },
      image: { quality: 'hd' as const, apiStyle: 'line_art' as const, negativePrompt: 'blurry, watermark' },
    };
    const { providers } = await providersFor(api, { config });
    const { prompt } = await providers.prompt.writePrompt(slideRequest());
    await providers.image.generateImage({ prompt, aspect: 1, palette: [] });
    expect(api.stats.chatBodies[0]).toMatchObject({
      model: 'swiss-ai/Apertus-70B-Instruct-2509',
      temperature: 0.2,
      max_completion_tokens: 120,
    });
    const messages = api.stats.chatBodies[0]!['messages'] as { content: string }[];
    expect(messages[0]!.content.startsWith('You write image prompts.')).toBe(true);
    expect(messages[1]!.content.startsWith('Slide: ')).toBe(true);
    expect(api.stats.imageBodies[0]).toMatchObject({ quality: 'hd', style: 'line_art', negative_prompt: 'blurry, watermark' });
  });
});

describe('product discovery', () => {
  test('uses INFOMANIAK_PRODUCT_ID without asking GET /1/ai', async () => {
    const api = await fakeApi({
      products: [...DEFAULT_PRODUCTS, { product_id: 777, product_name: 'Second', account_name: 'Other', status: 'ok' }],
    });
    const { providers } = await providersFor(api, { env: infomaniakEnv(api, { INFOMANIAK_PRODUCT_ID: '777' }) });
    await providers.prompt.writePrompt(slideRequest());
    expect(api.stats.requests.products).toBeUndefined();
    expect(api.stats.requests.chat).toBe(1);
  });

  test('several products: a clear error listing them', async () => {
    const api = await fakeApi({
      products: [...DEFAULT_PRODUCTS, { product_id: 777, product_name: 'Second', account_name: 'Other', status: 'ok' }],
    });
    const error = await providersFor(api).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      'INFOMANIAK_PRODUCT_ID: this token sees 2 AI Tools products; set INFOMANIAK_PRODUCT_ID to one of: 105 (LLM API, Northwind SA), 777 (Second, Other)',
    );
  });

  test('no product: says so', async () => {
    const api = await fakeApi({ products: [] });
    await expect(providersFor(api)).rejects.toThrow('INFOMANIAK_PRODUCT_ID: this token sees no AI Tools product');
  });

  test('a product id that is not a number is refused before any call', async () => {
    const api = await fakeApi();
    await expect(providersFor(api, { env: infomaniakEnv(api, { INFOMANIAK_PRODUCT_ID: '12a' }) })).rejects.toThrow(
      'INFOMANIAK_PRODUCT_ID: expected a number, got "12a"',
    );
    expect(api.stats.arrivals).toHaveLength(0);
  });

  test('an unknown product id fails with the 404 and advice, not retried', async () => {
    const api = await fakeApi();
    const { providers } = await providersFor(api, { env: infomaniakEnv(api, { INFOMANIAK_PRODUCT_ID: '999' }) });
    await expect(providers.prompt.writePrompt(slideRequest())).rejects.toThrow(
      'POST /2/ai/999/openai/v1/chat/completions: 404 object_not_found: Object not found (check INFOMANIAK_PRODUCT_ID, INFOMANIAK_BASE_URL and the model name)',
    );
    expect(api.stats.requests.chat).toBe(1);
  });

  test('a missing token is a usage error, and no request is made', async () => {
    const api = await fakeApi();
    const error = await providersFor(api, { env: { INFOMANIAK_BASE_URL: api.url } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect(api.stats.arrivals).toHaveLength(0);
  });

  test('a wrong token is an auth error (exit 2) naming the variable', async () => {
    const api = await fakeApi();
    const error = await providersFor(api, { env: infomaniakEnv(api, { INFOMANIAK_API_TOKEN: 'wrong-token-value' }) }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect((error as ProviderAuthError).exitCode).toBe(2);
    expect((error as Error).message).toBe('GET /1/ai: 401 not_authorized: Unauthorized (check INFOMANIAK_API_TOKEN)');
  });
});

describe('model check', () => {
  test('"auto" skips coding models and prefers a ready instruct model, first in the API order', () => {
    expect(pickAutoLlm(DEFAULT_MODELS.map(toModel))!.name).toBe('mistralai/Ministral-3-14B-Instruct-2512');
    const noInstruct = DEFAULT_MODELS.filter((m) => !/Instruct/.test(m.name) || m.meta.is_coder).map(toModel);
    expect(pickAutoLlm(noInstruct)!.name).toBe('moonshotai/Kimi-K2.6');
    expect(pickAutoLlm(DEFAULT_MODELS.filter((m) => m.type !== 'llm').map(toModel))).toBeUndefined();
  });

  test('an unknown LLM fails before any paid call, listing the available LLMs', async () => {
    const api = await fakeApi();
    await expect(providersFor(api, { config: { llm: { model: 'gpt-5' } } })).rejects.toThrow(
      'llm.model: "gpt-5" is not an available LLM; available: Qwen/Qwen3-Coder-480B-A35B-Instruct, moonshotai/Kimi-K2.6, mistralai/Ministral-3-14B-Instruct-2512, swiss-ai/Apertus-70B-Instruct-2509',
    );
    expect(api.stats.requests.chat).toBeUndefined();
    expect(api.stats.requests.images).toBeUndefined();
  });

  test('an unknown image model fails early; the documented sdxl_lightning is accepted', async () => {
    const api = await fakeApi();
    await expect(providersFor(api, { config: { image: { model: 'dall-e-3' } } })).rejects.toThrow(
      'image.model: "dall-e-3" is not an available image model; available: flux',
    );
    const { providers } = await providersFor(api, { config: { image: { model: 'sdxl_lightning' } } });
    await providers.image.generateImage({ prompt: 'a crane', aspect: 1, palette: [] });
    expect(api.stats.imageBodies[0]!['model']).toBe('sdxl_lightning');
  });

  test('a model the account can use is sent as configured', async () => {
    const api = await fakeApi();
    const { providers } = await providersFor(api, { config: { llm: { model: 'moonshotai/Kimi-K2.6' } } });
    await providers.prompt.writePrompt(slideRequest());
    expect(api.stats.chatBodies[0]!['model']).toBe('moonshotai/Kimi-K2.6');
  });
});

describe('LLM answers', () => {
  const longAnswer =
    '**Voici un prompt détaillé :**\n\n> "' +
    Array.from(
      { length: 30 },
      (_, i) => `A wide warehouse aisle number ${i} glows under soft morning light, workers in helmets move pallets`,
    ).join('. ') +
    '."';

  test('an over-long answer is cleaned and cut at a sentence boundary; the API never sees more than 400 characters', async () => {
    const api = await fakeApi({ chatReply: () => longAnswer });
    const { providers } = await providersFor(api);
    const { prompt } = await providers.prompt.writePrompt(slideRequest());
    expect(longAnswer.length).toBeGreaterThan(2000);
    expect(Array.from(prompt).length).toBeLessThanOrEqual(400);
    expect(prompt).toMatch(/^A wide warehouse aisle number 0/);
    expect(prompt).toMatch(/pallets\.$/);
    expect(prompt).not.toMatch(/Voici|\*\*|"|>/);
    await providers.image.generateImage({ prompt, aspect: 1, palette: [] });
    expect(api.stats.requests.images).toBe(1);
    expect(api.stats.failures).toHaveLength(0);
  });

  test('even a caller passing 2,000 characters never sends more than 400 to the image API', async () => {
    const api = await fakeApi();
    const { providers } = await providersFor(api);
    await providers.image.generateImage({ prompt: longAnswer, aspect: 1, palette: [] });
    expect(Array.from(api.stats.imageBodies[0]!['prompt'] as string).length).toBeLessThanOrEqual(400);
  });

  test('the LLM is asked for what remains once the deck style is appended', async () => {
    const api = await fakeApi();
    const { providers } = await providersFor(api);
    await providers.prompt.writePrompt(slideRequest({ style: 'flat vector art' }));
    const system = (api.stats.chatBodies[0]!['messages'] as { content: string }[])[0]!.content;
    expect(system).toContain(`au plus ${400 - ' Style: flat vector art.'.length} caractères`);
  });

  test('an empty answer is asked again once, then the slide fails clearly', async () => {
    let n = 0;
    const api = await fakeApi({ chatReply: () => (n++ === 0 ? '   ' : 'A forklift at dawn.') });
    const { providers } = await providersFor(api);
    const result = await providers.prompt.writePrompt(slideRequest());
    expect(result.prompt).toBe('A forklift at dawn.');
    expect(api.stats.requests.chat).toBe(2);

    const silent = await fakeApi({ chatReply: () => '```\n```' });
    const s = await providersFor(silent);
    await expect(s.providers.prompt.writePrompt(slideRequest())).rejects.toThrow(
      'POST /2/ai/105/openai/v1/chat/completions: the LLM gave no usable prompt in 2 answers (finish_reason: stop)',
    );
    expect(silent.stats.requests.chat).toBe(2);
  });
});

describe('failures', () => {
  // A hung answer costs one whole timeout, so those cases get a short one.
  const timeoutFor = (kind: FailureKind) => ({ config: { timeoutSeconds: kind === 'hang' ? 0.3 : 2 } });

  test.each(RETRIED_FAILURES.map((k) => [k]))('retries %s on the images route and succeeds', async (kind: FailureKind) => {
    const api = await fakeApi();
    const { providers } = await providersFor(api, timeoutFor(kind));
    api.failNext(kind, 'images');
    const image = await providers.image.generateImage({ prompt: 'a harbour crane', aspect: 1, palette: [] });
    expect((await sharp(image.data).metadata()).format).toBe('png');
    expect(api.stats.failures).toEqual([{ route: 'images', kind }]);
    expect(api.stats.requests.images).toBe(2);
  });

  test.each(RETRIED_FAILURES.filter((k) => k !== 'bad-image').map((k) => [k]))(
    'retries %s on the chat route and succeeds',
    async (kind: FailureKind) => {
      const api = await fakeApi();
      const { providers } = await providersFor(api, timeoutFor(kind));
      api.failNext(kind, 'chat');
      await expect(providers.prompt.writePrompt(slideRequest())).resolves.toMatchObject({ prompt: expect.stringMatching(/^A calm/) });
      expect(api.stats.requests.chat).toBe(2);
    },
  );

  test.each([
    [400, 'POST /1/ai/105/openai/images/generations: 400 bad_request: The request is malformed'],
    [401, 'POST /1/ai/105/openai/images/generations: 401 not_authorized: Unauthorized (check INFOMANIAK_API_TOKEN)'],
    [
      403,
      'POST /1/ai/105/openai/images/generations: 403 forbidden: Access to this product is denied (the token needs the AI Tools scope and rights on this product)',
    ],
    [
      404,
      'POST /1/ai/105/openai/images/generations: 404 object_not_found: Object not found (check INFOMANIAK_PRODUCT_ID, INFOMANIAK_BASE_URL and the model name)',
    ],
    [422, 'POST /1/ai/105/openai/images/generations: 422 validation_failed: The prompt must not be greater than 400 characters.'],
  ] as const)('does not retry %i and says why', async (status, message) => {
    const api = await fakeApi();
    const { providers } = await providersFor(api);
    api.failNext(status, 'images');
    const error = await providers.image.generateImage({ prompt: 'a harbour crane', aspect: 1, palette: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as Error).message).toBe(message);
    expect(api.stats.requests.images).toBe(1);
  });

  test('honours Retry-After from a 429', async () => {
    const api = await fakeApi({ retryAfter: '0.02' });
    const { providers, sleeps } = await providersFor(api);
    api.failNext([429, 500], 'images');
    await providers.image.generateImage({ prompt: 'a harbour crane', aspect: 1, palette: [] });
    // 20 ms as asked after the 429, then the default backoff's first step after the 500: the 429
    // was the API saying "not now" and spent none of the attempts meant for failures.
    expect(sleeps).toEqual([20, 500]);
    expect(api.stats.requests.images).toBe(3);
  });

  test('gives up after maxRetries and reports the last failure', async () => {
    const api = await fakeApi();
    const { providers } = await providersFor(api, { config: { maxRetries: 2 } });
    api.failNext([503, 503, 503], 'images');
    await expect(providers.image.generateImage({ prompt: 'a crane', aspect: 1, palette: [] })).rejects.toThrow(
      'POST /1/ai/105/openai/images/generations: 503 service_unavailable: Service unavailable (gave up after 3 attempts)',
    );
  });

  test('the real server validation is what our requests pass: an invalid body would get 422', async () => {
    const api = await fakeApi();
    const res = await fetch(`${api.url}/1/ai/105/openai/images/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'flux', prompt: 'x'.repeat(401), size: '512x512', negative_prompt: 'y'.repeat(351), style: 'vivid' }),
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { errors: { context: { attribute: string } }[] } };
    expect(body.error.errors.map((e) => e.context.attribute)).toEqual(['prompt', 'size', 'style', 'negative_prompt']);
  });
});
