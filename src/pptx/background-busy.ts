// The busy parts of background pictures — bands, rules, logos, photos — as obstacles, so a new
// picture never covers what a master, layout or slide background draws. Smooth gradients and
// flat colour stay free.
import { loadSharp } from '../images/sharp.js';
import type { Box } from './geometry.js';
import type { Package } from './package.js';
import { readRels, type Relationship } from './opc.js';
import { attr, children, path, type XmlElement } from './xml.js';

/** The grid a background picture is decoded to (about 16:9; cells are stretched to the picture's box). */
export const GRID = { cols: 64, rows: 36 };
/** A cell differs from its neighbour by more than this (0–255, any channel): an edge. */
const EDGE = 40;
/** A cell's colour is this far (0–255, any channel) from a smooth fit of the whole picture: detail. */
const CONTRAST = 48;
/** When more than this share of the cells is busy, the whole picture is one obstacle. */
const MOSTLY_BUSY = 0.6;
/** Fine lines: the picture is also decoded at this many pixels per cell (a 512 × 288 image, about a slide at 40 dpi). */
const FINE = 8;
/** A grey (or opacity) step between neighbouring fine pixels above this (0–255) is a line: a rule, a faint outline, a line texture. */
const LINE_STEP = 24;
/** A cell with at least this many line pixels (of FINE × FINE) shows detail, however smooth its average colour. */
const LINE_PIXELS = 3;

/**
 * Busy regions of a picture drawn over `box` (slide EMU), merged into rectangles. A cell is busy
 * when it sits on a sharp edge (next to a neighbour of clearly different colour) or when its colour
 * departs from a smooth quadratic fit of the whole picture (a band, a logo, a photo's detail); a
 * linear or radial gradient fits that surface and stays free. Pictures sharp cannot decode (EMF,
 * WMF …) yield no regions.
 */
export async function busyRegions(image: Uint8Array, box: Box): Promise<Box[]> {
  let data: Buffer;
  try {
    // Loaded on first use: a deck without background pictures never waits for sharp before its first request.
    const sharp = await loadSharp();
    data = await sharp(image, { limitInputPixels: 100_000_000 })
      .flatten({ background: '#ffffff' })
      .resize(GRID.cols, GRID.rows, { fit: 'fill', kernel: 'cubic' })
      .removeAlpha()
      .raw()
      .toBuffer();
  } catch {
    return [];
  }
  const { cols, rows } = GRID;
  const lines = await linePixelsPerCell(image, cols, rows);
  const px = (x: number, y: number, c: number) => data[(y * cols + x) * 3 + c]!;
  // Robust fit: cells far from the surface (a band, a logo) are left out and the surface fitted
  // again to the rest, so the background's own smooth shading is what detail is measured against.
  const inFit: boolean[] = new Array(cols * rows).fill(true);
  let fit = [0, 1, 2].map((c) => quadraticFit(cols, rows, (x, y) => px(x, y, c), inFit));
  for (let round = 0; round < 3; round++) {
    for (let y = 0; y < rows; y++)
      for (let x = 0; x < cols; x++) inFit[y * cols + x] = [0, 1, 2].every((c) => Math.abs(px(x, y, c) - fit[c]!(x, y)) <= CONTRAST);
    if (inFit.filter(Boolean).length < 0.2 * cols * rows) break;
    fit = [0, 1, 2].map((c) => quadraticFit(cols, rows, (x, y) => px(x, y, c), inFit));
  }
  const busy: boolean[] = new Array(cols * rows).fill(false);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      let hit = (lines?.[y * cols + x] ?? 0) >= LINE_PIXELS;
      for (let c = 0; c < 3 && !hit; c++) {
        const v = px(x, y, c);
        if (Math.abs(v - fit[c]!(x, y)) > CONTRAST) hit = true;
        if (x + 1 < cols && Math.abs(v - px(x + 1, y, c)) > EDGE) hit = true;
        if (x > 0 && Math.abs(v - px(x - 1, y, c)) > EDGE) hit = true;
        if (y + 1 < rows && Math.abs(v - px(x, y + 1, c)) > EDGE) hit = true;
        if (y > 0 && Math.abs(v - px(x, y - 1, c)) > EDGE) hit = true;
      }
      busy[y * cols + x] = hit;
    }
  }
  const count = busy.filter(Boolean).length;
  if (count === 0) return [];
  if (count > MOSTLY_BUSY * cols * rows) return [{ ...box }];
  return mergeCells(busy, cols, rows).map((r) => {
    const x0 = box.x + Math.floor((r.x0 * box.cx) / cols);
    const y0 = box.y + Math.floor((r.y0 * box.cy) / rows);
    const x1 = box.x + Math.ceil((r.x1 * box.cx) / cols);
    const y1 = box.y + Math.ceil((r.y1 * box.cy) / rows);
    return { x: x0, y: y0, cx: x1 - x0, cy: y1 - y0 };
  });
}

/**
 * Per grid cell, how many pixels of the picture decoded at FINE pixels per cell step by more than
 * LINE_STEP grey levels to their right or lower neighbour: fine lines and faint outlines that averaging
 * into one colour per cell smooths away (a feathered drawing, a texture of thin rings).
 */
async function linePixelsPerCell(image: Uint8Array, cols: number, rows: number): Promise<number[] | undefined> {
  const w = cols * FINE;
  const h = rows * FINE;
  let rgba: Buffer;
  try {
    const sharp = await loadSharp();
    rgba = await sharp(image, { limitInputPixels: 100_000_000 })
      .ensureAlpha()
      .resize(w, h, { fit: 'fill', kernel: 'cubic' })
      .raw()
      .toBuffer();
  } catch {
    return undefined;
  }
  if (rgba.length !== w * h * 4) return undefined;
  // Grey over white (Rec. 601), and the alpha channel: the outline of a shape drawn in a transparent
  // picture shows over whatever lies under it (LibreOffice draws a white feather on white with a grey rim).
  const grey = new Float32Array(w * h);
  const alpha = new Uint8Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const a = rgba[i * 4 + 3]! / 255;
    const lum = 0.299 * rgba[i * 4]! + 0.587 * rgba[i * 4 + 1]! + 0.114 * rgba[i * 4 + 2]!;
    grey[i] = a * lum + (1 - a) * 255;
    alpha[i] = rgba[i * 4 + 3]!;
  }
  const step = (i: number, j: number) => Math.abs(grey[i]! - grey[j]!) > LINE_STEP || Math.abs(alpha[i]! - alpha[j]!) > LINE_STEP;
  const counts = new Array<number>(cols * rows).fill(0);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if ((x + 1 < w && step(i, i + 1)) || (y + 1 < h && step(i, i + w))) counts[Math.floor(y / FINE) * cols + Math.floor(x / FINE)]!++;
    }
  }
  return counts;
}

// Least-squares fit, over the cells in `use`, of v ≈ a + b·x + c·y + d·x² + e·y² + f·x·y over the grid (normal equations).
function quadraticFit(
  cols: number,
  rows: number,
  value: (x: number, y: number) => number,
  use: boolean[],
): (x: number, y: number) => number {
  const terms = (x: number, y: number) => {
    const u = x / cols - 0.5;
    const w = y / rows - 0.5;
    return [1, u, w, u * u, w * w, u * w];
  };
  const n = 6;
  const a = Array.from({ length: n }, () => new Array<number>(n + 1).fill(0));
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      if (!use[y * cols + x]) continue;
      const t = terms(x, y);
      const v = value(x, y);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) a[i]![j]! += t[i]! * t[j]!;
        a[i]![n]! += t[i]! * v;
      }
    }
  }
  // Gaussian elimination with partial pivoting.
  for (let i = 0; i < n; i++) {
    let p = i;
    for (let r = i + 1; r < n; r++) if (Math.abs(a[r]![i]!) > Math.abs(a[p]![i]!)) p = r;
    [a[i], a[p]] = [a[p]!, a[i]!];
    const d = a[i]![i]!;
    if (Math.abs(d) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === i) continue;
      const f = a[r]![i]! / d;
      for (let c = i; c <= n; c++) a[r]![c]! -= f * a[i]![c]!;
    }
  }
  const coef = a.map((row, i) => (Math.abs(row[i]!) < 1e-12 ? 0 : row[n]! / row[i]!));
  return (x, y) => terms(x, y).reduce((sum, t, i) => sum + t * coef[i]!, 0);
}

// Busy cells as rectangles: runs along each row, stacked while the next row has the same run.
function mergeCells(busy: boolean[], cols: number, rows: number): { x0: number; y0: number; x1: number; y1: number }[] {
  const done: { x0: number; y0: number; x1: number; y1: number }[] = [];
  let open: { x0: number; y0: number; x1: number; y1: number }[] = [];
  for (let y = 0; y < rows; y++) {
    const runs: [number, number][] = [];
    for (let x = 0; x < cols; x++) {
      if (!busy[y * cols + x]) continue;
      const start = x;
      while (x + 1 < cols && busy[y * cols + x + 1]) x++;
      runs.push([start, x + 1]);
    }
    const next: typeof open = [];
    for (const [x0, x1] of runs) {
      const same = open.find((r) => r.x0 === x0 && r.x1 === x1);
      if (same) {
        same.y1 = y + 1;
        next.push(same);
      } else next.push({ x0, y0: y, x1, y1: y + 1 });
    }
    for (const r of open) if (!next.includes(r)) done.push(r);
    open = next;
  }
  return [...done, ...open];
}

/** A part's background picture (p:bg/p:bgPr/a:blipFill) relationship id, '' for a background without a picture, undefined when the part sets none. */
function backgroundBlip(root: XmlElement | undefined): string | undefined {
  const bg = path(root, 'cSld', 'bg');
  if (!bg) return undefined;
  const blip = path(bg, 'bgPr', 'blipFill', 'blip');
  return blip ? (embedOf(blip) ?? '') : '';
}

function embedOf(blip: XmlElement): string | undefined {
  for (const [k, v] of Object.entries(blip.attrs)) if (k === 'embed' || k.endsWith(':embed')) return v;
  return undefined;
}

/** Pictures in a layout's or master's tree that cover ≥ 90 % of the slide (drawn behind the slide's content). */
function fullSlidePictures(root: XmlElement | undefined, slide: { cx: number; cy: number }): { rid: string; box: Box }[] {
  const out: { rid: string; box: Box }[] = [];
  for (const el of children(path(root, 'cSld', 'spTree'))) {
    if (el.local !== 'pic') continue;
    const off = path(el, 'spPr', 'xfrm', 'off');
    const ext = path(el, 'spPr', 'xfrm', 'ext');
    const box = { x: Number(attr(off, 'x')), y: Number(attr(off, 'y')), cx: Number(attr(ext, 'cx')), cy: Number(attr(ext, 'cy')) };
    const blip = path(el, 'blipFill', 'blip');
    const rid = blip ? embedOf(blip) : undefined;
    if (!rid || !Number.isFinite(box.x + box.y + box.cx + box.cy) || box.cx * box.cy < 0.9 * slide.cx * slide.cy) continue;
    out.push({ rid, box });
  }
  return out;
}

export interface BackgroundSource {
  part: string;
  root: XmlElement | undefined;
}

/**
 * Busy regions of what is drawn behind a slide's content: the effective background picture (the
 * slide's own p:bg, else its layout's, else its master's) and full-slide pictures in the slide, layout and
 * master trees (the master's only when shown). `cache` shares decoded pictures between slides.
 */
export async function backgroundObstacles(
  pkg: Package,
  slide: BackgroundSource,
  layout: BackgroundSource | undefined,
  master: BackgroundSource | undefined,
  options: { size: { cx: number; cy: number }; showMaster: boolean; cache: Map<string, Promise<Box[]>> },
): Promise<Box[]> {
  const full = { x: 0, y: 0, ...options.size };
  const decode = async (part: string, rid: string, box: Box): Promise<Box[]> => {
    const key = `${part}#${rid}#${box.x},${box.y},${box.cx},${box.cy}`;
    let p = options.cache.get(key);
    if (!p) {
      p = (async () => {
        const rel: Relationship | undefined = (await readRels(pkg, part)).find((r) => r.id === rid);
        if (!rel || rel.external || !pkg.has(rel.target)) return [];
        return busyRegions(await pkg.readBytes(rel.target), box);
      })();
      options.cache.set(key, p);
    }
    return p;
  };
  const out: Box[] = [];
  for (const level of [slide, layout, master]) {
    if (!level) continue;
    const rid = backgroundBlip(level.root);
    if (rid === undefined) continue;
    if (rid) out.push(...(await decode(level.part, rid, full)));
    break;
  }
  // A full-slide photo on the slide itself is a backdrop too: its busy parts show as much as a layout's.
  const trees = [slide, layout, options.showMaster ? master : undefined];
  for (const level of trees) {
    if (!level) continue;
    for (const pic of fullSlidePictures(level.root, options.size)) out.push(...(await decode(level.part, pic.rid, pic.box)));
  }
  return out;
}
