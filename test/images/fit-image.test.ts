import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fitImage, TARGET_DPI } from '../../src/images/fit-image.js';

const EMU = 914_400;
const solid = (w: number, h: number, alpha = 1) =>
  sharp({ create: { width: w, height: h, channels: 4, background: { r: 30, g: 120, b: 200, alpha } } })
    .png()
    .toBuffer();
const noisy = async (w: number, h: number) => {
  const raw = Buffer.alloc(w * h * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 2654435761) >>> 24;
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .png()
    .toBuffer();
};

describe('fitImage', () => {
  it('cover-crops a landscape image to a portrait box without distortion', async () => {
    const out = await fitImage(await solid(1792, 1024), { boxCx: 3 * EMU, boxCy: 4 * EMU });
    const meta = await sharp(out.data).metadata();
    expect(meta.width! / meta.height!).toBeCloseTo(3 / 4, 2);
    expect(out.width).toBe(meta.width);
  });

  it('sizes for the box at the target density', async () => {
    const out = await fitImage(await solid(1792, 1024), { boxCx: 5 * EMU, boxCy: 2.5 * EMU });
    expect(out.width).toBe(5 * TARGET_DPI);
    expect(out.height).toBe(2.5 * TARGET_DPI);
  });

  it('never upscales past the source crop', async () => {
    const out = await fitImage(await solid(400, 300), { boxCx: 13 * EMU, boxCy: 7.5 * EMU });
    expect(out.width).toBeLessThanOrEqual(400);
    expect(out.height).toBeLessThanOrEqual(300);
    expect(out.width / out.height).toBeCloseTo(13 / 7.5, 1);
  });

  it('encodes opaque images as JPEG', async () => {
    const out = await fitImage(await noisy(600, 400), { boxCx: 4 * EMU, boxCy: 3 * EMU });
    expect(out.format).toBe('jpeg');
    expect((await sharp(out.data).metadata()).format).toBe('jpeg');
  });

  it('keeps PNG where transparency matters, and JPEG when the alpha channel is fully opaque', async () => {
    const transparent = await fitImage(await solid(600, 400, 0.5), { boxCx: 4 * EMU, boxCy: 3 * EMU });
    expect(transparent.format).toBe('png');
    expect((await sharp(transparent.data).metadata()).hasAlpha).toBe(true);
    const opaque = await fitImage(await solid(600, 400, 1), { boxCx: 4 * EMU, boxCy: 3 * EMU });
    expect(opaque.format).toBe('jpeg');
  });

  it('rejects bytes that are not an image', async () => {
    await expect(fitImage(Buffer.from('not an image'), { boxCx: EMU, boxCy: EMU })).rejects.toThrow();
  });
});
