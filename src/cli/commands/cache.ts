// `slide-illustrate cache`: what the cache holds, and pruning entries unused for a while.
import path from 'node:path';
import { pruneCache, readCacheStats, type PruneResult } from '../../api/cache.js';
import { loadConfig } from '../../config/load.js';
import type { CacheArgs } from '../args.js';
import type { CliIo } from '../io.js';
import { printable } from '../../internal/printable.js';

// Prints the cache's entries, bytes and oldest/newest use, after pruning when asked; exit 0.
export async function runCacheCommand(args: CacheArgs, io: CliIo): Promise<number> {
  const { config } = await loadConfig({ file: args.config, cwd: io.cwd, overrides: { cacheDir: args.cacheDir } });
  const dir = path.resolve(io.cwd, config.cacheDir);
  const pruned = args.pruneOlderThanMs === undefined ? undefined : await pruneCache(dir, args.pruneOlderThanMs);
  const stats = await readCacheStats(dir);
  if (args.json) {
    io.stdout.write(
      `${JSON.stringify({ ...stats, oldest: stats.oldest?.toISOString() ?? null, newest: stats.newest?.toISOString() ?? null, pruned: pruned ?? null }, null, 2)}\n`,
    );
    return 0;
  }
  const rel = printable(path.relative(io.cwd, dir) || dir);
  if (pruned) io.stdout.write(`pruned ${formatPruned(pruned)}\n`);
  const total = stats.entries.prompts + stats.entries.images + stats.entries.pictures;
  const bytes = stats.bytes.prompts + stats.bytes.images + stats.bytes.pictures;
  const span = stats.oldest && stats.newest ? `; last used ${stats.oldest.toISOString()} … ${stats.newest.toISOString()}` : '';
  io.stdout.write(
    `${rel}: ${total} entries, ${formatBytes(bytes)} (${stats.entries.prompts} prompts, ${stats.entries.images} images, ${stats.entries.pictures} fitted pictures)${span}\n`,
  );
  return 0;
}

/** "1.5 MB": powers of 1000, as file managers show sizes. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit ? value.toFixed(1) : value} ${units[unit]}`;
}

function formatPruned(p: PruneResult): string {
  return `${p.removed} entr${p.removed === 1 ? 'y' : 'ies'} (${formatBytes(p.bytes)})${p.temps ? ` and ${p.temps} leftover temp file${p.temps === 1 ? '' : 's'}` : ''}`;
}
