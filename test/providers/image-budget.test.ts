import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { OVER_BUDGET_REASON, OverBudgetError, withImageBudget } from '../../src/providers/image-budget.js';
import { ProviderError, type ProviderErrorKind } from '../../src/providers/provider-errors.js';
import { createOfflineProviders } from '../../src/providers/offline.js';
import type { ImageResult, Providers } from '../../src/providers/types.js';

/** Offline providers whose image call yields to the event loop, fails as told, and counts itself. */
function countingImages(fail: (call: number) => ProviderErrorKind | undefined = () => undefined) {
  const base = createOfflineProviders();
  const seen = { calls: 0, inFlight: 0, most: 0 };
  const providers: Providers = {
    prompt: base.prompt,
    image: {
      ...base.image,
      async generateImage(): Promise<ImageResult> {
        const call = ++seen.calls;
        seen.most = Math.max(seen.most, ++seen.inFlight);
        try {
          await tick();
          const kind = fail(call);
          if (kind)
            throw new ProviderError(`fake: ${kind}`, {
              method: 'POST',
              path: 'images/generations',
              kind,
              retryable: false,
              status: kind === 'status' ? 500 : undefined,
            });
          return { data: Buffer.from('png') };
        } finally {
          seen.inFlight--;
        }
      },
    },
  };
  return { providers, seen };
}

const request = (i: number) => ({ prompt: `picture ${i}`, aspect: 1.5, palette: [] });

describe('--max-images budget', () => {
  it('a call for n variants takes n images of the cap, and is refused when fewer are left', async () => {
    const { providers, seen } = countingImages();
    const capped = withImageBudget(providers, 5);
    await capped.image.generateImage({ ...request(1), variants: 3 });
    expect(capped.budget.used).toBe(3);
    await expect(capped.image.generateImage({ ...request(2), variants: 3 })).rejects.toBeInstanceOf(OverBudgetError);
    await capped.image.generateImage({ ...request(3), variant: 2 });
    expect([capped.budget.used, seen.calls]).toEqual([5, 2]);
  });

  it('lets exactly the cap through when forty calls start at once', async () => {
    const { providers, seen } = countingImages();
    const capped = withImageBudget(providers, 5);
    const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => capped.image.generateImage(request(i))));
    expect(seen.calls).toBe(5);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(35);
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(OverBudgetError);
      expect((r.reason as Error).message).toBe(OVER_BUDGET_REASON);
    }
    expect(capped.budget.used).toBe(5);
  });

  it('gives a slot back only for a request that never left the process', async () => {
    // Calls 1 and 2 are refused by our own checks (never sent); the rest succeed.
    const { providers, seen } = countingImages((call) => (call <= 2 ? 'invalid-request' : undefined));
    const capped = withImageBudget(providers, 2);
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++)
      outcomes.push(
        await capped.image.generateImage(request(i)).then(
          () => 'ok',
          (e: Error) => e.name,
        ),
      );
    expect(outcomes).toEqual(['ProviderError', 'ProviderError', 'ok', 'ok', 'OverBudgetError']);
    expect(seen.calls).toBe(4);
  });

  it('keeps the slot of a call that reached the API and failed: it may have been billed', async () => {
    const { providers, seen } = countingImages(() => 'status');
    const capped = withImageBudget(providers, 1);
    await expect(capped.image.generateImage(request(1))).rejects.toThrow('fake: status');
    await expect(capped.image.generateImage(request(2))).rejects.toBeInstanceOf(OverBudgetError);
    expect(seen.calls).toBe(1);
    expect(capped.budget.used).toBe(1);
  });
});
