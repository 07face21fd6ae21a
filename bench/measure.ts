// Runs one measured child process (the built CLI, or the naive baseline) and reads back what it
// cost: wall time from spawn to exit, its own CPU time (user + sys, every thread) and its peak RSS,
// which bench/probe.mjs writes at exit. Also: the bytes our pictures add to written decks.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { zipEntries } from '../test/helpers/pptx-invariants.js';
import { foreignCpuMs, sampleCpu, waitForQuiet } from './machine.js';

export const benchDir = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(benchDir, '..');
export const binPath = path.join(repoRoot, 'bin/slide-illustrate.js');
const probeUrl = pathToFileURL(path.join(benchDir, 'probe.mjs')).href;

export interface ChildRun {
  code: number;
  /** performance.now() of this process when the child was spawned (the fake API's clock). */
  startedAt: number;
  wallMs: number;
  /** User + system CPU of the child (all its threads: libuv pool and libvips included). */
  cpuMs: number;
  /** VmHWM of the child. */
  peakRssMb: number;
  stdout: string;
  stderr: string;
  /** CPU that other processes on the machine used meanwhile, as a share of all cores' time. */
  foreignShare: number;
}

export interface ChildOptions {
  cwd: string;
  env: Record<string, string>;
  /** The child is killed past this, so a hung run cannot hold the benchmark. */
  timeoutMs: number;
  /** Run a TypeScript entry through tsx (the naive baseline); the CLI runs as plain built JavaScript. */
  typescript?: boolean;
  /** Told when the machine is busy with something else and the run waits for it. */
  onWait?: ((share: number) => void) | undefined;
}

// Spawns `node [--import tsx] --import probe.mjs <argv…>` and measures it.
export async function runMeasured(argv: string[], options: ChildOptions): Promise<ChildRun> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'si-bench-probe-'));
  const probeFile = path.join(scratch, 'usage.json');
  const loader = options.typescript ? ['--import', import.meta.resolve('tsx')] : [];
  await waitForQuiet({ onWait: options.onWait });
  const machineBefore = sampleCpu();
  const ownBefore = process.cpuUsage();
  const started = performance.now();
  const child = spawn(process.execPath, [...loader, '--import', probeUrl, ...argv], {
    cwd: options.cwd,
    env: { PATH: process.env['PATH'] ?? '', ...options.env, BENCH_PROBE_FILE: probeFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  // A benchmark stopped with Ctrl-C takes its child with it.
  const stop = () => child.kill('SIGKILL');
  process.once('exit', stop);
  const code = await new Promise<number>((resolve) => child.on('close', (c, signal) => resolve(signal ? 128 : (c ?? 1))));
  const wallMs = performance.now() - started;
  const machineAfter = sampleCpu();
  const own = process.cpuUsage(ownBefore);
  clearTimeout(killer);
  process.off('exit', stop);
  try {
    if (code !== 0)
      throw new Error(
        `${path.basename(argv[0] ?? 'child')} exited with ${code}${wallMs >= options.timeoutMs ? ' (killed at its time limit)' : ''}:\n${stderr.slice(-2000)}`,
      );
    const usage = JSON.parse(await readFile(probeFile, 'utf8')) as {
      userMicros: number;
      systemMicros: number;
      peakRssKb: number | null;
      memory?: unknown;
    };
    if (usage.memory) process.stderr.write(`[probe] ${JSON.stringify(usage.memory)}\n`);
    if (usage.peakRssKb === null) throw new Error('no VmHWM in /proc/self/status (the benchmark needs Linux)');
    const cpuMs = (usage.userMicros + usage.systemMicros) / 1000;
    const foreign = foreignCpuMs(machineBefore, machineAfter, wallMs, cpuMs + (own.user + own.system) / 1000);
    return {
      code,
      startedAt: started,
      wallMs,
      cpuMs,
      peakRssMb: usage.peakRssKb / 1024,
      stdout,
      stderr,
      foreignShare: foreign / (os.cpus().length * wallMs),
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

// A bare `node -e 0`, spawned as the CLI is (no probe): the median of `runs` starts. @unit milliseconds
export async function nodeStartMs(runs = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore', env: { PATH: process.env['PATH'] ?? '' } });
    await new Promise<void>((resolve, reject) => child.on('error', reject).on('close', () => resolve()));
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

/** Our pictures in written decks: how many, and their compressed bytes in the zip. */
export interface AddedMedia {
  pictures: number;
  bytes: number;
}

// Counts the media parts the tool added (ppt/media/slide-illustrate-*) in each output deck.
export async function addedMedia(outputs: string[]): Promise<AddedMedia> {
  const total: AddedMedia = { pictures: 0, bytes: 0 };
  for (const file of outputs) {
    for (const entry of zipEntries(await readFile(file))) {
      if (!entry.name.startsWith('ppt/media/slide-illustrate-')) continue;
      total.pictures++;
      total.bytes += entry.compressedSize;
    }
  }
  return total;
}
