import { describe, expect, it } from 'vitest';
import { RUN_PLAN_VERSION, totalPlan, type DeckPlan, type RunPlan, type SlidePlan } from '../../src/model/run-plan.js';
import { estimateRun } from '../../src/pipeline/estimate.js';

const text = { title: 't', body: '', notes: '' };
const box = { x: 0, y: 0, cx: 4, cy: 3 };

function slide(number: number, paid: { prompt: boolean; image: boolean } | 'skipped'): SlidePlan {
  const base = { number, slideId: String(255 + number), part: `ppt/slides/slide${number}.xml`, title: 't', text };
  if (paid === 'skipped') return { ...base, status: 'skipped', reason: 'no text' };
  const cost = { images: paid.image ? 0 : 1, promptTokens: paid.prompt ? 0 : 100, completionTokens: paid.prompt ? 0 : 300 };
  return { ...base, status: 'planned', box, placement: 'free', z: 'front', keys: { prompt: 'p' }, paid, cost };
}

function plan(decks: DeckPlan[]): RunPlan {
  return { version: RUN_PLAN_VERSION, backend: { kind: 'fake', offline: false }, decks, totals: totalPlan(decks) };
}

const deck = (slides: SlidePlan[]): DeckPlan => ({ input: 'a.pptx', output: 'out/a.pptx', status: 'planned', slides });
const prices = { currency: 'CHF', perImage: 0.02, perMillionPromptTokens: 1, perMillionCompletionTokens: 2 };

describe('estimateRun (from a plan, no read and no call)', () => {
  it('counts what each slide still pays for: a new prompt brings its image, a cached prompt may have its image too', () => {
    const p = plan([
      deck([
        slide(1, { prompt: false, image: false }),
        slide(2, { prompt: true, image: true }),
        slide(3, { prompt: true, image: false }),
        slide(4, 'skipped'),
      ]),
      { input: 'b.pptx', output: 'out/b.pptx', status: 'refused', error: 'b.pptx: not a deck', slides: [] },
    ]);
    const e = estimateRun(p, { prices });
    expect(e).toMatchObject({
      planned: 3,
      unreadable: 1,
      prompts: { cached: 2, toWrite: 1 },
      images: { cached: 1, toGenerate: 2, overCap: 0 },
      tokens: { prompt: 100, completion: 300 },
    });
    expect(e.cost.images).toBeCloseTo(0.04);
    expect(e.cost.tokens).toBeCloseTo(100 / 1e6 + 600 / 1e6);
    expect(e.cost.total).toBeCloseTo(0.04 + 700 / 1e6);
  });

  it('cuts the images to --max-images and says how many are over it', () => {
    const p = plan([deck([1, 2, 3, 4, 5].map((n) => slide(n, { prompt: false, image: false })))]);
    const e = estimateRun(p, { prices, maxImages: 2 });
    expect(e.images).toEqual({ cached: 0, toGenerate: 2, overCap: 3 });
    expect(e.cost.images).toBeCloseTo(0.04);
  });

  it('leaves the cost unknown when a price that matters is unknown, and zero when nothing is to pay', () => {
    const unknown = { ...prices, perImage: null };
    expect(estimateRun(plan([deck([slide(1, { prompt: true, image: false })])]), { prices: unknown }).cost.total).toBeUndefined();
    expect(estimateRun(plan([deck([slide(1, { prompt: true, image: true })])]), { prices: unknown }).cost.total).toBe(0);
  });
});
