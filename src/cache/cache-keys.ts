// What a cached prompt or image depends on. Everything that can change the result is in its key;
// what cannot (the slide's number, log labels) stays out, so a slide that moves still hits.
import { createHash } from 'node:crypto';
import type { Config } from '../config/schema.js';
import { chooseImageSize } from '../providers/image-sizes.js';
import type { ImageRequest, PromptRequest } from '../providers/types.js';

/** Bump when the meaning of a key or the layout of an entry changes: old entries then simply miss. */
export const CACHE_FORMAT = 1;

// The prompt is shaped by the provider (its fingerprint), the LLM settings, the slide's text,
// the deck title it is given as context, the deck style and the length cap.
export function promptKey(req: PromptRequest, fingerprint: string, llm: Config['llm']): string {
  return JSON.stringify({
    v: CACHE_FORMAT,
    kind: 'prompt',
    provider: fingerprint,
    model: llm.model,
    systemPrompt: llm.systemPrompt,
    userPrompt: llm.userPrompt,
    temperature: llm.temperature,
    maxTokens: llm.maxTokens,
    slide: { title: req.slide.title, body: req.slide.body, notes: req.slide.notes },
    deckTitle: req.deckTitle,
    style: req.style,
    maxChars: req.maxChars,
    // Directions: absent from the key when unset, so the keys of runs without them stay as they were.
    ...(req.subject && { subject: req.subject }),
    ...(req.reprompt && { reprompt: req.reprompt }),
  });
}

// The image is shaped by the provider, the image model, the prompt (which already carries the deck
// style), the pixel size requested (the box's aspect only matters through it) and the theme palette,
// which the offline art paints with. Keeping the palette for every provider costs a miss only when
// two decks with different themes produce the very same prompt.
export function imageKey(req: ImageRequest, fingerprint: string, image: Config['image']): string {
  return JSON.stringify({
    v: CACHE_FORMAT,
    kind: 'image',
    provider: fingerprint,
    model: image.model,
    prompt: req.prompt,
    size: imageSizeOf(req),
    palette: req.palette,
    // Variant 1 of generation 0 with the configured API style is the picture a run without
    // directions makes: its key stays as it was. `n` (req.variants) is not in the key: variant 2
    // is variant 2 however many were asked for with it.
    ...((req.variant ?? 1) > 1 && { variant: req.variant }),
    ...(req.reroll && { reroll: req.reroll }),
    ...(req.apiStyle && { apiStyle: req.apiStyle }),
  });
}

/** The pixel size a request asks the backend for. */
export function imageSizeOf(req: ImageRequest): string {
  return chooseImageSize(req.aspect);
}

/** The entry's file name: sha256 of the key, hex. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
