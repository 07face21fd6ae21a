// The queue commands' bad-input paths: one line, exit 2, fast, nothing read or written.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { tempDir } from '../helpers/paths.js';
import { freePort, startRedis, type RedisServer } from '../helpers/redis-server.js';
import { testPrefix, testRedisUrl } from '../helpers/queue.js';
import { runCli } from '../helpers/run-cli.js';
import { runExitCode } from '../../src/cli/commands/queue.js';
import type { DeckStatus, RunStatus } from '../../src/queue/status.js';

let evicting: RedisServer;
beforeAll(async () => {
  // A Redis that may evict keys (BullMQ only warns): its own instance, so the shared one keeps noeviction.
  evicting = await startRedis(['--maxmemory-policy', 'allkeys-lru']);
});
afterAll(() => evicting.stop());

describe('queue commands on a Redis that is not usable', () => {
  test('Redis unreachable: submit and status say so in one line, exit 2 in under 3 s, the password masked', async () => {
    const port = await freePort();
    const dir = await tempDir('si-queue-down-');
    const env = { REDIS_URL: `redis://:hunter2pw@127.0.0.1:${port}/0` };
    for (const argv of [['submit', fixtures.bullets, '--out', path.join(dir, 'out')], ['status']]) {
      const t0 = performance.now();
      const run = await runCli(argv, { env, cwd: dir });
      expect(run.code).toBe(2);
      expect(performance.now() - t0).toBeLessThan(3000);
      expect(run.stderr).toBe(
        `slide-illustrate: redis: cannot reach redis://:***@127.0.0.1:${port}/0 (ECONNREFUSED); is redis-server running there?\n`,
      );
      expect(run.stdout).toBe('');
    }
  });

  test('no Redis configured: exit 2 naming REDIS_URL and queue.redis', async () => {
    const run = await runCli(['status'], { env: {}, cwd: await tempDir('si-queue-none-') });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no Redis for the queue: set REDIS_URL or "queue.redis" in the config/);
  });

  test('maxmemory-policy allkeys-lru: refused with the flag to set, exit 2', async () => {
    const dir = await tempDir('si-queue-evict-');
    const run = await runCli(['submit', fixtures.bullets, '--out', path.join(dir, 'out')], { env: { REDIS_URL: evicting.url }, cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /runs with maxmemory-policy allkeys-lru; the queue needs noeviction \(redis-server --maxmemory-policy noeviction\)/,
    );
  });

  test('status of an unknown run: exit 2; the latest runs listed without one', async () => {
    const dir = await tempDir('si-queue-status-');
    await writeFile(path.join(dir, 'pipeline.config.json'), JSON.stringify({ queue: { prefix: testPrefix('status') } }));
    const env = { REDIS_URL: testRedisUrl() };
    const unknown = await runCli(['status', 'run-nope'], { env, cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/status run-nope: no such run/);
    const submitted = await runCli(['submit', fixtures.bullets, '--out', path.join(dir, 'out.pptx'), '--provider', 'offline'], {
      env,
      cwd: dir,
    });
    expect(submitted.code, submitted.stderr).toBe(0);
    const runId = /^run (run-\S+): 1 deck queued \(3 slide jobs\)$/m.exec(submitted.stdout)?.[1];
    expect(runId).toBeDefined();
    const listed = await runCli(['status', '--json'], { env, cwd: dir });
    expect(JSON.parse(listed.stdout)).toEqual({ runs: [runId] });
    const one = await runCli(['status', runId!], { env, cwd: dir });
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(
      /bullets\.pptx: waiting-children \(slides 0 done, 0 active, 3 waiting, 0 failed; generated 0 prompts, 0 images\)/,
    );
  });

  test('worker --concurrency 0: a usage error before connecting', async () => {
    const run = await runCli(['worker', '--concurrency', '0'], { env: {}, cwd: await tempDir('si-queue-args-') });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--concurrency: expected an integer from 1 to 256, got 0/);
    const threads = await runCli(['worker', '--threads', '0'], { env: {}, cwd: await tempDir('si-queue-args-') });
    expect(threads.code).toBe(2);
    expect(threads.stderr).toMatch(/--threads: expected an integer from 1 to 64, got 0/);
  });
});

describe('runExitCode', () => {
  const deck = (over: Partial<DeckStatus>): DeckStatus => ({
    input: '/d/a.pptx',
    output: '/o/a.pptx',
    jobId: 'deck-1',
    state: 'completed',
    slides: { waiting: 0, active: 0, done: 1, failed: 0 },
    generated: { prompts: 1, images: 1, pictures: 1, promptTokens: 30, completionTokens: 40 },
    ...over,
  });
  const run = (decks: DeckStatus[]): RunStatus =>
    ({ runId: 'r', created: '', decks, finished: true, totals: { decks: decks.length } }) as unknown as RunStatus;
  const ok = { status: 'ok' } as DeckStatus['result'];

  test('exits like a local run: 0 all fine (up to date at submit included), 1 a failure, 2 a lone refused deck', () => {
    expect(runExitCode(run([deck({ result: ok }), deck({ jobId: null, state: 'done' })]))).toBe(0);
    expect(runExitCode(run([deck({ result: { status: 'partial' } as DeckStatus['result'] })]))).toBe(1);
    expect(runExitCode(run([deck({ jobId: null, state: 'refused', error: 'x: encrypted' })]))).toBe(2);
    expect(runExitCode(run([deck({ result: ok }), deck({ jobId: null, state: 'refused' })]))).toBe(1);
  });
});
