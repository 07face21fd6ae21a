// The directions file beside a deck: talk.pptx → talk.illustrate.json (JSON with comments, like the
// config), read and validated by key; written atomically with the tool's own key order.
import path from 'node:path';
import stripJsonComments from 'strip-json-comments';
import * as z from 'zod';
import { ConfigError, FsSafetyError } from '../errors.js';
import { writeFileAtomic } from '../internal/atomic-write.js';
import { readRegularFile } from '../internal/fs-safe.js';
import { IMAGE_API_STYLES } from '../model/image-api-limits.js';
import {
  compactDirection,
  DIRECTION_PLACEMENTS,
  isSlideKey,
  keyedById,
  MAX_VARIANTS,
  SLIDE_DIRECTION_FIELDS,
  type DeckDirections,
  type SlideDirection,
} from '../model/directions.js';
import { formatIssues } from './load.js';

/** Largest directions file read (bytes): a few hundred bytes a slide. */
export const MAX_SIDECAR_BYTES = 4 * 1024 * 1024;
/** The directions file's ending: `talk.pptx` → `talk.illustrate.json`. */
export const SIDECAR_SUFFIX = '.illustrate.json';

const generation = z.number().int().min(0).max(1_000_000);

const slideDirectionSchema = z.strictObject({
  skip: z.boolean().optional(),
  prompt: z.string().trim().min(1).optional(),
  subject: z.string().trim().min(1).optional(),
  style: z.string().optional(),
  placement: z.enum(DIRECTION_PLACEMENTS).optional(),
  variant: z.number().int().min(1).max(MAX_VARIANTS).optional(),
  reroll: generation.optional(),
  reprompt: generation.optional(),
});

const sidecarSchema = z.strictObject({
  $schema: z.string().optional(),
  style: z.string().optional(),
  imageStyle: z.enum(IMAGE_API_STYLES).optional(),
  slides: z
    .record(
      z.string().refine(isSlideKey, { message: 'a slide key is a slide number ("3") or "id:" and the slide\'s p:sldId/@id ("id:260")' }),
      slideDirectionSchema,
    )
    .default({}),
});

/** `talk.pptx` → `talk.illustrate.json`, in the deck's folder. */
export function sidecarPath(deckPath: string): string {
  const parsed = path.parse(deckPath);
  return path.join(parsed.dir, `${parsed.name}${SIDECAR_SUFFIX}`);
}

// The deck's directions, or undefined when it has no directions file. A file that cannot be used is
// a ConfigError naming the file and every bad key (exit 2).
export async function readSidecar(deckPath: string): Promise<DeckDirections | undefined> {
  const file = sidecarPath(deckPath);
  let text: string;
  try {
    text = (await readRegularFile(file, { maxBytes: MAX_SIDECAR_BYTES })).toString('utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (error instanceof FsSafetyError) throw new ConfigError(`${file}: cannot read the directions file: ${error.reason}`);
    throw new ConfigError(`${file}: cannot read the directions file (${code ?? (error as Error).message})`);
  }
  let written: unknown;
  try {
    written = JSON.parse(stripJsonComments(text.replace(/^\uFEFF/, ''), { trailingCommas: true }));
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  return validateDirections(written, file);
}

// Checks directions given as a value (a library caller's, or a file's): a ConfigError naming `where` and each bad key.
export function validateDirections(written: unknown, where: string): DeckDirections {
  if (typeof written !== 'object' || written === null || Array.isArray(written))
    throw new ConfigError(`${where}: the directions must be a JSON object`);
  const result = sidecarSchema.safeParse(written);
  if (!result.success) {
    const problems = formatIssues(result.error);
    throw new ConfigError(`${where}: ${problems.length} problem${problems.length > 1 ? 's' : ''}: ${problems.join('; ')}`, problems);
  }
  const { style, imageStyle, slides } = result.data;
  const out: DeckDirections = { slides: {} };
  if (style !== undefined) out.style = style;
  if (imageStyle !== undefined) out.imageStyle = imageStyle;
  for (const [key, d] of Object.entries(slides)) out.slides[key] = compactDirection(d as SlideDirection);
  return out;
}

// Writes the directions atomically: deck fields first, slides by number then by id, each slide's
// fields in one fixed order, empty slides left out, so the same directions always read the same.
// Given the deck's slides (a plan's, say), number keys of slides with an id are written as `id:<sldId>`.
export async function writeSidecar(
  deckPath: string,
  directions: DeckDirections,
  options: { slides?: readonly { number: number; slideId?: string | undefined }[] } = {},
): Promise<void> {
  const keyed = options.slides ? keyedById(directions, options.slides) : directions;
  await writeFileAtomic(sidecarPath(deckPath), `${JSON.stringify(orderedDirections(keyed), null, 2)}\n`);
}

export interface UpdateOptions {
  /** The slide's number: an entry written under it is folded into `slideKey` (an `id:` key), so one slide has one entry. */
  number?: number;
}

// Read-modify-write of one slide's direction: `patch` fields replace the written ones, and a field
// patched to undefined or null is removed. Returns the directions as written.
export async function updateSlideDirection(
  deckPath: string,
  slideKey: string,
  patch: { [K in keyof SlideDirection]?: SlideDirection[K] | null },
  options: UpdateOptions = {},
): Promise<DeckDirections> {
  if (!isSlideKey(slideKey)) throw new ConfigError(`${sidecarPath(deckPath)}: slides.${slideKey}: not a slide key`);
  const directions = (await readSidecar(deckPath)) ?? { slides: {} };
  const numberKey = options.number !== undefined ? String(options.number) : undefined;
  const folded = numberKey && numberKey !== slideKey ? directions.slides[numberKey] : undefined;
  const next: Record<string, unknown> = { ...folded, ...directions.slides[slideKey] };
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined || value === null) delete next[field];
    else next[field] = value;
  }
  if (folded) delete directions.slides[numberKey!];
  directions.slides[slideKey] = compactDirection(next as SlideDirection);
  // The patched values are checked like a file's before anything is written.
  const checked = validateDirections(directions, `${sidecarPath(deckPath)}`);
  await writeSidecar(deckPath, checked);
  return checked;
}

function orderedDirections(d: DeckDirections): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (d.style !== undefined) out['style'] = d.style;
  if (d.imageStyle !== undefined) out['imageStyle'] = d.imageStyle;
  const slides: Record<string, unknown> = {};
  for (const key of Object.keys(d.slides).sort(compareSlideKeys)) {
    const entry = compactDirection(d.slides[key]!);
    const ordered: Record<string, unknown> = {};
    for (const field of SLIDE_DIRECTION_FIELDS) if (entry[field] !== undefined) ordered[field] = entry[field];
    if (Object.keys(ordered).length) slides[key] = ordered;
  }
  out['slides'] = slides;
  return out;
}

/** Numbers first, ascending, then ids, ascending by value. */
function compareSlideKeys(a: string, b: string): number {
  const rank = (k: string) => (k.startsWith('id:') ? 1 : 0);
  const num = (k: string) => Number(k.replace(/^id:/, ''));
  return rank(a) - rank(b) || num(a) - num(b) || a.localeCompare(b);
}
