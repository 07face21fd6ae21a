import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { BadAnswer, createHttpClient, type HttpClientOptions } from '../../src/providers/http.js';
import { ProviderAuthError, ProviderError } from '../../src/providers/provider-errors.js';
import { createRateLimiter } from '../../src/providers/rate-limiter.js';
import { backoffMs, MAX_RETRY_AFTER_MS, retryAfterMs } from '../../src/providers/retry-policy.js';
import type { Transport, TransportRequest, TransportResponse } from '../../src/providers/transport.js';

const TOKEN = 'sk-http-test-secret-123456';

/** A fetch that answers from a queue of responses (or throws), counting calls. */
function queueFetch(...answers: (Response | Error | (() => Response | Promise<Response>))[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const next = answers.shift();
    if (next === undefined) throw new Error('queueFetch: no more answers');
    if (next instanceof Error) throw next;
    return typeof next === 'function' ? next() : next;
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

function client(fetch: typeof globalThis.fetch, more: Partial<HttpClientOptions> = {}) {
  const sleeps: number[] = [];
  const http = createHttpClient({
    baseUrl: 'http://api.test/',
    token: TOKEN,
    timeoutMs: 1000,
    maxRetries: 4,
    transport: fetch as unknown as Transport,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0,
    ...more,
  });
  return { http, sleeps };
}

describe('request', () => {
  test('sends the bearer token, JSON body and joins the base URL without a double slash', async () => {
    const { fetch, calls } = queueFetch(json(200, { ok: true }));
    const { http } = client(fetch);
    expect(await http.request({ method: 'POST', path: '/v1/x', body: { a: 1 } })).toEqual({ ok: true });
    expect(calls[0]!.url).toBe('http://api.test/v1/x');
    const headers = calls[0]!.init.headers as Record<string, string>;
    expect(headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(headers['content-type']).toBe('application/json');
    expect(calls[0]!.init.body).toBe('{"a":1}');
  });

  test('retries a 429 with Retry-After: 0 and returns the next answer', async () => {
    const { fetch, calls } = queueFetch(json(429, { error: { message: 'slow down' } }, { 'retry-after': '0' }), json(200, { n: 2 }));
    const { http, sleeps } = client(fetch);
    expect(await http.request({ method: 'GET', path: '/x' })).toEqual({ n: 2 });
    expect(calls).toHaveLength(2);
    expect(sleeps).toEqual([0]);
  });

  test.each([408, 409, 429, 500, 502, 503, 504])('retries status %i', async (status) => {
    const { fetch, calls } = queueFetch(json(status, { result: 'error', error: { code: 'x', description: 'y' } }), json(200, { ok: 1 }));
    const { http } = client(fetch);
    await expect(http.request({ method: 'POST', path: '/x', body: {} })).resolves.toEqual({ ok: 1 });
    expect(calls).toHaveLength(2);
  });

  test.each([
    [
      400,
      { result: 'error', error: { code: 'bad_request', description: 'The request is malformed' } },
      'POST /x: 400 bad_request: The request is malformed',
    ],
    [
      401,
      { result: 'error', error: { code: 'not_authorized', description: 'Unauthorized' } },
      'POST /x: 401 not_authorized: Unauthorized (check the token)',
    ],
    [403, { error: { message: 'no rights', type: 'permission_error' } }, 'POST /x: 403 permission_error: no rights'],
    [404, { code: 'method_not_found', description: 'Method not found' }, 'POST /x: 404 method_not_found: Method not found'],
    [
      422,
      {
        result: 'error',
        error: {
          code: 'validation_failed',
          description: 'Validation failed',
          errors: [{ code: 'r', description: 'The prompt must not be greater than 400 characters.', context: { attribute: 'prompt' } }],
        },
      },
      'POST /x: 422 validation_failed: The prompt must not be greater than 400 characters.',
    ],
  ])('does not retry %i and explains it', async (status, body, message) => {
    const { fetch, calls } = queueFetch(json(status, body, { 'x-request-id': 'req-7' }), json(200, {}));
    const { http } = client(fetch, { hints: { 401: 'check the token' } });
    const error = await http.request({ method: 'POST', path: '/x', body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).message).toBe(message);
    expect((error as ProviderError).status).toBe(status);
    expect((error as ProviderError).requestId).toBe('req-7');
    expect(error instanceof ProviderAuthError).toBe(status === 401 || status === 403);
    expect(calls).toHaveLength(1);
  });

  test('gives up after maxRetries + 1 attempts, saying so', async () => {
    const { fetch, calls } = queueFetch(...Array.from({ length: 3 }, () => json(503, { error: { message: 'down' } })));
    const { http, sleeps } = client(fetch, { maxRetries: 2 });
    await expect(http.request({ method: 'GET', path: '/x' })).rejects.toThrow('GET /x: 503 server error: down (gave up after 3 attempts)');
    expect(calls).toHaveLength(3);
    expect(sleeps).toEqual([500, 1000]);
  });

  test('maxRetries 0 sends once', async () => {
    const { fetch, calls } = queueFetch(json(500, {}));
    const { http } = client(fetch, { maxRetries: 0 });
    await expect(http.request({ method: 'GET', path: '/x' })).rejects.toThrow(/500/);
    expect(calls).toHaveLength(1);
  });

  test('x-should-retry: false wins over a 5xx', async () => {
    const { fetch, calls } = queueFetch(json(500, {}, { 'x-should-retry': 'false' }));
    const { http } = client(fetch);
    await expect(http.request({ method: 'GET', path: '/x' })).rejects.toThrow(/500/);
    expect(calls).toHaveLength(1);
  });

  test('retries connection errors and names the cause', async () => {
    const reset = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    });
    const { fetch, calls } = queueFetch(reset, reset);
    const { http } = client(fetch, { maxRetries: 1 });
    await expect(http.request({ method: 'GET', path: '/x' })).rejects.toThrow(
      'GET /x: connection failed (ECONNRESET) (gave up after 2 attempts)',
    );
    expect(calls).toHaveLength(2);
  });

  test('a non-JSON or cut-off 200 is retried', async () => {
    const { fetch, calls } = queueFetch(
      new Response('<html>oops</html>', { status: 200 }),
      new Response('{"data":[', { status: 200 }),
      json(200, { fine: true }),
    );
    const { http } = client(fetch);
    expect(await http.request({ method: 'GET', path: '/x' })).toEqual({ fine: true });
    expect(calls).toHaveLength(3);
  });

  test('times out each attempt and retries it', async () => {
    const hang = (_url: string, init: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason)));
    let n = 0;
    const fetch = ((url: string, init: RequestInit) =>
      ++n === 1 ? hang(url, init) : Promise.resolve(json(200, { late: false }))) as unknown as typeof globalThis.fetch;
    const { http } = client(fetch, { timeoutMs: 30 });
    expect(await http.request({ method: 'GET', path: '/x' })).toEqual({ late: false });
    expect(n).toBe(2);
  });

  test('a timeout on the last attempt says so', async () => {
    const fetch = ((_u: string, init: RequestInit) =>
      new Promise((_r, reject) =>
        init.signal!.addEventListener('abort', () => reject(init.signal!.reason)),
      )) as unknown as typeof globalThis.fetch;
    const { http } = client(fetch, { timeoutMs: 20, maxRetries: 0 });
    const error = (await http.request({ method: 'GET', path: '/x' }).catch((e: unknown) => e)) as ProviderError;
    expect(error.message).toBe('GET /x: no answer within 0.02 s');
    expect(error.details.kind).toBe('timeout');
  });

  test('never retries a user abort', async () => {
    const controller = new AbortController();
    const fetch = vi.fn((_u: string, init: RequestInit) => {
      setTimeout(() => controller.abort(new Error('user stop')), 5);
      return new Promise<Response>((_r, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason)));
    });
    const { http } = client(fetch as unknown as typeof globalThis.fetch);
    await expect(http.request({ method: 'GET', path: '/x', signal: controller.signal })).rejects.toThrow('user stop');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  test('a validate hook can reject a 200 as retryable, or as final', async () => {
    const { fetch, calls } = queueFetch(json(200, { v: 1 }), json(200, { v: 2 }));
    const { http } = client(fetch);
    const validate = (b: unknown) => {
      if ((b as { v: number }).v === 1) throw new BadAnswer('picture does not decode');
      return 'ok';
    };
    expect(await http.request({ method: 'GET', path: '/x', validate })).toBe('ok');
    expect(calls).toHaveLength(2);
    const final = queueFetch(json(200, {}));
    const c2 = client(final.fetch);
    await expect(
      c2.http.request({
        method: 'GET',
        path: '/y',
        validate: () => {
          throw new BadAnswer('url only', false);
        },
      }),
    ).rejects.toThrow('GET /y: 200 answer unusable: url only');
    expect(final.calls).toHaveLength(1);
  });

  test('the token never appears in an error, even when the server echoes it', async () => {
    const { fetch } = queueFetch(json(400, { error: { message: `bad header Authorization: Bearer ${TOKEN}` } }));
    const { http } = client(fetch);
    const error = (await http.request({ method: 'GET', path: '/x' }).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('[redacted]');
    expect(`${error.message}\n${error.stack}`).not.toContain(TOKEN);
  });

  test('waits the Retry-After of a 429 and pauses the shared limiter for everyone', async () => {
    const { fetch } = queueFetch(json(429, {}, { 'retry-after': '3' }), json(200, {}));
    let clock = 0;
    const limiter = createRateLimiter({ rpm: 100, now: () => clock, sleep: async (ms) => void (clock += ms) });
    const pause = vi.spyOn(limiter, 'pause');
    const { http, sleeps } = client(fetch, { limiter });
    await http.request({ method: 'GET', path: '/x' });
    expect(sleeps).toEqual([3000]);
    expect(pause).toHaveBeenCalledWith(3000);
    // The retry itself waited for the pause on the shared limiter.
    expect(clock).toBe(3000);
  });

  test('every attempt tells the limiter how it ended: answered or not, and how long ago its last byte left', async () => {
    let clock = 0;
    const tick = async (ms: number) => void (clock += ms);
    const limiter = createRateLimiter({ rpm: 100, now: () => clock, sleep: tick });
    const acquire = vi.spyOn(limiter, 'acquire');
    const done = vi.spyOn(limiter, 'done');
    const answer = (status: number): TransportResponse => ({
      status,
      ok: status < 300,
      headers: { get: () => null },
      body: null,
      text: async () => '{}',
    });
    // Sent, then the connection drops (no answer); sent, 503 after 40 ms; not even sent; sent, 200 after 5 s.
    const script: ((init: TransportRequest) => Promise<TransportResponse>)[] = [
      async (init) => {
        init.onSent?.();
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      },
      async (init) => {
        init.onSent?.();
        clock += 40;
        return answer(503);
      },
      async () => {
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      },
      async (init) => {
        init.onSent?.();
        clock += 5000;
        return answer(200);
      },
    ];
    const transport: Transport = (_url, init) => script.shift()!(init);
    const { http } = client(undefined as unknown as typeof globalThis.fetch, { limiter, transport, now: () => clock, sleep: tick });
    await http.request({ method: 'POST', path: '/images', body: {} });
    expect(done.mock.calls.map(([, end]) => end)).toEqual([
      { answered: false, sentAgoMs: 0 },
      { answered: true, sentAgoMs: 40 },
      { answered: false, sentAgoMs: undefined },
      { answered: true, sentAgoMs: 5000 },
    ]);
    // Once per permit, each the permit its attempt was admitted with.
    const permits = await Promise.all(acquire.mock.results.map((r) => r.value as Promise<unknown>));
    expect(done.mock.calls.map(([permit]) => permit)).toEqual(permits);
  });

  test('429s spend no attempts: six of them, then an answer, with maxRetries 1', async () => {
    const { fetch, calls } = queueFetch(
      ...Array.from({ length: 6 }, () => json(429, {}, { 'retry-after': '1' })),
      json(503, {}),
      json(200, { ok: true }),
    );
    const { http, sleeps } = client(fetch, { maxRetries: 1 });
    expect(await http.request({ method: 'GET', path: '/x' })).toEqual({ ok: true });
    expect(calls).toHaveLength(8);
    // The 503 still had its one retry, at the first backoff step.
    expect(sleeps).toEqual([1000, 1000, 1000, 1000, 1000, 1000, 500]);
  });

  test('a 429 lowers the shared rate; requests already out when it fell do not lower it again', async () => {
    let clock = 0;
    const limiter = createRateLimiter({ rpm: 60, now: () => clock, sleep: async (ms) => void (clock += ms) });
    // Two requests leave together and both are refused: one halving, not two.
    const answers = [
      json(429, {}, { 'retry-after': '2' }),
      json(429, {}, { 'retry-after': '2' }),
      json(200, { a: 1 }),
      json(200, { b: 2 }),
    ];
    const fetch = (async () => answers.shift()!) as unknown as typeof globalThis.fetch;
    const { http } = client(fetch, { limiter, now: () => clock, sleep: async (ms) => void (clock += ms) });
    const results = await Promise.all([http.request({ method: 'GET', path: '/a' }), http.request({ method: 'GET', path: '/b' })]);
    expect(results).toEqual([{ a: 1 }, { b: 2 }]);
    expect(limiter.rpm).toBe(30);
  });

  test('gives up on 429s only after the wait budget, saying the account allows fewer than rpm and what to set', async () => {
    let clock = 0;
    const tick = async (ms: number) => void (clock += ms);
    const limiter = createRateLimiter({ rpm: 60, now: () => clock, sleep: tick });
    const calls: string[] = [];
    const fetch = (async (_url: string, init: RequestInit) => {
      calls.push(String((init.headers as Record<string, string>)['authorization']));
      return json(
        429,
        { result: 'error', error: { code: 'too_many_requests', description: `Rate limit exceeded for Bearer ${TOKEN}` } },
        { 'retry-after': '30' },
      );
    }) as unknown as typeof globalThis.fetch;
    const { http } = client(fetch, { limiter, now: () => clock, sleep: tick, rateLimitWaitMs: 10 * 60_000 });
    const error = (await http.request({ method: 'POST', path: '/images', body: {} }).catch((e: unknown) => e)) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    // Refused for 10 minutes, every 30 s at first, then once a minute as the rate fell to 1:
    // far more requests than maxRetries + 1 = 5, and all under the token without showing it.
    expect(calls.length).toBeGreaterThan(5);
    expect(calls.length).toBeLessThanOrEqual(21);
    expect(clock).toBe(10 * 60_000);
    expect(limiter.rpm).toBe(1);
    expect(error.status).toBe(429);
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      'POST /images: 429 too_many_requests: Rate limit exceeded for Bearer [redacted] (still refused after 10 min of waiting; ' +
        'the account\'s rate limit is lower than rpm 60: set rpm to 1 (config key "rpm" or --rpm 1), or raise rateLimitWaitMinutes; ' +
        'if 1 is refused too, the account may have used up its quota)',
    );
    expect(`${error.message}\n${error.stack}`).not.toContain(TOKEN);
  });

  test("the wait budget is the provider's: once spent, a new request gives up at its first 429", async () => {
    let clock = 0;
    const tick = async (ms: number) => void (clock += ms);
    const limiter = createRateLimiter({ rpm: 60, now: () => clock, sleep: tick });
    let n = 0;
    const fetch = (async () => (n++, json(429, {}, { 'retry-after': '60' }))) as unknown as typeof globalThis.fetch;
    const { http } = client(fetch, { limiter, now: () => clock, sleep: tick, rateLimitWaitMs: 5 * 60_000 });
    await expect(http.request({ method: 'GET', path: '/a' })).rejects.toThrow(/still refused after 5 min of waiting/);
    const before = n;
    // (It waited its turn at the lowered rate, a minute, before that 429.)
    await expect(http.request({ method: 'GET', path: '/b' })).rejects.toThrow(/still refused after 6 min of waiting/);
    expect(n - before).toBe(1);
  });

  test('logs each failed attempt with its request id', async () => {
    const lines: string[] = [];
    const { fetch } = queueFetch(json(502, {}), json(200, {}));
    const { http } = client(fetch, { log: (l) => lines.push(l) });
    await http.request({ method: 'GET', path: '/x' });
    expect(lines).toEqual(['http #1 attempt 1/5: GET /x: 502 server error: (no details); retrying in 0.50 s']);
  });
});

describe('retry policy', () => {
  const h = (o: Record<string, string>) => new Headers(o);

  test('retry-after-ms first, then seconds, then an HTTP date; capped at 60 s', () => {
    expect(retryAfterMs(h({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterMs(h({ 'retry-after': '1.5' }))).toBe(1500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(h({ 'retry-after': 'Thu, 01 Jan 2026 00:00:07 GMT' }), now)).toBe(7000);
    expect(retryAfterMs(h({ 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }), now)).toBe(0);
    expect(retryAfterMs(h({ 'retry-after': '600' }))).toBe(MAX_RETRY_AFTER_MS);
    expect(retryAfterMs(h({ 'retry-after': '-3' }))).toBeUndefined();
    expect(retryAfterMs(h({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(h({}))).toBeUndefined();
  });

  test('backoff doubles from 0.5 s to 8 s with up to 25 % jitter', () => {
    expect([0, 1, 2, 3, 4, 5].map((r) => backoffMs(r, () => 0))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(backoffMs(0, () => 0.999999)).toBeCloseTo(375, 0);
  });
});

describe('concurrency slot', () => {
  function recordingSlot() {
    const events: string[] = [];
    return { events, slot: { acquire: async () => void events.push('acquire'), release: () => void events.push('release') } };
  }

  test('is given back once the answer has arrived, before validate runs', async () => {
    const { fetch } = queueFetch(json(200, { ok: true }));
    const { http } = client(fetch);
    const { events, slot } = recordingSlot();
    await http.request({ method: 'POST', path: '/x', slot, validate: (b) => (events.push('validate'), b) });
    expect(events).toEqual(['acquire', 'release', 'validate']);
  });

  test('is given back as soon as a 2xx status arrives, before its body is read', async () => {
    const events: string[] = [];
    // highWaterMark 0: the body is pulled only when someone reads it.
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          events.push('body read');
          controller.enqueue(new TextEncoder().encode('{"ok":true}'));
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const { http } = client(async () => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } }));
    const slot = { acquire: async () => void events.push('acquire'), release: () => void events.push('release') };
    expect(await http.request({ method: 'POST', path: '/x', slot })).toEqual({ ok: true });
    expect(events).toEqual(['acquire', 'release', 'body read']);
  });

  test('failures keep it through their retry; a 2xx answer that is rejected takes it again', async () => {
    const { fetch } = queueFetch(json(503, {}), new TypeError('fetch failed'), json(200, { bad: true }), json(200, { ok: true }));
    const { http } = client(fetch);
    const { events, slot } = recordingSlot();
    const validate = (b: unknown) => {
      if ((b as { bad?: boolean }).bad) throw new BadAnswer('unusable');
      return b;
    };
    await http.request({ method: 'POST', path: '/x', slot, validate });
    // 503 and the lost connection: kept; the rejected 200: given back, then taken for the retry.
    expect(events).toEqual(['acquire', 'acquire', 'acquire', 'release', 'acquire', 'release']);
  });
});

describe('redirects under the rate limit', () => {
  // Loopback servers, closed after each test.
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });
  async function serve(handler: RequestListener): Promise<string> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  // Whether the limiter would let one more request go within 200 ms.
  const roomLeft = (limiter: ReturnType<typeof createRateLimiter>) =>
    limiter.acquire(AbortSignal.timeout(200)).then(
      () => true,
      () => false,
    );

  test('a redirect back to the API is a second request there: it takes a second permit; one to another origin does not', async () => {
    const other = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"at":"other"}'));
    const hits: string[] = [];
    const api = await serve((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/start') res.writeHead(307, { location: '/moved' }).end();
      else if (req.url === '/away') res.writeHead(307, { location: `${other}/x` }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"at":"api"}');
    });
    const same = createRateLimiter({ rpm: 2 });
    const http = createHttpClient({ baseUrl: api, timeoutMs: 10_000, maxRetries: 0, limiter: same });
    expect(await http.request({ method: 'POST', path: '/start', body: {} })).toEqual({ at: 'api' });
    expect(hits).toEqual(['/start', '/moved']);
    // Two requests reached the API: an rpm of 2 has no room left in this window.
    expect(await roomLeft(same)).toBe(false);

    const away = createRateLimiter({ rpm: 2 });
    const http2 = createHttpClient({ baseUrl: api, timeoutMs: 10_000, maxRetries: 0, limiter: away });
    expect(await http2.request({ method: 'POST', path: '/away', body: {} })).toEqual({ at: 'other' });
    // One request at the API (the other origin does not count against it): room for one more.
    expect(await roomLeft(away)).toBe(true);
    expect(await roomLeft(away)).toBe(false);
  });
});
