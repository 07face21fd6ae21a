// The private Redis of the test run (test/global-redis.ts) and a key prefix of one's own.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

export function testRedisUrl(): string {
  const url = inject('redisUrl');
  if (!url) throw new Error('the queue tests need redis-server: run bash scripts/test-deps.sh (Debian package redis-server)');
  return url;
}

/** A prefix no other test (or file running in parallel) uses. */
export function testPrefix(name: string): string {
  return `t-${name}-${randomBytes(4).toString('hex')}`;
}
