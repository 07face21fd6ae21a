// Turns an LLM's answer into a prompt the image API accepts: no preamble, quotes or markdown,
// one paragraph, cut at a sentence or clause boundary within the character limit.

/** The image API refuses prompts longer than this (Infomaniak answers 422). */
export const MAX_PROMPT_CHARS = 400;

const PREAMBLES = [
  /^(voici|voilà)\b[^:\n]{0,80}:\s*/i,
  /^(here(?:'s| is)|sure[,!]?|certainly[,!]?|okay[,!]?)\b[^:\n]{0,80}:\s*/i,
  /^(image\s+)?prompt\s*(?:d'image)?\s*:\s*/i,
  /^(description|descripción)\s*:\s*/i,
];

// Cleans model output into a single plain paragraph.
export function cleanPrompt(raw: string): string {
  let s = raw.replace(/\r/g, '');
  // Reasoning models may wrap their thinking in tags; keep the answer only.
  s = s.replace(/<think>[\s\S]*?<\/think>/gi, '');
  s = s.replace(/```[a-z]*\n?/gi, '').replace(/```/g, '');
  // Emphasis marks, opening (`_soft`) and closing (`soft_`); a mark inside a word (snake_case) or alone (`5 * 3`) stays.
  s = s.replace(/^#{1,6}\s+/gm, '').replace(/\*\*|__|(?<!\w)[*_](?!\s)|(?<=\S)[*_](?!\w)|`/g, '');
  s = s.replace(/^\s*[-•*]\s+/gm, '').replace(/^\s*\d+[.)]\s+/gm, '');
  // Block quotes ("> …"), which some models use to set the prompt apart.
  s = s.replace(/^\s*(?:>\s?)+/gm, '');
  s = s.trim();
  for (let changed = true; changed; ) {
    changed = false;
    for (const re of PREAMBLES) {
      const next = s.replace(re, '');
      if (next !== s) {
        s = next.trim();
        changed = true;
      }
    }
  }
  s = s.replace(/\s+/g, ' ').trim();
  // Control characters (ESC, NUL …), U+FFFE/U+FFFF and unpaired surrogates: an image API has no
  // use for them, and the prompt is also the picture's alt text.
  s = s.replace(/[\u0000-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
  // Surrounding quotes of any kind.
  s = s.replace(/^["'“”«»‘’\s]+/, '').replace(/["'“”«»‘’\s]+$/, '');
  return s;
}

// Cuts text to at most `max` characters at the last sentence end, else clause break, else word break.
export function cutAtBoundary(text: string, max: number = MAX_PROMPT_CHARS): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const head = chars.slice(0, max).join('');
  const floor = Math.floor(max * 0.5);
  const sentence = lastMatch(head, /[.!?](?=\s|$)/g);
  if (sentence >= floor) return head.slice(0, sentence + 1).trim();
  const clause = lastMatch(head, /[,;:—–](?=\s)/g);
  if (clause >= floor) return head.slice(0, clause).trim();
  const space = head.lastIndexOf(' ');
  return (space >= floor ? head.slice(0, space) : head).trim().replace(/[,;:—–-]+$/, '');
}

function lastMatch(s: string, re: RegExp): number {
  let last = -1;
  for (const m of s.matchAll(re)) last = m.index;
  return last;
}

/** Cleans, then joins the deck style when it fits, then cuts: the final prompt is always ≤ max. */
export function finalisePrompt(raw: string, style: string, max: number = MAX_PROMPT_CHARS): string {
  const body = cleanPrompt(raw);
  const suffix = styleSuffix(style, max);
  return suffix ? (cutAtBoundary(body, max - Array.from(suffix).length) + suffix).trim() : cutAtBoundary(body, max);
}

/** Characters left for the prompt itself once the deck style is appended (what to ask an LLM for). */
export function promptBudget(style: string, max: number = MAX_PROMPT_CHARS): number {
  return max - Array.from(styleSuffix(style, max)).length;
}

// The style is kept whole when it takes less than half the budget: it is what makes a deck look consistent.
function styleSuffix(style: string, max: number): string {
  const suffix = style.trim() ? ` Style: ${style.trim().replace(/\.$/, '')}.` : '';
  return suffix && Array.from(suffix).length < max * 0.5 ? suffix : '';
}
