// The fake's generation routes, validating bodies like the real API: Infomaniak answers 422
// `validation_failed` with `errors[]`, vLLM and OpenAI answer `{error:{message}}`.
import { parseJsonObject } from '../../src/internal/json.js';
import { envelope, IMAGE_SIZES, IMAGE_STYLES, openAiError, type FakeModel } from './fake-api-data.js';
import type { FakeApiStats } from './fake-infomaniak.js';

export interface Reply {
  status: number;
  body: unknown;
  /** The body already serialized, sent as is. */
  raw?: Buffer;
  headers?: Record<string, string>;
}

export interface RouteContext {
  models: FakeModel[];
  openaiModels: string[];
  chatReply: (user: string) => string;
  stats: FakeApiStats;
  /** The picture of the n-th image answer, as base64. */
  imageBase64: (size: string, n: number) => string | Promise<string>;
  /** The whole n-th image answer, serialized; replaces imageBase64 when given. */
  imageAnswer?: ((size: string, n: number) => Buffer | Promise<Buffer>) | undefined;
}

const chars = (s: string) => Array.from(s).length;

function invalid(openai: boolean, errors: { attribute: string; description: string }[]): Reply {
  return openai
    ? { status: 400, body: openAiError(errors.map((e) => e.description).join(' '), 'invalid_request_error') }
    : { status: 422, body: envelope('validation_failed', 'Validation failed', errors) };
}

// POST chat/completions: model known, stream explicit, messages of strings, then a canned answer with usage.
export function answerChat(raw: string, openai: boolean, ctx: RouteContext): Reply {
  const body = parseJsonObject(raw);
  if (!body)
    return {
      status: 400,
      body: openai ? openAiError('Body is not JSON', 'invalid_request_error') : envelope('bad_request', 'Body is not JSON'),
    };
  ctx.stats.chatBodies.push(body);
  const known = openai ? ctx.openaiModels : ctx.models.filter((m) => m.type === 'llm').map((m) => m.name);
  // The v2 routes are served by vLLM, whose errors use OpenAI's shape.
  if (!known.includes(String(body['model'])))
    return { status: 404, body: openAiError(`The model \`${String(body['model'])}\` does not exist.`, 'NotFoundError', '404') };
  const errors: { attribute: string; description: string }[] = [];
  // Infomaniak documents stream as defaulting to true; this fake insists it is sent.
  if (typeof body['stream'] !== 'boolean') errors.push({ attribute: 'stream', description: 'The stream field is required.' });
  else if (body['stream']) errors.push({ attribute: 'stream', description: 'The fake serves stream: false only.' });
  const messages = body['messages'];
  const valid =
    Array.isArray(messages) &&
    messages.length > 0 &&
    messages.every(
      (m: { role?: unknown; content?: unknown }) =>
        ['system', 'user', 'assistant'].includes(String(m?.role)) && typeof m?.content === 'string',
    );
  if (!valid) errors.push({ attribute: 'messages', description: 'The messages must be a list of {role, content: string}.' });
  const t = body['temperature'];
  if (t !== undefined && (typeof t !== 'number' || t < 0 || t > 2))
    errors.push({ attribute: 'temperature', description: 'The temperature must be between 0 and 2.' });
  const max = body['max_completion_tokens'];
  if (max !== undefined && (!Number.isInteger(max) || (max as number) < 1))
    errors.push({ attribute: 'max_completion_tokens', description: 'The max_completion_tokens must be at least 1.' });
  if (errors.length) return invalid(openai, errors);
  const list = messages as { role: string; content: string }[];
  const user = list
    .filter((m) => m.role === 'user')
    .map((m) => m.content)
    .join('\n');
  const content = ctx.chatReply(user);
  const promptTokens = Math.ceil(list.reduce((n, m) => n + m.content.length, 0) / 4);
  const completionTokens = Math.ceil(content.length / 4);
  return {
    status: 200,
    body: {
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      created: 1,
      model: body['model'],
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    },
  };
}

// POST images/generations: every documented limit checked, then a real PNG of the requested aspect.
export async function answerImage(raw: string, openai: boolean, ctx: RouteContext): Promise<Reply> {
  const body = parseJsonObject(raw);
  if (!body)
    return {
      status: 400,
      body: openai ? openAiError('Body is not JSON', 'invalid_request_error') : envelope('bad_request', 'Body is not JSON'),
    };
  ctx.stats.imageBodies.push(body);
  const errors: { attribute: string; description: string }[] = [];
  const usable = openai
    ? ctx.openaiModels
    : [...ctx.models.filter((m) => m.type === 'image' && m.info_status !== 'coming_soon').map((m) => m.name), 'sdxl_lightning'];
  if (!usable.includes(String(body['model']))) errors.push({ attribute: 'model', description: 'The selected model is invalid.' });
  const prompt = body['prompt'];
  if (typeof prompt !== 'string' || !prompt.trim()) errors.push({ attribute: 'prompt', description: 'The prompt field is required.' });
  else if (!openai && chars(prompt) > 400)
    errors.push({ attribute: 'prompt', description: 'The prompt must not be greater than 400 characters.' });
  const n = body['n'];
  if (n !== undefined && (!Number.isInteger(n) || (n as number) < 1 || (n as number) > 5))
    errors.push({ attribute: 'n', description: 'The n must be between 1 and 5.' });
  const size = body['size'] ?? '1024x1024';
  if (!IMAGE_SIZES.includes(String(size))) errors.push({ attribute: 'size', description: 'The selected size is invalid.' });
  if (body['response_format'] !== undefined && !['b64_json', 'url'].includes(String(body['response_format'])))
    errors.push({ attribute: 'response_format', description: 'The selected response format is invalid.' });
  if (body['quality'] !== undefined && !['hd', 'standard'].includes(String(body['quality'])))
    errors.push({ attribute: 'quality', description: 'The selected quality is invalid.' });
  if (!openai && body['style'] !== undefined && !IMAGE_STYLES.includes(String(body['style'])))
    errors.push({ attribute: 'style', description: 'The selected style is invalid.' });
  const negative = body['negative_prompt'];
  if (!openai && negative !== undefined && (typeof negative !== 'string' || chars(negative) > 350))
    errors.push({ attribute: 'negative_prompt', description: 'The negative prompt must not be greater than 350 characters.' });
  if (errors.length) return invalid(openai, errors);
  const index = ctx.stats.imagesServed++;
  if (ctx.imageAnswer) return { status: 200, body: undefined, raw: await ctx.imageAnswer(String(size), index) };
  // `n` pictures, as the API makes them: the first is the n-th picture served, the others follow it.
  const count = typeof n === 'number' ? n : 1;
  const data = [{ b64_json: await ctx.imageBase64(String(size), index), revised_prompt: '' }];
  for (let i = 1; i < count; i++)
    data.push({ b64_json: await ctx.imageBase64(String(size), ctx.stats.imagesServed++), revised_prompt: '' });
  return { status: 200, body: { created: 1, data } };
}
