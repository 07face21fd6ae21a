import { describe, expect, it } from 'vitest';
import { hashKey, imageKey, promptKey } from '../../src/cache/cache-keys.js';
import { defaultConfig } from '../../src/config/schema.js';
import type { ImageRequest, PromptRequest } from '../../src/providers/types.js';

const { llm, image } = defaultConfig();
const prompt: PromptRequest = {
  slide: { title: 'Safety', body: 'Wear boots', notes: '' },
  deckTitle: 'Onboarding',
  style: 'flat',
  maxChars: 400,
  slideNumber: 3,
};
const picture: ImageRequest = { prompt: 'boots on a warehouse floor', aspect: 1.7, palette: ['#112233'] };

describe('cache keys', () => {
  it('the prompt key changes with everything that shapes a prompt', () => {
    const base = promptKey(prompt, 'p1', llm);
    const variants = [
      promptKey({ ...prompt, slide: { ...prompt.slide, body: 'Wear gloves' } }, 'p1', llm),
      promptKey({ ...prompt, slide: { ...prompt.slide, notes: 'say it twice' } }, 'p1', llm),
      promptKey({ ...prompt, deckTitle: 'Other deck' }, 'p1', llm),
      promptKey({ ...prompt, style: 'watercolour' }, 'p1', llm),
      promptKey({ ...prompt, maxChars: 300 }, 'p1', llm),
      promptKey(prompt, 'p2', llm),
      promptKey(prompt, 'p1', { ...llm, model: 'other-model' }),
      promptKey(prompt, 'p1', { ...llm, systemPrompt: 'You are terse.' }),
      promptKey(prompt, 'p1', { ...llm, temperature: 0.2 }),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  it('the slide number stays out of the prompt key, so a moved slide still hits', () => {
    expect(promptKey({ ...prompt, slideNumber: 9 }, 'p1', llm)).toBe(promptKey(prompt, 'p1', llm));
  });

  it('the image key changes with provider, model, prompt, pixel size and palette, not with the exact aspect', () => {
    const base = imageKey(picture, 'i1', image);
    const variants = [
      imageKey({ ...picture, prompt: 'gloves' }, 'i1', image),
      imageKey({ ...picture, aspect: 0.5 }, 'i1', image),
      imageKey({ ...picture, palette: ['#445566'] }, 'i1', image),
      imageKey(picture, 'i2', image),
      imageKey(picture, 'i1', { ...image, model: 'sdxl_lightning' }),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
    // 1.7 and 1.8 both ask the API for 1792x1024.
    expect(imageKey({ ...picture, aspect: 1.8 }, 'i1', image)).toBe(base);
  });

  it('directions: a subject and a re-prompt change the prompt key; unset, the key is as before', () => {
    const base = promptKey(prompt, 'p1', llm);
    expect(promptKey({ ...prompt, subject: undefined, reprompt: 0 }, 'p1', llm)).toBe(base);
    const told = [promptKey({ ...prompt, subject: 'a kite' }, 'p1', llm), promptKey({ ...prompt, reprompt: 1 }, 'p1', llm)];
    expect(new Set([base, ...told, promptKey({ ...prompt, reprompt: 2 }, 'p1', llm)]).size).toBe(4);
  });

  it('variants, re-rolls and the API style each have their own image key; n does not, and variant 1 of generation 0 is the plain key', () => {
    const base = imageKey(picture, 'i1', image);
    expect(imageKey({ ...picture, variant: 1, reroll: 0, variants: 3 }, 'i1', image)).toBe(base);
    const keys = [
      imageKey({ ...picture, variant: 2 }, 'i1', image),
      imageKey({ ...picture, variant: 3, variants: 3 }, 'i1', image),
      imageKey({ ...picture, reroll: 1 }, 'i1', image),
      imageKey({ ...picture, reroll: 1, variant: 2 }, 'i1', image),
      imageKey({ ...picture, apiStyle: 'line_art' }, 'i1', image),
    ];
    expect(new Set([base, ...keys]).size).toBe(keys.length + 1);
    expect(imageKey({ ...picture, variant: 2, variants: 2 }, 'i1', image)).toBe(keys[0]);
  });

  it('hashKey is sha256 hex', () => {
    expect(hashKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
