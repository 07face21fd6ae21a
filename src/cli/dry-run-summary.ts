// What --dry-run prints: each slide's prompt and where its picture would go, then what the real
// run would pay for (its prompts are now cached, so only images not cached yet).
import path from 'node:path';
import { estimateCost, formatCost, type Prices } from '../model/cost.js';
import type { DeckJob } from '../api/run.js';
import { countSkippedForRoom, type BatchReport, type DeckReport, type SlideReport } from '../model/report.js';
import { printable } from '../internal/printable.js';
import { costJson, formatUnchanged } from './summary.js';

/** EMU per centimetre. */
const EMU_PER_CM = 360_000;

export interface DryRunTotals {
  planned: number;
  skipped: number;
  /** Of the skipped slides, those with no room for a picture (as the real run's summary counts them). */
  skippedForRoom: number;
  failed: number;
  /** Images a real run would generate (cut to --max-images), and those it would take from the cache. */
  images: { toGenerate: number; cached: number; overCap: number };
}

/** What the real run would cost: its prompts are cached now, so only the images left to generate. */
const runCost = (t: DryRunTotals, prices: Prices) =>
  estimateCost({ images: t.images.toGenerate, promptTokens: 0, completionTokens: 0 }, prices);

const outputOf = (jobs: DeckJob[], deck: DeckReport) => jobs.find((j) => j.input === deck.input)?.output;

// Counts the planned slides and the images a real run would still pay for.
export function dryRunTotals(batch: BatchReport, maxImages: number | undefined): DryRunTotals {
  const slides = batch.decks.flatMap((d) => d.slides);
  const planned = slides.filter((s) => s.status === 'illustrated');
  const cached = planned.filter((s) => s.cached?.image).length;
  // Images, not slides: a slide with --variants 3 pays for three.
  const uncached = planned.filter((s) => !s.cached?.image).reduce((n, s) => n + (s.variants ?? 1), 0);
  const toGenerate = maxImages === undefined ? uncached : Math.min(uncached, maxImages);
  return {
    planned: planned.length,
    skipped: slides.filter((s) => s.status === 'skipped').length,
    skippedForRoom: countSkippedForRoom({ slides }),
    failed: slides.filter((s) => s.status === 'failed').length,
    images: { toGenerate, cached, overCap: uncached - toGenerate },
  };
}

// Every deck with its slides (prompt and place, or why not), then one line of totals.
export function formatDryRun(
  batch: BatchReport,
  jobs: DeckJob[],
  options: { cwd: string; prices: Prices; maxImages: number | undefined; offline: boolean },
): string {
  const rel = (p: string) => printable(path.relative(options.cwd, p) || p);
  const lines: string[] = [];
  for (const deck of batch.decks) {
    if (deck.status === 'unchanged') {
      lines.push(formatUnchanged(deck, options.cwd));
      continue;
    }
    if (!deck.slides.length && deck.error) {
      lines.push(`✗ ${printable(deck.error.replace(deck.input, path.relative(options.cwd, deck.input) || deck.input))}`);
      continue;
    }
    const output = outputOf(jobs, deck);
    lines.push(`${rel(deck.input)}${output ? ` → ${rel(output)}` : ''} (not written: dry run)`);
    for (const s of deck.slides) {
      const title = s.title ? ` "${printable(s.title)}"` : '';
      if (s.status !== 'illustrated') lines.push(`  slide ${s.number}${title}: ${s.status}: ${printable(s.reason ?? 'unknown')}`);
      else
        lines.push(
          `  slide ${s.number}${title}: ${place(s)}${s.variants ? ` (variant ${s.variant} of ${s.variants})` : ''}${s.cached?.image ? ' (image cached)' : ''}`,
          `    ${printable(s.prompt ?? '')}`,
        );
    }
    for (const w of deck.warnings) lines.push(`  warning: ${printable(w)}`);
  }
  const t = dryRunTotals(batch, options.maxImages);
  const u = batch.totals.usage;
  const spent = u.llmCalls
    ? `; this dry run: ${u.llmCalls} prompt calls (${u.promptTokens} + ${u.completionTokens} tokens), est. cost ${formatCost(estimateCost(u, options.prices))}`
    : '';
  const over = t.images.overCap ? `, ${t.images.overCap} over --max-images` : '';
  const run = options.offline
    ? 'the real run is offline and costs nothing'
    : `the real run would pay for ${t.images.toGenerate} images (${t.images.cached} cached${over}), est. cost ${formatCost(runCost(t, options.prices))}`;
  const forRoom = t.skippedForRoom ? ` (${t.skippedForRoom} for lack of room)` : '';
  const unchanged = batch.totals.decks.unchanged ? ` (${batch.totals.decks.unchanged} unchanged)` : '';
  lines.push(
    `Dry run: ${t.planned} pictures planned, ${t.skipped} skipped${forRoom}, ${t.failed} failed in ${batch.decks.length} deck${batch.decks.length === 1 ? '' : 's'}${unchanged}${spent}; ${run}`,
  );
  return lines.join('\n');
}

// The --json document of a dry run: the plan of every slide, and what the real run would pay for.
export function dryRunJson(
  batch: BatchReport,
  jobs: DeckJob[],
  options: { provider: { kind: string; offline: boolean }; prices: Prices; maxImages: number | undefined },
): object {
  const t = dryRunTotals(batch, options.maxImages);
  const u = batch.totals.usage;
  return {
    dryRun: true,
    provider: options.provider.kind,
    offline: options.provider.offline,
    decks: batch.decks.map((deck) => deckPlanJson(deck, outputOf(jobs, deck))),
    totals: {
      slides: { planned: t.planned, skipped: t.skipped, failed: t.failed },
      skippedForRoom: t.skippedForRoom,
      apiCalls: { prompts: u.llmCalls, images: 0 },
      cacheHits: batch.totals.cacheHits,
      tokens: { prompt: u.promptTokens, completion: u.completionTokens },
      cost: costJson(estimateCost(u, options.prices)),
      run: { images: t.images, cost: costJson(runCost(t, options.prices)) },
      ms: batch.ms,
    },
  };
}

function deckPlanJson(deck: DeckReport, output: string | undefined): object {
  return {
    input: deck.input,
    output: output ?? null,
    status: deck.status,
    skippedForRoom: countSkippedForRoom(deck),
    error: deck.error ?? null,
    slides: deck.slides.map((s) => ({
      number: s.number,
      title: s.title,
      status: s.status === 'illustrated' ? 'planned' : s.status,
      reason: s.reason ?? null,
      prompt: s.prompt ?? null,
      placement: s.placement ?? null,
      box: s.box ?? null,
      reflow: s.reflow ?? null,
      imageCached: s.cached?.image ?? false,
    })),
    warnings: deck.warnings,
  };
}

/** "picture placeholder, 14.0 × 9.5 cm at 17.8, 4.0 cm from the top left". */
function place(s: SlideReport): string {
  const b = s.box;
  if (!b) return s.placement ?? 'planned';
  const cm = (emu: number) => (emu / EMU_PER_CM).toFixed(1);
  const kind = { free: 'free area', placeholder: 'picture placeholder', background: 'background', 'make-room': 'beside the narrowed text' }[
    s.placement ?? 'free'
  ];
  const r = s.reflow;
  const narrowed = r
    ? `; the body text narrowed to ${cm(r.box.cx)} cm wide at ${Math.round(r.fontScale * 100)} % font size${r.lnSpcReduction ? `, line spacing −${Math.round(r.lnSpcReduction * 100)} %` : ''}`
    : '';
  return `${kind}, ${cm(b.cx)} × ${cm(b.cy)} cm at ${cm(b.x)}, ${cm(b.y)} cm from the top left${narrowed}`;
}
