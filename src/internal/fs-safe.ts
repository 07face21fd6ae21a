// Filesystem access that cannot hang or run away: files we read must be regular files (a FIFO
// would block open() forever, a device would stream without end), their size is checked before
// a byte is read, and folders are created by a bounded loop instead of Node 20's recursive mkdir,
// which spins forever on /proc-like paths (ENOENT, then EEXIST, thousands of times a second).
import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { mkdir, open, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { FsSafetyError } from '../errors.js';

/** "a FIFO (named pipe)", "a folder" … for a path that is not a regular file. */
export function describeType(info: Stats): string {
  if (info.isFile()) return 'a regular file';
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  if (info.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

export interface OpenedFile {
  handle: FileHandle;
  size: number;
}

// Opens `file` for reading only if it is a regular file of at most `maxBytes`. O_NONBLOCK makes
// open() of a FIFO return at once instead of waiting for a writer (a blocked open also keeps the
// process from exiting); fstat on the handle then checks the very file opened, so no race
// between the check and the read. Errors: FsSafetyError with code ENOENT, EISDIR, ENOTREG, EFBIG…
export async function openRegularFile(file: string, options: { maxBytes?: number } = {}): Promise<OpenedFile> {
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    throw new FsSafetyError(file, code === 'ENOENT' ? 'no such file' : `cannot open (${code})`, code);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      throw new FsSafetyError(file, `is ${describeType(info)}, not a regular file`, info.isDirectory() ? 'EISDIR' : 'ENOTREG');
    }
    if (options.maxBytes !== undefined && info.size > options.maxBytes) {
      throw new FsSafetyError(file, `larger than ${formatBytes(options.maxBytes)} (${formatBytes(info.size)})`, 'EFBIG');
    }
    return { handle, size: info.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

// The whole of a regular file of at most `maxBytes`, refused before any byte is read otherwise.
export async function readRegularFile(file: string, options: { maxBytes: number }): Promise<Buffer> {
  const { handle } = await openRegularFile(file, options);
  try {
    const data = await handle.readFile();
    // The file grew between fstat and the read: still refused, memory use stays within twice the limit.
    if (data.length > options.maxBytes) throw new FsSafetyError(file, `larger than ${formatBytes(options.maxBytes)}`, 'EFBIG');
    return data;
  } finally {
    await handle.close();
  }
}

/** Deepest folder chain mkdirBounded creates; far beyond any real path (PATH_MAX allows ~2000). */
const MAX_DEPTH = 4096;

// Creates `dir` and its missing parents, each with one plain mkdir; never loops more than the
// path has components. Throws an FsSafetyError "<dir>: cannot create the folder: <reason>".
export async function mkdirBounded(dir: string): Promise<void> {
  const target = path.resolve(dir);
  const missing: string[] = [];
  let current = target;
  for (let depth = 0; ; depth++) {
    const info = await stat(current).catch((error: NodeJS.ErrnoException) => error);
    if (!(info instanceof Error)) {
      if (!info.isDirectory())
        throw new FsSafetyError(target, `cannot create the folder: ${current} is ${describeType(info)}, not a folder`, 'ENOTDIR');
      break;
    }
    // ENOTDIR: a file further up, which the walk reaches and names.
    if (info.code !== 'ENOENT' && info.code !== 'ENOTDIR')
      throw new FsSafetyError(target, `cannot create the folder: ${current}: ${info.code ?? info.message}`, info.code ?? 'EIO');
    const parent = path.dirname(current);
    if (parent === current || depth >= MAX_DEPTH)
      throw new FsSafetyError(target, 'cannot create the folder: no existing parent folder', 'ENOENT');
    missing.push(current);
    current = parent;
  }
  for (const folder of missing.reverse()) {
    try {
      await mkdir(folder);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
      // Made meanwhile by a concurrent writer: fine if it is a folder now.
      if (code === 'EEXIST' && (await stat(folder).catch(() => undefined))?.isDirectory()) continue;
      throw new FsSafetyError(target, `cannot create the folder${folder === target ? '' : ` ${folder}`} (${code})`, code);
    }
  }
}

// Why `file` could not be written as an output, or undefined when it can (the caller names `file`
// before the reason: "is a FIFO (named pipe); …", "/x is not a folder"). An existing path must be
// a regular file (`kind: 'file'`) or a folder (`kind: 'folder'`), and the nearest existing folder
// at or above the place it goes must accept a new file. Writability is probed by creating and
// removing a temp file there (access(W_OK) says yes to root even where nothing can be written, as
// on /proc); nothing else is created, so a run that stops before writing leaves no trace.
export async function outputProblem(file: string, kind: 'file' | 'folder'): Promise<string | undefined> {
  const target = path.resolve(file);
  const existing = await stat(target).catch(() => undefined);
  if (existing) {
    if (kind === 'file' && !existing.isFile()) return `is ${describeType(existing)}; only a regular file is ever replaced`;
    if (kind === 'folder' && !existing.isDirectory()) return `is ${describeType(existing)}, not a folder`;
  }
  let dir = kind === 'folder' && existing ? target : path.dirname(target);
  for (let depth = 0; ; depth++) {
    const info = await stat(dir).catch(() => undefined);
    if (info) {
      if (!info.isDirectory()) return `${dir} is not a folder`;
      break;
    }
    const parent = path.dirname(dir);
    if (parent === dir || depth >= MAX_DEPTH) return `no existing folder above ${target}`;
    dir = parent;
  }
  const probe = path.join(dir, `.slide-illustrate-probe.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(probe, 'wx', 0o600);
    await handle.close();
  } catch (error) {
    return `cannot write in ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
  await rm(probe, { force: true });
  return undefined;
}

function formatBytes(n: number): string {
  return n >= 2 ** 20 ? `${Math.round((n / 2 ** 20) * 10) / 10} MiB` : n >= 1024 ? `${Math.round((n / 1024) * 10) / 10} KiB` : `${n} bytes`;
}
