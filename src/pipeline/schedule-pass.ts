// One pass of the scheduled job: under the output folder's lock, find the config's decks, skip
// those unchanged since the last complete pass, illustrate the rest and remember what finished.
import path from 'node:path';
import type { Config } from '../config/schema.js';
import { readSidecar } from '../config/sidecar.js';
import type { DeckDirections } from '../model/directions.js';
import { messageOf } from '../errors.js';
import { mkdirBounded } from '../internal/fs-safe.js';
import { acquireLock, type LockOwner } from '../internal/lock-file.js';
import type { CacheLookup } from '../cache/cached-providers.js';
import { planDeckJobs, type DeckJob } from './deck-jobs.js';
import { configFingerprint, deckFingerprint, openDeckState, STATE_FILE, type DeckCheck } from './deck-state.js';
import { startPlanning } from './plan-run.js';
import { applyPlan } from './run-batch.js';
import type { RunEnv } from '../stages/run-env.js';
import { emptyUsage, totalBatch, type BatchReport, type DeckReport } from '../model/report.js';

/** The lock file's name inside the output folder: one pass at a time per output folder, across processes. */
export const LOCK_FILE = '.slide-illustrate.lock';

export interface PassOptions extends RunEnv {
  config: Config;
  cwd: string;
  /** What the plan asks the cache. */
  lookup: CacheLookup;
  /** Ignore the state of earlier passes (the cache decorator handles --force for results). */
  force?: boolean | undefined;
  /** Each deck as it finishes, unchanged ones included. */
  onDeck?: ((report: DeckReport) => void) | undefined;
}

export type PassResult = { ran: true; batch: BatchReport } | { ran: false; lockFile: string; owner: LockOwner | undefined };

// Runs one pass, or reports the live owner of the lock when another pass is running.
export async function runSchedulePass(options: PassOptions): Promise<PassResult> {
  const outputDir = path.resolve(options.cwd, options.config.outputDir);
  const lockFile = path.join(outputDir, LOCK_FILE);
  await mkdirBounded(outputDir);
  const attempt = await acquireLock(lockFile);
  if (!attempt.acquired) return { ran: false, lockFile, owner: attempt.owner };
  try {
    return { ran: true, batch: await illustrateChanged(options, outputDir) };
  } finally {
    await attempt.lock.release();
  }
}

// --- internal ---

async function illustrateChanged(options: PassOptions, outputDir: string): Promise<BatchReport> {
  const started = performance.now();
  const { config, cwd } = options;
  const { jobs } = await planDeckJobs({ inputs: config.inputs, cwd, outputDir, cacheDir: config.cacheDir });
  const state = await openDeckState(path.join(outputDir, STATE_FILE));
  const configPrint = configFingerprint(config, options.backend, options.providers);
  const checks = new Map<DeckJob, DeckCheck>();
  const settled = new Map<DeckJob, DeckReport>();
  // Each deck's directions file shapes its output as the config does: an edit (a variant chosen) re-runs the deck.
  const byDeck = new Map<string, DeckDirections>();
  const prints = new Map<DeckJob, string>();
  for (const job of jobs) {
    options.signal?.throwIfAborted();
    let directions: DeckDirections | undefined;
    try {
      directions = await readSidecar(job.input);
    } catch (error) {
      // One deck's bad directions file fails that deck, not the pass.
      const report = { ...unchangedReport(job), output: undefined, status: 'failed' as const, error: messageOf(error) };
      settled.set(job, report);
      options.onDeck?.(report);
      continue;
    }
    if (directions) byDeck.set(job.input, directions);
    const fingerprint = deckFingerprint(configPrint, directions);
    prints.set(job, fingerprint);
    const check = await state.check(job, fingerprint);
    checks.set(job, check);
    if (check.unchanged && !options.force) {
      const report = unchangedReport(job);
      settled.set(job, report);
      options.onDeck?.(report);
    }
  }
  const toRun = jobs.filter((job) => !settled.has(job));
  const planned = startPlanning(toRun, config, options.lookup, { backend: options.backend, directions: { byDeck } });
  const jobOf = new Map(toRun.map((job) => [job.input, job]));
  const batch = await applyPlan(planned, options, {
    onDeckDone: async (report, deck) => {
      const job = jobOf.get(deck.input)!;
      // Not remembering a deck only costs a re-check next pass, so it is a warning, not a failure.
      await state
        .record(job, checks.get(job)!, report, prints.get(job)!)
        .catch((error: unknown) => report.warnings.push(`cannot update ${STATE_FILE}: ${messageOf(error)}`));
      options.onDeck?.(report);
    },
  });
  const ran = new Map(batch.decks.map((d) => [d.input, d]));
  const decks = jobs.map((job) => settled.get(job) ?? ran.get(job.input)!);
  return { decks, totals: totalBatch(decks), ms: Math.round(performance.now() - started) };
}

function unchangedReport(job: DeckJob): DeckReport {
  return { input: job.input, output: job.output, status: 'unchanged', slides: [], usage: emptyUsage(), warnings: [], ms: 0 };
}
