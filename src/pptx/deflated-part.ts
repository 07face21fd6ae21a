// The XML parts we write deflated by Node's zlib: natively, on the thread pool, in one output
// chunk, ready for the zip writer (zip-writer.ts) with their CRC-32 and sizes. (Pictures are
// stored: see deck-writer.ts.)
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import pLimit from 'p-limit';
import { crc32 } from '../internal/crc32.js';

const deflate = promisify(zlib.deflateRaw);

/** zlib's default level for XML; a caller with already-compressed data may ask for less. */
export const XML_DEFLATE_LEVEL = 6;

/** A part's bytes, deflated (DEFLATE, method 8), with what its zip entry records. */
export interface DeflatedPart {
  readonly data: Buffer;
  readonly crc32: number;
  readonly size: number;
}

/**
 * zlib streams alive at once: libuv's thread pool runs four anyway, and each stream holds ~300 KB
 * of native state from its creation, so deflating a 200-picture deck's 600 parts all at once cost
 * ~180 MB of memory for nothing.
 */
const deflating = pLimit(4);

// Deflates `data` off the main thread, in one output chunk (zlib's default 16 KB chunks cost the
// main thread a callback and a copy each).
export async function deflatePart(data: Buffer, level = XML_DEFLATE_LEVEL): Promise<DeflatedPart> {
  const chunkSize = Math.max(16 * 1024, data.length + (data.length >> 6) + 1024);
  const bytes = await deflating(() => deflate(data, { level, chunkSize }));
  return { data: bytes, crc32: crc32(data), size: data.length };
}
