import { describe, expect, it } from 'vitest';
import { SLIDE_TEXT_TOKEN } from '../../src/config/schema.js';
import { composeMessages, MAX_SLIDE_CHARS, outputRules, slideTextForPrompt } from '../../src/prompt/compose.js';
import type { PromptRequest } from '../../src/providers/types.js';

const slide = { title: 'Quarterly\n  results', body: '  Revenue up 12 %\nMargin stable  ', notes: 'Mention the new office.' };
const request: PromptRequest = { slide, deckTitle: 'Northwind\tannual   review', style: 'watercolour', maxChars: 350, slideNumber: 3 };

describe('slideTextForPrompt', () => {
  it('labels the deck title, title, body and notes in that order, titles on one line, bodies trimmed', () => {
    expect(slideTextForPrompt(slide, 'Northwind\tannual   review')).toBe(
      [
        'Présentation : Northwind annual review',
        'Titre : Quarterly results',
        'Contenu :\nRevenue up 12 %\nMargin stable',
        'Notes de l’orateur :\nMention the new office.',
      ].join('\n'),
    );
  });

  it('leaves out the parts a slide does not have', () => {
    expect(slideTextForPrompt({ title: '', body: 'Only a body', notes: '' }, '')).toBe('Contenu :\nOnly a body');
    expect(slideTextForPrompt({ title: 'Only a title', body: '', notes: '' }, 'Deck')).toBe('Présentation : Deck\nTitre : Only a title');
  });

  it('bounds a long slide at MAX_SLIDE_CHARS code points and marks the cut', () => {
    const notes = '🌊'.repeat(3 * MAX_SLIDE_CHARS);
    const text = slideTextForPrompt({ title: 'Tides', body: '', notes }, '');
    expect(Array.from(text)).toHaveLength(MAX_SLIDE_CHARS + 1);
    expect(text.endsWith('🌊…')).toBe(true);
    expect(text.startsWith('Titre : Tides\nNotes de l’orateur :\n🌊')).toBe(true);
  });
});

describe('composeMessages', () => {
  it("puts the configured system prompt, trimmed, before the output rules with the request's character limit", () => {
    const m = composeMessages(request, '  You are an art director.\n', `Slide:\n${SLIDE_TEXT_TOKEN}`);
    expect(m.system).toBe(`You are an art director.\n\n${outputRules(350)}`);
    expect(outputRules(350)).toContain('au plus 350 caractères');
    expect(outputRules(350)).toMatch(/Aucun texte, lettre, chiffre ni logo/);
  });

  it('replaces every slide-text token in the user prompt with the slide text, and nothing else', () => {
    const text = slideTextForPrompt(slide, request.deckTitle);
    const m = composeMessages(request, 'System', `Before ${SLIDE_TEXT_TOKEN} middle ${SLIDE_TEXT_TOKEN} after $& $1`);
    expect(m.user).toBe(`Before ${text} middle ${text} after $& $1`);
  });

  it('does not let "$" sequences in the slide text act as replacement patterns', () => {
    const m = composeMessages(
      { ...request, deckTitle: '', slide: { title: 'Costs $& $1 $$', body: '', notes: '' } },
      'System',
      `<${SLIDE_TEXT_TOKEN}>`,
    );
    expect(m.user).toBe('<Titre : Costs $& $1 $$>');
  });
});
