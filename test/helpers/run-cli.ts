// Runs the CLI in-process with captured output, or as a real subprocess of the built bin.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { main } from '../../src/cli/main.js';
import type { HttpOverrides } from '../../src/providers/provider-http.js';
import { binPath, repoRoot } from './paths.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Network overrides for remote providers, e.g. instant retries. */
  http?: HttpOverrides;
  /** Run as if on a terminal of this many columns (live progress, the cost question). */
  terminal?: { columns: number; stdin?: NodeJS.ReadableStream };
}

export async function runCli(argv: string[], options: RunCliOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const columns = options.terminal?.columns;
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s), columns },
    stderr: { write: (s: string) => (stderr += s), columns },
    env: options.env ?? {},
    cwd: options.cwd ?? repoRoot,
    http: options.http,
    isTTY: options.terminal !== undefined,
    stdin: options.terminal?.stdin,
  });
  return { code, stdout, stderr };
}

export function runBin(argv: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [binPath, ...argv],
      { cwd: options.cwd ?? repoRoot, env: { PATH: process.env['PATH'] ?? '', ...options.env }, maxBuffer: 16 * 2 ** 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export interface SpawnedCli {
  child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code, or the signal's name when a signal ended the process. */
  exited: Promise<number | NodeJS.Signals>;
}

/** Starts the built bin as a long-running process (the schedule, or a run to be killed). */
export function spawnBin(argv: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): SpawnedCli {
  const child = spawn(process.execPath, [binPath, ...argv], {
    cwd: options.cwd,
    env: { PATH: process.env['PATH'] ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.on('close', (code, signal) => resolve(signal ?? code ?? 1)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Polls `condition` every 25 ms until it holds; fails after `timeoutMs`. */
export async function waitFor<T>(
  condition: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
