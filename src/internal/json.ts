// JSON text that must hold an object: anything else (invalid, an array, a scalar) reads as undefined.

// Parses `text` as a JSON object, or returns undefined.
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
