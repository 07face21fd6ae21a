// The two provider contracts every backend (offline, Infomaniak, OpenAI-compatible) implements.
import type { FitOptions, FittedImage } from '../images/fit-image.js';
import type { ConcurrencySlot } from '../internal/limiters.js';
import type { ImageRequest, PromptRequest, TokenUsage } from '../model/requests.js';

export type { SlideText } from '../model/slide-text.js';
export type { ImageRequest, PromptRequest, TokenUsage } from '../model/requests.js';
export type { ConcurrencySlot } from '../internal/limiters.js';

export interface PromptResult {
  prompt: string;
  usage?: TokenUsage;
  /** True when the result came from the cache and cost nothing. */
  cached?: boolean;
}

export interface ImageResult {
  data: Buffer;
  /** Pixel size requested from the backend, e.g. "1792x1024". */
  size?: string;
  /** Every picture of a call that asked for several (`ImageRequest.variants`), variant 1 first; `data` is the one asked for. */
  variants?: Buffer[];
  /** True when the result came from the cache and cost nothing. */
  cached?: boolean;
  /** The image cache's key for this image (sha256 hex): its fitted picture is cached under it, unhashed bytes. */
  key?: string;
}

export interface CallOptions {
  signal?: AbortSignal | undefined;
  /** The concurrency slot the call holds at the API (see ConcurrencySlot). */
  slot?: ConcurrencySlot | undefined;
}

export interface PromptProvider {
  readonly name: string;
  /** Identifies everything about this provider that shapes a prompt (for the cache key). */
  readonly promptFingerprint: string;
  writePrompt(request: PromptRequest, options?: CallOptions): Promise<PromptResult>;
}

export interface ImageProvider {
  readonly name: string;
  /** Identifies everything about this provider that shapes an image (for the cache key). */
  readonly imageFingerprint: string;
  generateImage(request: ImageRequest, options?: CallOptions): Promise<ImageResult>;
}

/** Prices the backend publishes for the models in use, in the configured currency; absent: unknown. */
export interface PublishedPrices {
  perImage?: number;
  perMillionPromptTokens?: number;
  perMillionCompletionTokens?: number;
}

export interface PictureStore {
  /** The picture fitted earlier for the image this request makes, if any (no image is read or made). */
  lookup(request: ImageRequest, options: FitOptions): Promise<FittedImage | undefined>;
  /**
   * fitImage, keeping the result (lookup is the read: fit always fits). `cpu` runs the fitting
   * itself (a run's CPU limit); storing the result happens outside it, so sharp's place is not
   * held while a file is written.
   */
  fit(image: ImageResult, options: FitOptions, cpu?: <T>(work: () => Promise<T>) => Promise<T>): Promise<FittedImage>;
}

/** The two providers a run calls. */
export interface Providers {
  prompt: PromptProvider;
  image: ImageProvider;
}

/** Which backend a run talks to. */
export interface BackendIdentity {
  /** "offline", "infomaniak" or "openai". */
  kind: string;
  /** True when pictures are local placeholders rather than AI images (nothing is paid). */
  offline: boolean;
}

/** What creating a backend yields: its identity, its two providers, and the prices it publishes. */
export interface Backend extends BackendIdentity, Providers {
  /** What the backend says its models cost, when it says (Infomaniak's GET /1/ai/models?with=pricing). */
  prices?: PublishedPrices | undefined;
}
