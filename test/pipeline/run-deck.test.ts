import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import JSZip from 'jszip';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fixtures, type FixtureName } from '../../fixtures/index.js';
import { listSome } from '../../src/pipeline/run-deck.js';
import { isOurPicture } from '../../src/pptx/picture-xml.js';
import { readPresentationFile } from '../../src/pptx/read-presentation.js';
import { attr, children, parseXml, type XmlElement } from '../../src/pptx/xml.js';
import { illustrateOffline } from '../helpers/illustrate.js';
import { tempDir } from '../helpers/paths.js';
import { checkPackage } from '../helpers/pptx-invariants.js';

const descendants = (el: XmlElement): XmlElement[] => children(el).flatMap((c) => [c, ...descendants(c)]);
const sha = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

describe('runDeck with the offline provider', () => {
  it.each(Object.keys(fixtures) as FixtureName[])('illustrates %s into a valid package and leaves the input alone', async (name) => {
    const dir = await tempDir();
    const input = fixtures[name];
    const before = await sha(input);
    const output = path.join(dir, path.basename(input));
    const report = await illustrateOffline(input, output);
    expect(report.status).toBe('ok');
    expect(await sha(input)).toBe(before);
    const check = await checkPackage(await readFile(output), await readFile(input));
    expect(check.problems).toEqual([]);
    const illustrated = report.slides.filter((s) => s.status === 'illustrated');
    const pictures = [...check.ourPictures.values()].reduce((a, b) => a + b, 0);
    expect(pictures).toBe(illustrated.length);
    expect(check.added.every((p) => /^ppt\/media\/slide-illustrate-[0-9a-f]+\.(jpeg|png)$/.test(p))).toBe(true);
    // No temp files left beside the output.
    expect(await readdir(dir)).toEqual([path.basename(input)]);
  });

  it('skips hidden and empty slides and says why', async () => {
    const report = await illustrateOffline(fixtures.emptyAndHidden, path.join(await tempDir(), 'out.pptx'));
    expect(report.slides.map((s) => [s.number, s.status, s.reason ?? ''])).toEqual([
      [1, 'illustrated', ''],
      [2, 'skipped', 'no text'],
      [3, 'skipped', 'hidden slide'],
      [4, 'illustrated', ''],
    ]);
  });

  it('writes the prompt as alt text and places pictures clear of the slide text', async () => {
    const output = path.join(await tempDir(), 'demo.pptx');
    const report = await illustrateOffline(fixtures.demo, output);
    const zip = await JSZip.loadAsync(await readFile(output));
    const xml = await zip.file('ppt/slides/slide2.xml')!.async('string');
    const prompt = report.slides[1]!.prompt!;
    expect(prompt.length).toBeGreaterThan(20);
    expect(prompt.length).toBeLessThanOrEqual(400);
    expect(xml).toContain(`descr="${prompt.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}"`);
    const pres = await readPresentationFile(output);
    for (const slide of pres.slides) {
      const ours = slide.shapes.filter((s) => s.ours);
      // The cover and the closing slide are title slides drawn with text boxes, left as designed (no room for a panel or a band).
      expect(ours, `slide ${slide.number}`).toHaveLength([1, 6].includes(slide.number) ? 0 : 1);
      if (!ours.length) continue;
      const pic = ours[0]!.box!;
      // Text shapes block what their text covers (estimated generously), not their whole frame.
      for (const other of slide.shapes.filter((s) => !s.ours && s.hasText && s.textBox)) {
        const b = other.textBox!;
        const overlap = pic.x < b.x + b.cx && b.x < pic.x + pic.cx && pic.y < b.y + b.cy && b.y < pic.y + pic.cy;
        expect(overlap, `slide ${slide.number}: picture overlaps ${other.name}`).toBe(false);
      }
    }
  });

  it("writes pictures that decode, each at the aspect of its own slide's box", async () => {
    const output = path.join(await tempDir(), 'demo.pptx');
    const report = await illustrateOffline(fixtures.demo, output);
    const zip = await JSZip.loadAsync(await readFile(output));
    const pres = await readPresentationFile(output);
    const illustrated = report.slides.filter((s) => s.status === 'illustrated');
    expect(illustrated.length).toBeGreaterThanOrEqual(3);
    // The demo's boxes differ in aspect (wide bands, squarish and tall boxes), so a picture fitted to another slide's box shows.
    expect(new Set(illustrated.map((s) => (s.box!.cx / s.box!.cy).toFixed(2))).size).toBeGreaterThan(1);
    for (const s of illustrated) {
      const slide = pres.slides[s.number - 1]!;
      const ours = slide.shapes.filter((sh) => sh.ours);
      expect(ours, `slide ${s.number}`).toHaveLength(1);
      expect(ours[0]!.box, `slide ${s.number}: the picture is where the report says`).toEqual(s.box);
      // The picture's own media part, through its r:embed and the slide's relationships.
      const root = parseXml(await zip.file(slide.part)!.async('string'));
      const pics = descendants(root).filter((el) => el.local === 'pic' && isOurPicture(el));
      expect(pics, `slide ${s.number}`).toHaveLength(1);
      const rid = attr(
        descendants(pics[0]!).find((el) => el.local === 'blip'),
        'embed',
      );
      expect(rid, `slide ${s.number}: our picture's r:embed`).toBeDefined();
      const target = slide.rels.find((r) => r.id === rid)?.target;
      expect(target, `slide ${s.number}: ${rid}`).toMatch(/^ppt\/media\/slide-illustrate-/);
      const meta = await sharp(await zip.file(target!)!.async('nodebuffer')).metadata();
      expect(meta.format).toBe('jpeg');
      const aspects = { box: s.box!.cx / s.box!.cy, picture: meta.width! / meta.height! };
      expect(Math.abs(aspects.box - aspects.picture), `slide ${s.number}: ${JSON.stringify(aspects)}`).toBeLessThan(0.02);
    }
  });

  it('replaces its own pictures when run over its own output', async () => {
    const dir = await tempDir();
    const once = path.join(dir, 'once.pptx');
    const twice = path.join(dir, 'twice.pptx');
    await illustrateOffline(fixtures.demo, once);
    const report = await illustrateOffline(once, twice);
    expect(report.status).toBe('ok');
    const check = await checkPackage(await readFile(twice), await readFile(once));
    expect(check.problems).toEqual([]);
    const zip = await JSZip.loadAsync(await readFile(twice));
    // One picture on each illustrated slide: the old one replaced, not a second added (checkPackage counts only
    // slides that changed, and these come out byte-identical, so they are counted here).
    const illustrated = report.slides.filter((s) => s.status === 'illustrated');
    expect(illustrated.length).toBeGreaterThan(0);
    for (const s of illustrated) {
      const root = parseXml(await zip.file(`ppt/slides/slide${s.number}.xml`)!.async('string'));
      expect(
        descendants(root).filter((el) => el.local === 'pic' && isOurPicture(el)),
        `slide ${s.number}`,
      ).toHaveLength(1);
    }
    // Same prompts give the same art, so the media parts are reused rather than duplicated: one per
    // illustrated slide (the four content slides; the cover and closing title slides are left as designed).
    expect(Object.keys(zip.files).filter((n) => n.startsWith('ppt/media/slide-illustrate-')).length).toBe(4);
  });

  it('refuses to overwrite its input', async () => {
    const report = await illustrateOffline(fixtures.demo, fixtures.demo);
    expect(report.status).toBe('refused');
    expect(report.error).toMatch(/overwrite the input/);
  });
});

describe('listSome', () => {
  it('lists a few items, then how many more, so a deck with hundreds of defects warns in one readable line', () => {
    expect(listSome(['a', 'b'], 3)).toBe('a; b');
    expect(listSome(['a', 'b', 'c'], 3)).toBe('a; b; c');
    expect(listSome(['a', 'b', 'c', 'd', 'e'], 3)).toBe('a; b; c; and 2 more');
  });
});
