// --dry-run's stage: a planned slide's prompt is written (and cached, so the real run reuses it),
// then the cache is asked whether its image exists. No image call, nothing fitted or written.
import { messageOf } from '../errors.js';
import type { SlidePlan } from '../model/run-plan.js';
import type { SlideReport } from '../model/report.js';
import type { ImageRequest } from '../providers/types.js';
import { imageRequestOf, plannedReport, writeSlidePrompt, type SlideContext } from './illustrate-slide.js';

export interface DraftContext extends Omit<SlideContext, 'spool'> {
  isImageCached(req: ImageRequest): Promise<boolean>;
}

// The slide's report as the real run would make it, "illustrated" meaning "would be".
export async function draftPrompt(slide: SlidePlan, ctx: DraftContext): Promise<SlideReport> {
  const started = performance.now();
  const base = plannedReport(slide);
  try {
    const written = await writeSlidePrompt(slide, ctx);
    const cached = { prompt: !!written.cached, image: await ctx.isImageCached(imageRequestOf(slide, written.prompt, ctx.palette)) };
    return { ...base, status: 'illustrated', prompt: written.prompt, ms: Math.round(performance.now() - started), cached };
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    return { ...base, status: 'failed', reason: messageOf(error), ms: Math.round(performance.now() - started) };
  }
}
