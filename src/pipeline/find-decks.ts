// Finds the decks to illustrate: explicit files as given, folders searched recursively, in a
// stable sorted order, skipping what is not a deck the user meant (lock files, hidden entries,
// our own output and cache folders, symlink loops).
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** Extensions of the PresentationML packages we illustrate, compared case-insensitively. */
export const DECK_EXTENSIONS: readonly string[] = ['.pptx', '.pptm', '.ppsx', '.potx'];

export interface FoundDeck {
  /** Absolute path of the deck as found (symlinks not resolved, so outputs mirror what the user sees). */
  input: string;
  /** The folder input it was found under; undefined for a deck named on the command line. */
  folder: string | undefined;
}

export interface FindDecksOptions {
  cwd: string;
  /** Folders never searched, e.g. the output and cache folders when they sit inside an input folder. */
  exclude?: string[];
}

// Expands the inputs into decks. A file input is kept even when it is not a deck (or missing),
// so the run reports it instead of silently ignoring what the user asked for.
export async function findDecks(inputs: string[], options: FindDecksOptions): Promise<FoundDeck[]> {
  const excluded = new Set(await Promise.all((options.exclude ?? []).map((d) => realpathOr(path.resolve(options.cwd, d)))));
  const seen = new Set<string>();
  const found: FoundDeck[] = [];
  const add = async (deck: FoundDeck) => {
    const key = await realpathOr(deck.input);
    if (seen.has(key)) return;
    seen.add(key);
    found.push(deck);
  };
  for (const raw of inputs) {
    const input = path.resolve(options.cwd, raw);
    const info = await stat(input).catch(() => undefined);
    if (!info?.isDirectory()) {
      await add({ input, folder: undefined });
      continue;
    }
    for (const deck of await walk(input, excluded, new Set())) await add({ input: deck, folder: input });
  }
  return found;
}

/** True when the file name is a deck we would pick up in a folder. */
export function isDeckName(name: string): boolean {
  // "~$deck.pptx" is Office's lock file for an open deck; dot files are hidden or AppleDouble ("._deck.pptx").
  if (name.startsWith('~$') || name.startsWith('.')) return false;
  return DECK_EXTENSIONS.includes(path.extname(name).toLowerCase());
}

// --- internal ---

/** Decks under `dir`, sorted by path; `visited` holds real paths so a symlink loop is walked once. */
async function walk(dir: string, excluded: Set<string>, visited: Set<string>): Promise<string[]> {
  const real = await realpathOr(dir);
  if (visited.has(real) || excluded.has(real)) return [];
  visited.add(real);
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    // An unreadable sub-folder holds nothing we can illustrate; the rest of the tree still runs.
    return [];
  }
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await stat(full).catch(() => undefined);
      isDir = !!target?.isDirectory();
      isFile = !!target?.isFile();
    }
    if (isDir && !entry.name.startsWith('.')) out.push(...(await walk(full, excluded, visited)));
    else if (isFile && isDeckName(entry.name)) out.push(full);
  }
  return out;
}

async function realpathOr(p: string): Promise<string> {
  return realpath(p).catch(() => p);
}
