// Builds what the prompt-writing LLM sees: the configured system prompt plus output rules,
// and the user message carrying the slide's title, body and notes with the deck title as context.
import { SLIDE_TEXT_TOKEN } from '../config/schema.js';
import type { PromptRequest } from '../model/requests.js';
import type { SlideText } from '../model/slide-text.js';

/** Most slide characters we send; long notes are trimmed so one slide cannot blow the token budget. */
export const MAX_SLIDE_CHARS = 2_000;

/** Output rules added after the configured system prompt. */
export function outputRules(maxChars: number): string {
  return [
    'Règles de sortie :',
    '- Réponds uniquement avec le prompt, sans introduction ni commentaire.',
    '- Écris le prompt en anglais (le générateur d’images comprend mieux l’anglais).',
    `- Un seul paragraphe, au plus ${maxChars} caractères.`,
    '- Aucun texte, lettre, chiffre ni logo dans l’image.',
  ].join('\n');
}

/** The slide's text as the LLM reads it: labelled parts, the author's subject first, notes last, bounded. */
export function slideTextForPrompt(slide: SlideText, deckTitle: string, subject?: string): string {
  const parts: string[] = [];
  if (subject?.trim()) parts.push(`Sujet de l’image (choisi par l’auteur, à respecter) : ${oneLine(subject)}`);
  if (deckTitle) parts.push(`Présentation : ${oneLine(deckTitle)}`);
  if (slide.title) parts.push(`Titre : ${oneLine(slide.title)}`);
  if (slide.body) parts.push(`Contenu :\n${slide.body.trim()}`);
  if (slide.notes) parts.push(`Notes de l’orateur :\n${slide.notes.trim()}`);
  const text = parts.join('\n');
  return Array.from(text).length > MAX_SLIDE_CHARS ? `${Array.from(text).slice(0, MAX_SLIDE_CHARS).join('')}…` : text;
}

export interface ChatMessages {
  system: string;
  user: string;
}

export function composeMessages(req: PromptRequest, systemPrompt: string, userPrompt: string): ChatMessages {
  return {
    system: `${systemPrompt.trim()}\n\n${outputRules(req.maxChars)}`,
    user: userPrompt.split(SLIDE_TEXT_TOKEN).join(slideTextForPrompt(req.slide, req.deckTitle, req.subject)),
  };
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
