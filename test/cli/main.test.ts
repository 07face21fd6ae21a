import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { corpusDir, requireCorpus, tempDir } from '../helpers/paths.js';
import { checkPackage } from '../helpers/pptx-invariants.js';
import { runBin, runCli } from '../helpers/run-cli.js';

const oneLine = (s: string) => s.trim().split('\n').length === 1;

describe('slide-illustrate <deck>', () => {
  it('writes output/<deck> by default, prints a summary and the offline notice, exit 0', async () => {
    const cwd = await tempDir();
    await copyFile(fixtures.bullets, path.join(cwd, 'deck.pptx'));
    const r = await runCli(['deck.pptx'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/deck\.pptx: 3 slides read, 3 illustrated, 0 skipped, 0 failed/);
    expect(r.stdout).toMatch(/→ output\/deck\.pptx/);
    expect(r.stdout).toMatch(/Offline mode: .*placeholder illustrations/);
    expect(r.stdout).toMatch(/INFOMANIAK_API_TOKEN/);
    const check = await checkPackage(await readFile(path.join(cwd, 'output/deck.pptx')), await readFile(fixtures.bullets));
    expect(check.problems).toEqual([]);
  });

  it('honours --out and the config outputDir', async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, 'pipeline.config.json'), JSON.stringify({ outputDir: 'illustrated' }));
    const a = await runCli([fixtures.bullets], { cwd });
    expect(a.stdout).toMatch(/→ illustrated\/bullets\.pptx/);
    const b = await runCli([fixtures.bullets, '--out', 'x/y.pptx'], { cwd });
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/→ x\/y\.pptx/);
  });

  it('summarises skipped slides with their reasons', async () => {
    const r = await runCli([fixtures.emptyAndHidden, '--out', path.join(await tempDir(), 'o.pptx')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/skipped: no text — slide 2/);
    expect(r.stdout).toMatch(/skipped: hidden slide — slide 3/);
  });

  it.each([
    [
      ['--provider', 'banana', 'deck.pptx'],
      'Invalid values: Argument: provider, Given: "banana", Choices: "offline", "infomaniak", "openai"',
    ],
    [['deck.pptx', '--bogus-flag'], 'Unknown argument: bogus-flag'],
    [['deck.pptx', '--concurrency', '0'], '--concurrency: expected an integer from 1 to 64, got 0'],
  ])('bad flags %j exit 2 with one line naming the flag', async (argv, message) => {
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`slide-illustrate: ${message}\nRun "slide-illustrate --help" for usage.\n`);
    expect(r.stdout).toBe('');
  });

  it('an empty command line prints the help on stderr and exits 2', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^slide-illustrate <decks or folders\.\.> \[options\]\n/);
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(help.stdout);
    expect(r.stdout).toBe('');
  });

  it('a missing deck exits 2 naming the file', async () => {
    const r = await runCli(['nope.pptx', '--out', path.join(await tempDir(), 'o.pptx')]);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/nope\.pptx: no such file/);
  });

  it('a bad config lists every problem by key and exits 2', async () => {
    const cwd = await tempDir();
    await writeFile(
      path.join(cwd, 'bad.json'),
      JSON.stringify({ concurrency: { image: -1 }, rpm: 'fast', colour: 'red', placement: 'top' }),
    );
    const r = await runCli([fixtures.bullets, '--config', 'bad.json'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/concurrency\.image: /);
    expect(r.stderr).toMatch(/rpm: /);
    expect(r.stderr).toMatch(/colour: unknown key/);
    expect(r.stderr).toMatch(/placement: /);
  });

  it('a config that is not JSON exits 2 naming the file', async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, 'pipeline.config.json'), '{ nope');
    const r = await runCli([fixtures.bullets], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/pipeline\.config\.json: not valid JSON/);
    expect(oneLine(r.stderr)).toBe(true);
  });

  it('refuses an encrypted deck with exit 2 and one line', async () => {
    requireCorpus();
    const r = await runCli([path.join(corpusDir, 'tika__testPPT_protected_passtika.pptx'), '--out', path.join(await tempDir(), 'o.pptx')]);
    expect(r.code).toBe(2);
    expect(r.stdout.trim()).toMatch(/password-protected/);
    expect(oneLine(r.stdout)).toBe(true);
  });

  it('runs as a real process through the bin shim', async () => {
    const cwd = await tempDir();
    const r = await runBin([fixtures.fourThree, '--out', 'four.pptx'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2 illustrated/);
    const bad = await runBin(['--bogus'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it('--help lists the options and an example', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--provider/);
    expect(r.stdout).toMatch(/Examples:/);
  });
});
