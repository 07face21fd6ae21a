// Content-addressed cache files: <cacheDir>/{prompts,images,pictures}/<sha256>,
// written atomically as each result arrives, so a killed run leaves only whole entries.
//
// Every entry starts with a fixed header line, "SICACHE2 <size, 12 digits> <CRC-32 of the payload,
// 8 hex>\n" (31 bytes), and is verified on every read: a disk that truncated, emptied or flipped
// bytes of an entry (or something that put a folder in its place) makes it a miss, removed so the
// next write repairs it, instead of failing that slide on every later run. A header beside the
// payload, not a sidecar, keeps an entry one file, written by one rename. A CRC-32 catches what a
// disk does to bytes as well as a sha256 did (the first header, "SICACHE1 <size> <sha256>\n", still
// read) at less than half its cost: 1.35 against 2.87 ms for a 2.7 MB image, 200 of which a
// zero-latency batch writes from its main thread. A Node without a native CRC-32 (before 20.15)
// writes the first. Entries written before the header existed are checked by decoding them
// (isSoundLegacyEntry below) and rewritten with a header, so an upgrade pays for nothing again.
import { createHash } from 'node:crypto';
import { crc32, nativeCrc32 } from '../internal/crc32.js';
import { lstat, rm, utimes } from 'node:fs/promises';
import path from 'node:path';
import { removeStaleTemps, writeFileAtomic } from '../internal/atomic-write.js';
import { readRegularFile } from '../internal/fs-safe.js';
import { parseJsonObject } from '../internal/json.js';
import { loadSharp } from '../images/sharp.js';
import { createClaims, type Claim, type ClaimOptions } from './cache-claims.js';

export type CacheKind = 'prompts' | 'images' | 'pictures';
/** Prompts and generated images as received; pictures as fitted to their boxes. */
export const CACHE_KINDS: readonly CacheKind[] = ['prompts', 'images', 'pictures'];

/** An entry name: 64 hex digits of sha256. Anything else in the folders is not ours. */
export const ENTRY_NAME = /^[0-9a-f]{64}$/;

const MAGIC_V1 = 'SICACHE1 ';
const MAGIC_V2 = 'SICACHE2 ';
/** "SICACHE1 " + 12 digits + " " + 64 hex + "\n". */
const HEADER_V1_BYTES = MAGIC_V1.length + 12 + 1 + 64 + 1;
/** "SICACHE2 " + 12 digits + " " + 8 hex + "\n". */
const HEADER_V2_BYTES = MAGIC_V2.length + 12 + 1 + 8 + 1;
/** The header this Node writes: a CRC-32 where it is native, a sha256 before. */
const WRITES_V2 = Boolean(nativeCrc32);
export const ENTRY_HEADER_BYTES = WRITES_V2 ? HEADER_V2_BYTES : HEADER_V1_BYTES;

export interface CacheStore {
  readonly dir: string;
  /** The entry's bytes, verified, or undefined on a miss; a hit marks the entry as just used. */
  read(kind: CacheKind, hash: string): Promise<Buffer | undefined>;
  write(kind: CacheKind, hash: string, data: Uint8Array | string): Promise<void>;
  /** Whether an entry exists, without reading or verifying it (a plan's "already paid for"; a bad entry is found on read). */
  has(kind: CacheKind, hash: string): Promise<boolean>;
  /** Marks an entry as just used without reading it (an image whose fitted picture was used). */
  touch(kind: CacheKind, hash: string): Promise<void>;
  /**
   * Claims the right to generate an entry, across processes: waits while another live process
   * generates it. Resolves with `waited` (someone else may have written it: read again), or throws
   * the signal's reason when aborted.
   */
  claim(kind: CacheKind, hash: string, signal?: AbortSignal): Promise<Claim>;
}

export interface CacheStoreOptions extends ClaimOptions {
  /** An entry that failed verification and was removed (it is regenerated as a miss). */
  onCorrupt?: ((kind: CacheKind, hash: string) => void) | undefined;
}

// Opens the cache under `dir` (created on first write) and clears temp files of crashed writers.
export async function openCacheStore(dir: string, options: CacheStoreOptions = {}): Promise<CacheStore> {
  for (const kind of CACHE_KINDS) await removeStaleTemps(path.join(dir, kind));
  const file = (kind: CacheKind, hash: string) => path.join(dir, kind, hash);
  // mtime records the last use, so pruning by age removes what nobody has needed lately.
  const touch = async (kind: CacheKind, hash: string) => {
    const now = new Date();
    await utimes(file(kind, hash), now, now).catch(() => undefined);
  };
  const write = async (kind: CacheKind, hash: string, data: Uint8Array | string) => {
    await writeFileAtomic(file(kind, hash), encodeEntry(data));
  };
  // A bad entry goes (a folder too: it is at our entry's name), so the next write can take its place.
  const discard = async (kind: CacheKind, hash: string) => {
    await rm(file(kind, hash), { recursive: true, force: true }).catch(() => undefined);
    options.onCorrupt?.(kind, hash);
  };
  const claims = createClaims(path.join(dir, 'claims'), options);
  return {
    dir,
    async read(kind, hash) {
      const at = file(kind, hash);
      const info = await lstat(at).catch(() => undefined);
      if (!info) return undefined;
      if (!info.isFile()) {
        await discard(kind, hash);
        return undefined;
      }
      let bytes: Buffer;
      try {
        // Checked on the open handle too: whatever replaced the entry since lstat is never waited on.
        bytes = await readRegularFile(at, { maxBytes: MAX_ENTRY_BYTES });
      } catch {
        // Unreadable (permissions, a race with a pruner, swapped for a FIFO or grown absurdly): a miss, and the next write repairs it.
        return undefined;
      }
      const payload = decodeEntry(bytes);
      if (payload === 'legacy') {
        if (!(await isSoundLegacyEntry(kind, bytes))) {
          await discard(kind, hash);
          return undefined;
        }
        // Upgraded once, so the next read checks the cheap way; failing that, it is still a hit.
        await write(kind, hash, bytes).catch(() => undefined);
        return bytes;
      }
      if (!payload) {
        await discard(kind, hash);
        return undefined;
      }
      await touch(kind, hash);
      return payload;
    },
    async has(kind, hash) {
      return (await lstat(file(kind, hash)).catch(() => undefined))?.isFile() ?? false;
    },
    touch,
    write,
    claim: claims.claim,
  };
}

/** Far above any image the APIs return (a few MB); a bigger file at an entry's name is not ours. */
const MAX_ENTRY_BYTES = 256 * 2 ** 20;

// --- internal ---

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

const crcHex = (data: Uint8Array) => crc32(data).toString(16).padStart(8, '0');

// The header and the payload as two chunks, written one after the other: a 2.7 MB image is not
// copied into a new buffer just to put a header in front of it.
function encodeEntry(data: Uint8Array | string): Uint8Array[] {
  const payload = typeof data === 'string' ? Buffer.from(data) : data;
  const size = String(payload.length).padStart(12, '0');
  const header = WRITES_V2 ? `${MAGIC_V2}${size} ${crcHex(payload)}\n` : `${MAGIC_V1}${size} ${sha256(payload)}\n`;
  return [Buffer.from(header, 'latin1'), payload];
}

/** The payload of a sound entry; undefined for a damaged one; 'legacy' for one without a header. */
function decodeEntry(bytes: Buffer): Buffer | undefined | 'legacy' {
  const magic = bytes.toString('latin1', 0, MAGIC_V1.length);
  if (magic !== MAGIC_V1 && magic !== MAGIC_V2) {
    // An entry from before the header: a JSON prompt, a PNG/JPEG image, a JSON line + picture.
    // Empty, or a prefix of a magic itself (truncated in the header), is simply damaged.
    const head = bytes.toString('latin1');
    return bytes.length === 0 || MAGIC_V1.startsWith(head) || MAGIC_V2.startsWith(head) ? undefined : 'legacy';
  }
  const v2 = magic === MAGIC_V2;
  const headerBytes = v2 ? HEADER_V2_BYTES : HEADER_V1_BYTES;
  if (bytes.length < headerBytes) return undefined;
  const m = (v2 ? /^SICACHE2 (\d{12}) ([0-9a-f]{8})\n$/ : /^SICACHE1 (\d{12}) ([0-9a-f]{64})\n$/).exec(
    bytes.toString('latin1', 0, headerBytes),
  );
  if (!m) return undefined;
  const payload = bytes.subarray(headerBytes);
  if (payload.length !== Number(m[1]) || (v2 ? crcHex(payload) : sha256(payload)) !== m[2]) return undefined;
  return payload;
}

// Entries written before entries carried a size and hash: nothing recorded says what they should
// be, so they are checked by decoding them whole, once, before being trusted. A prompt is a JSON
// object with a string prompt; an image decodes; a picture is a JSON line then an image that
// decodes. sharp (loaded on first use) fails on truncated or corrupt data it notices.
async function isSoundLegacyEntry(kind: CacheKind, bytes: Buffer): Promise<boolean> {
  if (kind === 'prompts') return typeof parseJsonObject(bytes.toString('utf8'))?.['prompt'] === 'string';
  let image = bytes;
  if (kind === 'pictures') {
    const eol = bytes.indexOf(0x0a);
    if (eol < 0 || !parseJsonObject(bytes.subarray(0, eol).toString('utf8'))) return false;
    image = bytes.subarray(eol + 1);
  }
  if (!image.length) return false;
  try {
    const sharp = await loadSharp();
    await sharp(image, { failOn: 'warning', limitInputPixels: 8192 * 8192 })
      .raw()
      .toBuffer();
    return true;
  } catch {
    return false;
  }
}
