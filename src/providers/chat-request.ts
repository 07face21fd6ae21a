// Prompt writing over an OpenAI-style chat/completions endpoint, shared by the Infomaniak and
// OpenAI-compatible backends: the request body, the answer's text and usage, the cleaned prompt.
import { createHash } from 'node:crypto';
import { composeMessages } from '../prompt/compose.js';
import { cleanPrompt, finalisePrompt, promptBudget } from '../prompt/clean-prompt.js';
import { BadAnswer, type HttpClient } from './http.js';
import { ProviderError } from './provider-errors.js';
import type { CallOptions, PromptProvider, PromptRequest, PromptResult, TokenUsage } from './types.js';

export interface ChatSettings {
  model: string;
  systemPrompt: string;
  userPrompt: string;
  temperature: number;
  /** Completion tokens allowed per answer (`max_completion_tokens`). */
  maxTokens: number;
}

export interface ChatBody {
  model: string;
  messages: { role: 'system' | 'user'; content: string }[];
  temperature: number;
  max_completion_tokens: number;
  /** Always sent: Infomaniak's v2 spec documents `true` as the default. */
  stream: false;
}

// The chat request for one slide: system prompt + output rules, slide text as the user message.
export function buildChatBody(req: PromptRequest, s: ChatSettings): ChatBody {
  // Ask for what is left once the deck style is appended, so the cut rarely has to bite.
  const m = composeMessages({ ...req, maxChars: promptBudget(req.style, req.maxChars) }, s.systemPrompt, s.userPrompt);
  return {
    model: s.model,
    messages: [
      { role: 'system', content: m.system },
      { role: 'user', content: m.user },
    ],
    temperature: s.temperature,
    max_completion_tokens: s.maxTokens,
    stream: false,
  };
}

export interface ChatAnswer {
  text: string;
  finishReason: string | undefined;
  usage: TokenUsage;
}

// Validate hook: the first choice's text and the token usage; an answer without a message is retried.
export function readChatAnswer(body: unknown): ChatAnswer {
  const b = body as {
    choices?: { message?: { content?: unknown }; finish_reason?: unknown }[];
    usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
  };
  const choice = b?.choices?.[0];
  if (!choice?.message) throw new BadAnswer('no choices[0].message in the answer');
  const content = choice.message.content;
  // Some servers answer with content parts rather than one string.
  const text =
    typeof content === 'string'
      ? content
      : Array.isArray(content)
        ? content.map((p: { text?: unknown }) => (typeof p?.text === 'string' ? p.text : '')).join('')
        : '';
  const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return {
    text,
    finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : undefined,
    usage: { promptTokens: count(b.usage?.prompt_tokens), completionTokens: count(b.usage?.completion_tokens) },
  };
}

/** Chat calls per slide when the answer cleans down to nothing: the first plus one more try. */
export const EMPTY_ANSWER_TRIES = 2;

export interface ChatPromptWriterOptions {
  name: string;
  http: HttpClient;
  /** The chat/completions endpoint below the base URL. */
  path: string;
  settings: ChatSettings;
}

// A PromptProvider that asks the LLM, cleans its answer and cuts it to the image API's limit.
export function createChatPromptWriter(options: ChatPromptWriterOptions): PromptProvider {
  const s = options.settings;
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([options.name, s.model, s.systemPrompt, s.userPrompt, s.temperature, s.maxTokens]))
    .digest('hex')
    .slice(0, 16);
  return {
    name: options.name,
    promptFingerprint: `${options.name}:${s.model}:${fingerprint}`,
    async writePrompt(req: PromptRequest, call?: CallOptions): Promise<PromptResult> {
      const body = buildChatBody(req, s);
      const usage: TokenUsage = { promptTokens: 0, completionTokens: 0 };
      let finish: string | undefined;
      for (let i = 0; i < EMPTY_ANSWER_TRIES; i++) {
        const answer = await options.http.request({
          method: 'POST',
          path: options.path,
          body,
          signal: call?.signal,
          validate: readChatAnswer,
        });
        usage.promptTokens += answer.usage.promptTokens;
        usage.completionTokens += answer.usage.completionTokens;
        if (cleanPrompt(answer.text)) return { prompt: finalisePrompt(answer.text, req.style, req.maxChars), usage };
        finish = answer.finishReason;
      }
      throw new ProviderError(
        `POST ${options.path}: the LLM gave no usable prompt in ${EMPTY_ANSWER_TRIES} answers${finish ? ` (finish_reason: ${finish})` : ''}`,
        {
          method: 'POST',
          path: options.path,
          kind: 'invalid-response',
          retryable: false,
        },
      );
    },
  };
}
