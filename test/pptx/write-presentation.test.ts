// Faithful decks: placeholders filled the PowerPoint way, re-runs, fidelity on odd packages, the validator.
import { execFile } from 'node:child_process';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { defaultConfig } from '../../src/config/schema.js';
import { PackageValidationError } from '../../src/errors.js';
import { readPresentation, readPresentationFile } from '../../src/pptx/read-presentation.js';
import { NO_ROOM } from '../../src/pptx/placement.js';
import { partProblems, refuseNewProblems, type PartSource, type ZipEntries } from '../../src/pptx/validate-package.js';
import { writePresentation } from '../../src/pptx/deck-writer.js';
import { illustrateOffline } from '../helpers/illustrate.js';
import { corpusDir, requireCorpus, tempDir } from '../helpers/paths.js';
import { checkPackage } from '../helpers/pptx-invariants.js';

// The writer's check of what it changed: the parts' problems, refused unless the input had them.
async function validateChanges(file: string, out: ZipEntries | PartSource, parts: string[], baseline: () => Promise<string[]>) {
  await refuseNewProblems(file, await partProblems(out, parts), baseline);
}

const slideXml = async (file: string, part: string) => (await JSZip.loadAsync(await readFile(file))).file(part)!.async('string');
const picOf = (xml: string) => xml.match(/<p:pic>[\s\S]*?<\/p:pic>/g) ?? [];

// The demo deck whose first slide gained a picture pointing at a relationship it does not have.
async function demoWithDanglingPicture(rId: string): Promise<{ zip: JSZip; part: string }> {
  const zip = await JSZip.loadAsync(await readFile(fixtures.demo));
  const part = 'ppt/slides/slide1.xml';
  const xml = await zip.file(part)!.async('string');
  const pic = `<p:pic><p:nvPicPr><p:cNvPr id="900" name="x"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:embed="${rId}"/></p:blipFill><p:spPr/></p:pic>`;
  zip.file(part, xml.replace('</p:spTree>', `${pic}</p:spTree>`));
  return { zip, part };
}

describe('picture placeholders', () => {
  it('fills an empty picture placeholder the PowerPoint way, geometry inherited from the layout', async () => {
    const out = path.join(await tempDir(), 'pp.pptx');
    const report = await illustrateOffline(fixtures.picturePlaceholder, out);
    expect(report.slides.map((s) => s.placement)).toEqual(['placeholder', 'placeholder']);
    const before = await slideXml(fixtures.picturePlaceholder, 'ppt/slides/slide2.xml');
    expect(before).toMatch(/<p:sp><p:nvSpPr><p:cNvPr id="4" name="Picture Placeholder 2"\/>[\s\S]*<p:spPr\/><\/p:sp>/);
    const xml = await slideXml(out, 'ppt/slides/slide2.xml');
    const [pic] = picOf(xml);
    expect(pic).toMatch(/<p:cNvPr id="4" name="Picture Placeholder 2" descr="[^"]+">/);
    expect(pic).toMatch(/<p:ph type="pic" idx="102" hasCustomPrompt="1"\/>/);
    expect(pic).toMatch(/<a:picLocks noGrp="1" noChangeAspect="1"\/>/);
    expect(pic).toMatch(/<a:srcRect l="\d+" t="\d+" r="\d+" b="\d+"\/>/);
    expect(pic).toMatch(/<p:spPr\/>/);
    // The placeholder shape is gone, replaced in place.
    expect(xml).not.toMatch(/name="Picture Placeholder 2"\/>/);
    const pres = await readPresentationFile(out);
    const layoutBox = (await readPresentationFile(fixtures.picturePlaceholder)).slides[1]!.shapes.find((s) => s.id === '4')!.box;
    expect(pres.slides[1]!.shapes.find((s) => s.id === '4')).toMatchObject({ kind: 'pic', ours: true, box: layoutBox });
    expect((await checkPackage(await readFile(out), await readFile(fixtures.picturePlaceholder))).problems).toEqual([]);
  });

  it('keeps a placeholder’s own position when it has one', async () => {
    const out = path.join(await tempDir(), 'pp.pptx');
    await illustrateOffline(fixtures.picturePlaceholder, out);
    const [pic] = picOf(await slideXml(out, 'ppt/slides/slide1.xml'));
    expect(pic).toMatch(/<p:spPr><a:xfrm><a:off x="6309360" y="548640"\/><a:ext cx="5330952" cy="5760720"\/><\/a:xfrm><\/p:spPr>/);
  });

  it('leaves the empty content placeholders of a real template alone where a table lies over them', async () => {
    requireCorpus();
    const input = path.join(corpusDir, 'openxmlsdk__MRDProductSteeringCommitteePresentation_TP10193309.potx');
    const out = path.join(await tempDir(), 'ph.pptx');
    const report = await illustrateOffline(input, out);
    // Slides 7, 8, 9 and 14 have an empty content placeholder under a table: filling it would hide the table.
    expect(report.slides.filter((s) => s.placement === 'placeholder').map((s) => s.number)).toEqual([]);
    expect(report.slides.filter((s) => [7, 14].includes(s.number)).map((s) => s.reason)).toEqual([NO_ROOM, NO_ROOM]);
    expect((await checkPackage(await readFile(out), await readFile(input))).problems).toEqual([]);
  });

  it('re-running over its own output refills the same placeholder, never stacking pictures', async () => {
    const dir = await tempDir();
    const once = path.join(dir, 'once.pptx');
    const twice = path.join(dir, 'twice.pptx');
    await illustrateOffline(fixtures.picturePlaceholder, once);
    const report = await illustrateOffline(once, twice);
    expect(report.slides.map((s) => s.placement)).toEqual(['placeholder', 'placeholder']);
    for (const part of ['ppt/slides/slide1.xml', 'ppt/slides/slide2.xml']) {
      const pics = picOf(await slideXml(twice, part));
      expect(pics).toHaveLength(1);
      expect(pics[0]).toMatch(/<p:cNvPr id="4" /);
    }
    const check = await checkPackage(await readFile(twice), await readFile(once));
    expect(check.problems).toEqual([]);
  });

  it('never touches the author’s own pictures on a re-run', async () => {
    requireCorpus();
    const input = path.join(corpusDir, 'pypptx__shp-picture.pptx');
    const dir = await tempDir();
    await illustrateOffline(input, path.join(dir, 'a.pptx'));
    await illustrateOffline(path.join(dir, 'a.pptx'), path.join(dir, 'b.pptx'));
    const zipIn = await JSZip.loadAsync(await readFile(input));
    const zipOut = await JSZip.loadAsync(await readFile(path.join(dir, 'b.pptx')));
    for (const name of Object.keys(zipIn.files).filter((n) => n.startsWith('ppt/media/'))) {
      expect((await zipOut.file(name)!.async('nodebuffer')).equals(await zipIn.file(name)!.async('nodebuffer'))).toBe(true);
    }
    const authorPics = async (zip: JSZip) => {
      let n = 0;
      for (const name of Object.keys(zip.files).filter((f) => /^ppt\/slides\/slide\d+\.xml$/.test(f))) {
        n += picOf(await zip.file(name)!.async('string')).filter((p) => !p.includes('slide-illustrate')).length;
      }
      return n;
    };
    expect(await authorPics(zipOut)).toBe(await authorPics(zipIn));
  });
});

describe('placement policies', () => {
  it('background: full-bleed behind the content, first in the shape tree', async () => {
    const out = path.join(await tempDir(), 'bg.pptx');
    const report = await illustrateOffline(fixtures.bullets, out, { config: { ...defaultConfig(), placement: 'background' } });
    expect(report.slides.map((s) => [s.status, s.placement])).toEqual([1, 2, 3].map(() => ['illustrated', 'background']));
    const xml = await slideXml(out, 'ppt/slides/slide1.xml');
    expect(xml).toMatch(/<\/p:grpSpPr><p:pic><p:nvPicPr><p:cNvPr id="\d+" name="slide-illustrate \d+"/);
    expect(xml).toMatch(/<a:off x="0" y="0"\/><a:ext cx="12192000" cy="6858000"\/>/);
  });

  it('none: nothing added, every slide reported skipped', async () => {
    const out = path.join(await tempDir(), 'none.pptx');
    const report = await illustrateOffline(fixtures.bullets, out, { config: { ...defaultConfig(), placement: 'none' } });
    expect(report.slides.map((s) => [s.status, s.reason])).toEqual([1, 2, 3].map(() => ['skipped', 'placement is "none"']));
    expect((await checkPackage(await readFile(out), await readFile(fixtures.bullets))).added).toEqual([]);
  });

  it('free placement avoids what the layout and master draw (footer text, bars)', async () => {
    const out = path.join(await tempDir(), 'demo.pptx');
    await illustrateOffline(fixtures.demo, out);
    const pres = await readPresentationFile(out);
    // The cover and closing slides (1, 6) are title slides left as designed; the four content slides have a picture.
    expect(pres.slides.filter((s) => s.shapes.some((x) => x.ours)).map((s) => s.number)).toEqual([2, 3, 4, 5]);
    for (const slide of pres.slides) {
      const pic = slide.shapes.find((s) => s.ours)?.box;
      if (!pic) continue;
      for (const deco of slide.inheritedShapes.filter(
        (s) => s.textBox && (s.hasText || s.textBox.cx * s.textBox.cy < 0.6 * pres.slideSize.cx * pres.slideSize.cy),
      )) {
        const b = deco.textBox!;
        const overlap = pic.x < b.x + b.cx && b.x < pic.x + pic.cx && pic.y < b.y + b.cy && b.y < pic.y + pic.cy;
        expect(overlap, `slide ${slide.number} overlaps ${deco.name}`).toBe(false);
      }
    }
  });
});

describe('fidelity on unusual packages', () => {
  const corpus = () => requireCorpus();
  it.each([
    ['openxmlsdk__anchorModified.pptx', 'http://purl.oclc.org/ooxml/officeDocument/relationships/image'],
    ['poi__SampleShow.pptx', 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/image'],
  ])('%s uses the image relationship type of its own flavour', async (name, relType) => {
    const out = path.join(await tempDir(), name);
    const report = await illustrateOffline(path.join(corpus(), name), out);
    const illustrated = report.slides.find((s) => s.status === 'illustrated')!;
    const zip = await JSZip.loadAsync(await readFile(out));
    const rels = await zip.file(`ppt/slides/_rels/slide${illustrated.number}.xml.rels`)!.async('string');
    expect(rels).toContain(`Type="${relType}" Target="../media/slide-illustrate-`);
  });

  it.each(['poi__SimpleMacro.pptm', 'poi__testPPT.ppsx', 'openxmlsdk__CompanyHndbk_TP10167124.potx', 'openxmlsdk__macro enabled.potm'])(
    '%s keeps its extension, main content type and macros',
    async (name) => {
      const input = path.join(corpus(), name);
      const out = path.join(await tempDir(), name);
      const report = await illustrateOffline(input, out);
      expect(report.status).toBe('ok');
      const [a, b] = [await readPresentationFile(input), await readPresentationFile(out)];
      expect(b.mainContentType).toBe(a.mainContentType);
      const zipIn = await JSZip.loadAsync(await readFile(input));
      const zipOut = await JSZip.loadAsync(await readFile(out));
      // Macro-enabled formats (.pptm, .potm) carry their VBA project through byte for byte; the others have none.
      const vba = 'ppt/vbaProject.bin';
      expect(zipIn.file(vba) !== null, `${name}: input has ${vba}`).toBe(/m$/.test(name));
      const vbaOut = await zipOut.file(vba)?.async('nodebuffer');
      const vbaIn = await zipIn.file(vba)?.async('nodebuffer');
      const kept = vbaOut === undefined ? vbaIn === undefined : vbaIn !== undefined && vbaOut.equals(vbaIn);
      expect(kept, `${name}: ${vba} kept as it was`).toBe(true);
      expect((await checkPackage(await readFile(out), await readFile(input))).problems).toEqual([]);
    },
  );

  it('a signed deck loses its signature, with a warning', async () => {
    const input = path.join(corpus(), 'poi__PPT2016withComment.pptx');
    const out = path.join(await tempDir(), 'signed.pptx');
    const report = await illustrateOffline(input, out);
    expect(report.warnings.join('\n')).toMatch(/digitally signed/);
    const zip = await JSZip.loadAsync(await readFile(out));
    expect(Object.keys(zip.files).some((n) => n.startsWith('_xmlsignatures/'))).toBe(false);
    expect(await zip.file('_rels/.rels')!.async('string')).not.toMatch(/digital-signature/);
    expect((await checkPackage(await readFile(out), await readFile(input))).problems).toEqual([]);
  });

  it('mc:AlternateContent text counts once and its shape ids are respected', async () => {
    const input = path.join(corpus(), 'poi__stress013.pptx');
    const out = path.join(await tempDir(), 'mc.pptx');
    const report = await illustrateOffline(input, out);
    expect(report.slides.some((s) => s.status === 'illustrated')).toBe(true);
    expect((await checkPackage(await readFile(out), await readFile(input))).problems).toEqual([]);
  });

  it('Google-Slides-style packages (cy-first sldSz, no app.xml, data descriptors)', async () => {
    const input = path.join(corpus(), 'automizer__GS_Tables_Merged.pptx');
    const pres = await readPresentationFile(input);
    expect(pres.slideSize.cx).toBeGreaterThan(pres.slideSize.cy);
    const out = path.join(await tempDir(), 'gs.pptx');
    expect((await illustrateOffline(input, out)).status).toBe('ok');
    expect((await checkPackage(await readFile(out), await readFile(input))).problems).toEqual([]);
  });

  it('a deck exported by LibreOffice', { timeout: 120_000 }, async () => {
    const dir = await tempDir();
    await promisify(execFile)(
      'soffice',
      [
        `-env:UserInstallation=file://${dir}/profile`,
        '--headless',
        '--convert-to',
        'pptx:Impress MS PowerPoint 2007 XML',
        '--outdir',
        path.join(dir, 'lo'),
        fixtures.bullets,
      ],
      { timeout: 120_000 },
    );
    const input = path.join(dir, 'lo', 'bullets.pptx');
    const out = path.join(dir, 'out.pptx');
    const report = await illustrateOffline(input, out);
    expect(report.status).toBe('ok');
    expect(report.slides.filter((s) => s.status === 'illustrated')).toHaveLength(3);
    expect((await checkPackage(await readFile(out), await readFile(input))).problems).toEqual([]);
  });

  it('writes into a UTF-16 slide and declares it UTF-8 afterwards', async () => {
    const zip = await JSZip.loadAsync(await readFile(fixtures.bullets));
    const xml = await zip.file('ppt/slides/slide1.xml')!.async('string');
    zip.file(
      'ppt/slides/slide1.xml',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml.replace(/encoding="UTF-8"/i, 'encoding="UTF-16"'), 'utf16le')]),
    );
    const dir = await tempDir();
    const input = path.join(dir, 'utf16.pptx');
    await writeFile(input, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    const out = path.join(dir, 'out.pptx');
    expect((await illustrateOffline(input, out)).status).toBe('ok');
    const written = await slideXml(out, 'ppt/slides/slide1.xml');
    expect(written).toMatch(/^<\?xml[^>]*encoding="UTF-8"/);
    expect(written).toContain('name="slide-illustrate ');
    expect((await checkPackage(await readFile(out), await readFile(input))).problems).toEqual([]);
  });

  it("every UTF-16 part it rewrites ([Content_Types].xml, a slide's .rels) is written as UTF-8 and declared so", async () => {
    const zip = await JSZip.loadAsync(await readFile(fixtures.bullets));
    const parts = ['[Content_Types].xml', 'ppt/slides/_rels/slide1.xml.rels'];
    for (const part of parts) {
      const xml = await zip.file(part)!.async('string');
      expect(xml).toMatch(/^<\?xml[^>]*encoding="UTF-8"/);
      zip.file(
        part,
        Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(xml.replace(/encoding="UTF-8"/, 'encoding="UTF-16"'), 'utf16le').swap16()]),
      );
    }
    const dir = await tempDir();
    const input = path.join(dir, 'utf16.pptx');
    await writeFile(input, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    const out = path.join(dir, 'out.pptx');
    expect((await illustrateOffline(input, out)).status).toBe('ok');
    const written = await JSZip.loadAsync(await readFile(out));
    for (const part of parts) {
      const bytes = await written.file(part)!.async('nodebuffer');
      expect(bytes.toString('utf8', 0, 60)).toMatch(/^<\?xml[^>]*encoding="UTF-8"/);
    }
    expect((await checkPackage(await readFile(out), await readFile(input))).problems).toEqual([]);
  });
});

describe('the package validator', () => {
  it('refuses to produce a broken deck, and nothing is written', async () => {
    const pres = await readPresentation('demo.pptx', await readFile(fixtures.demo));
    const slide = pres.slides[1]!;
    // A picture aimed at a placeholder id that does not exist is a writer bug: it must not become a deck.
    const dir = await tempDir();
    const picture = {
      slidePart: slide.part,
      image: Buffer.from('x'),
      format: 'png',
      box: { x: 0, y: 0, cx: 10, cy: 10 },
      descr: 'x',
      z: 'front',
      placeholderId: '999',
    } as const;
    const broken = writePresentation(pres, [picture], path.join(dir, 'out.pptx'));
    await expect(broken).rejects.toThrow(/placeholder shape 999 not found/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('catches a dangling relationship a write would introduce, tolerating what the input had', async () => {
    const { zip, part } = await demoWithDanglingPicture('rId999');
    const error = await validateChanges('demo.pptx', zip, [part], async () => []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackageValidationError);
    expect((error as Error).message).toMatch(
      /^demo\.pptx: the illustrated deck would be invalid, nothing written: ppt\/slides\/slide1\.xml: reference rId999 has no relationship/,
    );
    // The same problem already present in the input is not ours to refuse.
    await expect(
      validateChanges('demo.pptx', zip, [part], async () => ['ppt/slides/slide1.xml: reference rId999 has no relationship']),
    ).resolves.toBeUndefined();
  });

  it('splits its checks: XML problems without the package checks, a missing content type without parsing', async () => {
    const { zip, part } = await demoWithDanglingPicture('rId998');
    zip.file('ppt/media/new.xyz', 'bytes');
    const parts = [part, 'ppt/media/new.xyz'];
    expect(await partProblems(zip, parts, { xml: true })).toEqual(['ppt/slides/slide1.xml: reference rId998 has no relationship']);
    expect(await partProblems(zip, parts, { package: true })).toEqual(['ppt/media/new.xyz: no content type']);
    expect((await partProblems(zip, parts)).sort()).toEqual([
      'ppt/media/new.xyz: no content type',
      'ppt/slides/slide1.xml: reference rId998 has no relationship',
    ]);
  });

  it('asks for the input’s own problems only when the written parts have some', async () => {
    const zip = await JSZip.loadAsync(await readFile(fixtures.demo));
    let asked = 0;
    const baseline = async () => (asked++, []);
    await validateChanges('demo.pptx', zip, ['ppt/slides/slide1.xml', '[Content_Types].xml'], baseline);
    expect(asked).toBe(0);
  });

  it('flags a new part without a content type and a duplicate shape id', async () => {
    const zip = await JSZip.loadAsync(await readFile(fixtures.demo));
    zip.file('ppt/media/new.webp', Buffer.from('x'));
    const part = 'ppt/slides/slide1.xml';
    const xml = await zip.file(part)!.async('string');
    zip.file(
      part,
      xml.replace('</p:spTree>', '<p:sp><p:nvSpPr><p:cNvPr id="2" name="dup"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr/></p:sp></p:spTree>'),
    );
    const error = (await validateChanges('demo.pptx', zip, [part, 'ppt/media/new.webp'], async () => []).catch(
      (e: unknown) => e,
    )) as PackageValidationError;
    expect(error.problems).toEqual(
      expect.arrayContaining(['ppt/media/new.webp: no content type', 'ppt/slides/slide1.xml: duplicate shape id 2']),
    );
  });

  it('an output that cannot be written leaves nothing behind, not even a temp file', async () => {
    const dir = await tempDir();
    const target = path.join(dir, 'out.pptx');
    await mkdir(target); // a folder where the deck should go: the final rename fails
    const report = await illustrateOffline(fixtures.bullets, target);
    expect(report.status).toBe('failed');
    expect(await readdir(dir)).toEqual(['out.pptx']);
    expect(await readdir(target)).toEqual([]);
  });
});

describe('repairs', () => {
  it('drops content-type overrides for parts that do not exist, and says so', async () => {
    const zip = await JSZip.loadAsync(await readFile(fixtures.bullets));
    const types = await zip.file('[Content_Types].xml')!.async('string');
    zip.file(
      '[Content_Types].xml',
      types.replace(
        '</Types>',
        '<Override PartName="/ppt/slideMasters/slideMaster9.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slideMaster+xml"/></Types>',
      ),
    );
    const dir = await tempDir();
    const input = path.join(dir, 'phantom.pptx');
    await writeFile(input, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    const report = await illustrateOffline(input, path.join(dir, 'out.pptx'));
    expect(report.warnings.join('\n')).toMatch(/repaired 1 defect .*\/ppt\/slideMasters\/slideMaster9\.xml/);
    const out = await JSZip.loadAsync(await readFile(path.join(dir, 'out.pptx')));
    expect(await out.file('[Content_Types].xml')!.async('string')).not.toContain('slideMaster9');
  });
});
