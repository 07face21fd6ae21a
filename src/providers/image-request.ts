// Image generation shared by the Infomaniak and OpenAI-compatible backends: a request body the
// API accepts (checked before sending), and an answer whose picture really decodes.
import { loadSharp } from '../images/sharp.js';
import { cutAtBoundary, MAX_PROMPT_CHARS } from '../prompt/clean-prompt.js';
import { BadAnswer, type HttpClient } from './http.js';
import { chooseImageSize, IMAGE_SIZES } from './image-sizes.js';
import { IMAGE_API_STYLES, MAX_NEGATIVE_PROMPT_CHARS, type ImageApiStyle, type ImageQuality } from '../model/image-api-limits.js';
import { ProviderError } from './provider-errors.js';
import type { CallOptions, ImageProvider, ImageRequest, ImageResult } from './types.js';

export interface ImageSettings {
  model: string;
  quality?: ImageQuality | undefined;
  /** Infomaniak only: its `style` enum. */
  apiStyle?: ImageApiStyle | undefined;
  /** Infomaniak only; flux and sdxl_lightning ignore it, per the API's documentation. */
  negativePrompt?: string | undefined;
  /** Which fields the backend understands. */
  dialect: 'infomaniak' | 'openai';
}

export interface ImageBody {
  model: string;
  prompt: string;
  /** Pictures asked for in one call (1 to 5, the API's range). */
  n: number;
  size: string;
  response_format: 'b64_json';
  quality?: string;
  style?: string;
  negative_prompt?: string;
}

/** The images API's range of `n`. */
export const MAX_IMAGES_PER_CALL = 5;

/** What one request may change of the settings: how many pictures, and the deck's API style. */
export interface ImageCallOptions {
  n?: number | undefined;
  apiStyle?: string | undefined;
}

// Builds a generation request that passes the API's validation, or throws without sending anything.
export function buildImageBody(prompt: string, size: string, settings: ImageSettings, call: ImageCallOptions = {}): ImageBody {
  const refuse = (reason: string): never => {
    throw new ProviderError(`image request not sent: ${reason}`, {
      method: 'POST',
      path: 'images/generations',
      kind: 'invalid-request',
      retryable: false,
    });
  };
  // The prompt providers already cut to the limit; this is the last line of defence for any caller.
  const text = cutAtBoundary(prompt.replace(/\s+/g, ' ').trim(), MAX_PROMPT_CHARS);
  if (!text) refuse('the prompt is empty');
  if (!(IMAGE_SIZES as readonly string[]).includes(size)) refuse(`size ${size} is not one of ${IMAGE_SIZES.join(', ')}`);
  if (!settings.model.trim()) refuse('no image model');
  const n = call.n ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > MAX_IMAGES_PER_CALL) refuse(`n ${n} is not from 1 to ${MAX_IMAGES_PER_CALL}`);
  const body: ImageBody = { model: settings.model, prompt: text, n, size, response_format: 'b64_json' };
  if (settings.quality) body.quality = settings.quality;
  if (settings.dialect === 'infomaniak') {
    const apiStyle = call.apiStyle ?? settings.apiStyle;
    if (apiStyle) {
      if (!(IMAGE_API_STYLES as readonly string[]).includes(apiStyle))
        refuse(`style ${apiStyle} is not one of ${IMAGE_API_STYLES.join(', ')}`);
      body.style = apiStyle;
    }
    const negative = settings.negativePrompt?.trim();
    if (negative) body.negative_prompt = cutAtBoundary(negative, MAX_NEGATIVE_PROMPT_CHARS);
  }
  return body;
}

// Validate hook: the first image of an answer, decoded; undecodable or truncated pictures are retried.
export async function readImageAnswer(body: unknown): Promise<Buffer> {
  return (await readImageAnswers(body, 1))[0]!;
}

// Validate hook of a call that asked for `n` pictures: the first `n` of the answer, each decoded.
// Fewer than asked for is a broken answer (retried): the variants the plan promised would be missing.
export async function readImageAnswers(body: unknown, n: number): Promise<Buffer[]> {
  const items = (body as { data?: { b64_json?: unknown; url?: unknown }[] } | undefined)?.data ?? [];
  const out: Buffer[] = [];
  for (let i = 0; i < n; i++) out.push(await decodeItem(items[i], i));
  return out;
}

async function decodeItem(item: { b64_json?: unknown; url?: unknown } | undefined, i: number): Promise<Buffer> {
  // A Buffer when http.ts decoded it as the answer streamed in (base64Field, the first one), else the JSON string.
  const b64 = item?.b64_json;
  const data = Buffer.isBuffer(b64) ? b64 : typeof b64 === 'string' ? Buffer.from(b64, 'base64') : undefined;
  if (!data?.length) {
    if (typeof item?.url === 'string') throw new BadAnswer('the answer holds a URL; slide-illustrate asks for and needs b64_json', false);
    throw new BadAnswer(`no data[${i}].b64_json in the answer`);
  }
  let format: string | undefined;
  const sharp = await loadSharp();
  try {
    const meta = await sharp(data).metadata();
    if (!meta.width || !meta.height) throw new Error('no dimensions');
    format = meta.format;
  } catch {
    throw new BadAnswer(`the image does not decode (${data.length} bytes)`);
  }
  // metadata() reads the header only; a cut-off file still lacks its end marker.
  if (!endsCleanly(data, format)) throw new BadAnswer(`the ${format} image is truncated (${data.length} bytes)`);
  return data;
}

function endsCleanly(data: Buffer, format: string | undefined): boolean {
  if (format === 'png') return data.subarray(-8, -4).toString('latin1') === 'IEND';
  if (format === 'jpeg') return data.subarray(-2).equals(Buffer.from([0xff, 0xd9]));
  return true;
}

/** How many pictures a request's call makes: its `variants`, and at least up to the variant it stands for. */
export function picturesAsked(req: Pick<ImageRequest, 'variants' | 'variant'>): number {
  return Math.max(req.variants ?? 1, req.variant ?? 1);
}

export interface ImageGeneratorOptions {
  name: string;
  http: HttpClient;
  /** The generations endpoint below the base URL. */
  path: string;
  settings: ImageSettings;
}

// An ImageProvider over an OpenAI-style images/generations endpoint.
export function createImageGenerator(options: ImageGeneratorOptions): ImageProvider {
  const s = options.settings;
  return {
    name: options.name,
    imageFingerprint: [options.name, s.model, s.quality ?? '', s.apiStyle ?? '', s.negativePrompt ?? ''].join('|'),
    async generateImage(req: ImageRequest, call?: CallOptions): Promise<ImageResult> {
      const size = chooseImageSize(req.aspect);
      const n = picturesAsked(req);
      const body = buildImageBody(req.prompt, size, s, { n, apiStyle: req.apiStyle });
      const variants = await options.http.request({
        method: 'POST',
        path: options.path,
        body,
        signal: call?.signal,
        slot: call?.slot,
        base64Field: 'b64_json',
        validate: (answer) => readImageAnswers(answer, n),
      });
      return { data: variants[(req.variant ?? 1) - 1]!, size, variants };
    },
  };
}
