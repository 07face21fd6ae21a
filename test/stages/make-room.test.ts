// Placement "make-room" (issue 13, item 4): a full-width body narrowed into an autofitted column,
// the picture beside it; text that cannot fit even at the smallest autofit leaves the slide skipped.
import { describe, expect, it } from 'vitest';
import type { Box } from '../../src/pptx/geometry.js';
import { MAKE_ROOM } from '../../src/pptx/make-room-layout.js';
import { NO_ROOM, obstaclesOf } from '../../src/pptx/placement.js';
import { readPresentation } from '../../src/pptx/read-presentation.js';
import { MAKE_ROOM_NO_FIT } from '../../src/stages/make-room.js';
import { planIllustrations } from '../../src/stages/plan-illustrations.js';
import { WIDE_BODY, wideBodyDeck } from '../helpers/wide-body-deck.js';

const overlaps = (a: Box, b: Box) => a.x < b.x + b.cx && b.x < a.x + a.cx && a.y < b.y + b.cy && b.y < a.y + a.cy;

async function plan(bullets: number, placement: 'auto' | 'make-room') {
  const pres = await readPresentation('wide.pptx', await wideBodyDeck(bullets));
  const result = planIllustrations(pres, { placement, skipSlides: ['picture'] });
  return { pres, planned: result.planned.find((p) => p.slide.number === 1), skipped: result.skipped.find((s) => s.number === 1) };
}

describe('placement make-room', () => {
  it('"auto" finds no room beside a full-width body of nine bullets', async () => {
    const { planned, skipped } = await plan(9, 'auto');
    expect(planned).toBeUndefined();
    expect(skipped?.reason).toBe(NO_ROOM);
  });

  it('narrows the body into the left column, autofits its text, and puts the picture in the freed column', async () => {
    const { pres, planned } = await plan(9, 'make-room');
    expect(planned?.placement).toBe('make-room');
    const reflow = planned!.reflow!;
    expect(reflow.shapeId).toBe('3');
    // The text keeps the body's left edge, top and height, on ~58 % of its width.
    expect(reflow.box).toEqual({ x: WIDE_BODY.x, y: WIDE_BODY.y, cx: Math.round(WIDE_BODY.cx * MAKE_ROOM.textShare), cy: WIDE_BODY.cy });
    // Nine wrapped 20 pt bullets do not fit the narrower column at full size, and do fit above the floor.
    expect(reflow.fontScale).toBeLessThan(1);
    expect(reflow.fontScale).toBeGreaterThanOrEqual(MAKE_ROOM.minFontScale);
    const body = planned!.slide.shapes.find((s) => s.id === '3')!;
    expect(body.textHeightAt!(reflow.box.cx, reflow)).toBeLessThanOrEqual(reflow.box.cy);
    expect(body.textHeightAt!(reflow.box.cx, { fontScale: 1, lnSpcReduction: 0 })).toBeGreaterThan(reflow.box.cy);
    // The picture: 0.2 in right of the column, at the body's top, its right edge on the body's (the slide's margin).
    const box = planned!.box;
    expect(box.x).toBe(reflow.box.x + reflow.box.cx + MAKE_ROOM.gap);
    expect(box.y).toBe(WIDE_BODY.y);
    expect(box.x + box.cx).toBe(WIDE_BODY.x + WIDE_BODY.cx);
    expect(box.cx * box.cy).toBeGreaterThan(pres.slideSize.cx * pres.slideSize.cy * 0.12);
    // Clear of everything else the slide shows, and of the narrowed text.
    const others = obstaclesOf(
      planned!.slide.shapes.filter((s) => s !== body),
      pres.slideSize,
    );
    for (const o of [...others, reflow.box]) expect(overlaps(o, box)).toBe(false);
  });

  it("keeps the narrowed text above a shape lying in the body's lower left, which the wide text never reached", async () => {
    const band = { x: WIDE_BODY.x, y: WIDE_BODY.y + WIDE_BODY.cy - 731_520, cx: 1_828_800, cy: 548_640 };
    const rect =
      `<p:sp><p:nvSpPr><p:cNvPr id="20" name="Band"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="${band.x}" y="${band.y}"/><a:ext cx="${band.cx}" cy="${band.cy}"/></a:xfrm>` +
      `<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="C00000"/></a:solidFill></p:spPr></p:sp>`;
    const pres = await readPresentation('wide.pptx', await wideBodyDeck(9, rect));
    const planned = planIllustrations(pres, { placement: 'make-room', skipSlides: ['picture'] }).planned.find((p) => p.slide.number === 1);
    expect(planned?.placement).toBe('make-room');
    expect(planned!.reflow!.box).toMatchObject({ x: WIDE_BODY.x, y: WIDE_BODY.y, cy: band.y - WIDE_BODY.y });
    const body = planned!.slide.shapes.find((s) => s.id === '3')!;
    expect(body.textHeightAt!(planned!.reflow!.box.cx, planned!.reflow!)).toBeLessThanOrEqual(band.y - WIDE_BODY.y);
  });

  it('skips the slide with a clear reason when the text would not fit a narrower column even at the smallest font scale', async () => {
    const { planned, skipped } = await plan(24, 'make-room');
    expect(planned).toBeUndefined();
    expect(skipped?.reason).toBe(MAKE_ROOM_NO_FIT);
  });

  it('leaves slides where "auto" finds a good place as "auto" plans them', async () => {
    const pres = await readPresentation('wide.pptx', await wideBodyDeck(9));
    const auto = planIllustrations(pres, { placement: 'auto', skipSlides: ['picture'] });
    const made = planIllustrations(pres, { placement: 'make-room', skipSlides: ['picture'] });
    const others = (p: typeof auto) =>
      p.planned.filter((s) => s.slide.number !== 1).map((s) => ({ n: s.slide.number, box: s.box, placement: s.placement }));
    expect(others(auto).length).toBe(2);
    expect(others(made)).toEqual(others(auto));
  });
});
