// Chooses the backend: --provider wins; otherwise Infomaniak when a token is set, else offline.
import type { Config } from '../config/schema.js';
import { invalidValue, UsageError } from '../errors.js';
import { readEnv } from '../internal/env.js';
import { createInfomaniakProviders } from './infomaniak.js';
import { createOfflineProviders } from './offline.js';
import { createOpenAiProviders } from './openai-compatible.js';
import type { HttpOverrides } from './provider-http.js';
import type { Backend } from './types.js';

export type ProviderKind = 'offline' | 'infomaniak' | 'openai';
export const PROVIDER_KINDS: readonly ProviderKind[] = ['offline', 'infomaniak', 'openai'];

export interface ProviderOptions {
  kind?: ProviderKind | undefined;
  config: Config;
  env: NodeJS.ProcessEnv;
  /** Replacements for the network, waits and jitter (tests, benchmark). */
  http?: HttpOverrides | undefined;
  signal?: AbortSignal | undefined;
}

export function resolveProviderKind(kind: ProviderKind | undefined, env: NodeJS.ProcessEnv): ProviderKind {
  if (kind) return kind;
  return readEnv(env, 'INFOMANIAK_API_TOKEN') ? 'infomaniak' : 'offline';
}

// Creates the providers of one run; remote ones check their account and models first, with free calls.
export async function createProviders(options: ProviderOptions): Promise<Backend> {
  const kind = resolveProviderKind(options.kind, options.env);
  if (kind === 'infomaniak') return createInfomaniakProviders(options);
  if (kind === 'openai') return createOpenAiProviders(options);
  return createOfflineProviders({ imageDelayMs: offlineDelayMs(options.env) });
}

/** SLIDE_ILLUSTRATE_OFFLINE_DELAY_MS: milliseconds the offline provider spends per image (tests and benchmarks). */
export function offlineDelayMs(env: NodeJS.ProcessEnv): number | undefined {
  const raw = readEnv(env, 'SLIDE_ILLUSTRATE_OFFLINE_DELAY_MS');
  if (raw === undefined) return undefined;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 0 || ms > 600_000)
    throw new UsageError(invalidValue('SLIDE_ILLUSTRATE_OFFLINE_DELAY_MS', 'milliseconds from 0 to 600000', raw));
  return ms;
}
