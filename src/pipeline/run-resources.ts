// What one process shares across every deck it runs: the backend wrapped by the cache, and one
// set of limiters. The CLI and the library both build their runs from here.
import path from 'node:path';
import { createCacheLookup, createCachedProviders, createPictureStore, type CacheLookup } from '../cache/cached-providers.js';
import { openCacheStore } from '../cache/cache-store.js';
import type { Config } from '../config/schema.js';
import { createProviders, type ProviderKind } from '../providers/create-providers.js';
import type { HttpOverrides } from '../providers/provider-http.js';
import type { BackendIdentity, PictureStore, Providers } from '../providers/types.js';
import { withImageBudget } from '../providers/image-budget.js';
import { resolvePrices, type Prices } from '../model/cost.js';
import { createLimiters, type Limiters } from '../internal/limiters.js';

export interface RunResources {
  /** Which backend, and whether it is offline (free). */
  backend: BackendIdentity;
  /** The backend's providers wrapped by the cache. */
  providers: Providers;
  /**
   * The same cache with no backend behind it: a miss fails the slide instead of paying. A queue's
   * deck job writes with these, once its slide jobs have filled the shared cache.
   */
  cacheOnly: Providers;
  /** Fitted pictures kept by the cache. */
  pictures: PictureStore;
  limiters: Limiters;
  /** Free reads of the cache: what a run would not pay for. */
  lookup: CacheLookup;
  /** Config prices, with what the backend publishes filling the gaps. */
  prices: Prices;
  /**
   * Reports, through onWarning and once, the corrupt cache entries found since the last call
   * (removed and regenerated as misses); call it when a run or pass ends.
   */
  reportCacheRepairs(): void;
}

export interface RunResourceOptions {
  provider: ProviderKind | undefined;
  env: NodeJS.ProcessEnv;
  /** Folder the config's cacheDir is relative to. */
  cwd: string;
  force: boolean;
  http?: HttpOverrides | undefined;
  onWarning?: ((message: string) => void) | undefined;
  /** The most images the whole run pays for (--max-images); cache hits are free and not counted. */
  maxImages?: number | undefined;
  /** Pictures fitted at once (the CPU limit); default the cores, at most 4. */
  cpu?: number | undefined;
}

export async function createRunResources(config: Config, options: RunResourceOptions): Promise<RunResources> {
  const backend = await createProviders({ kind: options.provider, config, env: options.env, http: options.http });
  // The cap sits under the cache, so only calls that reach the backend take a slot.
  const capped = options.maxImages === undefined ? backend : withImageBudget(backend, options.maxImages);
  let corrupt = 0;
  const store = await openCacheStore(path.resolve(options.cwd, config.cacheDir), { onCorrupt: () => corrupt++ });
  const cache = { store, config, force: options.force, onWriteError: options.onWarning };
  return {
    backend: { kind: backend.kind, offline: backend.offline },
    providers: createCachedProviders(capped, cache),
    cacheOnly: createCachedProviders(refusingCalls(backend), cache),
    pictures: createPictureStore(backend, cache),
    limiters: createLimiters({ llm: config.concurrency.llm, image: config.concurrency.image, cpu: options.cpu }),
    lookup: createCacheLookup(backend, cache),
    prices: resolvePrices(config.pricing, backend.prices),
    reportCacheRepairs() {
      if (corrupt) options.onWarning?.(`cache: ${corrupt} corrupt entr${corrupt === 1 ? 'y' : 'ies'} removed and regenerated`);
      corrupt = 0;
    },
  };
}

/** The backend's identity and fingerprints (so the cache keys are the same) with every call refused. */
function refusingCalls(backend: Providers): Providers {
  const refuse = (): never => {
    throw new Error("not in the shared cache: its slide job did not produce it (see the slide job's error)");
  };
  return {
    prompt: { name: backend.prompt.name, promptFingerprint: backend.prompt.promptFingerprint, writePrompt: async () => refuse() },
    image: { name: backend.image.name, imageFingerprint: backend.image.imageFingerprint, generateImage: async () => refuse() },
  };
}
