// What a run will cost, known before it starts and without a paid call: every deck is read and
// planned, and the cache says which prompts and images are already paid for.
import pLimit from 'p-limit';
import type { CacheLookup } from '../cache/cached-providers.js';
import type { Config } from '../config/schema.js';
import { composeMessages } from '../prompt/compose.js';
import { imageRequestOf, promptRequestOf } from '../stages/illustrate-slide.js';
import { estimateCost, type CostEstimate, type Prices } from './cost.js';
import type { DeckJob } from './deck-jobs.js';
import { DECK_CONCURRENCY } from './run-batch.js';
import { readDeckPlan } from './run-deck.js';

/** A common rule of thumb for the LLMs we use: about four characters of text per token. */
const CHARS_PER_TOKEN = 4;

export interface RunEstimate {
  /** Slides that would get a picture. */
  planned: number;
  prompts: { cached: number; toWrite: number };
  /** `toGenerate` is already cut to --max-images; `overCap` slides would be skipped. */
  images: { cached: number; toGenerate: number; overCap: number };
  /** Tokens of the prompts to write: input from their text, output at most llm.maxTokens each. */
  tokens: { prompt: number; completion: number };
  cost: CostEstimate;
  /** Decks that cannot be read; the run reports them. */
  unreadable: number;
}

export interface EstimateOptions {
  config: Config;
  lookup: CacheLookup;
  prices: Prices;
  maxImages?: number | undefined;
}

// Counts what the jobs would pay for. A slide whose prompt is not cached yet counts its image as
// to pay: its image key depends on a prompt nobody has written.
export async function estimateRun(jobs: DeckJob[], options: EstimateOptions): Promise<RunEstimate> {
  const { config, lookup } = options;
  const e = { planned: 0, prompts: { cached: 0, toWrite: 0 }, images: { cached: 0, toGenerate: 0, overCap: 0 }, tokens: { prompt: 0, completion: 0 }, unreadable: 0 };
  const limit = pLimit(DECK_CONCURRENCY);
  await Promise.all(
    jobs.map((job) =>
      limit(async () => {
        const deck = await readDeckPlan(job.input, config).catch(() => undefined);
        if (!deck) return void e.unreadable++;
        const ctx = { deckTitle: deck.pres.title, style: deck.style, palette: deck.pres.theme.palette };
        for (const planned of deck.plan.planned) {
          e.planned++;
          const req = promptRequestOf(planned, ctx);
          const prompt = await lookup.prompt(req);
          if (prompt === undefined) {
            const m = composeMessages(req, config.llm.systemPrompt, config.llm.userPrompt);
            e.prompts.toWrite++;
            e.tokens.prompt += Math.ceil((m.system.length + m.user.length) / CHARS_PER_TOKEN);
            e.tokens.completion += config.llm.maxTokens;
            e.images.toGenerate++;
          } else {
            e.prompts.cached++;
            if (await lookup.isImageCached(imageRequestOf(planned, prompt, ctx))) e.images.cached++;
            else e.images.toGenerate++;
          }
        }
      }),
    ),
  );
  if (options.maxImages !== undefined && e.images.toGenerate > options.maxImages) {
    e.images.overCap = e.images.toGenerate - options.maxImages;
    e.images.toGenerate = options.maxImages;
  }
  const cost = estimateCost({ images: e.images.toGenerate, promptTokens: e.tokens.prompt, completionTokens: e.tokens.completion }, options.prices);
  return { ...e, cost };
}
