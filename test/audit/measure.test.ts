// The placement audit's pixel measurements, on synthetic images: text-like edges under a box hide
// content, flat colour and smooth gradients do not; edges just outside the box touch it.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_THRESHOLDS,
  edgeMap,
  emuToPx,
  inCorner,
  measureBox,
  slideShare,
  toGray,
  type GrayImage,
  type PxBox,
} from '../../scripts/audit/measure.js';

const W = 400;
const H = 300;

function image(fill: (x: number, y: number) => number): GrayImage {
  const data = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) data[y * W + x] = fill(x, y);
  return { data, width: W, height: H };
}

function measure(img: GrayImage, box: PxBox) {
  return measureBox(edgeMap(img), img.width, img.height, box);
}

/** Real anti-aliased glyphs, as LibreOffice's render at 40 dpi draws a bullet line, rendered by sharp. */
async function textImage(text: string, x: number, y: number, size: number, background = 255): Promise<GrayImage> {
  const bg = `rgb(${background},${background},${background})`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="${W}" height="${H}" fill="${bg}"/><text x="${x}" y="${y}" font-family="sans-serif" font-size="${size}" fill="#333">${text}</text></svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return toGray(data, info.width, info.height, info.channels);
}

const box: PxBox = { x0: 200, y0: 100, x1: 380, y1: 280 };

describe('placement audit measurements', () => {
  it('counts a box over a line of text as hiding', async () => {
    const img = await textImage('Market Segment Priorities', 210, 150, 9);
    const m = measure(img, box);
    expect(m.insideEdges).toBeGreaterThanOrEqual(DEFAULT_THRESHOLDS.hideEdges);
    expect(m.hiding).toBe(true);
  });

  it('counts a box over a single short word as hiding', async () => {
    const m = measure(await textImage('Sales', 220, 200, 9), box);
    expect(m.hiding).toBe(true);
  });

  it('counts a box over a 1 px table rule as hiding', () => {
    const m = measure(
      image((_x, y) => (y === 190 ? 90 : 255)),
      box,
    );
    expect(m.insideEdges).toBeGreaterThan(100);
    expect(m.hiding).toBe(true);
  });

  it('counts a box over flat colour as clean, even with text elsewhere on the slide', async () => {
    const img = await textImage('Title of the slide', 10, 40, 20, 230);
    const m = measure(img, box);
    expect(m.insideEdges).toBe(0);
    expect(m.hiding).toBe(false);
    expect(m.touching).toBe(false);
  });

  it('counts a box over a smooth gradient as clean', () => {
    // The full luminance range across the slide, and a steeper band: 4 levels per pixel.
    expect(
      measure(
        image((x) => Math.round((x / (W - 1)) * 255)),
        box,
      ).hiding,
    ).toBe(false);
    const steep = measure(
      image((_x, y) => Math.min(255, Math.max(0, (y - 120) * 4))),
      box,
    );
    expect(steep.insideEdges).toBe(0);
    expect(steep.hiding).toBe(false);
  });

  it('counts text just above the box as touching, not hiding', async () => {
    // Glyphs end at the baseline (y = 98); the box starts 2 px below.
    const m = measure(await textImage('receive from using your product.', 205, 98, 9), box);
    expect(m.hiding).toBe(false);
    expect(m.touching).toBe(true);
  });

  it('ignores a frame drawn exactly on the box edge (rounding of EMU to pixels)', () => {
    const onEdge = (x: number, y: number) =>
      ((x === box.x0 || x === box.x1 - 1) && y >= box.y0 && y < box.y1) ||
      ((y === box.y0 || y === box.y1 - 1) && x >= box.x0 && x < box.x1);
    const m = measure(
      image((x, y) => (onEdge(x, y) ? 0 : 255)),
      box,
    );
    expect(m.hiding).toBe(false);
  });

  it('maps EMU boxes to pixels and classifies size and corners', () => {
    const slide = { cx: 12_192_000, cy: 6_858_000 };
    expect(emuToPx({ x: 6_096_000, y: 0, cx: 6_096_000, cy: 6_858_000 }, slide, 533, 300)).toEqual({ x0: 267, y0: 0, x1: 533, y1: 300 });
    expect(slideShare({ x: 6_096_000, y: 0, cx: 6_096_000, cy: 6_858_000 }, slide)).toBeCloseTo(0.5);
    expect(slideShare({ x: 10_000_000, y: 0, cx: 6_096_000, cy: 6_858_000 }, slide)).toBeCloseTo(2_192_000 / 12_192_000);
    expect(inCorner({ x: 7_000_000, y: 4_000_000, cx: 4_000_000, cy: 2_500_000 }, slide)).toBe(true);
    expect(inCorner({ x: 6_096_000, y: 0, cx: 6_096_000, cy: 6_858_000 }, slide)).toBe(false);
    expect(inCorner({ x: 1_000_000, y: 3_000_000, cx: 10_000_000, cy: 1_000_000 }, slide)).toBe(false);
  });
});
