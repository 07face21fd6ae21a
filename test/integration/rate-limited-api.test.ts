// End to end against a fake API whose account allows fewer requests a minute than the client's
// rpm: the run slows itself down instead of failing slides, and when the API refuses for longer
// than rateLimitWaitMinutes, the failed slides say what to set. Time is scaled: the "minute" is
// one second (rateWindowMs on the client, rpmWindowMs on the server), as the benchmark does.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { fakeApi, infomaniakEnv } from '../helpers/provider-setup.js';
import { busiestWindow } from '../helpers/busiest-window.js';
import { tempDir } from '../helpers/paths.js';
import { checkPackage } from '../helpers/pptx-invariants.js';
import { runCli } from '../helpers/run-cli.js';

const MINUTE_MS = 1000;

describe('an account whose rate limit is lower than rpm', () => {
  test('6 rpm allowed, 60 configured: every planned slide of two decks is illustrated and the 429s stay few', async () => {
    // Retry-After: 1 s of a real minute, scaled: honouring it alone would not slow the run enough.
    const api = await fakeApi({ rpmLimit: 6, rpmWindowMs: MINUTE_MS, retryAfter: String(1 / 60), latencyMs: 5 });
    const dir = await tempDir('si-rpm-');
    const out = path.join(dir, 'out');
    const run = await runCli([fixtures.demo, fixtures.bullets, '--out', out, '--provider', 'infomaniak', '--rpm', '60', '--debug'], {
      env: infomaniakEnv(api),
      cwd: dir,
      http: { rateWindowMs: MINUTE_MS },
    });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    // demo's cover and closing title slides are left as designed: 4 + 3 pictures.
    expect(run.stdout).toMatch(/2 decks: 2 ok — 7 slides illustrated, 2 skipped \(2 for lack of room\), 0 failed/);
    for (const deck of [fixtures.demo, fixtures.bullets]) {
      expect((await checkPackage(await readFile(path.join(out, path.basename(deck))), await readFile(deck))).problems).toEqual([]);
    }
    // The API did push back, and the client heard it: the rate came down.
    const refused = api.stats.rateLimited.length;
    expect(refused).toBeGreaterThan(0);
    expect(run.stderr).toMatch(/rate limited \(\d+ in a row, now \d+ of 60 rpm\)/);
    // Converged under the limit: fewer refusals than requests let through (measured: 6 to 11
    // refusals for 20 let through, most of them the first burst at 60 rpm). Without the
    // slow-down every request after the sixth of each window is refused again and again.
    const admitted = api.stats.admitted.length;
    expect(admitted).toBeGreaterThanOrEqual(2 + 2 * 7);
    expect(refused).toBeLessThan(admitted);
    expect(
      busiestWindow(
        api.stats.admitted.map((a) => a.at),
        MINUTE_MS - 5,
      ),
    ).toBeLessThanOrEqual(6);
    expect(run.stdout + run.stderr).not.toContain(api.token);
  });

  test('refused past rateLimitWaitMinutes: the slides fail, exit 1, and the message says to lower rpm', async () => {
    // Listings pass, every prompt and image is refused, quoting the request's token back.
    const api = await fakeApi({ rpmLimit: 0, rpmLimitRoutes: ['chat', 'images'], retryAfter: '0.05', echoAuthorization: true });
    const dir = await tempDir('si-rpm-budget-');
    // 0.005 min = 300 ms of refusals before giving up; no retries for failures at all.
    await writeFile(path.join(dir, 'pipeline.config.json'), JSON.stringify({ rateLimitWaitMinutes: 0.005, maxRetries: 0 }));
    const output = path.join(dir, 'bullets.pptx');
    const run = await runCli([fixtures.bullets, '--out', output, '--provider', 'infomaniak', '--rpm', '60'], {
      env: infomaniakEnv(api),
      cwd: dir,
      http: { rateWindowMs: MINUTE_MS },
    });
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/3 slides read, 0 illustrated, 0 skipped, 3 failed/);
    expect(run.stdout).toMatch(
      /429 too_many_requests: Rate limit exceeded \(request had Authorization: Bearer \[redacted\]\) \(still refused after [\d.]+ s of waiting; the account's rate limit is lower than rpm 60: set rpm to \d+ \(config key "rpm" or --rpm \d+\), or raise rateLimitWaitMinutes[^)]*\)/,
    );
    // With maxRetries 0 each of the three prompts would be sent once: 429s spent the wait budget, not attempts.
    expect(api.stats.rateLimited.length).toBeGreaterThan(3);
    expect(run.stdout + run.stderr).not.toContain(api.token);
  });
});
