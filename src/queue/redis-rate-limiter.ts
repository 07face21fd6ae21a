// The provider's rpm limit, kept in Redis so that it holds across every worker process and
// machine: the same sliding window and AIMD rules as providers/rate-limiter.ts, with one clock
// (Redis TIME), taken per HTTP attempt (http.ts calls acquire before every attempt, retries and
// post-429 re-sends included). BullMQ's own limiter counts job starts, not requests, so it is not used.
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { defaultSleep, type Permit, type RateLimiter } from '../providers/rate-limiter.js';

export interface RedisRateLimiterOptions {
  redis: Redis;
  /** Key prefix (queue.prefix). */
  prefix: string;
  /** Requests allowed in any window (config rpm). */
  rpm: number;
  /** @default 60000 */
  windowMs?: number | undefined;
  /** The API the limit belongs to: one limiter per base URL. */
  scope: string;
  /** Called when Redis cannot be reached: the caller retries after a short wait. */
  onError?: ((error: unknown) => void) | undefined;
}

/**
 * The admission margin: a request is admitted in Redis and arrives at the API a little later, and
 * the one admitted a window earlier may have been delayed more (a busy event loop), so the window
 * is stretched by this much (2 %, 100 ms to 1 s): the API never sees rpm + 1 in its own window.
 * Measured on a loaded 2-core machine (load 8 to 12): 60 ms was not enough at a 6 s window (one 429 in 800).
 */
export function marginOf(windowMs: number): number {
  return Math.min(1000, Math.max(100, Math.round(windowMs * 0.02)));
}

// KEYS: starts (zset), state (hash). ARGV: window, configured rpm, member. Returns {wait, now, gen, rate}.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local configured = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local st = redis.call('HMGET', KEYS[2], 'rate', 'gen', 'pausedUntil')
local rate = math.min(tonumber(st[1]) or configured, configured)
local gen = tonumber(st[2]) or 0
local wait = (tonumber(st[3]) or 0) - now
local n = redis.call('ZCARD', KEYS[1])
if n >= rate then
  local s = redis.call('ZRANGE', KEYS[1], n - rate, n - rate, 'WITHSCORES')
  wait = math.max(wait, tonumber(s[2]) + window - now)
end
if rate < configured and n > 0 then
  local s = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  wait = math.max(wait, tonumber(s[2]) + math.floor(window / rate) - now)
end
if wait <= 0 then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window * 2)
  redis.call('PEXPIRE', KEYS[2], 86400000)
  return {0, now, gen, rate}
end
return {math.ceil(wait), now, gen, rate}
`;

// KEYS: state. ARGV: permit generation, configured rpm. Halves the rate once per generation.
const REFUSED = `
local gen = tonumber(redis.call('HGET', KEYS[1], 'gen')) or 0
if gen ~= tonumber(ARGV[1]) then return 0 end
local rate = tonumber(redis.call('HGET', KEYS[1], 'rate')) or tonumber(ARGV[2])
redis.call('HSET', KEYS[1], 'rate', math.max(1, math.floor(rate / 2)), 'gen', gen + 1, 'acceptedSince', 0)
return 1
`;

// KEYS: state. ARGV: configured rpm. After a window's worth of accepted requests the rate goes up by one.
const ACCEPTED = `
local configured = tonumber(ARGV[1])
local rate = tonumber(redis.call('HGET', KEYS[1], 'rate')) or configured
if rate >= configured then return 0 end
local a = redis.call('HINCRBY', KEYS[1], 'acceptedSince', 1)
if a >= rate then redis.call('HSET', KEYS[1], 'rate', rate + 1, 'acceptedSince', 0) end
return 1
`;

// KEYS: state. ARGV: ms. Every worker's next request waits until then (a 429's Retry-After).
const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local until_ = now + tonumber(ARGV[1])
local was = tonumber(redis.call('HGET', KEYS[1], 'pausedUntil')) or 0
if until_ > was then redis.call('HSET', KEYS[1], 'pausedUntil', until_) end
return until_
`;

/** The Redis keys of one API's limiter. */
export function limiterKeys(prefix: string, scope: string): { starts: string; state: string } {
  const id = createHash('sha256').update(scope).digest('hex').slice(0, 16);
  return { starts: `${prefix}:rl:${id}:starts`, state: `${prefix}:rl:${id}:state` };
}

export function createRedisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  const { redis, rpm } = options;
  if (!Number.isInteger(rpm) || rpm < 1) throw new TypeError(`rpm: expected a positive integer, got ${rpm}`);
  const windowMs = (options.windowMs ?? 60_000) + marginOf(options.windowMs ?? 60_000);
  const keys = limiterKeys(options.prefix, options.scope);
  const self = randomUUID();
  let seq = 0;
  let current = rpm;
  // The generation this process last saw, so its own log line after a 429 already shows the lowered rate.
  let seenGeneration = 0;
  const report = (error: unknown) => options.onError?.(error);
  const evalOf = (script: string, key: string, ...args: (string | number)[]) =>
    redis.eval(script, 1, key, ...args).catch((error: unknown) => report(error));

  return {
    async acquire(signal) {
      for (;;) {
        signal?.throwIfAborted();
        let answer: [number, number, number, number];
        try {
          answer = (await redis.eval(ACQUIRE, 2, keys.starts, keys.state, windowMs, rpm, `${self}:${++seq}`)) as typeof answer;
        } catch (error) {
          // Redis away: nothing is admitted (the rpm could not be kept); try again shortly.
          report(error);
          await defaultSleep(1000, signal);
          continue;
        }
        const [wait, now, generation, rate] = answer;
        current = rate;
        seenGeneration = generation;
        if (wait <= 0) return { startedAt: now, generation } satisfies Permit;
        // Jitter spreads workers that computed the same wait.
        await defaultSleep(wait + Math.floor(Math.random() * 5), signal);
      }
    },
    pause(ms) {
      void evalOf(PAUSE, keys.state, Math.ceil(ms));
    },
    refused(permit) {
      if (permit.generation === seenGeneration) {
        current = Math.max(1, Math.floor(current / 2));
        seenGeneration++;
      }
      void evalOf(REFUSED, keys.state, permit.generation, rpm);
    },
    accepted() {
      if (current < rpm) void evalOf(ACCEPTED, keys.state, rpm);
    },
    get rpm() {
      return current;
    },
    configuredRpm: rpm,
  };
}
