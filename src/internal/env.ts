// Environment access in one place: trimmed values, and the secrets no output may ever show.

/** Trimmed environment value; empty means unset. */
export function readEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
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
