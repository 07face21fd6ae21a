// The queue case (issue 15): 1, 2 and 4 worker processes over 20 decks × 20 slides, each against a
// fresh fake API, a fresh shared cache and a private redis-server. Two settings:
//   rpm-bound: prompts 200 ms, images 800 ms, 60 rpm at the API and on the client, time-scaled ×10
//     (the minute is 6 s): wall (submit --wait, from spawn to exit) against the rpm-bound lower bound;
//   zero latency, no rpm limit: throughput (slides/s) per process count; on 2 cores the limit is the cores.
// Workers are started, and seen ready, before the clock starts: they are long-running services.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startFakeApi } from '../test/helpers/fake-infomaniak.js';
import { busiestWindow } from '../test/helpers/busiest-window.js';
import { startRedis } from '../test/helpers/redis-server.js';
import { JITTER, latencyOf } from './cases.js';
import { benchDir } from './measure.js';

export const QUEUE_CASE = {
  id: 'queue',
  decks: 20,
  slidesPerDeck: 20,
  workerCounts: [1, 2, 4],
  /** Slide jobs per worker process. */
  workerConcurrency: 8,
  promptMs: 200,
  imageMs: 800,
  rpm: 60,
  timeScale: 10,
} as const;

const MINUTE_MS = 60_000;
const SCALED_CLI = path.join(benchDir, 'scaled-cli.mjs');

export interface QueueRun {
  setting: 'rpm-bound' | 'zero-latency';
  workers: number;
  wallMs: number;
  /** rpm-bound: floor((R − 1) / rpm) · window + image latency, R every request the API received. */
  boundMs: number | null;
  ratio: number | null;
  slidesPerSecond: number;
  requests: { prompts: number; images: number; total: number };
  rateLimited: number;
  /** Generation requests beyond one prompt and one image per slide, and the failed attempts the workers logged. */
  extra: { requests: number; failedAttempts: string[] };
  /** Most requests the API let through in any window (rpm-bound). */
  busiestWindow: number | null;
  /** Workers' CPU (user + system) over the run, in cores (CPU time ÷ wall). */
  workerCores: number;
  loadBefore: number;
}

export type QueueCase = { [K in keyof typeof QUEUE_CASE]: K extends 'workerCounts' ? readonly number[] : K extends 'id' ? string : number };

export interface QueueBenchResult {
  case: QueueCase;
  runs: QueueRun[];
  targets: { name: string; value: string; pass: boolean }[];
}

type Log = (line: string) => void;

// The decks are made by the caller (makeDeckFolder) in `decksDir`; `imageAnswer` serves the pictures.
export async function runQueueBench(
  root: string,
  decksDir: string,
  imageAnswer: (size: string, n: number) => Buffer,
  log: Log,
  c: QueueCase = QUEUE_CASE,
): Promise<QueueBenchResult> {
  const redis = await startRedis();
  const runs: QueueRun[] = [];
  try {
    // BENCH_QUEUE_SETTINGS=rpm-bound (or zero-latency) runs one of the two settings.
    const settings = (['rpm-bound', 'zero-latency'] as const).filter(
      (x) => process.env['BENCH_QUEUE_SETTINGS']?.split(',').includes(x) ?? true,
    );
    // BENCH_QUEUE_WORKERS=1,2 runs those process counts; BENCH_QUEUE_WORKER_ARGS adds flags to each worker (e.g. --threads 1).
    const counts = process.env['BENCH_QUEUE_WORKERS']?.split(',').map(Number) ?? c.workerCounts;
    for (const setting of settings) {
      for (const workers of counts) {
        const tag = `queue ${setting}, ${workers} worker${workers > 1 ? 's' : ''}`;
        log(`${tag}: starting`);
        const run = await oneRun(c, root, decksDir, imageAnswer, redis.url, setting, workers, tag);
        runs.push(run);
        const against = run.ratio !== null ? ` (${run.ratio.toFixed(2)}× the bound ${(run.boundMs! / 1000).toFixed(1)} s)` : '';
        const what = `${run.slidesPerSecond.toFixed(1)} slides/s, ${run.requests.total} requests, ${run.rateLimited} × 429`;
        log(`${tag}: ${(run.wallMs / 1000).toFixed(1)} s${against}, ${what}, workers ${run.workerCores.toFixed(2)} cores`);
      }
    }
  } finally {
    await redis.stop();
  }
  return { case: c, runs, targets: queueTargets(runs) };
}

export function queueTargets(runs: QueueRun[]): QueueBenchResult['targets'] {
  const bound = runs.filter((r) => r.setting === 'rpm-bound');
  const zero = (n: number) => runs.find((r) => r.setting === 'zero-latency' && r.workers === n);
  const targets: QueueBenchResult['targets'] = [];
  if (bound.length) {
    const worst = Math.max(...bound.map((r) => r.ratio ?? Infinity));
    const counts = bound.map((r) => r.workers).join(', ');
    targets.push({
      name: `queue: rpm-bound wall within 1.10× the bound at ${counts} workers`,
      value: `worst ${worst.toFixed(2)}×`,
      pass: worst <= 1.1,
    });
  }
  const one = zero(1);
  const two = zero(2);
  if (one && two) {
    const speedup = two.slidesPerSecond / one.slidesPerSecond;
    targets.push({
      name: 'queue: 2 workers ≥ 1.7× the zero-latency throughput of 1',
      value: `${speedup.toFixed(2)}×`,
      pass: speedup >= 1.7,
    });
  }
  return targets;
}

async function oneRun(
  c: QueueCase,
  root: string,
  decksDir: string,
  imageAnswer: (size: string, n: number) => Buffer,
  redisUrl: string,
  setting: QueueRun['setting'],
  workers: number,
  tag: string,
): Promise<QueueRun> {
  const bound = setting === 'rpm-bound';
  const scale = bound ? c.timeScale : 1;
  const windowMs = MINUTE_MS / scale;
  const rpm = bound ? c.rpm : 10_000;
  const api = await startFakeApi({
    routeLatency: bound ? { chat: latencyOf(c.promptMs, scale), images: latencyOf(c.imageMs, scale) } : undefined,
    imageAnswer,
    ...(bound && { rpmLimit: rpm, rpmWindowMs: windowMs, rpmLimitRoutes: ['chat', 'images'] as const }),
  } as Parameters<typeof startFakeApi>[0]);
  const dir = path.join(root, `queue-${setting}-${workers}`);
  await mkdir(dir, { recursive: true });
  const configFile = path.join(dir, 'pipeline.config.json');
  await writeFile(configFile, JSON.stringify({ cacheDir: path.join(dir, 'cache'), queue: { prefix: `bench-${setting}-${workers}` } }));
  const env = {
    PATH: process.env['PATH'] ?? '',
    INFOMANIAK_API_TOKEN: api.token,
    INFOMANIAK_PRODUCT_ID: '105',
    INFOMANIAK_BASE_URL: api.url,
    REDIS_URL: redisUrl,
    BENCH_RATE_WINDOW_MS: String(windowMs),
  };
  const procs: ChildProcess[] = [];
  const logs: string[] = [];
  try {
    const ready = Array.from({ length: workers }, () => {
      const more = process.env['BENCH_QUEUE_WORKER_ARGS']?.split(' ').filter(Boolean) ?? [];
      const args = ['worker', '--config', configFile, '-c', String(c.workerConcurrency), '--debug', ...more];
      const child = spawn(process.execPath, [SCALED_CLI, ...args], {
        cwd: dir,
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      procs.push(child);
      return new Promise<void>((resolve, reject) => {
        let err = '';
        child.stderr!.on('data', (d: Buffer) => {
          err += d.toString();
          logs[procs.indexOf(child)] = err;
          if (err.includes('worker started')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`${tag}: a worker exited with ${code} before starting: ${err.slice(-500)}`)));
      });
    });
    await Promise.all(ready);
    const cpuBefore = procs.map((p) => cpuMsOf(p.pid!));
    const loadBefore = os.loadavg()[0]!;
    const t0 = performance.now();
    const argv = [SCALED_CLI, 'submit', path.join(decksDir), '--out', path.join(dir, 'out'), '--provider', 'infomaniak'];
    const submit = spawn(process.execPath, [...argv, '--rpm', String(rpm), '--wait', '--json', '--config', configFile], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    submit.stdout.on('data', (d: Buffer) => (out += d.toString()));
    submit.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number>((resolve) => submit.on('close', (c2) => resolve(c2 ?? 1)));
    const wallMs = performance.now() - t0;
    const workerCpuMs = procs.reduce((sum, p, i) => sum + cpuMsOf(p.pid!) - cpuBefore[i]!, 0);
    if (code !== 0) throw new Error(`${tag}: submit --wait exited with ${code}: ${err.slice(-1000)}`);
    const status = JSON.parse(out) as { decks: { result?: { status: string } }[] };
    const ok = status.decks.filter((d) => d.result?.status === 'ok').length;
    if (ok !== c.decks) throw new Error(`${tag}: ${ok} of ${c.decks} decks ok`);
    const prompts = api.stats.requests.chat ?? 0;
    const images = api.stats.requests.images ?? 0;
    const slides = c.decks * c.slidesPerDeck;
    if (prompts < slides || images < slides) throw new Error(`${tag}: ${prompts} prompts and ${images} images for ${slides} slides`);
    // --debug: one line per failed attempt (a retried reset or timeout is a second request the API counts).
    const failedAttempts = logs.flatMap((l) => l.split('\n').filter((line) => line.startsWith('debug: ')));
    const total = Object.values(api.stats.requests).reduce((a, b) => a + (b ?? 0), 0);
    // The image latency as drawn at most (mean + jitter), scaled.
    const li = (c.imageMs / scale) * (1 + JITTER);
    // R counts every request (the account checks of submit and of each worker too): the limiter admits them all.
    const boundMs = bound ? Math.floor((total - 1) / rpm) * windowMs + li : null;
    return {
      setting,
      workers,
      wallMs,
      boundMs,
      ratio: boundMs === null ? null : wallMs / boundMs,
      slidesPerSecond: slides / (wallMs / 1000),
      requests: { prompts, images, total },
      rateLimited: api.stats.rateLimited.length,
      extra: { requests: prompts + images - 2 * slides, failedAttempts },
      busiestWindow: bound
        ? busiestWindow(
            api.stats.admitted.map((a) => a.at),
            windowMs,
          )
        : null,
      workerCores: workerCpuMs / wallMs,
      loadBefore,
    };
  } finally {
    await Promise.all(
      procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve();
            p.once('exit', () => resolve());
            p.kill('SIGTERM');
            setTimeout(() => p.kill('SIGKILL'), 30_000).unref();
          }),
      ),
    );
    await api.close();
  }
}

/** User + system CPU of a live process, from /proc (Linux). @unit milliseconds */
function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after "pid (comm) ".
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}
