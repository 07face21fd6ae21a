// `slide-illustrate schedule`: passes over the config's inputs on its cron schedule (or one pass
// with --once), one log line per deck per pass (JSON lines with --json), stopped by SIGTERM/SIGINT.
import path from 'node:path';
import { AbortedError, ConfigError, messageOf, SlideIllustrateError, UsageError } from '../../errors.js';
import { secretsOf } from '../../internal/env.js';
import { checkReportPath } from '../../api/run.js';
import { runPass, runSchedule, type PassResult } from '../../api/schedule.js';
import type { ScheduleArgs } from '../args.js';
import type { CliIo } from '../io.js';
import { createRunContext, type RunContext } from '../run-context.js';
import { listenForStop } from '../stop-signal.js';
import { deckJson, formatBatchTotals, formatDeckLine, totalsJson } from '../summary.js';
import { exitCode } from './illustrate.js';
import { printable } from '../../internal/printable.js';
import { runQueuedSchedule } from './queue.js';

// Runs the command; returns the exit code (see README, "The scheduled job").
export async function runScheduleCommand(args: ScheduleArgs, io: CliIo): Promise<number> {
  if (args.queue) return runQueuedSchedule(args, io);
  // Forcing every pass would pay for every deck at every tick.
  if (args.force && !args.once)
    throw new UsageError('--force regenerates everything, so the schedule would pay for every deck at every tick; use it with --once');
  if (args.report !== undefined) await checkReportPath(args.report, io.cwd);
  const ctx = await createRunContext(args, io);
  if (!ctx.config.inputs.length) throw new ConfigError('inputs: the scheduled job needs at least one deck or folder in "inputs"');
  const log = createLog(args.json, io);
  const stop = listenForStop();
  try {
    if (args.once) return await runOnce(args, ctx, io, log, stop.signal);
    log.line(
      { event: 'schedule-start', schedule: ctx.config.schedule },
      `schedule "${printable(ctx.config.schedule)}" started; inputs: ${ctx.config.inputs.map(printable).join(', ')} → ${printable(ctx.config.outputDir)}`,
    );
    const passes = await runSchedule({
      expression: ctx.config.schedule,
      signal: stop.signal,
      runPass: async (n) => void (await pass(n, args, ctx, io, log, stop.signal)),
      onPassError: (error, n) =>
        log.line({ event: 'pass-error', pass: n, error: messageOf(error) }, `pass ${n} failed: ${printable(messageOf(error))}`),
    });
    log.line(
      { event: 'schedule-stop', signal: stop.received() ?? null, passes },
      `schedule stopped${stop.received() ? ` by ${stop.received()}` : ''} after ${passes} pass${passes === 1 ? '' : 'es'}`,
    );
    return 0;
  } finally {
    stop.dispose();
  }
}

// --- internal ---

interface Log {
  line(json: Record<string, unknown>, text: string): void;
}

/** Timestamped lines on stdout: JSON objects with --json, else text. */
function createLog(json: boolean, io: CliIo): Log {
  return {
    line(fields, text) {
      const time = new Date().toISOString();
      io.stdout.write(json ? `${JSON.stringify({ time, ...fields })}\n` : `${time} ${text}\n`);
    },
  };
}

async function runOnce(args: ScheduleArgs, ctx: RunContext, io: CliIo, log: Log, signal: AbortSignal): Promise<number> {
  let result: PassResult;
  try {
    result = await pass(1, args, ctx, io, log, signal);
  } catch (error) {
    if (signal.aborted)
      throw new AbortedError('pass stopped by a signal; decks already finished are written and remembered, none is half-written', {
        cause: error,
      });
    throw error;
  }
  if (!result.ran) {
    const who = result.owner ? `pid ${result.owner.pid} on ${result.owner.host} since ${result.owner.startedAt}` : 'another process';
    throw new SlideIllustrateError(`another pass is running (${who}; lock ${result.lockFile}); not starting a second one`);
  }
  return exitCode(result.batch, false);
}

async function pass(n: number, args: ScheduleArgs, ctx: RunContext, io: CliIo, log: Log, signal: AbortSignal): Promise<PassResult> {
  log.line({ event: 'pass-start', pass: n }, `pass ${n} started`);
  // Each pass replaces the last one's report (its path was checked before the first pass).
  const report =
    args.report === undefined ? undefined : { file: path.resolve(io.cwd, args.report), label: `pass ${n}`, secrets: secretsOf(io.env) };
  const result = await runPass(ctx, {
    config: ctx.config,
    cwd: io.cwd,
    force: args.force,
    signal,
    report,
    onDeck: (deck) => log.line({ event: 'deck', pass: n, ...deckJson(deck) }, `pass ${n} ${formatDeckLine(deck, io.cwd)}`),
  });
  if (result.ran)
    log.line(
      { event: 'pass-end', pass: n, totals: totalsJson(result.batch, ctx.prices) },
      `pass ${n} done: ${formatBatchTotals(result.batch, ctx.prices)}`,
    );
  else
    log.line(
      {
        event: 'pass-skipped',
        pass: n,
        lockFile: result.lockFile,
        owner: result.owner ? { pid: result.owner.pid, host: result.owner.host, startedAt: result.owner.startedAt } : null,
      },
      `pass ${n} skipped: another pass holds ${printable(result.lockFile)}${result.owner ? ` (pid ${printable(String(result.owner.pid))})` : ''}`,
    );
  return result;
}
