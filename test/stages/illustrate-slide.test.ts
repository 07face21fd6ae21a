import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { SlidePlan } from '../../src/model/run-plan.js';
import { OverBudgetError } from '../../src/providers/image-budget.js';
import { createLimiters } from '../../src/internal/limiters.js';
import { emptyUsage, type PipelineEvent } from '../../src/model/report.js';
import type { ImageRequest, Providers } from '../../src/providers/types.js';
import { illustrateSlide, imageRequestOf, type SlideContext } from '../../src/stages/illustrate-slide.js';

const EMU = 914_400;
const slide: SlidePlan = {
  number: 3,
  slideId: '258',
  part: 'ppt/slides/slide3.xml',
  title: 'Harbour',
  text: { title: 'Harbour', body: 'Boats at dawn', notes: '' },
  status: 'planned',
  box: { x: EMU, y: EMU, cx: 4 * EMU, cy: 2 * EMU },
  placement: 'placeholder',
  z: 'front',
  placeholderId: '7',
  promptRequest: {
    slide: { title: 'Harbour', body: 'Boats at dawn', notes: '' },
    deckTitle: 'Ports',
    style: 'flat',
    maxChars: 900,
    slideNumber: 3,
  },
};

const png = (w: number, h: number) =>
  sharp({ create: { width: w, height: h, channels: 3, background: '#336699' } })
    .png()
    .toBuffer();

function providers(image: (req: ImageRequest) => Promise<Buffer>, cached = false): Providers & { seen: ImageRequest[] } {
  const seen: ImageRequest[] = [];
  return {
    seen,
    prompt: {
      name: 'fake',
      promptFingerprint: 'p',
      writePrompt: async (req) => ({ prompt: `A harbour for ${req.deckTitle}`, usage: { promptTokens: 12, completionTokens: 7 }, cached }),
    },
    image: {
      name: 'fake',
      imageFingerprint: 'i',
      generateImage: async (req) => {
        seen.push(req);
        return { data: await image(req), cached };
      },
    },
  };
}

function context(p: Providers, options: { offline?: boolean; signal?: AbortSignal } = {}): SlideContext & { events: PipelineEvent[] } {
  const events: PipelineEvent[] = [];
  return {
    events,
    backend: { kind: 'fake', offline: options.offline ?? false },
    providers: p,
    limiters: createLimiters({ llm: 1, image: 1 }),
    input: 'deck.pptx',
    palette: ['#112233'],
    usage: emptyUsage(),
    signal: options.signal,
    onEvent: (e) => events.push(e),
  };
}

describe('illustrateSlide', () => {
  it('writes the prompt, asks for an image at the box aspect, fits it and returns the picture for the slide part', async () => {
    const p = providers(() => png(400, 200));
    const ctx = context(p);
    const { report, picture } = await illustrateSlide(slide, ctx);
    expect(p.seen).toEqual([imageRequestOf(slide, 'A harbour for Ports', ['#112233'])]);
    expect(p.seen[0]!.aspect).toBe(2);
    expect(report).toMatchObject({
      number: 3,
      status: 'illustrated',
      prompt: 'A harbour for Ports',
      placement: 'placeholder',
      cached: { prompt: false, image: false },
      box: slide.box,
    });
    expect(picture).toMatchObject({
      slidePart: 'ppt/slides/slide3.xml',
      box: slide.box,
      descr: 'A harbour for Ports',
      z: 'front',
      placeholderId: '7',
    });
    expect(report.bytes).toBeGreaterThan(0);
    expect(ctx.usage).toMatchObject({ llmCalls: 1, images: 1, promptTokens: 12, completionTokens: 7 });
    expect(ctx.events.map((e) => e.type)).toEqual(['prompt-done', 'image-done', 'picture']);
    const shown = ctx.events.find((e) => e.type === 'picture');
    expect(shown && shown.type === 'picture' && (await sharp(shown.data).metadata()).width).toBeGreaterThan(0);
  });

  it('counts nothing as paid when results come from the cache or the backend is offline', async () => {
    const cachedCtx = context(providers(() => png(40, 20), true));
    expect((await illustrateSlide(slide, cachedCtx)).report.cached).toEqual({ prompt: true, image: true });
    expect(cachedCtx.usage).toMatchObject({ llmCalls: 0, images: 0, promptTokens: 0 });
    const offlineCtx = context(
      providers(() => png(40, 20)),
      { offline: true },
    );
    await illustrateSlide(slide, offlineCtx);
    expect(offlineCtx.usage).toMatchObject({ llmCalls: 0, images: 0 });
  });

  it('a failed image fails the slide (its prompt kept); a slide over --max-images is skipped', async () => {
    const failed = await illustrateSlide(slide, context(providers(() => Promise.reject(new Error('500 from the API')))));
    expect(failed.picture).toBeUndefined();
    expect(failed.report).toMatchObject({ status: 'failed', reason: '500 from the API', prompt: 'A harbour for Ports' });
    const over = await illustrateSlide(slide, context(providers(() => Promise.reject(new OverBudgetError()))));
    expect(over.report).toMatchObject({ status: 'skipped', reason: 'over --max-images' });
  });

  it('throws on an abort instead of reporting the slide', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    await expect(
      illustrateSlide(
        slide,
        context(
          providers(() => png(40, 20)),
          { signal: controller.signal },
        ),
      ),
    ).rejects.toThrow('stopped');
  });
});
