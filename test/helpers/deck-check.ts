// What a test needs to know about a written deck: package problems over every part, and our pictures.
import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import { MARKER } from '../../src/pptx/picture-xml.js';
import { partProblems } from '../../src/pptx/validate-package.js';

export interface DeckCheck {
  problems: string[];
  /** Pictures slide-illustrate added, per slide part. */
  pictures: Map<string, number>;
  /** Every part, uncompressed, for scanning. */
  text: string;
}

// Opens a deck, validates all its parts and counts the pictures we added.
export async function checkDeck(file: string): Promise<DeckCheck> {
  const zip = await JSZip.loadAsync(await readFile(file));
  const parts = Object.values(zip.files).filter((f) => !f.dir).map((f) => f.name);
  const problems = await partProblems(zip, parts);
  const pictures = new Map<string, number>();
  let text = '';
  for (const part of parts) {
    const content = Buffer.from(await zip.files[part]!.async('uint8array')).toString('latin1');
    text += content;
    if (/^ppt\/slides\/slide\d+\.xml$/.test(part)) pictures.set(part, content.split(`name="${MARKER} `).length - 1);
  }
  return { problems, pictures, text };
}

export const totalPictures = (check: DeckCheck): number => [...check.pictures.values()].reduce((a, b) => a + b, 0);
