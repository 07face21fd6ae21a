// Errors from an AI backend. Messages name the method and path (never the host's credentials):
// `POST /1/ai/42/openai/images/generations: 422 validation_failed: The prompt must not be …`.
import { SlideIllustrateError } from '../errors.js';

/** What went wrong, which decides whether the request is worth repeating. */
export type ProviderErrorKind = 'status' | 'timeout' | 'connection' | 'invalid-response' | 'invalid-request';

export interface ProviderErrorDetails {
  method: string;
  path: string;
  kind: ProviderErrorKind;
  /** True when the same request may succeed if sent again. */
  retryable: boolean;
  status?: number | undefined;
  /** The API's own error code ("validation_failed", "not_authorized", "rate_limit_exceeded" …). */
  code?: string | undefined;
  /** From the `x-request-id` header, for support tickets. */
  requestId?: string | undefined;
  /** Server-requested wait before the next attempt, in milliseconds. */
  retryAfterMs?: number | undefined;
}

export class ProviderError extends SlideIllustrateError {
  override name = 'ProviderError';
  constructor(
    message: string,
    readonly details: ProviderErrorDetails,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
  get status(): number | undefined {
    return this.details.status;
  }
  get code(): string | undefined {
    return this.details.code;
  }
  get requestId(): string | undefined {
    return this.details.requestId;
  }
  get retryable(): boolean {
    return this.details.retryable;
  }
}

/** 401/403: the token is missing, wrong or lacks rights. A usage problem: exit 2. */
export class ProviderAuthError extends ProviderError {
  override name = 'ProviderAuthError';
  override readonly exitCode = 2;
}

export interface ParsedErrorBody {
  code?: string | undefined;
  message: string;
}

// Reads Infomaniak's `{result:"error", error:{code, description, errors[]}}` and OpenAI's `{error:{message, code|type}}`.
export function parseErrorBody(body: unknown, raw: string): ParsedErrorBody {
  const rec = asRecord(body);
  const err = rec?.['error'];
  if (typeof err === 'string') return { message: err };
  const e = asRecord(err);
  if (e) {
    const code = stringOf(e['code']) ?? stringOf(e['type']);
    // Validation failures carry the useful text in the nested list, the top description is generic.
    const nested = Array.isArray(e['errors'])
      ? e['errors'].map((x) => stringOf(asRecord(x)?.['description'])).filter((x): x is string => !!x)
      : [];
    const message = nested.length ? nested.join('; ') : (stringOf(e['description']) ?? stringOf(e['message']) ?? JSON.stringify(err));
    return { code, message };
  }
  const top = stringOf(rec?.['message']) ?? stringOf(rec?.['description']);
  if (top) return { code: stringOf(rec?.['code']), message: top };
  if (rec && !Object.keys(rec).length) return { message: '(no details)' };
  // HTML error pages from proxies: keep their words, drop the markup.
  const text = raw
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return { message: text ? text.slice(0, 200) : '(empty body)' };
}

const STATUS_TEXT: Record<number, string> = {
  400: 'bad request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not found',
  408: 'request timeout',
  409: 'conflict',
  422: 'unprocessable',
  429: 'too many requests',
};

export interface StatusErrorInput {
  method: string;
  path: string;
  status: number;
  body: unknown;
  raw: string;
  retryable: boolean;
  requestId?: string | undefined;
  retryAfterMs?: number | undefined;
  /** A hint for the user, per status ("check INFOMANIAK_API_TOKEN"). */
  hint?: string | undefined;
}

// Builds the error for a non-2xx answer; 401 and 403 become ProviderAuthError.
export function errorFromStatus(input: StatusErrorInput): ProviderError {
  const parsed = parseErrorBody(input.body, input.raw);
  const code = parsed.code ?? STATUS_TEXT[input.status] ?? (input.status >= 500 ? 'server error' : undefined);
  const message = `${input.method} ${input.path}: ${input.status}${code ? ` ${code}` : ''}: ${parsed.message}${input.hint ? ` (${input.hint})` : ''}`;
  const details: ProviderErrorDetails = {
    method: input.method,
    path: input.path,
    kind: 'status',
    retryable: input.retryable,
    status: input.status,
    code: parsed.code,
    requestId: input.requestId,
    retryAfterMs: input.retryAfterMs,
  };
  return input.status === 401 || input.status === 403 ? new ProviderAuthError(message, details) : new ProviderError(message, details);
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function stringOf(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim()) return v.trim();
  if (typeof v === 'number') return String(v);
  return undefined;
}
