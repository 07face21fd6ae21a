// One place for every configuration key: its type, its default and what it means.
// README's configuration table and `slide-illustrate init` are written from these descriptions.
import { Cron } from 'croner';
import * as z from 'zod';
import { MAX_VARIANTS } from '../model/directions.js';
import { IMAGE_API_STYLES, IMAGE_QUALITIES, MAX_NEGATIVE_PROMPT_CHARS } from '../model/image-api-limits.js';

export const DEFAULT_SYSTEM_PROMPT =
  "Tu es un expert en génération de prompts pour créer des images. Tu dois créer des descriptions détaillées et visuelles pour un générateur d'images IA, basées sur le contenu textuel fourni.";

export const DEFAULT_USER_PROMPT =
  "Crée une description détaillée d'image (prompt) pour illustrer ce contenu de slide : [TEXTE_DE_LA_SLIDE]";

/** The placeholder in `llm.userPrompt` that receives the slide's text. */
export const SLIDE_TEXT_TOKEN = '[TEXTE_DE_LA_SLIDE]';

const positiveInt = z.number().int().positive();

/** A numeric setting's range: the schema checks it, and the flag that also sets it is checked against the same numbers. */
export interface NumberRange {
  integer: boolean;
  min: number;
  max: number;
}

/** The ranges of the settings a flag can set (--concurrency, --rpm, --timeout, --variants): defined once here. */
export const FLAG_RANGES = {
  concurrency: { integer: true, min: 1, max: 64 },
  rpm: { integer: true, min: 1, max: 10_000 },
  /** Seconds; a millisecond at least. */
  timeoutSeconds: { integer: false, min: 0.001, max: 3600 },
  /** Pictures per image call: the images API's `n`. */
  variants: { integer: true, min: 1, max: MAX_VARIANTS },
} as const satisfies Record<string, NumberRange>;

const inRange = (r: NumberRange) => (r.integer ? z.number().int() : z.number()).min(r.min).max(r.max);

/** The parser's own complaint about a cron expression, or undefined when it is valid and fires. */
export function cronProblem(expression: string): string | undefined {
  let cron: Cron;
  try {
    // Five fields, or six with seconds first; no year field, so crontab lines paste as they are.
    cron = new Cron(expression, { mode: '5-or-6-parts' });
  } catch (error) {
    return (error as Error).message.replace(/^CronPattern: /, '');
  }
  // Parses but matches no date ("0 0 30 2 *": February 30): the schedule would never run a pass.
  // Without a year field a date that matches once matches again, so "no next run" means never.
  if (cron.nextRun() === null) return 'it never fires: no date matches it, such as the 30th of February';
  return undefined;
}

const cronExpression = z.string().superRefine((s, ctx) => {
  const problem = cronProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: `not a valid cron expression (${problem})` });
});

export const configSchema = z.strictObject({
  llm: z
    .strictObject({
      model: z.string().min(1).default('auto').describe('Chat model that writes the image prompts; "auto" picks one the account offers.'),
      systemPrompt: z
        .string()
        .min(1)
        .default(DEFAULT_SYSTEM_PROMPT)
        .describe('System prompt of the prompt-writing LLM (the French expert prompt by default).'),
      userPrompt: z
        .string()
        .min(1)
        .refine((s) => s.includes(SLIDE_TEXT_TOKEN), { message: `must contain ${SLIDE_TEXT_TOKEN}` })
        .default(DEFAULT_USER_PROMPT)
        .describe(`User message; ${SLIDE_TEXT_TOKEN} is replaced by the slide text.`),
      temperature: z.number().min(0).max(2).default(0.7).describe('Sampling temperature of the LLM (0 to 2).'),
      maxTokens: positiveInt.max(5000).default(200).describe('Most completion tokens the LLM may spend on one prompt.'),
    })
    .prefault({})
    .describe('The LLM that writes one image prompt per slide.'),
  image: z
    .strictObject({
      model: z.string().min(1).default('flux').describe('Image model: "flux" or "sdxl_lightning".'),
      style: z.string().default('').describe('Deck-wide visual style added to every prompt; empty derives one from the deck theme.'),
      quality: z.enum(IMAGE_QUALITIES).optional().describe('Image API `quality` ("standard" or "hd"); unset lets the API choose.'),
      apiStyle: z
        .enum(IMAGE_API_STYLES)
        .optional()
        .describe("Infomaniak's `style` preset (cinematic, comic_book, digital_art, …); unset sends none."),
      negativePrompt: z
        .string()
        .refine((s) => Array.from(s).length <= MAX_NEGATIVE_PROMPT_CHARS, { message: `at most ${MAX_NEGATIVE_PROMPT_CHARS} characters` })
        .default('')
        .describe('Infomaniak `negative_prompt`: what to keep out of the picture (flux and sdxl_lightning ignore it, per the API docs).'),
    })
    .prefault({})
    .describe('The image model and the look of the pictures.'),
  concurrency: z
    .strictObject({
      llm: inRange(FLAG_RANGES.concurrency).default(4).describe('Prompts in flight at once.'),
      image: inRange(FLAG_RANGES.concurrency).default(4).describe('Images in flight at once (also --concurrency).'),
    })
    .prefault({})
    .describe('How many API calls run at once.'),
  rpm: inRange(FLAG_RANGES.rpm)
    .default(60)
    .describe('Requests per minute across all calls to one provider (Infomaniak allows 60; also --rpm).'),
  timeoutSeconds: inRange(FLAG_RANGES.timeoutSeconds)
    .default(120)
    .describe('Seconds one API attempt may take before it is abandoned and retried (also --timeout); images take 5 to 30 s.'),
  // Why 4 and not openai-node's 2: a batch runs unattended, and with 15 % of calls failing a call
  // survives 5 attempts with odds 1 - 0.15^5 (1 in 13,000 lost) against 1 in 300 with 3 attempts,
  // for at most 7.5 s of backoff. The cost: a 5xx after the image was made may bill it twice; 0 never retries.
  maxRetries: z
    .number()
    .int()
    .min(0)
    .max(10)
    .default(4)
    .describe(
      'Retries of a failed API call (5xx, timeouts, broken answers); 4 keeps a long batch going through short outages. 429s wait instead (rateLimitWaitMinutes).',
    ),
  // Not a count of retries: a 429 is the API saying "not now", so the run slows down (the rate
  // halves, then creeps back up) and waits for permission instead of spending maxRetries on it.
  rateLimitWaitMinutes: z
    .number()
    .positive()
    .max(1440)
    .default(10)
    .describe(
      'Minutes the API may refuse every request with 429 (rate limit) before the calls waiting for it fail; 429s slow the run down and do not count as retries.',
    ),
  pricing: z
    .strictObject({
      currency: z.string().min(1).default('CHF').describe('Currency of the prices below.'),
      perImage: z
        .number()
        .nonnegative()
        .nullable()
        .default(null)
        .describe('Price of one generated image; null: use the prices the API returns, else unknown.'),
      perMillionPromptTokens: z
        .number()
        .nonnegative()
        .nullable()
        .default(null)
        .describe('Price of one million LLM input tokens; null: from the API, else unknown.'),
      perMillionCompletionTokens: z
        .number()
        .nonnegative()
        .nullable()
        .default(null)
        .describe('Price of one million LLM output tokens; null: from the API, else unknown.'),
    })
    .prefault({})
    .describe('Prices for cost estimates and the report; prices the API publishes fill in what is null.'),
  variants: inRange(FLAG_RANGES.variants)
    .default(1)
    .describe(
      "Pictures made per slide in one image call (the images API's n, 1 to 5; also --variants): all are cached, the deck gets the chosen one (the first unless a directions file says otherwise).",
    ),
  outputDir: z.string().min(1).default('output').describe('Where illustrated decks are written, relative to the current folder.'),
  cacheDir: z
    .string()
    .min(1)
    .default('.slide-illustrate-cache')
    .describe('Where prompts and images are cached, relative to the current folder (also --cache-dir).'),
  inputs: z
    .array(z.string().min(1))
    .default([])
    .describe('Decks or folders the scheduled job illustrates, relative to the current folder.'),
  schedule: cronExpression
    .default('0 3 * * *')
    .describe('Cron expression for `slide-illustrate schedule`: five fields, or six with seconds first.'),
  queue: z
    .strictObject({
      redis: z
        .string()
        .regex(/^rediss?:\/\/\S+$/, 'expected a redis:// or rediss:// URL')
        .nullable()
        .default(null)
        .describe('Redis for `submit`, `worker` and `status`, e.g. redis://127.0.0.1:6379/0; REDIS_URL wins (keep passwords there).'),
      prefix: z
        .string()
        .regex(/^[A-Za-z0-9_.-]{1,40}$/, 'expected 1 to 40 letters, digits, "_", "." or "-"')
        .default('slide-illustrate')
        .describe('Prefix of every Redis key of the queues, so several teams can share one Redis.'),
    })
    .prefault({})
    .describe('Scaling out on BullMQ workers (see README, "Scaling out").'),
  skipSlides: z
    .array(z.enum(['title', 'section', 'agenda', 'picture']))
    .default(['picture'])
    .describe(
      'Kinds of slides left without a picture: title, section, agenda, picture (already has one). Hidden and empty slides are always skipped.',
    ),
  placement: z
    .enum(['auto', 'make-room', 'background', 'none'])
    .default('auto')
    .describe(
      'auto: picture placeholder or largest free area; make-room: as auto, but where that finds no room or only a small one, a full-width body is narrowed into an autofitted column with the picture beside it; background: full-bleed behind content; none: no picture.',
    ),
});

export type Config = z.infer<typeof configSchema>;
export type WrittenConfig = z.input<typeof configSchema>;

/** The defaults, as a full config. */
export function defaultConfig(): Config {
  return configSchema.parse({});
}
