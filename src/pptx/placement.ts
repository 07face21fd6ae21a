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
}

export const DEFAULT_PLACEMENT: PlacementOptions = { margin: 0.04, minWidth: 0.2, minHeight: 0.22, maxElongation: 2.4 };

export type PlacementResult = { box: Box } | { box: undefined; reason: string };

/** Shapes a new picture must not cover: text, tables/charts, pictures (not ours), and non-background shapes. */
export function obstaclesOf(shapes: ShapeInfo[], slide: { cx: number; cy: number }): Box[] {
  const area = slide.cx * slide.cy;
  const out: Box[] = [];
  for (const s of shapes) {
    if (!s.box || s.ours || s.box.cx <= 0 || s.box.cy <= 0) continue;
    const cover = (s.box.cx * s.box.cy) / area;
    if (s.kind === 'cxnSp') continue;
    // Empty placeholders show nothing in a slide show.
    if (s.placeholder && !s.hasText && s.kind === 'sp') continue;
    // Near-full-slide pictures are backdrops; large empty shapes are panels content sits on.
    if (s.kind === 'pic' && cover >= 0.9) continue;
    if (s.kind === 'sp' && !s.hasText && cover >= 0.6) continue;
    // Text shapes block only the part their text covers.
    out.push(s.textBox ?? s.box);
  }
  return out;
}

// The largest free rectangle within the margins that overlaps no obstacle, trimmed to a sane aspect.
export function findFreeBox(slide: { cx: number; cy: number }, obstacles: Box[], options: PlacementOptions = DEFAULT_PLACEMENT): PlacementResult {
  const m = Math.round(Math.min(slide.cx, slide.cy) * options.margin);
  const area = { x: m, y: m, cx: slide.cx - 2 * m, cy: slide.cy - 2 * m };
  // Obstacles grow by the margin so pictures keep their distance; clip to the usable area.
  const blocks = obstacles
    .map((b) => ({ x0: b.x - m, y0: b.y - m, x1: b.x + b.cx + m, y1: b.y + b.cy + m }))
    .filter((b) => b.x1 > area.x && b.y1 > area.y && b.x0 < area.x + area.cx && b.y0 < area.y + area.cy);
  const xs = uniqueSorted([area.x, area.x + area.cx, ...blocks.flatMap((b) => [b.x0, b.x1])].filter((x) => x >= area.x && x <= area.x + area.cx));
  let best: Box | undefined;
  let bestScore = 0;
  for (let i = 0; i < xs.length; i++) {
    for (let j = i + 1; j < xs.length; j++) {
      const x0 = xs[i]!;
      const x1 = xs[j]!;
      const w = x1 - x0;
      if (w < slide.cx * options.minWidth) continue;
      // Free vertical gaps in this column strip.
      const blocked = blocks.filter((b) => b.x0 < x1 && b.x1 > x0).map((b) => [Math.max(b.y0, area.y), Math.min(b.y1, area.y + area.cy)] as const);
      blocked.sort((a, b) => a[0] - b[0]);
      let cursor = area.y;
      const gaps: [number, number][] = [];
      for (const [y0, y1] of blocked) {
        if (y0 > cursor) gaps.push([cursor, y0]);
        cursor = Math.max(cursor, y1);
      }
      if (cursor < area.y + area.cy) gaps.push([cursor, area.y + area.cy]);
      for (const [y0, y1] of gaps) {
        const h = y1 - y0;
        if (h < slide.cy * options.minHeight) continue;
        const box = trimAspect({ x: x0, y: y0, cx: w, cy: h }, options.maxElongation);
        const score = box.cx * box.cy;
        if (score > bestScore) {
          bestScore = score;
          best = box;
        }
      }
    }
  }
  if (!best) return { box: undefined, reason: 'no free area large enough for a picture' };
  return { box: roundBox(best) };
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
