// Illustrates many decks with one set of providers and limiters: several decks are open at once
// so their slides keep the image limiter busy, and one broken deck never stops the others.
import path from 'node:path';
import pLimit from 'p-limit';
import type { Config } from '../config/schema.js';
import { messageOf } from '../errors.js';
import { removeStaleTemps } from '../internal/atomic-write.js';
import type { Providers } from '../providers/types.js';
import { readPresentationFile, type Presentation } from '../pptx/read-presentation.js';
import type { DeckJob } from './deck-jobs.js';
import type { Limiters } from './limiters.js';
import { runDeck, type RunDeckOptions } from './run-deck.js';
import { emptyUsage, totalBatch, type BatchReport, type DeckReport, type PipelineEvent } from './types.js';

/**
 * Decks open at once. Slides, not decks, are the unit of API work: two or three open decks are
 * enough to fill the image limiter even when decks are short, and each open deck holds its whole
 * package in memory, so more would only cost memory.
 */
export const DECK_CONCURRENCY = 3;

export interface RunBatchOptions {
  config: Config;
  /** Shared by every deck, like the limiters: ten decks keep the API as busy as one big deck. */
  providers: Providers;
  limiters: Limiters;
  /** Make report thumbnails of each picture (--report). */
  thumbnails?: boolean | undefined;
  signal?: AbortSignal | undefined;
  onEvent?: ((event: PipelineEvent) => void) | undefined;
  /** Called as each deck finishes (for logs and state), before its slot goes to the next deck. */
  onDeckDone?: ((report: DeckReport, job: DeckJob) => void | Promise<void>) | undefined;
  deckConcurrency?: number | undefined;
  /** --dry-run: prompts only, for every deck. */
  dryRun?: RunDeckOptions['dryRun'];
  /** Decks read ahead (openDecksAhead); each is taken out as its run starts, so none is held past it. */
  opened?: Map<string, Promise<Presentation>> | undefined;
}

// Starts reading decks before the run can start (while the backend checks its account, say).
// A deck that cannot be read fails when its run takes it, as it would have anyway.
export function openDecksAhead(inputs: string[]): Map<string, Promise<Presentation>> {
  return new Map(
    inputs.map((input) => {
      const reading = readPresentationFile(input);
      reading.catch(() => undefined);
      return [input, reading];
    }),
  );
}

// Runs every job; returns a report per deck plus totals. Throws only when the signal aborts,
// and only after every deck already started has settled, so nothing is left half-written.
export async function runBatch(jobs: DeckJob[], options: RunBatchOptions): Promise<BatchReport> {
  const started = performance.now();
  const limit = pLimit(options.deckConcurrency ?? DECK_CONCURRENCY);
  const settled = await Promise.allSettled(
    jobs.map((job) =>
      limit(async () => {
        // Queued decks settle at once after an abort instead of starting.
        options.signal?.throwIfAborted();
        const report = await runOneDeck(job, options);
        try {
          await options.onDeckDone?.(report, job);
        } catch (error) {
          report.warnings.push(`${job.input}: ${messageOf(error)}`);
        }
        return report;
      }),
    ),
  );
  options.signal?.throwIfAborted();
  const decks = settled.map((s, i) => (s.status === 'fulfilled' ? s.value : crashedReport(jobs[i]!, s.reason)));
  return { decks, totals: totalBatch(decks), ms: Math.round(performance.now() - started) };
}

// --- internal ---

async function runOneDeck(job: DeckJob, options: RunBatchOptions): Promise<DeckReport> {
  // A run killed while writing this folder's outputs may have left temp files; clear them first.
  await removeStaleTemps(path.dirname(job.output));
  try {
    const presentation = options.opened?.get(job.input);
    options.opened?.delete(job.input);
    return await runDeck(job.input, { ...options, output: job.output, presentation });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return crashedReport(job, error);
  }
}

/** runDeck reports its own failures; this only covers a bug escaping it, so the batch goes on. */
function crashedReport(job: DeckJob, error: unknown): DeckReport {
  return { input: job.input, output: undefined, status: 'failed', error: `${job.input}: ${messageOf(error)}`, slides: [], usage: emptyUsage(), warnings: [], ms: 0 };
}
