import { describe, expect, it } from 'vitest';
import { cleanPrompt, cutAtBoundary, finalisePrompt, MAX_PROMPT_CHARS, promptBudget } from '../../src/prompt/clean-prompt.js';

const chars = (s: string) => Array.from(s).length;

describe('cleanPrompt', () => {
  it('drops control characters, U+FFFE/U+FFFF and unpaired surrogates from an LLM answer, keeping emoji', () => {
    expect(cleanPrompt('A calm \u001b[2Jharbour\u0007 at dawn\u0000,\u0085 soft\u009b light \uD800\uFFFF😀')).toBe(
      'A calm [2Jharbour at dawn, soft light 😀',
    );
    expect(finalisePrompt('Here is the prompt: "a\u0001 quiet\u007f lake"', 'watercolour')).toBe('a quiet lake Style: watercolour.');
  });

  it.each([
    ['Here is the prompt: A lighthouse at dusk', 'A lighthouse at dusk'],
    ["Here's an image prompt for your slide: A lighthouse at dusk", 'A lighthouse at dusk'],
    ['Sure! Here is a prompt: A lighthouse at dusk', 'A lighthouse at dusk'],
    ['Certainly, prompt: A lighthouse at dusk', 'A lighthouse at dusk'],
    ["Voici le prompt d'image : A lighthouse at dusk", 'A lighthouse at dusk'],
    ['Image prompt: A lighthouse at dusk', 'A lighthouse at dusk'],
    ['Description: A lighthouse at dusk', 'A lighthouse at dusk'],
  ])('strips the preamble of %j', (raw, clean) => {
    expect(cleanPrompt(raw)).toBe(clean);
  });

  it('keeps a colon that is part of the prompt itself', () => {
    expect(cleanPrompt('A poster-like scene: a lighthouse at dusk')).toBe('A poster-like scene: a lighthouse at dusk');
  });

  it('drops reasoning in <think> tags, code fences, markdown emphasis, headings, list marks and block quotes', () => {
    expect(cleanPrompt('<think>The slide is about growth.\nMaybe a plant?</think>\nA young plant in sunlight')).toBe(
      'A young plant in sunlight',
    );
    expect(cleanPrompt('```text\nA young plant in sunlight\n```')).toBe('A young plant in sunlight');
    expect(cleanPrompt('## Prompt\n**A young plant** in _soft_ sunlight, `macro`')).toBe('Prompt A young plant in soft sunlight, macro');
    expect(cleanPrompt('- A young plant\n- in soft sunlight')).toBe('A young plant in soft sunlight');
    expect(cleanPrompt('1. A young plant\n2) in soft sunlight')).toBe('A young plant in soft sunlight');
    expect(cleanPrompt('> A young plant\n> > in soft sunlight')).toBe('A young plant in soft sunlight');
  });

  it('drops single-mark emphasis on both sides of a word, and keeps snake_case words and a lone asterisk', () => {
    expect(cleanPrompt('A *young* plant in _soft_ light, *macro*.')).toBe('A young plant in soft light, macro.');
    expect(cleanPrompt('A sign reading open_late at night, 5 * 3 lanterns')).toBe('A sign reading open_late at night, 5 * 3 lanterns');
  });

  it('makes one paragraph and removes surrounding quotes of any kind', () => {
    expect(cleanPrompt('  "A young plant\r\n\n   in   soft sunlight."  ')).toBe('A young plant in soft sunlight.');
    expect(cleanPrompt('« Une jeune pousse au soleil »')).toBe('Une jeune pousse au soleil');
    expect(cleanPrompt('“A young plant”')).toBe('A young plant');
  });

  it('cleans an answer with nothing but a preamble and quotes down to nothing', () => {
    expect(cleanPrompt('Here is the prompt: ""')).toBe('');
    expect(cleanPrompt('<think>hmm</think>')).toBe('');
  });
});

describe('cutAtBoundary', () => {
  const sentence = 'A lighthouse stands on a rocky shore at dusk.';

  it('leaves text within the limit alone', () => {
    expect(cutAtBoundary(sentence, chars(sentence))).toBe(sentence);
  });

  it('cuts at the last sentence end within the limit', () => {
    const text = `${sentence} Waves break below it, and gulls circle above the lantern room in the fading light.`;
    expect(cutAtBoundary(text, 70)).toBe(sentence);
  });

  it('falls back to the last clause break, then to the last word, never past the limit', () => {
    const clauses = 'A lighthouse on a rocky shore at dusk, waves breaking below, gulls circling above the lantern';
    expect(cutAtBoundary(clauses, 70)).toBe('A lighthouse on a rocky shore at dusk, waves breaking below');
    const words = 'A lighthouse on a rocky shore at dusk with waves breaking below and gulls circling above';
    const cut = cutAtBoundary(words, 50);
    expect(chars(cut)).toBeLessThanOrEqual(50);
    expect(words.startsWith(cut)).toBe(true);
    expect(words[cut.length]).toBe(' ');
  });

  it('does not cut at a boundary in the first half: a word break later keeps more of the prompt', () => {
    const text = 'Dusk. A lighthouse on a rocky shore with waves breaking below and gulls circling above';
    const cut = cutAtBoundary(text, 60);
    expect(cut.length).toBeGreaterThan(30);
    expect(text.startsWith(cut)).toBe(true);
  });

  it('counts code points, so an emoji is one character and never split', () => {
    const text = `${'😀'.repeat(30)} ${'🌊'.repeat(30)}`;
    const cut = cutAtBoundary(text, 40);
    expect(cut).toBe('😀'.repeat(30));
  });
});

describe('finalisePrompt and promptBudget', () => {
  it('appends the deck style once, without a doubled full stop', () => {
    expect(finalisePrompt('A lighthouse at dusk', 'flat vector illustration.')).toBe(
      'A lighthouse at dusk Style: flat vector illustration.',
    );
    expect(finalisePrompt('A lighthouse at dusk', '  ')).toBe('A lighthouse at dusk');
  });

  it('cuts the prompt, not the style, so the result stays within the limit', () => {
    const long = Array.from({ length: 60 }, (_, i) => `detail ${i}`).join(', ');
    const style = 'soft watercolour, muted blues';
    const out = finalisePrompt(long, style);
    expect(chars(out)).toBeLessThanOrEqual(MAX_PROMPT_CHARS);
    expect(out.endsWith(' Style: soft watercolour, muted blues.')).toBe(true);
    expect(chars(out)).toBeGreaterThan(MAX_PROMPT_CHARS * 0.8);
  });

  it('drops a style that would take half the budget or more', () => {
    const style = 'x'.repeat(200);
    expect(finalisePrompt('A lighthouse at dusk', style)).toBe('A lighthouse at dusk');
    expect(promptBudget(style)).toBe(MAX_PROMPT_CHARS);
  });

  it('gives the LLM the characters left once the style is appended', () => {
    expect(promptBudget('')).toBe(MAX_PROMPT_CHARS);
    expect(promptBudget('watercolour')).toBe(MAX_PROMPT_CHARS - chars(' Style: watercolour.'));
    expect(promptBudget('watercolour', 100)).toBe(100 - chars(' Style: watercolour.'));
  });
});
