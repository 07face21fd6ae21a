// The summaries printed at the end of a run: human text for one deck or a batch, and the
// machine-readable --json shape (documented in README, "JSON summary").
import path from 'node:path';
import { estimateCost, formatCost, type CostEstimate, type Prices } from '../model/cost.js';
import { printable } from '../internal/printable.js';
import {
  countCacheHits,
  countSkippedForRoom,
  countSlides,
  type BatchReport,
  type CacheHits,
  type DeckReport,
  type DeckStatus,
  type SlideStatus,
  type Usage,
} from '../model/report.js';

// The multi-line summary of a single-deck run: counts, reasons per slide, warnings, API use and cost, output.
export function formatDeckSummary(report: DeckReport, cwd = process.cwd(), prices?: Prices): string {
  const rel = relativeTo(cwd);
  if (report.status === 'refused' || (report.status === 'failed' && !report.slides.length)) {
    return `✗ ${report.error ? printable(report.error) : `${rel(report.input)}: failed`}`;
  }
  if (report.status === 'unchanged') return formatUnchanged(report, cwd);
  const c = countSlides(report);
  const lines = [
    `${rel(report.input)}: ${report.slides.length} slides read, ${c.illustrated} illustrated, ${c.skipped} skipped${forRoom(countSkippedForRoom(report))}, ${c.failed} failed (${seconds(report.ms)})`,
  ];
  const reasons = new Map<string, number[]>();
  for (const s of report.slides) {
    if (s.status === 'illustrated') continue;
    const why = `${s.status}: ${printable(s.reason ?? 'unknown')}`;
    reasons.set(why, [...(reasons.get(why) ?? []), s.number]);
  }
  for (const [why, numbers] of reasons) lines.push(`  ${why} — slide${numbers.length > 1 ? 's' : ''} ${numbers.join(', ')}`);
  for (const w of report.warnings) lines.push(`  warning: ${printable(w)}`);
  const api = formatApi(report.usage, countCacheHits(report), prices);
  if (api) lines.push(`  ${api}`);
  lines.push(report.output ? `  → ${rel(report.output)}` : `  nothing written${report.error ? `: ${printable(report.error)}` : ''}`);
  return lines.join('\n');
}

// One line per deck (plus its warnings; `shown` when progress already printed some), then one line of totals.
export function formatBatchSummary(
  batch: BatchReport,
  cwd = process.cwd(),
  options: { prices?: Prices; shown?: DeckReport[] } = {},
): string {
  return [...(options.shown ?? batch.decks).map((deck) => formatDeckLine(deck, cwd)), formatBatchTotals(batch, options.prices)].join('\n');
}

// "3 decks: 2 ok, 1 refused — 12 slides illustrated, …; API: …, est. cost …; cache: … (4.2 s)".
export function formatBatchTotals(batch: BatchReport, prices?: Prices): string {
  const t = batch.totals;
  const statuses = (Object.entries(t.decks) as [DeckStatus, number][]).filter(([, n]) => n).map(([s, n]) => `${n} ${s}`);
  const api = formatApi(t.usage, t.cacheHits, prices);
  return (
    `${plural(batch.decks.length, 'deck')}: ${statuses.join(', ') || 'none found'} — ${t.slides.illustrated} slides illustrated, ${t.slides.skipped} skipped${forRoom(t.skippedForRoom)}, ${t.slides.failed} failed` +
    `${api ? `; ${api}` : ''} (${seconds(batch.ms)})`
  );
}

/** An unchanged deck in a single deck's summary and a dry run's: its line, and how to redo it. */
export function formatUnchanged(deck: DeckReport, cwd = process.cwd()): string {
  return `${formatDeckLine(deck, cwd)} (--force redoes it)`;
}

// One deck as one line (warnings indented below), as batch summaries and the schedule log show it.
export function formatDeckLine(deck: DeckReport, cwd = process.cwd()): string {
  const rel = relativeTo(cwd);
  const c = countSlides(deck);
  const mark = { ok: '✓', partial: '!', failed: '✗', refused: '✗', unchanged: '·' }[deck.status];
  let line: string;
  if (deck.status === 'unchanged')
    line = `${mark} ${rel(deck.input)}: unchanged since the last run${deck.output ? `, ${rel(deck.output)} is up to date` : ''}`;
  else if (!deck.output)
    line = `${mark} ${deck.error ? printable(deck.error.replace(deck.input, path.relative(cwd, deck.input) || deck.input)) : `${rel(deck.input)}: failed`}`;
  else
    line = `${mark} ${rel(deck.input)} → ${rel(deck.output)}: ${c.illustrated} illustrated, ${c.skipped} skipped${forRoom(countSkippedForRoom(deck))}, ${c.failed} failed (${seconds(deck.ms)})`;
  return [line, ...deck.warnings.map((w) => `    warning: ${printable(w)}`)].join('\n');
}

export interface DeckJson {
  input: string;
  output: string | null;
  status: DeckStatus;
  slides: Record<SlideStatus, number>;
  /** Of the skipped slides, those with no free area large enough for a picture. */
  skippedForRoom: number;
  /** Paid calls; always 0 on the offline provider. */
  apiCalls: { prompts: number; images: number };
  cacheHits: CacheHits;
  tokens: { prompt: number; completion: number };
  error: string | null;
  warnings: string[];
  ms: number;
}

// The --json form of one deck (absolute paths, null for "none").
export function deckJson(deck: DeckReport): DeckJson {
  return {
    input: deck.input,
    output: deck.output ?? null,
    status: deck.status,
    slides: countSlides(deck),
    skippedForRoom: countSkippedForRoom(deck),
    apiCalls: { prompts: deck.usage.llmCalls, images: deck.usage.images },
    cacheHits: countCacheHits(deck),
    tokens: { prompt: deck.usage.promptTokens, completion: deck.usage.completionTokens },
    error: deck.error ?? null,
    warnings: deck.warnings,
    ms: deck.ms,
  };
}

// The --json document of a whole run.
export function batchJson(batch: BatchReport, provider: { kind: string; offline: boolean }, prices?: Prices): object {
  return { provider: provider.kind, offline: provider.offline, decks: batch.decks.map(deckJson), totals: totalsJson(batch, prices) };
}

// The totals of a run or pass, in the --json shape; with prices, what they cost.
export function totalsJson(batch: BatchReport, prices?: Prices): object {
  const t = batch.totals;
  return {
    decks: t.decks,
    slides: t.slides,
    skippedForRoom: t.skippedForRoom,
    apiCalls: { prompts: t.usage.llmCalls, images: t.usage.images },
    cacheHits: t.cacheHits,
    tokens: { prompt: t.usage.promptTokens, completion: t.usage.completionTokens },
    ...(prices ? { cost: costJson(estimateCost(t.usage, prices)) } : {}),
    ms: batch.ms,
  };
}

/** A cost in --json: amounts in `currency`, null where a price is unknown (never a guessed 0). */
export function costJson(cost: CostEstimate): { currency: string; total: number | null; images: number | null; tokens: number | null } {
  return { currency: cost.currency, total: cost.total ?? null, images: cost.images ?? null, tokens: cost.tokens ?? null };
}

export const OFFLINE_NOTICE =
  'Offline mode: these are locally rendered placeholder illustrations, not AI images.\n' +
  'For AI images set INFOMANIAK_API_TOKEN (and INFOMANIAK_PRODUCT_ID if your account has several AI products) and run again.';

// --- internal ---

function formatApi(u: Usage, hits: CacheHits, prices?: Prices): string {
  const parts: string[] = [];
  const cost = prices ? `, est. cost ${formatCost(estimateCost(u, prices))}` : '';
  if (u.llmCalls || u.images)
    parts.push(`API: ${u.llmCalls} prompt calls (${u.promptTokens} + ${u.completionTokens} tokens), ${u.images} images${cost}`);
  if (hits.prompts || hits.images) parts.push(`cache: ${hits.prompts} prompts, ${hits.images} images reused`);
  return parts.join('; ');
}

function relativeTo(cwd: string) {
  return (p: string) => printable(path.relative(cwd, p) || p);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function forRoom(n: number): string {
  return n ? ` (${n} for lack of room)` : '';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
