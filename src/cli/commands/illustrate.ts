// `slide-illustrate <decks or folders…>`: one deck as before, or every deck under folders,
// mirrored under the output folder, with one summary line per deck (or --json).
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { checkReportPath, prepareRun, runPrepared, type DeckJob, type DeckJobs, type PreparedRun } from '../../api/run.js';
import type { Config } from '../../config/schema.js';
import { AbortedError, UsageError } from '../../errors.js';
import { describeType, outputProblem } from '../../internal/fs-safe.js';
import { secretsOf } from '../../internal/env.js';
import type { BatchReport } from '../../model/report.js';
import type { IllustrateArgs } from '../args.js';
import { confirmCost } from '../confirm-cost.js';
import { dryRunJson, formatDryRun } from '../dry-run-summary.js';
import type { CliIo } from '../io.js';
import { createProgress } from '../progress.js';
import { loadRunConfig, runOptions } from '../run-context.js';
import { listenForStop } from '../stop-signal.js';
import { batchJson, formatBatchSummary, formatDeckSummary, OFFLINE_NOTICE } from '../summary.js';
import { printable } from '../../internal/printable.js';

// Runs the command; returns the exit code (0 all ok, 1 some slides or decks failed, 2 a lone deck refused).
export async function runIllustrate(args: IllustrateArgs, rawIo: CliIo): Promise<number> {
  if (args.dryRun && args.report !== undefined)
    throw new UsageError('--report with --dry-run: a dry run writes no deck to report on; run without --dry-run');
  const report = args.report === undefined ? undefined : await checkReportPath(args.report, rawIo.cwd);
  // Everything written while the live display shows goes through it, so no line is drawn over.
  const progress = await createProgress({ io: rawIo, json: args.json, verbosity: args.verbosity, dryRun: args.dryRun });
  const io = progress.io;
  const config = await loadRunConfig(args, io);
  // Each deck is read and planned once; the estimate, the question, the dry run and the run all take this plan.
  const run = await prepareRun(args.inputs, {
    ...runOptions(args, io),
    config,
    cwd: io.cwd,
    out: args.out,
    maxImages: args.maxImages,
    slides: args.slides,
    reroll: args.reroll,
    reprompt: args.reprompt,
    variants: args.variants,
    style: args.style,
    imageStyle: args.imageStyle,
    // Before the account check and the cost question: a place we cannot write is found out for free.
    checkJobs: args.dryRun ? undefined : (found) => checkOutputs(found, args, config, io.cwd),
  });
  const { backend, prices } = run.resources;
  if (!backend.offline && !args.dryRun) await confirmCost({ estimate: run.estimate, yes: args.yes }, io, progress);
  const stop = listenForStop();
  let batch: BatchReport;
  progress.start(run.jobs.length);
  try {
    batch = await runPrepared(run, {
      dryRun: args.dryRun,
      report,
      cwd: io.cwd,
      secrets: secretsOf(io.env),
      signal: stop.signal,
      onEvent: progress.onEvent,
    });
  } catch (error) {
    if (stop.signal.aborted)
      throw new AbortedError(`stopped by ${stop.received() ?? 'a signal'}; decks already finished are written, none is half-written`, {
        cause: error,
      });
    throw error;
  } finally {
    stop.dispose();
    progress.stop();
  }
  if (args.dryRun) printDryRun(batch, run, args, io);
  else if (args.json) io.stdout.write(`${JSON.stringify(batchJson(batch, backend, prices), null, 2)}\n`);
  else {
    // Decks whose line progress printed as they finished are not listed again; --quiet lists only the ones that went wrong.
    const shown = batch.decks.filter((d) =>
      args.verbosity === 'quiet' ? d.status !== 'ok' && d.status !== 'unchanged' : !progress.printed.has(d.input),
    );
    io.stdout.write(
      `${run.single ? formatDeckSummary(batch.decks[0]!, io.cwd, prices) : formatBatchSummary(batch, io.cwd, { prices, shown })}\n`,
    );
    // Said when this run wrote offline pictures; an all-unchanged re-run wrote nothing.
    const wrote = batch.decks.some((d) => d.output && d.status !== 'unchanged');
    if (backend.offline && args.verbosity !== 'quiet' && wrote) io.stdout.write(`${OFFLINE_NOTICE}\n`);
  }
  if (report && !args.json) io.stdout.write(`report: ${printable(path.relative(io.cwd, report) || report)}\n`);
  return exitCode(batch, run.single);
}

// Refuses, with a one-line UsageError naming the flag or key, outputs that would fail or do harm:
// an existing output that is not a regular file (a device, a FIFO: never replaced), and an output
// or cache folder where no file can be created (read-only, under a file, on /proc …).
async function checkOutputs({ jobs, single }: DeckJobs, args: IllustrateArgs, config: Config, cwd: string): Promise<void> {
  const outName = args.out !== undefined ? `--out ${args.out}` : `outputDir ${config.outputDir}`;
  if (single) {
    const output = jobs[0]!.output;
    const problem = await outputProblem(output, 'file');
    if (problem) throw new UsageError(`${outName}: ${output === path.resolve(cwd, args.out ?? '') ? '' : `${output} `}${problem}`);
  } else {
    const problem = await outputProblem(path.resolve(cwd, args.out ?? config.outputDir), 'folder');
    if (problem) throw new UsageError(`${outName}: ${problem}`);
    for (const job of jobs) {
      const existing = await stat(job.output).catch(() => undefined);
      if (existing && !existing.isFile())
        throw new UsageError(`${outName}: ${job.output} is ${describeType(existing)}; only a regular file is ever replaced`);
    }
  }
  const cacheProblem = await outputProblem(path.resolve(cwd, config.cacheDir), 'folder');
  if (cacheProblem)
    throw new UsageError(
      `${args.cacheDir !== undefined ? `--cache-dir ${args.cacheDir}` : `cacheDir ${config.cacheDir}`}: ${cacheProblem}`,
    );
}

function printDryRun(batch: BatchReport, run: PreparedRun, args: IllustrateArgs, io: CliIo): void {
  const { backend, prices } = run.resources;
  const options = { prices, maxImages: args.maxImages };
  const jobs: DeckJob[] = run.jobs;
  const text = args.json
    ? JSON.stringify(dryRunJson(batch, jobs, { ...options, provider: backend }), null, 2)
    : formatDryRun(batch, jobs, { ...options, cwd: io.cwd, offline: backend.offline });
  io.stdout.write(`${text}\n`);
}

/** A lone refused deck is an input error (2), as it always was; in a batch it is one failure among others (1). */
export function exitCode(batch: BatchReport, single: boolean): number {
  if (single && batch.decks[0]?.status === 'refused') return 2;
  return batch.decks.every((d) => d.status === 'ok' || d.status === 'unchanged') ? 0 : 1;
}
