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
}
