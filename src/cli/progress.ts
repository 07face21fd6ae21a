// Progress while a run works. On a terminal: a live display redrawn in place (log-update), with
// every other line printed above it through log(), so nothing is ever drawn over half a line.
// Off a terminal (CI, cron): plain lines — one per finished deck, and per slide with --verbose.
// Nothing with --quiet, nor with --json off a terminal (stdout then carries the JSON alone).
import path from 'node:path';
import type { createLogUpdate as CreateLogUpdate } from 'log-update';
import { countSlides, type DeckReport, type PipelineEvent, type SlideReport } from '../model/report.js';
import type { Verbosity } from './args.js';
import type { CliIo, CliStream } from './io.js';
import { printable } from '../internal/printable.js';
import { createProgressState, type ProgressState } from './progress-state.js';
import { formatDeckLine } from './summary.js';

export type ProgressMode = 'live' | 'lines' | 'off';

type Stream = CliStream;

export interface Progress {
  readonly mode: ProgressMode;
  /** The io to run with: while the display is live, whole lines written to it go through log(). */
  readonly io: CliIo;
  /** Where progress, notices and the cost question are written: stdout, or stderr beside --json. */
  readonly stream: Stream;
  onEvent(event: PipelineEvent): void;
  /** Prints one line (to `to`, default the progress stream) without garbling the live display. */
  log(line: string, to?: Stream): void;
  /** Shows progress for a run of `decks` decks. */
  start(decks: number): void;
  /** Ends the live display, leaving its last frame on screen. */
  stop(): void;
  /** Inputs of the decks whose line was printed as they finished: the summary need not repeat them. */
  readonly printed: ReadonlySet<string>;
}

export interface ProgressOptions {
  io: CliIo;
  json: boolean;
  verbosity: Verbosity;
  dryRun: boolean;
  /** Clock in milliseconds (tests). */
  now?: () => number;
  /**
   * Least time between two frames; events in between only update the counts.
   * @unit milliseconds
   * @default 100
   */
  frameIntervalMs?: number;
}

export function progressMode(io: Pick<CliIo, 'isTTY'>, json: boolean, verbosity: Verbosity): ProgressMode {
  if (verbosity === 'quiet') return 'off';
  if (io.isTTY) return 'live';
  return json ? 'off' : 'lines';
}

// log-update (and its string-width tables) is loaded only for a live display: ~60 ms of start-up
// that runs off a terminal (cron, CI, the benchmark) do not need.
export async function createProgress(options: ProgressOptions): Promise<Progress> {
  const { io, dryRun } = options;
  const mode = progressMode(io, options.json, options.verbosity);
  const createLogUpdate = mode === 'live' ? (await import('log-update')).createLogUpdate : undefined;
  const stream = options.json ? io.stderr : io.stdout;
  const now = options.now ?? (() => performance.now());
  const interval = options.frameIntervalMs ?? 100;
  const printed = new Set<string>();
  // A terminal that reports no size (0 or unset, as under some CI and `script`) is taken as 80 wide.
  const width = () => stream.columns || 80;
  const rel = (p: string) => printable(path.relative(io.cwd, p) || p);
  let state: ProgressState | undefined;
  let decks = 0;
  let render: ReturnType<typeof CreateLogUpdate> | undefined;
  let lastFrame = -Infinity;
  const flushes: (() => void)[] = [];

  const draw = (force: boolean) => {
    if (!render || !state) return;
    const t = now();
    if (!force && t - lastFrame < interval) return;
    lastFrame = t;
    render(state.frame(width()).join('\n'));
  };

  const log = (line: string, to: Stream = stream) => {
    if (!render) {
      to.write(`${line}\n`);
      return;
    }
    render.clear();
    to.write(`${line}\n`);
    draw(true);
  };

  // Whole lines go through log() while the display is live; a partial line waits for its end.
  const routed = (target: Stream): Stream => {
    let pending = '';
    flushes.push(() => {
      if (pending) target.write(pending);
      pending = '';
    });
    return {
      write(s: string) {
        if (!render && !pending) return target.write(s);
        const lines = (pending + s).split('\n');
        pending = lines.pop()!;
        for (const line of lines) log(line, target);
        return true;
      },
      get columns() {
        return target.columns;
      },
    };
  };

  const deckDone = (report: DeckReport) => {
    if (decks < 2 || mode === 'off') return;
    printed.add(report.input);
    log(dryRun && !report.error ? dryRunDeckLine(rel(report.input), report) : formatDeckLine(report, io.cwd));
  };

  const slideDone = (input: string, slide: SlideReport) => {
    if (options.verbosity !== 'verbose' || mode === 'off') return;
    log(slideLine(rel(input), slide, dryRun));
  };

  return {
    mode,
    io: { ...io, stdout: routed(io.stdout), stderr: routed(io.stderr) },
    stream,
    printed,
    log,
    start(n) {
      decks = n;
      if (mode === 'off') return;
      state = createProgressState({ decks: n, cwd: io.cwd, dryRun, now });
      // showCursor: hiding it would write to process.stderr (not our stream) and hook process exit.
      // isTTY lets log-update wrap each frame in synchronized-output marks, so terminals draw it at once.
      // The frame's cursor and erase sequences are ours: they go out unescaped, its text is made printable.
      const terminal = {
        write: (s: string) => (stream.writeControl ?? stream.write).call(stream, s),
        isTTY: true,
        get columns() {
          return width();
        },
      };
      if (createLogUpdate) render = createLogUpdate(terminal as unknown as NodeJS.WritableStream, { showCursor: true });
      draw(true);
    },
    onEvent(event) {
      state?.apply(event);
      if (event.type === 'slide-done') slideDone(event.input, event.slide);
      if (event.type === 'deck-done') deckDone(event.report);
      draw(event.type === 'deck-start' || event.type === 'deck-done');
    },
    stop() {
      draw(true);
      render?.done();
      render = undefined;
      for (const flush of flushes) flush();
    },
  };
}

/** A dry run writes no deck: "✓ decks/q3.pptx: 5 planned, 1 skipped, 0 failed (dry run)", not "failed". */
function dryRunDeckLine(deck: string, report: DeckReport): string {
  if (report.status === 'unchanged') return `· ${deck}: unchanged since the last run (dry run)`;
  const c = countSlides(report);
  const mark = { ok: '✓', partial: '!', failed: '✗', refused: '✗', unchanged: '·' }[report.status];
  return `${mark} ${deck}: ${c.illustrated} planned, ${c.skipped} skipped, ${c.failed} failed (dry run)`;
}

/** "✓ decks/q3.pptx slide 4: illustrated (3.1 s; cached: prompt)", "· … slide 5: skipped: over --max-images". */
export function slideLine(deck: string, slide: SlideReport, dryRun: boolean): string {
  const where = `${deck} slide ${slide.number}`;
  if (slide.status !== 'illustrated')
    return `${slide.status === 'failed' ? '✗' : '·'} ${where}: ${slide.status}: ${printable(slide.reason ?? 'unknown')}`;
  const cached = [slide.cached?.prompt && 'prompt', slide.cached?.image && 'image'].filter(Boolean).join(', ');
  return `✓ ${where}: ${dryRun ? 'prompt written' : 'illustrated'} (${((slide.ms ?? 0) / 1000).toFixed(1)} s${cached ? `; cached: ${cached}` : ''})`;
}
