// Thumbnails for the HTML report: the fitted picture as it shows in its box, as a small JPEG
// data: URI, so the report is one self-contained file.
import { loadSharp } from '../images/sharp.js';

/** Largest thumbnail, in pixels: a contact-sheet card, sharp on a high-density screen. */
export const THUMB_MAX = { width: 320, height: 240 } as const;
const JPEG_QUALITY = 72;

// The picture cropped to the box's aspect (as the slide shows it) and shrunk to ≤320×240, as `data:image/jpeg;base64,…`.
export async function makeThumbnail(picture: Buffer, box: { cx: number; cy: number }): Promise<string> {
  const aspect = box.cx / box.cy;
  const width = Math.max(1, Math.round(Math.min(THUMB_MAX.width, THUMB_MAX.height * aspect)));
  const height = Math.max(1, Math.round(width / aspect));
  const sharp = await loadSharp();
  const jpeg = await sharp(picture, { failOn: 'error' })
    .resize({ width, height, fit: 'cover', position: 'centre' })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: JPEG_QUALITY, mozjpeg: true })
    .toBuffer();
  return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
}
