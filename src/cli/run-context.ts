// What the illustrate and schedule commands share: the config, one set of cached providers and
// one set of limiters for everything the process runs.
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { Limiters } from '../pipeline/limiters.js';
import { createRunResources } from '../pipeline/run-resources.js';
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
  const resources = await createRunResources(config, {
    provider: flags.provider,
    env: io.env,
    cwd: io.cwd,
    force: flags.force,
    http: httpOverrides(io, flags.debug),
    onWarning: (message) => io.stderr.write(`slide-illustrate: warning: ${message}\n`),
  });
  return { config, ...resources };
}

/** Network overrides plus, with --debug, one stderr line per failed attempt. */
export function httpOverrides(io: CliIo, debug: boolean): HttpOverrides {
  return { ...io.http, log: debug ? (line) => io.stderr.write(`debug: ${line}\n`) : io.http?.log };
}
