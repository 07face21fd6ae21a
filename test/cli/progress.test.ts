import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import type { CliIo } from '../../src/cli/main.js';
import { createProgress } from '../../src/cli/progress.js';
import { createProgressState } from '../../src/cli/progress-state.js';
import { emptyUsage, type DeckReport, type PipelineEvent, type SlideReport } from '../../src/model/report.js';
import { writeTree } from '../helpers/deck-tree.js';
import { tempDir } from '../helpers/paths.js';
import { packageFileProblems } from '../helpers/pptx-invariants.js';
import { runCli } from '../helpers/run-cli.js';
import { createVirtualTerminal } from '../helpers/virtual-terminal.js';

const CWD = '/work/decks';
const A = `${CWD}/a.pptx`;
const B = `${CWD}/b.pptx`;

const slide = (number: number, over: Partial<SlideReport> = {}): SlideReport => ({
  number,
  status: 'illustrated',
  title: `Slide ${number}`,
  ms: 1500,
  cached: { prompt: false, image: false },
  ...over,
});
const deck = (input: string, slides: SlideReport[]): DeckReport => ({
  input,
  output: input.replace(CWD, `${CWD}/out`),
  status: 'ok',
  slides,
  usage: emptyUsage(),
  warnings: [],
  ms: 2000,
});

/** The events of one slide going through prompt, image and fit. */
const slideEvents = (input: string, s: SlideReport): PipelineEvent[] => [
  { type: 'prompt-done', input, slide: s.number, cached: !!s.cached?.prompt },
  { type: 'image-done', input, slide: s.number, cached: !!s.cached?.image },
  { type: 'slide-done', input, slide: s },
];

function fakeClock() {
  const clock = { t: 0, now: () => clock.t };
  return clock;
}

describe('progress state', () => {
  it('estimates the time left from the rate of finished slides, counting decks not opened yet', () => {
    const clock = fakeClock();
    const state = createProgressState({ decks: 2, cwd: CWD, now: clock.now });
    expect(state.frame(120)).toEqual(['decks 0/2 · slides 0/0 · prompts 0 · images 0 · time left: after the first slide']);
    state.apply({ type: 'deck-start', input: A, slides: 5, planned: 4 });
    clock.t = 1000;
    state.apply({ type: 'slide-done', input: A, slide: slide(1) });
    clock.t = 2000;
    state.apply({ type: 'slide-done', input: A, slide: slide(2) });
    // 2 slides in 2 s; 4 planned in a.pptx and, by its example, 4 in b.pptx: 6 left at 1 s each.
    expect(state.timeLeftMs()).toBe(6000);
    expect(state.frame(120)).toEqual(['decks 0/2 · slides 2/4 · prompts 0 · images 0 · about 0:06 left', '  ▸ a.pptx  2/4 slides']);
  });

  it('cuts every line to the terminal width, so the display never wraps', () => {
    const state = createProgressState({ decks: 1, cwd: CWD, dryRun: true });
    state.apply({ type: 'deck-start', input: `${CWD}/a-deck-with-a-very-long-name-indeed.pptx`, slides: 3, planned: 3 });
    const frame = state.frame(30);
    expect(frame).toHaveLength(2);
    for (const line of frame) expect(Array.from(line).length).toBeLessThan(30);
    expect(frame[0]).not.toContain('images');
  });
});

describe('live display on a terminal', () => {
  it('redraws in place, prints every other line whole above it, and leaves the final frame', async () => {
    const vt = createVirtualTerminal(100);
    const clock = fakeClock();
    const io: CliIo = { stdout: vt.stream, stderr: vt.stream, env: {}, cwd: CWD, isTTY: true };
    const progress = await createProgress({ io, json: false, verbosity: 'verbose', dryRun: false, now: clock.now, frameIntervalMs: 0 });
    const a = [slide(1, { cached: { prompt: true, image: true } }), slide(2)];
    const b = [slide(1, { status: 'skipped', reason: 'over --max-images', cached: undefined })];
    progress.start(2);
    progress.onEvent({ type: 'deck-start', input: A, slides: 2, planned: 2 });
    clock.t = 1000;
    for (const e of slideEvents(A, a[0]!)) progress.onEvent(e);
    expect(vt.screen().slice(-2)).toEqual([
      'decks 0/2 · slides 1/2 · prompts 1 · images 1 (1 cached) · about 0:03 left',
      '  ▸ a.pptx  1/2 slides',
    ]);
    // A warning written in two pieces while the display is live: it comes out once, whole.
    progress.io.stderr.write('slide-illustrate: warning: cache: cannot ');
    progress.io.stderr.write('store an entry in images (ENOSPC)\ndebug: second line\n');
    clock.t = 2000;
    for (const e of slideEvents(A, a[1]!)) progress.onEvent(e);
    progress.onEvent({ type: 'deck-done', report: deck(A, a) });
    progress.onEvent({ type: 'deck-start', input: B, slides: 1, planned: 1 });
    clock.t = 5000;
    progress.onEvent({ type: 'prompt-done', input: B, slide: 1, cached: false });
    progress.onEvent({ type: 'slide-done', input: B, slide: b[0]! });
    progress.onEvent({ type: 'deck-done', report: deck(B, b) });
    progress.stop();

    expect(vt.screen()).toEqual([
      '✓ a.pptx slide 1: illustrated (1.5 s; cached: prompt, image)',
      'slide-illustrate: warning: cache: cannot store an entry in images (ENOSPC)',
      'debug: second line',
      '✓ a.pptx slide 2: illustrated (1.5 s)',
      '✓ a.pptx → out/a.pptx: 2 illustrated, 0 skipped, 0 failed (2.0 s)',
      '· b.pptx slide 1: skipped: over --max-images',
      '✓ b.pptx → out/b.pptx: 0 illustrated, 1 skipped, 0 failed (2.0 s)',
      'decks 2/2 · slides 3/3 · prompts 3 · images 2 (1 cached) · done in 0:05',
    ]);
    // Each line was one write, never split around a redraw.
    expect(vt.writes.filter((w) => w.includes('ENOSPC'))).toEqual([
      'slide-illustrate: warning: cache: cannot store an entry in images (ENOSPC)\n',
    ]);
    expect(progress.printed).toEqual(new Set([A, B]));
    // After stop, output goes straight to the stream again.
    progress.io.stdout.write('summary\n');
    expect(vt.writes.at(-1)).toBe('summary\n');
  });
});

describe('plain lines off a terminal', () => {
  async function capture(verbosity: 'quiet' | 'normal' | 'verbose', json = false) {
    let out = '';
    let err = '';
    const io: CliIo = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, env: {}, cwd: CWD };
    const progress = await createProgress({ io, json, verbosity, dryRun: false });
    progress.start(2);
    for (const input of [A, B]) {
      const slides = [slide(1), slide(2, { status: 'failed', reason: 'fake image API: 500' })];
      progress.onEvent({ type: 'deck-start', input, slides: 2, planned: 2 });
      for (const s of slides) for (const e of slideEvents(input, s)) progress.onEvent(e);
      progress.onEvent({ type: 'deck-done', report: { ...deck(input, slides), status: 'partial' } });
    }
    progress.stop();
    return { out, err, progress };
  }

  it('default: one line per finished deck, no escape sequences', async () => {
    const { out, err } = await capture('normal');
    expect(out).toBe(
      '! a.pptx → out/a.pptx: 1 illustrated, 0 skipped, 1 failed (2.0 s)\n! b.pptx → out/b.pptx: 1 illustrated, 0 skipped, 1 failed (2.0 s)\n',
    );
    expect(err).toBe('');
  });

  it('--verbose: a line per finished slide as well', async () => {
    const lines = (await capture('verbose')).out.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      '✓ a.pptx slide 1: illustrated (1.5 s)',
      '✗ a.pptx slide 2: failed: fake image API: 500',
      '! a.pptx → out/a.pptx: 1 illustrated, 0 skipped, 1 failed (2.0 s)',
    ]);
    expect(lines).toHaveLength(7);
  });

  it('--dry-run: a finished deck is "planned", not "failed" for want of a written deck', async () => {
    let out = '';
    const io: CliIo = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, env: {}, cwd: CWD };
    const progress = await createProgress({ io, json: false, verbosity: 'normal', dryRun: true });
    progress.start(2);
    const slides = [slide(1), slide(2, { status: 'skipped', reason: 'no text' })];
    for (const input of [A, B]) progress.onEvent({ type: 'deck-done', report: { ...deck(input, slides), output: undefined } });
    progress.stop();
    expect(out).toBe('✓ a.pptx: 1 planned, 1 skipped, 0 failed (dry run)\n✓ b.pptx: 1 planned, 1 skipped, 0 failed (dry run)\n');
  });

  it.each([
    ['--quiet', 'quiet', false],
    ['--json', 'normal', true],
  ] as const)('%s: nothing at all', async (_flag, verbosity, json) => {
    const { out, err, progress } = await capture(verbosity, json);
    expect(out + err).toBe('');
    expect(progress.printed.size).toBe(0);
  });
});

describe('slide-illustrate with progress', () => {
  async function twoDecks() {
    const cwd = await tempDir();
    await writeTree(cwd, { 'decks/bullets.pptx': fixtures.bullets, 'decks/four.pptx': fixtures.fourThree });
    return cwd;
  }

  async function expectValidOutputs(cwd: string) {
    expect(await packageFileProblems(path.join(cwd, 'output/bullets.pptx'), fixtures.bullets)).toEqual([]);
    expect(await packageFileProblems(path.join(cwd, 'output/four.pptx'), fixtures.fourThree)).toEqual([]);
  }

  it('on a terminal: live frame, whole lines above it, then the totals', async () => {
    const cwd = await twoDecks();
    const run = await runCli(['decks', '--verbose'], { cwd, terminal: { columns: 120 } });
    expect(run.code).toBe(0);
    const vt = createVirtualTerminal(120);
    vt.stream.write(run.stdout);
    const screen = vt.screen();
    const slideLines = screen.filter((l) => /^✓ decks\/\w+\.pptx slide \d: illustrated \(\d+\.\d s\)$/.test(l));
    expect(slideLines).toHaveLength(5);
    expect(screen).toContain(
      `✓ decks/bullets.pptx → output/bullets.pptx: 3 illustrated, 0 skipped, 0 failed (${screen.find((l) => l.startsWith('✓ decks/bullets.pptx →'))!.split('(')[1]}`,
    );
    const frame = screen.findIndex((l) => l.startsWith('decks 2/2'));
    expect(screen[frame]).toMatch(/^decks 2\/2 · slides 5\/5 · prompts 5 · images 5 · done in \d+:\d\d$/);
    expect(screen[frame + 1]).toMatch(/^2 decks: 2 ok — 5 slides illustrated, 0 skipped, 0 failed \(\d+\.\d s\)$/);
    // Every screen line is either ours whole, or the offline notice: nothing drawn over anything.
    for (const line of screen) expect(line).toMatch(/^(✓ decks\/|decks 2\/2 ·|2 decks: |Offline mode: |For AI images )/);
    await expectValidOutputs(cwd);
  });

  it('--json on a terminal: the JSON alone on stdout, the live display on stderr', async () => {
    const cwd = await twoDecks();
    const run = await runCli(['decks', '--json'], { cwd, terminal: { columns: 120 } });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { totals: { slides: { illustrated: number } } }).totals.slides.illustrated).toBe(5);
    const vt = createVirtualTerminal(120);
    vt.stream.write(run.stderr);
    expect(vt.screen().at(-1)).toMatch(/^decks 2\/2 · slides 5\/5 · prompts 5 · images 5 · done in/);
    await expectValidOutputs(cwd);
  });

  it('--json off a terminal: stdout is the JSON, stderr stays empty', async () => {
    const cwd = await twoDecks();
    const run = await runCli(['decks', '--json', '--verbose'], { cwd });
    expect(run.stderr).toBe('');
    expect(() => JSON.parse(run.stdout) as unknown).not.toThrow();
    await expectValidOutputs(cwd);
  });

  it('off a terminal: each deck line once, as it finishes, then the totals; --quiet: the totals alone', async () => {
    const cwd = await twoDecks();
    const run = await runCli(['decks'], { cwd });
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('✓ decks/bullets.pptx → output/bullets.pptx: 3 illustrated'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('✓ decks/four.pptx → output/four.pptx: 2 illustrated'))).toHaveLength(1);
    expect(lines[2]).toMatch(/^2 decks: 2 ok — 5 slides illustrated/);
    expect(run.stdout).not.toContain('\u001B');
    await expectValidOutputs(cwd);

    // Outputs as that run left them: --quiet prints the totals alone, which say so.
    const same = await runCli(['decks', '--quiet'], { cwd });
    expect(same.stdout).toMatch(/^2 decks: 2 unchanged — 0 slides illustrated, 0 skipped, 0 failed \(\d+\.\d s\)\n$/);

    await rm(path.join(cwd, 'output'), { recursive: true });
    const quiet = await runCli(['decks', '--quiet'], { cwd });
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toMatch(
      /^2 decks: 2 ok — 5 slides illustrated, 0 skipped, 0 failed; cache: 5 prompts, 5 images reused \(\d+\.\d s\)\n$/,
    );
    expect(quiet.stderr).toBe('');
    await expectValidOutputs(cwd);
  });
});
