// Text extents laid out like PowerPoint: never shorter than the text a renderer draws.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Box } from '../../src/pptx/geometry.js';
import { readPresentationFile } from '../../src/pptx/read-presentation.js';
import { estimateTextBox, type TextDefaults } from '../../src/pptx/text-extent.js';
import { parseXml } from '../../src/pptx/xml.js';
import { convertToPdf } from '../helpers/libreoffice.js';
import { requireCorpus } from '../helpers/paths.js';

const NS = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"';
const EMU_PER_PT = 12_700;
const box: Box = { x: 914_400, y: 914_400, cx: 3_657_600, cy: 5_000_000 };
const defaults: TextDefaults = { type: undefined, anchor: 't', align: 'l', size: undefined, fonts: { major: 'Calibri', minor: 'Calibri' } };

interface P {
  text: string;
  sz?: number;
  b?: boolean;
  font?: string;
  pPr?: string;
}
function shape(paras: P[], bodyPr = '<a:bodyPr/>'): ReturnType<typeof parseXml> {
  const ps = paras
    .map((p) => {
      const rPr = `<a:rPr lang="en-US" sz="${(p.sz ?? 24) * 100}"${p.b ? ' b="1"' : ''}>${p.font ? `<a:latin typeface="${p.font}"/>` : ''}</a:rPr>`;
      return `<a:p>${p.pPr ?? ''}<a:r>${rPr}<a:t>${p.text}</a:t></a:r></a:p>`;
    })
    .join('');
  return parseXml(`<p:sp ${NS}><p:txBody>${bodyPr}<a:lstStyle/>${ps}</p:txBody></p:sp>`);
}
const extent = (paras: P[], bodyPr?: string, b: Box = box) => estimateTextBox(shape(paras, bodyPr), b, defaults);

describe('estimateTextBox', () => {
  it('lets unwrapped text run past a box too narrow for its line (wrap="none"), and keeps wrapped text inside', () => {
    const line = [{ text: 'Formal definitions of accuracy measures across the whole benchmark suite' }];
    const narrow: Box = { ...box, cx: 1_000_000 };
    expect(extent(line, '<a:bodyPr wrap="none"/>', narrow).cx).toBeGreaterThan(narrow.cx * 3);
    expect(extent(line, '<a:bodyPr wrap="none"/>', narrow).x).toBe(narrow.x);
    expect(extent(line, '<a:bodyPr/>', narrow).cx).toBeLessThanOrEqual(narrow.cx);
  });

  it('gives wide letters more lines than narrow ones of the same count', () => {
    const wide = extent([{ text: 'WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW' }]);
    const narrow = extent([{ text: 'iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii' }]);
    // Carlito W ≈ 0.89 em: 40 × 0.89 × 24 pt ≈ 854 pt over a 274 pt line → at least 4 lines of 24 × 1.2 pt.
    expect(wide.cy).toBeGreaterThanOrEqual(4 * 24 * 1.2 * EMU_PER_PT);
    expect(wide.cy).toBeGreaterThan(narrow.cy * 2);
  });

  it('wraps bold text onto more lines than the same text in regular weight', () => {
    const text = 'Quarterly revenue grew across every region and product line this year';
    const heights = [false, true].map((b) => extent([{ text, sz: 28, b, font: 'Arial' }], '<a:bodyPr/>', { ...box, cx: 4_200_000 }).cy);
    expect(heights[1]!).toBeGreaterThan(heights[0]!);
  });

  it('counts a font wider than the old average (unknown fonts err wide)', () => {
    const text = 'Market and sell versions tailored for key vertical industries';
    const calibri = extent([{ text, font: 'Calibri' }]);
    const verdana = extent([{ text, font: 'Verdana' }]);
    const courier = extent([{ text, font: 'Courier New' }]);
    expect(verdana.cy).toBeGreaterThan(calibri.cy);
    // Courier New: 0.6 em per character, 62 characters at 24 pt = 893 pt over 274 pt lines → 4 lines.
    expect(courier.cy).toBeGreaterThanOrEqual(4 * 24 * 1.2 * EMU_PER_PT);
  });

  it('adds spacing before and after paragraphs and honours line spacing', () => {
    const paras = (pPr: string) => [1, 2, 3].map((i) => ({ text: `Point ${i}`, pPr }));
    const plain = extent(paras(''));
    const spaced = extent(paras('<a:pPr><a:spcBef><a:spcPts val="1200"/></a:spcBef><a:spcAft><a:spcPts val="600"/></a:spcAft></a:pPr>'));
    const double = extent(paras('<a:pPr><a:lnSpc><a:spcPct val="200000"/></a:lnSpc></a:pPr>'));
    const exact = extent(paras('<a:pPr><a:lnSpc><a:spcPts val="6000"/></a:lnSpc></a:pPr>'));
    expect(spaced.cy - plain.cy).toBeGreaterThanOrEqual(3 * 18 * EMU_PER_PT);
    expect(double.cy).toBeGreaterThan(plain.cy * 1.8);
    expect(exact.cy).toBeGreaterThanOrEqual(3 * 60 * EMU_PER_PT);
  });

  it('shrinks with normAutofit font scale and line-spacing reduction', () => {
    const paras = [1, 2, 3, 4].map((i) => ({ text: `A bullet point number ${i} that is long enough to wrap once or twice` }));
    const full = extent(paras, '<a:bodyPr><a:normAutofit/></a:bodyPr>');
    const reduced = extent(paras, '<a:bodyPr><a:normAutofit lnSpcReduction="20000"/></a:bodyPr>');
    const scaled = extent(paras, '<a:bodyPr><a:normAutofit fontScale="50000" lnSpcReduction="20000"/></a:bodyPr>');
    expect(reduced.cy).toBeLessThan(full.cy * 0.9);
    expect(scaled.cy).toBeLessThan(reduced.cy * 0.6);
  });

  it('lets text that does not shrink run past the bottom of its box', () => {
    const small = { ...box, cy: 600_000 };
    const r = extent([1, 2, 3, 4, 5].map((i) => ({ text: `Line ${i}` })), '<a:bodyPr><a:noAutofit/></a:bodyPr>', small);
    expect(r.y + r.cy).toBeGreaterThan(small.y + small.cy + 4 * 24 * EMU_PER_PT);
  });

  it('indents bullets by the marL their level inherits from the list styles, and wraps within what is left', () => {
    const text = 'Release an upgrade model in spring with tailored versions';
    const master = parseXml(`<p:bodyStyle ${NS}><a:lvl3pPr marL="1828800" indent="-274320"><a:buChar char="•"/><a:defRPr sz="2400"/></a:lvl3pPr></p:bodyStyle>`);
    const inherited = { ...defaults, lstStyles: [master] };
    const flat = estimateTextBox(shape([{ text }]), box, inherited);
    const indented = estimateTextBox(shape([{ text, pPr: '<a:pPr lvl="2"/>' }]), box, inherited);
    expect(indented.cy).toBeGreaterThan(flat.cy);
  });
});

// The MRD template's bullet slides: the extent must reach the last line LibreOffice draws.
describe('MRD template bullets', () => {
  const deck = path.join(requireCorpus(), 'openxmlsdk__MRDProductSteeringCommitteePresentation_TP10193309.potx');
  let dir = '';
  const pngs = new Map<number, { data: Buffer; width: number; height: number }>();
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'si-text-extent-'));
    await convertToPdf([deck], dir);
    await promisify(execFile)('pdftoppm', ['-png', '-r', '50', path.join(dir, path.basename(deck).replace(/\.potx$/, '.pdf')), path.join(dir, 'page')]);
    for (const n of [6, 10, 11, 18]) {
      const { data, info } = await sharp(path.join(dir, `page-${String(n).padStart(2, '0')}.png`)).greyscale().raw().toBuffer({ resolveWithObject: true });
      pngs.set(n, { data, width: info.width, height: info.height });
    }
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('covers the last line of text drawn in the body placeholder on slides 6, 10, 11 and 18', async () => {
    const pres = await readPresentationFile(deck);
    for (const n of [6, 10, 11, 18]) {
      const body = pres.slides[n - 1]!.shapes.find((s) => s.placeholder?.idx === '1')!;
      const png = pngs.get(n)!;
      const px = (emu: number, axis: 'x' | 'y') => Math.round((emu / (axis === 'x' ? pres.slideSize.cx : pres.slideSize.cy)) * (axis === 'x' ? png.width : png.height));
      let lastDark = -1;
      for (let y = px(body.box!.y, 'y'); y < Math.min(png.height, px(body.box!.y + body.box!.cy, 'y')); y++) {
        for (let x = px(body.box!.x, 'x'); x < px(body.box!.x + body.box!.cx, 'x'); x++) if (png.data[y * png.width + x]! < 128) lastDark = y;
      }
      expect(lastDark, `slide ${n} draws text`).toBeGreaterThan(px(body.box!.y, 'y'));
      const bottom = px(body.textBox!.y + body.textBox!.cy, 'y');
      expect(bottom, `slide ${n}: extent bottom (px) vs last text row`).toBeGreaterThanOrEqual(lastDark + 1);
      // …and still leaves the empty lower part of the placeholder free.
      expect(body.textBox!.y + body.textBox!.cy, `slide ${n}`).toBeLessThan(body.box!.y + body.box!.cy);
    }
  });
});
