import { describe, expect, it } from 'vitest';
import type { Box, ShapeInfo } from '../../src/pptx/geometry.js';
import { DEFAULT_PLACEMENT, findFreeBox, GAP, largestFreeShare, obstaclesOf, slideGrid } from '../../src/pptx/placement.js';

const slide = { cx: 12_192_000, cy: 6_858_000 };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.cx && b.x < a.x + a.cx && a.y < b.y + b.cy && b.y < a.y + a.cy;
const shape = (box: Box, extra: Partial<ShapeInfo> = {}): ShapeInfo => ({
  kind: 'sp',
  box,
  textBox: box,
  hasText: true,
  placeholder: undefined,
  id: '2',
  name: 'x',
  ours: false,
  ...extra,
});

describe('findFreeBox', () => {
  it('uses the free right half beside a left text column', () => {
    const text = { x: 500_000, y: 1_500_000, cx: 5_500_000, cy: 4_800_000 };
    const title = { x: 500_000, y: 300_000, cx: 11_000_000, cy: 900_000 };
    const r = findFreeBox(slide, [text, title]);
    expect(r.box).toBeDefined();
    expect(overlaps(r.box!, text)).toBe(false);
    expect(overlaps(r.box!, title)).toBe(false);
    expect(r.box!.x).toBeGreaterThan(text.x + text.cx);
    expect(r.box!.cx * r.box!.cy).toBeGreaterThan(0.2 * slide.cx * slide.cy);
  });

  it('finds no room on a slide full of text', () => {
    const r = findFreeBox(slide, [{ x: 0, y: 0, cx: slide.cx, cy: slide.cy }]);
    expect(r.box).toBeUndefined();
    expect(r).toMatchObject({ reason: expect.stringMatching(/no free area/) });
  });

  it('finds a box clear of many scattered obstacles on every trial', () => {
    // The options are pinned so that a change of the defaults (gap, minimum area) does not change which trials have room:
    // with these, each of the 50 seeded layouts (six obstacles of at most 20 % × 22 % of the slide) leaves one.
    const options = { ...DEFAULT_PLACEMENT, margin: 0.04, minArea: 0.12 };
    let seed = 7;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let trial = 0; trial < 50; trial++) {
      const obstacles = Array.from({ length: 6 }, () => ({
        x: Math.round(rnd() * slide.cx * 0.8),
        y: Math.round(rnd() * slide.cy * 0.8),
        cx: Math.round(rnd() * 2_500_000),
        cy: Math.round(rnd() * 1_500_000),
      }));
      const r = findFreeBox(slide, obstacles, options);
      expect(r.box, `trial ${trial}: ${JSON.stringify(r)}`).toBeDefined();
      const b = r.box!;
      for (const o of obstacles) expect(overlaps(b, o), `trial ${trial}`).toBe(false);
      expect(b.x >= 0 && b.y >= 0 && b.x + b.cx <= slide.cx && b.y + b.cy <= slide.cy, `trial ${trial}: inside the slide`).toBe(true);
      expect(b.cx * b.cy, `trial ${trial}: large enough`).toBeGreaterThanOrEqual(options.minArea * slide.cx * slide.cy - 4);
    }
  });

  it('keeps the picture inside the slide margins and within the elongation limit', () => {
    const r = findFreeBox(slide, [{ x: 0, y: 0, cx: slide.cx, cy: 2_000_000 }]);
    const b = r.box!;
    expect(b.x).toBeGreaterThan(0);
    expect(b.x + b.cx).toBeLessThan(slide.cx);
    expect(b.y + b.cy).toBeLessThan(slide.cy);
    expect(Math.max(b.cx / b.cy, b.cy / b.cx)).toBeLessThanOrEqual(2.4 + 1e-6);
  });
});

describe('obstaclesOf', () => {
  it('ignores empty placeholders, full-slide backdrops and our own pictures; connectors and panels block', () => {
    const full = { x: 0, y: 0, cx: slide.cx, cy: slide.cy };
    const small = { x: 100, y: 100, cx: 1000, cy: 1000 };
    const obstacles = obstaclesOf(
      [
        shape(small, { hasText: false, placeholder: { type: 'body', idx: '1' } }),
        shape(full, { hasText: false, kind: 'pic' }),
        shape({ x: 0, y: 0, cx: slide.cx * 0.85, cy: slide.cy * 0.85 }, { hasText: false, kind: 'pic' }),
        shape(small, { kind: 'cxnSp', hasText: false }),
        shape(small, { kind: 'pic', hasText: false, ours: true }),
        shape(small),
        shape(small, { kind: 'pic', hasText: false }),
        shape({ x: 0, y: 0, cx: slide.cx * 0.8, cy: slide.cy * 0.8 }, { hasText: false }),
        shape({ x: 0, y: 0, cx: slide.cx, cy: slide.cy * 0.95 }, { hasText: false }),
      ],
      slide,
    );
    // The author's 72 % picture is content, not a backdrop; so is a 64 % panel; a connector shows.
    expect(obstacles).toHaveLength(5);
  });
});

// Composition (issue 13, item 3): the slide's grid, the 0.2 in gap, a column beside the text.
const IN = 914_400;
const inch = (x: number, y: number, cx: number, cy: number): Box => ({ x: x * IN, y: y * IN, cx: cx * IN, cy: cy * IN });

describe('composition', () => {
  // A 13.33 × 7.5 in slide: a title across the top, bullets wide on the left ending at 3.6 in.
  const title = inch(0.6, 0.4, 12.1, 1.0);
  const bullets = inch(0.6, 1.75, 7.9, 1.85);
  const grid = { left: 0.6 * IN, right: 12.7 * IN, top: 1.75 * IN, bottom: slide.cy - 274_320 };

  it('prefers a whole column beside the bullets to a larger leftover area below them', () => {
    const b = findFreeBox(slide, [title, bullets], undefined, grid).box!;
    expect(b).toBeDefined();
    // Beside the text, from the body's top down to the bottom margin; not below the bullets.
    expect(b.x).toBeGreaterThanOrEqual(bullets.x + bullets.cx);
    expect(b.y).toBe(grid.top);
    expect(b.y + b.cy).toBe(grid.bottom);
  });

  it('aligns the picture to the grid: top on the body top, side on the right margin, 0.2 in from the text', () => {
    const b = findFreeBox(slide, [title, bullets], undefined, grid).box!;
    expect(b.x + b.cx).toBe(grid.right);
    expect(b.x).toBe(bullets.x + bullets.cx + GAP);
    expect(b.cx * b.cy).toBeGreaterThanOrEqual(0.12 * slide.cx * slide.cy);
  });

  it('keeps the 0.2 in gap, not the larger edge margin, between a picture and the content', () => {
    const text = inch(0.5, 0.5, 6, 6.5);
    const b = findFreeBox(slide, [text]).box!;
    expect(b.x - (text.x + text.cx)).toBe(GAP);
  });

  it('keeps the top on the grid when it trims a tall box to a sane aspect', () => {
    const text = inch(0.5, 1.5, 9.3, 5.6);
    const g = { ...grid, top: 1.5 * IN };
    const b = findFreeBox(slide, [text], { margin: 0.04, minWidth: 0.2, minHeight: 0.22, maxElongation: 1.5, minArea: 0.05 }, g).box!;
    expect(b.y).toBe(g.top);
    expect(b.cy / b.cx).toBeCloseTo(1.5, 3);
  });
});

describe('slideGrid', () => {
  const ph = (type: string, b: Box): ShapeInfo => shape(b, { placeholder: { type, idx: undefined } });
  it('takes the sides from the placeholders and the top from the body', () => {
    const g = slideGrid(
      [ph('title', inch(0.5, 0.3, 12.33, 1.25)), ph('body', inch(0.5, 1.75, 12.33, 4.95)), ph('dt', inch(0, 7, 2, 0.4))],
      slide,
    );
    expect(g).toEqual({ left: 0.5 * IN, right: 12.83 * IN, top: 1.75 * IN, bottom: slide.cy - 274_320 });
  });

  it('uses the title bottom plus the gap without a body, and plain text boxes when there are no placeholders', () => {
    expect(slideGrid([ph('title', inch(0.5, 0.3, 12.33, 1.25))], slide).top).toBe(1.55 * IN + GAP);
    const g = slideGrid([shape(inch(0.6, 0.45, 12.1, 0.95)), shape(inch(0.6, 1.75, 5.9, 4.9))], slide);
    expect(g).toMatchObject({ left: 0.6 * IN, right: 12.7 * IN, top: 1.75 * IN });
  });
});

describe('largestFreeShare', () => {
  it('is the largest free rectangle, 0.2 in from everything, as a share of the slide', () => {
    expect(largestFreeShare(slide, [{ x: 0, y: 0, cx: slide.cx, cy: slide.cy }])).toBe(0);
    // The left half is text: the right half less the gap and the edge margins is free.
    const m = 274_320;
    const share = largestFreeShare(slide, [{ x: 0, y: 0, cx: slide.cx / 2, cy: slide.cy }]);
    expect(share).toBeCloseTo(((slide.cx / 2 - GAP - m) * (slide.cy - 2 * m)) / (slide.cx * slide.cy), 6);
    expect(largestFreeShare(slide, [])).toBeGreaterThan(0.85);
  });
});
