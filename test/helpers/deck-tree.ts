// Builds folders of decks for batch tests, and edits a deck's slide text the way a user would.
import { copyFile, mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import JSZip from 'jszip';

/** Writes `files` under `root`: a string value is copied from that path, a Buffer is written as is. */
export async function writeTree(root: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [rel, source] of Object.entries(files)) {
    const dest = path.join(root, rel);
    await mkdir(path.dirname(dest), { recursive: true });
    if (typeof source === 'string') await copyFile(source, dest);
    else await writeFile(dest, source);
  }
}

/** Replaces `from` by `to` in one slide's XML; written through a rename so no reader sees half a deck. */
export async function editSlideText(deck: string, slideNumber: number, from: string, to: string): Promise<void> {
  const zip = await JSZip.loadAsync(await readFile(deck));
  const part = `ppt/slides/slide${slideNumber}.xml`;
  const xml = await zip.file(part)!.async('string');
  if (!xml.includes(from)) throw new Error(`${part} does not contain ${JSON.stringify(from)}`);
  zip.file(part, xml.replace(from, to));
  const tmp = `${deck}.editing`;
  await writeFile(tmp, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  await rename(tmp, deck);
}

/** Every file under `dir`, relative, sorted (dot files included). */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}
