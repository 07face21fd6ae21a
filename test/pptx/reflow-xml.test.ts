// make-room's write: the narrowed body gets an explicit a:xfrm and a:normAutofit; nothing else changes.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { reflowShape } from '../../src/pptx/reflow-xml.js';
import { illustrateOffline } from '../helpers/illustrate.js';
import { tempDir } from '../helpers/paths.js';
import { WIDE_BODY, wideBodyDeck } from '../helpers/wide-body-deck.js';

const slide = (shape: string) =>
  `<p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree>` +
  `<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>` +
  `<p:sp><p:nvSpPr><p:cNvPr id="2" name="Title 1"/><p:cNvSpPr/><p:nvPr><p:ph type="title"/></p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:p><a:r><a:t>T</a:t></a:r></a:p></p:txBody></p:sp>` +
  `${shape}</p:spTree></p:cSld></p:sld>`;

const reflow = { shapeId: '3', box: { x: 100, y: 200, cx: 3000, cy: 4000 }, fontScale: 0.85, lnSpcReduction: 0.1 };

describe('reflowShape', () => {
  it('writes an explicit a:xfrm into an empty p:spPr (the body inherited its box from the layout) and adds the autofit', () => {
    const before = slide(
      `<p:sp><p:nvSpPr><p:cNvPr id="3" name="Content 2"/><p:cNvSpPr/><p:nvPr><p:ph idx="1"/></p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>Body</a:t></a:r></a:p></p:txBody></p:sp>`,
    );
    const after = reflowShape(before, reflow);
    expect(after).toContain(
      '<p:spPr><a:xfrm><a:off x="100" y="200"/><a:ext cx="3000" cy="4000"/></a:xfrm></p:spPr><p:txBody><a:bodyPr><a:normAutofit fontScale="85000" lnSpcReduction="10000"/></a:bodyPr>',
    );
    // The title (id 2) keeps its empty p:spPr and bodyPr.
    expect(after).toContain(
      '<p:cNvPr id="2" name="Title 1"/><p:cNvSpPr/><p:nvPr><p:ph type="title"/></p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/>',
    );
  });

  it('replaces an own a:xfrm (keeping its flip) and an existing autofit, after a:prstTxWarp', () => {
    const before = slide(
      `<p:sp><p:nvSpPr><p:cNvPr id="3" name="Text"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm flipH="0"><a:off x="1" y="2"/><a:ext cx="9" cy="9"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr>` +
        `<p:txBody><a:bodyPr wrap="square"><a:prstTxWarp prst="textNoShape"><a:avLst/></a:prstTxWarp><a:spAutoFit/></a:bodyPr><a:p><a:r><a:t>Body</a:t></a:r></a:p></p:txBody></p:sp>`,
    );
    const after = reflowShape(before, { ...reflow, fontScale: 1, lnSpcReduction: 0 });
    expect(after).toContain('<a:xfrm flipH="0"><a:off x="100" y="200"/><a:ext cx="3000" cy="4000"/></a:xfrm><a:prstGeom prst="rect">');
    expect(after).toContain(
      '<a:bodyPr wrap="square"><a:prstTxWarp prst="textNoShape"><a:avLst/></a:prstTxWarp><a:normAutofit/></a:bodyPr>',
    );
    expect(after).not.toContain('spAutoFit');
  });
});

describe('make-room in the written deck', () => {
  it('carries the narrowed xfrm and the autofit on the body, and the picture beside it', async () => {
    const dir = await tempDir();
    const input = path.join(dir, 'wide.pptx');
    await writeFile(input, await wideBodyDeck(9));
    const report = await illustrateOffline(input, path.join(dir, 'out.pptx'), { config: { placement: 'make-room' } });
    const s1 = report.slides.find((s) => s.number === 1)!;
    expect(s1).toMatchObject({ status: 'illustrated', placement: 'make-room' });
    const xml = await (await JSZip.loadAsync(await readFile(path.join(dir, 'out.pptx')))).file('ppt/slides/slide1.xml')!.async('string');
    const body = xml.slice(xml.indexOf('name="Text 1"'));
    const cx = s1.reflow!.box.cx;
    expect(cx).toBeLessThan(WIDE_BODY.cx * 0.6);
    expect(body).toContain(`<a:off x="${WIDE_BODY.x}" y="${WIDE_BODY.y}"/><a:ext cx="${cx}" cy="${WIDE_BODY.cy}"/>`);
    expect(body).toMatch(
      new RegExp(
        `<a:bodyPr wrap="square" rtlCol="0" anchor="t"><a:normAutofit fontScale="${Math.round(s1.reflow!.fontScale * 100_000)}"( lnSpcReduction="\\d+")?/></a:bodyPr>`,
      ),
    );
    const pic = xml.match(/name="slide-illustrate[^"]*"[\s\S]*?<a:off x="(\d+)" y="(\d+)"\/>/)!;
    expect(Number(pic[1])).toBe(WIDE_BODY.x + cx + 182_880);
    expect(Number(pic[2])).toBe(WIDE_BODY.y);
  });
});
