// Applies one deck's plan: (prompt → image → fit) per planned slide → write.
// Deck-level problems become the report's status; only an abort is thrown.
import { DeckFormatError, messageOf, SlideIllustrateError } from '../errors.js';
import type { DeckPlan, SlidePlan } from '../model/run-plan.js';
import { openDeckWriter, type DeckWriter } from '../pptx/deck-writer.js';
import type { Presentation } from '../pptx/read-presentation.js';
import type { ImageRequest } from '../providers/types.js';
import { draftPrompt } from '../stages/draft-prompt.js';
import { illustrateSlide, type SlideContext } from '../stages/illustrate-slide.js';
import type { RunEnv } from '../stages/run-env.js';
import { emptyUsage, type DeckReport, type SlideReport } from '../model/report.js';

// Illustrates the deck's planned slides and writes the copy to the plan's output.
export async function runDeck(deck: DeckPlan, pres: Presentation | undefined, run: RunEnv): Promise<DeckReport> {
  const d = startDeck(deck, run);
  if (deck.status !== 'planned' || !pres) return d.unplanned();
  let writer: DeckWriter | undefined;
  try {
    // The output is written as slides finish (see deck-writer.ts).
    writer = await openDeckWriter(pres, deck.output, { slides: deck.slides.filter((s) => s.status === 'planned').map((s) => s.part) });
    if (deck.signed)
      d.warn('the deck was digitally signed; the illustrated copy is not (any edit breaks a signature), so its signature was removed');
    const ctx: SlideContext = { ...run, input: deck.input, palette: deck.palette ?? [], usage: d.usage, writer };
    const outcomes = await d.eachPlanned((slide) => illustrateSlide(slide, ctx));
    const slides = d.withSkipped(outcomes.map((o) => o.report));
    const pictures = outcomes.filter((o) => o.written).length;
    const failed = slides.some((s) => s.status === 'failed');
    const slideSize = deck.slideSize;
    if (!pictures && failed)
      return d.finish({ output: undefined, status: 'failed', error: 'no slide could be illustrated', slides, slideSize });
    const written = await run.limiters.cpu(() => writer!.finish());
    const { repairs } = written;
    if (repairs.length)
      d.warn(`repaired ${repairs.length} defect${repairs.length > 1 ? 's' : ''} PowerPoint would complain about: ${listSome(repairs, 3)}`);
    return d.finish({ output: deck.output, status: failed ? 'partial' : 'ok', slides, slideSize });
  } catch (error) {
    return d.crashed(error);
  } finally {
    await writer?.abort();
  }
}

// --dry-run for one deck: each planned slide's prompt, and whether its image is cached; nothing written.
export async function draftDeck(deck: DeckPlan, run: RunEnv & { isImageCached(req: ImageRequest): Promise<boolean> }): Promise<DeckReport> {
  const d = startDeck(deck, run);
  if (deck.status !== 'planned') return d.unplanned();
  try {
    const ctx = { ...run, input: deck.input, palette: deck.palette ?? [], usage: d.usage };
    const slides = d.withSkipped(await d.eachPlanned((slide) => draftPrompt(slide, ctx)));
    const failed = slides.some((s) => s.status === 'failed');
    const drafted = slides.some((s) => s.status === 'illustrated');
    return d.finish({ output: undefined, status: !failed ? 'ok' : drafted ? 'partial' : 'failed', slides, slideSize: deck.slideSize });
  } catch (error) {
    return d.crashed(error);
  }
}

// --- internal ---

type Ending = Omit<DeckReport, 'ms' | 'usage' | 'warnings' | 'input'>;

/** What applying and drafting a deck share: its usage and warnings, events, and its report. */
function startDeck(deck: DeckPlan, run: RunEnv) {
  const started = performance.now();
  const usage = emptyUsage();
  const warnings: string[] = [];
  const { input } = deck;
  const planned = deck.slides.filter((s) => s.status === 'planned');
  const finish = (ending: Ending): DeckReport => {
    const report: DeckReport = { input, ...ending, usage, warnings, ms: Math.round(performance.now() - started) };
    run.onEvent?.({ type: 'deck-done', report });
    return report;
  };
  return {
    usage,
    finish,
    warn(message: string) {
      warnings.push(message);
      run.onEvent?.({ type: 'warning', input, message });
    },
    /** A deck the plan could not read or refused, or left as the last run wrote it. */
    unplanned: () =>
      deck.status === 'unchanged'
        ? finish({ output: deck.output, status: 'unchanged', slides: [] })
        : finish({
            output: undefined,
            status: deck.status === 'refused' ? 'refused' : 'failed',
            error: deck.error ?? `${input}: not planned`,
            slides: [],
          }),
    async eachPlanned<T extends SlideReport | { report: SlideReport }>(work: (slide: SlidePlan) => Promise<T>): Promise<T[]> {
      run.onEvent?.({ type: 'deck-start', input, slides: deck.slides.length, planned: planned.length });
      const done = await Promise.all(
        planned.map(async (slide) => {
          const outcome = await work(slide);
          run.onEvent?.({ type: 'slide-done', input, slide: 'report' in outcome ? outcome.report : outcome });
          return outcome;
        }),
      );
      run.signal?.throwIfAborted();
      return done;
    },
    /** The planned slides' reports with the skipped ones, in slide order. */
    withSkipped: (reports: SlideReport[]): SlideReport[] =>
      [...deck.slides.filter((s) => s.status === 'skipped').map(skippedReport), ...reports].sort((a, b) => a.number - b.number),
    crashed(error: unknown): DeckReport {
      if (run.signal?.aborted) throw error;
      const status = error instanceof DeckFormatError ? 'refused' : 'failed';
      return finish({
        output: undefined,
        status,
        error: error instanceof SlideIllustrateError ? error.message : `${input}: ${messageOf(error)}`,
        slides: [],
      });
    },
  };
}

function skippedReport(s: SlidePlan): SlideReport {
  return { number: s.number, status: 'skipped', reason: s.reason ?? 'skipped', title: s.title, text: s.text };
}

/** The first `most` items, then how many more: one warning line stays readable for a deck with 200 defects. */
export function listSome(items: readonly string[], most: number): string {
  const shown = items.slice(0, most).join('; ');
  return items.length > most ? `${shown}; and ${items.length - most} more` : shown;
}
