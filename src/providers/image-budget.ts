// --max-images: a cap on the images one run pays for, held however many calls run at once.
// It wraps the backend's image provider *under* the cache, so cache hits never reach it: a cached
// image costs nothing and takes no slot.
import { SlideIllustrateError } from '../errors.js';
import { picturesAsked } from './image-request.js';
import { ProviderError } from './provider-errors.js';
import type { ImageProvider, Providers } from './types.js';

/** The reason a slide past the cap is skipped with. */
export const OVER_BUDGET_REASON = 'over --max-images';

/** Thrown instead of calling the API once every slot is taken; the slide is reported as skipped. */
export class OverBudgetError extends SlideIllustrateError {
  override name = 'OverBudgetError';
  constructor() {
    super(OVER_BUDGET_REASON);
  }
}

export interface ImageBudget {
  readonly max: number;
  /** Slots taken: images paid for, or possibly paid for. Never above `max`. */
  readonly used: number;
}

/**
 * The backend with its image calls capped at `max`. A slot is taken synchronously before the call
 * starts — check and increment run with no await between them, so concurrent calls cannot both
 * take the last slot — and given back only when the request never left this process (refused by
 * our own checks). Anything that reached the API keeps its slot, even a refusal, a timeout or a
 * 5xx after retries: it may have been billed, and the cap must hold even then. So the cap can
 * under-use, never over-spend.
 */
export function withImageBudget(providers: Providers, max: number): Providers & { budget: ImageBudget } {
  const budget = { max, used: 0 };
  const inner = providers.image;
  const image: ImageProvider = {
    name: inner.name,
    imageFingerprint: inner.imageFingerprint,
    async generateImage(req, call) {
      // A call for n variants is n images paid for.
      const n = picturesAsked(req);
      if (budget.used + n > max) throw new OverBudgetError();
      budget.used += n;
      try {
        return await inner.generateImage(req, call);
      } catch (error) {
        if (notBilled(error)) budget.used -= n;
        throw error;
      }
    },
  };
  return { ...providers, image, budget };
}

function notBilled(error: unknown): boolean {
  return error instanceof ProviderError && error.details.kind === 'invalid-request';
}
