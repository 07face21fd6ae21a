// The library's review API: one deck, its plan re-made after every decision, each decision saved to
// the deck's directions file (config/sidecar.ts) at once, pictures paid for one slide at a time,
// and the deck written from the plan. The review page (src/review) is a thin server over this.
import path from 'node:path';
import { openCacheStore, type CacheStore } from '../cache/cache-store.js';
import { readSidecar, sidecarPath, updateSlideDirection } from '../config/sidecar.js';
import type { Config } from '../config/schema.js';
import { SlideIllustrateError, UsageError } from '../errors.js';
import { removeStaleTemps } from '../internal/atomic-write.js';
import type { Prices } from '../model/cost.js';
import { directionFor, slideKeyOf, type DeckDirections, type DirectionPlacement, type SlideDirection } from '../model/directions.js';
import { addUsage, emptyUsage, type DeckReport, type PipelineEvent, type Usage } from '../model/report.js';
import type { DeckPlan, SlidePlan } from '../model/run-plan.js';
import type { DeckJob } from '../pipeline/deck-jobs.js';
import { startPlanning } from '../pipeline/plan-run.js';
import { applyPlan } from '../pipeline/run-batch.js';
import { createRunResources, type RunResourceOptions, type RunResources } from '../pipeline/run-resources.js';
import type { BackendIdentity } from '../providers/types.js';
import { makeThumbnail } from '../report/thumbnail.js';
import { illustrateSlide } from '../stages/illustrate-slide.js';
import { findDeckJobs } from './run.js';

export { renderSlideDrawing, type DrawnPicture } from '../report/render-slide.js';
export { REPORT_CSS } from '../report/report-css.js';
export { esc } from '../report/html.js';

/** What a person decides about one slide. `prompt`, `reroll` and `generate` pay; the others are free. */
export type ReviewAction =
  | { kind: 'accept' }
  | { kind: 'variant'; variant: number }
  | { kind: 'prompt'; prompt: string }
  | { kind: 'reroll' }
  | { kind: 'generate' }
  | { kind: 'skip'; skip: boolean }
  | { kind: 'placement'; placement: DirectionPlacement };

/** Units of a paid action, priced by the page with the run's prices. */
export interface ActionCost {
  images: number;
  promptTokens: number;
  completionTokens: number;
}

export interface ReviewSlide {
  /** The slide as planned now, directions applied. */
  plan: SlidePlan;
  /** Its key in the directions file (`id:<sldId>`, or its number). */
  key: string;
  /** What the directions file and the notes say about it. */
  direction: SlideDirection;
  /** How many variants a generation makes, which one the deck gets (from 1), and which are in the cache. */
  variants: { count: number; chosen: number; cached: boolean[] };
  /** What each paid action would cost for this slide now. */
  costs: { generate: ActionCost; reroll: ActionCost; prompt: ActionCost };
}

export interface ReviewState {
  input: string;
  output: string;
  /** The directions file decisions are saved to. */
  sidecar: string;
  title?: string | undefined;
  slideSize?: { cx: number; cy: number } | undefined;
  backend: BackendIdentity;
  prices: Prices;
  slides: ReviewSlide[];
  /** Paid for since the review started. */
  spent: Usage;
  /** --max-images for the whole review, and how many of them are used. */
  budget?: { max: number; used: number } | undefined;
  /** What writing the deck now would still pay for (0 when every chosen picture is cached). */
  writeCost: ActionCost;
  /** The last write's outcome. */
  written?: { output: string; status: DeckReport['status']; pictures: number } | undefined;
}

export interface ReviewSession {
  state(): Promise<ReviewState>;
  /** A variant's picture cropped to its box, as a small JPEG (undefined when not cached). */
  picture(slide: number, variant: number): Promise<Buffer | undefined>;
  /** Saves a decision (and pays for a picture when the action does); the message says what happened. */
  act(slide: number, action: ReviewAction): Promise<{ message: string }>;
  /** Writes the output deck from the plan. */
  write(): Promise<{ message: string; report?: DeckReport }>;
  close(): Promise<void>;
}

export interface ReviewOptions extends Omit<RunResourceOptions, 'cwd' | 'force'> {
  config: Config;
  cwd: string;
  /** Output file (default: config outputDir / the deck's name). */
  out?: string | undefined;
  signal?: AbortSignal | undefined;
}

// Opens a review of one deck: finds its output, checks its directions file (a bad one is a
// ConfigError naming the key), opens the backend with the cache, and plans the deck.
export async function openReview(deck: string, options: ReviewOptions): Promise<ReviewSession> {
  const { config, cwd } = options;
  const found = await findDeckJobs({ inputs: [deck], cwd, out: options.out, outputDir: config.outputDir, cacheDir: config.cacheDir });
  if (!found.single) throw new UsageError(`review ${deck}: review takes one deck file, not a folder`);
  const job = found.jobs[0]!;
  if (path.resolve(job.input) === path.resolve(job.output))
    throw new UsageError(`${job.input}: the output would overwrite the input; choose another --out`);
  await readSidecar(job.input);
  const resources = await createRunResources(config, { ...options, force: false });
  const store = await openCacheStore(path.resolve(cwd, config.cacheDir));
  return createSession(job, config, resources, store, options);
}

// --- internal ---

interface Planned {
  deck: DeckPlan;
  directions: DeckDirections | undefined;
}

function createSession(job: DeckJob, config: Config, resources: RunResources, store: CacheStore, options: ReviewOptions): ReviewSession {
  const spent = emptyUsage();
  /** Images paid for by this review (offline ones too: --max-images counts calls that reach the backend). */
  let paidImages = 0;
  let written: ReviewState['written'];
  let current: Promise<Planned> | undefined;
  const thumbnails = new Map<string, Promise<string | undefined>>();
  const onEvent = (event: PipelineEvent) => {
    if (event.type === 'image-done' && !event.cached) paidImages++;
  };
  const env = { ...resources, signal: options.signal, onEvent };

  const plan = (): Promise<Planned> =>
    (current ??= (async () => {
      const directions = await readSidecar(job.input);
      const planning = startPlanning([job], config, resources.lookup, { backend: resources.backend });
      const deck = await planning.deck(0);
      if (deck.status !== 'planned') throw new UsageError(deck.error ?? `${job.input}: cannot be planned`);
      return { deck, directions };
    })().catch((error: unknown) => {
      current = undefined;
      throw error;
    }));
  const replan = () => {
    current = undefined;
    return plan();
  };
  const slideOf = async (number: number) => {
    const planned = await plan();
    const slide = planned.deck.slides.find((s) => s.number === number);
    if (!slide) throw new UsageError(`slide ${number}: the deck has ${planned.deck.slides.length} slides`);
    return { planned, slide, key: slideKeyOf(slide), direction: directionFor(planned.directions, slide) };
  };
  const budgetLeft = () => (options.maxImages === undefined ? Infinity : options.maxImages - paidImages);
  const save = async (number: number, key: string, patch: Parameters<typeof updateSlideDirection>[2]) => {
    await updateSlideDirection(job.input, key, patch, { number });
    await replan();
  };

  // Pays for one slide's picture (its prompt too, when none is cached or given).
  const generate = async (number: number): Promise<string> => {
    const { slide } = await slideOf(number);
    if (slide.status !== 'planned') throw new UsageError(`slide ${number} is skipped (${slide.reason ?? 'skipped'}); nothing to generate`);
    const cost = slideCost(slide);
    if (cost.images > budgetLeft()) throw new UsageError(`slide ${number}: over --max-images (${options.maxImages} for this review)`);
    const { deck } = await plan();
    const outcome = await illustrateSlide(slide, { ...env, input: job.input, palette: deck.palette ?? [], usage: spent });
    await replan();
    if (outcome.report.status !== 'illustrated')
      throw new SlideIllustrateError(`slide ${number}: no picture (${outcome.report.reason ?? outcome.report.status})`);
    return `slide ${number}: ${outcome.report.cached?.image ? 'picture found in the cache' : 'new picture made'}`;
  };

  const state = async (): Promise<ReviewState> => {
    const { deck, directions } = await plan();
    const slides = await Promise.all(deck.slides.map((s) => reviewSlide(s, directionFor(directions, s), store)));
    const writeCost = slides.reduce(
      (sum, s) => (s.plan.status === 'planned' && !s.variants.cached[s.variants.chosen - 1] ? addCost(sum, s.costs.generate) : sum),
      noCost(),
    );
    return {
      input: job.input,
      output: job.output,
      sidecar: sidecarPath(job.input),
      title: deck.title,
      slideSize: deck.slideSize,
      backend: resources.backend,
      prices: resources.prices,
      slides,
      spent: { ...spent },
      ...(options.maxImages !== undefined && { budget: { max: options.maxImages, used: Math.min(paidImages, options.maxImages) } }),
      writeCost,
      written,
    };
  };

  return {
    state,
    async picture(number, variant) {
      const { slide } = await slideOf(number);
      const key = variantKeys(slide)[variant - 1];
      if (!key || !slide.box) return undefined;
      const box = slide.box;
      let thumb = thumbnails.get(key);
      if (!thumb) {
        const made = store.read('images', key).then((bytes) => (bytes ? makeThumbnail(bytes, box) : undefined));
        thumbnails.set(key, (thumb = made));
        // A miss is asked again next time: the picture may be generated by then.
        void made.then(
          (uri) => uri ?? thumbnails.delete(key),
          () => thumbnails.delete(key),
        );
      }
      const uri = await thumb;
      return uri === undefined ? undefined : Buffer.from(uri.slice(uri.indexOf(',') + 1), 'base64');
    },
    async act(number, action) {
      const { key, direction, slide } = await slideOf(number);
      switch (action.kind) {
        case 'accept': {
          const chosen = direction.variant ?? 1;
          await save(number, key, { variant: chosen, skip: null });
          return { message: `slide ${number}: variant ${chosen} accepted` };
        }
        case 'variant':
          if (action.variant > Math.max(1, variantKeys(slide).length))
            throw new UsageError(`slide ${number}: no variant ${action.variant}`);
          await save(number, key, { variant: action.variant });
          return { message: `slide ${number}: variant ${action.variant} chosen (free: it is in the cache)` };
        case 'skip':
          await save(
            number,
            key,
            action.skip ? { skip: true } : { skip: null, ...(direction.placement === 'none' && { placement: null }) },
          );
          return { message: `slide ${number}: ${action.skip ? 'skipped: the deck keeps it as it is' : 'will be illustrated'}` };
        case 'placement':
          await save(number, key, { placement: action.placement === 'auto' ? null : action.placement });
          return { message: `slide ${number}: placement ${action.placement}` };
        case 'generate':
          return { message: await generate(number) };
        case 'prompt': {
          if (slide.status === 'planned' && slideCost({ ...slide, paid: { prompt: true, image: false } }).images > budgetLeft())
            throw new UsageError(`slide ${number}: over --max-images (${options.maxImages} for this review)`);
          await save(number, key, { prompt: action.prompt });
          return { message: `prompt saved; ${await generate(number)}` };
        }
        case 'reroll': {
          if (slideCost({ ...slide, paid: { prompt: true, image: false } }).images > budgetLeft())
            throw new UsageError(`slide ${number}: over --max-images (${options.maxImages} for this review)`);
          const before = direction.reroll;
          await save(number, key, { reroll: (before ?? 0) + 1 });
          try {
            return { message: `re-rolled; ${await generate(number)}` };
          } catch (error) {
            // The old picture stays the slide's: a re-roll that made nothing is undone.
            await save(number, key, { reroll: before ?? null });
            throw error;
          }
        }
      }
    },
    async write() {
      await removeStaleTemps(path.dirname(job.output));
      const planning = startPlanning([job], config, resources.lookup, { backend: resources.backend });
      const batch = await applyPlan(planning, env);
      resources.reportCacheRepairs();
      await replan();
      const report = batch.decks[0]!;
      addUsage(spent, report.usage);
      const pictures = report.slides.filter((s) => s.status === 'illustrated').length;
      if (report.output) written = { output: report.output, status: report.status, pictures };
      if (report.status === 'failed' || report.status === 'refused')
        throw new SlideIllustrateError(report.error ?? `${job.input}: not written`);
      return { message: `written: ${report.output} (${pictures} picture${pictures === 1 ? '' : 's'})`, report };
    },
    async close() {
      current = undefined;
    },
  };
}

/** The keys of a slide's variants' images, in order (the first is the one a plain run uses). */
function variantKeys(slide: SlidePlan): string[] {
  return slide.keys?.image ? [slide.keys.image] : [];
}

/** How many pictures one generation of this slide makes. */
function variantCount(_slide: SlidePlan): number {
  return 1;
}

/** What generating the slide's picture costs now: its prompt when none is cached or given, and its images. */
function slideCost(slide: SlidePlan): ActionCost {
  if (slide.status !== 'planned') return noCost();
  const images = slide.paid?.image ? 0 : variantCount(slide);
  if (slide.paid?.prompt) return { images, promptTokens: 0, completionTokens: 0 };
  return { images: variantCount(slide), promptTokens: slide.cost?.promptTokens ?? 0, completionTokens: slide.cost?.completionTokens ?? 0 };
}

async function reviewSlide(slide: SlidePlan, direction: SlideDirection, store: CacheStore): Promise<ReviewSlide> {
  const keys = variantKeys(slide);
  const count = Math.max(1, keys.length, variantCount(slide));
  const cached = await Promise.all(Array.from({ length: count }, (_, i) => (keys[i] ? store.has('images', keys[i]) : false)));
  const chosen = Math.min(direction.variant ?? 1, count);
  const fresh = slideCost({ ...slide, paid: { prompt: slide.paid?.prompt ?? false, image: false } });
  return {
    plan: slide,
    key: slideKeyOf(slide),
    direction,
    variants: { count, chosen, cached },
    costs: { generate: slideCost(slide), reroll: fresh, prompt: { images: fresh.images, promptTokens: 0, completionTokens: 0 } },
  };
}

function noCost(): ActionCost {
  return { images: 0, promptTokens: 0, completionTokens: 0 };
}

function addCost(a: ActionCost, b: ActionCost): ActionCost {
  return {
    images: a.images + b.images,
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
  };
}
