// What the HTML report shows, gathered from a run's BatchReport: paths relative to the folder the
// run started in, totals with an estimated cost, and every string the API or a deck supplied
// with credentials masked (a careless server may quote the token back in an error).
import path from 'node:path';
import { redact } from '../internal/env.js';
import { estimateCost, formatCost, type Prices } from '../model/cost.js';
import {
  countCacheHits,
  countSlides,
  type BatchReport,
  type BatchTotals,
  type DeckReport,
  type DeckStatus,
  type SlideReport,
  type SlideStatus,
  type Usage,
} from '../model/report.js';

export interface ReportInput {
  batch: BatchReport;
  /** Prices resolved for the run (config, then what the API publishes), as the summary uses them. */
  prices: Prices;
  provider: { kind: string; offline: boolean };
  /** Folder paths are shown relative to (the run's current folder). */
  cwd: string;
  /** Credential values that must never appear in the page. */
  secrets?: readonly string[];
  /** When the run ended (default: now). */
  finishedAt?: Date;
  /** A heading qualifier, e.g. "pass 3" for the scheduled job. */
  label?: string;
}

export interface DeckView {
  input: string;
  output: string | undefined;
  status: DeckStatus;
  error: string | undefined;
  warnings: string[];
  ms: number;
  slideSize: { cx: number; cy: number } | undefined;
  counts: Record<SlideStatus, number>;
  usage: Usage;
  cacheHits: { prompts: number; images: number };
  slides: SlideReport[];
}

export interface ReportModel {
  label: string | undefined;
  finishedAt: string;
  provider: { kind: string; offline: boolean };
  /** `cost`: formatCost's text; `costKnown`: false when a price that matters is unknown. */
  totals: BatchTotals & { ms: number; cost: string; costKnown: boolean };
  decks: DeckView[];
}

// Gathers the page's data from a run: relative paths, counts, estimated cost, secrets masked.
export function collectReport(input: ReportInput): ReportModel {
  const mask = (s: string) => redact(s, input.secrets ?? []);
  const rel = (p: string) => mask(path.relative(input.cwd, p) || p);
  const { totals } = input.batch;
  const cost = estimateCost(totals.usage, input.prices);
  return {
    label: input.label,
    finishedAt: (input.finishedAt ?? new Date()).toISOString(),
    provider: { kind: input.provider.kind, offline: input.provider.offline },
    totals: { ...totals, ms: input.batch.ms, cost: formatCost(cost), costKnown: cost.total !== undefined },
    decks: input.batch.decks.map((deck) => deckView(deck, rel, mask)),
  };
}

// --- internal ---

function deckView(deck: DeckReport, rel: (p: string) => string, mask: (s: string) => string): DeckView {
  return {
    input: rel(deck.input),
    output: deck.output === undefined ? undefined : rel(deck.output),
    status: deck.status,
    error: deck.error === undefined ? undefined : mask(withoutPath(deck.error, deck.input)),
    warnings: deck.warnings.map(mask),
    ms: deck.ms,
    slideSize: deck.slideSize,
    counts: countSlides(deck),
    usage: deck.usage,
    cacheHits: countCacheHits(deck),
    slides: deck.slides.map((slide) => maskSlide(slide, mask)),
  };
}

/** Deck errors start with the deck's path, which the page already shows above them. */
function withoutPath(error: string, input: string): string {
  return error.startsWith(`${input}:`) ? error.slice(input.length + 1).trimStart() : error;
}

function maskSlide(slide: SlideReport, mask: (s: string) => string): SlideReport {
  const out: SlideReport = { ...slide, title: mask(slide.title) };
  if (slide.reason !== undefined) out.reason = mask(slide.reason);
  if (slide.prompt !== undefined) out.prompt = mask(slide.prompt);
  if (slide.text) out.text = { title: mask(slide.text.title), body: mask(slide.text.body), notes: mask(slide.text.notes) };
  return out;
}
