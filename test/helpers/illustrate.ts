// Runs the real pipeline (read → plan → apply) on one deck as a library call, offline by default.
import { uncachedLookup } from '../../src/cache/cached-providers.js';
import { defaultConfig, type Config } from '../../src/config/schema.js';
import { createLimiters, type Limiters } from '../../src/internal/limiters.js';
import { planRun, takePresentation } from '../../src/pipeline/plan-run.js';
import { draftDeck, runDeck } from '../../src/pipeline/run-deck.js';
import type { RunEnv } from '../../src/stages/run-env.js';
import type { DeckReport } from '../../src/model/report.js';
import { createOfflineProviders } from '../../src/providers/offline.js';
import type { BackendIdentity, Providers } from '../../src/providers/types.js';

export interface DeckRunOptions {
  config?: Partial<Config>;
  /** Default: the offline backend. A backend's own kind and offline flag are kept; bare providers count as paid. */
  providers?: Providers & Partial<BackendIdentity>;
  limiters?: Limiters;
  signal?: AbortSignal;
  onEvent?: RunEnv['onEvent'];
}

// Plans and applies one deck with no cache; returns its report.
export async function illustrateDeckFile(input: string, output: string, options: DeckRunOptions = {}): Promise<DeckReport> {
  const { planned, run } = await planOne(input, output, options);
  return runDeck(planned.plan.decks[0]!, takePresentation(planned, input), run);
}

// Plans one deck and drafts its prompts, as --dry-run does; nothing written.
export async function draftDeckFile(
  input: string,
  output: string,
  options: DeckRunOptions & { isImageCached?: () => Promise<boolean> } = {},
): Promise<DeckReport> {
  const { planned, run } = await planOne(input, output, options);
  return draftDeck(planned.plan.decks[0]!, { ...run, isImageCached: options.isImageCached ?? (async () => false) });
}

export async function illustrateOffline(
  input: string,
  output: string,
  options: { config?: Partial<Config>; providers?: Providers & Partial<BackendIdentity> } = {},
): Promise<DeckReport> {
  return illustrateDeckFile(input, output, options);
}

async function planOne(input: string, output: string, options: DeckRunOptions) {
  const config = { ...defaultConfig(), ...options.config };
  const providers = options.providers ?? createOfflineProviders();
  const backend = { kind: providers.kind ?? 'test', offline: providers.offline ?? false };
  const planned = await planRun([{ input, output }], config, uncachedLookup(providers, config), { backend });
  const limiters = options.limiters ?? createLimiters({ llm: config.concurrency.llm, image: config.concurrency.image });
  const run: RunEnv = { backend, providers, limiters, signal: options.signal, onEvent: options.onEvent };
  return { planned, run };
}
