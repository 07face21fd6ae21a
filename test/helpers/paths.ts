// Where tests find the shared corpus, the built CLI and scratch space.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The 174 real decks live beside the checkout (../shared/corpus); never copied into the repo. */
export const corpusDir = path.resolve(repoRoot, '../shared/corpus');
export const binPath = path.join(repoRoot, 'bin/slide-illustrate.js');

export function requireCorpus(): string {
  if (!existsSync(path.join(corpusDir, 'MANIFEST.tsv'))) throw new Error(`the shared corpus is missing at ${corpusDir}`);
  return corpusDir;
}

/** A temp folder removed when the test ends. */
export async function tempDir(prefix = 'si-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
