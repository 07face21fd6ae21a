// Outputs appear whole or not at all: write a temp file beside the target, then rename.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { lstat, open, readdir, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import { FsSafetyError } from '../errors.js';
import { describeType, mkdirBounded } from './fs-safe.js';
import { isProcessAlive } from './pid.js';

/** `.<name>.<pid>.<8 hex>.tmp`: the pid tells a crashed writer's leftovers from a live one's. */
const TEMP_NAME = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/;

// Writes `data` to `file` through a temp file and a rename, so readers never see half a file.
// A stream is written as it is produced; if it fails, the temp file goes and `file` is untouched.
// Only a regular file (or a symlink, which the rename replaces, not its target) is ever replaced:
// a device node, FIFO or socket at `file` is refused, so `--out /dev/null` cannot destroy it.
// An array of chunks is written in order, as one file.
export async function writeFileAtomic(
  file: string,
  data: Uint8Array | string | readonly Uint8Array[] | NodeJS.ReadableStream,
): Promise<void> {
  await assertReplaceable(file);
  await mkdirBounded(path.dirname(file));
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    if (typeof data === 'string' || data instanceof Uint8Array || Array.isArray(data)) await writeFile(tmp, data);
    else await pipeline(data, createWriteStream(tmp, { highWaterMark: 1024 * 1024 }));
    await assertReplaceable(file);
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** A temp file beside its target, written through `handle`; commit() renames it into place, abort() removes it. */
export interface AtomicFile {
  readonly handle: FileHandle;
  /** Closes the handle and renames the temp file onto the target; on failure the temp file goes. */
  commit(): Promise<void>;
  /** Closes the handle and removes the temp file; safe after commit() and twice. */
  abort(): Promise<void>;
}

// Opens the temp file of `file` for a writer that fills it over time (the deck writer streams a
// deck's parts as its slides finish). The same checks and names as writeFileAtomic.
export async function openAtomicFile(file: string): Promise<AtomicFile> {
  await assertReplaceable(file);
  await mkdirBounded(path.dirname(file));
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', 0o666);
  let state: 'open' | 'committed' | 'aborted' = 'open';
  const abort = async () => {
    if (state !== 'open') return;
    state = 'aborted';
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
  };
  return {
    handle,
    abort,
    async commit() {
      if (state !== 'open') throw new Error(`${file}: the temp file was already ${state}`);
      try {
        await handle.close();
        await assertReplaceable(file);
        await rename(tmp, file);
        state = 'committed';
      } catch (error) {
        state = 'open';
        await abort();
        throw error;
      }
    },
  };
}

async function assertReplaceable(file: string): Promise<void> {
  const existing = await lstat(file).catch(() => undefined);
  if (existing && !existing.isFile() && !existing.isSymbolicLink()) {
    throw new FsSafetyError(file, `is ${describeType(existing)}; only a regular file is ever replaced`, 'ENOTREG');
  }
}

// Removes temp files that writers killed mid-write (SIGKILL, power loss) left in `dir`; returns how many.
// Only files whose writer process is gone are touched, so a concurrent live writer is never disturbed.
export async function removeStaleTemps(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m || isProcessAlive(Number(m[2]))) continue;
    await rm(path.join(dir, name), { force: true });
    removed++;
  }
  return removed;
}
