// The wire under http.ts: one request, one answer whose body streams. node:http(s) rather than
// fetch: an image answer is ~3.6 MB of base64, and fetch hands it over through web streams that
// cost ~2.8 ms of main-thread CPU per MB more than the socket's own chunks (measured: 200 answers,
// 1.67 s against 1.11 s of CPU) — CPU the fits of a batch need on a small machine.
// Compressed answers are inflated here, as fetch would, so callers only ever see the JSON.
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

export interface TransportRequest {
  method: string;
  headers: Record<string, string>;
  body: string | null;
  signal: AbortSignal;
  /**
   * Called when the request's last byte has been handed to the network (again for each redirect),
   * for the rate limiter's arrival bound. A transport that cannot tell (fetch) never calls it.
   */
  onSent?: (() => void) | undefined;
  /**
   * Called before a redirect is followed, once the 3xx answer has been read: `toOrigin` tells whether
   * the next hop goes to the first request's origin (the API, which counts it as another request).
   * The rate limiter's permit for that hop is taken here; a rejection ends the request with it.
   */
  onRedirect?: ((toOrigin: boolean) => Promise<void>) | undefined;
}

/** Header lookup by name, any case; repeated headers come joined with ", " (as fetch's Headers). */
export interface HeaderLookup {
  get(name: string): string | null;
}

export interface TransportResponse {
  status: number;
  ok: boolean;
  headers: HeaderLookup;
  /** The body as it arrives (inflated). Read it once: through this or through text(). */
  body: AsyncIterable<Uint8Array> | null;
  text(): Promise<string>;
}

/** A function shaped like fetch for what http.ts uses of it: a real fetch (as tests pass) fits. */
export type Transport = (url: string, init: TransportRequest) => Promise<TransportResponse>;

const DECODERS: Record<string, () => zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress> = {
  gzip: () => zlib.createGunzip(),
  'x-gzip': () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};

/** Redirects followed before the answer is returned as it is. */
const MAX_REDIRECTS = 5;

// The default transport: node:http or node:https by the URL's scheme, through their global
// agents (keep-alive; idle sockets do not hold the process open). The signal aborts the request
// and, once the answer has begun, its body: reading it then throws.
// Redirects that keep the method (307, 308; 301 and 302 of a GET) are followed, as fetch follows
// them, with the Authorization header dropped when they leave the origin; each hop is announced
// (onRedirect) before it is sent. A 303, or a 301/302 of a POST, would turn the request into a GET:
// it comes back as the answer it is, an error to report.
export const nodeTransport: Transport = async (url, init) => {
  let current = init;
  let target = new URL(url);
  const origin = target.origin;
  for (let hops = 0; ; hops++) {
    const res = await sendOnce(target, current);
    const location = res.headers.get('location');
    const keepsMethod =
      res.status === 307 || res.status === 308 || ((res.status === 301 || res.status === 302) && current.method === 'GET');
    const next = keepsMethod && location && hops < MAX_REDIRECTS ? safeUrl(location, target) : undefined;
    if (!next || (next.protocol !== 'https:' && next.protocol !== 'http:')) return res;
    await res.text().catch(() => undefined); // frees the socket for reuse
    await init.onRedirect?.(next.origin === origin);
    if (next.origin !== target.origin) {
      const { authorization: _dropped, ...headers } = current.headers;
      current = { ...current, headers };
    }
    target = next;
  }
};

function safeUrl(location: string, base: URL): URL | undefined {
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}

function sendOnce(target: URL, init: TransportRequest): Promise<TransportResponse> {
  return new Promise<TransportResponse>((resolve, reject) => {
    const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate, br', 'user-agent': 'slide-illustrate', ...init.headers };
    if (init.body !== null) headers['content-length'] = String(Buffer.byteLength(init.body));
    const request = (target.protocol === 'https:' ? https : http).request(
      target,
      { method: init.method, headers, signal: init.signal },
      (res) => {
        const encoding = String(res.headers['content-encoding'] ?? '')
          .trim()
          .toLowerCase();
        const decoder = DECODERS[encoding]?.();
        let body: Readable = res;
        if (decoder) {
          // Errors of either side end the body for its reader.
          res.on('error', (error) => decoder.destroy(error));
          res.on('close', () => {
            if (!res.complete) decoder.destroy(new Error('the connection closed before the answer ended'));
          });
          body = res.pipe(decoder);
        }
        const status = res.statusCode ?? 0;
        resolve({
          status,
          ok: status >= 200 && status < 300,
          headers: {
            get(name) {
              const key = name.toLowerCase();
              // The length on the wire is not the length of the inflated body.
              if (decoder && key === 'content-length') return null;
              const value = res.headers[key];
              return value === undefined ? null : Array.isArray(value) ? value.join(', ') : String(value);
            },
          },
          body,
          async text() {
            const chunks: Buffer[] = [];
            for await (const chunk of body) chunks.push(chunk as Buffer);
            return Buffer.concat(chunks).toString('utf8');
          },
        });
      },
    );
    request.on('error', reject);
    if (init.onSent) request.once('finish', init.onSent);
    request.end(init.body ?? undefined);
  });
}
