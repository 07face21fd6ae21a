// The benchmark's cases and the lower bound of each: what no scheduler could beat with the same API.

export interface BenchCase {
  id: string;
  /** What the case shows, for the table's notes. */
  title: string;
  decks: number;
  slidesPerDeck: number;
  /** Images in flight (--concurrency); prompts keep the default limit of 4. */
  concurrency: number;
  /** Mean prompt and image latency of the fake API before time scaling. @unit milliseconds */
  promptMs: number;
  imageMs: number;
  /** Requests per minute before time scaling; undefined lifts the limit (--rpm 10000). */
  rpm?: number | undefined;
  /** Everything on the API side runs this many times faster: latencies and the rate window. */
  timeScale: number;
  /** The decks are given as one folder (a directory run) rather than as one deck file. */
  directory: boolean;
  /**
   * 'drawn': the ratio is taken against drawnBoundMs (the API critical path with the latencies the fake
   * API actually drew, plus a bare `node -e 0` start measured in the same run) instead of boundOf.
   */
  ratioAgainst?: 'drawn' | undefined;
}

/** Jitter: each latency is drawn uniformly within ±10 % of its mean. */
export const JITTER = 0.1;
/** --rpm for the cases without a rate limit: the highest the CLI accepts. */
export const UNLIMITED_RPM = 10_000;
const MINUTE_MS = 60_000;

export const CASES: BenchCase[] = [
  {
    id: 'pipeline-24',
    title: '24 slides, c=4, prompts 200 ms, images 800 ms',
    decks: 1,
    slidesPerDeck: 24,
    concurrency: 4,
    promptMs: 200,
    imageMs: 800,
    timeScale: 1,
    directory: false,
    ratioAgainst: 'drawn',
  },
  {
    id: 'local-200',
    title: '200 slides, c=8, zero latency (local overhead)',
    decks: 1,
    slidesPerDeck: 200,
    concurrency: 8,
    promptMs: 0,
    imageMs: 0,
    timeScale: 1,
    directory: false,
  },
  {
    id: 'folder-10x20',
    title: '10 decks of 20 slides as one directory run, c=4, 200/800 ms',
    decks: 10,
    slidesPerDeck: 20,
    concurrency: 4,
    promptMs: 200,
    imageMs: 800,
    timeScale: 1,
    directory: true,
  },
  {
    id: 'rpm-100',
    title: '100 slides under 60 rpm, c=4, 200/800 ms, time-scaled ×20',
    decks: 1,
    slidesPerDeck: 100,
    concurrency: 4,
    promptMs: 200,
    imageMs: 800,
    rpm: 60,
    timeScale: 20,
    directory: false,
  },
];

export const slidesOf = (c: BenchCase) => c.decks * c.slidesPerDeck;

/** The fake API's latency settings for a case (already time-scaled): mean ± JITTER. */
export function latencyOf(meanMs: number, timeScale: number): { latencyMs: number; jitterMs: number } {
  const mean = meanMs / timeScale;
  return { latencyMs: mean * (1 - JITTER), jitterMs: mean * 2 * JITTER };
}

/** The rate limiter's window in the scaled run. @unit milliseconds */
export const rateWindowOf = (c: BenchCase) => MINUTE_MS / c.timeScale;

export interface Bound {
  /** Lp + ceil(N/c)·Li: the first prompt, then the images in waves of c. @unit milliseconds (scaled) */
  pipelineMs: number;
  /** Under a sliding-window limit, request k starts no earlier than floor(k / rpm) windows. @unit milliseconds (scaled) */
  rateMs: number;
  /** The larger of the two. */
  ms: number;
}

// The lower bound of a case with `requests` API calls in all (prompts, images, the model check).
export function boundOf(c: BenchCase, requests: number): Bound {
  const lp = c.promptMs / c.timeScale;
  const li = c.imageMs / c.timeScale;
  const pipelineMs = lp + Math.ceil(slidesOf(c) / c.concurrency) * li;
  // The last request is an image: it starts after floor((R-1)/rpm) full windows and takes Li.
  const rateMs = c.rpm === undefined ? 0 : Math.floor((requests - 1) / c.rpm) * rateWindowOf(c) + li;
  return { pipelineMs, rateMs, ms: Math.max(pipelineMs, rateMs) };
}

/**
 * The span a scheduler without any overhead would reach with the latencies the fake API actually
 * drew (its jitter is seeded, but which request gets which draw depends on arrival order): the
 * quickest of the first c prompts, then every image latency in the order drawn, each on the first
 * of c places to come free. Not the target (the bound is); it tells what the jitter costs from
 * what the scheduling costs. Undefined under an rpm limit, where the window governs instead.
 */
export function achievableSpanMs(c: BenchCase, latencies: { route: string; ms: number }[]): number | undefined {
  if (c.rpm !== undefined) return undefined;
  const prompts = latencies.filter((l) => l.route === 'chat').map((l) => l.ms);
  const images = latencies.filter((l) => l.route === 'images').map((l) => l.ms);
  if (!prompts.length || !images.length) return undefined;
  const free = new Array<number>(c.concurrency).fill(Math.min(...prompts.slice(0, c.concurrency)));
  for (const ms of images) {
    const slot = free.indexOf(Math.min(...free));
    free[slot] = free[slot]! + ms;
  }
  return Math.max(...free);
}

/**
 * The bound of issue 14: what no CLI could beat on this machine with these draws. A process has to
 * start (a bare `node -e 0`, measured in the same run), then the API critical path with the latencies
 * the fake API actually drew (achievableSpanMs). Undefined where no such path governs (an rpm limit, zero latency).
 */
export function drawnBoundMs(c: BenchCase, latencies: { route: string; ms: number }[], nodeStartMs: number): number | undefined {
  const span = c.promptMs === 0 && c.imageMs === 0 ? undefined : achievableSpanMs(c, latencies);
  return span === undefined ? undefined : nodeStartMs + span;
}
