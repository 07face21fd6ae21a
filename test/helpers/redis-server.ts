// A private redis-server for the tests (issue 15): loopback, a free port, no persistence,
// noeviction, its own temporary folder; started by vitest's globalSetup and stopped at teardown,
// so `npm test` and .ci/run never depend on a Redis someone started by hand. Test files share it
// and keep apart by key prefix (queue.prefix).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts redis-server; `extra` adds flags (e.g. another maxmemory-policy). Retries on a port taken meanwhile. */
export async function startRedis(extra: string[] = [], fixedPort?: number): Promise<RedisServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'si-redis-'));
  for (let attempt = 1; ; attempt++) {
    const port = fixedPort ?? (await freePort());
    const child = spawn(
      'redis-server',
      [
        ...['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'],
        ...['--maxmemory-policy', 'noeviction', '--dir', dir, '--protected-mode', 'yes', '--loglevel', 'warning'],
        ...extra,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let log = '';
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const started = await untilPing(port, child);
    if (started) {
      return {
        url: `redis://127.0.0.1:${port}`,
        port,
        stop: async () => {
          await stopChild(child);
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    await stopChild(child);
    if (attempt >= 3) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`redis-server did not start (install Debian's redis-server: bash scripts/test-deps.sh): ${log.trim().slice(-400)}`);
    }
  }
}

async function untilPing(port: number, child: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + 5000;
  let exited = false;
  child.once('exit', () => (exited = true));
  child.once('error', () => (exited = true));
  while (Date.now() < deadline && !exited) {
    if (await ping(port)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(500);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => {
      socket.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await gone;
  clearTimeout(timer);
}
