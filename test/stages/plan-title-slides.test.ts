// Composition on title and section slides, and pictures large enough to matter (issue 13, item 3):
// a slide model with text boxes where we want them, planned directly (the planner is pure).
import { describe, expect, it } from 'vitest';
import type { Box, ShapeInfo } from '../../src/pptx/geometry.js';
import { NO_ROOM } from '../../src/pptx/placement.js';
import type { Presentation, SlideModel } from '../../src/pptx/read-presentation.js';
import { isEligible, isTitleSlide, planIllustrations, TITLE_NO_ROOM } from '../../src/stages/plan-illustrations.js';
import { readPresentationFile } from '../../src/pptx/read-presentation.js';
import { fixtures } from '../../fixtures/index.js';

const W = 12_192_000;
const H = 6_858_000;
const box = (x0: number, y0: number, x1: number, y1: number): Box => ({
  x: Math.round(x0 * W),
  y: Math.round(y0 * H),
  cx: Math.round((x1 - x0) * W),
  cy: Math.round((y1 - y0) * H),
});

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
    const s = slide(2, 'obj', [
      text('title', box(0, 0, 1, 0.2)),
      text('body', box(0.05, 0.2, 0.62, 0.95)),
      text(undefined, box(0.62, 0.2, 0.95, 0.6)),
    ]);
    const { planned, skipped } = plan(s);
    expect(planned).toBeUndefined();
    expect(skipped?.reason).toBe(NO_ROOM);
  });
});

describe('cover and closing slides drawn with plain text boxes', () => {
  it('are title slides: the demo deck\'s cover and "Thank you" slides get a panel, a band or nothing, never a corner', async () => {
    const pres = await readPresentationFile(fixtures.demo);
    const p = planIllustrations(pres, { placement: 'auto', skipSlides: [] });
    for (const n of [1, 6]) {
      expect(isTitleSlide(pres.slides[n - 1]!, pres.slides.length)).toBe(true);
      expect(p.planned.find((x) => x.slide.number === n)).toBeUndefined();
      expect(p.skipped.find((x) => x.number === n)?.reason).toBe(TITLE_NO_ROOM);
    }
    // The content slides between them are still illustrated.
    expect(p.planned.map((x) => x.slide.number)).toEqual([2, 3, 4, 5]);
  });

  it('only on the first or last slide, and only with a few words in at most two boxes', () => {
    const cover = (n: number, words: string) => {
      const s = slide(n, undefined, [text(undefined, box(0.1, 0.3, 0.9, 0.5)), text(undefined, box(0.1, 0.55, 0.9, 0.65))]);
      s.text = { title: '', body: words, notes: '' };
      return s;
    };
    expect(isTitleSlide(cover(1, 'Thank you · Questions?'), 5)).toBe(true);
    expect(isTitleSlide(cover(5, 'Thank you · Questions?'), 5)).toBe(true);
    expect(isTitleSlide(cover(3, 'Thank you · Questions?'), 5)).toBe(false);
    expect(isTitleSlide(cover(5, 'word '.repeat(60)), 5)).toBe(false);
    expect(isTitleSlide(cover(5, 'Intro\nOne\nTwo\nThree'), 5)).toBe(false);
    // A last slide with a body placeholder is a content slide.
    const content = slide(5, 'obj', [text('title', box(0.1, 0.05, 0.9, 0.2)), text('body', box(0.1, 0.25, 0.9, 0.9))]);
    expect(isTitleSlide(content, 5)).toBe(false);
  });
});

describe('isEligible', () => {
  const pres = (s: SlideModel) => ({ slideSize: { cx: W, cy: H }, slides: [s] }) as unknown as Presentation;
  const options = { placement: 'auto' as const, skipSlides: [] };
  it("counts slides with text and a free quarter of the slide, measured on the planner's obstacles", () => {
    const half = slide(2, 'obj', [text('title', box(0.05, 0.05, 0.95, 0.18)), text('body', box(0.05, 0.25, 0.5, 0.9))]);
    expect(isEligible(half, pres(half), options)).toBe(true);
    const full = slide(2, 'obj', [text('title', box(0.05, 0.05, 0.95, 0.18)), text('body', box(0.05, 0.25, 0.95, 0.9))]);
    expect(isEligible(full, pres(full), options)).toBe(false);
    // A free area just under a quarter (a band below the text) is not enough.
    const band = slide(2, 'obj', [text('body', box(0.0, 0.0, 1, 0.68))]);
    expect(isEligible(band, pres(band), options)).toBe(false);
  });

  it('leaves out slides a rule skips: hidden, no text, skipSlides', () => {
    const half = () => slide(2, 'obj', [text('title', box(0.05, 0.05, 0.95, 0.18)), text('body', box(0.05, 0.25, 0.5, 0.9))]);
    const hidden = { ...half(), hidden: true } as SlideModel;
    expect(isEligible(hidden, pres(hidden), options)).toBe(false);
    const empty = { ...half(), text: { title: '', body: '', notes: '' } } as SlideModel;
    expect(isEligible(empty, pres(empty), options)).toBe(false);
    const titled = slide(1, 'title', [text('ctrTitle', box(0.05, 0.05, 0.5, 0.5))]);
    expect(isEligible(titled, pres(titled), options)).toBe(true);
    expect(isEligible(titled, pres(titled), { ...options, skipSlides: ['title'] })).toBe(false);
  });
});
