// sharp, loaded on first use and configured once. Loading it (libvips, about 20 MB of native
// code) takes ~0.2 s of the main thread; a run's first API calls leave before it, and it loads
// while the first prompt is on the wire. Its operation cache is off: every image a run fits is
// new, so the cache only held decoded pixels (up to 50 MB) nobody asks for again.
import type Sharp from 'sharp';

let loading: Promise<typeof Sharp> | undefined;
// libvips threads per operation; undefined keeps sharp's default (one per core).
let threads: number | undefined;

export function loadSharp(): Promise<typeof Sharp> {
  return (loading ??= import('sharp').then(({ default: sharp }) => {
    sharp.cache(false);
    if (threads !== undefined) sharp.concurrency(threads);
    return sharp;
  }));
}

/**
 * Sets how many threads libvips may use for one operation (sharp.concurrency), now or when sharp
 * loads. A queue worker given `--threads 1` fits each picture on one thread, so N such workers on
 * N cores do not each start a thread per core.
 */
export function setSharpThreads(n: number): void {
  threads = n;
  if (loading) void loading.then((sharp) => sharp.concurrency(n));
}

/** Time for a request just started to leave before sharp's load holds the main thread. @unit milliseconds */
const PRELOAD_DELAY_MS = 50;
let preloading = false;

// Loads sharp while the first image request is out: the ~0.2 s it holds the main thread then
// costs nothing, where loading it when the image arrives would hold up the other answers.
export function preloadSharp(): void {
  if (preloading || loading) return;
  preloading = true;
  setTimeout(() => void loadSharp().catch(() => undefined), PRELOAD_DELAY_MS).unref();
}
