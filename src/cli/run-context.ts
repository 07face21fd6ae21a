// What the illustrate and schedule commands share: the config, one set of cached providers and
// one set of limiters for everything the process runs.
import path from 'node:path';
import { createCachedProviders } from '../cache/cached-providers.js';
import { openCacheStore } from '../cache/cache-store.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
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
}

// Loads the config with the flags applied, then creates the cached providers and the limiters.
export async function createRunContext(flags: RunArgs, io: CliIo): Promise<RunContext> {
  const overrides = { concurrency: { image: flags.concurrency }, cacheDir: flags.cacheDir, rpm: flags.rpm, timeoutSeconds: flags.timeout };
  const { config } = await loadConfig({ file: flags.config, cwd: io.cwd, overrides });
  const backend = await createProviders({ kind: flags.provider, config, env: io.env, http: httpOverrides(io, flags.debug) });
  const store = await openCacheStore(path.resolve(io.cwd, config.cacheDir));
  const providers = createCachedProviders(backend, { store, config, force: flags.force, onWriteError: (message) => io.stderr.write(`slide-illustrate: warning: ${message}\n`) });
  return { config, providers, limiters: createLimiters({ llm: config.concurrency.llm, image: config.concurrency.image }) };
}

/** Network overrides plus, with --debug, one stderr line per failed attempt. */
export function httpOverrides(io: CliIo, debug: boolean): HttpOverrides {
  return { ...io.http, log: debug ? (line) => io.stderr.write(`debug: ${line}\n`) : io.http?.log };
}
