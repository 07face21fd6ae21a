// What Infomaniak's images/generations route accepts besides sizes (its OpenAPI document, Dec 2025).
// Kept free of imports so the config schema can use it.

/** Infomaniak's `style` values, spelling included ("disney_charactor" is the API's). */
export const IMAGE_API_STYLES = [
  'cinematic',
  'comic_book',
  'digital_art',
  'disney_charactor',
  'enhance',
  'fantasy_art',
  'line_art',
  'lowpoly',
  'neonpunk',
  'photographic',
] as const;
export type ImageApiStyle = (typeof IMAGE_API_STYLES)[number];

export const IMAGE_QUALITIES = ['standard', 'hd'] as const;
export type ImageQuality = (typeof IMAGE_QUALITIES)[number];

/** Infomaniak refuses longer negative prompts (`maxLength: 350`). */
export const MAX_NEGATIVE_PROMPT_CHARS = 350;

/** Image models Infomaniak's documentation names; GET /1/ai/models may list only some of them. */
export const DOCUMENTED_IMAGE_MODELS = ['flux', 'sdxl_lightning'] as const;
