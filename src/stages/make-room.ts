// Placement "make-room" (opt-in): where "auto" finds no place or only a small one, the slide's
// full-width body text is narrowed into a column — autofitted so no word is cut — and the picture
// goes in the freed column beside it, aligned to the body's top and the slide's margins.
import type { Box, ShapeInfo } from '../pptx/geometry.js';
import { clearColumn, largestFit, MAKE_ROOM, MAKE_ROOM_NO_FIT, splitColumns, type Reflow } from '../pptx/make-room-layout.js';
import { DEFAULT_PLACEMENT, obstaclesOf } from '../pptx/placement.js';
import type { SlideModel } from '../pptx/read-presentation.js';

export { MAKE_ROOM_NO_FIT, type Reflow };

/** A picture from "auto" smaller than this share of the slide is worth making room for a bigger one. */
export const SMALL_PICTURE = 0.2;

/** Body placeholders (content, body, or a p:ph without type) and plain text boxes may be narrowed. */
const BODY_TYPES = new Set(['body', 'obj']);

export type MakeRoomResult = { box: Box; reflow: Reflow } | { box: undefined; reason: string };

/**
 * What make-room does on a slide "auto" placed at `autoBox` (undefined: no room): a picture beside
 * the narrowed body, a skip reason when the body's text would not fit a column, or undefined when
 * "auto"'s result stands (it is large enough, or there is no full-width body to narrow).
 */
export function makeRoom(slide: SlideModel, size: { cx: number; cy: number }, autoBox: Box | undefined): MakeRoomResult | undefined {
  if (autoBox && autoBox.cx * autoBox.cy >= size.cx * size.cy * SMALL_PICTURE) return undefined;
  const body = bodyShape(slide, size);
  if (!body?.box || !body.id || !body.textHeightAt) return undefined;
  const opts = DEFAULT_PLACEMENT;
  const obstacles = [
    ...obstaclesOf([...slide.inheritedShapes, ...slide.shapes.filter((s) => s !== body)], size),
    ...(slide.backgroundBusy ?? []),
  ];
  // Reading order: text first, so the picture goes right; left only when the right will not do.
  const textHeightAt = body.textHeightAt;
  let room = false;
  for (const side of ['right', 'left'] as const) {
    const columns = splitColumns(body.box, side);
    const clear = clearColumn(columns.picture, obstacles, MAKE_ROOM.gap);
    if (!clear) continue;
    const box = topAligned(clear, opts.maxElongation);
    if (box.cx < size.cx * opts.minWidth || box.cy < size.cy * opts.minHeight || box.cx * box.cy < size.cx * size.cy * opts.minArea)
      continue;
    if (autoBox && box.cx * box.cy <= autoBox.cx * autoBox.cy) continue;
    // The text keeps the body's top and gives up what anything else on the slide covers below it
    // (a footer band, a drawing the wide body's short text never reached).
    const text = clearColumn(columns.text, obstacles, 0);
    if (!text || text.y !== columns.text.y) continue;
    room = true;
    const fit = largestFit((f) => textHeightAt(text.cx, f), text.cy);
    if (fit) return { box, reflow: { shapeId: body.id, box: text, ...fit } };
  }
  // A small picture from "auto" is still better than none.
  return room && !autoBox ? { box: undefined, reason: MAKE_ROOM_NO_FIT } : undefined;
}

/** The slide's main body text: a body placeholder or a text box spanning the slide's width, the largest one. */
export function bodyShape(slide: SlideModel, size: { cx: number; cy: number }): ShapeInfo | undefined {
  const candidates = slide.shapes.filter(
    (s) =>
      s.kind === 'sp' &&
      s.hasText &&
      !s.ours &&
      s.drawn === false &&
      s.box !== undefined &&
      s.id !== undefined &&
      /^\d+$/.test(s.id) &&
      (!s.placeholder || BODY_TYPES.has(s.placeholder.type)) &&
      s.box.cx >= size.cx * MAKE_ROOM.minBodyWidth,
  );
  return candidates.sort((a, b) => b.box!.cx * b.box!.cy - a.box!.cx * a.box!.cy)[0];
}

/** A column taller than the aspect allows keeps its top (aligned with the body's) and loses its bottom. */
function topAligned(b: Box, maxElongation: number): Box {
  if (b.cy > b.cx * maxElongation) return { ...b, cy: Math.round(b.cx * maxElongation) };
  if (b.cx > b.cy * maxElongation) return { ...b, cx: Math.round(b.cy * maxElongation) };
  return b;
}
