// The commented config `slide-illustrate init` writes: every key of the schema at its default, each
// under its `.describe()` text, so the schema stays the one place where a key is explained.
import type * as z from 'zod';
import { configSchema, defaultConfig } from './schema.js';

export interface ConfigKey {
  /** ["llm", "model"] */
  path: string[];
  description: string;
  /** No default: the starter file shows it commented out. */
  optional: boolean;
}

const HEADER = [
  '// slide-illustrate configuration, written by `slide-illustrate init`: every key at its default.',
  '// Delete what you do not change. Comments and trailing commas are allowed. Flags override this file,',
  '// which overrides the defaults. The API token is read from the environment only, never from here.',
];

/** Comment lines are wrapped to this width, indentation included. */
const WIDTH = 110;

// Every key of the config schema, depth first in schema order.
export function configKeys(): ConfigKey[] {
  const keys: ConfigKey[] = [];
  const walk = (shape: Record<string, z.ZodType>, parent: string[]) => {
    for (const [key, field] of Object.entries(shape)) {
      const path = [...parent, key];
      keys.push({ path, description: field.description ?? '', optional: field._zod.def.type === 'optional' });
      const inner = objectShape(field);
      if (inner) walk(inner, path);
    }
  };
  walk(configSchema.shape, []);
  return keys;
}

// The starter pipeline.config.json: JSON with comments, loading to exactly defaultConfig().
export function starterConfigText(): string {
  const lines = [...HEADER, '{'];
  writeObject(configSchema.shape, defaultConfig() as unknown as Record<string, unknown>, '  ', lines);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

// --- internal ---

function writeObject(shape: Record<string, z.ZodType>, values: Record<string, unknown>, indent: string, lines: string[]): void {
  const entries = Object.entries(shape);
  // The last key written for real takes no comma; commented-out keys always have one, ready to uncomment.
  const lastSet = entries.map(([key]) => key in values).lastIndexOf(true);
  entries.forEach(([key, field], i) => {
    lines.push(...comment(field.description ?? '', indent));
    const comma = i < lastSet ? ',' : '';
    const inner = objectShape(field);
    if (!(key in values)) {
      lines.push(`${indent}// ${JSON.stringify(key)}: ${JSON.stringify(exampleOf(field))},`);
    } else if (inner) {
      lines.push(`${indent}${JSON.stringify(key)}: {`);
      writeObject(inner, values[key] as Record<string, unknown>, `${indent}  `, lines);
      lines.push(`${indent}}${comma}`);
    } else {
      lines.push(`${indent}${JSON.stringify(key)}: ${JSON.stringify(values[key])}${comma}`);
    }
  });
}

/** The fields of an object schema behind its default/prefault/optional wrappers, if it is one. */
function objectShape(field: z.ZodType): Record<string, z.ZodType> | undefined {
  let t = field as z.ZodType & { shape?: Record<string, z.ZodType> };
  for (let depth = 0; depth < 4 && !t.shape; depth++) {
    const inner = (t._zod.def as { innerType?: z.ZodType }).innerType;
    if (!inner) return undefined;
    t = inner;
  }
  return t.shape;
}

/** A value to show for a key without a default: an enum's first option, else null. */
function exampleOf(field: z.ZodType): unknown {
  const inner = (field._zod.def as { innerType?: { options?: unknown[] } }).innerType;
  return inner?.options?.[0] ?? null;
}

function comment(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + 3 + line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => `${indent}// ${l}`);
}
