// What a run has done so far, from its pipeline events, and the live frame drawn from it:
// decks, slides, prompts, images and a time-left estimate from the rate of finished slides.
import path from 'node:path';
import type { PipelineEvent } from '../model/report.js';
import { printable } from '../internal/printable.js';

export interface ProgressState {
  apply(event: PipelineEvent): void;
  /** The live display's lines, each cut to `width` columns. */
  frame(width: number): string[];
  /** Milliseconds left at the current rate; undefined until a slide has finished. */
  timeLeftMs(): number | undefined;
}

export interface ProgressStateOptions {
  decks: number;
  cwd: string;
  /** No image step (--dry-run): the frame leaves images out. */
  dryRun?: boolean | undefined;
  /** Clock in milliseconds (tests pass their own). */
  now?: () => number;
}

// Counts from events; the frame and the estimate are computed on demand.
export function createProgressState(options: ProgressStateOptions): ProgressState {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const active = new Map<string, { planned: number; done: number }>();
  const n = { decksDone: 0, decksStarted: 0, planned: 0, slides: 0, prompts: 0, images: 0, cached: 0 };

  const timeLeftMs = (): number | undefined => {
    if (!n.slides) return undefined;
    // Decks not opened yet are assumed to plan as many slides as the opened ones did, on average.
    const unopened = Math.max(0, options.decks - n.decksDone - active.size);
    const expected = n.planned + (n.decksStarted ? (unopened * n.planned) / n.decksStarted : 0);
    return (Math.max(0, expected - n.slides) * (now() - started)) / n.slides;
  };

  return {
    apply(event) {
      switch (event.type) {
        case 'deck-start':
          active.set(event.input, { planned: event.planned, done: 0 });
          n.decksStarted++;
          n.planned += event.planned;
          break;
        case 'prompt-done':
          n.prompts++;
          break;
        case 'image-done':
          n.images++;
          if (event.cached) n.cached++;
          break;
        case 'slide-done': {
          n.slides++;
          const deck = active.get(event.input);
          if (deck) deck.done++;
          break;
        }
        case 'deck-done':
          active.delete(event.report.input);
          n.decksDone++;
          break;
      }
    },
    timeLeftMs,
    frame(width) {
      const left = timeLeftMs();
      const parts = [`decks ${n.decksDone}/${options.decks}`, `slides ${n.slides}/${n.planned}`, `prompts ${n.prompts}`];
      if (!options.dryRun) parts.push(`images ${n.images}${n.cached ? ` (${n.cached} cached)` : ''}`);
      if (n.decksDone >= options.decks) parts.push(`done in ${formatClock(now() - started)}`);
      else parts.push(left === undefined ? 'time left: after the first slide' : `about ${formatClock(left)} left`);
      const decks = [...active].map(
        ([input, d]) => `  ▸ ${printable(path.relative(options.cwd, input) || input)}  ${d.done}/${d.planned} slides`,
      );
      return [parts.join(' · '), ...decks].map((line) => cut(line, width));
    },
  };
}

/** "0:42", "12:05", "1:02:03". */
export function formatClock(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** One terminal line: longer text would wrap and make the frame taller than the display thinks. */
function cut(line: string, width: number): string {
  const chars = Array.from(line);
  return chars.length < width ? line : `${chars.slice(0, Math.max(1, width - 2)).join('')}…`;
}
