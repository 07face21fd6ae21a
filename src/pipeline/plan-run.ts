// Read → plan: every deck is read once, its pictures planned (pure), and the cache asked what is
// already paid for. The result is the run plan (plain JSON, see model/run-plan.ts) plus the parsed
// decks the real run writes into, so nothing is read twice.
import path from 'node:path';
import pLimit from 'p-limit';
import type { CacheLookup } from '../cache/cached-providers.js';
import type { Config } from '../config/schema.js';
import { sidecarPath } from '../config/sidecar.js';
import {
  compactDirection,
  directionFor,
  MAX_VARIANTS,
  notesDirection,
  type DeckDirections,
  type SlideDirection,
} from '../model/directions.js';
import { DeckFormatError, messageOf, SlideIllustrateError } from '../errors.js';
import { RUN_PLAN_VERSION, totalPlan, type DeckPlan, type RunPlan, type SlidePlan } from '../model/run-plan.js';
import { readPresentationFile, type Presentation } from '../pptx/read-presentation.js';
import { cutAtBoundary, MAX_PROMPT_CHARS } from '../prompt/clean-prompt.js';
import { composeMessages } from '../prompt/compose.js';
import { deckStyle } from '../prompt/deck-style.js';
import type { BackendIdentity, PromptRequest } from '../providers/types.js';
import { excerptSlideText } from '../model/slide-text.js';
import { imageRequestOf, variantRequestsOf } from '../stages/illustrate-slide.js';
import { firstLine, NOT_SELECTED, planIllustrations } from '../stages/plan-illustrations.js';
import { plannerObstacles } from '../stages/planner-view.js';
import type { DeckJob } from './deck-jobs.js';

/** A common rule of thumb for the LLMs we use: about four characters of text per token. */
const CHARS_PER_TOKEN = 4;

/**
 * Decks read at once. Reading is CPU (unzip, XML) and disk; three keep both busy without holding
 * more half-parsed packages than needed.
 */
export const READ_CONCURRENCY = 3;

/**
 * The plan, and beside it the parsed decks it was made from (planned decks only), by input path.
 * Memory: a deck is held from its read until its apply takes it (takePresentation). When more decks
 * are planned than are read at once, each keeps only its zip once planned, not its parsed XML
 * (measured on the 172-deck corpus, 27 MB of files: 226 MB of heap with the parsed parts, 40 MB
 * without), so a folder run holds about its files' size plus the parsed slide models.
 */
export interface PlannedRun {
  plan: RunPlan;
  presentations: Map<string, Presentation>;
}

export interface PlanRunOptions {
  backend: BackendIdentity;
  /** Reads one deck (default readPresentationFile); a caller may start reads early or count them. */
  read?: ((input: string) => Promise<Presentation>) | undefined;
  /** What the decks' authors and this run's flags say about slides, styles and variants. */
  directions?: RunDirections | undefined;
  /** Inputs whose outputs are as the last complete run left them (probeOutputs): planned as unchanged, never read. */
  unchanged?: ReadonlySet<string> | undefined;
}

/** A run's directions: each deck's directions file, and the flags that apply to every deck of the run. */
export interface RunDirections {
  /** Each deck's directions (its talk.illustrate.json, read before planning), by input path. */
  byDeck?: ReadonlyMap<string, DeckDirections> | undefined;
  /** --slides: only these slide numbers are illustrated. */
  slides?: readonly number[] | undefined;
  /** --reroll: these slides get a new picture (a new re-roll generation). */
  reroll?: readonly number[] | undefined;
  /** --reprompt: these slides get a new prompt, and so a new picture. */
  reprompt?: readonly number[] | undefined;
  /** --variants / config variants: pictures per image call (1 to 5). */
  variants?: number | undefined;
  /** --style: the style prompt of every deck, over its directions file and the config. */
  style?: string | undefined;
  /** --image-style: the image API's style value, over the directions file and config image.apiStyle. */
  imageStyle?: string | undefined;
}

/**
 * A plan being made deck by deck, so a run that needs no totals first (no cost question) can apply
 * each deck as soon as it is planned. Asking for deck i starts its read and plan, and those of the
 * next READ_CONCURRENCY decks; each is read once, whoever asks.
 */
export interface PlanningRun {
  jobs: DeckJob[];
  backend: BackendIdentity;
  /** Deck i's plan (never rejects: a deck that cannot be read is planned as refused or failed). */
  deck(i: number): Promise<DeckPlan>;
  /** Planned decks' parsed presentations, by input path, until their apply takes them. */
  presentations: Map<string, Presentation>;
}

// Starts planning: nothing is read until a deck is asked for.
export function startPlanning(jobs: DeckJob[], config: Config, cache: CacheLookup, options: PlanRunOptions): PlanningRun {
  const read = options.read ?? readPresentationFile;
  const presentations = new Map<string, Presentation>();
  const limit = pLimit(READ_CONCURRENCY);
  const started = new Map<number, Promise<DeckPlan>>();
  const planOne = async (job: DeckJob): Promise<DeckPlan> => {
    const unread = { input: job.input, output: job.output, slides: [] };
    if (options.unchanged?.has(job.input)) return { ...unread, status: 'unchanged' };
    if (path.resolve(job.input) === path.resolve(job.output)) {
      return { ...unread, status: 'refused', error: `${job.input}: the output would overwrite the input; choose another --out` };
    }
    try {
      const pres = await read(job.input);
      const deck = await planDeck(job, pres, config, cache, options.directions);
      // Decks that may wait for a slot keep only their zip (see Package.forgetParsedXml).
      if (jobs.length > READ_CONCURRENCY) pres.pkg.forgetParsedXml();
      presentations.set(job.input, pres);
      return deck;
    } catch (error) {
      const message = error instanceof SlideIllustrateError ? error.message : `${job.input}: ${messageOf(error)}`;
      return { ...unread, status: error instanceof DeckFormatError ? 'refused' : 'failed', error: message };
    }
  };
  const start = (i: number): Promise<DeckPlan> => {
    let planned = started.get(i);
    if (!planned) started.set(i, (planned = limit(() => planOne(jobs[i]!))));
    return planned;
  };
  return {
    jobs,
    backend: { kind: options.backend.kind, offline: options.backend.offline },
    presentations,
    deck(i) {
      const planned = start(i);
      for (let next = i + 1; next < Math.min(jobs.length, i + 1 + READ_CONCURRENCY); next++) void start(next);
      return planned;
    },
  };
}

// Plans every deck still unplanned; the whole plan, with totals.
export async function finishPlanning(planning: PlanningRun): Promise<PlannedRun> {
  const decks = await Promise.all(planning.jobs.map((_, i) => planning.deck(i)));
  return {
    plan: { version: RUN_PLAN_VERSION, backend: planning.backend, decks, totals: totalPlan(decks) },
    presentations: planning.presentations,
  };
}

// Reads and plans every deck; a deck that cannot be read is in the plan as refused or failed.
export function planRun(jobs: DeckJob[], config: Config, cache: CacheLookup, options: PlanRunOptions): Promise<PlannedRun> {
  return finishPlanning(startPlanning(jobs, config, cache, options));
}

// Starts reading the given decks now (while the backend checks its account, say). The reader it
// returns hands each of them over once, and reads any other deck when asked: one read per deck.
export function readAhead(
  inputs: string[],
  read: (input: string) => Promise<Presentation> = readPresentationFile,
): (input: string) => Promise<Presentation> {
  const early = new Map(
    inputs.map((input) => {
      const reading = read(input);
      // A deck that cannot be read fails when the plan takes it, as it would have anyway.
      reading.catch(() => undefined);
      return [input, reading];
    }),
  );
  return (input) => {
    const reading = early.get(input);
    early.delete(input);
    return reading ?? read(input);
  };
}

// Takes a deck out of the planned run as its apply starts, so none is held past its own write.
export function takePresentation(run: Pick<PlannedRun, 'presentations'>, input: string): Presentation | undefined {
  const pres = run.presentations.get(input);
  run.presentations.delete(input);
  return pres;
}

// --- internal ---

async function planDeck(job: DeckJob, pres: Presentation, config: Config, cache: CacheLookup, run: RunDirections = {}): Promise<DeckPlan> {
  const written = run.byDeck?.get(job.input);
  // Each slide's direction (directions file over `illustrate:` notes lines), and its notes without those lines.
  const told = new Map<number, { direction: SlideDirection; notes: string }>();
  for (const s of pres.slides) {
    const fromNotes = notesDirection(s.text.notes);
    told.set(s.number, { direction: directionFor(written, s, fromNotes.direction), notes: fromNotes.notes });
  }
  const only = run.slides && new Set(run.slides);
  const directions = new Map([...told].map(([n, t]) => [n, t.direction]));
  const { planned, skipped } = planIllustrations(pres, { placement: config.placement, skipSlides: config.skipSlides, directions, only });
  // One style for the deck: --style, else its directions file, else the config, else the theme's.
  const style = deckStyle(run.style ?? written?.style ?? config.image.style, pres.theme);
  // The API style the deck's pictures are asked with; a request names it only when it is not the
  // configured one (the provider sends that already), so the same style never keys a second picture.
  const imageStyle = run.imageStyle ?? written?.imageStyle ?? config.image.apiStyle;
  const requestStyle = imageStyle !== config.image.apiStyle ? imageStyle : undefined;
  const palette = pres.theme.palette;
  const rerolls = new Set(run.reroll ?? []);
  const reprompts = new Set(run.reprompt ?? []);
  const idOf = (n: number) => ({ slideId: pres.slides[n - 1]?.slideId ?? '', part: pres.slides[n - 1]?.part ?? '' });
  const shown = (n: number) => {
    const d = told.get(n)?.direction;
    return d && Object.keys(d).length ? { direction: d } : {};
  };
  const slides: SlidePlan[] = skipped.map((s) => ({
    number: s.number,
    ...idOf(s.number),
    title: s.title,
    // The notes as the LLM would see them: `illustrate:` lines are directions, shown as such.
    text: told.has(s.number) ? excerptSlideText({ ...slideOf(pres, s.number)!.text, notes: told.get(s.number)!.notes }) : s.text!,
    status: 'skipped',
    reason: s.reason ?? 'skipped',
    ...shown(s.number),
    ...(slideOf(pres, s.number) && { obstacles: plannerObstacles(slideOf(pres, s.number)!, pres.slideSize) }),
  }));
  for (const p of planned) {
    const { slide } = p;
    const { direction: asked, notes } = told.get(slide.number) ?? { direction: {}, notes: slide.text.notes };
    // --reprompt makes a new prompt and so a new picture; --reroll a new picture: one generation up each.
    const reprompt = (asked.reprompt ?? 0) + (reprompts.has(slide.number) ? 1 : 0);
    const reroll = (asked.reroll ?? 0) + (rerolls.has(slide.number) || reprompts.has(slide.number) ? 1 : 0);
    const rerolled = reroll !== (asked.reroll ?? 0);
    const direction = compactDirection({ ...asked, ...(reroll && { reroll }), ...(reprompt && { reprompt }) });
    const variant = Math.min(asked.variant ?? 1, MAX_VARIANTS);
    const variants = Math.min(Math.max(run.variants ?? config.variants, variant), MAX_VARIANTS);
    const promptRequest: PromptRequest = {
      slide: { ...slide.text, notes },
      deckTitle: pres.title,
      style: asked.style?.trim() || style,
      maxChars: MAX_PROMPT_CHARS,
      slideNumber: slide.number,
      ...(asked.subject && { subject: asked.subject }),
      ...(reprompt && { reprompt }),
    };
    const entry: SlidePlan = {
      number: slide.number,
      ...idOf(slide.number),
      title: firstLine(slide.text.title),
      text: excerptSlideText({ ...slide.text, notes }),
      status: 'planned',
      box: p.box,
      placement: p.placement,
      z: p.z,
      ...(p.placeholderId !== undefined && { placeholderId: p.placeholderId }),
      ...(p.reflow && { reflow: p.reflow }),
      obstacles: plannerObstacles(slide, pres.slideSize, p.reflow),
      ...(Object.keys(direction).length && { direction }),
      ...(rerolled && { rerolled }),
      promptSource: asked.prompt !== undefined ? 'direction' : 'llm',
      promptRequest,
      variants,
      variant,
      ...(reroll && { reroll }),
      ...(requestStyle && { imageStyle: requestStyle }),
    };
    slides.push(await priced(entry, promptRequest, palette, config, cache));
  }
  slides.sort((a, b) => a.number - b.number);
  const warnings = [...unmatchedSlides(slides, run), ...unmatchedKeys(written, pres)];
  const { slideSize, title, signed } = pres;
  return {
    input: job.input,
    output: job.output,
    status: 'planned',
    slideSize,
    title,
    style,
    ...(imageStyle && { imageStyle }),
    ...(written && { directionsFile: sidecarPath(job.input) }),
    ...(warnings.length && { warnings }),
    palette,
    signed,
    slides,
  };
}

// A slide --reroll, --reprompt or --slides names that gets no picture in this run: said, rather than silently nothing.
function unmatchedSlides(slides: SlidePlan[], run: RunDirections): string[] {
  const out: string[] = [];
  for (const [flag, numbers] of [
    ['--reroll', run.reroll],
    ['--reprompt', run.reprompt],
    ['--slides', run.slides],
  ] as const) {
    for (const n of numbers ?? []) {
      const slide = slides.find((s) => s.number === n);
      if (!slide) out.push(`${flag} ${n}: the deck has ${slides.length} slide${slides.length === 1 ? '' : 's'}`);
      else if (slide.status === 'skipped' && slide.reason !== NOT_SELECTED)
        out.push(`${flag} ${n}: slide ${n} is skipped (${slide.reason})`);
    }
  }
  return out;
}

// A directions-file entry that names no slide of the deck (a slide deleted since, a typo) does nothing: said, naming its key.
function unmatchedKeys(written: DeckDirections | undefined, pres: Presentation): string[] {
  if (!written) return [];
  const ids = new Set(pres.slides.map((s) => s.slideId).filter(Boolean));
  return Object.keys(written.slides)
    .filter((key) => (key.startsWith('id:') ? !ids.has(key.slice(3)) : Number(key) > pres.slides.length))
    .map((key) => `slides.${key} in the directions file names no slide of the deck (${pres.slides.length} slides); it is ignored`);
}

function slideOf(pres: Presentation, number: number) {
  const at = pres.slides[number - 1];
  return at?.number === number ? at : pres.slides.find((s) => s.number === number);
}

// The slide's cache keys, what of it is paid for already, and what it would still cost. A slide
// whose prompt is not cached yet pays for its image too: its image key depends on that prompt.
// A direction's prompt is known without a call; every variant's key and whether it is cached are
// in the plan, so a review page shows them and a switch of variant is known to be free.
async function priced(entry: SlidePlan, req: PromptRequest, palette: string[], config: Config, cache: CacheLookup): Promise<SlidePlan> {
  const promptKey = cache.promptKey(req);
  // As the image request will carry it: one line, cut at a word boundary to the API's limit.
  const written = entry.promptSource === 'direction' ? entry.direction?.prompt?.replace(/\s+/g, ' ').trim() : undefined;
  const verbatim = written === undefined ? undefined : cutAtBoundary(written, MAX_PROMPT_CHARS);
  const prompt = verbatim ?? (await cache.prompt(req));
  // Pictures one image call makes for this slide (all its variants), each paid for.
  const pictures = Math.max(entry.variants ?? 1, entry.variant ?? 1);
  if (prompt === undefined) {
    const m = composeMessages(req, config.llm.systemPrompt, config.llm.userPrompt);
    const promptTokens = Math.ceil((m.system.length + m.user.length) / CHARS_PER_TOKEN);
    const cost = { images: pictures, promptTokens, completionTokens: config.llm.maxTokens };
    return { ...entry, keys: { prompt: promptKey }, paid: { prompt: false, image: false }, cost };
  }
  const requests = variantRequestsOf(entry, prompt, palette);
  const variants = await Promise.all(requests.map((r) => cache.isImageCached(r)));
  const chosen = (entry.variant ?? 1) - 1;
  const paid = variants[chosen]!;
  const cost = { images: paid ? 0 : pictures, promptTokens: 0, completionTokens: 0 };
  const keys = { prompt: promptKey, image: cache.imageKey(imageRequestOf(entry, prompt, palette)), variants: requests.map(cache.imageKey) };
  return { ...entry, keys, paid: { prompt: true, image: paid, variants }, prompt, cost };
}
