// A deck's pictures wait for its write on disk, not in memory. Each picture is deflated as soon as
// it is fitted (deflated-part.ts); held in memory, a 200-slide deck's 28 MB of them made the peak
// of the whole run, just when the package is written. Here they go to one temporary file, and the
// write reads each back as its zip entry is reached: one picture in memory at a time.
// The file is unlinked as soon as it is opened (POSIX; Windows deletes it once closed), so a run
// that is killed leaves nothing behind.
import { randomBytes } from 'node:crypto';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Where one spooled picture lies in the spool file. */
export interface SpooledRange {
  readonly offset: number;
  readonly length: number;
}

export interface MediaSpool {
  /** Appends `bytes`; the range reads them back. */
  add(bytes: Buffer): Promise<SpooledRange>;
  read(range: SpooledRange): Promise<Buffer>;
  /** Ends the spool; reading after it fails. Safe to call twice. */
  close(): Promise<void>;
}

// Opens a spool in `dir` (the system's temporary folder by default). Undefined when no file can be
// made there: the pictures then stay in memory, as they always could.
export async function openMediaSpool(dir = os.tmpdir()): Promise<MediaSpool | undefined> {
  const file = path.join(dir, `slide-illustrate-media-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle;
  try {
    handle = await open(file, 'wx+', 0o600);
  } catch {
    return undefined;
  }
  let unlinked = await unlink(file).then(
    () => true,
    () => false,
  );
  let size = 0;
  let closed = false;
  const writes = new Set<Promise<unknown>>();
  return {
    async add(bytes) {
      if (closed) throw new Error('media spool: add after close');
      // The range is reserved before the write starts, so concurrent adds never overlap.
      const range = { offset: size, length: bytes.length };
      size += bytes.length;
      const writing = handle.write(bytes, 0, bytes.length, range.offset);
      writes.add(writing);
      try {
        const { bytesWritten } = await writing;
        if (bytesWritten !== bytes.length) throw new Error(`media spool: short write (${bytesWritten} of ${bytes.length} bytes)`);
      } finally {
        writes.delete(writing);
      }
      return range;
    },
    async read(range) {
      if (closed) throw new Error('media spool: read after close');
      const out = Buffer.allocUnsafe(range.length);
      let done = 0;
      while (done < range.length) {
        const { bytesRead } = await handle.read(out, done, range.length - done, range.offset + done);
        if (!bytesRead) throw new Error(`media spool: ${range.length - done} bytes missing at ${range.offset + done}`);
        done += bytesRead;
      }
      return out;
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.allSettled(writes);
      await handle.close().catch(() => undefined);
      if (!unlinked) unlinked = await unlink(file).then(() => true, () => false);
    },
  };
}
