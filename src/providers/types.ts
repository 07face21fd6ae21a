// The two provider contracts every backend (offline, Infomaniak, OpenAI-compatible) implements.
import type { FitOptions, FittedImage } from '../images/fit-image.js';

/** Slide text kept apart so a prompt can weigh title, body and notes differently. */
export interface SlideText {
  title: string;
  body: string;
  notes: string;
}

export interface PromptRequest {
  slide: SlideText;
  /** Title of the deck (first slide's title or docProps title), as context. */
  deckTitle: string;
  /** Deck-wide visual style appended to every prompt. */
  style: string;
  /** Hard cap on the prompt length in characters (the image API's limit). */
  maxChars: number;
  /** 1-based slide number, for seeding and logs. */
  slideNumber: number;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface PromptResult {
  prompt: string;
  usage?: TokenUsage;
  /** True when the result came from the cache and cost nothing. */
  cached?: boolean;
}

export interface ImageRequest {
  prompt: string;
  /** Width / height of the box the picture will fill. */
  aspect: number;
  /** Deck theme colours as `#rrggbb`, for providers that can use them. */
  palette: string[];
}

export interface ImageResult {
  data: Buffer;
  /** Pixel size requested from the backend, e.g. "1792x1024". */
  size?: string;
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

/**
 * One of the c places a caller may hold at the API. The HTTP layer gives it back as soon as an
 * answer has arrived, so the next request leaves while this one's answer is still being decoded
 * and stored, and takes it again before a retry, so no more than c requests are ever out.
 */
export interface ConcurrencySlot {
  /** Resolves once the slot is held; at once when it already is. */
  acquire(): Promise<void>;
  /** Gives the slot back; nothing when it is not held. */
  release(): void;
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
  /** fitImage, keeping the result (lookup is the read: fit always fits). */
  fit(image: ImageResult, options: FitOptions): Promise<FittedImage>;
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
