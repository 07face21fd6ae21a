// For an illustrated deck: which PDF page should show which of our pictures (pixel size).
import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import sharp from 'sharp';
import { readPresentationFile } from '../../src/pptx/read-presentation.js';
import { isOurPicture } from '../../src/pptx/picture-xml.js';
import { attr, children, decodeXmlBytes, parseXml, path, type XmlElement } from '../../src/pptx/xml.js';

function findOurs(el: XmlElement): XmlElement | undefined {
  if (isOurPicture(el)) return el;
  for (const c of children(el)) {
    const found = findOurs(c);
    if (found) return found;
  }
  return undefined;
}
import { resolveTarget, relsPartFor } from '../../src/pptx/opc.js';

export interface ExpectedPicture {
  slide: number;
  /** 1-based PDF page: LibreOffice does not export hidden slides. */
  page: number;
  width: number;
  height: number;
}

export async function expectedPictures(deck: string): Promise<ExpectedPicture[]> {
  const pres = await readPresentationFile(deck);
  const zip = await JSZip.loadAsync(await readFile(deck));
  const out: ExpectedPicture[] = [];
  let page = 0;
  for (const slide of pres.slides) {
    if (slide.hidden) continue;
    page++;
    if (!slide.shapes.some((s) => s.ours)) continue;
    const root = parseXml(decodeXmlBytes(await zip.file(slide.part)!.async('uint8array')));
    const pic = findOurs(root)!;
    const embed = attr(path(pic, 'blipFill', 'blip'), 'embed');
    const rels = parseXml(decodeXmlBytes(await zip.file(relsPartFor(slide.part))!.async('uint8array')));
    const target = attr(
      children(rels, 'Relationship').find((r) => attr(r, 'Id') === embed),
      'Target',
    )!;
    const media = zip.file(resolveTarget(slide.part, target))!;
    const meta = await sharp(await media.async('nodebuffer')).metadata();
    out.push({ slide: slide.number, page, width: meta.width!, height: meta.height! });
  }
  return out;
}
