// Runs the real pipeline with the offline providers, as a library call.
import { defaultConfig, type Config } from '../../src/config/schema.js';
import { createLimiters } from '../../src/pipeline/limiters.js';
import { runDeck } from '../../src/pipeline/run-deck.js';
import type { DeckReport } from '../../src/pipeline/types.js';
import { createOfflineProviders } from '../../src/providers/offline.js';
import type { Providers } from '../../src/providers/types.js';

export async function illustrateOffline(input: string, output: string, options: { config?: Partial<Config>; providers?: Providers } = {}): Promise<DeckReport> {
  const config = { ...defaultConfig(), ...options.config };
  return runDeck(input, {
    config,
    providers: options.providers ?? createOfflineProviders(),
    limiters: createLimiters({ llm: config.concurrency.llm, image: config.concurrency.image }),
    output,
  });
}
