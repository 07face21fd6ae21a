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
