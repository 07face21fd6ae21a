// Pure geometry of placement "make-room": a full-width body split into a text column and a
// picture column, and the largest autofit at which the text still fits its narrower column.
import type { Box } from './geometry.js';
import type { AutofitOverride } from './text-extent.js';

export const MAKE_ROOM = {
  /** The text keeps this share of the body's width. */
  textShare: 0.58,
  /** Gap between the text column and the picture: 0.2 in. */
  gap: 182_880,
  /** Smallest font scale we autofit to (PowerPoint's "shrink text on overflow" stops about here). */
  minFontScale: 0.55,
  /** Font scale steps (PowerPoint writes its own in steps of a few per cent). */
  fontStep: 0.025,
  /** Line-spacing reductions tried at each font scale (PowerPoint uses 10 % and 20 %). */
  lineReductions: [0, 0.1, 0.2],
  /** A body narrower than this share of the slide's width does not span it. */
  minBodyWidth: 0.6,
} as const;

/** Why make-room left a slide without a picture; summaries count it as "skipped for room". */
export { MAKE_ROOM_NO_FIT } from '../model/skip-reasons.js';

/** What make-room changes on the slide: the body shape's new box and its autofit (fractions). */
export type { Reflow } from '../model/geometry.js';

/** The body's text column and the picture column beside it (on `side`), sharing its top and bottom. */
export function splitColumns(
  body: Box,
  side: 'right' | 'left',
  textShare: number = MAKE_ROOM.textShare,
  gap: number = MAKE_ROOM.gap,
): { text: Box; picture: Box } {
  const textCx = Math.round(body.cx * textShare);
  const pictureCx = body.cx - textCx - gap;
  return side === 'right'
    ? {
        text: { x: body.x, y: body.y, cx: textCx, cy: body.cy },
        picture: { x: body.x + textCx + gap, y: body.y, cx: pictureCx, cy: body.cy },
      }
    : {
        text: { x: body.x + pictureCx + gap, y: body.y, cx: textCx, cy: body.cy },
        picture: { x: body.x, y: body.y, cx: pictureCx, cy: body.cy },
      };
}

/**
 * The largest autofit at which text fits `height`: font scale from 100 % down to the floor, and at
 * each scale no line-spacing reduction before 10 % and 20 %. Undefined when it fits at none.
 * `measure` is the text's laid-out height at an autofit (see ShapeInfo.textHeightAt).
 */
export function largestFit(measure: (fit: AutofitOverride) => number, height: number): AutofitOverride | undefined {
  const steps = Math.round((1 - MAKE_ROOM.minFontScale) / MAKE_ROOM.fontStep);
  for (let i = 0; i <= steps; i++) {
    const fontScale = Math.round((1 - i * MAKE_ROOM.fontStep) * 1000) / 1000;
    for (const lnSpcReduction of MAKE_ROOM.lineReductions) {
      if (measure({ fontScale, lnSpcReduction }) <= height) return { fontScale, lnSpcReduction };
    }
  }
  return undefined;
}

/**
 * The free part of the picture column, obstacles kept `gap` away: one that starts above the
 * column's top (a rule under the title, the title's last line) pushes its top down; one further
 * down cuts its bottom. Undefined when nothing is left.
 */
export function clearColumn(column: Box, obstacles: Box[], gap: number): Box | undefined {
  let top = column.y;
  let bottom = column.y + column.cy;
  const hits = obstacles
    .map((o) => ({ y0: o.y - gap, y1: o.y + o.cy + gap, x0: o.x - gap, x1: o.x + o.cx + gap }))
    .filter((o) => o.x1 > column.x && o.x0 < column.x + column.cx && o.y1 > column.y && o.y0 < bottom)
    .sort((a, b) => a.y0 - b.y0);
  for (const o of hits) {
    if (o.y0 <= top) top = Math.max(top, o.y1);
    else bottom = Math.min(bottom, o.y0);
  }
  return bottom > top ? { ...column, y: top, cy: bottom - top } : undefined;
}
