import sharp from 'sharp';
import { describe, expect, test } from 'vitest';
import { ConfigError, UsageError } from '../../src/errors.js';
import { classifyModelId, readOpenAiEnv } from '../../src/providers/openai-compatible.js';
import { ProviderAuthError } from '../../src/providers/provider-errors.js';
import { fakeApi, providersFor, slideRequest } from '../helpers/provider-setup.js';

const KEY = 'sk-openai-gateway-key-42';

describe('OpenAI-compatible provider', () => {
  test('uses /v1/chat/completions and /v1/images/generations with the key, whatever form OPENAI_BASE_URL takes', async () => {
    const api = await fakeApi({ openaiKey: KEY, openaiModels: ['text-embedding-3-small', 'llama-3.1-8b-instruct', 'flux-schnell'] });
    for (const base of [api.url, `${api.url}/v1`, `${api.url}/v1/`]) {
      const { providers } = await providersFor(api, {
        kind: 'openai',
        env: { OPENAI_BASE_URL: base, OPENAI_API_KEY: KEY },
        config: { image: { model: 'flux-schnell', apiStyle: 'comic_book', negativePrompt: 'text' } },
      });
      expect(providers.kind).toBe('openai');
      const { prompt, usage } = await providers.prompt.writePrompt(slideRequest());
      expect(prompt).toMatch(/^A calm editorial illustration/);
      expect(usage!.completionTokens).toBeGreaterThan(0);
      const image = await providers.image.generateImage({ prompt, aspect: 1, palette: [] });
      expect((await sharp(image.data).metadata()).format).toBe('png');
    }
    expect(api.stats.requests).toEqual({ 'openai-models': 3, 'openai-chat': 3, 'openai-images': 3 });
    // "auto" skipped the embedding model and chose the instruct one.
    expect(api.stats.chatBodies[0]).toMatchObject({ model: 'llama-3.1-8b-instruct', stream: false, max_completion_tokens: 200 });
    // Infomaniak-only fields stay out of a standard request.
    expect(api.stats.imageBodies[0]).toEqual({
      model: 'flux-schnell',
      prompt: expect.any(String),
      n: 1,
      size: '1024x1024',
      response_format: 'b64_json',
    });
    expect(new Set(api.stats.authorizations)).toEqual(new Set([`Bearer ${KEY}`]));
  });

  test('a wrong key is an auth error in OpenAI’s words', async () => {
    const api = await fakeApi({ openaiKey: KEY });
    const error = await providersFor(api, { kind: 'openai', env: { OPENAI_BASE_URL: api.url, OPENAI_API_KEY: 'nope-nope' } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect((error as Error).message).toBe('GET /v1/models: 401 invalid_api_key: Incorrect API key provided (check OPENAI_API_KEY)');
  });

  test('a local server without a key gets no Authorization header', async () => {
    const api = await fakeApi();
    const { providers } = await providersFor(api, { kind: 'openai', env: { OPENAI_BASE_URL: api.url } });
    await providers.prompt.writePrompt(slideRequest());
    expect(api.stats.authorizations.length).toBeGreaterThan(0);
    expect(api.stats.authorizations.every((a) => a === undefined)).toBe(true);
  });

  test('an explicit model must be listed; the error lists the chat models', async () => {
    const api = await fakeApi();
    await expect(
      providersFor(api, { kind: 'openai', env: { OPENAI_BASE_URL: api.url }, config: { llm: { model: 'gpt-4o' } } }),
    ).rejects.toThrow('llm.model: "gpt-4o" is not an available LLM; available: llama-3.1-8b-instruct');
  });

  test('a server without GET /v1/models: explicit models are trusted, "auto" asks for one', async () => {
    const api = await fakeApi({ openaiModelsRoute: false });
    const env = { OPENAI_BASE_URL: api.url };
    const error = await providersFor(api, { kind: 'openai', env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe('llm.model: "auto" needs GET /v1/models, which this server does not offer; set llm.model');
    const { providers } = await providersFor(api, { kind: 'openai', env, config: { llm: { model: 'llama-3.1-8b-instruct' } } });
    await expect(providers.prompt.writePrompt(slideRequest())).resolves.toMatchObject({ prompt: expect.any(String) });
    expect(api.stats.requests['openai-models']).toBe(2);
  });

  test('retries the same failures as the Infomaniak provider', async () => {
    const api = await fakeApi();
    const { providers } = await providersFor(api, {
      kind: 'openai',
      env: { OPENAI_BASE_URL: api.url },
      config: { image: { model: 'flux-schnell' } },
    });
    api.failNext([429, 'reset', 'bad-image'], 'openai-images');
    await providers.image.generateImage({ prompt: 'a harbour crane', aspect: 0.5, palette: [] });
    expect(api.stats.requests['openai-images']).toBe(4);
  });

  test('needs OPENAI_BASE_URL or OPENAI_API_KEY', () => {
    expect(() => readOpenAiEnv({})).toThrow(UsageError);
    expect(readOpenAiEnv({ OPENAI_API_KEY: KEY })).toEqual({ baseUrl: 'https://api.openai.com', apiKey: KEY });
    expect(() => readOpenAiEnv({ OPENAI_BASE_URL: 'localhost:8080' })).toThrow(
      'OPENAI_BASE_URL: expected an http(s) URL, got "localhost:8080"',
    );
  });

  test('classifies model ids by name', () => {
    expect(['gpt-4o-mini', 'dall-e-3', 'text-embedding-3-small', 'whisper-1'].map(classifyModelId)).toEqual([
      'llm',
      'image',
      'other',
      'other',
    ]);
  });
});
