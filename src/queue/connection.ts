// Where the queues live (queue.redis or REDIS_URL, and the key prefix), and the connections to it.
// bullmq and ioredis are loaded here, on first use, so the local commands never load them.
import type { Redis, RedisOptions } from 'ioredis';
import type { Config } from '../config/schema.js';
import { messageOf, UsageError } from '../errors.js';
import { readEnv } from '../internal/env.js';

export interface QueueSettings {
  /** redis:// or rediss:// URL (may hold a password: print it only through `shownUrl`). */
  url: string;
  /** BullMQ's key prefix: every key of the queues, the run records and the shared limiter starts with it. */
  prefix: string;
}

/** The queue's Redis: REDIS_URL wins over the config's queue.redis; neither is a usage error. */
export function queueSettings(config: Pick<Config, 'queue'>, env: NodeJS.ProcessEnv): QueueSettings {
  const fromEnv = readEnv(env, 'REDIS_URL');
  const url = fromEnv ?? config.queue.redis ?? undefined;
  if (url === undefined)
    throw new UsageError('no Redis for the queue: set REDIS_URL or "queue.redis" in the config (see README, "Scaling out")');
  if (!/^rediss?:\/\/\S+$/.test(url))
    throw new UsageError(`${fromEnv ? 'REDIS_URL' : 'queue.redis'}: expected a redis:// or rediss:// URL`);
  return { url, prefix: config.queue.prefix };
}

/** The URL without its password, for messages. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return 'the Redis URL';
  }
}

type BullMq = typeof import('bullmq');
interface QueueLibraries {
  bullmq: BullMq;
  Redis: typeof Redis;
}

let loaded: Promise<QueueLibraries> | undefined;

/** bullmq and ioredis, imported on first use. */
export function queueLibraries(): Promise<QueueLibraries> {
  loaded ??= Promise.all([import('bullmq'), import('ioredis')]).then(([bullmq, ioredis]) => ({
    bullmq: bullmq as BullMq,
    Redis: (ioredis as { Redis: typeof Redis }).Redis,
  }));
  return loaded;
}

export async function newRedis(url: string, options: RedisOptions): Promise<Redis> {
  const { Redis: RedisClass } = await queueLibraries();
  return new RedisClass(url, options);
}

// A client for the commands that must answer at once (submit, status): connects once, within
// 2 s, or throws one line (exit 2); then checks the server like checkServer.
export async function connectOnce(settings: QueueSettings): Promise<Redis> {
  const client = await newRedis(settings.url, {
    lazyConnect: true,
    connectTimeout: 2000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  // Without a listener ioredis prints "Unhandled error event" for every failed attempt; it also has the real cause.
  let cause: unknown;
  client.on('error', (error) => (cause ??= error));
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw new UsageError(`redis: cannot reach ${shownUrl(settings.url)} (${reasonOf(cause ?? error)}); is redis-server running there?`);
  }
  try {
    await checkServer(client, settings);
  } catch (error) {
    client.disconnect();
    throw error;
  }
  return client;
}

// BullMQ only warns when Redis may evict keys; an evicted lock or job loses work silently, so we refuse.
export async function checkServer(client: Redis, settings: QueueSettings): Promise<void> {
  const memory = await client.info('memory');
  const policy = /^maxmemory_policy:(\S+)/m.exec(memory)?.[1];
  if (policy !== undefined && policy !== 'noeviction')
    throw new UsageError(
      `redis: ${shownUrl(settings.url)} runs with maxmemory-policy ${policy}; ` +
        'the queue needs noeviction (redis-server --maxmemory-policy noeviction)',
    );
  const server = await client.info('server');
  const version = /^redis_version:(\d+)\.(\d+)/m.exec(server);
  if (version && Number(version[1]) < 6)
    throw new UsageError(`redis: ${shownUrl(settings.url)} is Redis ${version[1]}.${version[2]}; BullMQ needs 6.2 or later`);
}

/** ECONNREFUSED, ETIMEDOUT, NOAUTH …: the short reason of a connection error. */
export function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  const message = messageOf(error);
  return /timed? ?out/i.test(message) ? 'timed out' : message.split('\n')[0]!.slice(0, 120);
}
