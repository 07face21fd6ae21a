// Human durations for flags such as --prune-older-than: "30d", "12h", "90m", "45s", "2w".
import { invalidValue } from '../errors.js';

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Milliseconds of a duration like "30d"; throws a message naming `key` when it is not one. */
export function parseDuration(text: string, key: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(text.trim());
  if (!m) throw new Error(invalidValue(key, 'a duration such as 30d, 12h, 90m or 45s', text));
  return Math.round(Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]!);
}
