import { readFile } from 'node:fs/promises';
import path from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { readPresentation, readPresentationFile } from '../../src/pptx/read-presentation.js';
import { requireCorpus } from '../helpers/paths.js';

describe('readPresentation on fixture decks', () => {
  it('reads the demo deck in order with title, body and notes apart', async () => {
    const pres = await readPresentationFile(fixtures.demo);
    expect(pres.slides).toHaveLength(6);
    expect(pres.slideSize).toEqual({ cx: 12192000, cy: 6858000 });
    expect(pres.slides.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6]);
    const [first, second] = pres.slides;
    expect(first!.text.title).toBe('Onboarding: Working Safely in the Warehouse');
    expect(first!.text.notes).toMatch(/Welcome the group/);
    expect(second!.text.title).toBe('Your first day on the floor');
    expect(second!.text.body).toMatch(/hi-vis vest/);
    // The slide-number placeholder is furniture, not content.
    expect(second!.text.body).not.toMatch(/^2$/m);
    expect(pres.theme.palette.length).toBeGreaterThanOrEqual(3);
  });

  it('keeps number-like table text and lone spaces', async () => {
    const pres = await readPresentationFile(fixtures.tables);
    const body = pres.slides[1]!.text.body;
    for (const v of ['007', '1e5', '0x1F', '0012', '2E3', '1.50']) expect(body).toContain(v);
  });

  it('reads text inside groups', async () => {
    const pres = await readPresentationFile(fixtures.groups);
    expect(`${pres.slides[0]!.text.title}\n${pres.slides[0]!.text.body}`).toMatch(/Pick[\s\S]*Pack & ship/);
    expect(pres.slides[0]!.shapes.some((s) => s.kind === 'grpSp' && s.hasText)).toBe(true);
  });

  it('takes notes-only slides from the notes', async () => {
    const pres = await readPresentationFile(fixtures.notesOnly);
    for (const s of pres.slides) {
      expect(`${s.text.title}${s.text.body}`.trim()).toBe('');
      expect(s.text.notes.length).toBeGreaterThan(20);
    }
  });

  it('marks hidden slides and reads empty ones as empty', async () => {
    const pres = await readPresentationFile(fixtures.emptyAndHidden);
    expect(pres.slides.map((s) => s.hidden)).toEqual([false, false, true, false]);
    expect(pres.slides[1]!.text).toEqual({ title: '', body: '', notes: '' });
    expect(pres.slides[2]!.text.title + pres.slides[2]!.text.body).toContain('Internal only: pricing draft');
  });

  it('decodes French, Japanese and escaped characters', async () => {
    const pres = await readPresentationFile(fixtures.multilingual);
    const all = pres.slides.map((s) => `${s.text.title}\n${s.text.body}`).join('\n');
    expect(all).toContain("Sécurité d'abord");
    expect(all).toContain('安全第一');
    expect(all).toContain('R&D <beta>');
  });

  it('reads the 4:3 slide size', async () => {
    expect((await readPresentationFile(fixtures.fourThree)).slideSize).toEqual({ cx: 9144000, cy: 6858000 });
  });

  it('follows p:sldIdLst order, not part names', async () => {
    const zip = await JSZip.loadAsync(await readFile(fixtures.bullets));
    const xml = await zip.file('ppt/presentation.xml')!.async('string');
    const ids = [...xml.matchAll(/<p:sldId [^>]*\/>/g)].map((m) => m[0]);
    expect(ids).toHaveLength(3);
    const swapped = xml.replace(ids[0]!, '\u0000').replace(ids[2]!, ids[0]!).replace('\u0000', ids[2]!);
    zip.file('ppt/presentation.xml', swapped);
    const pres = await readPresentation('swapped.pptx', await zip.generateAsync({ type: 'uint8array' }));
    const original = await readPresentationFile(fixtures.bullets);
    expect(pres.slides.map((s) => s.part)).toEqual([original.slides[2]!.part, original.slides[1]!.part, original.slides[0]!.part]);
    expect(pres.slides[0]!.text.title).toBe(original.slides[2]!.text.title);
  });

  it('reads a slide stored as UTF-16LE with a BOM', async () => {
    const zip = await JSZip.loadAsync(await readFile(fixtures.bullets));
    const xml = await zip.file('ppt/slides/slide1.xml')!.async('string');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml.replace(/encoding="UTF-8"/i, 'encoding="UTF-16"'), 'utf16le')]);
    zip.file('ppt/slides/slide1.xml', utf16);
    const pres = await readPresentation('utf16.pptx', await zip.generateAsync({ type: 'uint8array' }));
    expect(pres.slides[0]!.text).toEqual((await readPresentationFile(fixtures.bullets)).slides[0]!.text);
  });
});

describe('readPresentation on real decks', () => {
  const corpus = requireCorpus();
  it('reads SmartArt text from the diagram data part', async () => {
    const pres = await readPresentationFile(path.join(corpus, 'poi__smartart-simple.pptx'));
    expect(pres.slides.some((s) => s.text.body.trim().length > 0)).toBe(true);
  });
  it("anchors a content placeholder's text as its own layout placeholder says, not as the body beside it", async () => {
    // poi__layouts slide 5 (Comparison): the layout's text placeholders (idx 1, 3) anchor at the bottom, its content
    // placeholders (idx 2, 4) say nothing (top, from the master). The content's text starts at the top of its box.
    const pres = await readPresentationFile(path.join(corpus, 'poi__layouts.pptx'));
    const content = pres.slides[4]!.shapes.filter((s) => s.placeholder?.type === 'obj');
    expect(content).toHaveLength(2);
    for (const c of content) expect(c.textBox!.y).toBe(c.box!.y);
  });
  it("lays a text box out with the presentation's default text style (centred, 24 pt), not the master's other style", async () => {
    // poi__45541_Footer slide 1: "Access to Finance for Local Governments" has no algn or sz of its own; p:defaultTextStyle
    // says centred at 24 pt (the master's p:otherStyle says left at 18 pt). LibreOffice draws it centred and large.
    const pres = await readPresentationFile(path.join(corpus, 'poi__45541_Footer.pptx'));
    const tb = pres.slides[0]!.shapes.find((s) => s.name === 'Text Box 8')!;
    const mid = (b: { x: number; cx: number }) => b.x + b.cx / 2;
    expect(Math.abs(mid(tb.textBox!) - mid(tb.box!))).toBeLessThan(20_000);
    expect(tb.textBox!.cx).toBeGreaterThan(0.8 * tb.box!.cx);
  });
  it('reads notes-only slides', async () => {
    const pres = await readPresentationFile(path.join(corpus, 'pypptx__sld-notes.pptx'));
    expect(pres.slides.some((s) => s.text.notes.trim().length > 0)).toBe(true);
  });
  it('counts hidden slides', async () => {
    const pres = await readPresentationFile(path.join(corpus, 'poi__2411-Performance_Up.pptx'));
    expect(pres.slides).toHaveLength(48);
    expect(pres.slides.filter((s) => s.hidden)).toHaveLength(2);
  });
  it('reads Strict OOXML decks', async () => {
    const pres = await readPresentationFile(path.join(corpus, 'openxmlsdk__Photo Album3.pptx'));
    expect(pres.strict).toBe(true);
    expect(pres.slides.length).toBeGreaterThan(0);
  });
  it('reads Hebrew right-to-left text in logical order', async () => {
    const pres = await readPresentationFile(path.join(corpus, 'poi__stress021.pptx'));
    expect(pres.slides.some((s) => /[\u0590-\u05ff]/.test(s.text.title + s.text.body))).toBe(true);
  });
});
