// Loads pipeline.config.json (JSON with comments): read → validate against the schema → apply flag overrides.
import path from 'node:path';
import stripJsonComments from 'strip-json-comments';
import type * as z from 'zod';
import { ConfigError, FsSafetyError } from '../errors.js';
import { readRegularFile } from '../internal/fs-safe.js';
import { configSchema, type Config } from './schema.js';

export const DEFAULT_CONFIG_FILE = 'pipeline.config.json';
/** Largest config file read; real ones are a few KiB (bytes). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export interface LoadConfigOptions {
  /** Explicit --config path; an error when missing. */
  file?: string | undefined;
  /** Folder searched for pipeline.config.json when no file is given. */
  cwd?: string;
  /** Values from flags, already shaped like the config; they win over the file. */
  overrides?: DeepPartial<Config>;
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };

export interface LoadedConfig {
  config: Config;
  /** The file read, or undefined when running on defaults. */
  file: string | undefined;
}

// Read, validate and merge the configuration; every problem is reported at once, by key path.
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.file !== undefined;
  const file = path.resolve(cwd, options.file ?? DEFAULT_CONFIG_FILE);
  let written: unknown = {};
  let used: string | undefined;
  try {
    // A regular file only (a FIFO would block the run forever), size checked before reading.
    const text = (await readRegularFile(file, { maxBytes: MAX_CONFIG_BYTES })).toString('utf8');
    used = file;
    try {
      // JSON with comments, as `slide-illustrate init` writes it; comments become spaces, so
      // JSON.parse's positions still point into the file as written.
      written = JSON.parse(stripJsonComments(text.replace(/^\uFEFF/, ''), { trailingCommas: true }));
    } catch (error) {
      throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`);
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' || explicit) {
      if (error instanceof FsSafetyError && ['ENOTREG', 'EISDIR', 'EFBIG'].includes(error.code))
        throw new ConfigError(`${file}: cannot read config file: ${error.reason}`);
      throw new ConfigError(`${file}: cannot read config file (${code ?? (error as Error).message})`);
    }
  }
  if (typeof written !== 'object' || written === null || Array.isArray(written)) {
    throw new ConfigError(`${file}: the config must be a JSON object`);
  }
  const merged = mergeDeep(written as Record<string, unknown>, (options.overrides ?? {}) as Record<string, unknown>);
  // The schema reference is a JSON-schema hint for editors, not a setting.
  delete merged['$schema'];
  return { config: validateConfig(merged, used ?? 'configuration'), file: used };
}

// The one place settings are checked: the schema's types, ranges and defaults, every problem at
// once by key path, as a ConfigError naming `where` (the file, or "config" for a library call).
export function validateConfig(written: unknown, where: string): Config {
  const result = configSchema.safeParse(written);
  if (result.success) return result.data;
  const problems = formatIssues(result.error);
  throw new ConfigError(`${where}: ${problems.length} problem${problems.length > 1 ? 's' : ''}: ${problems.join('; ')}`, problems);
}

/** "concurrency.image: expected a positive integer, got -1" for every issue. */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const key = issue.path.join('.') || '(root)';
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => `${key === '(root)' ? '' : `${key}.`}${k}: unknown key`).join('; ');
    }
    return `${key}: ${issue.message}`;
  });
}

function mergeDeep(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const prev = out[key];
    if (isPlainObject(value) && isPlainObject(prev)) out[key] = mergeDeep(prev, value);
    else out[key] = value;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
