// Which failed requests are worth sending again, and how long to wait first.
// Mirrors openai-node's policy (shouldRetry / retryRequest / calculateDefaultRetryTimeoutMillis).
import type { HeaderLookup } from './transport.js';

/** Statuses that say "try again later"; everything else that is not 2xx is final. */
export const RETRIED_STATUSES: ReadonlySet<number> = new Set([
  408, // Request Timeout: the server gave up waiting for us
  409, // Conflict: a lock or concurrent update, usually gone a moment later
  429, // Too Many Requests: the rate limit, honour Retry-After
]);

/** Final statuses: the same request would fail the same way (bad input, token, path or model). */
export const FINAL_STATUSES: ReadonlySet<number> = new Set([400, 401, 403, 404, 422]);

// True when a response with this status (and headers) should be sent again.
export function shouldRetryStatus(status: number, headers: HeaderLookup): boolean {
  // An explicit server verdict wins, as in openai-node.
  const verdict = headers.get('x-should-retry');
  if (verdict === 'true') return true;
  if (verdict === 'false') return false;
  return RETRIED_STATUSES.has(status) || status >= 500;
}

/** Longest server-requested wait we honour; longer requests are capped to it. */
export const MAX_RETRY_AFTER_MS = 60_000;
/** First backoff step, doubling each retry up to MAX_BACKOFF_MS. */
export const INITIAL_BACKOFF_MS = 500;
export const MAX_BACKOFF_MS = 8_000;

// Milliseconds the server asked us to wait (`retry-after-ms`, then `Retry-After` seconds or HTTP date); undefined if none.
export function retryAfterMs(headers: HeaderLookup, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '') {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return Math.min(n, MAX_RETRY_AFTER_MS);
  }
  const after = headers.get('retry-after');
  if (after === null || after.trim() === '') return undefined;
  const seconds = Number(after);
  let wait = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(after) - now;
  if (!Number.isFinite(wait)) return undefined;
  // A date slightly in the past means "now"; a negative number of seconds is nonsense.
  if (wait < 0) wait = Number.isFinite(seconds) ? NaN : 0;
  if (Number.isNaN(wait)) return undefined;
  // Capped rather than ignored: waiting less than asked only earns another 429.
  return Math.min(wait, MAX_RETRY_AFTER_MS);
}

// Exponential backoff for retry number `retry` (0-based): 0.5 s, 1 s, 2 s … 8 s, up to 25 % shorter at random.
export function backoffMs(retry: number, random: () => number = Math.random): number {
  const base = Math.min(INITIAL_BACKOFF_MS * 2 ** retry, MAX_BACKOFF_MS);
  // Jitter spreads retries of parallel requests so they do not arrive together again.
  return base * (1 - random() * 0.25);
}
