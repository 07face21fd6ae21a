// A fake paid backend for tests: offline prompts and small solid images (cheap to render), counted
// per call, reported as not offline so usage accounting applies, with optional latency and failures.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { chooseImageSize } from '../../src/providers/image-sizes.js';
import { createOfflineProviders } from '../../src/providers/offline.js';
import type { Backend } from '../../src/providers/types.js';

export interface CountingProviders extends Backend {
  calls: { prompts: number; images: number };
  /** Most image calls seen running at once. */
  maxImagesInFlight: number;
}

export interface CountingOptions {
  imageDelayMs?: number;
  /** Prompts containing this text make the image call fail. */
  failImagesFor?: string;
}

export function createCountingProviders(options: CountingOptions = {}): CountingProviders {
  const offline = createOfflineProviders();
  let inFlight = 0;
  const providers: CountingProviders = {
    kind: 'fake',
    offline: false,
    calls: { prompts: 0, images: 0 },
    maxImagesInFlight: 0,
    prompt: {
      name: 'fake',
      promptFingerprint: 'fake-prompt-v1',
      async writePrompt(req, call) {
        providers.calls.prompts++;
        const result = await offline.prompt.writePrompt(req, call);
        return { ...result, usage: { promptTokens: 10, completionTokens: 5 } };
      },
    },
    image: {
      name: 'fake',
      imageFingerprint: 'fake-image-v1',
      async generateImage(req, call) {
        // Like a real backend, the call holds the caller's slot while it works (see ConcurrencySlot).
        await call?.slot?.acquire();
        providers.calls.images++;
        inFlight++;
        providers.maxImagesInFlight = Math.max(providers.maxImagesInFlight, inFlight);
        try {
          if (options.imageDelayMs) await sleep(options.imageDelayMs, undefined, { signal: call?.signal });
          if (options.failImagesFor && req.prompt.includes(options.failImagesFor))
            throw new Error('fake image API: 500 Internal Server Error');
          return { data: await solidImage(req.prompt, req.aspect), size: chooseImageSize(req.aspect) };
        } finally {
          inFlight--;
        }
      },
    },
  };
  return providers;
}

/** A 64-pixel-high PNG at the request's aspect, its colour taken from the prompt. */
async function solidImage(prompt: string, aspect: number): Promise<Buffer> {
  const [r, g, b] = createHash('sha256').update(prompt).digest();
  return sharp({ create: { width: Math.max(1, Math.round(64 * aspect)), height: 64, channels: 3, background: { r: r!, g: g!, b: b! } } })
    .png()
    .toBuffer();
}
