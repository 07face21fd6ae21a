// What the cache holds (entries, bytes, oldest and newest use) and pruning entries unused for a while.
import { lstat, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { removeStaleTemps } from '../internal/atomic-write.js';
import { LOCK_STALE_MS } from '../internal/lock-file.js';
import { CACHE_KINDS, ENTRY_NAME, type CacheKind } from './cache-store.js';

export interface CacheStats {
  dir: string;
  entries: Record<CacheKind, number>;
  bytes: Record<CacheKind, number>;
  /** Least and most recent use (entry mtime, touched on every hit); undefined when empty. */
  oldest: Date | undefined;
  newest: Date | undefined;
}

export interface PruneResult {
  removed: number;
  bytes: number;
  /** Temp files of killed writers, and claims of crashed runs, cleared on the way. */
  temps: number;
}

// Counts the entries and bytes of the cache under `dir`; a missing cache is an empty one.
export async function readCacheStats(dir: string): Promise<CacheStats> {
  const stats: CacheStats = {
    dir,
    entries: { prompts: 0, images: 0, pictures: 0 },
    bytes: { prompts: 0, images: 0, pictures: 0 },
    oldest: undefined,
    newest: undefined,
  };
  for (const entry of await listEntries(dir)) {
    stats.entries[entry.kind]++;
    stats.bytes[entry.kind] += entry.size;
    if (!stats.oldest || entry.used < stats.oldest) stats.oldest = entry.used;
    if (!stats.newest || entry.used > stats.newest) stats.newest = entry.used;
  }
  return stats;
}

// Removes entries last used before `now - olderThanMs`, and temp files of crashed writers.
export async function pruneCache(dir: string, olderThanMs: number, now = Date.now()): Promise<PruneResult> {
  const result: PruneResult = { removed: 0, bytes: 0, temps: 0 };
  for (const kind of CACHE_KINDS) result.temps += await removeStaleTemps(path.join(dir, kind));
  result.temps += await removeStaleClaims(path.join(dir, 'claims'), now);
  for (const entry of await listEntries(dir)) {
    if (entry.used.getTime() >= now - olderThanMs) continue;
    await rm(entry.file, { force: true });
    result.removed++;
    result.bytes += entry.size;
  }
  return result;
}

// --- internal ---

// Claims (cache-claims.ts) whose heartbeat stopped longer ago than the stale bound: their owner is
// gone whatever host it ran on. A live owner refreshes its claim every 30 s, so it is never touched.
async function removeStaleClaims(folder: string, now: number): Promise<number> {
  let removed = 0;
  for (const name of await readdir(folder).catch(() => [] as string[])) {
    if (!ENTRY_NAME.test(name.replace(/\.break$/, ''))) continue;
    const s = await lstat(path.join(folder, name)).catch(() => undefined);
    if (!s?.isFile() || s.mtimeMs >= now - LOCK_STALE_MS) continue;
    await rm(path.join(folder, name), { force: true });
    removed++;
  }
  return removed;
}

interface Entry {
  kind: CacheKind;
  file: string;
  size: number;
  used: Date;
}

async function listEntries(dir: string): Promise<Entry[]> {
  const out: Entry[] = [];
  for (const kind of CACHE_KINDS) {
    const folder = path.join(dir, kind);
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names.filter((n) => ENTRY_NAME.test(n))) {
      const file = path.join(folder, name);
      const s = await stat(file).catch(() => undefined);
      if (s?.isFile()) out.push({ kind, file, size: s.size, used: s.mtime });
    }
  }
  return out;
}
