// A slide's words, title, body and notes kept apart; and their excerpt as the plan and report show
// them: blank lines and runs of spaces dropped, each part cut to a length a contact-sheet card can hold.

/** Slide text kept apart so a prompt can weigh title, body and notes differently. */
export interface SlideText {
  title: string;
  body: string;
  notes: string;
}

/** Characters kept per part: enough to recognise a slide, not a copy of the deck. */
export const EXCERPT_CHARS = { title: 160, body: 600, notes: 300 } as const;

// The slide's title, body and notes, tidied and cut (with "…") for display.
export function excerptSlideText(text: SlideText): SlideText {
  return {
    title: excerpt(text.title, EXCERPT_CHARS.title),
    body: excerpt(text.body, EXCERPT_CHARS.body),
    notes: excerpt(text.notes, EXCERPT_CHARS.notes),
  };
}

// --- internal ---

function excerpt(text: string, max: number): string {
  const tidy = text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
  return tidy.length <= max ? tidy : `${tidy.slice(0, max - 1).trimEnd()}…`;
}
