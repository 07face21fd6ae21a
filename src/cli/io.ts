// Where the CLI writes and reads: streams, environment, folder; replaced whole by tests.
import type { HttpOverrides } from '../api/account.js';

/**
 * An output stream. `write` is for text: main() escapes any control character in it but newlines.
 * `writeControl`, when present, passes terminal sequences of our own (the live display) unescaped.
 */
export interface CliStream {
  write(s: string): unknown;
  writeControl?(s: string): unknown;
  /** The terminal's width, when it is one. */
  readonly columns?: number | undefined;
}

export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Replacements for the network and its waits (tests only). */
  http?: HttpOverrides | undefined;
  /** A person watches a terminal: live progress and the cost question. Unset: plain lines, no question. */
  isTTY?: boolean | undefined;
  /** Where the answer to the cost question is read from. */
  stdin?: NodeJS.ReadableStream | undefined;
}
