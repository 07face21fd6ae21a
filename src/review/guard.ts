// Who may talk to the review server (pure): the page is served on 127.0.0.1 only, and a request is
// let through only when it carries the run's secret in its path, names this server in its Host
// header (a DNS-rebinding page names its own host), and, when it comes from a page, that page is
// ours (Origin). A request that changes anything (POST) must say where it comes from.
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** 24 random bytes, URL-safe: what a page must know to read or change anything. */
export function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

export interface GuardRequest {
  method: string;
  /** The request target as sent: path and query. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

export type GuardResult = { ok: true; path: string } | { ok: false; status: 403 | 405; why: string };

/** The server's address and secret; `port` is the one it listens on. */
export interface GuardOptions {
  secret: string;
  port: number;
}

// Checks a request; on success, `path` is what follows `/s/<secret>` ("" for none), query dropped.
export function checkRequest(req: GuardRequest, options: GuardOptions): GuardResult {
  const allowedHosts = new Set([`127.0.0.1:${options.port}`, `localhost:${options.port}`]);
  const host = header(req, 'host');
  if (!host || !allowedHosts.has(host.toLowerCase())) return refuse('foreign Host');
  const origin = header(req, 'origin');
  if (origin !== undefined && !allowedHosts.has(originHost(origin))) return refuse('foreign Origin');
  // Fetch metadata: a cross-site page embedding or fetching us (even with the secret) is refused.
  const site = header(req, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return refuse('cross-site request');
  const rest = pathAfterSecret(req.url, options.secret);
  if (rest === undefined) return refuse('missing or wrong secret');
  if (req.method === 'POST') {
    // Browsers send Origin with every POST; a request without one did not come from our page.
    if (origin === undefined) return refuse('POST without Origin');
    if (!/^application\/json\b/i.test(header(req, 'content-type') ?? '')) return refuse('POST body is not JSON');
  } else if (req.method !== 'GET' && req.method !== 'HEAD') return { ok: false, status: 405, why: `method ${req.method}` };
  return { ok: true, path: rest };
}

/** The URL a person opens: the secret is the first path segment. */
export function pageUrl(port: number, secret: string): string {
  return `http://127.0.0.1:${port}/s/${secret}/`;
}

// --- internal ---

function refuse(why: string): GuardResult {
  return { ok: false, status: 403, why };
}

function header(req: GuardRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** "http://127.0.0.1:4000" → "127.0.0.1:4000"; anything but plain http on a host:port → "". */
function originHost(origin: string): string {
  const m = /^http:\/\/([^/]+)$/i.exec(origin.trim());
  return m ? m[1]!.toLowerCase() : '';
}

/** `/s/<secret>/rest?query` → "/rest"; undefined when the secret is missing or wrong (compared in constant time). */
function pathAfterSecret(url: string, secret: string): string | undefined {
  const m = /^\/s\/([^/?#]*)(\/[^?#]*)?(?:[?#].*)?$/.exec(url);
  if (!m) return undefined;
  const given = Buffer.from(m[1]!);
  const expected = Buffer.from(secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return m[2] ?? '';
}
