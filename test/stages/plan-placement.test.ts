// The planner's choice of where a picture goes: an empty placeholder, the background, a free area,
// or nowhere. Slide models are built directly (the planner is pure), so each branch is reached on purpose.
// Boxes are checked by what they must respect (clear of a table, a side panel or a band), not by exact EMU,
// which placement tuning may shift.
import { describe, expect, it } from 'vitest';
import type { Box, ShapeInfo } from '../../src/pptx/geometry.js';
import type { Presentation, SlideModel } from '../../src/pptx/read-presentation.js';
import { planIllustrations, TITLE_NO_ROOM, type PlanOptions } from '../../src/stages/plan-illustrations.js';

const W = 12_192_000;
const H = 6_858_000;
const SLIDE = { x: 0, y: 0, cx: W, cy: H };
const box = (x0: number, y0: number, x1: number, y1: number): Box => ({
  x: Math.round(x0 * W),
  y: Math.round(y0 * H),
  cx: Math.round((x1 - x0) * W),
  cy: Math.round((y1 - y0) * H),
});
const overlaps = (a: Box, b: Box) => a.x < b.x + b.cx && b.x < a.x + a.cx && a.y < b.y + b.cy && b.y < a.y + a.cy;

const shape = (b: Box, extra: Partial<ShapeInfo>): ShapeInfo => ({
  kind: 'sp',
  box: b,
  textBox: b,
  hasText: true,
  placeholder: undefined,
  id: undefined,
  name: 'Shape',
  ours: false,
  drawn: false,
  ...extra,
});
const text = (type: string, b: Box) => shape(b, { placeholder: { type, idx: undefined }, name: type });
/** An empty placeholder (it shows nothing in a slide show). */
const emptyPlaceholder = (type: string, b: Box, id: string) =>
  shape(b, { hasText: false, placeholder: { type, idx: id }, id, name: `Placeholder ${id}` });
const table = (b: Box) => shape(b, { kind: 'graphicFrame', hasText: true, id: '9', name: 'Table 9', drawn: undefined });

const slide = (number: number, shapes: ShapeInfo[], extra: Partial<SlideModel> = {}): SlideModel =>
  ({
    number,
    part: `ppt/slides/slide${number}.xml`,
    hidden: false,
    text: { title: 'Quarterly review', body: 'Revenue grew in every region', notes: '' },
    shapes,
    inheritedShapes: [],
    backgroundBusy: [],
    layoutPart: undefined,
    layoutType: 'obj',
    rels: [],
    ...extra,
  }) as SlideModel;

const plan = (slides: SlideModel[], options: Partial<PlanOptions> = {}) =>
  planIllustrations({ slideSize: { cx: W, cy: H }, slides } as unknown as Presentation, { placement: 'auto', skipSlides: [], ...options });

/** A "Title and Content" slide whose content is an empty picture placeholder on the right half. */
const TITLE = box(0.05, 0.05, 0.95, 0.18);
const LEFT_TEXT = box(0.05, 0.22, 0.48, 0.9);
const RIGHT_PH = box(0.52, 0.22, 0.95, 0.9);
const contentSlide = (extra: ShapeInfo[] = [], type = 'pic') =>
  slide(2, [text('title', TITLE), text('body', LEFT_TEXT), emptyPlaceholder(type, RIGHT_PH, '4'), ...extra]);

describe('planIllustrations placement choice', () => {
  it('fills an empty picture placeholder nothing overlaps, in front, naming the placeholder', () => {
    const p = plan([contentSlide()]);
    expect(p.skipped).toEqual([]);
    expect(p.planned).toHaveLength(1);
    expect(p.planned[0]).toMatchObject({ placement: 'placeholder', placeholderId: '4', box: RIGHT_PH, z: 'front' });
  });

  it('fills an empty content placeholder ("obj") the same way, and prefers the larger of two', () => {
    const small = emptyPlaceholder('pic', box(0.52, 0.22, 0.75, 0.5), '5');
    const p = plan([contentSlide([small], 'obj')]);
    expect(p.planned[0]).toMatchObject({ placement: 'placeholder', placeholderId: '4', box: RIGHT_PH });
  });

  it('does not fill a placeholder that holds text, nor a body or title placeholder', () => {
    const withText = slide(2, [
      text('title', TITLE),
      text('body', LEFT_TEXT),
      shape(RIGHT_PH, { placeholder: { type: 'pic', idx: '4' }, id: '4' }),
    ]);
    const body = slide(3, [text('title', TITLE), text('obj', LEFT_TEXT), emptyPlaceholder('body', RIGHT_PH, '4')]);
    for (const p of plan([withText, body]).planned) expect(p.placement, `slide ${p.slide.number}`).not.toBe('placeholder');
  });

  it('does not fill a placeholder too small to be worth it', () => {
    const tiny = emptyPlaceholder('pic', box(0.85, 0.8, 0.95, 0.95), '6');
    const p = plan([slide(2, [text('title', TITLE), text('body', LEFT_TEXT), tiny])]);
    expect(p.planned).toHaveLength(1);
    expect(p.planned[0]!.placement).toBe('free');
  });

  it('places the picture freely, clear of a table laid over the empty placeholder', () => {
    const tbl = box(0.52, 0.22, 0.95, 0.5);
    const p = plan([contentSlide([table(tbl)])]);
    expect(p.planned).toHaveLength(1);
    const planned = p.planned[0]!;
    expect(planned.placement).toBe('free');
    expect(planned.placeholderId).toBeUndefined();
    expect(planned.z).toBe('front');
    for (const b of [tbl, TITLE, LEFT_TEXT]) expect(overlaps(planned.box, b), JSON.stringify(b)).toBe(false);
  });

  it('re-fills a placeholder holding our own picture from an earlier run', () => {
    const ours = shape(RIGHT_PH, { kind: 'pic', hasText: false, placeholder: { type: 'pic', idx: '4' }, id: '4', ours: true });
    const p = plan([slide(2, [text('title', TITLE), text('body', LEFT_TEXT), ours])]);
    expect(p.planned[0]).toMatchObject({ placement: 'placeholder', placeholderId: '4', box: RIGHT_PH });
  });

  it('with placement "background", puts every slide with text behind its content, covering the whole slide', () => {
    const busy = slide(3, [text('title', box(0, 0, 1, 0.3)), text('body', box(0, 0.3, 1, 1))]);
    const p = plan([contentSlide(), busy, slide(4, [], { hidden: true })], { placement: 'background' });
    expect(p.planned.map((x) => [x.slide.number, x.placement, x.z])).toEqual([
      [2, 'background', 'back'],
      [3, 'background', 'back'],
    ]);
    for (const x of p.planned) expect(x.box).toEqual(SLIDE);
    // The slide rules still apply.
    expect(p.skipped.map((s) => [s.number, s.reason])).toEqual([[4, 'hidden slide']]);
  });

  it('with placement "none", plans nothing and says why for each slide with text', () => {
    const p = plan([contentSlide(), slide(3, [text('title', TITLE)]), slide(4, [], { text: { title: '', body: '', notes: '' } })], {
      placement: 'none',
    });
    expect(p.planned).toEqual([]);
    expect(p.skipped.map((s) => [s.number, s.status, s.reason])).toEqual([
      [2, 'skipped', 'placement is "none"'],
      [3, 'skipped', 'placement is "none"'],
      [4, 'skipped', 'no text'],
    ]);
  });
});

describe('planIllustrations on title slides', () => {
  const isPanelOrBand = (b: Box) => b.cy >= 0.8 * H || b.cx >= 0.9 * W;

  it("fills a title slide's empty placeholder when it is a composition (a full-height half)", () => {
    const half = box(0.5, 0, 1, 1);
    const s = slide(
      1,
      [text('ctrTitle', box(0.05, 0.3, 0.45, 0.55)), text('subTitle', box(0.05, 0.6, 0.45, 0.75)), emptyPlaceholder('pic', half, '7')],
      { layoutType: 'title' },
    );
    expect(plan([s]).planned[0]).toMatchObject({ placement: 'placeholder', placeholderId: '7', box: half });
  });

  it("does not fill a title slide's corner placeholder, and gives it a side panel instead", () => {
    const corner = box(0.6, 0.6, 0.95, 0.95);
    const title = box(0.05, 0.1, 0.55, 0.45);
    const s = slide(1, [text('ctrTitle', title), emptyPlaceholder('pic', corner, '7')], { layoutType: 'title' });
    // The right 40 % of the slide is free from top to bottom: room for a side panel.
    const planned = plan([s]).planned[0];
    expect(planned).toBeDefined();
    expect(planned!.placement).toBe('free');
    expect(isPanelOrBand(planned!.box), JSON.stringify(planned!.box)).toBe(true);
    expect(overlaps(planned!.box, title)).toBe(false);
  });

  it('gives a title slide with room a panel or a band clear of its text, where a body slide gets an ordinary box', () => {
    // The title and subtitle on the left third: the right two thirds are free.
    const shapes = [text('title', box(0.05, 0.3, 0.32, 0.55)), text('body', box(0.05, 0.6, 0.32, 0.75))];
    const p = plan([slide(1, shapes, { layoutType: 'title' }), slide(2, shapes, { layoutType: 'obj' })]);
    expect(p.planned.map((x) => [x.slide.number, x.placement])).toEqual([
      [1, 'free'],
      [2, 'free'],
    ]);
    const [titleBox, bodyBox] = p.planned.map((x) => x.box) as [Box, Box];
    expect(isPanelOrBand(titleBox), JSON.stringify(titleBox)).toBe(true);
    for (const s of shapes) expect(overlaps(titleBox, s.box!)).toBe(false);
    // A body slide keeps its picture inside the slide margins; the title slide's panel bleeds to the edge.
    expect(bodyBox.y).toBeGreaterThan(0);
    expect(titleBox.y === 0 || titleBox.x + titleBox.cx === W || titleBox.y + titleBox.cy === H).toBe(true);
  });

  it('skips a title slide with no room for a panel or a band, with the title-slide reason', () => {
    const s = slide(1, [text('ctrTitle', box(0.05, 0.1, 0.95, 0.55)), text('subTitle', box(0.05, 0.6, 0.6, 0.9))], {
      layoutType: 'secHead',
    });
    const p = plan([s]);
    expect(p.planned).toEqual([]);
    expect(p.skipped.map((x) => [x.number, x.reason])).toEqual([[1, TITLE_NO_ROOM]]);
  });

  it('recognises a title slide by its centred-title placeholder whatever the layout says', () => {
    const s = slide(5, [text('ctrTitle', box(0.05, 0.1, 0.95, 0.55)), text('subTitle', box(0.05, 0.6, 0.6, 0.9))], { layoutType: 'obj' });
    expect(plan([s]).skipped.map((x) => x.reason)).toEqual([TITLE_NO_ROOM]);
  });
});
