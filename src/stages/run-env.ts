// What every deck of a run shares while a plan is applied: the backend, its (cached) providers, the
// fitted-picture store, one set of limiters, the stop signal and the event listener.
import type { BackendIdentity, PictureStore, Providers } from '../providers/types.js';
import type { Limiters } from '../internal/limiters.js';
import type { PipelineEvent } from '../model/report.js';

export interface RunEnv {
  backend: BackendIdentity;
  /** Shared by every deck, like the limiters: ten decks keep the API as busy as one big deck. */
  providers: Providers;
  /** Fitted pictures kept by the cache, so re-runs skip sharp; without it images go straight to fitImage. */
  pictures?: PictureStore | undefined;
  limiters: Limiters;
  signal?: AbortSignal | undefined;
  onEvent?: ((event: PipelineEvent) => void) | undefined;
}
