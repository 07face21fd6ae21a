// What a person says about a deck's slides, kept beside the deck (talk.pptx → talk.illustrate.json,
// see config/sidecar.ts) or in a slide's speaker notes (`illustrate: skip`). Plain data and pure
// functions: the planner resolves one SlideDirection per slide from these.

/** Where a slide's picture goes: `auto` (the planner decides), a placeholder, the background, or nowhere. */
export const DIRECTION_PLACEMENTS = ['auto', 'placeholder', 'background', 'none'] as const;
export type DirectionPlacement = (typeof DIRECTION_PLACEMENTS)[number];

/** The most pictures one image call may ask for (the images API's `n`). */
export const MAX_VARIANTS = 5;

export interface SlideDirection {
  /** Leave this slide without a picture. */
  skip?: boolean;
  /** Use this image prompt as it is: no LLM call for this slide. */
  prompt?: string;
  /** What the picture should show: given to the LLM with the slide's text. */
  subject?: string;
  /** This slide's style, instead of the deck's. */
  style?: string;
  placement?: DirectionPlacement;
  /** Which variant the deck gets, from 1. */
  variant?: number;
  /** Re-roll generation of the picture (0 or absent: the first one); a re-roll adds 1, so the cache key changes once. */
  reroll?: number;
  /** Re-prompt generation of the prompt, like `reroll` for the LLM's prompt. */
  reprompt?: number;
}

export interface DeckDirections {
  /** The deck's style prompt, given to every slide (instead of the theme-derived one). */
  style?: string;
  /** The image API's own `style` value (photographic, line_art, …) for this deck. */
  imageStyle?: string;
  /** By slide number ("3") or by `id:` and the slide's p:sldId/@id ("id:260"). */
  slides: Record<string, SlideDirection>;
}

/** The fields of a SlideDirection, in the order they are written. */
export const SLIDE_DIRECTION_FIELDS = ['skip', 'prompt', 'subject', 'style', 'placement', 'variant', 'reroll', 'reprompt'] as const;

/** The key the tool writes for a slide: `id:<sldId>` (stable when slides move), or its number when the deck has no ids. */
export function slideKeyOf(slide: { number: number; slideId: string }): string {
  return slide.slideId ? `id:${slide.slideId}` : String(slide.number);
}

/** Whether `key` is a valid slide key: a positive number, or `id:` and digits. */
export function isSlideKey(key: string): boolean {
  return /^[1-9]\d*$/.test(key) || /^id:\d+$/.test(key);
}

// The direction for one slide: its entry by number, overlaid by its entry by id (the id is what the
// tool writes, so it is the newer word), overlaid by what its speaker notes say (`notes`).
export function directionFor(
  directions: DeckDirections | undefined,
  slide: { number: number; slideId?: string | undefined },
  notes: SlideDirection = {},
): SlideDirection {
  const byNumber = directions?.slides[String(slide.number)];
  const byId = slide.slideId ? directions?.slides[`id:${slide.slideId}`] : undefined;
  return compactDirection({ ...notes, ...byNumber, ...byId });
}

// The directions with every number key that names a slide with an id rewritten as `id:<sldId>`
// (merged under an id entry already there, which wins field by field): what the tool writes.
export function keyedById(directions: DeckDirections, slides: readonly { number: number; slideId?: string | undefined }[]): DeckDirections {
  const out: DeckDirections = { ...directions, slides: {} };
  const idOf = new Map(slides.filter((s) => s.slideId).map((s) => [String(s.number), `id:${s.slideId}`]));
  for (const [key, d] of Object.entries(directions.slides)) {
    const target = idOf.get(key) ?? key;
    out.slides[target] = target === key ? { ...out.slides[target], ...d } : { ...d, ...out.slides[target] };
  }
  return out;
}

/** Drops undefined fields, so a direction compares and serialises the same however it was built. */
export function compactDirection(d: SlideDirection): SlideDirection {
  const out: Record<string, unknown> = {};
  for (const field of SLIDE_DIRECTION_FIELDS) if (d[field] !== undefined && d[field] !== null) out[field] = d[field];
  return out as SlideDirection;
}

/** A notes line `illustrate: …` (any case, leading spaces allowed). */
const NOTES_DIRECTION = /^[ \t]*illustrate[ \t]*:[ \t]*(.*?)[ \t]*$/i;

// Reads `illustrate: skip` / `illustrate: <subject>` lines out of speaker notes: the direction they
// give, and the notes without them (what the LLM may see: a direction is never sent as notes).
export function notesDirection(notes: string): { direction: SlideDirection; notes: string } {
  const direction: SlideDirection = {};
  const kept: string[] = [];
  let found = false;
  for (const line of notes.split(/\r?\n/)) {
    const m = NOTES_DIRECTION.exec(line);
    if (!m) {
      kept.push(line);
      continue;
    }
    found = true;
    const value = m[1]!;
    if (/^skip$/i.test(value)) direction.skip = true;
    else if (value) direction.subject = direction.subject ? `${direction.subject}; ${value}` : value;
  }
  return { direction, notes: found ? kept.join('\n').trim() : notes };
}

/** The most slides a selector may name (a typo such as 1-100000 is refused rather than planned). */
const MAX_SELECTED = 100_000;

// "3,5-7" → [3, 5, 6, 7]: slide numbers from 1, ranges inclusive, sorted, each once. Returns the
// problem as a string for the caller to raise with its own flag or key name.
export function parseSlideSelector(text: string): number[] | string {
  const out = new Set<number>();
  for (const part of text.split(',').map((p) => p.trim())) {
    const m = /^([1-9]\d*)(?:\s*-\s*([1-9]\d*))?$/.exec(part);
    if (!m) return `expected slide numbers from 1 and ranges such as 3,5-7, got ${JSON.stringify(text)}`;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) return `the range ${part} runs backwards`;
    if (to - from + out.size >= MAX_SELECTED) return `more than ${MAX_SELECTED} slides in ${JSON.stringify(text)}`;
    for (let n = from; n <= to; n++) out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}
