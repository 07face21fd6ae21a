// A plain run's memory of the outputs it wrote: a deck whose input, output and settings are as the
// last complete run left them is not read, planned or written again ('unchanged'); --force redoes it.
// Probing needs only stat (and a hash when a deck was touched), so it runs before the backend opens;
// the settings fingerprint needs the backend, so the decision is taken once it has.
import path from 'node:path';
import type { DeckReport } from '../model/report.js';
import { OVER_BUDGET_REASON } from '../providers/image-budget.js';
import type { DeckJob } from './deck-jobs.js';
import { openOutputRecords, type DeckProbe } from './deck-state.js';

/** The records' folder inside the cache folder. */
export const OUTPUT_RECORDS_FOLDER = 'outputs';

export interface OutputProbes {
  /** The deck's input and output are as a complete run left them, with whatever settings. */
  mayBeUnchanged(job: DeckJob): boolean;
  /** The inputs whose outputs were written with these settings (the same for all, or each deck's) and have not changed since. */
  unchanged(config: string | ((input: string) => string)): Set<string>;
  /** Remembers a finished deck: a complete one is skipped next time; any other is redone. */
  record(report: DeckReport, config: string): Promise<void>;
}

// Probes every deck against the records in `cacheDir`; with `force`, none is taken as unchanged.
export async function probeOutputs(
  jobs: DeckJob[],
  cacheDir: string,
  options: { force?: boolean | undefined } = {},
): Promise<OutputProbes> {
  const records = await openOutputRecords(path.join(cacheDir, OUTPUT_RECORDS_FOLDER));
  const probes = new Map<string, { job: DeckJob; probe: DeckProbe }>();
  // One deck at a time: a stat each, and a hash only for a deck touched since its record.
  for (const job of jobs) probes.set(job.input, { job, probe: await records.probe(job) });
  const recorded = (input: string) => (options.force ? undefined : probes.get(input)?.probe.config);
  return {
    mayBeUnchanged: (job) => recorded(job.input) !== undefined,
    unchanged: (config) => {
      const of = typeof config === 'string' ? () => config : config;
      return new Set([...probes.keys()].filter((input) => recorded(input) !== undefined && recorded(input) === of(input)));
    },
    async record(report, config) {
      const probed = probes.get(report.input);
      if (!probed || report.status === 'unchanged') return;
      // A deck cut short by --max-images is not complete: the next run goes on where it stopped.
      const cut = report.slides.some((s) => s.reason === OVER_BUDGET_REASON);
      const check = { unchanged: false, fingerprint: probed.probe.fingerprint };
      await records.record(probed.job, check, cut ? { ...report, status: 'partial' } : report, config);
    },
  };
}
