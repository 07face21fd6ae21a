// A run's progress, read from Redis: per deck, its slide jobs waiting, active, done and failed,
// the deck job's state and result, and what its slide jobs generated (paid for, on a paid backend).
import type { Redis } from 'ioredis';
import { estimateCost, type CostEstimate, type Prices } from '../model/cost.js';
import { queueLibraries, type QueueSettings } from './connection.js';
import {
  DECKS_QUEUE,
  GENERATED_FIELDS,
  keys,
  noneGenerated,
  SLIDES_QUEUE,
  type DeckJobData,
  type DeckResult,
  type Generated,
  type SlideResult,
} from './jobs.js';
import type { SubmittedDeck } from './submit.js';

export type { Generated } from './jobs.js';

export interface DeckStatus {
  input: string;
  output: string;
  jobId: string | null;
  /** The deck job's state (BullMQ's: waiting-children, waiting, active, completed, failed …), or the plan's refusal. */
  state: string;
  slides: { waiting: number; active: number; done: number; failed: number };
  generated: Generated;
  result?: DeckResult;
  error?: string;
}

export interface RunStatus {
  runId: string;
  created: string;
  decks: DeckStatus[];
  /** Every deck job is completed or failed (or was never queued). */
  finished: boolean;
  totals: {
    decks: number;
    slides: DeckStatus['slides'];
    generated: Generated;
    /** What that cost at the prices the run was submitted with; absent for the offline provider. */
    cost?: CostEstimate;
  };
}

/** The latest runs' ids, newest first. */
export async function recentRuns(redis: Redis, settings: QueueSettings, count = 10): Promise<string[]> {
  return redis.zrevrange(keys.runs(settings.prefix), 0, count - 1);
}

/** Undefined when no such run is recorded (unknown id, or older than its 30 days). */
export async function runStatus(redis: Redis, settings: QueueSettings, runId: string): Promise<RunStatus | undefined> {
  const record = await redis.hgetall(keys.run(settings.prefix, runId));
  if (!record['decks']) return undefined;
  const submitted = JSON.parse(record['decks']) as SubmittedDeck[];
  const { bullmq } = await queueLibraries();
  const connection = { connection: redis, prefix: settings.prefix };
  const decksQueue = new bullmq.Queue<DeckJobData, DeckResult>(DECKS_QUEUE, connection);
  const slidesQueue = new bullmq.Queue(SLIDES_QUEUE, connection);
  try {
    const active = new Set((await slidesQueue.getActive()).map((j) => j.id));
    const decks: DeckStatus[] = [];
    for (const s of submitted) decks.push(await deckStatus(s, decksQueue, active, redis, settings.prefix));
    const slides = { waiting: 0, active: 0, done: 0, failed: 0 };
    const generated = noneGenerated();
    for (const d of decks) {
      for (const k of ['waiting', 'active', 'done', 'failed'] as const) slides[k] += d.slides[k];
      for (const k of GENERATED_FIELDS) generated[k] += d.generated[k];
    }
    const finished = decks.every((d) => d.jobId === null || d.state === 'completed' || d.state === 'failed');
    const prices = parsePrices(record['prices']);
    const cost = prices
      ? estimateCost(
          { images: generated.pictures, promptTokens: generated.promptTokens, completionTokens: generated.completionTokens },
          prices,
        )
      : undefined;
    return {
      runId,
      created: record['created'] ?? '',
      decks,
      finished,
      totals: { decks: decks.length, slides, generated, ...(cost && { cost }) },
    };
  } finally {
    await Promise.all([decksQueue.close(), slidesQueue.close()]);
  }
}

async function deckStatus(
  s: SubmittedDeck,
  queue: import('bullmq').Queue<DeckJobData, DeckResult>,
  active: Set<string | undefined>,
  redis: Redis,
  prefix: string,
): Promise<DeckStatus> {
  const base = { input: s.input, output: s.output, jobId: s.jobId, generated: noneGenerated() };
  const none = { waiting: 0, active: 0, done: 0, failed: 0 };
  if (s.jobId === null) return { ...base, state: s.state, slides: none, ...(s.error !== undefined && { error: s.error }) };
  const job = await queue.getJob(s.jobId);
  // What this run paid for: a deck it queued. One done before it, or still queued by an earlier
  // run, was paid for by that run (its job's counters are that run's).
  const generated = noneGenerated();
  if (s.state === 'queued' || s.state === 'requeued') {
    const gen = await redis.hgetall(keys.generated(prefix, s.jobId));
    for (const k of GENERATED_FIELDS) generated[k] = Number(gen[k] ?? 0) || 0;
  }
  if (!job) return { ...base, generated, state: 'removed', slides: none };
  const state = await job.getState();
  const result = job.returnvalue ?? undefined;
  if (state === 'completed' && result) {
    const slides = { ...none, done: result.illustrated, failed: result.failed };
    return { ...base, generated, state, slides, result, ...(result.error !== undefined && { error: result.error }) };
  }
  const deps = await job.getDependencies();
  const values = Object.values((await job.getChildrenValues()) as Record<string, SlideResult>);
  const failedValues = values.filter((v) => v.status !== 'illustrated').length;
  const ignored = Object.keys(await job.getIgnoredChildrenFailures()).length;
  const unprocessed = deps.unprocessed ?? [];
  const running = unprocessed.filter((key) => active.has(key.split(':').pop())).length;
  const slides = {
    waiting: unprocessed.length - running,
    active: running,
    done: values.length - failedValues,
    failed: failedValues + ignored,
  };
  return { ...base, generated, state, slides, ...(state === 'failed' && { error: job.failedReason }) };
}

// The run record's prices, as submit stored them; anything else (an older record, a damaged field) is none.
function parsePrices(text: string | undefined): Prices | undefined {
  if (!text) return undefined;
  try {
    const p = JSON.parse(text) as Partial<Prices>;
    const price = (x: unknown) => x === null || (typeof x === 'number' && Number.isFinite(x) && x >= 0);
    return typeof p.currency === 'string' && price(p.perImage) && price(p.perMillionPromptTokens) && price(p.perMillionCompletionTokens)
      ? (p as Prices)
      : undefined;
  } catch {
    return undefined;
  }
}
