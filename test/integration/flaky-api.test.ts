// End to end against a fake API that fails 15 % of generation requests in every retryable way:
// every slide is still illustrated, the decks are valid, limits hold and the token never shows.
import { nodeTransport, type Transport } from '../../src/providers/transport.js';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import JSZip from 'jszip';
import { describe, expect, test } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { configSchema } from '../../src/config/schema.js';
import { createLimiters } from '../../src/internal/limiters.js';
import { countSlides, type DeckReport } from '../../src/model/report.js';
import { createProviders } from '../../src/providers/create-providers.js';
import type { Providers } from '../../src/providers/types.js';
import { GENERATION_ROUTES, RETRIED_FAILURES, type FakeApi } from '../helpers/fake-infomaniak.js';
import { busiestWindow } from '../helpers/busiest-window.js';
import { fakeApi, infomaniakEnv } from '../helpers/provider-setup.js';
import { tempDir } from '../helpers/paths.js';
import { checkPackage } from '../helpers/pptx-invariants.js';
import { runCli } from '../helpers/run-cli.js';
import { illustrateDeckFile } from '../helpers/illustrate.js';

const FLAKY = { failureRate: 0.15, failureKinds: RETRIED_FAILURES, latencyMs: 2, jitterMs: 8, retryAfter: '0' };
const DECKS = [fixtures.demo, fixtures.bullets, fixtures.multilingual, fixtures.fourThree, fixtures.groups, fixtures.picturePlaceholder];

const generationRequests = (api: FakeApi) => GENERATION_ROUTES.reduce((n, r) => n + (api.stats.requests[r] ?? 0), 0);

/** The providers, counting the most prompt and image calls ever running at once. */
function countInFlight(providers: Providers): Providers & { max: { prompt: number; image: number } } {
  const now = { prompt: 0, image: 0 };
  const max = { prompt: 0, image: 0 };
  const counted = async <T>(kind: 'prompt' | 'image', call: () => Promise<T>): Promise<T> => {
    max[kind] = Math.max(max[kind], ++now[kind]);
    try {
      return await call();
    } finally {
      now[kind]--;
    }
  };
  const { prompt, image } = providers;
  return {
    ...providers,
    max,
    prompt: { ...prompt, writePrompt: (req, opts) => counted('prompt', () => prompt.writePrompt(req, opts)) },
    image: { ...image, generateImage: (req, opts) => counted('image', () => image.generateImage(req, opts)) },
  };
}

/** Problems the output has and its input had not, and how many pictures we added. */
async function checkOutput(input: string, output: string): Promise<{ problems: string[]; pictures: number }> {
  const report = await checkPackage(await readFile(output), await readFile(input));
  return { problems: report.problems, pictures: [...report.ourPictures.values()].reduce((a, b) => a + b, 0) };
}

/** Every part of a deck, uncompressed, for scanning: the zip's own bytes are deflated. */
async function deckText(file: string): Promise<string> {
  const zip = await JSZip.loadAsync(await readFile(file));
  const parts = await Promise.all(Object.values(zip.files).map((f) => f.async('nodebuffer')));
  return Buffer.concat(parts).toString('latin1');
}

/** The CLI with `env` as its whole environment, in `cwd`, with instant retries. */
const cli = (argv: string[], env: NodeJS.ProcessEnv, cwd: string) => runCli(argv, { env, cwd, http: { sleep: async () => undefined } });

async function expectFullyIllustrated(report: DeckReport): Promise<void> {
  const counts = countSlides(report);
  expect(report.status, JSON.stringify(report.slides.filter((s) => s.status === 'failed'))).toBe('ok');
  expect(counts.failed).toBe(0);
  expect(counts.illustrated).toBeGreaterThan(0);
  const deck = await checkOutput(report.input, report.output!);
  expect(deck.problems).toEqual([]);
  expect(deck.pictures).toBe(counts.illustrated);
  expect(report.usage.images).toBe(counts.illustrated);
  expect(report.usage.llmCalls).toBe(counts.illustrated);
  expect(report.usage.promptTokens).toBeGreaterThan(0);
  expect(report.usage.completionTokens).toBeGreaterThan(0);
}

describe('a flaky API', () => {
  test('every slide of six decks is illustrated; concurrency and rpm never exceeded', async () => {
    const api = await fakeApi({ ...FLAKY, seed: 20260101 });
    const out = await tempDir('si-flaky-');
    // 30 requests per 400 ms is the test's "minute": tight enough to be felt, short enough to be fast.
    const config = configSchema.parse({ timeoutSeconds: 0.5, rpm: 30, concurrency: { llm: 2, image: 3 } });
    // Every request as it leaves, retries included: what the rate limit governs.
    const sent: number[] = [];
    // Requests at the API per kind: from leaving until their answer's status arrives or they fail.
    // Once the status is in, the API is done with the request; its body may still be streaming in
    // while the next request on that place leaves.
    const wire = { now: { prompt: 0, image: 0 }, max: { prompt: 0, image: 0 } };
    const transport: Transport = async (url, init) => {
      sent.push(performance.now());
      const kind = url.includes('/images/') ? 'image' : url.includes('/chat/') ? 'prompt' : undefined;
      if (!kind) return nodeTransport(url, init);
      wire.max[kind] = Math.max(wire.max[kind], ++wire.now[kind]);
      try {
        return await nodeTransport(url, init);
      } finally {
        wire.now[kind]--;
      }
    };
    const providers = countInFlight(
      await createProviders({
        kind: 'infomaniak',
        config,
        env: infomaniakEnv(api),
        http: { transport, sleep: async () => undefined, rateWindowMs: 400 },
      }),
    );
    // One limiter set for the run, shared by every deck, as the CLI does.
    const limiters = createLimiters({ llm: config.concurrency.llm, image: config.concurrency.image });
    const reports = await Promise.all(
      DECKS.map((input) => illustrateDeckFile(input, path.join(out, path.basename(input)), { config, providers, limiters })),
    );
    for (const report of reports) await expectFullyIllustrated(report);

    const failed = api.stats.failures.length;
    const share = failed / generationRequests(api);
    // The seeded draw lands near 15 %; the bounds only guard against injection silently not happening.
    expect(share).toBeGreaterThan(0.04);
    expect(share).toBeLessThan(0.35);
    // Counted on the wire, as requests leave and answers begin: the server's own count lags when a
    // timed-out socket closes. Provider calls may outnumber them: an image is received, decoded and
    // stored after its slot went to the next request.
    expect(wire.max).toEqual({ prompt: 2, image: 3 });
    expect(providers.max.prompt).toBe(2);
    expect(providers.max.image).toBeGreaterThanOrEqual(3);
    // Measured as fetch is called, which can lag the limiter's decision while the event loop zips
    // a deck; 20 % of slack absorbs that. The exact bound is proven with a fake clock in rate-limiter.test.ts.
    // (A request can time out before the server even reads it, so the server may count fewer.)
    expect(sent.length).toBeGreaterThanOrEqual(api.stats.arrivals.length);
    expect(busiestWindow(sent, 320)).toBeLessThanOrEqual(30);
    // The limiter did have to hold requests back: without it they would all have left at once.
    expect(sent.length).toBeGreaterThan(30);
    const reportText = JSON.stringify(reports);
    expect(reportText).not.toContain(api.token);
  });

  test('the server never sees more prompts or images in flight than configured', async () => {
    const api = await fakeApi({ latencyMs: 15, jitterMs: 10 });
    const out = await tempDir('si-inflight-');
    const config = configSchema.parse({ concurrency: { llm: 2, image: 3 } });
    const providers = await createProviders({ kind: 'infomaniak', config, env: infomaniakEnv(api) });
    const limiters = createLimiters({ llm: 2, image: 3 });
    const reports = await Promise.all(
      [fixtures.demo, fixtures.bullets].map((input) =>
        illustrateDeckFile(input, path.join(out, path.basename(input)), { config, providers, limiters }),
      ),
    );
    for (const report of reports) await expectFullyIllustrated(report);
    // The limits were reached, not merely respected by a run too slow to reach them.
    expect(api.stats.maxInFlight.chat).toBe(2);
    expect(api.stats.maxInFlight.images).toBeGreaterThanOrEqual(2);
    expect(api.stats.maxInFlight.images).toBeLessThanOrEqual(3);
  });

  test('the CLI illustrates a deck through 15 % failures and never shows the token', async () => {
    // Failure draws are deterministic per seed: seed 3 fails 3 of the deck's 15 generation requests.
    const api = await fakeApi({ ...FLAKY, seed: 3 });
    const dir = await tempDir('si-cli-');
    const output = path.join(dir, 'demo-illustrated.pptx');
    const run = await cli(
      [fixtures.demo, '--out', output, '--provider', 'infomaniak', '--timeout', '0.5', '--concurrency', '3', '--debug'],
      infomaniakEnv(api),
      dir,
    );
    expect(run.stderr).toMatch(/debug: http #\d+ attempt 1\/5/);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/6 slides read, (\d+) illustrated, \d+ skipped( \(\d+ for lack of room\))?, 0 failed/);
    const illustrated = Number(/(\d+) illustrated/.exec(run.stdout)![1]);
    expect(run.stdout).toMatch(new RegExp(`API: ${illustrated} prompt calls \\(\\d+ \\+ \\d+ tokens\\), ${illustrated} images`));
    const deck = await checkOutput(fixtures.demo, output);
    expect(deck.problems).toEqual([]);
    expect(deck.pictures).toBe(illustrated);
    expect(api.stats.failures.length).toBeGreaterThanOrEqual(2);
    for (const text of [run.stdout, run.stderr, await deckText(output), (await readFile(output)).toString('latin1')])
      expect(text).not.toContain(api.token);
  });

  test('a slide that keeps failing fails alone, and a token the server echoes back is masked', async () => {
    const api = await fakeApi({ echoAuthorization: true });
    api.failNext(
      Array.from({ length: 5 }, () => 503),
      'images',
    );
    const dir = await tempDir('si-echo-');
    const output = path.join(dir, 'bullets.pptx');
    // One image at a time, so the five 503s all land on the first slide.
    const run = await cli(
      [fixtures.bullets, '--out', output, '--provider', 'infomaniak', '--concurrency', '1', '--debug'],
      infomaniakEnv(api),
      dir,
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/3 slides read, 2 illustrated, 0 skipped, 1 failed/);
    expect(run.stdout).toContain(
      '503 service_unavailable: Service unavailable (request had Authorization: Bearer [redacted]) (gave up after 5 attempts)',
    );
    expect(run.stderr).toContain('Bearer [redacted]');
    expect((await checkOutput(fixtures.bullets, output)).pictures).toBe(2);
    expect(run.stdout + run.stderr + (await deckText(output))).not.toContain(api.token);
  });
});
