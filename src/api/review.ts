// The library's review API: one deck, its plan re-made after every decision, each decision saved to
// the deck's directions file (config/sidecar.ts) at once, pictures paid for one slide at a time,
// and the deck written from the plan. The review page (src/review) is a thin server over this.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { openCacheStore, type CacheStore } from '../cache/cache-store.js';
import { readSidecar, sidecarPath, updateSlideDirection } from '../config/sidecar.js';
import type { Config } from '../config/schema.js';
import { SlideIllustrateError, UsageError } from '../errors.js';
import type { Prices } from '../model/cost.js';
import { slideKeyOf, type DeckDirections, type DirectionPlacement, type SlideDirection } from '../model/directions.js';
import { addUsage, emptyUsage, type DeckReport, type Usage } from '../model/report.js';
import type { DeckPlan, SlidePlan } from '../model/run-plan.js';
import type { DeckJob } from '../pipeline/deck-jobs.js';
import { startPlanning, type RunDirections } from '../pipeline/plan-run.js';
import { applyPlan } from '../pipeline/run-batch.js';
import { createRunResources, type RunResourceOptions, type RunResources } from '../pipeline/run-resources.js';
import { readPresentationFile, type Presentation } from '../pptx/read-presentation.js';
import type { BackendIdentity } from '../providers/types.js';
import { makeThumbnail } from '../report/thumbnail.js';
import { illustrateSlide } from '../stages/illustrate-slide.js';
import { checkDirections, findDeckJobs } from './run.js';

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
  /** What planning noticed (e.g. a directions-file entry that names no slide of the deck). */
  warnings: string[];
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
  /** Pictures per generation, 1 to 5 (default: config variants). */
  variants?: number | undefined;
  signal?: AbortSignal | undefined;
}

// Opens a review of one deck: finds its output, checks its directions file (a bad one is a
// ConfigError naming the key), opens the backend with the cache, and plans the deck.
export async function openReview(deck: string, options: ReviewOptions): Promise<ReviewSession> {
  const { config, cwd } = options;
  checkDirections({ variants: options.variants });
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

function createSession(job: DeckJob, config: Config, resources: RunResources, store: CacheStore, options: ReviewOptions): ReviewSession {
  const spent = emptyUsage();
  /** Images paid for by this review (offline ones too: --max-images counts what reaches the backend). */
  let paidImages = 0;
  let written: ReviewState['written'];
  let current: Promise<DeckPlan> | undefined;
  const thumbnails = new Map<string, Promise<string | undefined>>();
  const env = { ...resources, signal: options.signal };
  // Planning reads the deck once while it is unchanged on disk (a 48-slide deck takes ~1.5 s to parse);
  // writing reads it afresh (the writer takes the parsed deck over).
  let parsed: { stamp: string; pres: Promise<Presentation> } | undefined;
  const read = async (input: string): Promise<Presentation> => {
    const info = await stat(input);
    const stamp = `${info.size}:${info.mtimeMs}`;
    if (parsed?.stamp !== stamp) parsed = { stamp, pres: readPresentationFile(input) };
    const pres = parsed.pres;
    pres.catch(() => {
      if (parsed?.pres === pres) parsed = undefined;
    });
    return pres;
  };

  /** The deck planned with its directions file as it is now (and, for a re-roll, the slide's next generation). */
  const planDeck = async (extra: Omit<RunDirections, 'byDeck'> = {}): Promise<DeckPlan> => {
    const directions = await readSidecar(job.input);
    const byDeck = new Map(directions ? [[job.input, directions]] : []);
    const directed = { variants: options.variants, ...extra, byDeck };
    const planning = startPlanning([job], config, resources.lookup, { backend: resources.backend, directions: directed, read });
    const deck = await planning.deck(0);
    if (deck.status !== 'planned') throw new UsageError(deck.error ?? `${job.input}: cannot be planned`);
    return deck;
  };
  const plan = (): Promise<DeckPlan> =>
    (current ??= planDeck().catch((error: unknown) => {
      current = undefined;
      throw error;
    }));
  const replan = () => {
    current = undefined;
    return plan();
  };
  const slideOf = async (number: number, deck?: DeckPlan) => {
    const { slides } = deck ?? (await plan());
    const slide = slides.find((s) => s.number === number);
    if (!slide) throw new UsageError(`slide ${number}: the deck has ${slides.length} slides`);
    return { slide, key: slideKeyOf(slide), direction: slide.direction ?? {} };
  };
  const checkBudget = (what: string, images: number) => {
    const max = options.maxImages;
    if (max !== undefined && images > max - paidImages)
      throw new UsageError(`${what}: ${plural(images, 'image')} would go over --max-images (${max - paidImages} of ${max} left)`);
  };
  const save = async (number: number, key: string, patch: Parameters<typeof updateSlideDirection>[2]) => {
    await updateSlideDirection(job.input, key, patch, { number });
    await replan();
  };

  // Pays for one slide's picture (its variants, and its prompt when none is cached or given).
  // A re-roll plans the slide's next generation, saved to the directions file once its picture is made.
  const generate = async (number: number, reroll = false): Promise<string> => {
    const deck = reroll ? await planDeck({ reroll: [number] }) : await plan();
    const { slide, key } = await slideOf(number, deck);
    if (slide.status !== 'planned') throw new UsageError(`slide ${number} is skipped (${slide.reason ?? 'skipped'}); nothing to generate`);
    checkBudget(`slide ${number}`, slideCost(slide).images);
    const outcome = await illustrateSlide(slide, { ...env, input: job.input, palette: deck.palette ?? [], usage: spent });
    if (outcome.report.cached?.image === false) paidImages += slide.variants ?? 1;
    if (outcome.report.status === 'illustrated' && slide.rerolled)
      await updateSlideDirection(job.input, key, { reroll: slide.direction?.reroll, reprompt: slide.direction?.reprompt }, { number });
    await replan();
    if (outcome.report.status !== 'illustrated')
      throw new SlideIllustrateError(`slide ${number}: no picture (${outcome.report.reason ?? outcome.report.status})`);
    return `slide ${number}: ${outcome.report.cached?.image ? 'picture found in the cache' : `${plural(slide.variants ?? 1, 'new picture')} made`}`;
  };

  const state = async (): Promise<ReviewState> => {
    const deck = await plan();
    const slides = await Promise.all(deck.slides.map((s) => reviewSlide(s, store)));
    const writeCost = slides.reduce((sum, s) => addCost(sum, s.costs.generate), noCost());
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
      warnings: deck.warnings ?? [],
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
          const chosen = slide.variant ?? 1;
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
        case 'prompt':
          // The prompt is the person's own words: saved first, kept even when no picture can be made for it now.
          await save(number, key, { prompt: action.prompt });
          return { message: `prompt saved; ${await generate(number)}` };
        case 'reroll':
          return { message: `re-rolled; ${await generate(number, true)}` };
      }
    },
    async write() {
      const deck = await replan();
      checkBudget('writing the deck', slideCostOfDeck(deck));
      const planning = startPlanning([job], config, resources.lookup, {
        backend: resources.backend,
        directions: { variants: options.variants, byDeck: new Map(await sidecarEntry(job.input)) },
      });
      const batch = await applyPlan(planning, env);
      resources.reportCacheRepairs();
      await replan();
      const report = batch.decks[0]!;
      addUsage(spent, report.usage);
      for (const s of report.slides)
        if (s.cached?.image === false) paidImages += deck.slides.find((p) => p.number === s.number)?.variants ?? 1;
      const pictures = report.slides.filter((s) => s.status === 'illustrated').length;
      if (report.output) written = { output: report.output, status: report.status, pictures };
      if (report.status === 'failed' || report.status === 'refused')
        throw new SlideIllustrateError(report.error ?? `${job.input}: not written`);
      return { message: `written: ${report.output} (${plural(pictures, 'picture')})`, report };
    },
    async close() {
      current = undefined;
    },
  };
}

async function sidecarEntry(input: string): Promise<[string, DeckDirections][]> {
  const directions = await readSidecar(input);
  return directions ? [[input, directions]] : [];
}

/** The keys of a slide's variants' images, in order (variant 1 first). */
function variantKeys(slide: SlidePlan): string[] {
  return slide.keys?.variants ?? (slide.keys?.image ? [slide.keys.image] : []);
}

/** What generating the slide's chosen picture costs now (0 when it is cached). */
function slideCost(slide: SlidePlan): ActionCost {
  if (slide.status !== 'planned') return noCost();
  return {
    images: slide.cost?.images ?? 0,
    promptTokens: slide.cost?.promptTokens ?? 0,
    completionTokens: slide.cost?.completionTokens ?? 0,
  };
}

function slideCostOfDeck(deck: DeckPlan): number {
  return deck.slides.reduce((n, s) => n + slideCost(s).images, 0);
}

async function reviewSlide(slide: SlidePlan, store: CacheStore): Promise<ReviewSlide> {
  const keys = variantKeys(slide);
  const count = Math.max(1, keys.length, slide.variants ?? 1);
  const cached = await Promise.all(
    Array.from({ length: count }, (_, i) => slide.paid?.variants?.[i] ?? (keys[i] ? store.has('images', keys[i]) : false)),
  );
  const chosen = Math.min(slide.variant ?? 1, count);
  const planned = slide.status === 'planned';
  const images = planned ? (slide.variants ?? 1) : 0;
  // A re-roll keeps the prompt (written again only when none is cached); an edited prompt needs no LLM.
  const reroll = { ...slideCost(slide), images };
  return {
    plan: slide,
    key: slideKeyOf(slide),
    direction: slide.direction ?? {},
    variants: { count, chosen, cached },
    costs: { generate: slideCost(slide), reroll, prompt: { images, promptTokens: 0, completionTokens: 0 } },
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
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
