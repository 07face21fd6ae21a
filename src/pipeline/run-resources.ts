// What one process shares across every deck it runs: the backend wrapped by the cache, and one
// set of limiters. The CLI and the library both build their runs from here.
import path from 'node:path';
import { createCachedProviders } from '../cache/cached-providers.js';
import { openCacheStore } from '../cache/cache-store.js';
import type { Config } from '../config/schema.js';
import { createProviders, type ProviderKind } from '../providers/create-providers.js';
import type { HttpOverrides } from '../providers/provider-http.js';
import type { Providers } from '../providers/types.js';
import { createLimiters, type Limiters } from './limiters.js';

export interface RunResources {
  /** The backend wrapped by the cache. */
  providers: Providers;
  limiters: Limiters;
}

export interface RunResourceOptions {
  provider: ProviderKind | undefined;
  env: NodeJS.ProcessEnv;
  /** Folder the config's cacheDir is relative to. */
  cwd: string;
  force: boolean;
  http?: HttpOverrides | undefined;
  onWarning?: ((message: string) => void) | undefined;
}

export async function createRunResources(config: Config, options: RunResourceOptions): Promise<RunResources> {
  const backend = await createProviders({ kind: options.provider, config, env: options.env, http: options.http });
  const store = await openCacheStore(path.resolve(options.cwd, config.cacheDir));
  const providers = createCachedProviders(backend, { store, config, force: options.force, onWriteError: options.onWarning });
  return { providers, limiters: createLimiters({ llm: config.concurrency.llm, image: config.concurrency.image }) };
}
