// Placement never hides what a slide shows (issue 13, item 1): decks edited from the
// picture-placeholder fixture, read back and planned.
import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import type { Box } from '../../src/pptx/geometry.js';
import { NO_ROOM, obstaclesOf } from '../../src/pptx/placement.js';
import { readPresentation } from '../../src/pptx/read-presentation.js';
import { planIllustrations } from '../../src/stages/plan-illustrations.js';

const overlaps = (a: Box, b: Box) => a.x < b.x + b.cx && b.x < a.x + a.cx && a.y < b.y + b.cy && b.y < a.y + a.cy;
const xfrm = (b: Box) => `<a:xfrm><a:off x="${b.x}" y="${b.y}"/><a:ext cx="${b.cx}" cy="${b.cy}"/></a:xfrm>`;

/** The empty picture placeholder of slide 1 of the fixture (right half). */
const PLACEHOLDER: Box = { x: 6_309_360, y: 548_640, cx: 5_330_952, cy: 5_760_720 };

const table = (id: number, b: Box) =>
  `<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="${id}" name="Table ${id}"/><p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr>` +
  `<p:xfrm><a:off x="${b.x}" y="${b.y}"/><a:ext cx="${b.cx}" cy="${b.cy}"/></p:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl><a:tblGrid><a:gridCol w="${b.cx}"/></a:tblGrid>` +
  `<a:tr h="${b.cy}"><a:tc><a:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="en-US"/><a:t>Q3 figures</a:t></a:r></a:p></a:txBody><a:tcPr/></a:tc></a:tr></a:tbl></a:graphicData></a:graphic></p:graphicFrame>`;

/** A preset shape drawn with the theme's accent fill and line (p:style), as PowerPoint inserts one. */
const styled = (id: number, prst: string, b: Box, label?: string) =>
  `<p:sp><p:nvSpPr><p:cNvPr id="${id}" name="${prst} ${id}"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr>${xfrm(b)}<a:prstGeom prst="${prst}"><a:avLst/></a:prstGeom></p:spPr>` +
  `<p:style><a:lnRef idx="2"><a:schemeClr val="accent1"/></a:lnRef><a:fillRef idx="1"><a:schemeClr val="accent1"/></a:fillRef><a:effectRef idx="0"><a:schemeClr val="accent1"/></a:effectRef><a:fontRef idx="minor"><a:schemeClr val="lt1"/></a:fontRef></p:style>` +
  (label
    ? `<p:txBody><a:bodyPr anchor="ctr"/><a:lstStyle/><a:p><a:pPr algn="ctr"/><a:r><a:rPr lang="en-US"/><a:t>${label}</a:t></a:r></a:p></p:txBody>`
    : '') +
  `</p:sp>`;

const connector = (id: number, b: Box) =>
  `<p:cxnSp><p:nvCxnSpPr><p:cNvPr id="${id}" name="Connector ${id}"/><p:cNvCxnSpPr/><p:nvPr/></p:nvCxnSpPr><p:spPr>${xfrm(b)}<a:prstGeom prst="line"><a:avLst/></a:prstGeom><a:ln w="19050"><a:solidFill><a:srgbClr val="1E2A38"/></a:solidFill></a:ln></p:spPr></p:cxnSp>`;

const picture = (id: number, rid: string, b: Box) =>
  `<p:pic><p:nvPicPr><p:cNvPr id="${id}" name="Icon ${id}"/><p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:embed="${rid}"/><a:stretch><a:fillRect/></a:stretch></p:blipFill><p:spPr>${xfrm(b)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>`;

/** The fixture with `xml` added on top of slide 1's shapes, and an optional picture part related as rIdIcon. */
async function deckWith(xml: string, image?: Buffer) {
  const zip = await JSZip.loadAsync(await readFile(fixtures.picturePlaceholder));
  const slide = await zip.file('ppt/slides/slide1.xml')!.async('string');
  zip.file('ppt/slides/slide1.xml', slide.replace('</p:spTree>', `${xml}</p:spTree>`));
  if (image) {
    zip.file('ppt/media/icon.png', image);
    const rels = await zip.file('ppt/slides/_rels/slide1.xml.rels')!.async('string');
    zip.file(
      'ppt/slides/_rels/slide1.xml.rels',
      rels.replace(
        '</Relationships>',
        '<Relationship Id="rIdIcon" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="../media/icon.png"/></Relationships>',
      ),
    );
  }
  return readPresentation('edited.pptx', await zip.generateAsync({ type: 'uint8array' }));
}

const planSlide1 = async (xml: string, image?: Buffer) => {
  const pres = await deckWith(xml, image);
  const plan = planIllustrations(pres, { placement: 'auto', skipSlides: ['picture'] });
  return { pres, planned: plan.planned.find((p) => p.slide.number === 1), skipped: plan.skipped.find((s) => s.number === 1) };
};

describe('placement never hides what the slide shows', () => {
  it('does not fill an empty placeholder a table lies over, and places the picture clear of the table', async () => {
    const tbl: Box = { x: PLACEHOLDER.x, y: PLACEHOLDER.y, cx: PLACEHOLDER.cx, cy: 2_000_000 };
    const { planned } = await planSlide1(table(20, tbl));
    expect(planned).toBeDefined();
    expect(planned!.placement).not.toBe('placeholder');
    expect(overlaps(planned!.box, tbl)).toBe(false);
  });

  it('keeps the picture clear of a table whose rows grow with their text past its frame', async () => {
    // Four rows declared 0.55 in high (frame 2 000 000 EMU), each holding four paragraphs of 18 pt text:
    // PowerPoint and LibreOffice draw every row at least four lines high, the table about twice its frame.
    const frame: Box = { x: PLACEHOLDER.x, y: PLACEHOLDER.y, cx: PLACEHOLDER.cx, cy: 2_000_000 };
    const para = (t: string) => `<a:p><a:r><a:rPr lang="en-US"/><a:t>${t}</a:t></a:r></a:p>`;
    const cell = `<a:tc><a:txBody><a:bodyPr/><a:lstStyle/>${['Revenue', 'Margin', 'Headcount', 'Churn'].map(para).join('')}</a:txBody><a:tcPr/></a:tc>`;
    const rows = Array.from({ length: 4 }, () => `<a:tr h="500000">${cell}</a:tr>`).join('');
    const xml = table(22, frame).replace(/<a:tr h="\d+">.*<\/a:tr>/, rows);
    const { pres, planned } = await planSlide1(xml);
    // At least 4 lines of 18 pt (1 em each) plus the default top and bottom margins, per row.
    const drawn: Box = { ...frame, cy: 4 * (4 * 18 * 12_700 + 91_440) };
    const shape = pres.slides[0]!.shapes.find((s) => s.name === 'Table 22')!;
    expect(shape.box!.cy).toBeGreaterThanOrEqual(drawn.cy);
    // The lower left is still free (about 16 % of the slide): the picture goes there, not over the grown rows.
    expect(planned?.placement).toBe('free');
    expect(overlaps(planned!.box, drawn)).toBe(false);
  });

  it('still fills an empty placeholder nothing overlaps', async () => {
    const { planned } = await planSlide1('');
    expect(planned).toMatchObject({ placement: 'placeholder', box: PLACEHOLDER });
  });

  it('treats a labelled star as a whole-box obstacle, not just its label', async () => {
    const star: Box = { x: 6_400_000, y: 700_000, cx: 3_000_000, cy: 3_000_000 };
    const { pres } = await planSlide1(styled(21, 'star5', star, 'Star'));
    const slide = pres.slides[0]!;
    const shape = slide.shapes.find((s) => s.name === 'star5 21')!;
    expect(shape.drawn).toBe(true);
    expect(obstaclesOf(slide.shapes, pres.slideSize)).toContainEqual(star);
  });

  it('counts a labelled star, a large unlabelled panel and a connector on the free half as obstacles, leaving no room', async () => {
    const star: Box = { x: 6_400_000, y: 600_000, cx: 2_200_000, cy: 2_200_000 };
    const panel: Box = { x: 600_000, y: 400_000, cx: 11_000_000, cy: 4_000_000 };
    const rule: Box = { x: 6_400_000, y: 5_200_000, cx: 5_000_000, cy: 0 };
    const { pres, planned, skipped } = await planSlide1(
      styled(22, 'rect', panel) + styled(21, 'star5', star, 'Star') + connector(23, rule),
    );
    const obstacles = obstaclesOf(pres.slides[0]!.shapes, pres.slideSize);
    for (const b of [star, panel, rule]) expect(obstacles).toContainEqual(b);
    // The panel covers the top two thirds and the rule cuts what is left below it: no strip is large enough.
    expect(planned).toBeUndefined();
    expect(skipped?.reason).toBe(NO_ROOM);
  });

  it('places the picture clear of a labelled star and a connector when the free half still has room', async () => {
    const star: Box = { x: 6_400_000, y: 600_000, cx: 2_200_000, cy: 2_200_000 };
    const rule: Box = { x: 6_400_000, y: 3_100_000, cx: 5_000_000, cy: 0 };
    const { planned } = await planSlide1(styled(21, 'star5', star, 'Star') + connector(23, rule));
    // The star lies over the empty placeholder, so the placeholder is not filled; the area under the rule is free.
    expect(planned?.placement).toBe('free');
    // Inclusive overlap, so a zero-height rule counts when the picture spans it.
    const touches = (a: Box, b: Box) => a.x <= b.x + b.cx && b.x <= a.x + a.cx && a.y <= b.y + b.cy && b.y <= a.y + a.cy;
    for (const b of [star, rule]) expect(touches(planned!.box, b), JSON.stringify(b)).toBe(false);
  });

  it('does not count a small navigation icon as "already has a picture", and keeps the picture off it', async () => {
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#d03030' } })
      .png()
      .toBuffer();
    const icon: Box = { x: 11_200_000, y: 6_150_000, cx: 720_000, cy: 600_000 };
    const { planned, skipped } = await planSlide1(picture(24, 'rIdIcon', icon), png);
    expect(skipped?.reason).toBeUndefined();
    expect(planned).toBeDefined();
    expect(overlaps(planned!.box, icon)).toBe(false);
  });

  it('still skips a slide whose own picture is a real illustration (not an icon)', async () => {
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#3060d0' } })
      .png()
      .toBuffer();
    const photo: Box = { x: 6_400_000, y: 3_500_000, cx: 3_000_000, cy: 2_500_000 };
    const { skipped } = await planSlide1(picture(24, 'rIdIcon', photo), png);
    expect(skipped?.reason).toBe('already has a picture (skipSlides)');
  });
});
