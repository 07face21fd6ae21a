// The error hierarchy. Only src/cli/main.ts turns these into output and exit codes.

export class SlideIllustrateError extends Error {
  override name = 'SlideIllustrateError';
  /** Exit code the CLI uses when this error ends a run. */
  readonly exitCode: number = 1;
}

/** Bad flags or arguments: exit 2. */
export class UsageError extends SlideIllustrateError {
  override name = 'UsageError';
  override readonly exitCode = 2;
}

/** A config file or setting that cannot be used: exit 2. Messages start with the key path. */
export class ConfigError extends SlideIllustrateError {
  override name = 'ConfigError';
  override readonly exitCode = 2;
  constructor(
    message: string,
    readonly problems: string[] = [message],
  ) {
    super(message);
  }
}

/** An input deck we refuse to read (corrupt, encrypted, legacy, hostile): exit 2. */
export class DeckFormatError extends SlideIllustrateError {
  override name = 'DeckFormatError';
  override readonly exitCode = 2;
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly part?: string,
    options?: ErrorOptions,
  ) {
    super(`${file}${part ? `:${part}` : ''}: ${reason}`, options);
  }
}

/**
 * A path we refuse or cannot use: "<path>: <reason>" on one line, exit 2 if nothing more specific
 * catches it. `code` is the errno name, or ENOTREG (not a regular file) / EFBIG (too large).
 */
export class FsSafetyError extends SlideIllustrateError {
  override name = 'FsSafetyError';
  override readonly exitCode = 2;
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly code: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

/** A deck we would write broken: never an output. */
export class PackageValidationError extends SlideIllustrateError {
  override name = 'PackageValidationError';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(
      `${file}: the illustrated deck would be invalid, nothing written: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (+${problems.length - 3} more)` : ''}`,
    );
  }
}

/** A run stopped by SIGINT/SIGTERM. */
export class AbortedError extends SlideIllustrateError {
  override name = 'AbortedError';
  override readonly exitCode = 130;
}

/** Formats "expected X for KEY but received Y" the same way everywhere. */
export function invalidValue(key: string, expected: string, received: unknown): string {
  const shown = typeof received === 'string' ? JSON.stringify(received) : String(received);
  return `${key}: expected ${expected}, got ${shown}`;
}

/** Message of any thrown value, without stack. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
