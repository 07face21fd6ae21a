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
import { fontFace } from '../../src/pptx/font-metrics.js';
import { estimateTextBox, type TextDefaults } from '../../src/pptx/text-extent.js';
import { parseXml } from '../../src/pptx/xml.js';
import { convertToPdf } from '../helpers/libreoffice.js';
import { requireCorpus } from '../helpers/paths.js';

const NS =
  'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"';
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
    const r = extent(
      [1, 2, 3, 4, 5].map((i) => ({ text: `Line ${i}` })),
      '<a:bodyPr><a:noAutofit/></a:bodyPr>',
      small,
    );
    expect(r.y + r.cy).toBeGreaterThan(small.y + small.cy + 4 * 24 * EMU_PER_PT);
  });

  it('indents bullets by the marL their level inherits from the list styles, and wraps within what is left', () => {
    const text = 'Release an upgrade model in spring with tailored versions';
    const master = parseXml(
      `<p:bodyStyle ${NS}><a:lvl3pPr marL="1828800" indent="-274320"><a:buChar char="•"/><a:defRPr sz="2400"/></a:lvl3pPr></p:bodyStyle>`,
    );
    const inherited = { ...defaults, lstStyles: [master] };
    const flat = estimateTextBox(shape([{ text }]), box, inherited);
    const indented = estimateTextBox(shape([{ text, pPr: '<a:pPr lvl="2"/>' }]), box, inherited);
    expect(indented.cy).toBeGreaterThan(flat.cy);
  });
});

describe('estimateTextBox layout rules', () => {
  const calibri = fontFace('Calibri', false);
  const lineEmu = 24 * calibri.lineHeight * EMU_PER_PT;
  const usable = box.cx - 2 * 91_440;
  /** A word of `n` letters "n" at 24 pt Calibri, and the count whose width is `share` of the usable line. */
  const lettersFor = (share: number) => Math.round((share * usable) / (calibri.advance('n'.codePointAt(0)!) * 24 * EMU_PER_PT));

  it('wraps whole words: four words of 60 % of a line take four lines, where a character count says three', () => {
    const word = 'n'.repeat(lettersFor(0.6));
    const words = extent([{ text: [word, word, word, word].join(' ') }]);
    // The same letters with no spaces break anywhere: what a naive width ÷ line estimate gives.
    const naive = extent([{ text: word.repeat(4) }]);
    expect(words.cy).toBeGreaterThanOrEqual(4 * lineEmu);
    expect(naive.cy).toBeLessThan(4 * lineEmu);
    expect(words.cy - naive.cy).toBeGreaterThanOrEqual(lineEmu * 0.99);
  });

  it('keeps a short line as wide as its text, and a wrapped one as wide as the box', () => {
    const short = extent([{ text: 'n'.repeat(lettersFor(0.3)) }]);
    expect(short.x).toBe(box.x);
    expect(short.cx).toBeGreaterThan(0.3 * usable);
    expect(short.cx).toBeLessThan(0.45 * usable + 2 * 91_440);
    const wrapped = extent([{ text: `${'n'.repeat(lettersFor(0.6))} ${'n'.repeat(lettersFor(0.6))}` }]);
    expect(wrapped.cx).toBe(box.cx);
  });

  it('pushes a bulleted first line right by the bullet, and indents every line by marL', () => {
    const text = 'n'.repeat(lettersFor(0.3));
    const plain = extent([{ text }]);
    const bullet = extent([{ text, pPr: '<a:pPr marL="0" indent="0"><a:buChar char="•"/></a:pPr>' }]);
    const indented = extent([{ text, pPr: '<a:pPr marL="914400" indent="0"><a:buNone/></a:pPr>' }]);
    expect(bullet.cx).toBeGreaterThan(plain.cx);
    expect(indented.cx - plain.cx).toBeGreaterThanOrEqual(914_400 - 2);
    // A hanging bullet (indent = −marL) sits in the margin: the text starts at marL, as without a bullet.
    const hanging = extent([{ text, pPr: '<a:pPr marL="914400" indent="-914400"><a:buChar char="•"/></a:pPr>' }]);
    expect(hanging.cx).toBe(indented.cx);
  });

  it('adds percentage spacing before a paragraph in lines of its size', () => {
    const paras = (pPr: string) => [1, 2].map((i) => ({ text: `Point ${i}`, pPr }));
    const plain = extent(paras(''));
    const spaced = extent(paras('<a:pPr><a:spcBef><a:spcPct val="50000"/></a:spcBef></a:pPr>'));
    // Half a line (24 pt × 1.2) before each of two paragraphs.
    expect(spaced.cy - plain.cy).toBeGreaterThanOrEqual(2 * 0.5 * 24 * 1.2 * EMU_PER_PT);
    expect(spaced.cy - plain.cy).toBeLessThan(2 * 24 * 1.2 * EMU_PER_PT);
  });

  it('counts the top and bottom insets into the height, and narrows the lines by the side insets', () => {
    const paras = [{ text: 'Point one' }, { text: 'Point two' }];
    const base = extent(paras);
    const tall = extent(paras, '<a:bodyPr tIns="457200" bIns="457200"/>');
    expect(tall.cy - base.cy).toBeGreaterThanOrEqual(2 * (457_200 - 45_720));
    expect(tall.cx).toBe(base.cx);
    // 0.8 of the line, then insets that take 0.3 of the box away: the text no longer fits on one line.
    const text = 'n'.repeat(lettersFor(0.8));
    const one = extent([{ text }]);
    const narrowed = extent([{ text }], `<a:bodyPr lIns="${Math.round(0.15 * box.cx)}" rIns="${Math.round(0.15 * box.cx)}"/>`);
    expect(one.cy).toBeLessThan(2 * lineEmu);
    expect(narrowed.cy).toBeGreaterThanOrEqual(2 * lineEmu);
  });

  it('anchors the covered part at the top, middle or bottom of the box', () => {
    const paras = [{ text: 'Point one' }, { text: 'Point two' }];
    const [top, middle, bottom] = ['t', 'ctr', 'b'].map((a) => extent(paras, `<a:bodyPr anchor="${a}"/>`)) as [Box, Box, Box];
    expect(middle.cy).toBe(top.cy);
    expect(bottom.cy).toBe(top.cy);
    expect(top.y).toBe(box.y);
    expect(Math.abs(middle.y + middle.cy / 2 - (box.y + box.cy / 2))).toBeLessThanOrEqual(1);
    expect(bottom.y + bottom.cy).toBe(box.y + box.cy);
    // The anchor a placeholder inherits applies when the shape says nothing.
    expect(estimateTextBox(shape(paras), box, { ...defaults, anchor: 'b' }).y).toBe(bottom.y);
  });

  it("lines centred or right-aligned text up with the box's centre or right edge", () => {
    const text = [{ text: 'Short' }];
    const centred = estimateTextBox(shape(text), box, { ...defaults, align: 'ctr' });
    const right = extent([{ text: 'Short', pPr: '<a:pPr algn="r"/>' }]);
    expect(centred.cx).toBeLessThan(box.cx / 2);
    expect(Math.abs(centred.x + centred.cx / 2 - (box.x + box.cx / 2))).toBeLessThanOrEqual(1);
    expect(right.x + right.cx).toBe(box.x + box.cx);
  });

  it('counts an unknown font wider and taller than every font it knows', () => {
    const text = 'Market and sell versions tailored for key vertical industries';
    const unknown = extent([{ text, font: 'Imaginary Grotesk' }]);
    // The faces it has metrics for (metric-compatible stand-ins); Verdana, Georgia … are unknown and count like this one.
    const known = ['Calibri', 'Cambria', 'Arial', 'Helvetica', 'Times New Roman', 'Courier New'];
    for (const font of known) expect(unknown.cy, font).toBeGreaterThanOrEqual(extent([{ text, font }]).cy);
    const short = (font: string) => extent([{ text: 'Quarterly results', font }]).cx;
    // Proportional faces only: narrow letters (l, t, r) of a monospace face outrun the widened proportional ones.
    for (const font of known.filter((f) => f !== 'Courier New')) expect(short('Imaginary Grotesk'), font).toBeGreaterThan(short(font));
    expect(short('Verdana')).toBe(short('Imaginary Grotesk'));
  });

  it('counts an unknown monospace face (Consolas, Menlo) at least as wide as Courier New and as any proportional face', () => {
    // stress013 slides 9–10: Consolas counted as proportional came out narrower than LibreOffice draws it.
    const text = 'illustrate(deck, { out: "x" }); // literally';
    const width = (font: string) => extent([{ text, font }]).cx;
    for (const mono of ['Consolas', 'Menlo', 'Lucida Console', 'Source Code Pro']) {
      expect(width(mono), mono).toBeGreaterThanOrEqual(width('Courier New'));
      expect(width(mono), mono).toBeGreaterThanOrEqual(width('Imaginary Grotesk'));
    }
  });

  it('caps shrink-to-fit text at its box, and keeps the whole box for vertical text or a shape without text', () => {
    const small = { ...box, cy: 600_000 };
    const many = [1, 2, 3, 4, 5].map((i) => ({ text: `Line ${i}` }));
    expect(extent(many, '<a:bodyPr><a:normAutofit/></a:bodyPr>', small).cy).toBe(small.cy);
    expect(extent(many, '<a:bodyPr vert="vert270"/>')).toEqual(box);
    expect(estimateTextBox(parseXml(`<p:sp ${NS}><p:spPr/></p:sp>`), box, defaults)).toEqual(box);
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
    await promisify(execFile)('pdftoppm', [
      '-png',
      '-r',
      '50',
      path.join(dir, path.basename(deck).replace(/\.potx$/, '.pdf')),
      path.join(dir, 'page'),
    ]);
    for (const n of [6, 10, 11, 18]) {
      const { data, info } = await sharp(path.join(dir, `page-${String(n).padStart(2, '0')}.png`))
        .greyscale()
        .raw()
        .toBuffer({ resolveWithObject: true });
      pngs.set(n, { data, width: info.width, height: info.height });
    }
  }, 60_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('covers the last line of text drawn in the body placeholder on slides 6, 10, 11 and 18', async () => {
    const pres = await readPresentationFile(deck);
    for (const n of [6, 10, 11, 18]) {
      const body = pres.slides[n - 1]!.shapes.find((s) => s.placeholder?.idx === '1')!;
      const png = pngs.get(n)!;
      const px = (emu: number, axis: 'x' | 'y') =>
        Math.round((emu / (axis === 'x' ? pres.slideSize.cx : pres.slideSize.cy)) * (axis === 'x' ? png.width : png.height));
      let lastDark = -1;
      for (let y = px(body.box!.y, 'y'); y < Math.min(png.height, px(body.box!.y + body.box!.cy, 'y')); y++) {
        for (let x = px(body.box!.x, 'x'); x < px(body.box!.x + body.box!.cx, 'x'); x++)
          if (png.data[y * png.width + x]! < 128) lastDark = y;
      }
      expect(lastDark, `slide ${n} draws text`).toBeGreaterThan(px(body.box!.y, 'y'));
      const bottom = px(body.textBox!.y + body.textBox!.cy, 'y');
      expect(bottom, `slide ${n}: extent bottom (px) vs last text row`).toBeGreaterThanOrEqual(lastDark + 1);
      // …and still leaves the empty lower part of the placeholder free.
      expect(body.textBox!.y + body.textBox!.cy, `slide ${n}`).toBeLessThan(body.box!.y + body.box!.cy);
    }
  });
});
