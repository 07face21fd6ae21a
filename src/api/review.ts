// The library's review API: one deck, its plan re-made after every decision, each decision saved to
// the deck's directions file (config/sidecar.ts) at once, pictures paid for one slide at a time,
// and the deck written from the plan. The review page (src/review) is a thin server over this.
import type { DeckReport, Usage } from '../model/report.js';
import type { Prices } from '../model/cost.js';
import type { DirectionPlacement, SlideDirection } from '../model/directions.js';
import type { SlidePlan } from '../model/run-plan.js';
import type { BackendIdentity } from '../providers/types.js';

export { renderSlideDrawing, type DrawnPicture } from '../report/render-slide.js';
export { REPORT_CSS } from '../report/report-css.js';
export { esc } from '../report/html.js';

/** What a person decides about one slide. `prompt`, `reroll` and `generate` pay; the others are free. */
export type ReviewAction =
  | { kind: 'accept' }
  | { kind: 'variant'; variant: number }
  | { kind: 'prompt'; prompt: string }
  | { kind: 'reroll' }
  | { kind: 'generate' }
  | { kind: 'skip'; skip: boolean }
  | { kind: 'placement'; placement: DirectionPlacement };

/** Units of a paid action, priced by the page with the run's prices. */
export interface ActionCost {
  images: number;
  promptTokens: number;
  completionTokens: number;
}

export interface ReviewSlide {
  /** The slide as planned now, directions applied. */
  plan: SlidePlan;
  /** Its key in the directions file (`id:<sldId>`, or its number). */
  key: string;
  /** What the directions file and the notes say about it. */
  direction: SlideDirection;
  /** How many variants a generation makes, which one the deck gets (from 1), and which are in the cache. */
  variants: { count: number; chosen: number; cached: boolean[] };
  /** What each paid action would cost for this slide now. */
  costs: { generate: ActionCost; reroll: ActionCost; prompt: ActionCost };
}

export interface ReviewState {
  input: string;
  output: string;
  /** The directions file decisions are saved to. */
  sidecar: string;
  title?: string | undefined;
  slideSize?: { cx: number; cy: number } | undefined;
  backend: BackendIdentity;
  prices: Prices;
  slides: ReviewSlide[];
  /** Paid for since the review started. */
  spent: Usage;
  /** --max-images for the whole review, and how many of them are used. */
  budget?: { max: number; used: number } | undefined;
  /** What writing the deck now would still pay for (0 when every chosen picture is cached). */
  writeCost: ActionCost;
  /** The last write's outcome. */
  written?: { output: string; status: DeckReport['status']; pictures: number } | undefined;
  /** LibreOffice renderings: available (soffice found), and made for the written deck. */
  renderings: { available: boolean; slides: number[] };
}

export interface ReviewSession {
  state(): Promise<ReviewState>;
  /** A variant's picture cropped to its box, as a small JPEG (undefined when not cached). */
  picture(slide: number, variant: number): Promise<Buffer | undefined>;
  /** A slide of the written deck as LibreOffice draws it, as PNG (undefined when none was made). */
  rendering(slide: number): Promise<Buffer | undefined>;
  /** Saves a decision (and pays for a picture when the action does); the message says what happened. */
  act(slide: number, action: ReviewAction): Promise<{ message: string }>;
  /** Writes the output deck from the plan. */
  write(): Promise<{ message: string; report?: DeckReport }>;
  /** Renders the written deck with LibreOffice (when installed). */
  render(): Promise<{ message: string }>;
  close(): Promise<void>;
}
