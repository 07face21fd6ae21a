// The cache command's API: what the cache holds, and pruning entries unused for a while.
export { pruneCache, readCacheStats, type PruneResult } from '../cache/cache-maintenance.js';
