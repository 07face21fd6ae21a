// Stage 3: one slide's picture, pipelined — its image starts as soon as its prompt is ready,
// each step under its own limiter (prompts, images, CPU).
import { messageOf } from '../errors.js';
import { fitImage, type FitOptions, type FittedImage } from '../images/fit-image.js';
import { preloadSharp } from '../images/sharp.js';
import type { SlidePlan } from '../model/run-plan.js';
import { OverBudgetError } from '../providers/image-budget.js';
import { picturesAsked } from '../providers/image-request.js';
import { slotOf } from '../internal/limiters.js';
import type { RunEnv } from './run-env.js';
import { addUsage, type SlideReport, type Usage } from '../model/report.js';
import type { DeckWriter } from '../pptx/deck-writer.js';
import type { PictureToAdd } from '../pptx/write-presentation.js';
import type { ImageRequest, ImageResult, PromptResult } from '../providers/types.js';

export interface SlideContext extends RunEnv {
  /** The deck's input path (events name it). */
  input: string;
  /** The deck's theme colours, passed to the image provider. */
  palette: string[];
  /** The deck's usage, added to as calls are paid for. */
  usage: Usage;
  /** The deck's output, open: each picture goes into it as soon as it is fitted. Unset, the outcome carries it. */
  writer?: Pick<DeckWriter, 'addSlide'> | undefined;
}

/** What the image provider is asked for a planned slide, once its prompt is written: the chosen variant of its generation. */
export function imageRequestOf(
  slide: Pick<SlidePlan, 'box' | 'variants' | 'variant' | 'reroll' | 'imageStyle'>,
  prompt: string,
  palette: string[],
): ImageRequest {
  const box = slide.box!;
  const req: ImageRequest = { prompt, aspect: box.cx / box.cy, palette };
  // Set only when they differ from a plain run's, so a plain request stays as it always was.
  if ((slide.variants ?? 1) > 1) req.variants = slide.variants;
  if ((slide.variant ?? 1) > 1) req.variant = slide.variant;
  if (slide.reroll) req.reroll = slide.reroll;
  if (slide.imageStyle) req.apiStyle = slide.imageStyle;
  return req;
}

/** Every variant's request of a slide (variant 1 first): the plan's keys and a review page's pictures. */
export function variantRequestsOf(slide: Parameters<typeof imageRequestOf>[0], prompt: string, palette: string[]): ImageRequest[] {
  const n = Math.max(slide.variants ?? 1, slide.variant ?? 1);
  return Array.from({ length: n }, (_, i) => imageRequestOf({ ...slide, variant: i + 1 }, prompt, palette));
}

export interface SlideOutcome {
  report: SlideReport;
  /** The picture, when no writer took it. */
  picture?: PictureToAdd;
  /** The picture went into the deck's writer. */
  written?: boolean;
}

// Prompt → image → fit for one planned slide; failures become a failed report, never a thrown error.
// The whole of it holds one picture slot (see Limiters.picture).
export function illustrateSlide(slide: SlidePlan, ctx: SlideContext): Promise<SlideOutcome> {
  return ctx.limiters.picture(() => illustrate(slide, ctx));
}

// The part of a slide's report its plan already knows.
export function plannedReport(
  slide: SlidePlan,
): Pick<SlideReport, 'number' | 'title' | 'box' | 'placement' | 'text' | 'reflow' | 'variants' | 'variant'> {
  const { number, title, box, placement, text, reflow } = slide;
  const variants = Math.max(slide.variants ?? 1, slide.variant ?? 1);
  return {
    number,
    title,
    ...(box && { box }),
    ...(placement && { placement }),
    text,
    ...(reflow && { reflow: { box: reflow.box, fontScale: reflow.fontScale, lnSpcReduction: reflow.lnSpcReduction } }),
    ...(variants > 1 && { variants, variant: slide.variant ?? 1 }),
  };
}

async function illustrate(slide: SlidePlan, ctx: SlideContext): Promise<SlideOutcome> {
  const box = slide.box!;
  const started = performance.now();
  const base = plannedReport(slide);
  let prompt: string | undefined;
  try {
    const written = await writeSlidePrompt(slide, ctx);
    prompt = written.prompt;
    const request = imageRequestOf(slide, written.prompt, ctx.palette);
    // Placeholders keep the whole picture and crop with a:srcRect, so the author can still move the crop.
    const fitOptions: FitOptions = { boxCx: box.cx, boxCy: box.cy, crop: slide.placement === 'placeholder' ? 'srcRect' : 'cover' };
    const { image, fitted } = await imageAndFit(request, fitOptions, slide.number, ctx);
    ctx.onEvent?.({ type: 'picture', input: ctx.input, slide: slide.number, data: fitted.data, box });
    const report: SlideReport = {
      ...base,
      status: 'illustrated',
      prompt: written.prompt,
      ms: Math.round(performance.now() - started),
      bytes: fitted.data.length,
      cached: { prompt: !!written.cached, image: !!image.cached },
    };
    const picture: PictureToAdd = {
      slidePart: slide.part,
      image: fitted.data,
      format: fitted.format,
      box,
      descr: written.prompt,
      z: slide.z ?? 'front',
      crop: fitted.srcRect,
      placeholderId: slide.placeholderId,
      reflow: slide.reflow,
    };
    if (!ctx.writer) return { report, picture };
    // Into the output now, within this slide's picture slot: no fitted picture waits for the deck's end.
    await ctx.writer.addSlide([picture]);
    return { report, written: true };
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    // A slide past --max-images is left for a later run, not a failure.
    const status = error instanceof OverBudgetError ? 'skipped' : 'failed';
    const report: SlideReport = { ...base, status, reason: messageOf(error), ms: Math.round(performance.now() - started) };
    if (prompt !== undefined) report.prompt = prompt;
    return { report };
  }
}

// The slide's prompt, under the LLM limiter; its usage counted unless it came from the cache.
// A direction's own prompt is used as it is: no LLM call, nothing paid.
export async function writeSlidePrompt(slide: SlidePlan, ctx: Omit<SlideContext, 'palette'>): Promise<PromptResult> {
  if (slide.promptSource === 'direction' && slide.prompt !== undefined) {
    ctx.onEvent?.({ type: 'prompt-done', input: ctx.input, slide: slide.number, cached: true });
    return { prompt: slide.prompt, cached: true };
  }
  const written = await ctx.limiters.llm(() => {
    ctx.signal?.throwIfAborted();
    return ctx.providers.prompt.writePrompt(slide.promptRequest!, { signal: ctx.signal });
  });
  if (!written.cached) addUsage(ctx.usage, { ...written.usage, llmCalls: ctx.backend.offline ? 0 : 1 });
  ctx.onEvent?.({ type: 'prompt-done', input: ctx.input, slide: slide.number, cached: !!written.cached });
  return written;
}

// --- internal ---

// The slide's image, fitted to its box. A picture fitted on an earlier run needs neither its image nor sharp.
async function imageAndFit(
  request: ImageRequest,
  fitOptions: FitOptions,
  slideNumber: number,
  ctx: SlideContext,
): Promise<{ image: { cached?: boolean | undefined }; fitted: FittedImage }> {
  const ready = await ctx.pictures?.lookup(request, fitOptions);
  if (ready) {
    ctx.onEvent?.({ type: 'image-done', input: ctx.input, slide: slideNumber, cached: true });
    return { image: { cached: true }, fitted: ready };
  }
  return ctx.limiters.decoded(() => fetchAndFit(request, fitOptions, slideNumber, ctx));
}

// Under a decoded-image place (see Limiters.decoded): the image, then its fit.
async function fetchAndFit(
  request: ImageRequest,
  fitOptions: FitOptions,
  slideNumber: number,
  ctx: SlideContext,
): Promise<{ image: { cached?: boolean | undefined }; fitted: FittedImage }> {
  // c images out at once. The provider takes the slot when its request leaves (a cache hit never
  // does) and gives it back as soon as the answer's status arrives (see ConcurrencySlot).
  const slot = slotOf(ctx.limiters.image);
  const { pacer } = ctx.limiters;
  const arrived = await pacer.request(ctx.signal);
  let image: ImageResult;
  try {
    ctx.signal?.throwIfAborted();
    const answer = ctx.providers.image.generateImage(request, { signal: ctx.signal, slot });
    preloadSharp();
    image = await answer;
    arrived(true);
  } finally {
    arrived(false);
    slot.release();
  }
  // A call for n variants is n pictures paid for: the cost and the summary count pictures.
  if (!image.cached) addUsage(ctx.usage, { images: ctx.backend.offline ? 0 : picturesAsked(request) });
  ctx.onEvent?.({ type: 'image-done', input: ctx.input, slide: slideNumber, cached: !!image.cached });
  const pictures = ctx.pictures;
  const fitted = pictures ? await pictures.fit(image, fitOptions, pacer.fit) : await pacer.fit(() => fitImage(image.data, fitOptions));
  return { image, fitted };
}
