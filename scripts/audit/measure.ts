// Pixel measurements of the placement audit: does a picture's box, laid over the render of the
// input slide, cover anything the slide showed there (edges of text, rules, shapes), and does it
// touch content (edges in a thin band around it)? Pure functions over a luminance image.

/** A one-channel (luminance 0–255) image, row-major. */
export interface GrayImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** A box in pixels: [x0, x1) × [y0, y1). */
export interface PxBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface Thresholds {
  /** A pixel is an edge when luminance jumps by more than this to its right or lower neighbour. */
  edgeStep: number;
  /** Pixels of the box's rim ignored inside (rounding of EMU to pixels, a frame drawn on the box's own edge). */
  inset: number;
  /** Width of the band around the box, in pixels (about 0.1 in). */
  band: number;
  /** A box hides content when this many edge pixels lie inside it… */
  hideEdges: number;
  /** …and they are at least this share of the box's inner area. */
  hideShare: number;
  /** A box touches content when this many edge pixels lie in the band around it. */
  touchEdges: number;
}

/** Calibrated at 40 dpi on the MRD template, O12Typical and the demo deck (see PLACEMENT.md). */
export const DEFAULT_THRESHOLDS: Thresholds = { edgeStep: 24, inset: 2, band: 4, hideEdges: 25, hideShare: 0.001, touchEdges: 8 };

/** Rec. 601 luminance of an RGB(A) buffer with `channels` bytes per pixel. */
export function toGray(rgb: Uint8Array, width: number, height: number, channels: number): GrayImage {
  const data = new Uint8Array(width * height);
  for (let i = 0, p = 0; i < data.length; i++, p += channels)
    data[i] = Math.round(0.299 * rgb[p]! + 0.587 * rgb[p + 1]! + 0.114 * rgb[p + 2]!);
  return { data, width, height };
}

/**
 * 1 where the luminance steps by more than `step` to the right or downwards neighbour. Flat colour and
 * smooth gradients (a few levels per pixel) give none; text, rules and shape outlines give many.
 */
export function edgeMap(img: GrayImage, step: number = DEFAULT_THRESHOLDS.edgeStep): Uint8Array {
  const { data, width, height } = img;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const v = data[i]!;
      const right = x + 1 < width ? Math.abs(data[i + 1]! - v) : 0;
      const down = y + 1 < height ? Math.abs(data[i + width]! - v) : 0;
      if (right > step || down > step) out[i] = 1;
    }
  }
  return out;
}

function clip(box: PxBox, width: number, height: number): PxBox {
  return {
    x0: Math.max(0, Math.min(width, box.x0)),
    y0: Math.max(0, Math.min(height, box.y0)),
    x1: Math.max(0, Math.min(width, box.x1)),
    y1: Math.max(0, Math.min(height, box.y1)),
  };
}

function area(b: PxBox): number {
  return Math.max(0, b.x1 - b.x0) * Math.max(0, b.y1 - b.y0);
}

/** Edge pixels inside a box (clipped to the image). */
export function countEdges(edges: Uint8Array, width: number, height: number, box: PxBox): number {
  const b = clip(box, width, height);
  let n = 0;
  for (let y = b.y0; y < b.y1; y++) for (let x = b.x0; x < b.x1; x++) n += edges[y * width + x]!;
  return n;
}

export interface BoxMeasure {
  /** Edge pixels inside the box (less its rim). */
  insideEdges: number;
  /** Inner area in pixels. */
  insideArea: number;
  /** insideEdges ÷ insideArea. */
  insideShare: number;
  /** Edge pixels in the band around the box (the rim of the box itself included). */
  bandEdges: number;
  hiding: boolean;
  touching: boolean;
}

// Measures what lies under a picture's box and around it in the render of the input slide.
export function measureBox(edges: Uint8Array, width: number, height: number, box: PxBox, t: Thresholds = DEFAULT_THRESHOLDS): BoxMeasure {
  const inner = clip({ x0: box.x0 + t.inset, y0: box.y0 + t.inset, x1: box.x1 - t.inset, y1: box.y1 - t.inset }, width, height);
  const outer = clip({ x0: box.x0 - t.band, y0: box.y0 - t.band, x1: box.x1 + t.band, y1: box.y1 + t.band }, width, height);
  const insideEdges = area(inner) > 0 ? countEdges(edges, width, height, inner) : 0;
  const bandEdges = countEdges(edges, width, height, outer) - insideEdges;
  const insideArea = area(inner);
  const insideShare = insideArea ? insideEdges / insideArea : 0;
  const hiding = insideEdges >= t.hideEdges && insideShare >= t.hideShare;
  return { insideEdges, insideArea, insideShare, bandEdges, hiding, touching: bandEdges >= t.touchEdges };
}

/** A box in EMU on a slide of `slide` EMU, mapped onto a render `width` × `height` pixels. */
export function emuToPx(
  box: { x: number; y: number; cx: number; cy: number },
  slide: { cx: number; cy: number },
  width: number,
  height: number,
): PxBox {
  const sx = width / slide.cx;
  const sy = height / slide.cy;
  return {
    x0: Math.round(box.x * sx),
    y0: Math.round(box.y * sy),
    x1: Math.round((box.x + box.cx) * sx),
    y1: Math.round((box.y + box.cy) * sy),
  };
}

/** Share of the slide a box covers (the part on the slide). */
export function slideShare(box: { x: number; y: number; cx: number; cy: number }, slide: { cx: number; cy: number }): number {
  const w = Math.max(0, Math.min(slide.cx, box.x + box.cx) - Math.max(0, box.x));
  const h = Math.max(0, Math.min(slide.cy, box.y + box.cy) - Math.max(0, box.y));
  return (w * h) / (slide.cx * slide.cy);
}

/** A box lying wholly in one quadrant of the slide (it crosses neither centre line): a corner picture. */
export function inCorner(box: { x: number; y: number; cx: number; cy: number }, slide: { cx: number; cy: number }): boolean {
  const crossesV = box.x < slide.cx / 2 && box.x + box.cx > slide.cx / 2;
  const crossesH = box.y < slide.cy / 2 && box.y + box.cy > slide.cy / 2;
  return !crossesV && !crossesH;
}
