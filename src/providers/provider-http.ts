// The HTTP client of one provider run, set up from the config: one rate limiter shared by
// prompt and image calls, the per-attempt timeout and the retry budget.
import type { Config } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import { createHttpClient, type HttpClient, type HttpClientOptions } from './http.js';
import { createRateLimiter, type RateLimiter } from './rate-limiter.js';

/** What tests (and the benchmark) may replace: the network, the waits, the jitter, the debug log. */
export type HttpOverrides = Pick<HttpClientOptions, 'transport' | 'sleep' | 'random' | 'log'> & {
  /** The rate limiter's window; tests shrink the minute so `rpm` can be observed quickly. @unit milliseconds */
  rateWindowMs?: number | undefined;
  /**
   * Makes the provider's rpm limiter instead of the in-process one: queue workers share one limiter
   * on Redis, so the rpm holds across every worker and every retry (src/queue/redis-rate-limiter.ts).
   */
  createLimiter?: ((options: { rpm: number; windowMs: number | undefined; baseUrl: string; timeoutMs: number }) => RateLimiter) | undefined;
};

export interface Endpoint {
  baseUrl: string;
  token?: string | undefined;
  hints?: HttpClientOptions['hints'];
}

/** The config keys the HTTP client reads; rateLimitWaitMinutes defaults to 10 when absent. */
export type HttpConfig = Pick<Config, 'rpm' | 'timeoutSeconds' | 'maxRetries'> & Partial<Pick<Config, 'rateLimitWaitMinutes'>>;

// Creates the provider's HTTP client with its own rpm limiter.
export function createProviderHttp(config: HttpConfig, endpoint: Endpoint, overrides: HttpOverrides = {}): HttpClient {
  const { rateWindowMs, createLimiter, ...http } = overrides;
  const rpm = config.rpm;
  const timeoutMs = config.timeoutSeconds * 1000;
  return createHttpClient({
    ...http,
    ...endpoint,
    timeoutMs,
    maxRetries: config.maxRetries,
    rateLimitWaitMs: config.rateLimitWaitMinutes === undefined ? undefined : config.rateLimitWaitMinutes * 60_000,
    limiter: createLimiter
      ? createLimiter({ rpm, windowMs: rateWindowMs, baseUrl: endpoint.baseUrl, timeoutMs })
      : createRateLimiter({ rpm, windowMs: rateWindowMs }),
  });
}

// Checks a base URL from the environment; a typo here would otherwise surface as a connection error.
export function validateBaseUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name}: expected an http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ConfigError(`${name}: expected an http(s) URL, got ${JSON.stringify(value)}`);
  if (url.username || url.password) throw new ConfigError(`${name}: put credentials in the token variable, not in the URL`);
  // URL parsing drops tabs and line breaks silently, but the value itself is what requests are built from.
  if (/[\u0000-\u0020\u007f]/.test(value))
    throw new ConfigError(`${name}: expected one http(s) URL without spaces or control characters, got ${JSON.stringify(value)}`);
  return value.replace(/\/+$/, '');
}
