// Any OpenAI-compatible server (a team gateway, LiteLLM, vLLM, a local server): standard
// /v1/chat/completions and /v1/images/generations, configured by OPENAI_BASE_URL and OPENAI_API_KEY.
import type { Config } from '../config/schema.js';
import { ConfigError, UsageError } from '../errors.js';
import { readEnv, readSecretEnv } from '../internal/env.js';
import { createChatPromptWriter } from './chat-request.js';
import { dataList, type HttpClient } from './http.js';
import { createImageGenerator } from './image-request.js';
import { ProviderError } from './provider-errors.js';
import { createProviderHttp, validateBaseUrl, type HttpConfig, type HttpOverrides } from './provider-http.js';
import type { Backend } from './types.js';

export const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

export const openaiPaths = { chat: '/v1/chat/completions', images: '/v1/images/generations', models: '/v1/models' } as const;

export interface OpenAiEnv {
  /** Server root; the /v1 of the usual OPENAI_BASE_URL form is part of the paths. */
  baseUrl: string;
  /** Optional for local servers; required for api.openai.com. */
  apiKey: string | undefined;
}

// Reads OPENAI_BASE_URL (with or without its trailing /v1) and OPENAI_API_KEY.
export function readOpenAiEnv(env: NodeJS.ProcessEnv): OpenAiEnv {
  const given = readEnv(env, 'OPENAI_BASE_URL');
  const baseUrl = validateBaseUrl('OPENAI_BASE_URL', given ?? DEFAULT_OPENAI_BASE_URL).replace(/\/v1$/, '');
  const apiKey = readSecretEnv(env, 'OPENAI_API_KEY');
  // The default server needs a key: say so before a call that could only end in a 401.
  if (!apiKey && !given) {
    throw new UsageError(
      `OPENAI_API_KEY is not set: --provider openai uses ${DEFAULT_OPENAI_BASE_URL} unless OPENAI_BASE_URL names another server, and that one needs a key; set OPENAI_API_KEY, or OPENAI_BASE_URL to a server that needs none`,
    );
  }
  return { baseUrl, apiKey };
}

// The HTTP client for an OpenAI-compatible server.
export function createOpenAiHttp(oenv: OpenAiEnv, config: HttpConfig, overrides?: HttpOverrides): HttpClient {
  const hints = {
    401: 'check OPENAI_API_KEY',
    403: 'check OPENAI_API_KEY and its rights',
    404: 'check OPENAI_BASE_URL and the model name',
  };
  return createProviderHttp(config, { baseUrl: oenv.baseUrl, token: oenv.apiKey, hints }, overrides);
}

/** Ids that name image, speech, embedding or moderation models rather than chat models. */
const IMAGE_ID = /dall-e|gpt-image|flux|sdxl|stable-diffusion|imagen/i;
const OTHER_ID = /embed|whisper|tts|rerank|moderation|transcribe|audio|realtime|search/i;

/** A model id's kind, guessed from its name: /v1/models carries no type. */
export function classifyModelId(id: string): 'llm' | 'image' | 'other' {
  if (IMAGE_ID.test(id)) return 'image';
  return OTHER_ID.test(id) ? 'other' : 'llm';
}

// The server's model ids (GET /v1/models); undefined when the server has no such route.
export async function listModelIds(http: HttpClient, signal?: AbortSignal): Promise<string[] | undefined> {
  try {
    return await http.request({
      method: 'GET',
      path: openaiPaths.models,
      signal,
      validate: (body) => dataList(body, 'models').flatMap((m) => (typeof m['id'] === 'string' ? [m['id']] : [])),
    });
  } catch (error) {
    // Many gateways proxy generation only; then the model cannot be checked in advance.
    if (error instanceof ProviderError && (error.status === 404 || error.status === 405)) return undefined;
    throw error;
  }
}

// "auto" becomes the first chat-looking id (instruction-tuned names first); an explicit model must be listed.
export function resolveOpenAiLlm(configured: string, ids: string[] | undefined): string {
  const chat = (ids ?? []).filter((id) => classifyModelId(id) === 'llm');
  if (configured === 'auto') {
    if (!ids) throw new ConfigError(`llm.model: "auto" needs GET ${openaiPaths.models}, which this server does not offer; set llm.model`);
    const picked = chat.find((id) => /instruct|chat|[-_]it\b/i.test(id)) ?? chat[0];
    if (!picked) throw new ConfigError(`llm.model: "auto" found no chat model among: ${ids.join(', ') || '(none)'}`);
    return picked;
  }
  if (ids && !ids.includes(configured))
    throw new ConfigError(`llm.model: "${configured}" is not an available LLM; available: ${chat.join(', ') || '(none)'}`);
  return configured;
}

export interface OpenAiProviderOptions {
  config: Config;
  env: NodeJS.ProcessEnv;
  http?: HttpOverrides | undefined;
  signal?: AbortSignal | undefined;
}

// Checks the chat model when the server lists models, then returns the prompt and image providers.
export async function createOpenAiProviders(options: OpenAiProviderOptions): Promise<Backend> {
  const { config } = options;
  const oenv = readOpenAiEnv(options.env);
  const http = createOpenAiHttp(oenv, config, options.http);
  const llm = resolveOpenAiLlm(config.llm.model, await listModelIds(http, options.signal));
  return {
    kind: 'openai',
    offline: false,
    prompt: createChatPromptWriter({ name: 'openai', http, path: openaiPaths.chat, settings: { ...config.llm, model: llm } }),
    image: createImageGenerator({
      name: 'openai',
      http,
      path: openaiPaths.images,
      settings: { dialect: 'openai', model: config.image.model, quality: config.image.quality },
    }),
  };
}
