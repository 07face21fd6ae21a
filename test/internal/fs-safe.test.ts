// The fs helpers every reader and writer goes through: regular files only, sizes checked before
// reading, folders made by a bounded loop, outputs probed for writability. Special files are made
// under a temp folder (mknod as root); the real /dev is never touched.
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SlideIllustrateError } from '../../src/errors.js';
import { FsSafetyError } from '../../src/errors.js';
import { mkdirBounded, outputProblem, readRegularFile } from '../../src/internal/fs-safe.js';
import { tempDir } from '../helpers/paths.js';
import { mkfifo } from '../helpers/fifo.js';

const failure = (p: Promise<unknown>) =>
  p.then(
    () => expect.fail('expected a rejection'),
    (e: unknown) => e as FsSafetyError,
  );

describe('readRegularFile', () => {
  it('reads a regular file and refuses a FIFO, a device and a folder without blocking, naming the path', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'a.txt'), 'hello');
    expect((await readRegularFile(path.join(dir, 'a.txt'), { maxBytes: 5 })).toString()).toBe('hello');
    mkfifo(path.join(dir, 'fifo'));
    execFileSync('mknod', [path.join(dir, 'zero'), 'c', '1', '5']);
    await mkdir(path.join(dir, 'sub'));
    for (const [name, code, reason] of [
      ['fifo', 'ENOTREG', 'is a FIFO (named pipe), not a regular file'],
      ['zero', 'ENOTREG', 'is a character device, not a regular file'],
      ['sub', 'EISDIR', 'is a folder, not a regular file'],
      ['missing', 'ENOENT', 'no such file'],
    ]) {
      const error = await failure(readRegularFile(path.join(dir, name!), { maxBytes: 100 }));
      expect(error).toBeInstanceOf(FsSafetyError);
      expect(error).toBeInstanceOf(SlideIllustrateError);
      expect(error.exitCode).toBe(2);
      expect([error.code, error.message]).toEqual([code, `${path.join(dir, name!)}: ${reason}`]);
    }
  });

  it('refuses a file over the limit from its size alone (a sparse 2 GiB file)', async () => {
    const dir = await tempDir();
    const big = path.join(dir, 'big');
    await writeFile(big, '');
    await truncate(big, 2 * 2 ** 30);
    const error = await failure(readRegularFile(big, { maxBytes: 2 ** 20 }));
    expect([error.code, error.message]).toEqual(['EFBIG', `${big}: larger than 1 MiB (2048 MiB)`]);
  });
});

describe('mkdirBounded', () => {
  it('creates missing parents, tolerates a concurrent creator, and refuses a path under a file', async () => {
    const dir = await tempDir();
    const deep = path.join(dir, 'a/b/c');
    await Promise.all([mkdirBounded(deep), mkdirBounded(deep), mkdirBounded(path.join(dir, 'a/b'))]);
    expect((await stat(deep)).isDirectory()).toBe(true);
    await mkdirBounded(deep);
    await writeFile(path.join(dir, 'file'), 'x');
    const error = await failure(mkdirBounded(path.join(dir, 'file/x/y')));
    expect(error.message).toBe(
      `${path.join(dir, 'file/x/y')}: cannot create the folder: ${path.join(dir, 'file')} is a regular file, not a folder`,
    );
  });

  it('ends with one error naming the folder where Node 20 recursive mkdir spins forever (/proc)', async () => {
    const error = await failure(mkdirBounded('/proc/self/nope/deeper'));
    expect(error.message).toMatch(/^\/proc\/self\/nope\/deeper: cannot create the folder \/proc\/self\/nope \(E[A-Z]+\)$/);
  });
});

describe('outputProblem', () => {
  it('accepts a new or regular path, refuses special files and unwritable places, and leaves no probe file', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'old.pptx'), 'x');
    mkfifo(path.join(dir, 'fifo.pptx'));
    expect(await outputProblem(path.join(dir, 'new/sub/x.pptx'), 'file')).toBeUndefined();
    expect(await outputProblem(path.join(dir, 'old.pptx'), 'file')).toBeUndefined();
    expect(await outputProblem(path.join(dir, 'out'), 'folder')).toBeUndefined();
    expect(await outputProblem(path.join(dir, 'fifo.pptx'), 'file')).toBe('is a FIFO (named pipe); only a regular file is ever replaced');
    expect(await outputProblem(path.join(dir, 'old.pptx'), 'folder')).toBe('is a regular file, not a folder');
    expect(await outputProblem(path.join(dir, 'old.pptx/x.pptx'), 'file')).toBe(`${path.join(dir, 'old.pptx')} is not a folder`);
    expect(await outputProblem('/proc/self/x.pptx', 'file')).toMatch(/^cannot write in \/proc\/self \(E[A-Z]+\)$/);
    expect((await readdir(dir)).sort()).toEqual(['fifo.pptx', 'old.pptx']);
  });
});
