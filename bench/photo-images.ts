// The pictures the benchmark's fake API returns: photographic-like PNGs at the API's real sizes
// (1024x1024, 1792x1024, 1024x1792), every one different.
//
// JPEG size and sharp's time depend on content, so a flat colour would flatter both. These have
// the statistics of a photo: luminance from 1/f noise (equal energy per octave, as natural images
// have), smooth colour fields, hard-edged translucent shapes, and sensor grain. Through fitImage
// they encode at about 1.3 bits per pixel, the detailed end of the real photos in the shared corpus
// (0.2 to 1.6 bpp through the same fit), so the bytes-per-picture figure errs on the heavy side.
import sharp from 'sharp';
import { seededRandom } from '../test/helpers/fake-api-data.js';

/** Per-octave amplitude ratio of the luminance noise (1 would be pure 1/f; a little less is a lens). */
const OCTAVE_DECAY = 0.95;
const CHROMA = 0.4;
const GRAIN = 8;
const SHAPES = 12;
/** Distinct base rasters per size; every picture is a different window of one of them. */
const BASES = 8;

/** A smooth random field: `cells`-pixel random values upsampled to w×h (one channel). */
async function field(w: number, h: number, cells: number, random: () => number): Promise<Buffer> {
  const sw = Math.max(2, Math.ceil(w / cells) + 1);
  const sh = Math.max(2, Math.ceil(h / cells) + 1);
  const raw = Buffer.alloc(sw * sh);
  for (let i = 0; i < raw.length; i++) raw[i] = Math.floor(random() * 256);
  return sharp(raw, { raw: { width: sw, height: sh, channels: 1 } })
    .resize(w, h, { kernel: 'cubic', fit: 'fill' })
    .extractChannel(0)
    .raw()
    .toBuffer();
}

const clamp = (v: number) => (v < 0 ? 0 : Math.min(v, 255));

/** One photographic-like RGB raster of w×h, deterministic for a seed. */
async function photoRaster(w: number, h: number, seed: number): Promise<Buffer> {
  const random = seededRandom(seed);
  const lum = new Float32Array(w * h);
  let amp = 70;
  for (let cell = Math.max(w, h) / 2; cell >= 3; cell /= 2) {
    const up = await field(w, h, cell, random);
    for (let i = 0; i < lum.length; i++) lum[i]! += ((up[i]! - 128) * amp) / 128;
    amp *= OCTAVE_DECAY;
  }
  const cb = await field(w, h, Math.max(w, h) / 3, random);
  const cr = await field(w, h, Math.max(w, h) / 3, random);
  const tint = [random() * 60 - 30, random() * 60 - 30, random() * 60 - 30] as const;
  const rgb = Buffer.alloc(w * h * 3);
  for (let i = 0; i < lum.length; i++) {
    const l = 120 + lum[i]!;
    const b = (cb[i]! - 128) * CHROMA;
    const r = (cr[i]! - 128) * CHROMA;
    rgb[3 * i] = clamp(l + 1.4 * r + tint[0]);
    rgb[3 * i + 1] = clamp(l - 0.34 * b - 0.71 * r + tint[1]);
    rgb[3 * i + 2] = clamp(l + 1.77 * b + tint[2]);
  }
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">`;
  for (let k = 0; k < SHAPES; k++) {
    const fill = `rgb(${Math.floor(random() * 256)},${Math.floor(random() * 256)},${Math.floor(random() * 256)})`;
    const x = random() * w;
    const y = random() * h;
    const s = 40 + (random() * Math.min(w, h)) / 4;
    svg +=
      random() < 0.5
        ? `<circle cx="${x}" cy="${y}" r="${s / 2}" fill="${fill}" fill-opacity="0.5"/>`
        : `<rect x="${x}" y="${y}" width="${s}" height="${s * (0.3 + random())}" fill="${fill}" fill-opacity="0.5" transform="rotate(${random() * 60 - 30} ${x} ${y})"/>`;
  }
  svg += '</svg>';
  const out = await sharp(rgb, { raw: { width: w, height: h, channels: 3 } })
    .composite([{ input: Buffer.from(svg) }])
    .removeAlpha()
    .raw()
    .toBuffer();
  for (let i = 0; i < out.length; i++) out[i] = clamp(out[i]! + (random() - 0.5) * GRAIN);
  return out;
}

// `count` different photographic-like PNGs of `size` ("1792x1024"), as base64 (what the API sends).
// Each is a window of one of a few double-size base rasters, so making many stays cheap.
export async function makePhotoPool(size: string, count: number, seed = 1): Promise<string[]> {
  const [w, h] = size.split('x').map(Number) as [number, number];
  const bases: Buffer[] = [];
  for (let b = 0; b < Math.min(BASES, count); b++) bases.push(await photoRaster(2 * w, 2 * h, seed * 1000 + b));
  const pool: string[] = [];
  for (let i = 0; i < count; i++) {
    const k = Math.floor(i / bases.length);
    // 97 is prime to every API width, so windows of one base differ for every k below the width.
    const left = (k * 97) % w;
    const top = (k * 61) % h;
    const png = await sharp(bases[i % bases.length]!, { raw: { width: 2 * w, height: 2 * h, channels: 3 } })
      .extract({ left, top, width: w, height: h })
      .png()
      .toBuffer();
    pool.push(png.toString('base64'));
  }
  return pool;
}
