// A deck whose p:sldIdLst lists one slide part twice: the part is illustrated once, the second
// listing is skipped with its reason in the summary.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { readPresentation } from '../../src/pptx/read-presentation.js';
import { tempDir } from '../helpers/paths.js';
import { packageFileProblems } from '../helpers/pptx-invariants.js';
import { runCli } from '../helpers/run-cli.js';

/** bullets.pptx with slide 1 listed again at the end: by its own r:id, or through a second relationship to its part. */
async function listedTwice(how: 'same r:id' | 'second relationship'): Promise<Buffer> {
  const zip = await JSZip.loadAsync(await readFile(fixtures.bullets));
  const pres = await zip.file('ppt/presentation.xml')!.async('string');
  const rid = how === 'same r:id' ? 'rId2' : 'rId99';
  expect(pres).toContain('<p:sldId id="258" r:id="rId4"/>');
  zip.file(
    'ppt/presentation.xml',
    pres.replace('<p:sldId id="258" r:id="rId4"/>', `<p:sldId id="258" r:id="rId4"/><p:sldId id="300" r:id="${rid}"/>`),
  );
  if (how === 'second relationship') {
    const rels = await zip.file('ppt/_rels/presentation.xml.rels')!.async('string');
    zip.file(
      'ppt/_rels/presentation.xml.rels',
      rels.replace(
        '</Relationships>',
        '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide1.xml"/></Relationships>',
      ),
    );
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

const ourPictures = (xml: string) => (xml.match(/<p:pic\b/g) ?? []).length;

describe('a slide part listed twice in p:sldIdLst', () => {
  it('is read once: the second listing is marked as a duplicate of the first', async () => {
    const pres = await readPresentation('twice.pptx', await listedTwice('second relationship'));
    expect(pres.slides.map((s) => [s.number, s.part, s.duplicateOf])).toEqual([
      [1, 'ppt/slides/slide1.xml', undefined],
      [2, 'ppt/slides/slide2.xml', undefined],
      [3, 'ppt/slides/slide3.xml', undefined],
      [4, 'ppt/slides/slide1.xml', 1],
    ]);
  });

  it.each(['same r:id', 'second relationship'] as const)(
    'gets one picture, the second listing skipped with its reason (%s)',
    async (how) => {
      const cwd = await tempDir();
      await writeFile(path.join(cwd, 'twice.pptx'), await listedTwice(how));
      const r = await runCli(['twice.pptx'], { cwd });
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/twice\.pptx: 4 slides read, 3 illustrated, 1 skipped, 0 failed/);
      expect(r.stdout).toContain('  skipped: same slide part as slide 1 (listed twice in the deck) — slide 4');
      const out = await JSZip.loadAsync(await readFile(path.join(cwd, 'output/twice.pptx')));
      const original = await JSZip.loadAsync(await readFile(fixtures.bullets));
      const before = ourPictures(await original.file('ppt/slides/slide1.xml')!.async('string'));
      expect(ourPictures(await out.file('ppt/slides/slide1.xml')!.async('string'))).toBe(before + 1);
      expect(await packageFileProblems(path.join(cwd, 'output/twice.pptx'), path.join(cwd, 'twice.pptx'))).toEqual([]);
    },
  );
});
