// Enqueues a planned run: one BullMQ flow per deck, a child job per planned slide (prompt → image
// → fit into the shared cache) under a parent deck job that writes the deck. Ids are content
// hashes: a deck already queued or done is not added again, so a re-submit adds no work.
import { readFile, stat } from 'node:fs/promises';
import type { FlowJob } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Prices } from '../model/cost.js';
import type { RunPlan } from '../model/run-plan.js';
import { queueLibraries, type QueueSettings } from './connection.js';
import {
  DECKS_QUEUE,
  deckJobId,
  keys,
  newRunId,
  settingsFingerprint,
  sha256,
  slideForJob,
  slideJobId,
  SLIDES_QUEUE,
  type DeckJobData,
  type DeckResult,
  type RunSettings,
  type SlideJobData,
} from './jobs.js';

/** What became of each deck at submit. */
export type SubmitState = 'queued' | 'requeued' | 'already-queued' | 'done' | 'refused' | 'failed';

export interface SubmittedDeck {
  input: string;
  output: string;
  jobId: string | null;
  state: SubmitState;
  /** Slide jobs added with it (0 unless queued or requeued). */
  slides: number;
  error?: string;
}

export interface SubmittedRun {
  runId: string;
  decks: SubmittedDeck[];
}

/** Run records are kept this long (status reads them). */
export const RUN_TTL_SECONDS = 30 * 24 * 3600;
const FLOWS_PER_BATCH = 50;

export const SLIDE_JOB_OPTIONS = {
  // Provider retries live in http.ts; a second attempt covers a worker lost twice (stalled jobs are retried anyway).
  attempts: 2,
  backoff: { type: 'fixed', delay: 1000 },
  // The parent still runs if a slide job fails for good: its slide is then reported failed, the deck partial.
  ignoreDependencyOnFailure: true,
  // Children's values stay in the parent (BullMQ copies them on completion).
  removeOnComplete: { age: 24 * 3600 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

export const DECK_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const;

/**
 * `prices`: what the submitting side priced the run at (config pricing, else what the API publishes);
 * kept in the run record so status can say what the workers' calls cost.
 */
export async function enqueueRun(
  plan: RunPlan,
  run: RunSettings,
  redis: Redis,
  settings: QueueSettings,
  prices?: Prices,
): Promise<SubmittedRun> {
  const { bullmq } = await queueLibraries();
  const connection = { connection: redis, prefix: settings.prefix };
  const decksQueue = new bullmq.Queue<DeckJobData, DeckResult>(DECKS_QUEUE, connection);
  const producer = new bullmq.FlowProducer(connection);
  const runId = newRunId();
  const fp = settingsFingerprint(run);
  const decks: SubmittedDeck[] = [];
  const flows: FlowJob[] = [];
  try {
    for (const deck of plan.decks) {
      const base = { input: deck.input, output: deck.output, slides: 0 };
      if (deck.status !== 'planned') {
        // An unchanged deck's output is up to date: nothing to queue.
        const state = deck.status === 'unchanged' ? 'done' : deck.status;
        decks.push({ ...base, jobId: null, state, ...(deck.error !== undefined && { error: deck.error }) });
        continue;
      }
      const deckSha256 = sha256(await readFile(deck.input));
      const jobId = deckJobId(deckSha256, deck.output, fp);
      const existing = await decksQueue.getJob(jobId);
      let state: SubmitState = 'queued';
      if (existing) {
        const now = await existing.getState();
        if (now === 'completed' && (await finishedWell(existing.returnvalue))) {
          decks.push({ ...base, jobId, state: 'done' });
          continue;
        }
        if (now !== 'completed' && now !== 'failed' && now !== 'unknown') {
          decks.push({ ...base, jobId, state: 'already-queued' });
          continue;
        }
        // Done but partial or its output gone, or failed: again (the shared cache makes what was paid free).
        await existing.remove({ removeChildren: true });
        // The job starts over, and so do its pay counters (the run that paid them keeps its record only).
        await redis.del(keys.generated(settings.prefix, jobId));
        state = 'requeued';
      }
      const planned = deck.slides.filter((s) => s.status === 'planned');
      const data: DeckJobData = { runId, input: deck.input, output: deck.output, deckSha256, planned: planned.length, settings: run };
      flows.push({
        name: 'deck',
        queueName: DECKS_QUEUE,
        data,
        opts: { jobId, ...DECK_JOB_OPTIONS },
        children: planned.map((slide) => ({
          name: 'slide',
          queueName: SLIDES_QUEUE,
          data: {
            runId,
            deckJobId: jobId,
            input: deck.input,
            palette: deck.palette ?? [],
            slide: slideForJob(slide),
            settings: run,
          } satisfies SlideJobData,
          opts: { jobId: slideJobId(jobId, slide.number), ...SLIDE_JOB_OPTIONS },
        })),
      });
      decks.push({ ...base, jobId, state, slides: planned.length });
    }
    // One MULTI per batch: a very large submit would otherwise be one huge transaction.
    for (let i = 0; i < flows.length; i += FLOWS_PER_BATCH) await producer.addBulk(flows.slice(i, i + FLOWS_PER_BATCH));
    const runKey = keys.run(settings.prefix, runId);
    await redis
      .multi()
      .hset(runKey, { created: new Date().toISOString(), decks: JSON.stringify(decks), ...(prices && { prices: JSON.stringify(prices) }) })
      .expire(runKey, RUN_TTL_SECONDS)
      .zadd(keys.runs(settings.prefix), Date.now(), runId)
      // The list of runs forgets those whose record has expired.
      .zremrangebyscore(keys.runs(settings.prefix), '-inf', Date.now() - RUN_TTL_SECONDS * 1000)
      .exec();
  } finally {
    await Promise.all([decksQueue.close(), producer.close()]);
  }
  return { runId, decks };
}

/** Written in full and still there: nothing left to do for this deck. */
async function finishedWell(result: DeckResult | undefined): Promise<boolean> {
  if (result?.status !== 'ok' || result.output === null) return false;
  return (await stat(result.output).catch(() => undefined))?.isFile() ?? false;
}
