// Scale-out end to end (issue 15): real worker processes (the built bundle, through
// bench/scaled-cli.mjs for a scaled rate-limit minute) on the private Redis, the loopback fake API
// with its own rpm limit. Every deck written and valid, no 429 from the limit, a re-submit free,
// a kill -9 mid-run recovered without paying a slide twice beyond what was in flight, and SIGTERM
// handing jobs back within the grace.
import { spawn } from 'node:child_process';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { makeDeckFolder } from '../../bench/make-decks.js';
import { waitForRun, type RunStatus } from '../../src/api/queue.js';
import { configSchema } from '../../src/config/schema.js';
import { formatCost } from '../../src/model/cost.js';
import { busiestWindow } from '../helpers/busiest-window.js';
import { pricedModels } from '../helpers/fake-api-data.js';
import type { FakeApi } from '../helpers/fake-infomaniak.js';
import { repoRoot, tempDir } from '../helpers/paths.js';
import { checkPackage } from '../helpers/pptx-invariants.js';
import { fakeApi, infomaniakEnv } from '../helpers/provider-setup.js';
import { testPrefix, testRedisUrl } from '../helpers/queue.js';
import { runCli, waitFor, type SpawnedCli } from '../helpers/run-cli.js';

const MINUTE_MS = 1000;
const PRICES = { perImage: 0.02, perMillionInput: 0.5, perMillionOutput: 1.5 };

// As the fake API counts them: a quarter of the messages' characters, rounded up.
const promptTokensOf = (body: Record<string, unknown>) =>
  Math.ceil((body['messages'] as { content: string }[]).reduce((n, m) => n + m.content.length, 0) / 4);
const scaledCli = path.join(repoRoot, 'bench/scaled-cli.mjs');

const running: SpawnedCli[] = [];
afterEach(async () => {
  for (const w of running.splice(0)) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
});

interface Setup {
  dir: string;
  decks: string;
  out: string;
  configFile: string;
  env: NodeJS.ProcessEnv;
  prefix: string;
}

async function setup(api: FakeApi, name: string, decks: number, slides: number, rpm: number): Promise<Setup> {
  const dir = await tempDir(`si-queue-${name}-`);
  const prefix = testPrefix(name);
  const configFile = path.join(dir, 'pipeline.config.json');
  await writeFile(configFile, JSON.stringify({ rpm, cacheDir: path.join(dir, 'shared-cache'), queue: { prefix } }));
  await makeDeckFolder(path.join(dir, 'decks'), decks, slides);
  const env = {
    ...infomaniakEnv(api),
    REDIS_URL: testRedisUrl(),
    BENCH_RATE_WINDOW_MS: String(MINUTE_MS),
    // A killed worker's jobs come back in seconds, not the production 30 to 60.
    SLIDE_ILLUSTRATE_QUEUE_LOCK_MS: '2000',
    SLIDE_ILLUSTRATE_QUEUE_STALLED_MS: '1000',
  };
  return { dir, decks: path.join(dir, 'decks'), out: path.join(dir, 'out'), configFile, env, prefix };
}

function startWorker(s: Setup, args: string[] = []): SpawnedCli {
  const child = spawn(process.execPath, [scaledCli, 'worker', '--config', s.configFile, ...args], {
    cwd: s.dir,
    env: { PATH: process.env['PATH'] ?? '', ...s.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.on('close', (code, signal) => resolve(signal ?? code ?? 1)));
  const w = { child, stdout: () => out, stderr: () => err, exited };
  running.push(w);
  return w;
}

const started = (w: SpawnedCli) => waitFor(() => w.stderr().includes('worker started'), 20_000, `worker started: ${w.stderr()}`);

function submit(s: Setup, more: string[] = []) {
  return runCli(['submit', s.decks, '--out', s.out, '--provider', 'infomaniak', '--config', s.configFile, ...more], {
    env: s.env,
    cwd: s.dir,
    http: { rateWindowMs: MINUTE_MS },
  });
}

/** Generation requests the API received, and how many of them repeated an earlier one's body (paid twice). */
// What the API answered (and so charged for): a request refused with 429 is counted on arrival by the fake
// API but never answered, so it is not paid; the tests assert the 429s on their own.
function paid(api: FakeApi) {
  const repeats = (bodies: Record<string, unknown>[]) => bodies.length - new Set(bodies.map((b) => JSON.stringify(b))).size;
  return {
    prompts: api.stats.chatBodies.length,
    images: api.stats.imageBodies.length,
    repeated: repeats(api.stats.chatBodies) + repeats(api.stats.imageBodies),
  };
}

async function expectDecksWritten(s: Setup, names: string[]) {
  for (const name of names) {
    const problems = (await checkPackage(await readFile(path.join(s.out, name)), await readFile(path.join(s.decks, name)))).problems;
    expect(problems, name).toEqual([]);
  }
}

const deckNames = (n: number) => Array.from({ length: n }, (_, i) => `deck-${String(i + 1).padStart(2, '0')}.pptx`);

describe('queue workers', () => {
  test('3 worker processes under a 12 rpm account: every deck written, no 429, the rpm held; a re-submit pays nothing', async () => {
    const api = await fakeApi({
      rpmLimit: 12,
      rpmWindowMs: MINUTE_MS,
      rpmLimitRoutes: ['chat', 'images'],
      latencyMs: 20,
      models: pricedModels(PRICES),
    });
    const s = await setup(api, 'three', 5, 4, 12);
    const workers = [startWorker(s, ['--metrics-port', '0']), startWorker(s), startWorker(s)];
    await Promise.all(workers.map(started));
    const run = await submit(s, ['--wait', '--json']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const status = JSON.parse(run.stdout) as RunStatus;
    expect(status.decks.map((d) => d.result?.status)).toEqual(Array(5).fill('ok'));
    await expectDecksWritten(s, deckNames(5));
    // 20 slides: one prompt and one image each, nothing refused, never more than 12 in a window at the API.
    expect(paid(api)).toEqual({ prompts: 20, images: 20, repeated: 0 });
    const g = status.totals.generated;
    expect(g).toMatchObject({ prompts: 20, images: 20, pictures: 20 });
    // The tokens the fake API reported (a quarter of the messages' characters), counted by the workers as answered.
    expect(g.promptTokens).toBe(api.stats.chatBodies.reduce((n, b) => n + promptTokensOf(b), 0));
    expect(g.completionTokens).toBeGreaterThan(0);
    // Priced as the API publishes: 20 pictures and those tokens.
    const tokens = (g.promptTokens * PRICES.perMillionInput + g.completionTokens * PRICES.perMillionOutput) / 1_000_000;
    expect(status.totals.cost?.currency).toBe('CHF');
    expect(status.totals.cost?.images).toBeCloseTo(20 * PRICES.perImage, 12);
    expect(status.totals.cost?.tokens).toBeCloseTo(tokens, 12);
    expect(status.totals.cost?.total).toBeCloseTo(20 * PRICES.perImage + tokens, 12);
    // The same in words, as `status` prints it.
    const words = await runCli(['status', status.runId, '--config', s.configFile], { env: s.env, cwd: s.dir });
    expect(words.code, words.stderr).toBe(0);
    expect(words.stdout).toContain(`generated 20 prompts, 20 images; est. cost ${formatCost(status.totals.cost!)}`);
    expect(api.stats.rateLimited).toEqual([]);
    expect(
      busiestWindow(
        api.stats.admitted.map((a) => a.at),
        MINUTE_MS,
      ),
    ).toBeLessThanOrEqual(12);
    // The first worker's Prometheus endpoint: BullMQ's job counts and its own counters.
    const metricsUrl = /metrics on (http:\/\/\S+)/.exec(workers[0]!.stderr())?.[1];
    const metrics = await (await fetch(metricsUrl!)).text();
    expect(metrics).toMatch(/bullmq_job_count\{queue="decks",\s*state="completed"\} 5/);
    expect(metrics).toMatch(/bullmq_job_count\{queue="slides",\s*state="waiting"\} 0/);
    expect(metrics).toMatch(/slide_illustrate_worker_jobs_total\{worker="[^"]+",kind="slide"\} \d+/);
    const again = await submit(s, ['--json']);
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as { decks: { state: string }[] }).decks.map((d) => d.state)).toEqual(Array(5).fill('done'));
    expect(paid(api)).toEqual({ prompts: 20, images: 20, repeated: 0 });
    // One output gone: that deck is queued again and rebuilt from the shared cache; its run paid nothing,
    // and its status says so (the first run's counts for that deck job do not carry over).
    await rm(path.join(s.out, 'deck-03.pptx'));
    const rebuilt = await submit(s, ['--wait', '--json']);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    const after = JSON.parse(rebuilt.stdout) as RunStatus;
    expect(after.decks.find((d) => d.input.endsWith('deck-03.pptx'))?.result?.status).toBe('ok');
    expect(paid(api)).toEqual({ prompts: 20, images: 20, repeated: 0 });
    expect(after.totals.generated).toEqual({ prompts: 0, images: 0, pictures: 0, promptTokens: 0, completionTokens: 0 });
    expect(after.totals.cost?.total).toBe(0);
    await expectDecksWritten(s, ['deck-03.pptx']);
    for (const w of workers) w.child.kill('SIGTERM');
    const codes = await Promise.all(workers.map((w) => w.exited));
    expect(codes).toEqual([0, 0, 0]);
    const done = workers.map((w) => Number(/stopped: (\d+) slide jobs/.exec(w.stderr())?.[1] ?? 0));
    // 20 slide jobs of the first run, then deck-03's 4 again (answered from the cache).
    expect(done.reduce((a, b) => a + b, 0)).toBe(24);
    // The work was spread: more than one process answered slide jobs.
    expect(done.filter((n) => n > 0).length).toBeGreaterThan(1);
  });

  test('kill -9 of a worker mid-run: the others finish the run; no slide paid twice beyond the jobs in flight at the kill', async () => {
    const api = await fakeApi({ latencyMs: 120, jitterMs: 60 });
    const s = await setup(api, 'kill', 4, 5, 600);
    const victim = startWorker(s, ['--concurrency', '4']);
    const others = [startWorker(s, ['--concurrency', '4']), startWorker(s, ['--concurrency', '4'])];
    await Promise.all([victim, ...others].map(started));
    const submitted = await submit(s, ['--json']);
    expect(submitted.code, submitted.stderr).toBe(0);
    const { runId } = JSON.parse(submitted.stdout) as { runId: string };
    await waitFor(() => api.stats.imagesServed >= 4, 30_000, 'a few images answered');
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toBe('SIGKILL');
    const config = configSchema.parse(JSON.parse(await readFile(s.configFile, 'utf8')));
    const status = await waitForRun(runId, { config, env: s.env, intervalMs: 200 });
    expect(status.decks.map((d) => d.result?.status)).toEqual(Array(4).fill('ok'));
    await expectDecksWritten(s, deckNames(4));
    const counts = paid(api);
    // The crash test's counts, for the closing note.
    console.log(`kill -9 test: 20 slides, ${counts.prompts} prompt and ${counts.images} image requests, ${counts.repeated} repeated`);
    // At most the killed worker's 4 jobs in flight were paid again (each had at most one call out).
    expect(counts.repeated).toBeLessThanOrEqual(4);
    expect(counts.prompts + counts.images).toBeLessThanOrEqual(40 + 4);
    expect(counts.images).toBeGreaterThanOrEqual(20);
  });

  test('SIGTERM: the worker stops taking jobs, hands back what outlives its grace, exits 0; another worker finishes the run', async () => {
    // Slow prompts only: the account checks and images stay quick.
    const api = await fakeApi({ latencyMs: 20, routeLatency: { chat: { latencyMs: 2500 } } });
    const s = await setup(api, 'term', 1, 2, 600);
    const first = startWorker(s, ['--grace', '0.5']);
    await started(first);
    const submitted = await submit(s, ['--json']);
    expect(submitted.code, submitted.stderr).toBe(0);
    const { runId } = JSON.parse(submitted.stdout) as { runId: string };
    await waitFor(() => (api.stats.requests.chat ?? 0) >= 2, 20_000, 'both prompts sent');
    const t0 = performance.now();
    first.child.kill('SIGTERM');
    expect(await first.exited, first.stderr()).toBe(0);
    // Bounded: grace 0.5 s, the hand-back and the close (the hard stop would come at grace + 5 s); the
    // answers (2.5 s) were not waited for: both jobs went back.
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(first.stderr()).toMatch(/stopped: 0 slide jobs and 0 deck jobs done, 2 handed back/);
    const second = startWorker(s);
    const config = configSchema.parse(JSON.parse(await readFile(s.configFile, 'utf8')));
    const status = await waitForRun(runId, { config, env: s.env, intervalMs: 200 });
    expect(status.decks[0]!.result?.status).toBe('ok');
    expect((await stat(path.join(s.out, 'deck-01.pptx'))).isFile()).toBe(true);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  test('schedule --queue --once from two schedulers at once: one pass runs on the workers, the other is skipped', async () => {
    const api = await fakeApi({ latencyMs: 10 });
    const s = await setup(api, 'sched', 2, 2, 600);
    const config = JSON.parse(await readFile(s.configFile, 'utf8')) as Record<string, unknown>;
    await writeFile(s.configFile, JSON.stringify({ ...config, inputs: [s.decks], outputDir: s.out }));
    const worker = startWorker(s);
    await started(worker);
    const pass = () =>
      runCli(['schedule', '--queue', '--once', '--json', '--provider', 'infomaniak', '--config', s.configFile], {
        env: s.env,
        cwd: s.dir,
        http: { rateWindowMs: MINUTE_MS },
      });
    const [a, b] = await Promise.all([pass(), pass()]);
    const events = (r: { stdout: string }) =>
      r.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { event: string }).event);
    const ran = [a, b].find((r) => events(r).includes('pass-end'));
    const skipped = [a, b].find((r) => events(r).includes('pass-skipped'));
    expect(ran?.code, a.stdout + a.stderr + b.stdout + b.stderr).toBe(0);
    expect(skipped?.code).toBe(1);
    await expectDecksWritten(s, deckNames(2));
    // The next pass finds every deck done: nothing queued, nothing paid.
    const next = await pass();
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toMatch(/"state":"done"|0 decks queued/);
    expect(paid(api)).toEqual({ prompts: 4, images: 4, repeated: 0 });
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  });

  test("a 429 with Retry-After seen by one worker pauses every worker's requests", async () => {
    const api = await fakeApi({ latencyMs: 40, retryAfter: '1' });
    const s = await setup(api, 'pause', 2, 6, 600);
    const workers = [startWorker(s, ['--concurrency', '4']), startWorker(s, ['--concurrency', '4'])];
    await Promise.all(workers.map(started));
    // The first image request of the run is refused with Retry-After: 1 s.
    api.failNext(429, 'images');
    const run = await submit(s, ['--wait', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const refusedAt = api.stats.arrivals.find((a) => a.route === 'images')!.at;
    // Requests already on their way may land just after it; then nothing, from either worker, for the second.
    const during = api.stats.arrivals.filter((a) => a.at > refusedAt + 150 && a.at < refusedAt + 850);
    expect(during).toEqual([]);
    expect(api.stats.arrivals.some((a) => a.at >= refusedAt + 850)).toBe(true);
    // 12 pictures answered, and the refused request sent once more: 13 arrivals.
    expect(paid(api).images).toBe(12);
    expect(api.stats.requests.images).toBe(12 + 1);
    for (const w of workers) w.child.kill('SIGTERM');
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0]);
  });
});
