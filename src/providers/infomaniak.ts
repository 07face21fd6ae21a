// Infomaniak AI Tools: settings from the environment, product discovery (GET /1/ai), the model
// check, then chat on the v2 OpenAI route and images on the v1 route (the only one documented).
import type { Config } from '../config/schema.js';
import { ConfigError, UsageError } from '../errors.js';
import { createChatPromptWriter } from './chat-request.js';
import { dataList, type HttpClient } from './http.js';
import { createImageGenerator } from './image-request.js';
import { listModels, resolveImageModel, resolveLlmModel } from './infomaniak-models.js';
import { publishedPrices } from './infomaniak-prices.js';
import { createProviderHttp, validateBaseUrl, type HttpConfig, type HttpOverrides } from './provider-http.js';
import { readEnv, readSecretEnv } from '../internal/env.js';
import type { Backend } from './types.js';

export const DEFAULT_INFOMANIAK_BASE_URL = 'https://api.infomaniak.com';

export const infomaniakPaths = {
  products: '/1/ai',
  chat: (id: string) => `/2/ai/${id}/openai/v1/chat/completions`,
  images: (id: string) => `/1/ai/${id}/openai/images/generations`,
  /** Free and product-scoped: proves the token may use this product. */
  productModels: (id: string) => `/2/ai/${id}/openai/v1/models`,
};

export interface InfomaniakEnv {
  token: string;
  baseUrl: string;
  /** Undefined: discover it with GET /1/ai. */
  productId: string | undefined;
}

// Reads INFOMANIAK_API_TOKEN, INFOMANIAK_PRODUCT_ID and INFOMANIAK_BASE_URL; the token never comes from a file.
export function readInfomaniakEnv(env: NodeJS.ProcessEnv): InfomaniakEnv {
  const token = readSecretEnv(env, 'INFOMANIAK_API_TOKEN');
  if (!token) {
    throw new UsageError(
      'INFOMANIAK_API_TOKEN is not set: create an API token with the AI Tools scope in the Infomaniak Manager and export it, or use --provider openai (OPENAI_API_KEY) or --provider offline',
    );
  }
  const productId = readEnv(env, 'INFOMANIAK_PRODUCT_ID');
  if (productId !== undefined && !/^\d+$/.test(productId))
    throw new ConfigError(`INFOMANIAK_PRODUCT_ID: expected a number, got ${JSON.stringify(productId)}`);
  const baseUrl = validateBaseUrl('INFOMANIAK_BASE_URL', readEnv(env, 'INFOMANIAK_BASE_URL') ?? DEFAULT_INFOMANIAK_BASE_URL);
  return { token, baseUrl, productId };
}

// The HTTP client for Infomaniak, with advice for the final errors users can fix themselves.
export function createInfomaniakHttp(ienv: InfomaniakEnv, config: HttpConfig, overrides?: HttpOverrides): HttpClient {
  const hints = {
    401: 'check INFOMANIAK_API_TOKEN',
    403: 'the token needs the AI Tools scope and rights on this product',
    404: 'check INFOMANIAK_PRODUCT_ID, INFOMANIAK_BASE_URL and the model name',
  };
  return createProviderHttp(config, { baseUrl: ienv.baseUrl, token: ienv.token, hints }, overrides);
}

export interface AiProduct {
  productId: string;
  productName: string;
  accountName: string;
  status: string;
}

// Lists the AI Tools products the token has rights on.
export async function listProducts(http: HttpClient, signal?: AbortSignal): Promise<AiProduct[]> {
  return http.request({
    method: 'GET',
    path: infomaniakPaths.products,
    signal,
    validate: (body) =>
      dataList(body, 'products').map((p) => ({
        productId: String(p['product_id']),
        productName: String(p['product_name'] ?? ''),
        accountName: String(p['account_name'] ?? ''),
        status: String(p['status'] ?? ''),
      })),
  });
}

// INFOMANIAK_PRODUCT_ID, or the one product GET /1/ai shows; none or several is a clear error.
export async function resolveProductId(http: HttpClient, ienv: InfomaniakEnv, signal?: AbortSignal): Promise<string> {
  if (ienv.productId) return ienv.productId;
  const products = await listProducts(http, signal);
  if (products.length === 1) return products[0]!.productId;
  if (!products.length)
    throw new ConfigError(
      'INFOMANIAK_PRODUCT_ID: this token sees no AI Tools product; create one in the Infomaniak Manager or check the token',
    );
  const list = products.map((p) => `${p.productId} (${p.productName}, ${p.accountName})`).join(', ');
  throw new ConfigError(
    `INFOMANIAK_PRODUCT_ID: this token sees ${products.length} AI Tools products; set INFOMANIAK_PRODUCT_ID to one of: ${list}`,
  );
}

export interface InfomaniakProviderOptions {
  config: Config;
  env: NodeJS.ProcessEnv;
  http?: HttpOverrides | undefined;
  signal?: AbortSignal | undefined;
}

// Resolves product and models with free calls, then returns the prompt and image providers.
export async function createInfomaniakProviders(options: InfomaniakProviderOptions): Promise<Backend> {
  const { config, signal } = options;
  const ienv = readInfomaniakEnv(options.env);
  const http = createInfomaniakHttp(ienv, config, options.http);
  const productId = await resolveProductId(http, ienv, signal);
  const models = await listModels(http, signal);
  const llm = resolveLlmModel(config.llm.model, models);
  const image = resolveImageModel(config.image.model, models);
  return {
    kind: 'infomaniak',
    offline: false,
    prices: publishedPrices(models, { llm, image: image.model, currency: config.pricing.currency }),
    prompt: createChatPromptWriter({
      name: 'infomaniak',
      http,
      path: infomaniakPaths.chat(productId),
      settings: { ...config.llm, model: llm },
    }),
    image: createImageGenerator({
      name: 'infomaniak',
      http,
      path: infomaniakPaths.images(productId),
      settings: {
        dialect: 'infomaniak',
        model: image.model,
        quality: config.image.quality,
        apiStyle: config.image.apiStyle,
        negativePrompt: config.image.negativePrompt,
      },
    }),
  };
}
