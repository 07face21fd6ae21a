// A run's progress, read from Redis: per deck, its slide jobs waiting, active, done and failed,
// the deck job's state and result, and what its slide jobs generated (paid for, on a paid backend).
import type { Redis } from 'ioredis';
import { queueLibraries, type QueueSettings } from './connection.js';
import { DECKS_QUEUE, keys, SLIDES_QUEUE, type DeckJobData, type DeckResult, type SlideResult } from './jobs.js';
import type { SubmittedDeck } from './submit.js';

export interface DeckStatus {
  input: string;
  output: string;
  jobId: string | null;
  /** The deck job's state (BullMQ's: waiting-children, waiting, active, completed, failed …), or the plan's refusal. */
  state: string;
  slides: { waiting: number; active: number; done: number; failed: number };
  generated: { prompts: number; images: number };
  result?: DeckResult;
  error?: string;
}

export interface RunStatus {
  runId: string;
  created: string;
  decks: DeckStatus[];
  /** Every deck job is completed or failed (or was never queued). */
  finished: boolean;
  totals: { decks: number; slides: DeckStatus['slides']; generated: DeckStatus['generated'] };
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
    const generated = { prompts: 0, images: 0 };
    for (const d of decks) {
      for (const k of ['waiting', 'active', 'done', 'failed'] as const) slides[k] += d.slides[k];
      generated.prompts += d.generated.prompts;
      generated.images += d.generated.images;
    }
    const finished = decks.every((d) => d.jobId === null || d.state === 'completed' || d.state === 'failed');
    return {
      runId,
      created: record['created'] ?? '',
      decks,
      finished,
      totals: { decks: decks.length, slides, generated },
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
  const base = { input: s.input, output: s.output, jobId: s.jobId, generated: { prompts: 0, images: 0 } };
  const none = { waiting: 0, active: 0, done: 0, failed: 0 };
  if (s.jobId === null) return { ...base, state: s.state, slides: none, ...(s.error !== undefined && { error: s.error }) };
  const job = await queue.getJob(s.jobId);
  const gen = await redis.hgetall(keys.generated(prefix, s.jobId));
  const generated = { prompts: Number(gen['prompts'] ?? 0), images: Number(gen['images'] ?? 0) };
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
