// `submit`, `worker` and `status`: the run spread over BullMQ workers (see README, "Scaling out").
import path from 'node:path';
import { loadConfig } from '../../config/load.js';
import { AbortedError, ConfigError, messageOf, UsageError } from '../../errors.js';
import { readEnv } from '../../internal/env.js';
import { printable } from '../../internal/printable.js';
import { formatCost } from '../../model/cost.js';
import type { RunStatus, SubmittedRun } from '../../api/queue.js';
import type { QueueArgs, ScheduleArgs, StatusArgs, SubmitArgs, WorkerArgs } from '../args.js';
import type { CliIo } from '../io.js';
import { httpOverrides, loadRunConfig, runOptions } from '../run-context.js';
import { listenForStop } from '../stop-signal.js';

// The queue API (and with it bullmq and ioredis) is loaded only when a queue command runs.
const queueApi = () => import('../../api/queue.js');

export function runQueueCommand(args: QueueArgs, io: CliIo): Promise<number> {
  if (args.command === 'submit') return runSubmit(args, io);
  if (args.command === 'worker') return runWorkerCommand(args, io);
  return runStatus(args, io);
}

async function runSubmit(args: SubmitArgs, io: CliIo): Promise<number> {
  const config = await loadRunConfig(args, io);
  const api = await queueApi();
  const submitted = await api.submitRun(args.inputs, { ...runOptions(args, io), config, cwd: io.cwd, out: args.out });
  if (!args.wait) {
    io.stdout.write(args.json ? `${JSON.stringify(submitted, null, 2)}\n` : `${formatSubmitted(submitted, io.cwd)}\n`);
    return 0;
  }
  if (!args.json) io.stderr.write(`${formatSubmitted(submitted, io.cwd)}\n`);
  const stop = listenForStop();
  let last = '';
  let status: RunStatus;
  try {
    status = await api.waitForRun(submitted.runId, {
      config,
      env: io.env,
      signal: stop.signal,
      onStatus: (s) => {
        const line = progressLine(s);
        if (line !== last && !args.json) io.stderr.write(`${line}\n`);
        last = line;
      },
    });
  } catch (error) {
    if (stop.signal.aborted)
      throw new AbortedError(`stopped waiting (${stop.received()}); the run goes on: slide-illustrate status ${submitted.runId}`, {
        cause: error,
      });
    throw error;
  } finally {
    stop.dispose();
  }
  io.stdout.write(args.json ? `${JSON.stringify(status, null, 2)}\n` : `${formatStatus(status, io.cwd)}\n`);
  return runExitCode(status);
}

async function runWorkerCommand(args: WorkerArgs, io: CliIo): Promise<number> {
  const { config } = await loadConfig({ file: args.config, cwd: io.cwd });
  const api = await queueApi();
  const graceMs = (args.grace ?? 20) * 1000;
  // The hard stop comes after the grace and the hand-back: a worker always exits in bounded time.
  const stop = listenForStop({ graceMs: graceMs + 5000 });
  const log = (line: string) => io.stderr.write(`${new Date().toISOString()} worker ${process.pid}: ${printable(line)}\n`);
  try {
    const summary = await api.startWorker({
      config,
      concurrency: args.concurrency ?? 8,
      graceMs,
      env: io.env,
      http: httpOverrides(io, args.debug),
      signal: stop.signal,
      log,
      lockDurationMs: msFromEnv(io.env, 'SLIDE_ILLUSTRATE_QUEUE_LOCK_MS'),
      stalledIntervalMs: msFromEnv(io.env, 'SLIDE_ILLUSTRATE_QUEUE_STALLED_MS'),
      metricsPort: args.metricsPort,
      threads: args.threads,
    });
    log(`stopped: ${summary.slides} slide jobs and ${summary.decks} deck jobs done, ${summary.handedBack} handed back`);
    return 0;
  } finally {
    stop.dispose();
  }
}

async function runStatus(args: StatusArgs, io: CliIo): Promise<number> {
  const { config } = await loadConfig({ file: args.config, cwd: io.cwd });
  const api = await queueApi();
  const status = await api.queueStatus(args.run, { config, env: io.env });
  if (status === undefined) throw new UsageError(`status ${args.run}: no such run (unknown id, or older than 30 days)`);
  if (Array.isArray(status)) {
    io.stdout.write(args.json ? `${JSON.stringify({ runs: status })}\n` : status.length ? `${status.join('\n')}\n` : 'no runs yet\n');
    return 0;
  }
  io.stdout.write(args.json ? `${JSON.stringify(status, null, 2)}\n` : `${formatStatus(status, io.cwd)}\n`);
  return 0;
}

// `schedule --queue`: the same cron schedule, each pass submitted to the workers under a Redis lock.
export async function runQueuedSchedule(args: ScheduleArgs, io: CliIo): Promise<number> {
  if (args.force) throw new UsageError('--force with --queue: a queued run never forces; clear the cache entries instead');
  if (args.report !== undefined) throw new UsageError('--report with --queue: the workers write the decks; read a run with status');
  const config = await loadRunConfig(args, io);
  if (!config.inputs.length) throw new ConfigError('inputs: the scheduled job needs at least one deck or folder in "inputs"');
  const api = await queueApi();
  const line = (fields: Record<string, unknown>, text: string) => {
    const time = new Date().toISOString();
    io.stdout.write(args.json ? `${JSON.stringify({ time, ...fields })}\n` : `${time} ${text}\n`);
  };
  const stop = listenForStop();
  const pass = async (n: number): Promise<number> => {
    line({ event: 'pass-start', pass: n }, `pass ${n} started`);
    const result = await api.runQueuedPass({
      ...runOptions(args, io),
      config,
      cwd: io.cwd,
      signal: stop.signal,
      onSubmitted: (run) =>
        line(
          { event: 'pass-submitted', pass: n, runId: run.runId, decks: run.decks.map((d) => ({ input: d.input, state: d.state })) },
          `pass ${n} ${formatSubmitted(run, io.cwd)}`,
        ),
    });
    if (!result.ran) {
      line(
        { event: 'pass-skipped', pass: n, owner: result.owner },
        `pass ${n} skipped: another pass is running (${printable(result.owner)})`,
      );
      return 1;
    }
    line({ event: 'pass-end', pass: n, runId: result.run.runId, status: result.status }, `pass ${n} done: ${progressLine(result.status)}`);
    return runExitCode(result.status);
  };
  try {
    if (args.once) return await pass(1);
    line(
      { event: 'schedule-start', schedule: config.schedule, queue: true },
      `schedule "${printable(config.schedule)}" started, passes submitted to the queue`,
    );
    const { runSchedule } = await import('../../api/schedule.js');
    const passes = await runSchedule({
      expression: config.schedule,
      signal: stop.signal,
      runPass: async (n) => void (await pass(n)),
      onPassError: (error, n) =>
        line({ event: 'pass-error', pass: n, error: messageOf(error) }, `pass ${n} failed: ${printable(messageOf(error))}`),
    });
    line({ event: 'schedule-stop', passes }, `schedule stopped after ${passes} pass${passes === 1 ? '' : 'es'}`);
    return 0;
  } finally {
    stop.dispose();
  }
}

// --- internal ---

function msFromEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = readEnv(env, name);
  if (raw === undefined) return undefined;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 100 || ms > 3_600_000)
    throw new UsageError(`${name}: expected milliseconds from 100 to 3600000, got ${JSON.stringify(raw)}`);
  return ms;
}

const rel = (file: string, cwd: string) => printable(path.relative(cwd, file) || file);

export function formatSubmitted(run: SubmittedRun, cwd: string): string {
  const count = (state: string) => run.decks.filter((d) => d.state === state).length;
  const slides = run.decks.reduce((n, d) => n + d.slides, 0);
  const parts = [
    `${count('queued') + count('requeued')} deck${count('queued') + count('requeued') === 1 ? '' : 's'} queued (${slides} slide jobs)`,
    count('already-queued') ? `${count('already-queued')} already queued` : '',
    count('done') ? `${count('done')} already done` : '',
    count('refused') + count('failed') ? `${count('refused') + count('failed')} not queued` : '',
  ].filter(Boolean);
  const refused = run.decks
    .filter((d) => d.state === 'refused' || d.state === 'failed')
    .map((d) => `  ${rel(d.input, cwd)}: ${printable(d.error ?? d.state)}`);
  return [`run ${run.runId}: ${parts.join(', ')}`, ...refused].join('\n');
}

export function progressLine(s: RunStatus): string {
  const ended = s.decks.filter((d) => d.jobId === null || d.state === 'completed' || d.state === 'failed').length;
  const { slides: t, generated: g } = s.totals;
  const slides = `slides ${t.done} done, ${t.active} active, ${t.waiting} waiting, ${t.failed} failed`;
  const cost = s.totals.cost ? `; est. cost ${formatCost(s.totals.cost)}` : '';
  return `run ${s.runId}: ${ended}/${s.decks.length} decks ended; ${slides}; generated ${g.prompts} prompts, ${g.images} images${cost}`;
}

export function formatStatus(s: RunStatus, cwd: string): string {
  const lines = s.decks.map((d) => {
    const state = d.result ? d.result.status : d.state;
    const slides = `${d.slides.done} done, ${d.slides.active} active, ${d.slides.waiting} waiting, ${d.slides.failed} failed`;
    const out = d.result?.output ? ` → ${rel(d.result.output, cwd)}` : '';
    const generated = `generated ${d.generated.prompts} prompts, ${d.generated.images} images`;
    return `${rel(d.input, cwd)}: ${state}${out} (slides ${slides}; ${generated})${d.error ? `: ${printable(d.error)}` : ''}`;
  });
  return [...lines, progressLine(s)].join('\n');
}

/** Like a local run: 0 every deck written in full, 1 otherwise. */
export function runExitCode(s: RunStatus): number {
  // A lone deck refused at submit is an input error, as in a local run.
  if (s.decks.length === 1 && s.decks[0]!.state === 'refused') return 2;
  // A deck whose output was already up to date at submit (no job) is fine.
  const fine = (d: RunStatus['decks'][number]) =>
    d.result?.status === 'ok' || d.result?.status === 'unchanged' || (d.jobId === null && d.state === 'done');
  return s.decks.every(fine) ? 0 : 1;
}
