// What the illustrate and schedule commands share: the config, one set of cached providers and
// one set of limiters for everything the process runs.
import { loadConfig, type DeepPartial } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { HttpOverrides } from '../api/account.js';
import { openRun, type RunResources } from '../api/run.js';
import type { RunArgs } from './args.js';
import type { CliIo } from './io.js';
import { printable } from '../internal/printable.js';

export interface RunContext extends RunResources {
  config: Config;
}

export interface RunContextOptions {
  /** --max-images: the most images the whole run pays for (cache hits are free and not counted). */
  maxImages?: number | undefined;
}

// The config file with the flags applied.
export async function loadRunConfig(flags: RunArgs, io: CliIo): Promise<Config> {
  return (await loadConfig({ file: flags.config, cwd: io.cwd, overrides: configOverrides(flags) })).config;
}

/** What opening a run takes from the flags and the process: backend, environment, folder, network. */
export function runOptions(flags: RunArgs, io: CliIo) {
  return {
    provider: flags.provider,
    env: io.env,
    cwd: io.cwd,
    force: flags.force,
    http: httpOverrides(io, flags.debug),
    onWarning: (message: string) => io.stderr.write(`slide-illustrate: warning: ${printable(message)}\n`),
  };
}

// Loads the config (unless given), then opens the run: the cached backend and the limiters.
export async function createRunContext(flags: RunArgs, io: CliIo, options: RunContextOptions = {}, loaded?: Config): Promise<RunContext> {
  const config = loaded ?? (await loadRunConfig(flags, io));
  const resources = await openRun({ ...runOptions(flags, io), config, maxImages: options.maxImages });
  return { config, ...resources };
}

/** The flags that stand for config keys, shaped like the config: they win over the file. */
export function configOverrides(flags: RunArgs): DeepPartial<Config> {
  return { concurrency: { image: flags.concurrency }, cacheDir: flags.cacheDir, rpm: flags.rpm, timeoutSeconds: flags.timeout };
}

/** Network overrides plus, with --debug, one stderr line per failed attempt. */
export function httpOverrides(io: CliIo, debug: boolean): HttpOverrides {
  return { ...io.http, log: debug ? (line) => io.stderr.write(`debug: ${printable(line)}\n`) : io.http?.log };
}
