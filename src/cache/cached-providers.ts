// Cache decorators for the two provider contracts: a hit returns the stored result with
// `cached: true` (and costs nothing); a miss calls the real provider and stores the result
// before returning it, so whatever finished is never paid for twice.
import type { Config } from '../config/schema.js';
import { messageOf } from '../errors.js';
import type {
  ImageProvider,
  ImageRequest,
  ImageResult,
  PictureStore,
  PromptProvider,
  PromptRequest,
  PromptResult,
  Providers,
} from '../providers/types.js';
import { hashKey, imageKey, imageSizeOf, promptKey } from './cache-keys.js';
import type { CacheKind, CacheStore } from './cache-store.js';
import { cachedPictures } from './cached-fit.js';
import { parseJsonObject } from '../internal/json.js';

export interface CacheOptions {
  store: CacheStore;
  config: Pick<Config, 'llm' | 'image'>;
  /** Regenerate everything: skip reads, still write, so the next run hits the fresh results. */
  force?: boolean | undefined;
  /** A result that could not be stored; the run goes on without caching it. */
  onWriteError?: ((message: string) => void) | undefined;
}

// Wraps both providers of a backend with the cache.
export function createCachedProviders(providers: Providers, options: CacheOptions): Providers {
  return { prompt: cachePromptProvider(providers.prompt, options), image: cacheImageProvider(providers.image, options) };
}

// The fitted pictures of the images these providers make, kept by the cache (re-runs skip sharp).
export function createPictureStore(providers: Providers, options: CacheOptions): PictureStore {
  return cachedPictures(options, (req) => hashKey(imageKey(req, providers.image.imageFingerprint, options.config.image)));
}

// The prompt provider, cached by everything that shapes a prompt.
export function cachePromptProvider(inner: PromptProvider, options: CacheOptions): PromptProvider {
  const through = createThrough<PromptResult>('prompts', options, (r) => JSON.stringify({ prompt: r.prompt }));
  const decode = (bytes: Buffer): PromptResult | undefined => {
    const prompt = promptOf(bytes);
    return prompt === undefined ? undefined : { prompt };
  };
  return {
    name: inner.name,
    promptFingerprint: inner.promptFingerprint,
    writePrompt: (req, call) =>
      through(promptKey(req, inner.promptFingerprint, options.config.llm), decode, () => inner.writePrompt(req, call), call?.signal),
  };
}

// The image provider, cached by everything that shapes an image. Entries hold the image bytes as received.
// A request for variant v of n is cached under variant v's key; on a miss, the one call makes all n
// and every other variant is stored under its own key too, so choosing another later is free.
export function cacheImageProvider(inner: ImageProvider, options: CacheOptions): ImageProvider {
  const through = createThrough<ImageResult>('images', options, (r) => r.data);
  const keyOf = (req: ImageRequest) => imageKey(req, inner.imageFingerprint, options.config.image);
  return {
    name: inner.name,
    imageFingerprint: inner.imageFingerprint,
    generateImage: async (req, call) => {
      const size = imageSizeOf(req);
      const key = keyOf(req);
      const chosen = req.variant ?? 1;
      const compute = async () => {
        const made = await inner.generateImage(req, call);
        for (const [i, data] of (made.variants ?? []).entries()) {
          if (i + 1 === chosen) continue;
          // A variant already cached stays as it is: a deck that chose it keeps its picture.
          const hash = hashKey(keyOf({ ...req, variant: i + 1 }));
          if (!options.force && (await options.store.has('images', hash))) continue;
          await options.store
            .write('images', hash, data)
            .catch((error: unknown) => options.onWriteError?.(`cache: cannot store an entry in images (${messageOf(error)})`));
        }
        return { data: made.data, size: made.size ?? size };
      };
      return { ...(await through(key, (data) => ({ data, size }), compute, call?.signal)), key: hashKey(key) };
    },
  };
}

/** Reads the cache without calling anything: what a run would get for free. */
export interface CacheLookup {
  /** The cache key (sha256 hex) of this prompt request. */
  promptKey(req: PromptRequest): string;
  /** The cache key (sha256 hex) of this image request. */
  imageKey(req: ImageRequest): string;
  /** The cached prompt for this request, if any. */
  prompt(req: PromptRequest): Promise<string | undefined>;
  /** Whether the image is cached (the entry exists; it is verified when the run reads it). */
  isImageCached(req: ImageRequest): Promise<boolean>;
}

// Lookups under the same keys as the cached providers; with `force` nothing counts as cached.
export function createCacheLookup(providers: Providers, options: CacheOptions): CacheLookup {
  const promptHash = (req: PromptRequest) => hashKey(promptKey(req, providers.prompt.promptFingerprint, options.config.llm));
  const imageHash = (req: ImageRequest) => hashKey(imageKey(req, providers.image.imageFingerprint, options.config.image));
  return {
    promptKey: promptHash,
    imageKey: imageHash,
    async prompt(req) {
      const bytes = options.force ? undefined : await options.store.read('prompts', promptHash(req));
      return bytes && promptOf(bytes);
    },
    async isImageCached(req) {
      return !options.force && (await options.store.has('images', imageHash(req)));
    },
  };
}

// Keys as the cache computes them, and nothing cached: the plan of a run without a cache.
export function uncachedLookup(providers: Providers, config: CacheOptions['config']): CacheLookup {
  return {
    promptKey: (req) => hashKey(promptKey(req, providers.prompt.promptFingerprint, config.llm)),
    imageKey: (req) => hashKey(imageKey(req, providers.image.imageFingerprint, config.image)),
    prompt: async () => undefined,
    isImageCached: async () => false,
  };
}

// --- internal ---

/** The prompt a cache entry holds, or undefined for an unreadable entry (a miss). */
function promptOf(bytes: Buffer): string | undefined {
  const prompt = parseJsonObject(bytes.toString('utf8'))?.['prompt'];
  return typeof prompt === 'string' ? prompt : undefined;
}

/**
 * Read-through: read the entry (unless forced), else compute, store, return.
 * Two identical requests in flight at once share one call; the second is reported as cached.
 * Across processes the key is claimed first (cache-claims.ts): a process that waited for another
 * one's claim reads the entry it wrote, and reports it as cached, rather than paying again.
 */
function createThrough<T extends { cached?: boolean }>(kind: CacheKind, options: CacheOptions, encode: (value: T) => Uint8Array | string) {
  const inflight = new Map<string, Promise<T>>();
  const readHit = async (hash: string, decode: (bytes: Buffer) => T | undefined): Promise<T | undefined> => {
    const bytes = await options.store.read(kind, hash);
    const hit = bytes && decode(bytes);
    return hit ? { ...hit, cached: true } : undefined;
  };
  return async (key: string, decode: (bytes: Buffer) => T | undefined, compute: () => Promise<T>, signal?: AbortSignal): Promise<T> => {
    const hash = hashKey(key);
    if (!options.force) {
      const hit = await readHit(hash, decode);
      if (hit) return hit;
    }
    const pending = inflight.get(hash);
    if (pending) {
      // If the other call failed, this one tries on its own rather than failing with it.
      const shared = await pending.catch(() => undefined);
      if (shared) return { ...shared, cached: true };
    }
    const call = (async () => {
      const claim = await options.store.claim(kind, hash, signal);
      try {
        // Another process may have generated it since the read above (a forced run takes it only
        // when it waited for that process: then it is as fresh as what this run would pay for).
        const hit = claim.waited || !options.force ? await readHit(hash, decode) : undefined;
        if (hit) return hit;
        const value = await compute();
        await options.store
          .write(kind, hash, encode(value))
          .catch((error: unknown) => options.onWriteError?.(`cache: cannot store an entry in ${kind} (${messageOf(error)})`));
        return value;
      } finally {
        await claim.release();
      }
    })();
    inflight.set(hash, call);
    try {
      return await call;
    } finally {
      if (inflight.get(hash) === call) inflight.delete(hash);
    }
  };
}
