// Where each deck's illustrated copy goes. One deck named on its own keeps the single-file rules
// (`--out` is a file); several inputs or a folder mirror their folder structure under a directory.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { DECK_EXTENSIONS, findDecks } from './find-decks.js';

export interface DeckJob {
  input: string;
  output: string;
}

export interface PlanJobsOptions {
  inputs: string[];
  cwd: string;
  /** --out: a file for one deck input, else a directory. */
  out?: string | undefined;
  /** Config outputDir, used when --out is not given. */
  outputDir: string;
  /** Config cacheDir: never searched for decks. */
  cacheDir: string;
}

export interface DeckJobs {
  jobs: DeckJob[];
  /** One deck file named on its own: the single-deck summary and exit codes apply. */
  single: boolean;
}

// Finds the decks and pairs each with its output path.
export async function planDeckJobs(options: PlanJobsOptions): Promise<DeckJobs> {
  const outDir = path.resolve(options.cwd, options.out ?? options.outputDir);
  const first = options.inputs.length === 1 ? path.resolve(options.cwd, options.inputs[0]!) : undefined;
  if (first && !(await isDirectory(first))) {
    // A trailing separator or an existing folder means "into this folder"; anything else is the file.
    const into = !options.out || /[\\/]$/.test(options.out) || (await isDirectory(outDir));
    return { jobs: [{ input: first, output: into ? path.join(outDir, path.basename(first)) : outDir }], single: true };
  }
  if (options.out && DECK_EXTENSIONS.includes(path.extname(options.out).toLowerCase())) {
    throw new UsageError(`--out ${options.out}: with several decks or a folder, --out is the folder the copies go to, not a deck file`);
  }
  for (const input of options.inputs.map((i) => path.resolve(options.cwd, i))) {
    if (input === outDir)
      throw new UsageError(
        `${options.out ? `--out ${options.out}` : `outputDir ${options.outputDir}`}: the output folder is an input folder; the copies would overwrite the decks`,
      );
  }
  const found = await findDecks(options.inputs, { cwd: options.cwd, exclude: [outDir, options.cacheDir] });
  const root = commonFolder(found.map((d) => d.folder ?? path.dirname(d.input)));
  return { jobs: found.map((d) => ({ input: d.input, output: path.join(outDir, path.relative(root, d.input)) })), single: false };
}

/** The deepest folder containing every given folder (absolute paths). */
export function commonFolder(folders: string[]): string {
  if (!folders.length) return path.parse(process.cwd()).root;
  const split = folders.map((f) => f.split(path.sep));
  const first = split[0]!;
  let n = 0;
  while (n < first.length && split.every((parts) => parts[n] === first[n])) n++;
  return first.slice(0, n).join(path.sep) || path.parse(folders[0]!).root;
}

async function isDirectory(p: string): Promise<boolean> {
  return (await stat(p).catch(() => undefined))?.isDirectory() ?? false;
}
