// How busy the machine is, from /proc/stat: the benchmark waits for a quiet machine before each
// measurement and reports how much CPU other processes took during it, so a figure taken while
// something else ran (a test suite in another checkout) is visible as such.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { setTimeout as wait } from 'node:timers/promises';

export interface CpuSample {
  busy: number;
  total: number;
}

// The machine's CPU ticks so far, all cores together (idle and iowait are not busy).
export function sampleCpu(): CpuSample {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return { busy: total - idle, total };
}

/** Share of the whole machine (all cores) that was busy between two samples, 0..1. */
export function busyShare(from: CpuSample, to: CpuSample): number {
  return to.total > from.total ? (to.busy - from.busy) / (to.total - from.total) : 0;
}

/**
 * CPU seconds that processes other than ours used between two samples: the machine's busy time
 * minus `ownCpuMs` (the child's and this process's). @unit milliseconds
 */
export function foreignCpuMs(from: CpuSample, to: CpuSample, wallMs: number, ownCpuMs: number): number {
  return Math.max(0, busyShare(from, to) * os.cpus().length * wallMs - ownCpuMs);
}

// Waits until the machine has been under `threshold` busy for two one-second samples in a row,
// or `maxWaitMs` passed; returns how long it waited and the last busy share.
export async function waitForQuiet(
  options: { threshold?: number; maxWaitMs?: number; onWait?: (share: number) => void } = {},
): Promise<{ waitedMs: number; share: number }> {
  const threshold = options.threshold ?? 0.1;
  const started = performance.now();
  let quiet = 0;
  let share = 1;
  let warned = false;
  while (performance.now() - started < (options.maxWaitMs ?? 120_000)) {
    const a = sampleCpu();
    await wait(1000);
    share = busyShare(a, sampleCpu());
    quiet = share < threshold ? quiet + 1 : 0;
    if (quiet >= 2) break;
    if (!warned && share >= threshold) {
      options.onWait?.(share);
      warned = true;
    }
  }
  return { waitedMs: performance.now() - started, share };
}
