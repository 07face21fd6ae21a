// Busy parts of background pictures are obstacles; smooth gradients and flat colour are free
// (issue 13, item 1).
import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { busyRegions } from '../../src/pptx/background-busy.js';
import type { Box } from '../../src/pptx/geometry.js';
import { readPresentation } from '../../src/pptx/read-presentation.js';
import { planIllustrations } from '../../src/stages/plan-illustrations.js';

const W = 1280;
const H = 720;
const SLIDE = { x: 0, y: 0, cx: 12_192_000, cy: 6_858_000 };
const png = (body: string) =>
  sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${body}</svg>`))
    .png()
    .toBuffer();
/** A light background with a navy title band over the top 12 % and a red logo box in the bottom-right corner. */
const BANDED = `<rect width="${W}" height="${H}" fill="#f4f6f8"/><rect width="${W}" height="86" fill="#1f3a5f"/><rect x="1110" y="610" width="130" height="80" fill="#c0392b"/>`;
const BAND: Box = { x: 0, y: 0, cx: SLIDE.cx, cy: Math.round((86 / H) * SLIDE.cy) };
const LOGO: Box = {
  x: Math.round((1110 / W) * SLIDE.cx),
  y: Math.round((610 / H) * SLIDE.cy),
  cx: Math.round((130 / W) * SLIDE.cx),
  cy: Math.round((80 / H) * SLIDE.cy),
};
const GRADIENT = `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#203060"/><stop offset="1" stop-color="#e0f0ff"/></linearGradient></defs><rect width="${W}" height="${H}" fill="url(#g)"/>`;

const overlaps = (a: Box, b: Box) => a.x < b.x + b.cx && b.x < a.x + a.cx && a.y < b.y + b.cy && b.y < a.y + a.cy;
const covered = (target: Box, boxes: Box[]) => {
  // Every point of a 10 × 10 sample of `target` lies in some busy box.
  for (let i = 0; i < 10; i++)
    for (let j = 0; j < 10; j++) {
      const x = target.x + ((i + 0.5) / 10) * target.cx;
      const y = target.y + ((j + 0.5) / 10) * target.cy;
      if (!boxes.some((b) => x >= b.x && x <= b.x + b.cx && y >= b.y && y <= b.y + b.cy)) return false;
    }
  return true;
};

describe('busyRegions', () => {
  it('marks a title band and a corner logo, and leaves the plain rest free', async () => {
    const busy = await busyRegions(await png(BANDED), SLIDE);
    expect(covered(BAND, busy)).toBe(true);
    expect(covered(LOGO, busy)).toBe(true);
    const area = busy.reduce((sum, b) => sum + b.cx * b.cy, 0);
    expect(area / (SLIDE.cx * SLIDE.cy)).toBeLessThan(0.25);
    // The middle of the slide is free.
    expect(busy.some((b) => overlaps(b, { x: 3_000_000, y: 2_000_000, cx: 6_000_000, cy: 3_000_000 }))).toBe(false);
  });

  it('leaves smooth gradients and flat colour free', async () => {
    expect(await busyRegions(await png(GRADIENT), SLIDE)).toEqual([]);
    expect(await busyRegions(await png(`<rect width="${W}" height="${H}" fill="#336699"/>`), SLIDE)).toEqual([]);
  });

  it('sees a texture of fine lines that averaging one colour per cell smooths away', async () => {
    // Thin light-grey rings every 6 px over the left half of a white picture: each 20 px cell averages to an even light grey.
    const rings = Array.from(
      { length: 50 },
      (_, i) => `<circle cx="320" cy="360" r="${10 + i * 6}" fill="none" stroke="#a0a0a0" stroke-width="1"/>`,
    ).join('');
    const image = await png(
      `<rect width="${W}" height="${H}" fill="#ffffff"/><clipPath id="c"><rect width="620" height="${H}"/></clipPath><g clip-path="url(#c)">${rings}</g>`,
    );
    const busy = await busyRegions(image, SLIDE);
    const ringArea = {
      x: Math.round((100 / W) * SLIDE.cx),
      y: Math.round((150 / H) * SLIDE.cy),
      cx: Math.round((420 / W) * SLIDE.cx),
      cy: Math.round((420 / H) * SLIDE.cy),
    };
    expect(covered(ringArea, busy)).toBe(true);
    // The plain right half stays free.
    expect(busy.some((b) => overlaps(b, { x: Math.round(0.6 * SLIDE.cx), y: 0, cx: Math.round(0.4 * SLIDE.cx), cy: SLIDE.cy }))).toBe(
      false,
    );
  });

  it('sees the rim of a white drawing on a transparent picture (a faint feather outline on the slide)', async () => {
    const image = await png(`<ellipse cx="640" cy="360" rx="400" ry="150" fill="#ffffff"/>`);
    const busy = await busyRegions(image, SLIDE);
    const rimLeft = {
      x: Math.round((245 / W) * SLIDE.cx),
      y: Math.round((340 / H) * SLIDE.cy),
      cx: Math.round((10 / W) * SLIDE.cx),
      cy: Math.round((40 / H) * SLIDE.cy),
    };
    expect(busy.some((b) => overlaps(b, rimLeft))).toBe(true);
    expect(busy.some((b) => overlaps(b, { x: 0, y: 0, cx: Math.round(0.15 * SLIDE.cx), cy: Math.round(0.2 * SLIDE.cy) }))).toBe(false);
  });

  it('yields nothing for a picture it cannot decode', async () => {
    expect(await busyRegions(Buffer.from('not an image'), SLIDE)).toEqual([]);
  });
});

/** The picture-placeholder fixture with a master background picture (p:bg/p:bgPr/a:blipFill); layouts' own plain backgrounds removed. */
async function deckWithMasterBackground(image: Buffer) {
  const zip = await JSZip.loadAsync(await readFile(fixtures.picturePlaceholder));
  const master = await zip.file('ppt/slideMasters/slideMaster1.xml')!.async('string');
  zip.file(
    'ppt/slideMasters/slideMaster1.xml',
    master.replace(
      '<p:cSld><p:spTree>',
      '<p:cSld><p:bg><p:bgPr><a:blipFill><a:blip r:embed="rIdBg"/><a:stretch><a:fillRect/></a:stretch></a:blipFill><a:effectLst/></p:bgPr></p:bg><p:spTree>',
    ),
  );
  const rels = await zip.file('ppt/slideMasters/_rels/slideMaster1.xml.rels')!.async('string');
  zip.file(
    'ppt/slideMasters/_rels/slideMaster1.xml.rels',
    rels.replace(
      '</Relationships>',
      '<Relationship Id="rIdBg" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="../media/background.png"/></Relationships>',
    ),
  );
  zip.file('ppt/media/background.png', image);
  for (const name of Object.keys(zip.files).filter((n) => /^ppt\/slideLayouts\/[^/]+\.xml$/.test(n))) {
    zip.file(name, (await zip.file(name)!.async('string')).replace(/<p:bg>.*?<\/p:bg>/, ''));
  }
  return readPresentation('background.pptx', await zip.generateAsync({ type: 'uint8array' }));
}

describe('planning over a master background picture', () => {
  it('keeps the picture off the background title band and corner logo', async () => {
    const pres = await deckWithMasterBackground(await png(BANDED));
    const plan = planIllustrations(pres, { placement: 'auto', skipSlides: [] });
    expect(plan.planned.length).toBeGreaterThan(0);
    for (const p of plan.planned) {
      expect(overlaps(p.box, BAND), `slide ${p.slide.number}`).toBe(false);
      expect(overlaps(p.box, LOGO), `slide ${p.slide.number}`).toBe(false);
    }
  });

  it('lets a gradient background block nothing: the empty placeholder is still filled', async () => {
    const pres = await deckWithMasterBackground(await png(GRADIENT));
    expect(pres.slides.every((s) => s.backgroundBusy.length === 0)).toBe(true);
    const plan = planIllustrations(pres, { placement: 'auto', skipSlides: [] });
    expect(plan.planned.find((p) => p.slide.number === 1)?.placement).toBe('placeholder');
  });
});
