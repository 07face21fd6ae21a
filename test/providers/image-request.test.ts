import sharp from 'sharp';
import { describe, expect, test } from 'vitest';
import { configSchema, defaultConfig } from '../../src/config/schema.js';
import { BadAnswer } from '../../src/providers/http.js';
import { buildImageBody, readImageAnswer, readImageAnswers } from '../../src/providers/image-request.js';

const png = () =>
  sharp({ create: { width: 8, height: 4, channels: 3, background: '#369' } })
    .png()
    .toBuffer();

describe('buildImageBody', () => {
  test('sends only what the API documents, within its limits', () => {
    const body = buildImageBody(`  ${'word '.repeat(120)}  `, '1024x1792', {
      dialect: 'infomaniak',
      model: 'flux',
      negativePrompt: 'n'.repeat(20),
      apiStyle: 'lowpoly',
      quality: 'standard',
    });
    expect(Array.from(body.prompt).length).toBeLessThanOrEqual(400);
    expect(body).toMatchObject({
      model: 'flux',
      n: 1,
      size: '1024x1792',
      response_format: 'b64_json',
      style: 'lowpoly',
      quality: 'standard',
      negative_prompt: 'n'.repeat(20),
    });
  });

  test('n and a per-call API style: sent within the API range, the style only to Infomaniak', () => {
    const settings = { dialect: 'infomaniak', model: 'flux', apiStyle: 'lowpoly' } as const;
    expect(buildImageBody('a cat', '1024x1024', settings, { n: 3, apiStyle: 'line_art' })).toMatchObject({ n: 3, style: 'line_art' });
    expect(buildImageBody('a cat', '1024x1024', settings)).toMatchObject({ n: 1, style: 'lowpoly' });
    expect(buildImageBody('a cat', '1024x1024', { ...settings, dialect: 'openai' }, { n: 2, apiStyle: 'line_art' })).not.toHaveProperty(
      'style',
    );
    expect(() => buildImageBody('a cat', '1024x1024', settings, { n: 6 })).toThrow('image request not sent: n 6 is not from 1 to 5');
    expect(() => buildImageBody('a cat', '1024x1024', settings, { apiStyle: 'oil' })).toThrow(/style oil is not one of/);
  });

  test.each([
    ['', '1024x1024', 'image request not sent: the prompt is empty'],
    ['a cat', '512x512', 'image request not sent: size 512x512 is not one of 1024x1024, 1792x1024, 1024x1792'],
  ])('refuses %j at %s without sending', (prompt, size, message) => {
    expect(() => buildImageBody(prompt, size, { dialect: 'infomaniak', model: 'flux' })).toThrow(message);
  });
});

describe('readImageAnswers', () => {
  test('returns the n pictures asked for; fewer is a broken answer (retried)', async () => {
    const [a, b] = [
      await png(),
      await sharp({ create: { width: 4, height: 4, channels: 3, background: '#963' } })
        .png()
        .toBuffer(),
    ];
    const answer = { data: [{ b64_json: a.toString('base64') }, { b64_json: b }] };
    expect(await readImageAnswers(answer, 2)).toEqual([a, b]);
    const error = await readImageAnswers(answer, 3).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadAnswer);
    expect((error as Error).message).toBe('no data[2].b64_json in the answer');
  });
});

describe('readImageAnswer', () => {
  test('returns a picture that decodes', async () => {
    const data = await png();
    expect(await readImageAnswer({ data: [{ b64_json: data.toString('base64') }] })).toEqual(data);
  });

  test.each([
    ['no data', {}, 'no data[0].b64_json in the answer', true],
    [
      'bytes that are no picture',
      { data: [{ b64_json: Buffer.from('hello').toString('base64') }] },
      'the image does not decode (5 bytes)',
      true,
    ],
    [
      'only a URL',
      { data: [{ url: 'https://cdn.example/x.png' }] },
      'the answer holds a URL; slide-illustrate asks for and needs b64_json',
      false,
    ],
  ])('%s is a bad answer', async (_what, body, message, retryable) => {
    const error = await readImageAnswer(body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadAnswer);
    expect((error as BadAnswer).message).toBe(message);
    expect((error as BadAnswer).retryable).toBe(retryable);
  });

  test('a PNG cut short is caught even though its header reads fine', async () => {
    const data = await png();
    await expect(readImageAnswer({ data: [{ b64_json: data.subarray(0, data.length - 20).toString('base64') }] })).rejects.toThrow(
      /the png image is truncated/,
    );
  });
});

describe('config keys for the providers', () => {
  test('defaults', () => {
    const c = defaultConfig();
    expect({ rpm: c.rpm, timeoutSeconds: c.timeoutSeconds, maxRetries: c.maxRetries, model: c.llm.model, image: c.image }).toEqual({
      rpm: 60,
      timeoutSeconds: 120,
      maxRetries: 4,
      model: 'auto',
      image: { model: 'flux', style: '', negativePrompt: '' },
    });
  });

  test('values the API would refuse are refused in the config, by key', () => {
    const r = configSchema.safeParse({
      image: { negativePrompt: 'x'.repeat(351), apiStyle: 'vivid', quality: 'ultra' },
      maxRetries: -1,
      timeoutSeconds: 0,
      tokens: 'no',
    });
    expect(r.success).toBe(false);
    const keys = r.error!.issues.map((i) => i.path.join('.') || i.code);
    expect(keys).toEqual(
      expect.arrayContaining([
        'image.negativePrompt',
        'image.apiStyle',
        'image.quality',
        'maxRetries',
        'timeoutSeconds',
        'unrecognized_keys',
      ]),
    );
  });
});
