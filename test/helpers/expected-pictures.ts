// For an illustrated deck: which PDF page should show which of our pictures (pixel size).
import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import sharp from 'sharp';
import { readPresentationFile } from '../../src/pptx/read-presentation.js';
import { decodeXmlBytes } from '../../src/pptx/xml.js';
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
    const xml = decodeXmlBytes(await zip.file(slide.part)!.async('uint8array'));
    const rels = decodeXmlBytes(await zip.file(relsPartFor(slide.part))!.async('uint8array'));
    const embed = xml.match(/name="slide-illustrate \d+"[\s\S]*?:embed="([^"]+)"/)?.[1];
    const target = rels.match(new RegExp(`Id="${embed}"[^>]*Target="([^"]+)"`))?.[1] ?? rels.match(new RegExp(`Target="([^"]+)"[^>]*Id="${embed}"`))?.[1];
    const media = zip.file(resolveTarget(slide.part, target!))!;
    const meta = await sharp(await media.async('nodebuffer')).metadata();
    out.push({ slide: slide.number, page, width: meta.width!, height: meta.height! });
  }
  return out;
}
