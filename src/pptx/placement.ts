// Pure placement: where a picture goes on a slide, in EMU.
import type { Box, ShapeInfo } from './geometry.js';

export interface PlacementOptions {
  /** Gap kept from the slide edges and from other shapes, as a fraction of the slide's shorter side. */
  margin: number;
  /** Smallest useful picture, as fractions of the slide's width and height. */
  minWidth: number;
  minHeight: number;
  /** Most elongated picture we accept (long side / short side). */
  maxElongation: number;
  /** Smallest picture worth adding, as a share of the slide's area (after the aspect trim). */
  minArea: number;
}

export const DEFAULT_PLACEMENT: PlacementOptions = { margin: 0.04, minWidth: 0.2, minHeight: 0.22, maxElongation: 2.4, minArea: 0.12 };

import { NO_ROOM } from '../model/skip-reasons.js';

export { isNoRoom, NO_ROOM, TITLE_NO_ROOM } from '../model/skip-reasons.js';

export type PlacementResult = { box: Box } | { box: undefined; reason: string };

/** What a slide-filling shape must cover to count as a backdrop rather than content. */
export const BACKDROP_COVER = 0.9;

/**
 * Boxes a new picture must not cover: every visible thing on the slide — text, tables, charts,
 * SmartArt, media, pictures (not ours), groups, connectors and lines, filled or outlined shapes —
 * and what the layout and master draw. Only these are free: empty placeholders (they show nothing
 * in a slide show), our own pictures, and true backdrops (pictures and text-less shapes covering
 * ≥ 90 % of the slide).
 */
export function obstaclesOf(shapes: ShapeInfo[], slide: { cx: number; cy: number }): Box[] {
  const area = slide.cx * slide.cy;
  const out: Box[] = [];
  for (const s of shapes) {
    // Lines and connectors may have a zero width or height; they still show.
    if (!s.box || s.ours || s.box.cx < 0 || s.box.cy < 0 || s.box.cx + s.box.cy <= 0) continue;
    const cover = (s.box.cx * s.box.cy) / area;
    if (s.placeholder && !s.hasText && s.kind === 'sp' && s.drawn !== true) continue;
    if ((s.kind === 'pic' || (s.kind === 'sp' && !s.hasText)) && cover >= BACKDROP_COVER) continue;
    // A text shape that paints nothing itself blocks only the part its text covers; a star or a
    // panel with a label blocks its whole box.
    out.push(s.kind === 'sp' && s.hasText && s.drawn === false ? (s.textBox ?? s.box) : s.box);
  }
  return out;
}

/** Clear space kept between a picture and what the slide shows: 0.2 in. */
export const GAP = 182_880;

/**
 * The lines a picture aligns to, in EMU: the slide's own margins (the left and right edges of its
 * title and body placeholders), the top of its body (or the title's bottom plus the gap), and the
 * bottom margin.
 */
export interface SlideGrid {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Placeholder types that set a slide's grid (not dates, footers, slide numbers or headers). */
const GRID_TYPES = new Set(['title', 'ctrTitle', 'subTitle', 'body', 'obj', 'pic', 'tbl', 'chart', 'dgm', 'media', 'clipArt']);
const TITLE_TYPES = new Set(['title', 'ctrTitle']);

/**
 * A slide's grid from its placeholders (`shapes`: the slide's own, which carry their layout's boxes).
 * Sides come from the placeholders' outer edges when they span most of the slide, else the margin;
 * the top is the highest body's top below the title, else the title's bottom plus the gap.
 */
export function slideGrid(
  shapes: ShapeInfo[],
  slide: { cx: number; cy: number },
  options: PlacementOptions = DEFAULT_PLACEMENT,
): SlideGrid {
  const m = Math.round(Math.min(slide.cx, slide.cy) * options.margin);
  const grid: SlideGrid = { left: m, right: slide.cx - m, top: m, bottom: slide.cy - m };
  const inside = (b: Box) => b.cx > 0 && b.cy > 0 && b.x >= 0 && b.y >= 0 && b.x + b.cx <= slide.cx && b.y + b.cy <= slide.cy;
  let ph = shapes.filter((s) => s.placeholder && s.box && GRID_TYPES.has(s.placeholder.type) && inside(s.box));
  // A slide drawn with plain text boxes (and tables, charts): they are its grid, the topmost one in the upper quarter its title.
  if (!ph.length) {
    const texts = shapes
      .filter((s) => ((s.kind === 'sp' && s.hasText) || s.kind === 'graphicFrame') && !s.placeholder && s.box && inside(s.box))
      .sort((a, b) => a.box!.y - b.box!.y);
    const head = texts[0];
    if (!head || texts.length < 2) return grid;
    const asTitle = head.box!.y + head.box!.cy < slide.cy / 4;
    ph = texts.map((s) => ({ ...s, placeholder: { type: s === head && asTitle ? 'title' : 'body', idx: undefined } }));
  }
  const left = Math.min(...ph.map((s) => s.box!.x));
  const right = Math.max(...ph.map((s) => s.box!.x + s.box!.cx));
  if (right - left >= 0.6 * slide.cx) {
    grid.left = Math.max(m, left);
    grid.right = Math.min(slide.cx - m, right);
  }
  const titles = ph.filter((s) => TITLE_TYPES.has(s.placeholder!.type) && s.box!.y + s.box!.cy / 2 < slide.cy / 2);
  const titleBottom = titles.length ? Math.max(...titles.map((s) => s.box!.y + s.box!.cy)) : undefined;
  const bodies = ph.filter(
    (s) =>
      !TITLE_TYPES.has(s.placeholder!.type) &&
      s.placeholder!.type !== 'subTitle' &&
      (titleBottom === undefined || s.box!.y >= titleBottom - GAP),
  );
  const bodyTop = bodies.length ? Math.min(...bodies.map((s) => s.box!.y)) : undefined;
  const top = bodyTop ?? (titleBottom !== undefined ? titleBottom + GAP : undefined);
  if (top !== undefined && top < slide.cy / 2) grid.top = Math.max(m, top);
  return grid;
}

/**
 * The largest free rectangle of a slide (within the edge margin, `GAP` from every obstacle), as a share
 * of the slide's area, whatever its shape. A slide with text and a free share of at least a quarter is
 * one the planner should illustrate (issue 13's "eligible" slides).
 */
export function largestFreeShare(
  slide: { cx: number; cy: number },
  obstacles: Box[],
  options: PlacementOptions = DEFAULT_PLACEMENT,
): number {
  const m = Math.round(Math.min(slide.cx, slide.cy) * options.margin);
  let best = 0;
  for (const r of freeRects({ x: m, y: m, cx: slide.cx - 2 * m, cy: slide.cy - 2 * m }, obstacles, GAP, 0))
    best = Math.max(best, r.cx * r.cy);
  return best / (slide.cx * slide.cy);
}

/** How much more a whole column beside the text (top on the grid's top, down to its bottom) counts than a leftover corner. */
const COLUMN_BONUS = 1.5;

/**
 * The picture's box: the best free rectangle inside the slide's grid (default: the edge margins), kept
 * `GAP` from every obstacle, trimmed to a sane aspect along the grid lines it touches, at least
 * `minArea` of the slide. A full-height column beside the text is preferred to a larger leftover corner.
 */
export function findFreeBox(
  slide: { cx: number; cy: number },
  obstacles: Box[],
  options: PlacementOptions = DEFAULT_PLACEMENT,
  grid?: SlideGrid,
): PlacementResult {
  const m = Math.round(Math.min(slide.cx, slide.cy) * options.margin);
  const g = grid ?? { left: m, right: slide.cx - m, top: m, bottom: slide.cy - m };
  const area = { x: g.left, y: g.top, cx: g.right - g.left, cy: g.bottom - g.top };
  let best: Box | undefined;
  let bestScore = 0;
  for (const raw of freeRects(area, obstacles, GAP, slide.cx * options.minWidth)) {
    if (raw.cy < slide.cy * options.minHeight) continue;
    const box = trimAligned(raw, area, options.maxElongation);
    if (box.cx * box.cy < slide.cx * slide.cy * options.minArea) continue;
    const column = box.y <= area.y && box.y + box.cy >= area.y + area.cy * 0.8;
    const score = box.cx * box.cy * (column ? COLUMN_BONUS : 1);
    if (score > bestScore) {
      bestScore = score;
      best = box;
    }
  }
  if (!best) return { box: undefined, reason: NO_ROOM };
  return { box: roundBox(best) };
}

/** What a title or section slide's picture must be: a quarter of the slide, and a side panel or a band. */
export const TITLE_COMPOSITION = { minArea: 0.25, panelHeight: 0.8, bandWidth: 0.9, bandHeight: 0.4 };

/**
 * A designed picture for a title or section slide, or none: the largest free full-height side panel
 * (at least 80 % of the slide's height) or full-width band (at least 90 % wide, 40 % high), of at least
 * a quarter of the slide. The picture may bleed to the slide's edges; it keeps the margin from
 * everything the slide shows. Never a corner: a box that is neither a panel nor a band is refused.
 */
export function findTitleBox(
  slide: { cx: number; cy: number },
  obstacles: Box[],
  options: PlacementOptions = DEFAULT_PLACEMENT,
): Box | undefined {
  const m = Math.round(Math.min(slide.cx, slide.cy) * options.margin);
  const t = TITLE_COMPOSITION;
  let best: Box | undefined;
  for (const raw of freeRects({ x: 0, y: 0, ...slide }, obstacles, m, 0)) {
    const panel = raw.cy >= slide.cy * t.panelHeight && raw.cy <= raw.cx * options.maxElongation;
    const band = raw.cx >= slide.cx * t.bandWidth && raw.cy >= slide.cy * t.bandHeight;
    if (!panel && !band) continue;
    // A panel wider than the aspect allows keeps the side away from the text (the picture hugs the slide edge it touches).
    let box = raw;
    if (panel && !band && raw.cx > raw.cy * options.maxElongation)
      box = { ...raw, cx: raw.cy * options.maxElongation, x: raw.x === 0 ? 0 : raw.x + raw.cx - raw.cy * options.maxElongation };
    if (box.cx * box.cy < slide.cx * slide.cy * t.minArea) continue;
    if (!best || box.cx * box.cy > best.cx * best.cy) best = box;
  }
  return best && roundBox(best);
}

/** Whether a box is a title-slide composition: a quarter of the slide and not wholly inside one quadrant. */
export function isTitleWorthy(b: Box, slide: { cx: number; cy: number }): boolean {
  const crosses = (b.x < slide.cx / 2 && b.x + b.cx > slide.cx / 2) || (b.y < slide.cy / 2 && b.y + b.cy > slide.cy / 2);
  return b.cx * b.cy >= slide.cx * slide.cy * TITLE_COMPOSITION.minArea && crosses;
}

/**
 * Maximal free rectangles of `area` (column strips between obstacle edges × the free vertical gaps in
 * each strip), at least `minWidth` wide; obstacles grow by `m` so pictures keep their distance.
 */
function* freeRects(area: Box, obstacles: Box[], m: number, minWidth: number): Generator<Box> {
  const blocks = obstacles
    .map((b) => ({ x0: b.x - m, y0: b.y - m, x1: b.x + b.cx + m, y1: b.y + b.cy + m }))
    .filter((b) => b.x1 > area.x && b.y1 > area.y && b.x0 < area.x + area.cx && b.y0 < area.y + area.cy);
  const xs = uniqueSorted(
    [area.x, area.x + area.cx, ...blocks.flatMap((b) => [b.x0, b.x1])].filter((x) => x >= area.x && x <= area.x + area.cx),
  );
  for (let i = 0; i < xs.length; i++) {
    for (let j = i + 1; j < xs.length; j++) {
      const x0 = xs[i]!;
      const x1 = xs[j]!;
      if (x1 - x0 < minWidth) continue;
      // Free vertical gaps in this column strip.
      const blocked = blocks
        .filter((b) => b.x0 < x1 && b.x1 > x0)
        .map((b) => [Math.max(b.y0, area.y), Math.min(b.y1, area.y + area.cy)] as const);
      blocked.sort((a, b) => a[0] - b[0]);
      let cursor = area.y;
      for (const [y0, y1] of blocked) {
        if (y0 > cursor) yield { x: x0, y: cursor, cx: x1 - x0, cy: y0 - cursor };
        cursor = Math.max(cursor, y1);
      }
      if (cursor < area.y + area.cy) yield { x: x0, y: cursor, cx: x1 - x0, cy: area.y + area.cy - cursor };
    }
  }
}

/**
 * Shrinks an over-elongated box so the long side is at most `max` × the short side, keeping the grid
 * lines it touches: a too-wide box keeps the side on the slide's margin (else its centre), a too-tall
 * one keeps its top.
 */
function trimAligned(b: Box, area: Box, max: number): Box {
  if (b.cx > b.cy * max) {
    const cx = b.cy * max;
    const right = b.x + b.cx >= area.x + area.cx;
    const x = right ? b.x + b.cx - cx : b.x <= area.x ? b.x : b.x + (b.cx - cx) / 2;
    return { x, y: b.y, cx, cy: b.cy };
  }
  if (b.cy > b.cx * max) return { x: b.x, y: b.y, cx: b.cx, cy: b.cx * max };
  return b;
}

function uniqueSorted(v: number[]): number[] {
  return [...new Set(v)].sort((a, b) => a - b);
}

function roundBox(b: Box): Box {
  return { x: Math.round(b.x), y: Math.round(b.y), cx: Math.round(b.cx), cy: Math.round(b.cy) };
}
