import { readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { LOCK_FILE } from '../../src/pipeline/schedule-pass.js';
import { deadPid } from '../helpers/dead-pid.js';
import { editSlideText, listFiles, writeTree } from '../helpers/deck-tree.js';
import { tempDir } from '../helpers/paths.js';
import { packageFileProblems } from '../helpers/pptx-invariants.js';
import { runCli, spawnBin, waitFor, type SpawnedCli } from '../helpers/run-cli.js';

interface LogLine {
  time: string;
  event: string;
  pass?: number;
  input?: string;
  status?: string;
  cacheHits?: { prompts: number; images: number };
  slides?: { illustrated: number };
  signal?: string | null;
}

const lines = (run: SpawnedCli): LogLine[] =>
  run
    .stdout()
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LogLine);
const ms = (l: LogLine) => Date.parse(l.time);

async function project(schedule = '*/1 * * * * *') {
  const cwd = await tempDir();
  await writeTree(cwd, { 'decks/team/bullets.pptx': fixtures.bullets, 'decks/four.pptx': fixtures.fourThree });
  await writeFile(
    path.join(cwd, 'pipeline.config.json'),
    JSON.stringify({ inputs: ['decks'], outputDir: 'out', cacheDir: 'cache', schedule }),
  );
  return cwd;
}

async function expectCleanOutputs(cwd: string): Promise<void> {
  const files = await listFiles(path.join(cwd, 'out'));
  expect(files.filter((f) => f.endsWith('.tmp') || f.includes(LOCK_FILE))).toEqual([]);
  for (const [out, input] of [
    ['team/bullets.pptx', 'decks/team/bullets.pptx'],
    ['four.pptx', 'decks/four.pptx'],
  ] as const) {
    if (!files.includes(out)) continue;
    expect(await packageFileProblems(path.join(cwd, 'out', out), path.join(cwd, input))).toEqual([]);
  }
}

describe('slide-illustrate schedule', () => {
  it('runs passes on a seconds-level cron: never overlapping, skipping unchanged decks, picking up an edit, stopping on SIGTERM', async () => {
    const cwd = await project();
    // Images take 250 ms each, two at a time: the first pass (5 slides) outlasts the 1 s interval.
    const run = spawnBin(['schedule', '--config', 'pipeline.config.json', '--json', '--concurrency', '2'], {
      cwd,
      env: { SLIDE_ILLUSTRATE_OFFLINE_DELAY_MS: '250' },
    });
    /** The first finished pass after pass `after` whose deck lines satisfy `pred`. */
    const passEnd = (after: number, pred: (deckLines: LogLine[]) => boolean) =>
      waitFor(
        () =>
          lines(run).find(
            (l) => l.event === 'pass-end' && l.pass! > after && pred(lines(run).filter((d) => d.event === 'deck' && d.pass === l.pass)),
          ),
        20_000,
        'a pass',
      );
    const first = await passEnd(0, (decks) => decks.filter((d) => d.status === 'ok').length === 2);
    const quiet = await passEnd(first.pass!, (decks) => decks.length === 2 && decks.every((d) => d.status === 'unchanged'));

    await editSlideText(path.join(cwd, 'decks/team/bullets.pptx'), 3, 'Close', 'Wrap up');
    const edited = await passEnd(quiet.pass!, (decks) => decks.some((d) => d.status === 'ok'));
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);

    const log = lines(run);
    const decks = log.filter((l) => l.event === 'deck' && l.pass === edited.pass);
    const byName = Object.fromEntries(decks.map((d) => [path.relative(cwd, d.input!), d]));
    expect(byName['decks/four.pptx']!.status).toBe('unchanged');
    // Three slides illustrated, two of them from the cache: one prompt and one image paid for.
    expect(byName['decks/team/bullets.pptx']).toMatchObject({
      status: 'ok',
      slides: { illustrated: 3 },
      cacheHits: { prompts: 2, images: 2 },
    });

    const starts = log.filter((l) => l.event === 'pass-start');
    const ends = log.filter((l) => l.event === 'pass-end');
    expect(starts.map((l) => l.pass)).toEqual(starts.map((_, i) => i + 1));
    expect(ms(ends[0]!) - ms(starts[0]!)).toBeGreaterThan(1_000);
    for (let i = 1; i < starts.length; i++) expect(ms(starts[i]!)).toBeGreaterThanOrEqual(ms(ends[i - 1]!));
    expect(log.at(-1)).toMatchObject({ event: 'schedule-stop', signal: 'SIGTERM' });
    await expectCleanOutputs(cwd);
  });

  it('SIGINT in the middle of a pass stops at once, exit 0, with no partial output and no lock left', async () => {
    const cwd = await project();
    const run = spawnBin(['schedule', '--json', '--concurrency', '1'], { cwd, env: { SLIDE_ILLUSTRATE_OFFLINE_DELAY_MS: '1000' } });
    await waitFor(() => lines(run).some((l) => l.event === 'pass-start'), 10_000, 'the first pass');
    await new Promise((r) => setTimeout(r, 1_300));
    const sent = Date.now();
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    // The pass needed over 5 s (five 1 s images, one at a time); it was cut short, not waited for.
    expect(Date.now() - sent).toBeLessThan(3_000);
    expect(lines(run).filter((l) => l.event === 'pass-end')).toEqual([]);
    expect(lines(run).at(-1)).toMatchObject({ event: 'schedule-stop', signal: 'SIGINT' });
    await expectCleanOutputs(cwd);
  });

  it('--once takes over a lock left by a dead process and runs one pass', async () => {
    const cwd = await project();
    await writeTree(cwd, {
      [`out/${LOCK_FILE}`]: Buffer.from(
        JSON.stringify({ pid: deadPid(), host: os.hostname(), startedAt: '2026-01-01T00:00:00.000Z', token: 'crashed' }),
      ),
    });
    const r = await runCli(['schedule', '--once'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/pass 1 ✓ decks\/team\/bullets\.pptx → out\/team\/bullets\.pptx: 3 illustrated/);
    expect(r.stdout).toMatch(/pass 1 done: 2 decks: 2 ok/);
    await expectCleanOutputs(cwd);
    const twice = await runCli(['schedule', '--once'], { cwd });
    expect(twice.stdout).toMatch(/pass 1 done: 2 decks: 2 unchanged/);
  });

  it('--once exits 1 with a clear message while a live process holds the lock, and touches nothing', async () => {
    const cwd = await project();
    await writeTree(cwd, {
      [`out/${LOCK_FILE}`]: Buffer.from(
        JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: '2026-01-01T00:00:00.000Z', token: 'live' }),
      ),
    });
    const r = await runCli(['schedule', '--once'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^slide-illustrate: another pass is running \\(pid ${process.pid} on .* since 2026-01-01T00:00:00.000Z; lock .*${LOCK_FILE.replace(/\./g, '\\.')}\\); not starting a second one\\n$`,
      ),
    );
    expect(await listFiles(path.join(cwd, 'out'))).toEqual([LOCK_FILE]);
  });

  it('--force is refused without --once (it would pay for every deck at every tick)', async () => {
    const r = await runCli(['schedule', '--force'], { cwd: await project() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--force .* use it with --once/);
  });

  it.each([
    [{ inputs: [] }, /inputs: the scheduled job needs at least one deck or folder/],
    [{ inputs: ['decks'], schedule: '*/5 * * *' }, /schedule: not a valid cron expression/],
  ])('a config it cannot run (%j) exits 2 naming the key', async (config, message) => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, 'pipeline.config.json'), JSON.stringify(config));
    const r = await runCli(['schedule', '--once'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it.each(['0 0 30 2 *', '0 0 31 4 *', '0 0 0 31 11 *'])(
    'a schedule that never fires (%s) is refused before any pass: exit 2 naming `schedule`',
    async (schedule) => {
      const cwd = await project(schedule);
      for (const argv of [['schedule'], ['schedule', '--once']]) {
        const r = await runCli(argv, { cwd });
        expect(r.code, argv.join(' ')).toBe(2);
        expect(r.stderr).toBe(
          `slide-illustrate: ${path.join(cwd, 'pipeline.config.json')}: 1 problem: schedule: not a valid cron expression (it never fires: no date matches it, such as the 30th of February)\n`,
        );
        expect(r.stdout).toBe('');
      }
      await expect(readdir(path.join(cwd, 'out'))).rejects.toThrow(/ENOENT/);
    },
  );
});
