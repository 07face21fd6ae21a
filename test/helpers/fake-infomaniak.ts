// A loopback fake of Infomaniak's AI API (and of an OpenAI-compatible server) that validates
// requests the way the real one does, with latency and scripted or random failures.
// `startFakeApi(options)` → `{ url, close(), stats }`; the benchmark reuses it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as wait } from 'node:timers/promises';
import {
  DEFAULT_MODELS,
  DEFAULT_OPENAI_MODELS,
  DEFAULT_PRODUCTS,
  defaultChatReply,
  pngBase64,
  seededRandom,
  type FakeModel,
  type FakeProduct,
} from './fake-api-data.js';
import { injectFailure, type FailureKind } from './fake-api-failures.js';
import { answerChat, answerImage, type Reply } from './fake-api-routes.js';

export type { FailureKind } from './fake-api-failures.js';
export { RETRIED_FAILURES } from './fake-api-failures.js';

export type RouteName =
  | 'products'
  | 'models'
  | 'product-models'
  | 'chat'
  | 'images'
  | 'openai-models'
  | 'openai-chat'
  | 'openai-images'
  | 'unknown';

export const GENERATION_ROUTES: RouteName[] = ['chat', 'images', 'openai-chat', 'openai-images'];
const KNOWN_ROUTES: RouteName[] = [
  'products',
  'models',
  'product-models',
  'chat',
  'images',
  'openai-models',
  'openai-chat',
  'openai-images',
];

export interface FakeApiOptions {
  /** Bearer token of the Infomaniak routes. */
  token?: string;
  /** Bearer key of the /v1 routes; undefined accepts any or none. */
  openaiKey?: string | undefined;
  products?: FakeProduct[];
  models?: FakeModel[];
  openaiModels?: string[];
  /** False: the OpenAI-compatible server has no GET /v1/models (many gateways). */
  openaiModelsRoute?: boolean;
  /** Added to every answer: `latencyMs + random × jitterMs`. @unit milliseconds */
  latencyMs?: number;
  jitterMs?: number;
  /** Per-route latency replacing latencyMs and jitterMs on those routes (slow images, quick prompts). */
  routeLatency?: Partial<Record<RouteName, { latencyMs: number; jitterMs?: number }>>;
  /** The picture of the n-th image answer (0-based) as base64; default a small flat PNG of the size. */
  imageBase64?: (size: string, n: number) => string | Promise<string>;
  /**
   * The whole JSON body of the n-th image answer, serialized once by the caller. A benchmark's
   * pictures are megabytes: serializing one for every answer would spend the CPU of the machine
   * the client under test runs on, which a real API does not.
   */
  imageAnswer?: (size: string, n: number) => Buffer | Promise<Buffer>;
  seed?: number;
  /** Share of requests on `failRoutes` that fail with a kind drawn from `failureKinds`. */
  failureRate?: number;
  failureKinds?: FailureKind[];
  failRoutes?: RouteName[];
  /** Retry-After sent with injected 429s and those of `rpmLimit` (seconds). */
  retryAfter?: string;
  /**
   * The account's own rate limit: at most this many requests let through in any `rpmWindowMs`
   * (a sliding window, as the real API's per-minute limit); the others get 429 with Retry-After.
   * 0 refuses every request on `rpmLimitRoutes`.
   */
  rpmLimit?: number;
  /** @unit milliseconds @default 60000 */
  rpmWindowMs?: number;
  /** Routes the rate limit counts and refuses; default every known route. */
  rpmLimitRoutes?: RouteName[];
  /** Error bodies quote the Authorization header back (to prove it is masked). */
  echoAuthorization?: boolean;
  /** What the LLM answers; receives the user message. */
  chatReply?: (user: string) => string;
}

export interface FakeApiStats {
  requests: Partial<Record<RouteName, number>>;
  maxInFlight: Partial<Record<RouteName, number>>;
  maxInFlightTotal: number;
  /** Arrival of every request, in performance.now() milliseconds. */
  arrivals: { route: RouteName; at: number }[];
  /** When the last answer was handed to its socket, in performance.now() milliseconds. */
  lastAnswerAt: number | undefined;
  /** The latency drawn for each request, in the order drawn (the benchmark's achievable span). @unit milliseconds */
  latencies: { route: RouteName; ms: number }[];
  failures: { route: RouteName; kind: FailureKind }[];
  /** 429s sent because of `rpmLimit`, and when (performance.now() milliseconds). */
  rateLimited: { route: RouteName; at: number }[];
  /** Requests the rate limit let through, and when. */
  admitted: { route: RouteName; at: number }[];
  /** Pictures answered so far (the n of `imageBase64`). */
  imagesServed: number;
  chatBodies: Record<string, unknown>[];
  imageBodies: Record<string, unknown>[];
  authorizations: (string | undefined)[];
}

export interface FakeApi {
  url: string;
  token: string;
  stats: FakeApiStats;
  /** The next requests on `route` (any failure route when omitted) fail with these kinds, in order. */
  failNext(kinds: FailureKind | FailureKind[], route?: RouteName): void;
  close(): Promise<void>;
}

const METHOD_NOT_FOUND: Reply = {
  status: 404,
  body: { result: 'error', error: { code: 'method_not_found', description: 'Method not found' } },
};
const UNAUTHORIZED: Reply = { status: 401, body: { result: 'error', error: { code: 'not_authorized', description: 'Unauthorized' } } };
const OPENAI_UNAUTHORIZED: Reply = {
  status: 401,
  body: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } },
};

export const FAKE_TOKEN = 'ik-test-token-6f1c2b9a7d4e';

// Starts the fake on 127.0.0.1 and a free port.
export async function startFakeApi(options: FakeApiOptions = {}): Promise<FakeApi> {
  const token = options.token ?? FAKE_TOKEN;
  // Two streams, so how many requests fail does not depend on the order latencies were drawn in.
  const random = seededRandom(options.seed ?? 1);
  const latencyRandom = seededRandom((options.seed ?? 1) ^ 0x5bd1e995);
  const failRoutes = options.failRoutes ?? GENERATION_ROUTES;
  const limitedRoutes = options.rpmLimitRoutes ?? KNOWN_ROUTES;
  const script: { kind: FailureKind; route?: RouteName | undefined }[] = [];
  const stats: FakeApiStats = {
    requests: {},
    maxInFlight: {},
    maxInFlightTotal: 0,
    arrivals: [],
    lastAnswerAt: undefined,
    latencies: [],
    failures: [],
    rateLimited: [],
    admitted: [],
    imagesServed: 0,
    chatBodies: [],
    imageBodies: [],
    authorizations: [],
  };
  const inFlight: Partial<Record<RouteName, number>> = {};
  let total = 0;
  const ctx = {
    products: options.products ?? DEFAULT_PRODUCTS,
    models: options.models ?? DEFAULT_MODELS,
    openaiModels: options.openaiModels ?? DEFAULT_OPENAI_MODELS,
    chatReply: options.chatReply ?? defaultChatReply,
    stats,
    imageBase64: options.imageBase64 ?? pngBase64,
    imageAnswer: options.imageAnswer,
  };

  // Counts the request and how many are in flight, per route and in all.
  const track = (route: RouteName, req: http.IncomingMessage, res: http.ServerResponse) => {
    stats.requests[route] = (stats.requests[route] ?? 0) + 1;
    stats.arrivals.push({ route, at: performance.now() });
    stats.authorizations.push(req.headers.authorization);
    inFlight[route] = (inFlight[route] ?? 0) + 1;
    stats.maxInFlight[route] = Math.max(stats.maxInFlight[route] ?? 0, inFlight[route]!);
    stats.maxInFlightTotal = Math.max(stats.maxInFlightTotal, ++total);
    // Done when the answer is handed to the socket ('finish'), or when the socket goes ('close')
    // for answers that never finish; 'close' alone lags the client, which already sent the next one.
    let done = false;
    const end = () => {
      if (done) return;
      done = true;
      inFlight[route]! -= 1;
      total -= 1;
    };
    res.once('finish', () => {
      stats.lastAnswerAt = performance.now();
      end();
    });
    res.once('close', end);
  };

  // The scripted failure for this route if any, else a random one at `failureRate`.
  const drawFailure = (route: RouteName): FailureKind | undefined => {
    if (!failRoutes.includes(route)) return undefined;
    const i = script.findIndex((f) => !f.route || f.route === route);
    if (i >= 0) return script.splice(i, 1)[0]!.kind;
    const pool = options.failureKinds ?? [];
    return random() < (options.failureRate ?? 0) && pool.length ? pool[Math.floor(random() * pool.length)] : undefined;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const route = routeOf(req.method ?? 'GET', url.pathname);
    track(route, req, res);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (options.rpmLimit !== undefined && limitedRoutes.includes(route)) {
      // Counted on arrival and refused at once, as a gateway in front of the API does.
      const at = performance.now();
      const windowMs = options.rpmWindowMs ?? 60_000;
      const recent = stats.admitted.filter((a) => a.at > at - windowMs).length;
      if (recent >= options.rpmLimit) {
        stats.rateLimited.push({ route, at });
        return injectFailure(429, {
          req,
          res,
          openai: route.startsWith('openai-'),
          image: false,
          retryAfter: options.retryAfter ?? '1',
          echoAuthorization: options.echoAuthorization,
        });
      }
      stats.admitted.push({ route, at });
    }
    const latency = options.routeLatency?.[route] ?? { latencyMs: options.latencyMs ?? 0, jitterMs: options.jitterMs };
    const drawn = latency.latencyMs + latencyRandom() * (latency.jitterMs ?? 0);
    stats.latencies.push({ route, ms: drawn });
    await wait(drawn);
    const openai = route.startsWith('openai-');
    const send = (r: Reply) => {
      res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers });
      res.end(r.raw ?? JSON.stringify(r.body));
    };
    if (route === 'unknown' || (route === 'openai-models' && options.openaiModelsRoute === false)) return send(METHOD_NOT_FOUND);
    // Authentication comes first, as on the real API; the OpenAI-style server may need no key.
    const expected = openai ? options.openaiKey : token;
    if ((!openai || expected !== undefined) && req.headers.authorization !== `Bearer ${expected}`)
      return send(openai ? OPENAI_UNAUTHORIZED : UNAUTHORIZED);
    const failure = drawFailure(route);
    if (failure !== undefined) {
      stats.failures.push({ route, kind: failure });
      return injectFailure(failure, {
        req,
        res,
        openai,
        image: route.endsWith('images'),
        retryAfter: options.retryAfter ?? '0',
        echoAuthorization: options.echoAuthorization,
      });
    }
    const pricing = url.searchParams.get('with')?.split(',').includes('pricing') ?? false;
    send(await answer(route, url.pathname, Buffer.concat(chunks).toString('utf8'), { ...ctx, pricing }));
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fake API bug: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    stats,
    failNext(kinds, route) {
      for (const kind of Array.isArray(kinds) ? kinds : [kinds]) script.push({ kind, route });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function routeOf(method: string, path: string): RouteName {
  const table: [string, RegExp, RouteName][] = [
    ['GET', /^\/1\/ai$/, 'products'],
    ['GET', /^\/1\/ai\/models$/, 'models'],
    ['GET', /^\/2\/ai\/[^/]+\/openai\/v1\/models$/, 'product-models'],
    ['POST', /^\/2\/ai\/[^/]+\/openai\/v1\/chat\/completions$/, 'chat'],
    ['POST', /^\/1\/ai\/[^/]+\/openai\/images\/generations$/, 'images'],
    ['GET', /^\/v1\/models$/, 'openai-models'],
    ['POST', /^\/v1\/chat\/completions$/, 'openai-chat'],
    ['POST', /^\/v1\/images\/generations$/, 'openai-images'],
  ];
  return table.find(([m, re]) => m === method && re.test(path))?.[2] ?? 'unknown';
}

type AnswerContext = Parameters<typeof answerChat>[2] & { products: FakeProduct[]; openaiModels: string[]; pricing: boolean };

async function answer(route: RouteName, path: string, raw: string, ctx: AnswerContext): Promise<Reply> {
  const productOk = () => ctx.products.some((p) => path.split('/')[3] === String(p.product_id));
  const notFound: Reply = { status: 404, body: { result: 'error', error: { code: 'object_not_found', description: 'Object not found' } } };
  switch (route) {
    case 'products':
      return { status: 200, body: { result: 'success', data: ctx.products } };
    case 'models':
      return { status: 200, body: { result: 'success', data: ctx.pricing ? ctx.models : ctx.models.map(({ prices: _, ...m }) => m) } };
    case 'product-models':
      return productOk()
        ? {
            status: 200,
            body: { object: 'list', data: ctx.models.filter((m) => m.type === 'llm').map((m) => ({ id: m.name, object: 'model' })) },
          }
        : notFound;
    case 'openai-models':
      return { status: 200, body: { object: 'list', data: ctx.openaiModels.map((id) => ({ id, object: 'model', owned_by: 'system' })) } };
    case 'chat':
    case 'openai-chat':
      if (route === 'chat' && !productOk()) return notFound;
      return answerChat(raw, route === 'openai-chat', ctx);
    case 'images':
    case 'openai-images':
      if (route === 'images' && !productOk()) return notFound;
      return answerImage(raw, route === 'openai-images', ctx);
    default:
      throw new Error(`fake API: no answer for ${route}`);
  }
}
