// --report from the command line: checked before anything is spent, stdout untouched with --json,
// and on the schedule one report per pass (the last pass wins).
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { parseArgs } from '../../src/cli/args.js';
import { illustrate, UsageError } from '../../src/index.js';
import { tempDir } from '../helpers/paths.js';
import { fakeApi, infomaniakEnv } from '../helpers/provider-setup.js';
import { runCli } from '../helpers/run-cli.js';

describe('--report', () => {
  it('is a flag of runs and of the schedule', async () => {
    expect((await parseArgs(['a.pptx', '--report', 'r.html'])).args).toMatchObject({ command: 'illustrate', report: 'r.html' });
    expect((await parseArgs(['schedule', '--once', '--report', 'r.html'])).args).toMatchObject({ command: 'schedule', report: 'r.html' });
    expect((await parseArgs(['a.pptx'])).args).toMatchObject({ report: undefined });
  });

  it('a bad path is one line and exit 2, before any API call', async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, 'file'), 'x');
    const api = await fakeApi();
    const cases: [string[], RegExp][] = [
      [[fixtures.bullets, '--report', 'run.pdf'], /the report is an HTML page; give a file name ending in \.html/],
      [[fixtures.bullets, '--report', 'file/run.html'], /is not a folder/],
      [['schedule', '--once', '--report', fixtures.bullets], /the report is an HTML page/],
    ];
    for (const [argv, why] of cases) {
      const r = await runCli(argv, { cwd, env: infomaniakEnv(api) });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^slide-illustrate: --report "[^"\n]*": [^\n]+\n$/);
      expect(r.stderr).toMatch(why);
    }
    expect(api.stats.requests).toEqual({});
  });

  it('keeps stdout one JSON document with --json', async () => {
    const cwd = await tempDir();
    const r = await runCli([fixtures.fourThree, '--out', 'o.pptx', '--report', 'r.html', '--json'], { cwd });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ provider: 'offline' });
    expect(await readFile(path.join(cwd, 'r.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });

  it('on the schedule, each pass rewrites the report with its own decks', async () => {
    const cwd = await tempDir();
    await copyFile(fixtures.fourThree, path.join(cwd, 'four.pptx'));
    await writeFile(path.join(cwd, 'pipeline.config.json'), JSON.stringify({ inputs: ['four.pptx'] }));
    const first = await runCli(['schedule', '--once', '--report', 'reports/pass.html'], { cwd });
    expect(first.code).toBe(0);
    const html1 = await readFile(path.join(cwd, 'reports/pass.html'), 'utf8');
    expect(html1).toContain('<h1>Illustration report — pass 1</h1>');
    expect(html1.match(/<article /g)).toHaveLength(2);
    expect(html1.match(/<img src="data:image\/jpeg;base64,/g)).toHaveLength(2);

    const second = await runCli(['schedule', '--once', '--report', 'reports/pass.html'], { cwd });
    expect(second.code).toBe(0);
    const html2 = await readFile(path.join(cwd, 'reports/pass.html'), 'utf8');
    expect(html2).toContain('<span class="badge ds-unchanged">unchanged</span>');
    expect(html2).toContain('Unchanged since the last pass');
    expect(html2).not.toContain('<article ');
  });

  it('is an option of the library too', async () => {
    const cwd = await tempDir();
    const batch = await illustrate([fixtures.fourThree], { cwd, out: 'o.pptx', provider: 'offline', report: 'r.html' });
    expect(batch.decks[0]!.slides.every((s) => s.thumbnail?.startsWith('data:image/jpeg;base64,'))).toBe(true);
    expect((await readFile(path.join(cwd, 'r.html'), 'utf8')).match(/<img src="data:image\/jpeg;base64,/g)).toHaveLength(2);
    await expect(illustrate([fixtures.fourThree], { cwd, provider: 'offline', report: 'r.txt' })).rejects.toBeInstanceOf(UsageError);
  });
});
