// A queue worker: slide jobs fill the shared content-addressed cache (prompt → image → fit, each
// key claimed before it is paid for), deck jobs apply their deck's plan with every result cached
// (no API call) and write the deck atomically. Runs until its signal aborts, then stops taking
// jobs, lets those in flight finish for a grace period, hands the rest back, and resolves.
import { readFile } from 'node:fs/promises';
import type { Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { defaultConfig, type Config } from '../config/schema.js';
import { messageOf } from '../errors.js';
import { emptyUsage, type DeckReport, type PipelineEvent, type Usage } from '../model/report.js';
import { startPlanning } from '../pipeline/plan-run.js';
import { applyPlan } from '../pipeline/run-batch.js';
import { createRunResources, type RunResources } from '../pipeline/run-resources.js';
import type { HttpOverrides } from '../providers/provider-http.js';
import { setSharpThreads } from '../images/sharp.js';
import { illustrateSlide } from '../stages/illustrate-slide.js';
import { checkServer, newRedis, queueLibraries, reasonOf, shownUrl, type QueueSettings } from './connection.js';
import {
  DECKS_QUEUE,
  keys,
  settingsFingerprint,
  sha256,
  SLIDES_QUEUE,
  type DeckJobData,
  type DeckResult,
  type Generated,
  type RunSettings,
  type SlideJobData,
  type SlideResult,
} from './jobs.js';
import { createRedisRateLimiter } from './redis-rate-limiter.js';
import { RUN_TTL_SECONDS } from './submit.js';
import { serveMetrics, type MetricsServer } from './metrics.js';

export interface WorkerOptions {
  settings: QueueSettings;
  /** Slide jobs at once (I/O-bound: they mostly wait for the API). */
  concurrency: number;
  /**
   * CPU threads for pictures: this many fits at once, each on one libvips thread. Undefined: the
   * local default (fits at once = the cores, at most 4; libvips threads per fit = the cores).
   */
  threads?: number | undefined;
  /** How long in-flight jobs may take to finish after the stop signal before they are handed back. */
  graceMs: number;
  env: NodeJS.ProcessEnv;
  http?: HttpOverrides | undefined;
  signal: AbortSignal;
  log: (line: string) => void;
  /** BullMQ lock and stall timings (tests shorten them so a killed worker's jobs come back in seconds). */
  lockDurationMs?: number | undefined;
  stalledIntervalMs?: number | undefined;
  /** Serve Prometheus metrics on this port (0: any free port), on `metricsHost` (default 127.0.0.1). */
  metricsPort?: number | undefined;
  metricsHost?: string | undefined;
}

export interface WorkerSummary {
  slides: number;
  decks: number;
  /** Jobs handed back to the queue at stop (their grace ran out). */
  handedBack: number;
}

export async function runWorker(options: WorkerOptions): Promise<WorkerSummary> {
  const { bullmq } = await queueLibraries();
  const { settings, log } = options;
  if (options.threads !== undefined) setSharpThreads(1);
  const outage = reconnectLog(settings, log);
  // BullMQ needs maxRetriesPerRequest null on workers' connections; ioredis retries forever with this backoff.
  const redis = await newRedis(settings.url, { maxRetriesPerRequest: null, retryStrategy: outage.retry });
  redis.on('error', outage.error);
  redis.on('ready', outage.ready);
  await untilReady(redis, options.signal);
  await checkServer(redis, settings);
  const resources = new Map<string, Promise<RunResources>>();
  const resourcesFor = (run: RunSettings): Promise<RunResources> => {
    const fp = settingsFingerprint(run);
    let made = resources.get(fp);
    if (!made) {
      const config: Config = { ...run.config, queue: { ...defaultConfig().queue, prefix: settings.prefix } };
      made = createRunResources(config, {
        provider: run.provider,
        env: options.env,
        cwd: '/',
        force: false,
        cpu: options.threads,
        http: {
          ...options.http,
          createLimiter: ({ rpm, windowMs, baseUrl, timeoutMs }) =>
            createRedisRateLimiter({ redis, prefix: settings.prefix, rpm, windowMs, scope: baseUrl, timeoutMs, onError: outage.error }),
        },
        onWarning: (message) => log(`warning: ${message}`),
      });
      made.catch(() => resources.delete(fp));
      resources.set(fp, made);
    }
    return made;
  };
  const count: WorkerSummary = { slides: 0, decks: 0, handedBack: 0 };
  const common = {
    connection: redis,
    prefix: settings.prefix,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    // A job whose worker died is retried up to three times before it fails as stalled.
    maxStalledCount: 3,
  };
  const handBack = async (job: Job, token: string | undefined, error: unknown): Promise<never> => {
    if (!options.signal.aborted) throw error;
    count.handedBack++;
    await job.moveToWait(token);
    throw new bullmq.WaitingError();
  };
  const slides: Worker<SlideJobData, SlideResult> = new bullmq.Worker<SlideJobData, SlideResult>(
    SLIDES_QUEUE,
    async (job, token, signal) => {
      try {
        const result = await processSlide(job.data, await resourcesFor(job.data.settings), redis, settings.prefix, signal);
        count.slides++;
        return result;
      } catch (error) {
        return handBack(job, token, error);
      }
    },
    { ...common, concurrency: options.concurrency },
  );
  // Deck jobs are CPU (fits of uncached pictures, the zip): one at a time per worker process.
  const decks: Worker<DeckJobData, DeckResult> = new bullmq.Worker<DeckJobData, DeckResult>(
    DECKS_QUEUE,
    async (job, token, signal) => {
      try {
        const result = await processDeck(job, await resourcesFor(job.data.settings), signal);
        count.decks++;
        return result;
      } catch (error) {
        return handBack(job, token, error);
      }
    },
    { ...common, concurrency: 1 },
  );
  for (const w of [slides, decks]) w.on('error', outage.error);
  let metrics: MetricsServer | undefined;
  const queues: Queue[] = [];
  if (options.metricsPort !== undefined) {
    queues.push(new bullmq.Queue(SLIDES_QUEUE, { connection: redis, prefix: settings.prefix }));
    queues.push(new bullmq.Queue(DECKS_QUEUE, { connection: redis, prefix: settings.prefix }));
    metrics = await serveMetrics(options.metricsPort, options.metricsHost ?? '127.0.0.1', queues, count);
    log(`metrics on http://${options.metricsHost ?? '127.0.0.1'}:${metrics.port}/metrics`);
  }
  log(`worker started on ${shownUrl(settings.url)} (prefix ${settings.prefix}, ${options.concurrency} slide jobs at once)`);
  await new Promise<void>((resolve) => {
    if (options.signal.aborted) resolve();
    else options.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  log('stopping: no new jobs; waiting for the ones in flight');
  const closing = Promise.all([slides.close(), decks.close()]);
  const timer = setTimeout(() => {
    log(`grace of ${Math.round(options.graceMs / 1000)} s over: handing the jobs in flight back to the queue`);
    slides.cancelAllJobs('worker stopping');
    decks.cancelAllJobs('worker stopping');
  }, options.graceMs);
  await closing;
  clearTimeout(timer);
  await metrics?.close();
  await Promise.all(queues.map((q) => q.close()));
  redis.disconnect();
  return count;
}

/** Usage counted per deck beside the calls, for what a run cost (status): usage field → pay counter. */
const USAGE_FIELDS = [
  ['promptTokens', 'promptTokens'],
  ['completionTokens', 'completionTokens'],
  ['images', 'pictures'],
] as const satisfies readonly (readonly [keyof Usage, keyof Generated])[];

// Prompt → image → fit into the shared cache. What was generated (not found in the cache) is
// counted in Redis as soon as its answer is stored, so a crash loses no count.
async function processSlide(
  data: SlideJobData,
  res: RunResources,
  redis: Redis,
  prefix: string,
  signal?: AbortSignal,
): Promise<SlideResult> {
  const generated = keys.generated(prefix, data.deckJobId);
  const usage = emptyUsage();
  // What the slide has paid for so far; each paid call adds what it used since (its tokens, its pictures).
  const counted = emptyUsage();
  const onEvent = (e: PipelineEvent) => {
    if ((e.type !== 'prompt-done' && e.type !== 'image-done') || e.cached) return;
    const call: keyof Generated = e.type === 'prompt-done' ? 'prompts' : 'images';
    const tx = redis.multi().hincrby(generated, call, 1);
    for (const [field, hashField] of USAGE_FIELDS) {
      const more = usage[field] - counted[field];
      if (more > 0) tx.hincrby(generated, hashField, more);
      counted[field] = usage[field];
    }
    void tx
      .expire(generated, RUN_TTL_SECONDS)
      .exec()
      .catch(() => undefined);
  };
  const { report } = await illustrateSlide(data.slide, {
    ...res,
    input: data.input,
    palette: data.palette,
    usage,
    signal,
    onEvent,
  });
  const status = report.status === 'illustrated' || report.status === 'failed' || report.status === 'skipped' ? report.status : 'failed';
  return {
    number: data.slide.number,
    status,
    ...(report.reason !== undefined && { reason: report.reason }),
    cached: { prompt: !!report.cached?.prompt, image: !!report.cached?.image },
  };
}

// Plans the deck again (same config, same keys) and applies it with the cache only: its slide jobs
// paid for everything, so this pays nothing; a slide whose job failed is reported with its reason.
async function processDeck(job: Job<DeckJobData, DeckResult>, res: RunResources, signal?: AbortSignal): Promise<DeckResult> {
  const d = job.data;
  const failed = (error: string): DeckResult => ({
    input: d.input,
    output: null,
    status: 'failed',
    error,
    illustrated: 0,
    failed: 0,
    warnings: [],
  });
  const bytes = await readFile(d.input).catch((error: unknown) => messageOf(error));
  if (typeof bytes === 'string') return failed(`${d.input}: cannot read it (${bytes})`);
  if (sha256(bytes) !== d.deckSha256) return failed(`${d.input}: changed since it was submitted; submit it again`);
  const config = { ...d.settings.config, queue: defaultConfig().queue };
  const planning = startPlanning([{ input: d.input, output: d.output }], config, res.lookup, { backend: res.backend });
  // Another host's deck job may be writing into the same folder: its temp file is not a dead writer's.
  const batch = await applyPlan(planning, { ...res, providers: res.cacheOnly, signal }, { clearStaleTemps: false });
  const report: DeckReport = batch.decks[0]!;
  const reasons = await slideReasons(job);
  const slides = report.slides.map((s) => (s.status === 'failed' && reasons.has(s.number) ? { ...s, reason: reasons.get(s.number) } : s));
  return {
    input: d.input,
    output: report.output ?? null,
    status: report.status,
    ...(report.error !== undefined && { error: report.error }),
    illustrated: slides.filter((s) => s.status === 'illustrated').length,
    failed: slides.filter((s) => s.status === 'failed').length,
    warnings: [...report.warnings, ...slides.filter((s) => s.status === 'failed').map((s) => `slide ${s.number}: ${s.reason ?? 'failed'}`)],
  };
}

/** Why each slide job that did not illustrate its slide failed, by slide number. */
async function slideReasons(job: Job): Promise<Map<number, string>> {
  const reasons = new Map<number, string>();
  const values = (await job.getChildrenValues()) as Record<string, SlideResult>;
  for (const v of Object.values(values)) if (v.status !== 'illustrated') reasons.set(v.number, v.reason ?? v.status);
  const ignored = await job.getIgnoredChildrenFailures();
  for (const [key, reason] of Object.entries(ignored)) {
    const n = Number(/-s(\d+)$/.exec(key)?.[1]);
    if (Number.isInteger(n)) reasons.set(n, `slide job failed: ${reason}`);
  }
  return reasons;
}

/** One line when Redis goes away (with the next try), one when it is back; not one per attempt. */
function reconnectLog(settings: QueueSettings, log: (line: string) => void) {
  let down = false;
  let lastReason = '';
  return {
    retry(times: number): number {
      const ms = Math.min(20_000, 500 * 2 ** Math.min(times, 6));
      const reason = lastReason || 'connection lost';
      if (!down)
        log(`redis: ${shownUrl(settings.url)} unreachable (${reason}), retrying with backoff (next in ${Math.round(ms / 1000)} s)`);
      down = true;
      return ms;
    },
    error(error: unknown) {
      lastReason = reasonOf(error);
    },
    ready() {
      if (down) log('redis: reconnected');
      down = false;
    },
  };
}

function untilReady(redis: Redis, signal: AbortSignal): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    redis.once('ready', () => resolve());
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
