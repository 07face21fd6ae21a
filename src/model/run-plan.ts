// The run plan: what a run will do, decided before anything is paid for, as plain JSON.
// planRun makes it; the estimate, the cost question, --dry-run, the report and the real run all
// read it; a queue worker or a review page can take its JSON form (JSON.stringify / parseRunPlan).
// Change a field's meaning only with a new `version`.
import type { Box, Reflow } from './geometry.js';
import type { PlannerObstacle } from './report.js';
import type { PromptRequest } from './requests.js';
import type { SlideText } from './slide-text.js';

export const RUN_PLAN_VERSION = 1;

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
  /** The deck-wide style every prompt of this deck carries. */
  style?: string;
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
  /** What the prompt LLM is asked. */
  promptRequest?: PromptRequest;
  /** Cache keys (sha256 hex): the prompt's, and the image's once its prompt is known (cached). */
  keys?: { prompt: string; image?: string };
  /** Already in the cache, so free: a prompt, and the image for that prompt. */
  paid?: { prompt: boolean; image: boolean };
  /** The prompt already paid for (when `paid.prompt`). */
  prompt?: string;
  /** What this slide would still pay for, in units (prices are applied by the estimate). */
  cost?: SlideCost;
  /** What the planner keeps a picture clear of on this slide (EMU, by kind): the report and review draw it. */
  obstacles?: PlannerObstacle[];
}

export interface SlideCost {
  /** 0 or 1: an image to generate. */
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
      else t.images.toGenerate++;
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
  return value as RunPlan;
}
