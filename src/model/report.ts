// What a run reports, per slide and per deck, and the events progress displays listen to.
import type { Box } from './geometry.js';
import type { TokenUsage } from './requests.js';
import { isNoRoom } from './skip-reasons.js';
import type { SlideText } from './slide-text.js';

export type SlideStatus = 'illustrated' | 'skipped' | 'failed';

/** What the planner keeps a picture clear of, by kind, as the report draws it (see report/planner-view.ts). */
export type ObstacleKind = 'text' | 'frame' | 'shape' | 'picture' | 'layout' | 'background';
export type PlannerObstacle = Box & { kind: ObstacleKind };

export interface SlideReport {
  number: number;
  status: SlideStatus;
  /** Why a slide was skipped or failed. */
  reason?: string;
  title: string;
  prompt?: string;
  /** Where the picture went, in EMU, and how. */
  box?: Box;
  placement?: 'free' | 'placeholder' | 'background' | 'make-room';
  /** Placement "make-room": the box the slide's body text was narrowed to, and its autofit (fractions). */
  reflow?: { box: Box; fontScale: number; lnSpcReduction: number };
  /** Milliseconds from the slide's first call to its fitted picture. */
  ms?: number;
  /** Bytes of the picture part added. */
  bytes?: number;
  cached?: { prompt: boolean; image: boolean };
  /** Set when above 1: the pictures its image call makes (--variants), and the one the deck gets. */
  variants?: number;
  variant?: number;
  /** The slide's words, trimmed for display (the HTML report). */
  text?: SlideText;
  /** The fitted picture as a small JPEG `data:` URI; only in a report's run (see report/thumbnails.ts). */
  thumbnail?: string;
  /** The planner's obstacles on this slide (EMU); only in a report's run (see report/planner-view.ts). */
  obstacles?: PlannerObstacle[];
}

export interface Usage extends TokenUsage {
  llmCalls: number;
  images: number;
}

export function emptyUsage(): Usage {
  return { promptTokens: 0, completionTokens: 0, llmCalls: 0, images: 0 };
}

export function addUsage(into: Usage, more: Partial<Usage>): void {
  into.promptTokens += more.promptTokens ?? 0;
  into.completionTokens += more.completionTokens ?? 0;
  into.llmCalls += more.llmCalls ?? 0;
  into.images += more.images ?? 0;
}

export type DeckStatus = 'ok' | 'partial' | 'failed' | 'refused' | 'unchanged';

export interface DeckReport {
  input: string;
  output: string | undefined;
  status: DeckStatus;
  error?: string;
  slides: SlideReport[];
  usage: Usage;
  warnings: string[];
  ms: number;
  /** The deck's slide size in EMU, when it was read (the report draws boxes to scale). */
  slideSize?: { cx: number; cy: number };
}

export type PipelineEvent =
  | { type: 'deck-start'; input: string; slides: number; planned: number }
  | { type: 'prompt-done'; input: string; slide: number; cached: boolean }
  | { type: 'image-done'; input: string; slide: number; cached: boolean }
  | { type: 'slide-done'; input: string; slide: SlideReport }
  /** A slide's fitted picture, before it waits for the deck's write (the report makes its thumbnail from it). */
  | { type: 'picture'; input: string; slide: number; data: Buffer; box: Box }
  | { type: 'deck-done'; report: DeckReport }
  | { type: 'warning'; input: string; message: string };

export function countSlides(report: Pick<DeckReport, 'slides'>): Record<SlideStatus, number> {
  const c = { illustrated: 0, skipped: 0, failed: 0 };
  for (const s of report.slides) c[s.status]++;
  return c;
}

/** Slides skipped because no free area (or no narrower column, make-room) was large enough for a picture (see NO_ROOM). */
export function countSkippedForRoom(report: Pick<DeckReport, 'slides'>): number {
  return report.slides.filter((s) => s.status === 'skipped' && isNoRoom(s.reason)).length;
}

/** Results served from the cache (free), per deck or batch. */
export interface CacheHits {
  prompts: number;
  images: number;
}

// Counts the slides whose prompt or image came from the cache.
export function countCacheHits(report: Pick<DeckReport, 'slides'>): CacheHits {
  const hits = { prompts: 0, images: 0 };
  for (const s of report.slides) {
    if (s.cached?.prompt) hits.prompts++;
    if (s.cached?.image) hits.images++;
  }
  return hits;
}

export interface BatchTotals {
  decks: Record<DeckStatus, number>;
  slides: Record<SlideStatus, number>;
  /** Of the skipped slides, those skipped for lack of room. */
  skippedForRoom: number;
  usage: Usage;
  cacheHits: CacheHits;
}

export interface BatchReport {
  /** One report per deck, in the order the decks were found. */
  decks: DeckReport[];
  totals: BatchTotals;
  ms: number;
}

// Sums deck reports into batch totals.
export function totalBatch(decks: DeckReport[]): BatchTotals {
  const totals: BatchTotals = {
    decks: { ok: 0, partial: 0, failed: 0, refused: 0, unchanged: 0 },
    slides: { illustrated: 0, skipped: 0, failed: 0 },
    skippedForRoom: 0,
    usage: emptyUsage(),
    cacheHits: { prompts: 0, images: 0 },
  };
  for (const deck of decks) {
    totals.decks[deck.status]++;
    const slides = countSlides(deck);
    for (const status of ['illustrated', 'skipped', 'failed'] as const) totals.slides[status] += slides[status];
    totals.skippedForRoom += countSkippedForRoom(deck);
    addUsage(totals.usage, deck.usage);
    const hits = countCacheHits(deck);
    totals.cacheHits.prompts += hits.prompts;
    totals.cacheHits.images += hits.images;
  }
  return totals;
}
