import { describe, expect, it } from 'vitest';
import { cleanPrompt, finalisePrompt } from '../../src/prompt/clean-prompt.js';

describe('cleanPrompt', () => {
  it('drops control characters, U+FFFE/U+FFFF and unpaired surrogates from an LLM answer, keeping emoji', () => {
    expect(cleanPrompt('A calm \u001b[2Jharbour\u0007 at dawn\u0000,\u0085 soft\u009b light \uD800\uFFFF😀')).toBe('A calm [2Jharbour at dawn, soft light 😀');
    expect(finalisePrompt('Here is the prompt: "a\u0001 quiet\u007f lake"', 'watercolour')).toBe('a quiet lake Style: watercolour.');
  });
});
