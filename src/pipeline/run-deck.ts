// Illustrates one deck: read → plan → (prompt → image → fit) per slide → write.
// Deck-level problems become the report's status; only an abort is thrown.
import path from 'node:path';
import type { Config } from '../config/schema.js';
import { DeckFormatError, messageOf, SlideIllustrateError } from '../errors.js';
import { openMediaSpool } from '../pptx/media-spool.js';
import { readPresentationFile } from '../pptx/read-presentation.js';
import { deckStyle } from '../prompt/deck-style.js';
import type { Providers } from '../providers/types.js';
import { illustrateSlide, type SlideContext } from '../stages/illustrate-slide.js';
import { planIllustrations, type IllustrationPlan } from '../stages/plan-illustrations.js';
import type { Presentation } from '../pptx/read-presentation.js';
import { writeDeck } from '../stages/write-deck.js';
import { attachObstacles } from '../report/planner-view.js';
import type { Limiters } from './limiters.js';
import { emptyUsage, type DeckReport, type PipelineEvent, type SlideReport } from './types.js';

export interface RunDeckOptions {
  config: Config;
  providers: Providers;
  limiters: Limiters;
  /** Where the illustrated deck goes. */
  output: string;
  /** Make report thumbnails of each picture (--report); off, normal runs pay nothing. */
  thumbnails?: boolean | undefined;
  signal?: AbortSignal | undefined;
  onEvent?: ((event: PipelineEvent) => void) | undefined;
  /** --dry-run: prompts only; no image call, nothing written, `output` stays undefined. */
  dryRun?: SlideContext['dryRun'];
  /** The deck, already being read (see RunBatchOptions.opened); else it is read here. */
  presentation?: Promise<Presentation> | undefined;
}

export interface DeckPlan {
  pres: Presentation;
  plan: IllustrationPlan;
  /** The deck-wide style every prompt of this deck carries. */
  style: string;
}

// Reads a deck and plans its pictures (pure after the read): what a run, a dry run and an estimate share.
export async function readDeckPlan(input: string, config: Config, reading?: Promise<Presentation>): Promise<DeckPlan> {
  const pres = await (reading ?? readPresentationFile(input));
  const plan = planIllustrations(pres, { placement: config.placement, skipSlides: config.skipSlides });
  return { pres, plan, style: deckStyle(config.image.style, pres.theme) };
}

export async function runDeck(input: string, options: RunDeckOptions): Promise<DeckReport> {
  const started = performance.now();
  const usage = emptyUsage();
  const warnings: string[] = [];
  const finish = (report: Omit<DeckReport, 'ms' | 'usage' | 'warnings' | 'input'>): DeckReport => {
    const full: DeckReport = { input, ...report, usage, warnings, ms: Math.round(performance.now() - started) };
    options.onEvent?.({ type: 'deck-done', report: full });
    return full;
  };
  const warn = (message: string) => {
    warnings.push(message);
    options.onEvent?.({ type: 'warning', input, message });
  };
  if (path.resolve(input) === path.resolve(options.output)) {
    return finish({ output: undefined, status: 'refused', error: `${input}: the output would overwrite the input; choose another --out`, slides: [] });
  }
  // Fitted pictures wait for the write on disk; a dry run fits none.
  const spool = options.dryRun ? undefined : await openMediaSpool();
  try {
    const { pres, plan, style } = await readDeckPlan(input, options.config, options.presentation);
    if (pres.signed && !options.dryRun) warn('the deck was digitally signed; the illustrated copy is not (any edit breaks a signature), so its signature was removed');
    options.onEvent?.({ type: 'deck-start', input, slides: pres.slides.length, planned: plan.planned.length });
    const ctx: SlideContext = {
      input,
      deckTitle: pres.title,
      style,
      palette: pres.theme.palette,
      providers: options.providers,
      limiters: options.limiters,
      usage,
      thumbnails: options.thumbnails,
      signal: options.signal,
      onEvent: options.onEvent,
      dryRun: options.dryRun,
      spool,
    };
    const outcomes = await Promise.all(
      plan.planned.map(async (p) => {
        const outcome = await illustrateSlide(p, ctx);
        options.onEvent?.({ type: 'slide-done', input, slide: outcome.report });
        return outcome;
      }),
    );
    options.signal?.throwIfAborted();
    const slides: SlideReport[] = [...plan.skipped, ...outcomes.map((o) => o.report)].sort((a, b) => a.number - b.number);
    // The report draws each slide as the planner saw it.
    if (options.thumbnails) attachObstacles(slides, pres, plan);
    const pictures = outcomes.flatMap((o) => (o.picture ? [o.picture] : []));
    const failed = slides.some((s) => s.status === 'failed');
    const slideSize = pres.slideSize;
    if (options.dryRun) {
      const drafted = slides.some((s) => s.status === 'illustrated');
      return finish({ output: undefined, status: !failed ? 'ok' : drafted ? 'partial' : 'failed', slides, slideSize });
    }
    if (!pictures.length && failed) return finish({ output: undefined, status: 'failed', error: 'no slide could be illustrated', slides, slideSize });
    const written = await options.limiters.cpu(() => writeDeck(pres, pictures, options.output));
    if (written.repairs.length) warn(`repaired ${written.repairs.length} defect${written.repairs.length > 1 ? 's' : ''} PowerPoint would complain about: ${written.repairs.join('; ')}`);
    return finish({ output: options.output, status: failed ? 'partial' : 'ok', slides, slideSize });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const refused = error instanceof DeckFormatError;
    return finish({
      output: undefined,
      status: refused ? 'refused' : 'failed',
      error: error instanceof SlideIllustrateError ? error.message : `${input}: ${messageOf(error)}`,
      slides: [],
    });
  } finally {
    await spool?.close();
  }
}
