// `npm run bench`: every case of cases.ts against the loopback fake API, side by side with the naive
// baseline and the sharp-only floor. Prints the table on stdout, progress on stderr, and writes
// bench/results.json (the figures BENCHMARKS.md quotes). Everything runs on 127.0.0.1 with a server
// this process starts and closes; every child has a time limit.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { readPresentationFile } from '../src/pptx/read-presentation.js';
import { chooseImageSize } from '../src/providers/image-sizes.js';
import { planIllustrations } from '../src/stages/plan-illustrations.js';
import { configSchema } from '../src/config/schema.js';
import { startFakeApi, type FakeApi } from '../test/helpers/fake-infomaniak.js';
import {
  achievableSpanMs,
  boundOf,
  CASES,
  drawnBoundMs,
  latencyOf,
  rateWindowOf,
  slidesOf,
  UNLIMITED_RPM,
  type BenchCase,
  type Bound,
} from './cases.js';
import { makeDeck, makeDeckFolder } from './make-decks.js';
import { addedMedia, nodeStartMs, benchDir, binPath, repoRoot, runMeasured, type ChildRun } from './measure.js';
import { makePhotoPool } from './photo-images.js';
import { sharpFloor, type FloorJob, type FloorResult } from './sharp-floor.js';
import { QUEUE_CASE, runQueueBench, type QueueBenchResult } from './queue-bench.js';

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const onWait = (share: number) =>
  log(`  the machine is ${(share * 100).toFixed(0)} % busy with other work; waiting (up to 2 min) for it to settle`);
const s = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

/** A planned picture of a generated deck: its box and the image size the CLI will ask for. */
interface PlannedPicture {
  boxCx: number;
  boxCy: number;
  size: string;
}

interface CaseResult {
  id: string;
  title: string;
  slides: number;
  decks: number;
  concurrency: number;
  timeScale: number;
  rpm: number | null;
  wallMs: number;
  bound: Bound;
  /** wall / bound; for the zero-latency case, wall / sharp floor. */
  ratio: number;
  apiCalls: { total: number; byRoute: Partial<Record<string, number>> };
  cpuMsPerSlide: number;
  peakRssMb: number;
  bytesPerPicture: number;
  pictures: number;
  /**
   * Where the wall time went: spawn to the first API request (process start-up, config, reading the
   * deck), first request to last answer (what the scheduler governs, against the bound), last
   * answer to exit (fitting the last pictures, writing the decks).
   */
  phases: { startupMs: number; apiMs: number; tailMs: number };
  /** The API span a scheduler without overhead would reach with the drawn latencies (cases.ts). */
  achievableSpanMs: number | null;
  /** A bare `node -e 0` just before the CLI's first run, and that plus achievableSpanMs (cases.ts drawnBoundMs). */
  nodeStartMs: number;
  drawnBoundMs: number | null;
  rerun: { wallMs: number; cpuMs: number; peakRssMb: number; apiCalls: number };
  naive: { wallMs: number; cpuMs: number; peakRssMb: number; bytesPerPicture: number };
  /** At zero latency the mean of a floor measured before and one after the CLI run (wallMsEach). */
  floor: { wallMs: number; cpuMs: number; bytesPerPicture: number; wallMsEach: number[] };
  /** CPU of the CLI's first run (every thread) ÷ the floor's CPU: the overhead in work, not in time. */
  cpuRatio: number;
  /** CPU other processes took during each measurement, as a share of the machine (0..1). */
  foreign: { cli: number; rerun: number; naive: number; floor: number };
}

/** Pictures the fake API hands out, per size, in the order it serves them. */
type Pools = Map<string, string[]>;

// ---------------------------------------------------------------------------------------------

async function planPictures(decks: string[]): Promise<PlannedPicture[]> {
  const config = configSchema.parse({});
  const out: PlannedPicture[] = [];
  for (const deck of decks) {
    const plan = planIllustrations(await readPresentationFile(deck), { placement: config.placement, skipSlides: config.skipSlides });
    for (const p of plan.planned) out.push({ boxCx: p.box.cx, boxCy: p.box.cy, size: chooseImageSize(p.box.cx / p.box.cy) });
  }
  return out;
}

// Each picture's whole JSON answer, serialized once: a benchmark's pictures are megabytes, and
// serializing one per answer would spend the CPU of the machine the CLI under test runs on.
const answers = new Map<string, Buffer>();
function answerOf(pools: Pools, size: string, n: number): Buffer {
  const pool = pools.get(size);
  if (!pool) throw new Error(`bench: no pictures made for size ${size}`);
  const key = `${size}/${n % pool.length}`;
  let answer = answers.get(key);
  if (!answer)
    answers.set(
      key,
      (answer = Buffer.from(JSON.stringify({ created: 1, data: [{ b64_json: pool[n % pool.length]!, revised_prompt: '' }] }))),
    );
  return answer;
}

function startApi(c: BenchCase, pools: Pools): Promise<FakeApi> {
  return startFakeApi({
    routeLatency: { chat: latencyOf(c.promptMs, c.timeScale), images: latencyOf(c.imageMs, c.timeScale) },
    imageAnswer: (size, n) => answerOf(pools, size, n),
  });
}

const apiEnv = (api: FakeApi, c: BenchCase): Record<string, string> => ({
  INFOMANIAK_API_TOKEN: api.token,
  INFOMANIAK_PRODUCT_ID: '105',
  INFOMANIAK_BASE_URL: api.url,
  ...(c.timeScale > 1 ? { BENCH_RATE_WINDOW_MS: String(rateWindowOf(c)) } : {}),
});

const totalRequests = (api: FakeApi) => Object.values(api.stats.requests).reduce((a, b) => a + (b ?? 0), 0);

interface CliSummary {
  decks: { output: string | null }[];
  totals: {
    decks: { unchanged: number };
    slides: { illustrated: number; failed: number };
    apiCalls: { prompts: number; images: number };
    cacheHits: { prompts: number; images: number };
  };
}

// One CLI run against a fresh fake API: its measures, summary and the API's request counts.
async function runCli(c: BenchCase, pools: Pools, argv: string[], cwd: string, timeoutMs: number) {
  const api = await startApi(c, pools);
  try {
    const entry = c.timeScale > 1 ? path.join(benchDir, 'scaled-cli.mjs') : binPath;
    const run = await runMeasured([entry, ...argv], { cwd, env: apiEnv(api, c), timeoutMs, onWait });
    const summary = JSON.parse(run.stdout) as CliSummary;
    const first = api.stats.arrivals[0]?.at ?? run.startedAt;
    const last = api.stats.lastAnswerAt ?? first;
    const phases = { startupMs: first - run.startedAt, apiMs: last - first, tailMs: run.startedAt + run.wallMs - last };
    return {
      run,
      summary,
      phases,
      requests: { ...api.stats.requests } as Partial<Record<string, number>>,
      total: totalRequests(api),
      latencies: [...api.stats.latencies],
    };
  } finally {
    await api.close();
  }
}

async function measureFloor(tag: string, when: string, jobs: FloorJob[]): Promise<FloorResult> {
  log(`${tag}: sharp-only floor over the same ${jobs.length} images, ${when}`);
  const floor = await sharpFloor(jobs);
  log(`${tag}: floor ${s(floor.wallMs)} (CPU ${s(floor.cpuMs)})`);
  return floor;
}

function meanFloor(a: FloorResult, b: FloorResult): FloorResult {
  const mean = (x: number, y: number) => (x + y) / 2;
  return {
    wallMs: mean(a.wallMs, b.wallMs),
    cpuMs: mean(a.cpuMs, b.cpuMs),
    bytes: a.bytes,
    foreignShare: Math.max(a.foreignShare, b.foreignShare),
  };
}

function expect(condition: boolean, what: string): void {
  if (!condition) throw new Error(`bench: ${what}`);
}

/** A case's generated decks and the pictures the CLI will plan for them. */
interface Prepared {
  decks: string[];
  planned: PlannedPicture[];
}

async function runCase(c: BenchCase, tag: string, root: string, pools: Pools, { decks, planned }: Prepared): Promise<CaseResult> {
  const n = slidesOf(c);
  const dir = path.join(root, c.id);
  const target = c.directory ? path.join(dir, 'decks') : decks[0]!;
  const rpm = c.rpm ?? UNLIMITED_RPM;
  const bound0 = boundOf(c, 2 * n + 1);
  // Generous time limits (bounded all the same): six times the naive API time, plus a minute.
  const limit = Math.max(120_000, (6 * n * (c.promptMs + c.imageMs)) / c.timeScale + 60_000);
  const argv = [
    target,
    '--provider',
    'infomaniak',
    '-c',
    String(c.concurrency),
    '--rpm',
    String(rpm),
    '--cache-dir',
    path.join(dir, 'cache'),
    '--out',
    path.join(dir, 'out') + path.sep,
    '--json',
  ];

  const zeroLatency = c.promptMs === 0 && c.imageMs === 0;
  const jobs: FloorJob[] = planned.map((p, i) => {
    const pool = pools.get(p.size)!;
    return { image: Buffer.from(pool[i % pool.length]!, 'base64'), boxCx: p.boxCx, boxCy: p.boxCy };
  });
  // At zero latency the floor is the ratio's denominator: it is measured right before and right
  // after the CLI's run and the two averaged, so a drift of the machine's speed (this VM's floor
  // moved 15-30 % within minutes) weighs on both sides of the ratio alike.
  const floorBefore = zeroLatency ? await measureFloor(tag, 'before the CLI run', jobs) : undefined;

  const nodeStart = await nodeStartMs();
  log(`${tag}: bare node -e 0: ${s(nodeStart)}`);
  log(`${tag}: CLI, first run${bound0.ms > 0 ? ` (bound ${s(bound0.ms)})` : ''}`);
  const first = await runCli(c, pools, argv, dir, limit);
  const drawn = drawnBoundMs(c, first.latencies, nodeStart);
  expect(
    first.summary.totals.slides.illustrated === n && first.summary.totals.slides.failed === 0,
    `${c.id}: ${first.summary.totals.slides.illustrated}/${n} slides illustrated`,
  );
  expect(
    first.summary.totals.apiCalls.prompts === n && first.summary.totals.apiCalls.images === n,
    `${c.id}: expected ${n} prompt and ${n} image calls, got ${JSON.stringify(first.summary.totals.apiCalls)}`,
  );
  const bound = boundOf(c, first.total);
  const vsDrawn = drawn !== undefined ? `, ${(first.run.wallMs / drawn).toFixed(2)}× node start + drawn critical path ${s(drawn)}` : '';
  const against = bound.ms > 0 ? ` (${(first.run.wallMs / bound.ms).toFixed(2)}× the bound${vsDrawn})` : '';
  log(`${tag}: CLI ${s(first.run.wallMs)}${against}, ${first.total} API calls, peak RSS ${first.run.peakRssMb.toFixed(0)} MB`);
  log(
    `${tag}:   start-up ${s(first.phases.startupMs)}, first request to last answer ${s(first.phases.apiMs)}, last answer to exit ${s(first.phases.tailMs)}`,
  );
  const floorAfter = await measureFloor(tag, zeroLatency ? 'after the CLI run' : 'over the same images', jobs);
  const floor = floorBefore ? meanFloor(floorBefore, floorAfter) : floorAfter;

  log(`${tag}: CLI, re-run over the unchanged deck${c.decks > 1 ? 's' : ''} (same cache)`);
  const again = await runCli(c, pools, argv, dir, limit);
  // Unchanged decks are recognised from the output records: nothing is read, called or written.
  expect(
    again.summary.totals.decks.unchanged === c.decks &&
      again.summary.totals.apiCalls.images === 0 &&
      again.summary.totals.apiCalls.prompts === 0,
    `${c.id}: the re-run did not find the outputs up to date: ${JSON.stringify(again.summary.totals)}`,
  );
  log(`${tag}: re-run ${s(again.run.wallMs)}`);

  const outputs = first.summary.decks.map((d) => d.output!);
  const media = await addedMedia(outputs);
  expect(media.pictures === n, `${c.id}: ${media.pictures} pictures in the outputs for ${n} slides`);

  log(`${tag}: naive baseline (every prompt, then every image, one at a time)`);
  const naiveOut = path.join(dir, 'naive-out');
  await mkdir(naiveOut, { recursive: true });
  const api = await startApi(c, pools);
  let naive: ChildRun;
  try {
    const naiveArgs = { decks, outDir: naiveOut, rpm, rateWindowMs: c.timeScale > 1 ? rateWindowOf(c) : undefined };
    naive = await runMeasured([path.join(benchDir, 'naive.ts'), JSON.stringify(naiveArgs)], {
      cwd: repoRoot,
      env: apiEnv(api, c),
      timeoutMs: limit + (4 * n * (c.promptMs + c.imageMs)) / c.timeScale,
      typescript: true,
      onWait,
    });
  } finally {
    await api.close();
  }
  const naiveMedia = await addedMedia(decks.map((d) => path.join(naiveOut, path.basename(d))));
  log(`${tag}: naive ${s(naive.wallMs)}`);

  return {
    id: c.id,
    title: c.title,
    slides: n,
    decks: c.decks,
    concurrency: c.concurrency,
    timeScale: c.timeScale,
    rpm: c.rpm ?? null,
    wallMs: first.run.wallMs,
    bound,
    ratio: first.run.wallMs / (zeroLatency ? floor.wallMs : c.ratioAgainst === 'drawn' && drawn !== undefined ? drawn : bound.ms),
    apiCalls: { total: first.total, byRoute: first.requests },
    phases: first.phases,
    achievableSpanMs: achievableSpanMs(c, first.latencies) ?? null,
    nodeStartMs: nodeStart,
    drawnBoundMs: drawn ?? null,
    cpuMsPerSlide: first.run.cpuMs / n,
    peakRssMb: first.run.peakRssMb,
    bytesPerPicture: media.bytes / media.pictures,
    pictures: media.pictures,
    rerun: { wallMs: again.run.wallMs, cpuMs: again.run.cpuMs, peakRssMb: again.run.peakRssMb, apiCalls: again.total },
    naive: {
      wallMs: naive.wallMs,
      cpuMs: naive.cpuMs,
      peakRssMb: naive.peakRssMb,
      bytesPerPicture: naiveMedia.bytes / Math.max(1, naiveMedia.pictures),
    },
    floor: {
      wallMs: floor.wallMs,
      cpuMs: floor.cpuMs,
      bytesPerPicture: floor.bytes / jobs.length,
      wallMsEach: floorBefore ? [floorBefore.wallMs, floorAfter.wallMs] : [floorAfter.wallMs],
    },
    cpuRatio: first.run.cpuMs / floor.cpuMs,
    foreign: { cli: first.run.foreignShare, rerun: again.run.foreignShare, naive: naive.foreignShare, floor: floor.foreignShare },
  };
}

// ---------------------------------------------------------------------------------------------

function table(results: CaseResult[]): string {
  const head = [
    'case',
    'slides',
    'c',
    'wall',
    'lower bound',
    'ratio',
    'naive',
    'naive ÷ wall',
    'sharp floor',
    'wall ÷ floor',
    'CPU ÷ floor CPU',
    'API calls',
    'CPU/slide',
    'peak RSS',
    'KB/picture',
    're-run',
  ];
  const rows = results.map((r) => [
    r.id,
    String(r.slides),
    String(r.concurrency),
    s(r.wallMs),
    r.drawnBoundMs !== null && CASES.find((c) => c.id === r.id)?.ratioAgainst === 'drawn'
      ? `${s(r.drawnBoundMs)} (node + drawn)`
      : r.bound.ms > 0
        ? s(r.bound.ms)
        : `${s(r.floor.wallMs)} (floor)`,
    r.ratio.toFixed(2),
    s(r.naive.wallMs),
    `${(r.naive.wallMs / r.wallMs).toFixed(1)}×`,
    s(r.floor.wallMs),
    (r.wallMs / r.floor.wallMs).toFixed(2),
    r.cpuRatio.toFixed(2),
    String(r.apiCalls.total),
    `${r.cpuMsPerSlide.toFixed(0)} ms`,
    `${r.peakRssMb.toFixed(0)} MB`,
    (r.bytesPerPicture / 1024).toFixed(0),
    s(r.rerun.wallMs),
  ]);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

// Where each first run's wall time went, and the API span against the bound.
function phaseTable(results: CaseResult[]): string {
  const head = [
    'case',
    'start-up (spawn → first request)',
    'first request → last answer',
    'that ÷ bound',
    'achievable with the drawn latencies',
    'span ÷ achievable',
    'last answer → exit',
    'node -e 0',
    'node + drawn path',
    'wall ÷ that',
  ];
  const rows = results.map((r) => {
    const achievable = r.achievableSpanMs;
    return [
      r.id,
      s(r.phases.startupMs),
      s(r.phases.apiMs),
      r.bound.ms > 0 ? (r.phases.apiMs / r.bound.ms).toFixed(2) : '–',
      achievable && r.bound.ms > 0 ? s(achievable) : '–',
      achievable && r.bound.ms > 0 ? (r.phases.apiMs / achievable).toFixed(2) : '–',
      s(r.phases.tailMs),
      s(r.nodeStartMs),
      r.drawnBoundMs !== null ? s(r.drawnBoundMs) : '–',
      r.drawnBoundMs !== null ? (r.wallMs / r.drawnBoundMs).toFixed(2) : '–',
    ];
  });
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

function queueTable(q: QueueBenchResult): string {
  const head = [
    'setting',
    'workers',
    'wall',
    'rpm bound',
    'wall ÷ bound',
    'slides/s',
    'requests',
    'extra requests',
    '429s',
    'busiest window',
    'worker CPU (cores)',
    'load before',
  ];
  const rows = q.runs.map((r) => [
    r.setting,
    String(r.workers),
    s(r.wallMs),
    r.boundMs === null ? '–' : s(r.boundMs),
    r.ratio === null ? '–' : r.ratio.toFixed(2),
    r.slidesPerSecond.toFixed(1),
    String(r.requests.total),
    `${r.extra.requests} (${r.extra.failedAttempts.length} failed attempts)`,
    String(r.rateLimited),
    r.busiestWindow === null ? '–' : `${r.busiestWindow} / ${q.case.rpm}`,
    r.workerCores.toFixed(2),
    r.loadBefore.toFixed(1),
  ]);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

interface Target {
  name: string;
  value: string;
  pass: boolean;
}

function targets(results: CaseResult[]): Target[] {
  const by = (id: string) => results.find((r) => r.id === id)!;
  const pipeline = by('pipeline-24');
  const folder = by('folder-10x20');
  const local = by('local-200');
  const heaviest = Math.max(...results.map((r) => r.bytesPerPicture));
  return [
    {
      name: 'wall within 10 % of node start + drawn critical path, 24 slides c=4',
      value: `${pipeline.ratio.toFixed(2)}×`,
      pass: pipeline.ratio <= 1.1,
    },
    { name: 'wall within 5 % of the bound, directory run', value: `${folder.ratio.toFixed(2)}×`, pass: folder.ratio <= 1.05 },
    { name: 'zero-latency overhead within 1.3× the sharp floor', value: `${local.ratio.toFixed(2)}×`, pass: local.ratio <= 1.3 },
    { name: 'peak RSS at most 250 MB, 200-slide deck', value: `${local.peakRssMb.toFixed(0)} MB`, pass: local.peakRssMb <= 250 },
    { name: 're-run over an unchanged 200-slide deck under 1 s', value: s(local.rerun.wallMs), pass: local.rerun.wallMs < 1000 },
    {
      name: 'under 250 KB per half-slide picture',
      value: `${(heaviest / 1024).toFixed(0)} KB (largest case average)`,
      pass: heaviest < 250 * 1024,
    },
  ];
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (!existsSync(path.join(repoRoot, 'dist/cli.bundle.js'))) throw new Error('dist/ is missing: run `npm run bench`, which builds first');
  const only = process.env['BENCH_CASES']?.split(',');
  const cases = only ? CASES.filter((c) => only.includes(c.id)) : CASES;
  // The queue case (queue-bench.ts): BENCH_CASES=queue runs it alone.
  const withQueue = !only || only.includes(QUEUE_CASE.id);
  const started = performance.now();
  const root = await mkdtemp(path.join(os.tmpdir(), 'si-bench-'));
  try {
    log(
      `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, sharp ${sharp.versions.sharp ?? '?'}`,
    );
    log(`decks in ${root}`);
    const prepared = new Map<BenchCase, Prepared>();
    for (const c of cases) {
      const dir = path.join(root, c.id);
      const decks = c.directory ? await makeDeckFolder(path.join(dir, 'decks'), c.decks, c.slidesPerDeck) : [path.join(dir, 'deck.pptx')];
      if (!c.directory) await makeDeck(decks[0]!, c.slidesPerDeck);
      const planned = await planPictures(decks);
      expect(planned.length === slidesOf(c), `${c.id}: ${planned.length} slides planned, ${slidesOf(c)} made`);
      prepared.set(c, { decks, planned });
    }
    const queueDecks = path.join(root, 'queue-decks');
    const queueMade = withQueue ? await makeDeckFolder(queueDecks, QUEUE_CASE.decks, QUEUE_CASE.slidesPerDeck) : [];
    // 100 different pictures are plenty for the queue case: the fake API hands them out in turn, each costs the same to fit.
    const queuePlanned = (await planPictures(queueMade)).slice(0, 100);
    // As many different pictures per size as the largest case needs, made before anything is timed.
    const need = new Map<string, number>();
    for (const { planned } of [...prepared.values(), { planned: queuePlanned }]) {
      const count = new Map<string, number>();
      for (const p of planned) count.set(p.size, (count.get(p.size) ?? 0) + 1);
      for (const [size, k] of count) need.set(size, Math.max(need.get(size) ?? 0, k));
    }
    const pools: Pools = new Map();
    for (const [size, count] of need) {
      log(`making ${count} photographic-like ${size} PNGs for the fake API`);
      const t = performance.now();
      pools.set(size, await makePhotoPool(size, count));
      log(`  done in ${s(performance.now() - t)}, ${(Buffer.byteLength(pools.get(size)![0]!, 'base64') / 2 ** 20).toFixed(1)} MB each`);
    }
    for (const [size, pool] of pools)
      pool.forEach((_, n) => {
        answerOf(pools, size, n);
      });
    // The fixed cost of a CLI process: node, the modules, parsing the command line.
    const startup = await runMeasured([binPath, '--help'], { cwd: root, env: {}, timeoutMs: 60_000, onWait });
    log(`CLI start-up (--help): ${s(startup.wallMs)}, peak RSS ${startup.peakRssMb.toFixed(0)} MB`);
    const results: CaseResult[] = [];
    for (const [i, c] of cases.entries()) results.push(await runCase(c, `${i + 1}/${cases.length} ${c.id}`, root, pools, prepared.get(c)!));

    let queue: QueueBenchResult | undefined;
    if (withQueue) queue = await runQueueBench(root, queueDecks, (size, n) => answerOf(pools, size, n), log);

    if (results.length) process.stdout.write(`${table(results)}\n\n${phaseTable(results)}\n\n`);
    if (queue) process.stdout.write(`${queueTable(queue)}\n\n`);
    const checked = [...(only ? [] : targets(results)), ...(queue?.targets ?? [])];
    for (const t of checked) process.stdout.write(`${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.value}\n`);
    const busy = results.flatMap((r) =>
      Object.entries(r.foreign)
        .filter(([, share]) => share > 0.05)
        .map(([what, share]) => `${r.id} ${what} ${(share * 100).toFixed(0)} %`),
    );
    if (busy.length) process.stdout.write(`note: other processes took more than 5 % of the machine during: ${busy.join(', ')}\n`);
    const report = {
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model ?? null,
        memGiB: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
        sharp: sharp.versions.sharp ?? null,
      },
      cases: CASES.filter((c) => cases.includes(c)),
      startup: { wallMs: startup.wallMs, cpuMs: startup.cpuMs, peakRssMb: startup.peakRssMb },
      results,
      ...(queue && { queue }),
      targets: checked,
      totalMs: performance.now() - started,
    };
    if (!only) await writeFile(path.join(benchDir, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
    else if (queue && only.length === 1) await writeFile(path.join(benchDir, 'queue-results.json'), `${JSON.stringify(report, null, 2)}\n`);
    log(`done in ${s(performance.now() - started)}${only ? ' (subset: results.json not written)' : '; results in bench/results.json'}`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

// Ctrl-C or a kill: leave through 'exit', which stops the running child (see measure.ts).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
await main();
