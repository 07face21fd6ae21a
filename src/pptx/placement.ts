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

// The largest free rectangle within the margins that overlaps no obstacle, trimmed to a sane aspect.
export function findFreeBox(slide: { cx: number; cy: number }, obstacles: Box[], options: PlacementOptions = DEFAULT_PLACEMENT): PlacementResult {
  const m = Math.round(Math.min(slide.cx, slide.cy) * options.margin);
  const area = { x: m, y: m, cx: slide.cx - 2 * m, cy: slide.cy - 2 * m };
  let best: Box | undefined;
  let bestScore = 0;
  for (const raw of freeRects(area, obstacles, m, slide.cx * options.minWidth)) {
    if (raw.cy < slide.cy * options.minHeight) continue;
    const box = trimAspect(raw, options.maxElongation);
    const score = box.cx * box.cy;
    if (score < slide.cx * slide.cy * options.minArea) continue;
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
export function findTitleBox(slide: { cx: number; cy: number }, obstacles: Box[], options: PlacementOptions = DEFAULT_PLACEMENT): Box | undefined {
  const m = Math.round(Math.min(slide.cx, slide.cy) * options.margin);
  const t = TITLE_COMPOSITION;
  let best: Box | undefined;
  for (const raw of freeRects({ x: 0, y: 0, ...slide }, obstacles, m, 0)) {
    const panel = raw.cy >= slide.cy * t.panelHeight && raw.cy <= raw.cx * options.maxElongation;
    const band = raw.cx >= slide.cx * t.bandWidth && raw.cy >= slide.cy * t.bandHeight;
    if (!panel && !band) continue;
    // A panel wider than the aspect allows keeps the side away from the text (the picture hugs the slide edge it touches).
    let box = raw;
    if (panel && !band && raw.cx > raw.cy * options.maxElongation) box = { ...raw, cx: raw.cy * options.maxElongation, x: raw.x === 0 ? 0 : raw.x + raw.cx - raw.cy * options.maxElongation };
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
  const xs = uniqueSorted([area.x, area.x + area.cx, ...blocks.flatMap((b) => [b.x0, b.x1])].filter((x) => x >= area.x && x <= area.x + area.cx));
  for (let i = 0; i < xs.length; i++) {
    for (let j = i + 1; j < xs.length; j++) {
      const x0 = xs[i]!;
      const x1 = xs[j]!;
      if (x1 - x0 < minWidth) continue;
      // Free vertical gaps in this column strip.
      const blocked = blocks.filter((b) => b.x0 < x1 && b.x1 > x0).map((b) => [Math.max(b.y0, area.y), Math.min(b.y1, area.y + area.cy)] as const);
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

/** Shrinks an over-elongated box around its centre so the long side is at most `max` × the short side. */
function trimAspect(b: Box, max: number): Box {
  if (b.cx > b.cy * max) {
    const cx = b.cy * max;
    return { x: b.x + (b.cx - cx) / 2, y: b.y, cx, cy: b.cy };
  }
  if (b.cy > b.cx * max) {
    const cy = b.cx * max;
    return { x: b.x, y: b.y + (b.cy - cy) / 2, cx: b.cx, cy };
  }
  return b;
}

function uniqueSorted(v: number[]): number[] {
  return [...new Set(v)].sort((a, b) => a - b);
}

function roundBox(b: Box): Box {
  return { x: Math.round(b.x), y: Math.round(b.y), cx: Math.round(b.cx), cy: Math.round(b.cy) };
}
