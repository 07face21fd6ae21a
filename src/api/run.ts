// The library's run API, and its composition root: decks found → backend opened (with the cache and
// limiters) → every deck read and planned once → (the caller may estimate and ask) → the plan
// applied, or only its prompts drafted (--dry-run) → the report. `illustrate()`, the CLI and the
// scheduled job are all built from these.
import path from 'node:path';
import { FLAG_RANGES, type Config } from '../config/schema.js';
import { readSidecar } from '../config/sidecar.js';
import { UsageError } from '../errors.js';
import { parseSlideSelector, type DeckDirections } from '../model/directions.js';
import { IMAGE_API_STYLES } from '../model/image-api-limits.js';
import type { BatchReport, DeckReport, PipelineEvent } from '../model/report.js';
import { planDeckJobs, type DeckJobs, type PlanJobsOptions } from '../pipeline/deck-jobs.js';
import { configFingerprint, deckFingerprint } from '../pipeline/deck-state.js';
import { estimateRun, type RunEstimate } from '../pipeline/estimate.js';
import { DECK_EXTENSIONS } from '../pipeline/find-decks.js';
import {
  finishPlanning,
  READ_CONCURRENCY,
  readAhead,
  startPlanning,
  type PlannedRun,
  type PlanningRun,
  type RunDirections,
} from '../pipeline/plan-run.js';
import { probeOutputs } from '../pipeline/output-records.js';
import { applyPlan, draftPlan } from '../pipeline/run-batch.js';
import { createRunResources, type RunResourceOptions, type RunResources } from '../pipeline/run-resources.js';
import { attachObstacles } from '../report/planner-view.js';
import { collectThumbnails } from '../report/thumbnails.js';
import { writeReport } from '../report/write-report.js';

export { DECK_EXTENSIONS };
export type { DeckJob, DeckJobs } from '../pipeline/deck-jobs.js';
export type { RunEstimate } from '../pipeline/estimate.js';
export type { RunResources } from '../pipeline/run-resources.js';

// The decks under `inputs`, each with its output path; refuses, with a UsageError, to find none.
export async function findDeckJobs(options: PlanJobsOptions): Promise<DeckJobs> {
  const found = await planDeckJobs(options);
  if (!found.jobs.length) throw new UsageError(`no decks found in ${options.inputs.join(', ')} (looked for ${DECK_EXTENSIONS.join(', ')})`);
  return found;
}

/** Directions a run is given beside the decks' own directions files (the CLI's --slides, --reroll, …). */
export interface DirectionOptions {
  /** Only these slides are illustrated: "3,5-7", or the numbers. */
  slides?: string | readonly number[] | undefined;
  /** These slides get a new picture (one image call each); the rest comes from the cache. */
  reroll?: readonly number[] | undefined;
  /** These slides get a new prompt (one LLM call each) and so a new picture. */
  reprompt?: readonly number[] | undefined;
  /** Pictures per image call, 1 to 5 (default: config variants). */
  variants?: number | undefined;
  /** The style prompt of every deck, over its directions file and config image.style. */
  style?: string | undefined;
  /** The image API's style value (photographic, line_art, …), over the directions file and config image.apiStyle. */
  imageStyle?: string | undefined;
}

export interface PrepareOptions extends Omit<RunResourceOptions, 'cwd'>, DirectionOptions {
  config: Config;
  cwd: string;
  /** --out: a file for one deck input, else a folder; default config outputDir. */
  out?: string | undefined;
  /** Checks on the decks found, before the backend is opened (a place we cannot write is found out for free). */
  checkJobs?: ((found: DeckJobs) => Promise<void>) | undefined;
}

/** A run ready to go: its decks found, its backend opened, its plan under way (each deck read once). */
export interface PreparedRun extends DeckJobs {
  config: Config;
  resources: RunResources;
  planning: PlanningRun;
  /** The whole plan: every deck read and planned (memoised). */
  plan(): Promise<PlannedRun>;
  /** What applying the plan would pay for, with --max-images applied (plans every deck first). */
  estimate(): Promise<RunEstimate>;
  /** Remembers a deck the run finished, so an unchanged deck is skipped next time (runPrepared calls it). */
  recordOutput(report: DeckReport): Promise<void>;
}

// Finds the decks and starts planning them; the first decks are read while the backend checks its
// account. A caller that asks for the estimate waits for every deck's plan; one that does not has
// each deck applied as soon as it is planned.
export async function prepareRun(inputs: string[], options: PrepareOptions): Promise<PreparedRun> {
  const { config, cwd } = options;
  const run = checkDirections(options);
  const found = await findDeckJobs({ inputs, cwd, out: options.out, outputDir: config.outputDir, cacheDir: config.cacheDir });
  await options.checkJobs?.(found);
  // Every deck's directions file, before anything is opened or paid: a bad one stops the run (exit 2), naming its key.
  const byDeck = new Map<string, DeckDirections>();
  for (const job of found.jobs) {
    const directions = await readSidecar(job.input);
    if (directions) byDeck.set(job.input, directions);
  }
  const opening = createRunResources(config, options);
  // Awaited below; until then a refusal (no token, say) must not count as an unhandled rejection.
  opening.catch(() => undefined);
  // Outputs as the last complete run left them are not even read (the settings decide once the backend is open).
  const probes = await probeOutputs(found.jobs, path.resolve(cwd, config.cacheDir), { force: options.force });
  const toRead = found.jobs.filter((j) => !probes.mayBeUnchanged(j)).slice(0, READ_CONCURRENCY);
  const read = readAhead(toRead.map((j) => j.input));
  const resources = await opening;
  const directions: RunDirections = { ...run, byDeck };
  // Each deck's settings: the config's, its directions file's and the run's flags that shape outputs.
  const base = configFingerprint(config, resources.backend, resources.providers);
  const shaping = { slides: run.slides, variants: run.variants, style: run.style, imageStyle: run.imageStyle };
  const fingerprintOf = (deck: DeckDirections | undefined) => deckFingerprint(base, deck, shaping);
  // A run that re-rolls takes no deck as unchanged: the new pictures are what it is for.
  const rerolling = Boolean(run.reroll?.length || run.reprompt?.length);
  const unchanged = rerolling ? new Set<string>() : probes.unchanged((input) => fingerprintOf(byDeck.get(input)));
  const planning = startPlanning(found.jobs, config, resources.lookup, { backend: resources.backend, read, unchanged, directions });
  let whole: Promise<PlannedRun> | undefined;
  const plan = () => (whole ??= finishPlanning(planning));
  const estimate = async () => estimateRun((await plan()).plan, { prices: resources.prices, maxImages: options.maxImages });
  const recordOutput = async (report: DeckReport) => {
    // With the directions file as it is now (a re-roll saves to it): what the next run will read.
    const now = await readSidecar(report.input).then(
      (d) => ({ d }),
      () => undefined,
    );
    // Unreadable now: not recorded, so the next run redoes the deck rather than trusting a stale record.
    if (now) await probes.record(report, fingerprintOf(now.d));
  };
  return { ...found, config, resources, planning, plan, estimate, recordOutput };
}

// The run's directions, checked: a UsageError naming the option for a bad value (exit 2).
export function checkDirections(options: DirectionOptions): Omit<RunDirections, 'byDeck'> {
  const slides = typeof options.slides === 'string' ? parseSlideSelector(options.slides) : options.slides;
  if (typeof slides === 'string') throw new UsageError(`--slides: ${slides}`);
  const numbers = (name: string, list: readonly number[] | undefined) => {
    const bad = list?.find((n) => !Number.isInteger(n) || n < 1);
    if (bad !== undefined) throw new UsageError(`--${name}: expected slide numbers from 1, got ${JSON.stringify(bad)}`);
    return list;
  };
  const { variants, imageStyle } = options;
  const range = FLAG_RANGES.variants;
  if (variants !== undefined && (!Number.isInteger(variants) || variants < range.min || variants > range.max))
    throw new UsageError(`--variants: expected an integer from ${range.min} to ${range.max}, got ${JSON.stringify(variants)}`);
  if (imageStyle !== undefined && !(IMAGE_API_STYLES as readonly string[]).includes(imageStyle))
    throw new UsageError(`--image-style: expected one of ${IMAGE_API_STYLES.join(', ')}, got ${JSON.stringify(imageStyle)}`);
  return {
    slides: numbers('slides', slides),
    reroll: numbers('reroll', options.reroll),
    reprompt: numbers('reprompt', options.reprompt),
    variants,
    style: options.style?.trim() || undefined,
    imageStyle,
  };
}

export interface RunPreparedOptions {
  /** Only write each planned slide's prompt (cached for the real run) and check its image; nothing else is paid or written. */
  dryRun?: boolean | undefined;
  /** Also write the HTML report (with thumbnails) to this file (absolute, checked with checkReportPath). */
  report?: string | undefined;
  /** Folder the report shows paths relative to. */
  cwd: string;
  /** Credential values the report must never show. */
  secrets?: readonly string[] | undefined;
  signal?: AbortSignal | undefined;
  onEvent?: ((event: PipelineEvent) => void) | undefined;
}

// Applies the plan (the only step that spends), or drafts its prompts; then the report, if asked.
export async function runPrepared(run: PreparedRun, options: RunPreparedOptions): Promise<BatchReport> {
  if (options.dryRun && options.report !== undefined)
    throw new UsageError('--report with --dry-run: a dry run writes no deck to report on; run without --dry-run');
  const { resources } = run;
  const thumbnails = options.report === undefined ? undefined : collectThumbnails();
  const env = {
    ...resources,
    signal: options.signal,
    onEvent: (event: PipelineEvent) => {
      options.onEvent?.(event);
      thumbnails?.onEvent(event);
    },
  };
  const batch = options.dryRun
    ? await draftPlan(run.planning, { ...env, isImageCached: resources.lookup.isImageCached })
    : await applyPlan(run.planning, env, { onDeckDone: (report) => run.recordOutput(report) });
  resources.reportCacheRepairs();
  if (thumbnails && options.report !== undefined) {
    await thumbnails.attach(batch);
    // Each card draws its slide as the planner saw it (every deck is planned by now: nothing is read again).
    attachObstacles(batch, (await finishPlanning(run.planning)).plan);
    // Written whatever the decks' fate: a run with failures is when the report helps most.
    const { prices, backend } = resources;
    await writeReport(path.resolve(options.cwd, options.report), {
      batch,
      prices,
      provider: backend,
      cwd: options.cwd,
      secrets: options.secrets ?? [],
    });
  }
  return batch;
}

export interface OpenRunOptions extends RunResourceOptions {
  config: Config;
}

// The backend (account checked), wrapped by the cache, and the run's limiters: what the scheduled
// job keeps across its passes.
export function openRun(options: OpenRunOptions): Promise<RunResources> {
  return createRunResources(options.config, options);
}
export { checkReportPath } from '../report/write-report.js';
