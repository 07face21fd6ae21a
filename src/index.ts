// The programmatic API: what the CLI does, as functions. The CLI is a thin layer over these.
//
//   import { illustrate } from 'slide-illustrate';
//   const batch = await illustrate(['decks/'], { out: 'illustrated', config: { placement: 'auto' } });
import { validateConfig } from './config/load.js';
import type { WrittenConfig } from './config/schema.js';
import { secretsOf } from './internal/env.js';
import type { BatchReport, PipelineEvent } from './model/report.js';
import type { ProviderKind } from './providers/create-providers.js';
import { checkReportPath } from './report/write-report.js';
import { prepareRun, runPrepared } from './api/run.js';

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
  /** Only these slides are illustrated: "3,5-7", or the numbers (the CLI's --slides). */
  slides?: string | number[];
  /** These slides get a new picture, one image call each; the rest comes from the cache (--reroll). */
  reroll?: number[];
  /** These slides get a new prompt and picture (--reprompt). */
  reprompt?: number[];
  /** Pictures per slide in one image call, 1 to 5 (--variants; default config variants). */
  variants?: number;
  /** The style prompt of every deck (--style; over the directions file and config image.style). */
  style?: string;
  /** The image API's style value, e.g. "line_art" (--image-style; over the directions file and config image.apiStyle). */
  imageStyle?: string;
  signal?: AbortSignal;
  onEvent?: (event: PipelineEvent) => void;
}

// Illustrates decks or every deck under folders; one report per deck. Throws ConfigError or
// UsageError for bad settings or when no deck is found (as the CLI does); a deck that fails is
// reported, never thrown.
export async function illustrate(inputs: string[], options: IllustrateOptions = {}): Promise<BatchReport> {
  const cwd = options.cwd ?? process.cwd();
  const config = validateConfig(options.config ?? {}, 'config');
  const env = options.env ?? process.env;
  const report = options.report === undefined ? undefined : await checkReportPath(options.report, cwd);
  const run = await prepareRun(inputs, {
    config,
    cwd,
    out: options.out,
    provider: options.provider,
    env,
    force: options.force ?? false,
    maxImages: options.maxImages,
    slides: options.slides,
    reroll: options.reroll,
    reprompt: options.reprompt,
    variants: options.variants,
    style: options.style,
    imageStyle: options.imageStyle,
  });
  return runPrepared(run, { report, cwd, secrets: secretsOf(env), signal: options.signal, onEvent: options.onEvent });
}

export { defaultConfig, configSchema } from './config/schema.js';
export type { Config, WrittenConfig } from './config/schema.js';
export { loadConfig } from './config/load.js';
export { readSidecar, sidecarPath, updateSlideDirection, writeSidecar } from './config/sidecar.js';
export type { DeckDirections, SlideDirection } from './model/directions.js';
export { readPresentation, readPresentationFile } from './pptx/read-presentation.js';
export type { Presentation, SlideModel } from './pptx/read-presentation.js';
export { planIllustrations } from './stages/plan-illustrations.js';
export type { BatchReport, DeckReport, SlideReport, PipelineEvent, Usage } from './model/report.js';
export type { RunPlan, DeckPlan, SlidePlan } from './model/run-plan.js';
export { parseRunPlan, RUN_PLAN_VERSION } from './model/run-plan.js';
export { findDeckJobs, prepareRun, runPrepared, type PreparedRun, type PrepareOptions, type RunPreparedOptions } from './api/run.js';
export { formatCost, type Prices } from './model/cost.js';
// The review page's session: one deck, each decision saved to its directions file, pictures paid one slide at a time.
export {
  openReview,
  type ReviewOptions,
  type ReviewSession,
  type ReviewState,
  type ReviewSlide,
  type ReviewAction,
  type ActionCost,
} from './api/review.js';
export type { RunEstimate } from './pipeline/estimate.js';
export type { PromptProvider, ImageProvider, Providers, SlideText } from './providers/types.js';
export { SlideIllustrateError, UsageError, ConfigError, DeckFormatError, PackageValidationError } from './errors.js';
