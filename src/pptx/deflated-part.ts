// The parts we write (pictures, edited XML) deflated by Node's zlib instead of jszip's: jszip deflates in
// JavaScript (pako) on the main thread, about 7 ms per 140 KB JPEG, 1.4 s for a 200-slide deck;
// zlib runs natively on the thread pool. The entry is the same DEFLATE entry (method 8), handed to
// jszip already compressed, as jszip itself holds the entries of a zip it loads.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import type JSZip from 'jszip';
import pLimit from 'p-limit';
import CompressedObject from 'jszip/lib/compressedObject.js';
import compressions from 'jszip/lib/compressions.js';
import crc32 from 'jszip/lib/crc32.js';
import DataWorker from 'jszip/lib/stream/DataWorker.js';
import type { MediaSpool, SpooledRange } from './media-spool.js';

const deflate = promisify(zlib.deflateRaw);
// zlib.crc32 is native (Node ≥ 20.15); jszip's is JavaScript, ~0.1 ms per 10 KB.
const nativeCrc32 = (zlib as { crc32?: (data: Buffer) => number }).crc32;
const checksum = (data: Buffer): number => (nativeCrc32 ? nativeCrc32(data) : crc32(data));

/**
 * Pictures are JPEG or PNG, compressed already: level 6 saves nothing over level 1 on them (0.06 %
 * of 28 MB measured) and costs several times the CPU. XML keeps zlib's default, as jszip's own.
 */
export const MEDIA_DEFLATE_LEVEL = 1;
export const XML_DEFLATE_LEVEL = 6;

/** A part's bytes, deflated and ready to be added. */
export interface DeflatedPart {
  readonly compressed: unknown;
}

/** A picture made ready for the package as soon as it is fitted: hashed (its media name) and deflated. */
export interface PreparedMedia {
  readonly sha256: string;
  readonly part: DeflatedPart;
}

// Hashes and deflates a picture, so a deck's pictures wait for the write without their raw bytes;
// with a spool, without their deflated bytes either (they wait on disk, see media-spool.ts).
export async function prepareMedia(data: Buffer, spool?: MediaSpool): Promise<PreparedMedia> {
  const sha256 = createHash('sha256').update(data).digest('hex');
  if (!spool) return { sha256, part: await deflatePart(data, MEDIA_DEFLATE_LEVEL) };
  const bytes = await deflateBytes(data, MEDIA_DEFLATE_LEVEL);
  const range = await spool.add(bytes);
  return { sha256, part: { compressed: new SpooledObject(bytes.length, data.length, checksum(data), spool, range) } };
}

/**
 * zlib streams alive at once: libuv's thread pool runs four anyway, and each stream holds ~300 KB
 * of native state from its creation, so deflating a 200-picture deck's 600 parts all at once cost
 * ~180 MB of memory for nothing.
 */
const deflating = pLimit(4);

// Deflates `data` off the main thread, in one output chunk (zlib's default 16 KB chunks cost the
// main thread a callback and a copy each).
export async function deflatePart(data: Buffer, level = MEDIA_DEFLATE_LEVEL): Promise<DeflatedPart> {
  const bytes = await deflateBytes(data, level);
  return { compressed: new CompressedObject(bytes.length, data.length, checksum(data), compressions.DEFLATE, bytes) };
}

function deflateBytes(data: Buffer, level: number): Promise<Buffer> {
  const chunkSize = Math.max(16 * 1024, data.length + (data.length >> 6) + 1024);
  return deflating(() => deflate(data, { level, chunkSize }));
}

/**
 * A deflated entry whose bytes are in a spool. jszip asks an entry for its worker when a write
 * begins, for every entry at once, and its own worker reads its data there and then; this one reads
 * when jszip resumes it, which it does for one entry at a time.
 */
class SpooledObject extends CompressedObject {
  constructor(
    compressedSize: number,
    uncompressedSize: number,
    crc: number,
    private readonly spool: MediaSpool,
    private readonly range: SpooledRange,
  ) {
    super(compressedSize, uncompressedSize, crc, compressions.DEFLATE, new Uint8Array(0));
  }

  override getCompressedWorker(): unknown {
    return lazyWorker(() => this.spool.read(this.range))
      .withStreamInfo('compressedSize', this.compressedSize)
      .withStreamInfo('uncompressedSize', this.uncompressedSize)
      .withStreamInfo('crc32', this.crc32)
      .withStreamInfo('compression', this.compression);
  }

  override getContentWorker(): unknown {
    return lazyWorker(() => this.spool.read(this.range)).pipe(this.compression.uncompressWorker());
  }
}

// A DataWorker over bytes that are read on its first resume.
function lazyWorker(read: () => Promise<Buffer>): DataWorker {
  let start: (() => void) | undefined;
  const data = new Promise<Uint8Array>((resolve, reject) => {
    start = () => void read().then(resolve, reject);
  });
  const worker = new DataWorker(data);
  const resume = worker.resume.bind(worker);
  worker.resume = () => {
    start?.();
    start = undefined;
    return resume();
  };
  return worker;
}

// Adds the part to `zip` as a DEFLATE entry without compressing it again.
export function addDeflatedPart(zip: JSZip, name: string, part: DeflatedPart): void {
  // jszip's typings do not list its own CompressedObject among file() inputs; its code takes it.
  zip.file(name, part.compressed as Buffer, { binary: true, createFolders: false, compression: 'DEFLATE' });
}

/** What jszip keeps of an entry it loaded (internal fields of its ZipObject). */
interface LoadedEntry {
  _data?: { compression?: unknown };
  options: { compression?: string | null };
}

// Entries of a loaded zip keep their own method when it is written again. jszip otherwise applies
// generateAsync's method to every entry it did not get one for: a deck whose parts are stored
// (pptxgenjs writes them so) would have every untouched part deflated, in JavaScript, on each write.
export function keepLoadedCompression(zip: JSZip): void {
  for (const entry of Object.values(zip.files) as unknown as LoadedEntry[]) {
    const method = entry._data?.compression;
    if (method === compressions.STORE) entry.options.compression = 'STORE';
    else if (method === compressions.DEFLATE) entry.options.compression = 'DEFLATE';
  }
}
