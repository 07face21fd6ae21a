import { describe, expect, it } from 'vitest';
import { SLIDE_TEXT_TOKEN } from '../../src/config/schema.js';
import { MAX_PROMPT_CHARS, promptBudget } from '../../src/prompt/clean-prompt.js';
import { outputRules, slideTextForPrompt } from '../../src/prompt/compose.js';
import {
  buildChatBody,
  createChatPromptWriter,
  EMPTY_ANSWER_TRIES,
  readChatAnswer,
  type ChatSettings,
} from '../../src/providers/chat-request.js';
import { BadAnswer, type HttpClient, type HttpRequest } from '../../src/providers/http.js';
import { ProviderError } from '../../src/providers/provider-errors.js';
import type { PromptRequest } from '../../src/providers/types.js';

const settings: ChatSettings = {
  model: 'qwen3',
  systemPrompt: 'You are an art director.',
  userPrompt: `Slide:\n${SLIDE_TEXT_TOKEN}`,
  temperature: 0.4,
  maxTokens: 300,
};
const request: PromptRequest = {
  slide: { title: 'Tides', body: 'Spring and neap tides', notes: '' },
  deckTitle: 'Oceans',
  style: 'watercolour',
  maxChars: MAX_PROMPT_CHARS,
  slideNumber: 2,
};
const answer = (content: unknown, extra: object = {}) => ({
  choices: [{ message: { content }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 120, completion_tokens: 40 },
  ...extra,
});

/** An HttpClient that answers each request with the next body, through the request's own validate hook. */
function fakeHttp(bodies: unknown[]) {
  const requests: HttpRequest<unknown>[] = [];
  const http: HttpClient = {
    async request<T>(req: HttpRequest<T>): Promise<T> {
      requests.push(req as HttpRequest<unknown>);
      const body = bodies[requests.length - 1];
      return req.validate ? req.validate(body) : (body as T);
    },
  };
  return { http, requests };
}

describe('buildChatBody', () => {
  it('sends the model, system prompt with output rules, the slide as the user message, temperature, token cap and stream: false', () => {
    const body = buildChatBody(request, settings);
    expect(body).toEqual({
      model: 'qwen3',
      messages: [
        { role: 'system', content: `You are an art director.\n\n${outputRules(promptBudget('watercolour', MAX_PROMPT_CHARS))}` },
        { role: 'user', content: `Slide:\n${slideTextForPrompt(request.slide, 'Oceans')}` },
      ],
      temperature: 0.4,
      max_completion_tokens: 300,
      stream: false,
    });
  });

  it('asks for what is left of the limit once the deck style is appended', () => {
    const budget = MAX_PROMPT_CHARS - Array.from(' Style: watercolour.').length;
    expect(buildChatBody(request, settings).messages[0]!.content).toContain(`au plus ${budget} caractères`);
    expect(buildChatBody({ ...request, style: '' }, settings).messages[0]!.content).toContain(`au plus ${MAX_PROMPT_CHARS} caractères`);
  });
});

describe('readChatAnswer', () => {
  it("reads the first choice's text, its finish reason and the token usage", () => {
    expect(readChatAnswer(answer('A calm sea'))).toEqual({
      text: 'A calm sea',
      finishReason: 'stop',
      usage: { promptTokens: 120, completionTokens: 40 },
    });
  });

  it('joins content parts, and counts missing or bad usage as 0', () => {
    const parts = [{ type: 'text', text: 'A calm ' }, { type: 'image' }, { type: 'text', text: 'sea' }];
    expect(readChatAnswer(answer(parts, { usage: { prompt_tokens: 'many' } }))).toEqual({
      text: 'A calm sea',
      finishReason: 'stop',
      usage: { promptTokens: 0, completionTokens: 0 },
    });
    expect(readChatAnswer({ choices: [{ message: { content: null } }] })).toEqual({
      text: '',
      finishReason: undefined,
      usage: { promptTokens: 0, completionTokens: 0 },
    });
  });

  it.each([[{}], [{ choices: [] }], [{ choices: [{ finish_reason: 'length' }] }], [null]])(
    'rejects %j as a bad answer (retried)',
    (body) => {
      expect(() => readChatAnswer(body)).toThrow(BadAnswer);
      expect(() => readChatAnswer(body)).toThrow('no choices[0].message in the answer');
    },
  );
});

describe('createChatPromptWriter', () => {
  const writer = (bodies: unknown[], name = 'infomaniak') => {
    const fake = fakeHttp(bodies);
    return { ...fake, provider: createChatPromptWriter({ name, http: fake.http, path: '/1/ai/42/openai/v1/chat/completions', settings }) };
  };

  it('posts the chat body to its path and returns the cleaned prompt with the style and the usage', async () => {
    const { provider, requests } = writer([answer('Here is the prompt: "A calm sea at **dawn**"')]);
    const result = await provider.writePrompt(request);
    expect(result).toEqual({ prompt: 'A calm sea at dawn Style: watercolour.', usage: { promptTokens: 120, completionTokens: 40 } });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      method: 'POST',
      path: '/1/ai/42/openai/v1/chat/completions',
      body: buildChatBody(request, settings),
    });
  });

  it('asks once more when the answer cleans down to nothing, adding up the usage of both calls', async () => {
    const { provider, requests } = writer([answer('<think>hmm</think>'), answer('A calm sea')]);
    expect(await provider.writePrompt(request)).toEqual({
      prompt: 'A calm sea Style: watercolour.',
      usage: { promptTokens: 240, completionTokens: 80 },
    });
    expect(requests).toHaveLength(2);
  });

  it('gives up after EMPTY_ANSWER_TRIES empty answers with a non-retryable error naming the path and finish reason', async () => {
    const empty = { choices: [{ message: { content: '""' }, finish_reason: 'length' }] };
    const { provider, requests } = writer([empty, empty, empty]);
    const error = await provider.writePrompt(request).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).message).toBe(
      `POST /1/ai/42/openai/v1/chat/completions: the LLM gave no usable prompt in ${EMPTY_ANSWER_TRIES} answers (finish_reason: length)`,
    );
    expect((error as ProviderError).retryable).toBe(false);
    expect(requests).toHaveLength(EMPTY_ANSWER_TRIES);
  });

  it("passes the caller's abort signal to the request", async () => {
    const { provider, requests } = writer([answer('A calm sea')]);
    const controller = new AbortController();
    await provider.writePrompt(request, { signal: controller.signal });
    expect(requests[0]!.signal).toBe(controller.signal);
  });

  it('fingerprints every setting that changes the answer, so cached prompts do not outlive them', () => {
    const fp = (s: Partial<ChatSettings>, name = 'infomaniak') =>
      createChatPromptWriter({ name, http: fakeHttp([]).http, path: '/x', settings: { ...settings, ...s } }).promptFingerprint;
    const base = fp({});
    expect(base).toMatch(/^infomaniak:qwen3:[0-9a-f]{16}$/);
    expect(fp({})).toBe(base);
    const changed = [
      fp({ model: 'mistral' }),
      fp({ systemPrompt: 'Other' }),
      fp({ userPrompt: `Other ${SLIDE_TEXT_TOKEN}` }),
      fp({ temperature: 0.5 }),
      fp({ maxTokens: 301 }),
      fp({}, 'openai'),
    ];
    expect(new Set([base, ...changed]).size).toBe(changed.length + 1);
  });
});
