// `slide-illustrate init`: a starter config in the current folder, every key explained.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_CONFIG_FILE } from '../../config/load.js';
import { starterConfigText } from '../../config/starter.js';
import { UsageError } from '../../errors.js';
import { writeFileAtomic } from '../../internal/atomic-write.js';
import type { InitArgs } from '../args.js';
import type { CliIo } from '../io.js';

// Writes the file (at --config, else ./pipeline.config.json); an existing one needs --force. Exit 0.
export async function runInit(args: InitArgs, io: CliIo): Promise<number> {
  const file = path.resolve(io.cwd, args.config ?? DEFAULT_CONFIG_FILE);
  const shown = path.relative(io.cwd, file) || file;
  if (!args.force && (await stat(file).catch(() => undefined))) {
    throw new UsageError(`${shown} already exists; add --force to replace it with the defaults`);
  }
  await writeFileAtomic(file, starterConfigText());
  io.stdout.write(`wrote ${shown}: every key at its default, each explained in a comment above it\n`);
  return 0;
}
