// Before a paid run: what it will cost, from the plan and the cache (no paid call), and on a
// terminal the question "Proceed? [y/N]". Scripts (no terminal) are not asked: they proceed, and
// --max-images is how they cap what they spend. Offline runs cost nothing and are never asked.
import { createInterface } from 'node:readline';
import { SlideIllustrateError } from '../errors.js';
import { formatCost } from '../model/cost.js';
import type { RunEstimate } from '../api/run.js';
import type { CliIo } from './io.js';
import type { Progress } from './progress.js';

export interface ConfirmOptions {
  /** What the run's plan would pay for; called only when the estimate is shown (it plans every deck first). */
  estimate: () => Promise<RunEstimate>;
  /** --yes: never ask. */
  yes: boolean;
}

// Prints the estimate where progress goes, then asks on a terminal; throws when the answer is not yes.
export async function confirmCost(options: ConfirmOptions, io: CliIo, progress: Progress): Promise<RunEstimate | undefined> {
  const ask = io.isTTY === true && !options.yes;
  if (!ask && progress.mode === 'off') return undefined;
  const estimate = await options.estimate();
  progress.log(formatEstimate(estimate));
  if (!ask || (!estimate.images.toGenerate && !estimate.prompts.toWrite)) return estimate;
  progress.stream.write('Proceed? [y/N] ');
  const answer = await readLine(io.stdin);
  if (!/^\s*y(es)?\s*$/i.test(answer ?? ''))
    throw new SlideIllustrateError('not confirmed: nothing was paid for (--yes skips the question)');
  return estimate;
}

/** "Estimate: 12 pictures planned; to pay for: 8 images (4 cached, 2 over --max-images), 8 prompts (…); cost CHF 0.170". */
export function formatEstimate(e: RunEstimate): string {
  const images = [e.images.cached && `${e.images.cached} cached`, e.images.overCap && `${e.images.overCap} over --max-images`]
    .filter(Boolean)
    .join(', ');
  const prompts = e.prompts.toWrite
    ? `${e.prompts.toWrite} prompts (about ${e.tokens.prompt} input + at most ${e.tokens.completion} output tokens)`
    : 'no prompt';
  const unreadable =
    (e.unreadable ? `; ${e.unreadable} deck${e.unreadable === 1 ? '' : 's'} unreadable` : '') +
    (e.unchanged ? `; ${e.unchanged} deck${e.unchanged === 1 ? '' : 's'} unchanged since the last run` : '');
  return `Estimate: ${e.planned} pictures planned${unreadable}; to pay for: ${e.images.toGenerate} images${images ? ` (${images})` : ''}, ${prompts}; cost ${formatCost(e.cost)}`;
}

/** One line from `input`; undefined when it ends first (or there is none). */
async function readLine(input: NodeJS.ReadableStream | undefined): Promise<string | undefined> {
  if (!input) return undefined;
  const rl = createInterface({ input, terminal: false });
  try {
    return await new Promise<string | undefined>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(undefined));
    });
  } finally {
    rl.close();
  }
}
