// Environment access in one place: trimmed values, and the secrets no output may ever show.
import { ConfigError } from '../errors.js';

/** Trimmed environment value; empty means unset. */
export function readEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

// A credential: trimmed (`export TOKEN=$(cat file)` or a paste often keeps a newline), then one run
// of visible ASCII. Anything else cannot go into an Authorization header: refused before any call,
// naming the variable and what is wrong, never echoing the value.
export function readSecretEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = readEnv(env, name);
  if (value === undefined) return undefined;
  const chars = Array.from(value);
  const at = chars.findIndex((c) => c < '!' || c > '~');
  if (at >= 0) {
    throw new ConfigError(
      `${name}: contains ${describeChar(chars[at]!)} at character ${at + 1}; a token is one line of visible ASCII characters. Nothing was sent: check how the variable was set`,
    );
  }
  return value;
}

/** Names a character that may not be in a token; only the characters no token contains are shown by code. */
function describeChar(c: string): string {
  if (c === '\n') return 'a line break (LF)';
  if (c === '\r') return 'a carriage return (CR)';
  if (c === ' ') return 'a space';
  if (c === '\t') return 'a tab';
  const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return c < ' ' || c === '\x7f' ? `a control character (${code})` : `a non-ASCII character (${code})`;
}

/** Variables holding credentials; their values are masked in everything the CLI prints. */
export const SECRET_ENV_VARS = ['INFOMANIAK_API_TOKEN', 'OPENAI_API_KEY'] as const;

// The credential values present in `env`, longest first so one never hides part of another.
export function secretsOf(env: NodeJS.ProcessEnv): string[] {
  const values = SECRET_ENV_VARS.map((name) => readEnv(env, name)).filter((v): v is string => v !== undefined && v.length >= 4);
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}

// Replaces every occurrence of each secret by a fixed mask.
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('[redacted]');
  return out;
}
