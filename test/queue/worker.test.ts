// A worker started before its Redis: it says so once, retries with backoff, and starts when Redis comes.
import { spawn } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { binPath, tempDir } from '../helpers/paths.js';
import { freePort, startRedis } from '../helpers/redis-server.js';
import { waitFor } from '../helpers/run-cli.js';

describe('a worker and its Redis', () => {
  test('Redis not there yet: one "unreachable, retrying" line, then "reconnected" and work; SIGTERM exits 0', async () => {
    const port = await freePort();
    const dir = await tempDir('si-worker-wait-');
    const child = spawn(process.execPath, [binPath, 'worker'], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', REDIS_URL: `redis://127.0.0.1:${port}` },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | NodeJS.Signals>((resolve) => child.on('close', (code, signal) => resolve(signal ?? code ?? 1)));
    try {
      await waitFor(() => /unreachable \(ECONNREFUSED\), retrying/.test(err), 15_000, `the retry line: ${err}`);
      const redis = await startRedis([], port);
      try {
        await waitFor(() => err.includes('worker started'), 30_000, `the worker to start: ${err}`);
        expect(err).toMatch(/redis: reconnected/);
        // Said once per outage, not once per attempt.
        expect(err.match(/unreachable/g)).toHaveLength(1);
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      } finally {
        await redis.stop();
      }
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
