// The built-in scheduler: waits for each tick of a cron expression, then runs one pass. The next
// tick is computed only after a pass ends, so passes never overlap: ticks a slow pass misses are
// skipped, not queued.
import { setTimeout as sleep } from 'node:timers/promises';
import { Cron } from 'croner';
import { cronProblem } from '../config/schema.js';
import { ConfigError } from '../errors.js';

/** Longest single timer wait (ms): long waits are chunked so a clock change or a suspended machine is noticed within the hour. */
const MAX_WAIT_MS = 3_600_000;

export interface ScheduleOptions {
  /** Cron expression, five fields or six with seconds first (validated by the config schema). */
  expression: string;
  /** Stops the schedule: a wait ends at once; a running pass is aborted through the same signal. */
  signal: AbortSignal;
  /** One pass; `n` counts from 1. */
  runPass: (n: number) => Promise<void>;
  /** A pass that failed for a reason other than the stop signal; the schedule goes on. */
  onPassError?: ((error: unknown, n: number) => void) | undefined;
}

// Runs passes on the schedule until the signal aborts; resolves with the number of passes started.
export async function runSchedule(options: ScheduleOptions): Promise<number> {
  // The config schema refuses these; a caller that skipped it must not get a schedule that silently never runs.
  const problem = cronProblem(options.expression);
  if (problem) throw new ConfigError(`schedule: not a valid cron expression (${problem})`);
  const cron = new Cron(options.expression, { mode: '5-or-6-parts' });
  let passes = 0;
  while (!options.signal.aborted) {
    const next = cron.nextRun(new Date());
    if (!next) break;
    if (!(await waitUntil(next, options.signal))) break;
    passes++;
    try {
      await options.runPass(passes);
    } catch (error) {
      if (options.signal.aborted) break;
      options.onPassError?.(error, passes);
    }
  }
  return passes;
}

// --- internal ---

/** Sleeps until `when`; false when the signal stopped the wait. */
async function waitUntil(when: Date, signal: AbortSignal): Promise<boolean> {
  for (let left = when.getTime() - Date.now(); left > 0; left = when.getTime() - Date.now()) {
    try {
      await sleep(Math.min(left, MAX_WAIT_MS), undefined, { signal });
    } catch {
      return false;
    }
  }
  return !signal.aborted;
}
