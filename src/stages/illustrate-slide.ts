// Stage 3: one slide's picture, pipelined — its image starts as soon as its prompt is ready,
// each step under its own limiter (prompts, images, CPU).
import { fitImage, type FitOptions, type FittedImage } from '../images/fit-image.js';
import { preloadSharp } from '../images/sharp.js';
import { slotOf, type Limiters } from '../pipeline/limiters.js';
import { prepareMedia } from '../pptx/deflated-part.js';
import type { MediaSpool } from '../pptx/media-spool.js';
import type { PictureToAdd } from '../pptx/write-presentation.js';
import type { ImageRequest, ImageResult, PromptRequest, Providers } from '../providers/types.js';
import { MAX_PROMPT_CHARS } from '../prompt/clean-prompt.js';
import { OverBudgetError } from '../pipeline/budget.js';
import { addUsage, type SlideReport, type Usage, type PipelineEvent } from '../pipeline/types.js';
import { firstLine, type PlannedSlide } from './plan-illustrations.js';
import { messageOf } from '../errors.js';
import { excerptSlideText } from '../report/slide-excerpt.js';
import { makeThumbnail } from '../report/thumbnail.js';

export const name = 'illustrate-slide';

export interface SlideContext {
  input: string;
  deckTitle: string;
  style: string;
  palette: string[];
  providers: Providers;
  limiters: Limiters;
  usage: Usage;
  /** Also make a small JPEG of each picture for the HTML report (costs CPU, so only when asked). */
  thumbnails?: boolean | undefined;
  signal?: AbortSignal | undefined;
  onEvent?: ((event: PipelineEvent) => void) | undefined;
  /** Where fitted pictures wait for the deck's write (see media-spool.ts); unset, in memory. */
  spool?: MediaSpool | undefined;
  /** --dry-run: write the prompt, then only ask whether its image is cached (no image call). */
  dryRun?: { isImageCached(req: ImageRequest): Promise<boolean> } | undefined;
}

/** What the prompt provider is asked for one slide. */
export function promptRequestOf(plan: PlannedSlide, ctx: Pick<SlideContext, 'deckTitle' | 'style'>): PromptRequest {
  return { slide: plan.slide.text, deckTitle: ctx.deckTitle, style: ctx.style, maxChars: MAX_PROMPT_CHARS, slideNumber: plan.slide.number };
}

/** What the image provider is asked for one slide, once its prompt is written. */
export function imageRequestOf(plan: PlannedSlide, prompt: string, ctx: Pick<SlideContext, 'palette'>): ImageRequest {
  return { prompt, aspect: plan.box.cx / plan.box.cy, palette: ctx.palette };
}

export interface SlideOutcome {
  report: SlideReport;
  picture?: PictureToAdd;
}

// Prompt → image → fit for one slide; failures become a failed report, never a thrown error.
// In a dry run the slide stops after its prompt; "illustrated" then means "would be".
// The whole of it holds one picture slot (see Limiters.picture).
export function illustrateSlide(plan: PlannedSlide, ctx: SlideContext): Promise<SlideOutcome> {
  return ctx.limiters.picture(() => illustrate(plan, ctx));
}

async function illustrate(plan: PlannedSlide, ctx: SlideContext): Promise<SlideOutcome> {
  const { slide, box } = plan;
  const started = performance.now();
  const reflow = plan.reflow && { box: plan.reflow.box, fontScale: plan.reflow.fontScale, lnSpcReduction: plan.reflow.lnSpcReduction };
  const base = { number: slide.number, title: firstLine(slide.text.title), box, placement: plan.placement, text: excerptSlideText(slide.text), ...(reflow && { reflow }) };
  let prompt: string | undefined;
  try {
    const written = await ctx.limiters.llm(() => {
      ctx.signal?.throwIfAborted();
      return ctx.providers.prompt.writePrompt(promptRequestOf(plan, ctx), { signal: ctx.signal });
    });
    prompt = written.prompt;
    if (!written.cached) addUsage(ctx.usage, { ...written.usage, llmCalls: ctx.providers.offline ? 0 : 1 });
    ctx.onEvent?.({ type: 'prompt-done', input: ctx.input, slide: slide.number, cached: !!written.cached });
    const request = imageRequestOf(plan, written.prompt, ctx);
    if (ctx.dryRun) {
      const cached = { prompt: !!written.cached, image: await ctx.dryRun.isImageCached(request) };
      return { report: { ...base, status: 'illustrated', prompt: written.prompt, ms: Math.round(performance.now() - started), cached } };
    }
    // Placeholders keep the whole picture and crop with a:srcRect, so the author can still move the crop.
    const fitOptions: FitOptions = { boxCx: box.cx, boxCy: box.cy, crop: plan.placement === 'placeholder' ? 'srcRect' : 'cover' };
    const { image, fitted } = await imageAndFit(request, fitOptions, slide.number, ctx);
    const thumbnail = ctx.thumbnails ? await ctx.limiters.cpu(() => thumbnailOf(fitted.data, box)) : undefined;
    const report: SlideReport = {
      ...base,
      status: 'illustrated',
      prompt: written.prompt,
      ms: Math.round(performance.now() - started),
      bytes: fitted.data.length,
      cached: { prompt: !!written.cached, image: !!image.cached },
      ...(thumbnail && { thumbnail }),
    };
    // Hashed, deflated and spooled now: the picture waits for the deck's write on disk.
    const media = await prepareMedia(fitted.data, ctx.spool);
    const picture: PictureToAdd = { slidePart: slide.part, image: media, format: fitted.format, box, descr: written.prompt, z: plan.z, crop: fitted.srcRect, placeholderId: plan.placeholderId, reflow: plan.reflow };
    return { report, picture };
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    // A slide past --max-images is left for a later run, not a failure.
    const status = error instanceof OverBudgetError ? 'skipped' : 'failed';
    const report: SlideReport = { ...base, status, reason: messageOf(error), ms: Math.round(performance.now() - started) };
    if (prompt !== undefined) report.prompt = prompt;
    return { report };
  }
}

// --- internal ---

// The slide's image, fitted to its box. A picture fitted on an earlier run needs neither its image nor sharp.
async function imageAndFit(request: ImageRequest, fitOptions: FitOptions, slideNumber: number, ctx: SlideContext): Promise<{ image: { cached?: boolean | undefined }; fitted: FittedImage }> {
  const ready = await ctx.providers.pictures?.lookup(request, fitOptions);
  if (ready) {
    ctx.onEvent?.({ type: 'image-done', input: ctx.input, slide: slideNumber, cached: true });
    return { image: { cached: true }, fitted: ready };
  }
  return ctx.limiters.decoded(() => fetchAndFit(request, fitOptions, slideNumber, ctx));
}

// Under a decoded-image place (see Limiters.decoded): the image, then its fit.
async function fetchAndFit(request: ImageRequest, fitOptions: FitOptions, slideNumber: number, ctx: SlideContext): Promise<{ image: { cached?: boolean | undefined }; fitted: FittedImage }> {
  // c images out at once. The provider takes the slot when its request leaves (a cache hit never
  // does) and gives it back as soon as the answer arrives (see ConcurrencySlot).
  const slot = slotOf(ctx.limiters.image);
  let image: ImageResult;
  try {
    ctx.signal?.throwIfAborted();
    const answer = ctx.providers.image.generateImage(request, { signal: ctx.signal, slot });
    preloadSharp();
    image = await answer;
  } finally {
    slot.release();
  }
  if (!image.cached) addUsage(ctx.usage, { images: ctx.providers.offline ? 0 : 1 });
  ctx.onEvent?.({ type: 'image-done', input: ctx.input, slide: slideNumber, cached: !!image.cached });
  const pictures = ctx.providers.pictures;
  return { image, fitted: await ctx.limiters.cpu(() => (pictures ? pictures.fit(image, fitOptions) : fitImage(image.data, fitOptions))) };
}

/** A thumbnail that cannot be made only leaves the report without a preview; the slide is still illustrated. */
async function thumbnailOf(picture: Buffer, box: { cx: number; cy: number }): Promise<string | undefined> {
  try {
    return await makeThumbnail(picture, box);
  } catch {
    return undefined;
  }
}
