// Composition on title and section slides, and pictures large enough to matter (issue 13, item 3):
// a slide model with text boxes where we want them, planned directly (the planner is pure).
import { describe, expect, it } from 'vitest';
import type { Box, ShapeInfo } from '../../src/pptx/geometry.js';
import { NO_ROOM } from '../../src/pptx/placement.js';
import type { Presentation, SlideModel } from '../../src/pptx/read-presentation.js';
import { planIllustrations, TITLE_NO_ROOM } from '../../src/stages/plan-illustrations.js';

const W = 12_192_000;
const H = 6_858_000;
const box = (x0: number, y0: number, x1: number, y1: number): Box => ({ x: Math.round(x0 * W), y: Math.round(y0 * H), cx: Math.round((x1 - x0) * W), cy: Math.round((y1 - y0) * H) });

const text = (type: string | undefined, b: Box): ShapeInfo => ({
  kind: 'sp',
  box: b,
  textBox: b,
  hasText: true,
  placeholder: type ? { type, idx: undefined } : undefined,
  id: undefined,
  name: type ?? 'TextBox',
  ours: false,
  drawn: false,
});

const slide = (number: number, layoutType: string | undefined, shapes: ShapeInfo[]): SlideModel =>
  ({
    number,
    part: `ppt/slides/slide${number}.xml`,
    hidden: false,
    text: { title: 'Quarterly review', body: 'Northwind Traders', notes: '' },
    shapes,
    inheritedShapes: [],
    backgroundBusy: [],
    layoutPart: undefined,
    layoutType,
    rels: [],
  }) as SlideModel;

const plan = (s: SlideModel) => {
  const pres = { slideSize: { cx: W, cy: H }, slides: [s] } as unknown as Presentation;
  const p = planIllustrations(pres, { placement: 'auto', skipSlides: [] });
  return { planned: p.planned[0], skipped: p.skipped[0] };
};

describe('title and section slides get a designed composition or none', () => {
  it('skips a title slide whose only free area is a corner, with the reason', () => {
    // A wide title across the top half and a subtitle at the lower left: only the lower-right corner is free.
    const s = slide(1, 'title', [text('ctrTitle', box(0.05, 0.1, 0.95, 0.55)), text('subTitle', box(0.05, 0.6, 0.6, 0.9))]);
    const { planned, skipped } = plan(s);
    expect(planned).toBeUndefined();
    expect(skipped?.reason).toBe(TITLE_NO_ROOM);
    expect(skipped?.reason).toMatch(/title slide: no room for a side panel or a band; left as designed/);
  });

  it('gives a title slide with a free half a full-height side picture, bled to the slide edge', () => {
    const title = box(0.05, 0.2, 0.48, 0.5);
    const s = slide(1, 'title', [text('ctrTitle', title), text('subTitle', box(0.05, 0.55, 0.48, 0.8))]);
    const { planned } = plan(s);
    expect(planned).toBeDefined();
    const b = planned!.box;
    expect(b.y).toBe(0);
    expect(b.cy).toBe(H);
    expect(b.x + b.cx).toBe(W);
    expect(b.x).toBeGreaterThan(title.x + title.cx); // clear of the title, with a gap
    expect((b.cx * b.cy) / (W * H)).toBeGreaterThanOrEqual(0.25);
  });

  it('treats a section header the same way', () => {
    const s = slide(4, 'secHead', [text('title', box(0.05, 0.1, 0.95, 0.55)), text('body', box(0.05, 0.6, 0.6, 0.9))]);
    const { planned, skipped } = plan(s);
    expect(planned).toBeUndefined();
    expect(skipped?.reason).toBe('title slide: no room for a side panel or a band; left as designed');
  });
});

describe('pictures large enough to matter', () => {
  it('skips a body slide whose only free area is under 12 % of the slide, for room', () => {
    // Title across the top, bullets on the left, a text box at the upper right: a ~11 % corner is left.
    const s = slide(2, 'obj', [text('title', box(0, 0, 1, 0.2)), text('body', box(0.05, 0.2, 0.62, 0.95)), text(undefined, box(0.62, 0.2, 0.95, 0.6))]);
    const { planned, skipped } = plan(s);
    expect(planned).toBeUndefined();
    expect(skipped?.reason).toBe(NO_ROOM);
  });
});
