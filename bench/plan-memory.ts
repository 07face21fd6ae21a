// What a planned folder run holds in memory: plans every deck under a folder (default the shared
// corpus) offline, as a paid run does before its cost question, and prints heap and RSS before and
// after, and once the parsed decks are let go.   node --expose-gc --import tsx bench/plan-memory.ts [folder]
import { statSync } from 'node:fs';
import { uncachedLookup } from '../src/cache/cached-providers.js';
import { defaultConfig } from '../src/config/schema.js';
import { planDeckJobs } from '../src/pipeline/deck-jobs.js';
import { planRun } from '../src/pipeline/plan-run.js';
import { createOfflineProviders } from '../src/providers/offline.js';
import { corpusDir } from '../test/helpers/paths.js';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const mb = (n: number) => Math.round(n / 2 ** 20);
const usage = () => {
  gc();
  const m = process.memoryUsage();
  return { heapMb: mb(m.heapUsed), rssMb: mb(m.rss), buffersMb: mb(m.arrayBuffers) };
};

const config = defaultConfig();
const inputs = [process.argv[2] ?? corpusDir];
const { jobs } = await planDeckJobs({ inputs, cwd: process.cwd(), outputDir: '/nonexistent-out', cacheDir: '/nonexistent-cache' });
const before = usage();
const started = performance.now();
const backend = { kind: 'offline', offline: true };
const planned = await planRun(jobs, config, uncachedLookup(createOfflineProviders(), config), { backend });
const planMs = Math.round(performance.now() - started);
const held = usage();
planned.presentations.clear();
const released = usage();
const files = mb(jobs.reduce((n, j) => n + statSync(j.input).size, 0));
const t = planned.plan.totals;
const planJsonKb = Math.round(JSON.stringify(planned.plan).length / 1024);
console.log(
  JSON.stringify({ decks: jobs.length, filesMb: files, slides: t.planned + t.skipped, planMs, planJsonKb, before, held, released }),
);
