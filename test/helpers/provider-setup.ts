// Providers wired to a fresh fake API, with instant retries, for provider and CLI tests.
import { afterEach } from 'vitest';
import { configSchema, type WrittenConfig } from '../../src/config/schema.js';
import { createProviders, type ProviderKind } from '../../src/providers/create-providers.js';
import type { PromptRequest } from '../../src/providers/types.js';
import { startFakeApi, type FakeApi, type FakeApiOptions } from './fake-infomaniak.js';

const open: FakeApi[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((api) => api.close()));
});

// A fake API closed after the test.
export async function fakeApi(options: FakeApiOptions = {}): Promise<FakeApi> {
  const api = await startFakeApi(options);
  open.push(api);
  return api;
}

/** The environment that points the Infomaniak provider at `api`. */
export const infomaniakEnv = (api: FakeApi, more: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  INFOMANIAK_API_TOKEN: api.token,
  INFOMANIAK_BASE_URL: api.url,
  ...more,
});

export interface SetupOptions {
  kind?: ProviderKind;
  env?: NodeJS.ProcessEnv;
  config?: WrittenConfig;
}

// Providers over `api`; waits between retries are recorded, not slept.
export async function providersFor(api: FakeApi, options: SetupOptions = {}) {
  const sleeps: number[] = [];
  // Generous enough for a loaded test machine; tests of hung answers set a short one.
  const config = configSchema.parse({ timeoutSeconds: 2, ...options.config });
  const providers = await createProviders({
    kind: options.kind ?? 'infomaniak',
    config,
    env: options.env ?? infomaniakEnv(api),
    http: { sleep: async (ms) => void sleeps.push(ms), random: () => 0 },
  });
  return { providers, sleeps, config };
}

// A slide with every kind of text, as the pipeline would ask for it.
export function slideRequest(over: Partial<PromptRequest> = {}): PromptRequest {
  return {
    slide: { title: 'Safety first', body: 'Wear a helmet\nKeep the aisles clear', notes: 'Mention the fire drill on Friday' },
    deckTitle: 'Warehouse onboarding',
    style: '',
    maxChars: 400,
    slideNumber: 2,
    ...over,
  };
}
