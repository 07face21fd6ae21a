// The provider's rpm limit, kept in Redis so that it holds across every worker process and
// machine: the same sliding window and AIMD rules as providers/rate-limiter.ts, with one clock
// (Redis TIME), taken per HTTP attempt (http.ts calls acquire before every attempt, retries and
// post-429 re-sends included). BullMQ's own limiter counts job starts, not requests, so it is not used.
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { arrivalBound, defaultSleep, TRANSIT_MS, type Permit, type RateLimiter } from '../providers/rate-limiter.js';

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
  /** One attempt's timeout (timeoutSeconds), for the in-flight lease (`leaseOf`). @unit milliseconds */
  timeoutMs: number;
  /** See TRANSIT_MS (providers/rate-limiter.ts). @unit milliseconds */
  transitMs?: number | undefined;
  /** Called when Redis cannot be reached: the caller retries after a short wait. */
  onError?: ((error: unknown) => void) | undefined;
}

// KEYS: ended (zset: member → the latest time the API can have received it), inflight (zset: member →
// lease deadline), state (hash). ARGV: window, configured rpm, member, lease, poll.
// Returns {wait, now, gen, rate}: wait 0 = admitted (the member is in flight until SETTLE or its lease ends).
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local configured = tonumber(ARGV[2])
-- A request whose worker never said it ended (killed, or stalled past its lease) is counted
-- from its lease deadline on, as if it had ended then.
local lapsed = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'WITHSCORES')
for i = 1, #lapsed, 2 do redis.call('ZADD', KEYS[1], lapsed[i + 1], lapsed[i]) end
if #lapsed > 0 then redis.call('PEXPIRE', KEYS[1], window * 2) end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local st = redis.call('HMGET', KEYS[3], 'rate', 'gen', 'pausedUntil', 'lastStart')
local rate = math.min(tonumber(st[1]) or configured, configured)
local gen = tonumber(st[2]) or 0
local wait = (tonumber(st[3]) or 0) - now
local ended = redis.call('ZCARD', KEYS[1])
local excess = ended + redis.call('ZCARD', KEYS[2]) - rate
if excess >= 0 then
  if excess < ended then
    local s = redis.call('ZRANGE', KEYS[1], excess, excess, 'WITHSCORES')
    wait = math.max(wait, tonumber(s[2]) + window - now)
  else
    -- Only requests in flight can free a place, once they end: look again shortly.
    wait = math.max(wait, tonumber(ARGV[5]))
  end
end
if rate < configured and st[4] then
  wait = math.max(wait, tonumber(st[4]) + math.floor(window / rate) - now)
end
if wait <= 0 then
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[3])
  redis.call('HSET', KEYS[3], 'lastStart', now)
  redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[4]) * 2)
  redis.call('PEXPIRE', KEYS[3], 86400000)
  return {0, now, gen, rate}
end
return {math.ceil(wait), now, gen, rate}
`;

// KEYS: ended, inflight. ARGV: member, window, offset, transit. The request ended: counted from the
// latest time the API can have received it, Redis TIME + offset, where offset is arrivalBound
// (providers/rate-limiter.ts) taken at 0: the bound moves with the clock it is read on.
const SETTLE = `
local t = redis.call('TIME')
-- Rounded up: the answer was in before this millisecond ends.
local now = tonumber(t[1]) * 1000 + math.ceil(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
local at = now + tonumber(ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[1])
if at > now - window then
  redis.call('ZADD', KEYS[1], at, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], window * 2 + tonumber(ARGV[4]))
end
return at
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
export function limiterKeys(prefix: string, scope: string): { ended: string; inflight: string; state: string } {
  const id = createHash('sha256').update(scope).digest('hex').slice(0, 16);
  return { ended: `${prefix}:rl:${id}:ended`, inflight: `${prefix}:rl:${id}:inflight`, state: `${prefix}:rl:${id}:state` };
}

/**
 * How long a request may stay counted as in flight without its worker saying it ended: its
 * timeout, a window and the transit. Past it the worker is taken for dead (kill -9) and the
 * request is counted from then on, as if it had ended then.
 */
export function leaseOf(timeoutMs: number, windowMs: number, transitMs = TRANSIT_MS): number {
  return Math.ceil(timeoutMs + windowMs + transitMs);
}

export function createRedisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  const { redis, rpm } = options;
  if (!Number.isInteger(rpm) || rpm < 1) throw new TypeError(`rpm: expected a positive integer, got ${rpm}`);
  const windowMs = options.windowMs ?? 60_000;
  const transitMs = options.transitMs ?? TRANSIT_MS;
  const leaseMs = leaseOf(options.timeoutMs, windowMs, transitMs);
  // While only requests in flight hold the places: how often to look again.
  const pollMs = Math.min(1000, Math.max(10, Math.floor(windowMs / rpm / 4)));
  const keys = limiterKeys(options.prefix, options.scope);
  // Each permit's member in the sorted sets.
  const members = new WeakMap<Permit, string>();
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
      const member = `${self}:${++seq}`;
      for (;;) {
        signal?.throwIfAborted();
        let answer: [number, number, number, number];
        try {
          answer = (await redis.eval(
            ACQUIRE,
            3,
            keys.ended,
            keys.inflight,
            keys.state,
            windowMs,
            rpm,
            member,
            leaseMs,
            pollMs,
          )) as typeof answer;
        } catch (error) {
          // Redis away: nothing is admitted (the rpm could not be kept); try again shortly.
          report(error);
          await defaultSleep(1000, signal);
          continue;
        }
        const [wait, now, generation, rate] = answer;
        current = rate;
        seenGeneration = generation;
        if (wait <= 0) {
          const permit: Permit = { startedAt: now, generation };
          members.set(permit, member);
          return permit;
        }
        // Jitter spreads workers that computed the same wait.
        await defaultSleep(wait + Math.floor(Math.random() * 5), signal);
      }
    },
    done(permit, end) {
      const member = members.get(permit);
      if (member === undefined) return;
      members.delete(permit);
      // Rounded up, as the time it stands for: never counted from earlier than it may have arrived.
      const offset = Math.ceil(arrivalBound(0, end, transitMs));
      // Not settled (Redis away): the lease ends it, later than need be but never too early.
      void redis.eval(SETTLE, 2, keys.ended, keys.inflight, member, windowMs, offset, transitMs).catch((error: unknown) => report(error));
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
