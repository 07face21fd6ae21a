// vitest globalSetup: one private redis-server for the whole run (see test/helpers/redis-server.ts).
// Its URL reaches the tests through inject('redisUrl'). Without redis-server installed the other
// tests still run; the queue tests then fail saying what to install.
import { execFileSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { startRedis, type RedisServer } from './helpers/redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** redis://127.0.0.1:PORT of the private instance, or '' when redis-server is not installed. */
    redisUrl: string;
  }
}

let server: RedisServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  let installed = true;
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
  } catch {
    installed = false;
  }
  server = installed ? await startRedis() : undefined;
  project.provide('redisUrl', server?.url ?? '');
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
