// Claims on cache keys across processes: <cacheDir>/claims/<hash>, a crash-safe lock file
// (lock-file.ts: O_EXCL, pid + host + time + token, heartbeat). The process that holds a key's
// claim generates it; others wait for the claim to go, then read the entry it wrote, so two runs
// (or schedules, or machines sharing the cache folder) never pay twice for one key. A claim whose
// owner died is taken over (dead pid on this host at once, a silent heartbeat after the stale bound
// elsewhere); waiting is abortable and bounded, after which the waiter generates the key itself.
import path from 'node:path';
import { mkdirBounded } from '../internal/fs-safe.js';
import { acquireLock, LOCK_STALE_MS } from '../internal/lock-file.js';

export interface Claim {
  /** True when another process held the key meanwhile: its entry may now be there. */
  readonly waited: boolean;
  release(): Promise<void>;
}

export interface ClaimOptions {
  /** How often a waiter looks again (ms). */
  claimPollMs?: number | undefined;
  /** The longest a waiter waits for one key before generating it itself (ms). */
  claimWaitMs?: number | undefined;
  /** A claim whose heartbeat is older than this is taken over, whoever holds it (ms). */
  claimStaleMs?: number | undefined;
  claimHeartbeatMs?: number | undefined;
}

const POLL_MS = 200;

export function createClaims(dir: string, options: ClaimOptions = {}) {
  const pollMs = options.claimPollMs ?? POLL_MS;
  const waitMs = options.claimWaitMs ?? LOCK_STALE_MS;
  const lockOptions = { staleMs: options.claimStaleMs, heartbeatMs: options.claimHeartbeatMs };
  return {
    async claim(_kind: string, hash: string, signal?: AbortSignal): Promise<Claim> {
      const file = path.join(dir, hash);
      const deadline = Date.now() + waitMs;
      let waited = false;
      for (;;) {
        signal?.throwIfAborted();
        let attempt: Awaited<ReturnType<typeof acquireLock>>;
        try {
          await mkdirBounded(dir);
          attempt = await acquireLock(file, lockOptions);
        } catch {
          // A cache folder we cannot write: no coordination, and the entry's write reports the problem.
          return { waited, release: async () => undefined };
        }
        if (attempt.acquired) return { waited, release: () => attempt.lock.release().catch(() => undefined) };
        if (Date.now() >= deadline) return { waited: true, release: async () => undefined };
        waited = true;
        await sleep(pollMs, signal);
      }
    },
  };
}

// Rejects with the signal's own reason ("stopped by SIGINT"), where node:timers/promises gives a bare AbortError.
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
