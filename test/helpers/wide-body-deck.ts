// The bullets fixture with slide 1's body text box widened to the slide's content width and given
// `bullets` lines: "auto" finds no room on it, make-room can narrow it (or not, when the text is long).
import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import { fixtures } from '../../fixtures/index.js';

/** Slide 1's body: id 3, at 0.6 in from the left, 1.7 in from the top, 12.13 × 5.1 in (the fixture's height). */
export const WIDE_BODY = { x: 548_640, y: 1_554_480, cx: 11_094_720, cy: 4_663_440 };

const bullet = (text: string) =>
  `<a:p><a:pPr marL="342900" indent="-342900"><a:spcAft><a:spcPts val="600"/></a:spcAft><a:buChar char="&#x2022;"/></a:pPr><a:r><a:rPr lang="en-US" sz="2000" dirty="0"/><a:t>${text}</a:t></a:r></a:p>`;

/** `extra`: shapes' XML added on top of slide 1's. */
export async function wideBodyDeck(bullets: number, extra = ''): Promise<Buffer> {
  const zip = await JSZip.loadAsync(await readFile(fixtures.bullets));
  const file = 'ppt/slides/slide1.xml';
  let xml = await zip.file(file)!.async('string');
  xml = xml.replace(
    '<a:off x="548640" y="1554480"/><a:ext cx="6156792" cy="4663440"/>',
    `<a:off x="${WIDE_BODY.x}" y="${WIDE_BODY.y}"/><a:ext cx="${WIDE_BODY.cx}" cy="${WIDE_BODY.cy}"/>`,
  );
  const lines = Array.from({ length: bullets }, (_, i) =>
    bullet(`Point ${i + 1}: confirm the time you have and what the customer wants from the call, then share the agenda`),
  );
  // The body's paragraphs replaced by ours (the title's text box comes first and keeps its own).
  const start = xml.indexOf('<a:p>', xml.indexOf('name="Text 1"'));
  const end = xml.lastIndexOf('</p:txBody>');
  xml = xml.slice(0, start) + lines.join('') + xml.slice(end).replace('</p:spTree>', `${extra}</p:spTree>`);
  zip.file(file, xml);
  return zip.generateAsync({ type: 'nodebuffer' });
}
