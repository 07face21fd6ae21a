// Each deck is read and parsed once per run: the plan made from that read serves the estimate, the
// cost question, --dry-run, --report and the real run (issue 14).
import path from 'node:path';
import { Readable } from 'node:stream';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { writeTree } from '../helpers/deck-tree.js';
import { fakeApi, infomaniakEnv } from '../helpers/provider-setup.js';
import { tempDir } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';

const reads = vi.hoisted(() => new Map<string, number>());

vi.mock('../../src/pptx/read-presentation.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/pptx/read-presentation.js')>();
  return {
    ...real,
    readPresentationFile: (file: string) => {
      reads.set(file, (reads.get(file) ?? 0) + 1);
      return real.readPresentationFile(file);
    },
  };
});

async function folder(): Promise<string> {
  const cwd = await tempDir();
  await writeTree(cwd, {
    'decks/demo.pptx': fixtures.demo,
    'decks/bullets.pptx': fixtures.bullets,
    'decks/four.pptx': fixtures.fourThree,
    'decks/more/tables.pptx': fixtures.tables,
  });
  return cwd;
}

const readsOf = (cwd: string) => Object.fromEntries([...reads].map(([file, n]) => [path.relative(cwd, file), n]));
const once = { 'decks/bullets.pptx': 1, 'decks/demo.pptx': 1, 'decks/four.pptx': 1, 'decks/more/tables.pptx': 1 };

describe('deck reads per run', () => {
  beforeEach(() => reads.clear());

  it('a paid run that estimates and asks before spending reads each deck once', async () => {
    const api = await fakeApi();
    const cwd = await folder();
    const run = await runCli(['decks', '--json'], {
      cwd,
      env: infomaniakEnv(api),
      http: { sleep: async () => undefined },
      terminal: { columns: 100, stdin: Readable.from(['y\n']) },
    });
    expect(run.stderr).toMatch(/Estimate: \d+ pictures planned/);
    expect(run.code).toBe(0);
    expect(api.stats.requests.images).toBeGreaterThan(0);
    expect(readsOf(cwd)).toEqual(once);
  });

  it('a dry run reads each deck once', async () => {
    const cwd = await folder();
    const run = await runCli(['decks', '--dry-run'], { cwd });
    expect(run.stdout).toMatch(/^Dry run: \d+ pictures planned/m);
    expect(readsOf(cwd)).toEqual(once);
  });

  it('a run with --report reads each deck once, and the report still has its thumbnails', async () => {
    const cwd = await folder();
    const run = await runCli(['decks', '--report', 'run.html'], { cwd });
    expect(run.code).toBe(0);
    expect(readsOf(cwd)).toEqual(once);
    const { readFile } = await import('node:fs/promises');
    expect((await readFile(path.join(cwd, 'run.html'), 'utf8')).match(/data:image\/jpeg;base64,/g)?.length).toBeGreaterThan(3);
  });
});

describe('deck reads on a re-run', () => {
  beforeEach(() => reads.clear());

  it('an unchanged re-run reads no deck; a deck edited, an output deleted or new settings read only what changed', async () => {
    const { rm, utimes, writeFile } = await import('node:fs/promises');
    const { editSlideText } = await import('../helpers/deck-tree.js');
    const cwd = await folder();
    expect((await runCli(['decks'], { cwd })).code).toBe(0);
    reads.clear();

    const same = await runCli(['decks', '--json'], { cwd });
    expect(readsOf(cwd)).toEqual({});
    expect((JSON.parse(same.stdout) as { totals: { decks: Record<string, number> } }).totals.decks).toMatchObject({ ok: 0, unchanged: 4 });

    // Touched but identical: the hash says unchanged, still no read.
    const later = new Date(Date.now() + 60_000);
    await utimes(path.join(cwd, 'decks/four.pptx'), later, later);
    const touched = await runCli(['decks'], { cwd });
    expect(readsOf(cwd)).toEqual({});
    // Nothing was written: no notice about offline pictures.
    expect(touched.stdout).toMatch(/^4 decks: 4 unchanged/m);
    expect(touched.stdout).not.toMatch(/Offline mode/);

    await editSlideText(path.join(cwd, 'decks/bullets.pptx'), 1, 'Open the call', 'Close the call');
    await rm(path.join(cwd, 'output/demo.pptx'));
    await runCli(['decks'], { cwd });
    expect(readsOf(cwd)).toEqual({ 'decks/bullets.pptx': 1, 'decks/demo.pptx': 1 });

    // Settings that shape outputs (here the placement) redo every deck; --force too.
    reads.clear();
    await writeFile(path.join(cwd, 'pipeline.config.json'), JSON.stringify({ placement: 'make-room' }));
    await runCli(['decks'], { cwd });
    expect(readsOf(cwd)).toEqual(once);
    reads.clear();
    await runCli(['decks', '--force'], { cwd });
    expect(readsOf(cwd)).toEqual(once);
  });
});
