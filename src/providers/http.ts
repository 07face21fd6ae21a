// The one function that talks HTTP to an AI backend. It owns the per-attempt timeout, the
// rate limit, which failures are retried, and how long to wait; providers only describe endpoints.
import { errorFromStatus, ProviderError, type ProviderErrorKind } from './provider-errors.js';
import { defaultSleep, type Permit, type RateLimiter } from './rate-limiter.js';
import { backoffMs, retryAfterMs, shouldRetryStatus } from './retry-policy.js';
import { readBase64Answer, restoreField, type Base64Answer } from './base64-answer.js';
import { nodeTransport, type Transport, type TransportResponse } from './transport.js';
import type { ConcurrencySlot } from './types.js';

export interface HttpClientOptions {
  /** Scheme, host and optional path prefix, e.g. "https://api.infomaniak.com". */
  baseUrl: string;
  /** Bearer token. Sent in the Authorization header only; never part of a message. */
  token?: string | undefined;
  /** Limit for one attempt, from sending to the last body byte. @unit milliseconds */
  timeoutMs: number;
  /** Attempts after the first one for retryable failures; 0 disables retries. 429s are not failures and do not count. */
  maxRetries: number;
  /**
   * How long the API may keep answering 429 ("not now") without letting any request of this
   * provider through before requests give up. @unit milliseconds @default 600000
   */
  rateLimitWaitMs?: number | undefined;
  /** Shared by every call to this provider, retries included. */
  limiter?: RateLimiter | undefined;
  /** Advice appended to final errors by status, e.g. {401: 'check INFOMANIAK_API_TOKEN'}. */
  hints?: Partial<Record<number, string>>;
  /** The wire (transport.ts); tests pass a fetch-shaped function. */
  transport?: Transport | undefined;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Clock of the rate-limit wait budget. */
  now?: () => number;
  /** Source of jitter in [0, 1). */
  random?: () => number;
  /** One line per failed attempt (for --debug). */
  log?: ((line: string) => void) | undefined;
}

export interface HttpRequest<T> {
  method: 'GET' | 'POST';
  /** Path below the base URL, starting with "/". */
  path: string;
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** Held while a request is out; given back once its answer has arrived, taken again for a retry. */
  slot?: ConcurrencySlot | undefined;
  /**
   * A 2xx answer carries this one large base64 string field (an image): it is decoded as the body
   * streams in, and `validate` finds the field's bytes as a Buffer (see base64-answer.ts).
   */
  base64Field?: string | undefined;
  /** Turns a 2xx JSON body into the result; throw BadAnswer to reject it (retried unless told otherwise). */
  validate?: (body: unknown) => T | Promise<T>;
}

export interface HttpClient {
  request<T = unknown>(req: HttpRequest<T>): Promise<T>;
}

/** Thrown by a `validate` hook: a 2xx answer we cannot use, such as an image that does not decode. */
export class BadAnswer extends Error {
  override name = 'BadAnswer';
  constructor(
    message: string,
    readonly retryable = true,
  ) {
    super(message);
  }
}

// For validate hooks: the `data` list of a listing answer (products, models), items as records.
export function dataList(body: unknown, what: string): Record<string, unknown>[] {
  const data = (body as { data?: unknown } | undefined)?.data;
  if (!Array.isArray(data)) throw new BadAnswer(`no data list in the ${what} answer`);
  return data.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null);
}

// Creates the request function for one backend; every call goes through its retry loop.
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const send = options.transport ?? nodeTransport;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  // Time since a request was sent: monotonic unless a test gives its clock.
  const elapsedNow = options.now ?? (() => performance.now());
  const waitBudgetMs = options.rateLimitWaitMs ?? DEFAULT_RATE_LIMIT_WAIT_MS;
  const limiter = options.limiter;
  const base = options.baseUrl.replace(/\/+$/, '');
  let nextId = 1;
  // Since when the API has refused every request of this provider with 429 (undefined: it let the last one through).
  let refusedSince: number | undefined;

  // Any answer but a 429 means the API's rate limit let the request through.
  const letThrough = (permit: Permit | undefined) => {
    refusedSince = undefined;
    if (permit) limiter?.accepted(permit);
  };

  // One attempt, sent under `held.permit`: the limiter hears when it ended (answer or none) and when
  // its last byte left, so it counts the request from the latest time the API can have received it.
  // A redirect back to the API is another request there: it ends the permit and takes a new one.
  const attempt = async <T>(req: HttpRequest<T>, held: { permit: Permit | undefined }): Promise<T> => {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = req.signal ? AbortSignal.any([timeout, req.signal]) : timeout;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    let res: TransportResponse | undefined;
    let raw: string;
    let streamed: Base64Answer | undefined;
    let sentAt: number | undefined;
    let ended = false;
    const end = (answered: boolean) => {
      if (ended || !held.permit) return;
      ended = true;
      limiter?.done(held.permit, { answered, sentAgoMs: sentAt === undefined ? undefined : elapsedNow() - sentAt });
    };
    // The 3xx was an answer, and not a 429: that request is over and was let through.
    const onRedirect = async (toOrigin: boolean) => {
      end(true);
      if (!toOrigin || !held.permit || !limiter) return;
      letThrough(held.permit);
      held.permit = await limiter.acquire(signal);
      ended = false;
      sentAt = undefined;
    };
    try {
      res = await send(base + req.path, {
        method: req.method,
        headers,
        body: req.body === undefined ? null : JSON.stringify(req.body),
        signal,
        onSent: () => void (sentAt = elapsedNow()),
        onRedirect,
      });
      // The answer has begun: the API had the request by now.
      end(true);
      // A 2xx status is in: the API is done with this request, and receiving, decoding, checking
      // and storing the answer need no place there (over the internet a picture's 3.6 MB take a
      // good part of a second to arrive; the next request leaves meanwhile). Failures keep the slot
      // into their retry: after a timeout the API may still be at work, and an API answering 5xx
      // or 429 needs no more requests.
      if (res.ok) req.slot?.release();
      if (res.ok && req.base64Field && res.body) {
        streamed = await readBase64Answer(res.body, req.base64Field, Number(res.headers.get('content-length')) || 0);
        raw = streamed.envelope;
      } else {
        raw = await res.text();
      }
    } catch (error) {
      end(res !== undefined);
      // A user abort ends the request at once, whatever else happened.
      if (req.signal?.aborted) throw req.signal.reason ?? error;
      if (timeout.aborted) return fail(req, 'timeout', `no answer within ${options.timeoutMs / 1000} s`, error);
      const during = res ? `connection lost while reading the ${res.status} answer` : 'connection failed';
      return fail(req, 'connection', `${during} (${causeText(error)})`, error);
    }
    let body: unknown;
    let json = true;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      json = false;
    }
    if (!res.ok) {
      const retryable = shouldRetryStatus(res.status, res.headers);
      throw errorFromStatus({
        method: req.method,
        path: req.path,
        status: res.status,
        body,
        raw,
        retryable,
        requestId: res.headers.get('x-request-id') ?? undefined,
        retryAfterMs: retryAfterMs(res.headers),
        hint: retryable ? undefined : options.hints?.[res.status],
      });
    }
    if (!json || body === undefined || streamed?.truncated)
      return fail(req, 'invalid-response', `${res.status} answer is not JSON (truncated or an error page)`);
    if (streamed?.data && req.base64Field) restoreField(body, req.base64Field, streamed.data);
    if (!req.validate) return body as T;
    try {
      return await req.validate(body);
    } catch (error) {
      if (!(error instanceof BadAnswer)) throw error;
      return fail(req, 'invalid-response', `${res.status} answer unusable: ${error.message}`, undefined, error.retryable);
    }
  };

  return {
    async request<T>(req: HttpRequest<T>): Promise<T> {
      const id = nextId++;
      // 429s in a row for this request: they pick the backoff when the API names no wait.
      let refusals = 0;
      for (let retry = 0; ; ) {
        await req.slot?.acquire();
        // The permit of the attempt's last request (a redirect trades it for another).
        const held = { permit: await limiter?.acquire(req.signal) };
        try {
          const result = await attempt(req, held);
          letThrough(held.permit);
          return result;
        } catch (caught) {
          const error = scrub(caught, options.token);
          const refused = error instanceof ProviderError && error.status === 429;
          const permit = held.permit;
          if (error instanceof ProviderError && error.details.kind === 'status' && !refused) letThrough(permit);
          if (req.signal?.aborted || !(error instanceof ProviderError) || !error.retryable) throw error;
          if (refused) {
            // "Not now" is no failure: it spends the wait budget, not the attempts meant for real failures,
            // and slows every call of this provider down (the account allows fewer requests than rpm).
            if (permit) limiter?.refused(permit);
            const t = now();
            refusedSince ??= t;
            if (t - refusedSince >= waitBudgetMs) throw rateLimitGaveUp(error, t - refusedSince, limiter);
            const delay = error.details.retryAfterMs ?? backoffMs(refusals, random);
            refusals++;
            // After a 429 every call to this provider waits, not only the one that was refused.
            limiter?.pause(delay);
            const rate = limiter ? `, now ${limiter.rpm} of ${limiter.configuredRpm} rpm` : '';
            options.log?.(
              `http #${id} rate limited (${refusals} in a row${rate}): ${error.message}; retrying in ${(delay / 1000).toFixed(2)} s`,
            );
            await sleep(delay, req.signal);
            continue;
          }
          if (retry >= options.maxRetries) throw gaveUp(error, retry + 1);
          const delay = error.details.retryAfterMs ?? backoffMs(retry, random);
          options.log?.(
            `http #${id} attempt ${retry + 1}/${options.maxRetries + 1}: ${error.message}; retrying in ${(delay / 1000).toFixed(2)} s`,
          );
          retry++;
          await sleep(delay, req.signal);
        }
      }
    },
  };
}

/** How long the API may refuse with 429 before requests give up, unless configured (rateLimitWaitMinutes). */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 10 * 60_000;

function fail(req: { method: string; path: string }, kind: ProviderErrorKind, reason: string, cause?: unknown, retryable = true): never {
  const details = { method: req.method, path: req.path, kind, retryable };
  throw new ProviderError(`${req.method} ${req.path}: ${reason}`, details, cause === undefined ? undefined : { cause });
}

/** The error with the token masked, should a server ever echo it back in a message. */
function scrub(error: unknown, token: string | undefined): unknown {
  if (!token || !(error instanceof ProviderError) || !error.message.includes(token)) return error;
  const Cls = error.constructor as typeof ProviderError;
  return new Cls(error.message.split(token).join('[redacted]'), error.details);
}

/** The final error after the last retry, saying how many attempts were made. */
function gaveUp(error: ProviderError, attempts: number): ProviderError {
  if (attempts === 1) return error;
  const Cls = error.constructor as typeof ProviderError;
  return new Cls(`${error.message} (gave up after ${attempts} attempts)`, error.details, { cause: error });
}

/** The final 429: the API refused for the whole wait budget, so the account's limit is below the rpm set. */
function rateLimitGaveUp(error: ProviderError, waitedMs: number, limiter: RateLimiter | undefined): ProviderError {
  const waited = waitedMs >= 60_000 ? `${Math.round(waitedMs / 6000) / 10} min` : `${Math.round(waitedMs / 100) / 10} s`;
  let advice: string;
  if (!limiter) advice = 'the account allows fewer requests than are sent: lower rpm, or raise rateLimitWaitMinutes';
  else if (limiter.configuredRpm === 1)
    advice = 'even rpm 1 is refused: the account may have used up its quota; or raise rateLimitWaitMinutes';
  else {
    // The rate the limiter had come down to: what the API still refused is an upper bound.
    const suggested = Math.min(limiter.rpm, limiter.configuredRpm - 1);
    const quota = suggested === 1 ? '; if 1 is refused too, the account may have used up its quota' : '';
    advice = `the account's rate limit is lower than rpm ${limiter.configuredRpm}: set rpm to ${suggested} (config key "rpm" or --rpm ${suggested}), or raise rateLimitWaitMinutes${quota}`;
  }
  const Cls = error.constructor as typeof ProviderError;
  return new Cls(
    `${error.message} (still refused after ${waited} of waiting; ${advice})`,
    { ...error.details, retryable: false },
    { cause: error },
  );
}

/** "ECONNRESET", "other side closed" …: the innermost cause, which is what tells the user something. */
function causeText(error: unknown): string {
  let e: unknown = error;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : e instanceof Error ? e.message : String(e);
}
