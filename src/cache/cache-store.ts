// Content-addressed cache files: <cacheDir>/{prompts,images,pictures}/<sha256>,
// written atomically as each result arrives, so a killed run leaves only whole entries.
import { readFile, utimes } from 'node:fs/promises';
import path from 'node:path';
import { removeStaleTemps, writeFileAtomic } from '../internal/atomic-write.js';

export type CacheKind = 'prompts' | 'images' | 'pictures';
/** Prompts and generated images as received; pictures as fitted to their boxes. */
export const CACHE_KINDS: readonly CacheKind[] = ['prompts', 'images', 'pictures'];

/** An entry name: 64 hex digits of sha256. Anything else in the folders is not ours. */
export const ENTRY_NAME = /^[0-9a-f]{64}$/;

export interface CacheStore {
  readonly dir: string;
  /** The entry's bytes, or undefined on a miss; a hit marks the entry as just used. */
  read(kind: CacheKind, hash: string): Promise<Buffer | undefined>;
  write(kind: CacheKind, hash: string, data: Uint8Array | string): Promise<void>;
  /** Marks an entry as just used without reading it (an image whose fitted picture was used). */
  touch(kind: CacheKind, hash: string): Promise<void>;
}

// Opens the cache under `dir` (created on first write) and clears temp files of crashed writers.
export async function openCacheStore(dir: string): Promise<CacheStore> {
  for (const kind of CACHE_KINDS) await removeStaleTemps(path.join(dir, kind));
  const file = (kind: CacheKind, hash: string) => path.join(dir, kind, hash);
  // mtime records the last use, so pruning by age removes what nobody has needed lately.
  const touch = async (kind: CacheKind, hash: string) => {
    const now = new Date();
    await utimes(file(kind, hash), now, now).catch(() => undefined);
  };
  return {
    dir,
    async read(kind, hash) {
      let data: Buffer;
      try {
        data = await readFile(file(kind, hash));
      } catch {
        // Missing or unreadable: either way a miss, and the next write repairs it.
        return undefined;
      }
      await touch(kind, hash);
      return data;
    },
    touch,
    async write(kind, hash, data) {
      await writeFileAtomic(file(kind, hash), data);
    },
  };
}
