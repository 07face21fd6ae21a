// Binary parts (our pictures) deflated by Node's zlib instead of jszip's: jszip deflates in
// JavaScript (pako) on the main thread, about 7 ms per 140 KB JPEG, 1.4 s for a 200-slide deck;
// zlib runs natively on the thread pool. The entry is the same DEFLATE entry (method 8) at the same
// level, handed to jszip already compressed, as jszip itself holds the entries of a zip it loads.
import { promisify } from 'node:util';
import { deflateRaw } from 'node:zlib';
import type JSZip from 'jszip';
import CompressedObject from 'jszip/lib/compressedObject.js';
import compressions from 'jszip/lib/compressions.js';
import crc32 from 'jszip/lib/crc32.js';

const deflate = promisify(deflateRaw);

/** zlib's default, as jszip's generateAsync is given. */
export const MEDIA_DEFLATE_LEVEL = 6;

/** A part's bytes, deflated and ready to be added. */
export interface DeflatedPart {
  readonly data: Buffer;
  readonly compressed: unknown;
}

// Deflates `data` off the main thread.
export async function deflatePart(data: Buffer): Promise<DeflatedPart> {
  const bytes = await deflate(data, { level: MEDIA_DEFLATE_LEVEL });
  return { data, compressed: new CompressedObject(bytes.length, data.length, crc32(data), compressions.DEFLATE, bytes) };
}

// Adds the part to `zip` as a DEFLATE entry without compressing it again.
export function addDeflatedPart(zip: JSZip, name: string, part: DeflatedPart): void {
  // jszip's typings do not list its own CompressedObject among file() inputs; its code takes it.
  zip.file(name, part.compressed as Buffer, { binary: true, createFolders: false, compression: 'DEFLATE' });
}
