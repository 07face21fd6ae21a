// What the illustrate and schedule commands share: the config, one set of cached providers and
// one set of limiters for everything the process runs.
import path from 'node:path';
import { createCacheLookup, createCachedProviders, type CacheLookup } from '../cache/cached-providers.js';
import { openCacheStore } from '../cache/cache-store.js';
import { loadConfig, type DeepPartial } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { withImageBudget } from '../pipeline/budget.js';
import { resolvePrices, type Prices } from '../pipeline/cost.js';
import { createLimiters, type Limiters } from '../pipeline/limiters.js';
import { createProviders } from '../providers/create-providers.js';
import type { HttpOverrides } from '../providers/provider-http.js';
import type { Providers } from '../providers/types.js';
import type { RunArgs } from './args.js';
import type { CliIo } from './main.js';

export interface RunContext {
  config: Config;
  /** The backend wrapped by the cache. */
  providers: Providers;
  limiters: Limiters;
  /** Free reads of the cache: what a run would not pay for. */
  lookup: CacheLookup;
  /** Config prices, with what the backend publishes filling the gaps. */
  prices: Prices;
}

export interface RunContextOptions {
  /** --max-images: the most images the whole run pays for (cache hits are free and not counted). */
  maxImages?: number | undefined;
}

// Loads the config with the flags applied, then creates the cached providers and the limiters.
export async function createRunContext(flags: RunArgs, io: CliIo, options: RunContextOptions = {}): Promise<RunContext> {
  const { config } = await loadConfig({ file: flags.config, cwd: io.cwd, overrides: configOverrides(flags) });
  const backend = await createProviders({ kind: flags.provider, config, env: io.env, http: httpOverrides(io, flags.debug) });
  // The cap sits under the cache, so only calls that reach the backend take a slot.
  const capped = options.maxImages === undefined ? backend : withImageBudget(backend, options.maxImages);
  const store = await openCacheStore(path.resolve(io.cwd, config.cacheDir));
  const cache = { store, config, force: flags.force, onWriteError: (message: string) => io.stderr.write(`slide-illustrate: warning: ${message}\n`) };
  return {
    config,
    providers: createCachedProviders(capped, cache),
    limiters: createLimiters({ llm: config.concurrency.llm, image: config.concurrency.image }),
    lookup: createCacheLookup(backend, cache),
    prices: resolvePrices(config.pricing, backend.prices),
  };
}

/** The flags that stand for config keys, shaped like the config: they win over the file. */
export function configOverrides(flags: RunArgs): DeepPartial<Config> {
  return { concurrency: { image: flags.concurrency }, cacheDir: flags.cacheDir, rpm: flags.rpm, timeoutSeconds: flags.timeout };
}

/** Network overrides plus, with --debug, one stderr line per failed attempt. */
export function httpOverrides(io: CliIo, debug: boolean): HttpOverrides {
  return { ...io.http, log: debug ? (line) => io.stderr.write(`debug: ${line}\n`) : io.http?.log };
}
