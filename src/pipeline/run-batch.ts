// Applies a run plan deck by deck with one set of providers and limiters: several decks run at once
// so their slides keep the image limiter busy, and one broken deck never stops the others.
import path from 'node:path';
import pLimit from 'p-limit';
import { messageOf } from '../errors.js';
import { removeStaleTemps } from '../internal/atomic-write.js';
import { sidecarPath, updateSlideDirection } from '../config/sidecar.js';
import { slideKeyOf } from '../model/directions.js';
import type { DeckPlan } from '../model/run-plan.js';
import type { CacheLookup } from '../cache/cached-providers.js';
import { takePresentation, type PlannedRun, type PlanningRun } from './plan-run.js';
import { draftDeck, runDeck } from './run-deck.js';
import type { RunEnv } from '../stages/run-env.js';
import { emptyUsage, totalBatch, type BatchReport, type DeckReport } from '../model/report.js';

/**
 * Decks applied at once. Slides, not decks, are the unit of API work: two or three decks are
 * enough to fill the image limiter even when decks are short, and each deck being written holds
 * its pictures, so more would only cost memory.
 */
export const DECK_CONCURRENCY = 3;

export interface BatchOptions {
  /** Called as each deck finishes (for logs and state), before its slot goes to the next deck. */
  onDeckDone?: ((report: DeckReport, deck: DeckPlan) => void | Promise<void>) | undefined;
  deckConcurrency?: number | undefined;
}

/** A whole plan, or one being made deck by deck (each deck is applied as soon as it is planned). */
export type PlanSource = PlannedRun | PlanningRun;

// Applies the plan: the only step that spends. Returns a report per deck plus totals. Throws only
// when the signal aborts, and only after every deck already started has settled, so nothing is
// left half-written.
export function applyPlan(source: PlanSource, run: RunEnv, options: BatchOptions = {}): Promise<BatchReport> {
  return eachDeck(source, run.signal, options, async (deck) => {
    // A run killed while writing this folder's outputs may have left temp files; clear them first.
    await removeStaleTemps(path.dirname(deck.output));
    const report = await runDeck(deck, takePresentation(source, deck.input), run);
    report.warnings.push(...(deck.warnings ?? []));
    await saveRerolls(deck, report);
    return report;
  });
}

// A re-rolled slide whose new picture was made keeps it: its new generations go to the deck's
// directions file, so the next plain run asks for (and finds cached) this picture, not the old one.
// A slide whose re-roll failed keeps its old generation, so nothing was paid for in vain.
async function saveRerolls(deck: DeckPlan, report: DeckReport): Promise<void> {
  const made = new Set(report.slides.filter((s) => s.status === 'illustrated').map((s) => s.number));
  for (const slide of deck.slides) {
    if (!slide.rerolled || !made.has(slide.number)) continue;
    const { reroll, reprompt } = slide.direction ?? {};
    try {
      await updateSlideDirection(deck.input, slideKeyOf(slide), { reroll, reprompt }, { number: slide.number });
    } catch (error) {
      report.warnings.push(`slide ${slide.number}: the re-roll could not be saved to ${sidecarPath(deck.input)} (${messageOf(error)})`);
    }
  }
}

// --dry-run: writes the plan's prompts (the real run then finds them cached) and asks the cache for
// their images; no image call, nothing written.
export function draftPlan(
  source: PlanSource,
  run: RunEnv & Pick<CacheLookup, 'isImageCached'>,
  options: BatchOptions = {},
): Promise<BatchReport> {
  return eachDeck(source, run.signal, options, (deck) => {
    // A draft needs only the plan: the parsed deck is let go at once.
    takePresentation(source, deck.input);
    return draftDeck(deck, run).then((report) => {
      report.warnings.push(...(deck.warnings ?? []));
      return report;
    });
  });
}

// --- internal ---

async function eachDeck(
  source: PlanSource,
  signal: AbortSignal | undefined,
  options: BatchOptions,
  work: (deck: DeckPlan) => Promise<DeckReport>,
): Promise<BatchReport> {
  const started = performance.now();
  const limit = pLimit(options.deckConcurrency ?? DECK_CONCURRENCY);
  const decks = 'plan' in source ? source.plan.decks.map((deck) => Promise.resolve(deck)) : source.jobs.map((_, i) => () => source.deck(i));
  const inputs = 'plan' in source ? source.plan.decks.map((d) => d.input) : source.jobs.map((j) => j.input);
  const settled = await Promise.allSettled(
    decks.map((next, i) =>
      limit(async () => {
        // Queued decks settle at once after an abort instead of starting.
        signal?.throwIfAborted();
        const deck = await (typeof next === 'function' ? next() : next);
        const report = await work(deck).catch((error: unknown) => {
          if (signal?.aborted) throw error;
          return crashedReport(inputs[i]!, error);
        });
        try {
          await options.onDeckDone?.(report, deck);
        } catch (error) {
          report.warnings.push(`${deck.input}: ${messageOf(error)}`);
        }
        return report;
      }),
    ),
  );
  signal?.throwIfAborted();
  const reports = settled.map((s, i) => (s.status === 'fulfilled' ? s.value : crashedReport(inputs[i]!, s.reason)));
  return { decks: reports, totals: totalBatch(reports), ms: Math.round(performance.now() - started) };
}

/** runDeck reports its own failures; this only covers a bug escaping it, so the batch goes on. */
function crashedReport(input: string, error: unknown): DeckReport {
  return {
    input,
    output: undefined,
    status: 'failed',
    error: `${input}: ${messageOf(error)}`,
    slides: [],
    usage: emptyUsage(),
    warnings: [],
    ms: 0,
  };
}
