// The scheduled job's API: passes over the config's inputs on its cron schedule, each one under the
// output folder's lock, paying only for decks changed since the last complete pass.
import type { Config } from '../config/schema.js';
import type { DeckReport } from '../model/report.js';
import type { RunResources } from '../pipeline/run-resources.js';
import { runSchedulePass, type PassResult } from '../pipeline/schedule-pass.js';
import { collectThumbnails } from '../report/thumbnails.js';
import { writeReport } from '../report/write-report.js';

export { runSchedule, type ScheduleOptions } from '../pipeline/schedule.js';
export type { PassResult } from '../pipeline/schedule-pass.js';

export interface PassOptions {
  config: Config;
  cwd: string;
  /** Ignore the state of earlier passes (and, through the cache, every cached result). */
  force?: boolean | undefined;
  signal?: AbortSignal | undefined;
  /** Each deck as it finishes, unchanged ones included. */
  onDeck?: ((report: DeckReport) => void) | undefined;
  /** Replace this HTML report (absolute path) after the pass; `label` heads it ("pass 3"). */
  report?: { file: string; label: string; secrets: readonly string[] } | undefined;
}

// One pass with the run's resources; its report written when asked.
export async function runPass(resources: RunResources, options: PassOptions): Promise<PassResult> {
  const thumbnails = options.report === undefined ? undefined : collectThumbnails();
  const { config, cwd, force, signal, onDeck } = options;
  const result = await runSchedulePass({ ...resources, config, cwd, force, signal, onEvent: thumbnails?.onEvent, onDeck });
  resources.reportCacheRepairs();
  if (result.ran && thumbnails && options.report) {
    await thumbnails.attach(result.batch);
    const { file, label, secrets } = options.report;
    await writeReport(file, {
      batch: result.batch,
      prices: resources.prices,
      provider: resources.backend,
      cwd: options.cwd,
      secrets,
      label,
    });
  }
  return result;
}
