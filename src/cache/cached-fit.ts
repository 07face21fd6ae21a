// Fitted pictures, cached by their image and everything fitImage depends on, so a re-run over an
// unchanged deck skips sharp as well as the API: fitting is about 0.1 s of CPU a picture, nearly
// all of an unchanged re-run before this cache. The image is named by its own cache key (what made
// it, like every key here), so a hit needs neither the image's bytes nor a hash of them; an image
// the cache did not name is named by its bytes' sha256.
import { createHash } from 'node:crypto';
import { messageOf } from '../errors.js';
import { FIT_VERSION, fitImage, JPEG_QUALITY, TARGET_DPI, type FitOptions, type FittedImage } from '../images/fit-image.js';
import { parseJsonObject } from '../internal/json.js';
import type { ImageRequest, PictureStore } from '../providers/types.js';
import { CACHE_FORMAT, hashKey } from './cache-keys.js';
import type { CacheStore } from './cache-store.js';

export interface PictureCacheOptions {
  store: CacheStore;
  /** Regenerate everything: skip reads, still write. */
  force?: boolean | undefined;
  /** A picture that could not be stored; the run goes on without caching it. */
  onWriteError?: ((message: string) => void) | undefined;
}

// The picture depends on the image, the box's size, the crop mode and fitImage's settings.
export function pictureKey(imageId: string, options: FitOptions): string {
  return JSON.stringify({
    v: CACHE_FORMAT,
    kind: 'picture',
    fit: FIT_VERSION,
    image: imageId,
    boxCx: options.boxCx,
    boxCy: options.boxCy,
    crop: options.crop ?? 'cover',
    dpi: options.dpi ?? TARGET_DPI,
    jpegQuality: JPEG_QUALITY,
  });
}

// The picture store over the cache; `imageId` names the image a request makes (its cache key hash).
export function cachedPictures(options: PictureCacheOptions, imageId: (req: ImageRequest) => string): PictureStore {
  const read = async (id: string, fit: FitOptions) => {
    const bytes = options.force ? undefined : await options.store.read('pictures', hashKey(pictureKey(id, fit)));
    return bytes && decodePicture(bytes);
  };
  return {
    async lookup(req, fit) {
      const id = imageId(req);
      const hit = await read(id, fit);
      // The image stays as recently used as its picture, so pruning by age keeps them together.
      if (hit) await options.store.touch('images', id);
      return hit;
    },
    // The caller looked the picture up before making the image: no second read here.
    async fit(image, fit, cpu = (work) => work()) {
      const id = image.key ?? createHash('sha256').update(image.data).digest('hex');
      const fitted = await cpu(() => fitImage(image.data, fit));
      await options.store
        .write('pictures', hashKey(pictureKey(id, fit)), encodePicture(fitted))
        .catch((error: unknown) => options.onWriteError?.(`cache: cannot store an entry in pictures (${messageOf(error)})`));
      return fitted;
    },
  };
}

// --- internal ---

/** An entry: one JSON line (format, size, crop), then the encoded picture. */
function encodePicture(f: FittedImage): Buffer {
  const meta = { format: f.format, width: f.width, height: f.height, srcRect: f.srcRect ?? null };
  return Buffer.concat([Buffer.from(`${JSON.stringify(meta)}\n`), f.data]);
}

function decodePicture(bytes: Buffer): FittedImage | undefined {
  const eol = bytes.indexOf(0x0a);
  if (eol < 0) return undefined;
  const { format, width, height, srcRect } = parseJsonObject(bytes.subarray(0, eol).toString('utf8')) ?? {};
  if ((format !== 'jpeg' && format !== 'png') || typeof width !== 'number' || typeof height !== 'number' || eol + 1 >= bytes.length)
    return undefined;
  const fitted: FittedImage = { data: bytes.subarray(eol + 1), format, width, height };
  if (srcRect && typeof srcRect === 'object') fitted.srcRect = srcRect as NonNullable<FittedImage['srcRect']>;
  return fitted;
}
