// Entries written before entries carried a size and hash (cache-store.ts): nothing recorded says
// what they should be, so they are checked by decoding them whole, once, before being trusted.
import sharp from 'sharp';
import { parseJsonObject } from '../internal/json.js';
import type { CacheKind } from './cache-store.js';

// A prompt is a JSON object with a string prompt; an image decodes; a picture is a JSON line
// then an image that decodes. sharp fails on truncated or corrupt data it notices.
export async function isSoundLegacyEntry(kind: CacheKind, bytes: Buffer): Promise<boolean> {
  if (kind === 'prompts') return typeof parseJsonObject(bytes.toString('utf8'))?.['prompt'] === 'string';
  let image = bytes;
  if (kind === 'pictures') {
    const eol = bytes.indexOf(0x0a);
    if (eol < 0 || !parseJsonObject(bytes.subarray(0, eol).toString('utf8'))) return false;
    image = bytes.subarray(eol + 1);
  }
  if (!image.length) return false;
  try {
    await sharp(image, { failOn: 'warning', limitInputPixels: 8192 * 8192 }).raw().toBuffer();
    return true;
  } catch {
    return false;
  }
}
