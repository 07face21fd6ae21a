// `slide-illustrate <decks or folders…>`: one deck as before, or every deck under folders,
// mirrored under the output folder, with one summary line per deck (or --json).
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config/schema.js';
import { AbortedError, UsageError } from '../../errors.js';
import { describeType, outputProblem } from '../../internal/fs-safe.js';
import { secretsOf } from '../../internal/env.js';
import { DECK_EXTENSIONS } from '../../pipeline/find-decks.js';
import { planDeckJobs, type DeckJob } from '../../pipeline/deck-jobs.js';
import { estimateRun } from '../../pipeline/estimate.js';
import { planRun, READ_CONCURRENCY, readAhead } from '../../pipeline/plan-run.js';
import { applyPlan, draftPlan } from '../../pipeline/run-batch.js';
import type { BatchReport, PipelineEvent } from '../../pipeline/types.js';
import { collectThumbnails } from '../../report/thumbnails.js';
import { checkReportPath, writeReport } from '../../report/write-report.js';
import type { IllustrateArgs } from '../args.js';
import { confirmCost } from '../confirm-cost.js';
import { dryRunJson, formatDryRun } from '../dry-run-summary.js';
import type { CliIo } from '../main.js';
import { createProgress } from '../progress.js';
import { createRunContext, loadRunConfig, type RunContext } from '../run-context.js';
import { listenForStop } from '../stop-signal.js';
import { batchJson, formatBatchSummary, formatDeckSummary, OFFLINE_NOTICE } from '../summary.js';
import { printable } from '../printable.js';

// Runs the command; returns the exit code (0 all ok, 1 some slides or decks failed, 2 a lone deck refused).
export async function runIllustrate(args: IllustrateArgs, rawIo: CliIo): Promise<number> {
  if (args.dryRun && args.report !== undefined) throw new UsageError('--report with --dry-run: a dry run writes no deck to report on; run without --dry-run');
  const report = args.report === undefined ? undefined : await checkReportPath(args.report, rawIo.cwd);
  // Everything written while the live display shows goes through it, so no line is drawn over.
  const progress = await createProgress({ io: rawIo, json: args.json, verbosity: args.verbosity, dryRun: args.dryRun });
  const io = progress.io;
  const config = await loadRunConfig(args, io);
  const { jobs, single } = await planDeckJobs({ inputs: args.inputs, cwd: io.cwd, out: args.out, outputDir: config.outputDir, cacheDir: config.cacheDir });
  if (!jobs.length) throw new UsageError(`no decks found in ${args.inputs.join(', ')} (looked for ${DECK_EXTENSIONS.join(', ')})`);
  // Before the account check and the cost question: a place we cannot write is found out for free.
  if (!args.dryRun) await checkOutputs(jobs, single, args, config, io.cwd);
  // The backend's account and model check is a round trip: the first decks are read meanwhile.
  const context = createRunContext(args, io, { maxImages: args.maxImages }, config);
  const read = readAhead(jobs.slice(0, READ_CONCURRENCY).map((j) => j.input));
  const ctx = await context;
  const { backend } = ctx;
  // Each deck is read and planned once; the estimate, the question, the dry run and the run all take this plan.
  const planned = await planRun(jobs, config, ctx.lookup, { backend, read });
  if (!backend.offline && !args.dryRun) {
    await confirmCost({ estimate: estimateRun(planned.plan, { prices: ctx.prices, maxImages: args.maxImages }), yes: args.yes }, io, progress);
  }
  const stop = listenForStop();
  const thumbnails = report === undefined ? undefined : collectThumbnails();
  const onEvent = (event: PipelineEvent) => {
    progress.onEvent(event);
    thumbnails?.onEvent(event);
  };
  let batch: BatchReport;
  progress.start(jobs.length);
  try {
    const run = { ...ctx, signal: stop.signal, onEvent };
    batch = args.dryRun ? await draftPlan(planned, { ...run, isImageCached: ctx.lookup.isImageCached }) : await applyPlan(planned, run);
    await thumbnails?.attach(batch);
  } catch (error) {
    if (stop.signal.aborted) throw new AbortedError(`stopped by ${stop.received() ?? 'a signal'}; decks already finished are written, none is half-written`, { cause: error });
    throw error;
  } finally {
    stop.dispose();
    progress.stop();
  }
  ctx.reportCacheRepairs();
  if (args.dryRun) printDryRun(batch, jobs, args, ctx, io);
  else if (args.json) io.stdout.write(JSON.stringify(batchJson(batch, backend, ctx.prices), null, 2) + '\n');
  else {
    // Decks whose line progress printed as they finished are not listed again; --quiet lists only the ones that went wrong.
    const shown = batch.decks.filter((d) => (args.verbosity === 'quiet' ? d.status !== 'ok' : !progress.printed.has(d.input)));
    io.stdout.write((single ? formatDeckSummary(batch.decks[0]!, io.cwd, ctx.prices) : formatBatchSummary(batch, io.cwd, { prices: ctx.prices, shown })) + '\n');
    if (backend.offline && args.verbosity !== 'quiet' && batch.decks.some((d) => d.output)) io.stdout.write(OFFLINE_NOTICE + '\n');
  }
  // Written whatever the decks' fate: a run with failures is when the report helps most.
  if (report) {
    await writeReport(report, { batch, prices: ctx.prices, provider: backend, cwd: io.cwd, secrets: secretsOf(io.env) });
    if (!args.json) io.stdout.write(`report: ${printable(path.relative(io.cwd, report) || report)}\n`);
  }
  return exitCode(batch, single);
}

// Refuses, with a one-line UsageError naming the flag or key, outputs that would fail or do harm:
// an existing output that is not a regular file (a device, a FIFO: never replaced), and an output
// or cache folder where no file can be created (read-only, under a file, on /proc …).
async function checkOutputs(jobs: DeckJob[], single: boolean, args: IllustrateArgs, config: Config, cwd: string): Promise<void> {
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
      if (existing && !existing.isFile()) throw new UsageError(`${outName}: ${job.output} is ${describeType(existing)}; only a regular file is ever replaced`);
    }
  }
  const cacheProblem = await outputProblem(path.resolve(cwd, config.cacheDir), 'folder');
  if (cacheProblem) throw new UsageError(`${args.cacheDir !== undefined ? `--cache-dir ${args.cacheDir}` : `cacheDir ${config.cacheDir}`}: ${cacheProblem}`);
}

function printDryRun(batch: BatchReport, jobs: Parameters<typeof formatDryRun>[1], args: IllustrateArgs, ctx: RunContext, io: CliIo): void {
  const options = { prices: ctx.prices, maxImages: args.maxImages };
  io.stdout.write((args.json ? JSON.stringify(dryRunJson(batch, jobs, { ...options, provider: ctx.backend }), null, 2) : formatDryRun(batch, jobs, { ...options, cwd: io.cwd, offline: ctx.backend.offline })) + '\n');
}

/** A lone refused deck is an input error (2), as it always was; in a batch it is one failure among others (1). */
export function exitCode(batch: BatchReport, single: boolean): number {
  if (single && batch.decks[0]?.status === 'refused') return 2;
  return batch.decks.every((d) => d.status === 'ok' || d.status === 'unchanged') ? 0 : 1;
}
