// The pictures slide-illustrate put into a deck, per slide: the prompt it carries (descr) and its
// mean colour, so a test can tell which generated picture (each a flat colour) a slide got.
import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import sharp from 'sharp';
import { relsPartFor, resolveTarget } from '../../src/pptx/opc.js';
import { isOurPicture } from '../../src/pptx/picture-xml.js';
import { readPresentationFile } from '../../src/pptx/read-presentation.js';
import { attr, children, decodeXmlBytes, parseXml, path, type XmlElement } from '../../src/pptx/xml.js';

export interface DeckPicture {
  slide: number;
  descr: string;
  rgb: [number, number, number];
}

function ours(el: XmlElement, found: XmlElement[] = []): XmlElement[] {
  if (isOurPicture(el)) found.push(el);
  for (const c of children(el)) ours(c, found);
  return found;
}

export async function deckPictures(deck: string): Promise<DeckPicture[]> {
  const zip = await JSZip.loadAsync(await readFile(deck));
  const out: DeckPicture[] = [];
  for (const { part, number } of (await readPresentationFile(deck)).slides) {
    const root = parseXml(decodeXmlBytes(await zip.file(part)!.async('uint8array')));
    for (const pic of ours(root)) {
      const embed = attr(path(pic, 'blipFill', 'blip'), 'embed');
      const rels = parseXml(decodeXmlBytes(await zip.file(relsPartFor(part))!.async('uint8array')));
      const target = attr(
        children(rels, 'Relationship').find((r) => attr(r, 'Id') === embed),
        'Target',
      )!;
      const media = await zip.file(resolveTarget(part, target))!.async('nodebuffer');
      const { channels } = await sharp(media).stats();
      const rgb = channels.slice(0, 3).map((c) => Math.round(c.mean)) as [number, number, number];
      const descr = attr(path(pic, 'nvPicPr', 'cNvPr'), 'descr') ?? '';
      out.push({ slide: number, descr, rgb });
    }
  }
  return out;
}

/** A flat PNG of a colour picked by `n`, as base64 (the fake API's n-th picture). */
export async function colouredPngBase64(size: string, n: number): Promise<string> {
  const [w, h] = size.split('x').map((v) => Math.round(Number(v) / 32)) as [number, number];
  return (
    await sharp({ create: { width: w, height: h, channels: 3, background: colourOf(n) } })
      .png()
      .toBuffer()
  ).toString('base64');
}

/** Colour n: far apart from colour n ± 1, so a mean colour names its picture. */
export function colourOf(n: number): { r: number; g: number; b: number } {
  return { r: (n * 67) % 256, g: (n * 151 + 40) % 256, b: (n * 29 + 200) % 256 };
}

/** The index of the colour closest to `rgb` among the first `count`. */
export function pictureIndexOf(rgb: [number, number, number], count: number): number {
  let best = 0;
  let bestDistance = Infinity;
  for (let n = 0; n < count; n++) {
    const c = colourOf(n);
    const d = (c.r - rgb[0]) ** 2 + (c.g - rgb[1]) ** 2 + (c.b - rgb[2]) ** 2;
    if (d < bestDistance) [best, bestDistance] = [n, d];
  }
  return best;
}
