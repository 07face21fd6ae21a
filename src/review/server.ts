// The review server: node:http on 127.0.0.1, a random port unless one is asked for, and a secret
// per run in every path. Each request passes the guard (guard.ts) before any route sees it; routes
// (routes.ts) answer from the review session, one change at a time.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkRequest, newSecret, pageUrl } from './guard.js';
import { routeRequest, type ReviewRoutes, type Reply } from './routes.js';

/** Largest POST body read (bytes): a prompt is a few hundred characters. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Headers on every answer: nothing loaded from elsewhere, never framed, never cached, no Referer (the URL holds the secret). */
export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};

export interface ReviewServerOptions {
  /** 0 (default): a free port chosen by the system. */
  port?: number | undefined;
  /** Default: a new random secret (tests pass their own). */
  secret?: string | undefined;
  /** A request refused (status and why), for --debug. */
  onRefused?: ((status: number, why: string, url: string) => void) | undefined;
}

export interface ReviewServer {
  /** The page's URL, secret included. */
  url: string;
  port: number;
  secret: string;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

// Starts serving `routes` on 127.0.0.1.
export async function startReviewServer(routes: ReviewRoutes, options: ReviewServerOptions = {}): Promise<ReviewServer> {
  const secret = options.secret ?? newSecret();
  let port = 0;
  const server = http.createServer((req, res) => {
    void answer(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, { status: 500, type: 'text/plain; charset=utf-8', body: `internal error: ${String(error)}` });
      else res.destroy();
    });
  });
  const answer = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const method = req.method ?? 'GET';
    const checked = checkRequest({ method, url: req.url ?? '/', headers: req.headers }, { secret, port });
    if (!checked.ok) {
      options.onRefused?.(checked.status, checked.why, req.url ?? '');
      req.resume();
      return send(res, {
        status: checked.status,
        type: 'text/plain; charset=utf-8',
        body: `${checked.status === 403 ? 'forbidden' : 'method not allowed'}\n`,
      });
    }
    const body = method === 'POST' ? await readBody(req) : undefined;
    if (body === null) return send(res, { status: 413, type: 'text/plain; charset=utf-8', body: 'request body too large\n' });
    const reply = await routeRequest(routes, { method, path: checked.path, body, base: `/s/${secret}/` });
    send(res, reply, method === 'HEAD');
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: pageUrl(port, secret),
    port,
    secret,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// --- internal ---

function send(res: http.ServerResponse, reply: Reply, headOnly = false): void {
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
  res.writeHead(reply.status, {
    ...SECURITY_HEADERS,
    ...(reply.location !== undefined && { location: reply.location }),
    'content-type': reply.type,
    'content-length': String(body.length),
  });
  res.end(headOnly ? undefined : body);
}

/** The body as text, or null when it is larger than MAX_BODY_BYTES. */
async function readBody(req: http.IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
