// What the two providers are asked, and what a prompt call uses; the run plan carries them.
import type { SlideText } from './slide-text.js';

export interface PromptRequest {
  slide: SlideText;
  /** Title of the deck (first slide's title or docProps title), as context. */
  deckTitle: string;
  /** Deck-wide visual style appended to every prompt. */
  style: string;
  /** Hard cap on the prompt length in characters (the image API's limit). */
  maxChars: number;
  /** 1-based slide number, for seeding and logs. */
  slideNumber: number;
  /** What the picture should show, as the deck's author said it (a direction): given to the LLM. */
  subject?: string | undefined;
  /** Re-prompt generation (a direction): above 0, a new prompt is written once for each new value. */
  reprompt?: number | undefined;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface ImageRequest {
  prompt: string;
  /** Width / height of the box the picture will fill. */
  aspect: number;
  /** Deck theme colours as `#rrggbb`, for providers that can use them. */
  palette: string[];
  /** Pictures one call asks for (the images API's `n`, 1 to 5; default 1); each is cached as its own variant. */
  variants?: number | undefined;
  /** The variant this request stands for, from 1 (default 1): its cache key, and the picture returned. */
  variant?: number | undefined;
  /** Re-roll generation: above 0, a new picture is made once for each new value. */
  reroll?: number | undefined;
  /** The image API's `style` for this deck, instead of the configured one. */
  apiStyle?: string | undefined;
}
