// The ways the fake API fails on purpose: error statuses in either dialect, a reset socket,
// an answer that never comes, cut or non-JSON bodies, and a 200 whose picture does not decode.
import type http from 'node:http';
import { envelope, openAiError } from './fake-api-data.js';

export type FailureKind =
  | 400
  | 401
  | 403
  | 404
  | 408
  | 409
  | 422
  | 429
  | 500
  | 502
  | 503
  | 'reset'
  | 'hang'
  | 'truncated'
  | 'half-json'
  | 'non-json'
  | 'bad-image';

/** Every failure the client must retry. */
export const RETRIED_FAILURES: FailureKind[] = [
  408,
  409,
  429,
  500,
  502,
  503,
  'reset',
  'hang',
  'truncated',
  'half-json',
  'non-json',
  'bad-image',
];

const STATUS_BODIES: Record<number, [code: string, description: string]> = {
  400: ['bad_request', 'The request is malformed'],
  401: ['not_authorized', 'Unauthorized'],
  403: ['forbidden', 'Access to this product is denied'],
  404: ['object_not_found', 'Object not found'],
  408: ['request_timeout', 'Request timeout'],
  409: ['conflict', 'A concurrent request holds the lock'],
  422: ['validation_failed', 'Validation failed'],
  429: ['too_many_requests', 'Rate limit exceeded'],
  500: ['internal_error', 'Internal server error'],
  502: ['bad_gateway', 'Bad gateway'],
  503: ['service_unavailable', 'Service unavailable'],
};

export interface FailureTarget {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  /** Answer in OpenAI's error dialect rather than Infomaniak's envelope. */
  openai: boolean;
  /** The route generates images (so "bad-image" applies). */
  image: boolean;
  retryAfter: string;
  /** Quote the request's Authorization header in error messages, as careless servers do. */
  echoAuthorization?: boolean | undefined;
}

// Answers (or refuses to answer) a request with the given failure.
export function injectFailure(kind: FailureKind, t: FailureTarget): void {
  const { res } = t;
  if (typeof kind === 'number') {
    const [code, plain] = STATUS_BODIES[kind]!;
    const description = t.echoAuthorization ? `${plain} (request had Authorization: ${t.req.headers.authorization})` : plain;
    const details =
      kind === 422 ? [{ attribute: 'prompt', description: 'The prompt must not be greater than 400 characters.' }] : undefined;
    const body = t.openai ? openAiError(details?.[0]?.description ?? description, code) : envelope(code, description, details);
    res.writeHead(kind, { 'content-type': 'application/json', ...(kind === 429 ? { 'retry-after': t.retryAfter } : {}) });
    res.end(JSON.stringify(body));
    return;
  }
  const full = JSON.stringify({
    created: 1,
    data: [{ b64_json: Buffer.from('not an image at all').toString('base64'), revised_prompt: '' }],
  });
  switch (kind) {
    case 'reset':
      t.req.socket.destroy();
      return;
    case 'hang':
      // Never answer; the client's timeout must end it.
      return;
    case 'truncated':
      // Promise the whole body, send half, drop the connection.
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(full)) });
      res.write(full.slice(0, full.length >> 1), () => t.req.socket.destroy());
      return;
    case 'non-json':
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      return;
    case 'bad-image':
    case 'half-json':
      // An LLM answer has no picture: a bad image there is a cut-off body instead.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(kind === 'bad-image' && t.image ? full : full.slice(0, full.length >> 1));
      return;
  }
}
