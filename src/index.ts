// The programmatic API: what the CLI does, as functions. The CLI is a thin layer over these.
//
//   import { illustrate } from 'slide-illustrate';
//   const batch = await illustrate(['decks/'], { out: 'illustrated', config: { placement: 'auto' } });
import { configSchema, type Config, type WrittenConfig } from './config/schema.js';
import { formatIssues } from './config/load.js';
import { ConfigError } from './errors.js';
import { secretsOf } from './internal/env.js';
import { planDeckJobs } from './pipeline/deck-jobs.js';
import { planRun } from './pipeline/plan-run.js';
import { applyPlan } from './pipeline/run-batch.js';
import type { BatchReport, PipelineEvent } from './pipeline/types.js';
import { createRunResources } from './pipeline/run-resources.js';
import type { ProviderKind } from './providers/create-providers.js';
import { collectThumbnails } from './report/thumbnails.js';
import { checkReportPath, writeReport } from './report/write-report.js';

export interface IllustrateOptions {
  /** Settings as in pipeline.config.json; validated, missing keys take their defaults. */
  config?: WrittenConfig;
  /** Output file (one deck) or folder (several decks or a folder); default: config outputDir. */
  out?: string;
  /** Default: infomaniak when INFOMANIAK_API_TOKEN is set in `env`, else offline. */
  provider?: ProviderKind;
  /** Where API credentials are read from (default process.env). Never put tokens in config. */
  env?: NodeJS.ProcessEnv;
  /** Folder relative paths resolve against (default process.cwd()). */
  cwd?: string;
  /** Ignore cached prompts and images. */
  force?: boolean;
  /** Pay for at most this many images in the whole run; cached images are free and not counted. */
  maxImages?: number;
  /** Also write the run's HTML report (see README, "Report") to this .html file. */
  report?: string;
  signal?: AbortSignal;
  onEvent?: (event: PipelineEvent) => void;
}

// Illustrates decks or every deck under folders; one report per deck. Throws ConfigError or
// UsageError for bad settings; a deck that fails is reported, never thrown.
export async function illustrate(inputs: string[], options: IllustrateOptions = {}): Promise<BatchReport> {
  const cwd = options.cwd ?? process.cwd();
  const parsed = configSchema.safeParse(options.config ?? {});
  if (!parsed.success) {
    const problems = formatIssues(parsed.error);
    throw new ConfigError(`config: ${problems.join('; ')}`, problems);
  }
  const config: Config = parsed.data;
  const env = options.env ?? process.env;
  const report = options.report === undefined ? undefined : await checkReportPath(options.report, cwd);
  const resources = await createRunResources(config, { provider: options.provider, env, cwd, force: options.force ?? false, maxImages: options.maxImages });
  const { jobs } = await planDeckJobs({ inputs, cwd, out: options.out, outputDir: config.outputDir, cacheDir: config.cacheDir });
  const planned = await planRun(jobs, config, resources.lookup, { backend: resources.backend });
  const thumbnails = report === undefined ? undefined : collectThumbnails();
  const onEvent = (event: PipelineEvent) => {
    options.onEvent?.(event);
    thumbnails?.onEvent(event);
  };
  const batch = await applyPlan(planned, { ...resources, signal: options.signal, onEvent });
  await thumbnails?.attach(batch);
  if (report) await writeReport(report, { batch, prices: resources.prices, provider: resources.backend, cwd, secrets: secretsOf(env) });
  return batch;
}

export { defaultConfig, configSchema } from './config/schema.js';
export type { Config, WrittenConfig } from './config/schema.js';
export { loadConfig } from './config/load.js';
export { readPresentation, readPresentationFile } from './pptx/read-presentation.js';
export type { Presentation, SlideModel } from './pptx/read-presentation.js';
export { planIllustrations } from './stages/plan-illustrations.js';
export type { BatchReport, DeckReport, SlideReport, PipelineEvent, Usage } from './pipeline/types.js';
export type { PromptProvider, ImageProvider, Providers, SlideText } from './providers/types.js';
export { SlideIllustrateError, UsageError, ConfigError, DeckFormatError, PackageValidationError } from './errors.js';
