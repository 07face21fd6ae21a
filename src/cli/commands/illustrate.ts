// `slide-illustrate <decks or folders…>`: one deck as before, or every deck under folders,
// mirrored under the output folder, with one summary line per deck (or --json).
import path from 'node:path';
import { AbortedError, UsageError } from '../../errors.js';
import { secretsOf } from '../../internal/env.js';
import { DECK_EXTENSIONS } from '../../pipeline/find-decks.js';
import { planDeckJobs } from '../../pipeline/deck-jobs.js';
import { runBatch } from '../../pipeline/run-batch.js';
import type { BatchReport } from '../../pipeline/types.js';
import { checkReportPath, writeReport } from '../../report/write-report.js';
import type { IllustrateArgs } from '../args.js';
import type { CliIo } from '../main.js';
import { createRunContext } from '../run-context.js';
import { listenForStop } from '../stop-signal.js';
import { batchJson, formatBatchSummary, formatDeckSummary, OFFLINE_NOTICE } from '../summary.js';

// Runs the command; returns the exit code (0 all ok, 1 some slides or decks failed, 2 a lone deck refused).
export async function runIllustrate(args: IllustrateArgs, io: CliIo): Promise<number> {
  const report = args.report === undefined ? undefined : await checkReportPath(args.report, io.cwd);
  const { config, providers, limiters } = await createRunContext(args, io);
  const { jobs, single } = await planDeckJobs({ inputs: args.inputs, cwd: io.cwd, out: args.out, outputDir: config.outputDir, cacheDir: config.cacheDir });
  if (!jobs.length) throw new UsageError(`no decks found in ${args.inputs.join(', ')} (looked for ${DECK_EXTENSIONS.join(', ')})`);
  const stop = listenForStop();
  let batch: BatchReport;
  try {
    batch = await runBatch(jobs, { config, providers, limiters, signal: stop.signal, thumbnails: report !== undefined });
  } catch (error) {
    if (stop.signal.aborted) throw new AbortedError(`stopped by ${stop.received() ?? 'a signal'}; decks already finished are written, none is half-written`, { cause: error });
    throw error;
  } finally {
    stop.dispose();
  }
  if (args.json) io.stdout.write(JSON.stringify(batchJson(batch, providers), null, 2) + '\n');
  else {
    io.stdout.write((single ? formatDeckSummary(batch.decks[0]!, io.cwd) : formatBatchSummary(batch, io.cwd)) + '\n');
    if (providers.offline && batch.decks.some((d) => d.output)) io.stdout.write(OFFLINE_NOTICE + '\n');
  }
  // Written whatever the decks' fate: a run with failures is when the report helps most.
  if (report) {
    await writeReport(report, { batch, config, provider: providers, cwd: io.cwd, secrets: secretsOf(io.env) });
    if (!args.json) io.stdout.write(`report: ${path.relative(io.cwd, report) || report}\n`);
  }
  return exitCode(batch, single);
}

/** A lone refused deck is an input error (2), as it always was; in a batch it is one failure among others (1). */
export function exitCode(batch: BatchReport, single: boolean): number {
  if (single && batch.decks[0]?.status === 'refused') return 2;
  return batch.decks.every((d) => d.status === 'ok' || d.status === 'unchanged') ? 0 : 1;
}
