// The run plan: what a run will do, decided before anything is paid for, as plain JSON.
// planRun makes it; the estimate, the cost question, --dry-run, the report and the real run all
// read it; a queue worker or a review page can take its JSON form (JSON.stringify / parseRunPlan).
// Change a field's meaning only with a new `version`.
import type { SlideDirection } from './directions.js';
import type { Box, Reflow } from './geometry.js';
import type { PlannerObstacle } from './report.js';
import type { PromptRequest } from './requests.js';
import type { SlideText } from './slide-text.js';

/** 2: slides carry their direction, variants and re-roll generations; decks their directions file and API style. */
export const RUN_PLAN_VERSION = 2;

export interface RunPlan {
  version: typeof RUN_PLAN_VERSION;
  /** The backend the cache keys and `paid` flags were computed for. */
  backend: { kind: string; offline: boolean };
  /** One entry per deck, in the order the decks were found. */
  decks: DeckPlan[];
  totals: PlanTotals;
}

/**
 * `planned`: read and planned. `refused` (not a deck we can edit, or the output is the input) and `failed` (cannot be read):
 * never applied. `unchanged`: its input, output and settings are as the last complete run left them; not read, nothing to do.
 */
export type DeckPlanStatus = 'planned' | 'refused' | 'failed' | 'unchanged';

export interface DeckPlan {
  input: string;
  output: string;
  status: DeckPlanStatus;
  /** Why the deck is refused or failed, a one-line message naming the file. */
  error?: string;
  /** The deck's slide size in EMU (set when the deck was read). */
  slideSize?: { cx: number; cy: number };
  /** Deck title, as context for every prompt. */
  title?: string;
  /** The deck-wide style every prompt of this deck carries (a slide's direction may give its own). */
  style?: string;
  /** The image API's `style` value the deck's pictures are asked with, when one is set. */
  imageStyle?: string;
  /** The deck's directions file (talk.illustrate.json), when it has one. */
  directionsFile?: string;
  /** What planning noticed and the run reports as warnings, e.g. a --reroll naming a slide that gets no picture. */
  warnings?: string[];
  /** Theme colours as `#rrggbb`, passed to the image provider. */
  palette?: string[];
  /** The deck is digitally signed: the illustrated copy cannot keep the signature. */
  signed?: boolean;
  /** Every slide of the deck, in order. */
  slides: SlidePlan[];
}

export type SlidePlanStatus = 'planned' | 'skipped';

export interface SlidePlan {
  /** 1-based position in the deck. */
  number: number;
  /** p:sldId/@id: stays with the slide when slides are moved (empty when the deck has none). */
  slideId: string;
  /** The slide's part in the package, e.g. ppt/slides/slide3.xml. */
  part: string;
  /** First line of the slide's title (120 characters at most). */
  title: string;
  /** The slide's words, trimmed for display. */
  text: SlideText;
  status: SlidePlanStatus;
  /** Why a slide is skipped. */
  reason?: string;
  /** Planned slides: where the picture goes, in EMU, and how. */
  box?: Box;
  placement?: 'free' | 'placeholder' | 'background' | 'make-room';
  /** Placement "make-room": the body shape narrowed into a column, and its autofit. */
  reflow?: Reflow;
  /** In front of the slide's shapes, or behind them (a background). */
  z?: 'front' | 'back';
  /** For placement "placeholder": the p:cNvPr id of the shape the picture fills. */
  placeholderId?: string;
  /**
   * What the deck's author said about this slide (directions file and `illustrate:` notes lines),
   * resolved, with this run's re-roll generations: what the directions file holds once the run made them.
   */
  direction?: SlideDirection;
  /** The run re-rolls this slide (--reroll/--reprompt): its new generations are saved to the directions file once its picture is made. */
  rerolled?: boolean;
  /** Where the prompt comes from: the LLM (cached or not), or the direction's own `prompt` (no LLM call). */
  promptSource?: 'llm' | 'direction';
  /** What the prompt LLM is asked (also set for a direction's prompt: its slide text, style and subject). */
  promptRequest?: PromptRequest;
  /** Pictures one image call makes for this slide (1 to 5), and the one the deck gets, from 1. */
  variants?: number;
  variant?: number;
  /** The image request's re-roll generation, and its API style when not the configured one (with `variants`/`variant`, what imageRequestOf sends). */
  reroll?: number;
  imageStyle?: string;
  /**
   * Cache keys (sha256 hex): the prompt's, and once its prompt is known, the chosen image's and every
   * variant's (`variants[i]` is variant i + 1; `image` is `variants[variant - 1]`).
   */
  keys?: { prompt: string; image?: string; variants?: string[] };
  /** Already in the cache, so free: a prompt, and the image for that prompt (`variants[i]`: variant i + 1). */
  paid?: { prompt: boolean; image: boolean; variants?: boolean[] };
  /** The prompt already paid for (when `paid.prompt`), or the direction's prompt. */
  prompt?: string;
  /** What this slide would still pay for, in units (prices are applied by the estimate). */
  cost?: SlideCost;
  /** What the planner keeps a picture clear of on this slide (EMU, by kind): the report and review draw it. */
  obstacles?: PlannerObstacle[];
}

export interface SlideCost {
  /** Images to generate: 0 when the chosen variant is cached, else the slide's `variants` (one call makes them all). */
  images: number;
  /** Estimated input tokens of the prompt call (0 when the prompt is cached). */
  promptTokens: number;
  /** At most this many output tokens (llm.maxTokens; 0 when cached). */
  completionTokens: number;
}

export interface PlanTotals {
  decks: number;
  /** Decks refused or failed at planning (reported by the run, never applied). */
  unreadable: number;
  /** Decks left as the last complete run wrote them (not read). */
  unchanged: number;
  /** Slides that would get a picture, and those skipped. */
  planned: number;
  skipped: number;
  prompts: { cached: number; toWrite: number };
  images: { cached: number; toGenerate: number };
  tokens: { prompt: number; completion: number };
}

// Sums the slides of every deck (a plan edited by hand can be re-totalled with this).
export function totalPlan(decks: DeckPlan[]): PlanTotals {
  const t: PlanTotals = {
    decks: decks.length,
    unreadable: 0,
    unchanged: 0,
    planned: 0,
    skipped: 0,
    prompts: { cached: 0, toWrite: 0 },
    images: { cached: 0, toGenerate: 0 },
    tokens: { prompt: 0, completion: 0 },
  };
  for (const deck of decks) {
    if (deck.status === 'unchanged') t.unchanged++;
    else if (deck.status !== 'planned') t.unreadable++;
    for (const s of deck.slides) {
      if (s.status === 'skipped') {
        t.skipped++;
        continue;
      }
      t.planned++;
      if (s.paid?.prompt) t.prompts.cached++;
      else t.prompts.toWrite++;
      if (s.paid?.image) t.images.cached++;
      else t.images.toGenerate += s.cost?.images ?? 1;
      t.tokens.prompt += s.cost?.promptTokens ?? 0;
      t.tokens.completion += s.cost?.completionTokens ?? 0;
    }
  }
  return t;
}

// A plan read back from JSON: refuses another version rather than misreading it.
export function parseRunPlan(json: string): RunPlan {
  const value = JSON.parse(json) as Partial<RunPlan> | null;
  if (!value || typeof value !== 'object' || value.version !== RUN_PLAN_VERSION || !Array.isArray(value.decks)) {
    throw new Error(`not a run plan of version ${RUN_PLAN_VERSION}`);
  }
  // Each deck names its input and lists its slides, each with its number: what every reader of a plan indexes by.
  value.decks.forEach((deck: Partial<DeckPlan> | null, i) => {
    const bad = (what: string) => new Error(`not a run plan of version ${RUN_PLAN_VERSION}: decks[${i}] ${what}`);
    if (!deck || typeof deck.input !== 'string' || !Array.isArray(deck.slides)) throw bad('has no input or no slides');
    if (deck.slides.some((s) => !Number.isInteger(s?.number) || typeof s.status !== 'string'))
      throw bad('has a slide without number or status');
  });
  return value as RunPlan;
}
