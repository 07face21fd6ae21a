// Offline placeholder art: a calm abstract composition rendered from SVG by sharp,
// seeded by the prompt so the same slide always gets the same picture.
import { createHash } from 'node:crypto';
import { loadSharp } from './sharp.js';

/** Used when a deck's theme has no readable colours. */
const FALLBACK_PALETTE = ['#1f4e79', '#2e75b6', '#70ad47', '#ffc000', '#ed7d31', '#5b9bd5'];

export interface ArtOptions {
  width: number;
  height: number;
  palette: string[];
  seed: string;
}

// A seeded pseudo-random generator (mulberry32) so art is deterministic per prompt.
function random(seed: string): () => number {
  let a = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function abstractSvg({ width, height, palette, seed }: ArtOptions): string {
  const rnd = random(seed);
  const colours = palette.length >= 2 ? palette : FALLBACK_PALETTE;
  const pick = () => colours[Math.floor(rnd() * colours.length)]!;
  const bgA = pick();
  const bgB = pick();
  const shapes: string[] = [];
  // Soft overlapping discs and a few flowing bands: readable behind nothing, pleasant beside text.
  for (let i = 0; i < 7; i++) {
    const r = (0.15 + rnd() * 0.35) * Math.min(width, height);
    shapes.push(
      `<circle cx="${(rnd() * width).toFixed(1)}" cy="${(rnd() * height).toFixed(1)}" r="${r.toFixed(1)}" fill="${pick()}" fill-opacity="${(0.25 + rnd() * 0.35).toFixed(2)}" filter="url(#soft)"/>`,
    );
  }
  for (let i = 0; i < 3; i++) {
    const y = rnd() * height;
    const amp = (0.1 + rnd() * 0.2) * height;
    shapes.push(
      `<path d="M0 ${y.toFixed(1)} C ${(width * 0.3).toFixed(1)} ${(y - amp).toFixed(1)}, ${(width * 0.6).toFixed(1)} ${(y + amp).toFixed(1)}, ${width} ${(y - amp / 2).toFixed(1)} L ${width} ${height} L 0 ${height} Z" fill="${pick()}" fill-opacity="${(0.18 + rnd() * 0.2).toFixed(2)}"/>`,
    );
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${bgA}"/><stop offset="1" stop-color="${bgB}"/></linearGradient>` +
    `<filter id="soft"><feGaussianBlur stdDeviation="${(Math.min(width, height) / 40).toFixed(1)}"/></filter></defs>` +
    `<rect width="100%" height="100%" fill="url(#bg)"/>${shapes.join('')}</svg>`
  );
}

// Renders the art as PNG bytes at the given size.
export async function renderAbstractArt(options: ArtOptions): Promise<Buffer> {
  const sharp = await loadSharp();
  return sharp(Buffer.from(abstractSvg(options)))
    .png({ compressionLevel: 6 })
    .toBuffer();
}
