// The queue's API: submit a run (plan here, work on the workers), run a worker, read a run's status.
// bullmq and ioredis are imported by src/queue on first use only, so local runs never load them.
import path from 'node:path';
import type { Config } from '../config/schema.js';
import { resolveProviderKind } from '../providers/create-providers.js';
import { connectOnce, queueSettings } from '../queue/connection.js';
import type { RunSettings } from '../queue/jobs.js';
import { recentRuns, runStatus, type RunStatus } from '../queue/status.js';
import { enqueueRun, type SubmittedRun } from '../queue/submit.js';
import { runWorker, type WorkerOptions, type WorkerSummary } from '../queue/worker.js';
import { scheduleLockKey, withScheduleLock } from '../queue/schedule-lock.js';
import { prepareRun, type PrepareOptions } from './run.js';

export { queueSettings, type QueueSettings } from '../queue/connection.js';
export type { DeckStatus, RunStatus } from '../queue/status.js';
export type { SubmittedDeck, SubmittedRun, SubmitState } from '../queue/submit.js';
export type { WorkerSummary } from '../queue/worker.js';

export type SubmitOptions = Omit<PrepareOptions, 'maxImages' | 'force'>;

// Checks Redis first (one line, exit 2, before anything is read), plans the decks here, and
// enqueues one flow per deck. Returns the run id and what became of each deck.
export async function submitRun(inputs: string[], options: SubmitOptions): Promise<SubmittedRun> {
  const settings = queueSettings(options.config, options.env);
  const redis = await connectOnce(settings);
  try {
    const prepared = await prepareRun(inputs, { ...options, force: false });
    const { plan } = await prepared.plan();
    const run: RunSettings = {
      config: workerConfig(options.config, options.cwd),
      provider: resolveProviderKind(options.provider, options.env),
    };
    return await enqueueRun(plan, run, redis, settings, prepared.resources.backend.offline ? undefined : prepared.resources.prices);
  } finally {
    redis.disconnect();
  }
}

export interface StatusOptions {
  config: Config;
  env: NodeJS.ProcessEnv;
}

/** The run's status, or the latest runs' ids when `runId` is undefined. */
export async function queueStatus(runId: string | undefined, options: StatusOptions): Promise<RunStatus | string[] | undefined> {
  const settings = queueSettings(options.config, options.env);
  const redis = await connectOnce(settings);
  try {
    return runId === undefined ? await recentRuns(redis, settings) : await runStatus(redis, settings, runId);
  } finally {
    redis.disconnect();
  }
}

export interface WaitOptions extends StatusOptions {
  intervalMs?: number | undefined;
  signal?: AbortSignal | undefined;
  onStatus?: ((status: RunStatus) => void) | undefined;
}

// Polls the run's status until every deck job has ended (robust to reconnects: no event stream).
export async function waitForRun(runId: string, options: WaitOptions): Promise<RunStatus> {
  const settings = queueSettings(options.config, options.env);
  const redis = await connectOnce(settings);
  try {
    for (;;) {
      const status = await runStatus(redis, settings, runId);
      if (!status) throw new Error(`run ${runId}: no record in Redis`);
      options.onStatus?.(status);
      if (status.finished) return status;
      options.signal?.throwIfAborted();
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
    }
  } finally {
    redis.disconnect();
  }
}

export type StartWorkerOptions = Omit<WorkerOptions, 'settings'> & { config: Config };

export function startWorker(options: StartWorkerOptions): Promise<WorkerSummary> {
  const { config, ...rest } = options;
  return runWorker({ ...rest, settings: queueSettings(config, options.env) });
}

/** The config a worker rebuilds the run from: no queue key (its URL may hold a password), folders absolute. */
function workerConfig(config: Config, cwd: string): RunSettings['config'] {
  const { queue: _queue, ...rest } = config;
  return { ...rest, cacheDir: path.resolve(cwd, config.cacheDir), outputDir: path.resolve(cwd, config.outputDir), inputs: [] };
}

export interface QueuedPassOptions extends Omit<SubmitOptions, 'out'> {
  signal?: AbortSignal | undefined;
  onStatus?: ((status: RunStatus) => void) | undefined;
  onSubmitted?: ((run: SubmittedRun) => void) | undefined;
}

export type QueuedPass = { ran: true; run: SubmittedRun; status: RunStatus } | { ran: false; owner: string };

// `schedule --queue`: one pass submits the config's inputs into its outputDir and waits for the
// run, under a Redis lock so that passes never overlap, whichever machine's scheduler starts them.
// Unchanged decks are free: their job ids are content hashes, already done.
export async function runQueuedPass(options: QueuedPassOptions): Promise<QueuedPass> {
  const { config, cwd, env } = options;
  const settings = queueSettings(config, env);
  const redis = await connectOnce(settings);
  try {
    const key = scheduleLockKey(settings.prefix, path.resolve(cwd, config.outputDir));
    const locked = await withScheduleLock(redis, key, async (lost) => {
      const run = await submitRun(config.inputs, { ...options, out: config.outputDir });
      options.onSubmitted?.(run);
      const signal = options.signal ? AbortSignal.any([options.signal, lost]) : lost;
      const status = await waitForRun(run.runId, { config, env, signal, onStatus: options.onStatus });
      return { run, status };
    });
    return locked.ran ? { ran: true, ...locked.value } : locked;
  } finally {
    redis.disconnect();
  }
}
