import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { totalBatch } from '../../src/model/report.js';
import { excerptSlideText } from '../../src/model/slide-text.js';
import { makeThumbnail } from '../../src/report/thumbnail.js';
import { collectThumbnails } from '../../src/report/thumbnails.js';
import { illustrateDeckFile } from '../helpers/illustrate.js';
import { tempDir } from '../helpers/paths.js';
import { packageFileProblems } from '../helpers/pptx-invariants.js';

const run = async (thumbnails: boolean) => {
  const output = `${await tempDir()}/out.pptx`;
  const collector = thumbnails ? collectThumbnails() : undefined;
  const report = await illustrateDeckFile(fixtures.emptyAndHidden, output, { onEvent: collector?.onEvent });
  await collector?.attach({ decks: [report], totals: totalBatch([report]), ms: 0 });
  expect(await packageFileProblems(output, fixtures.emptyAndHidden)).toEqual([]);
  return report;
};

const decode = (uri: string) => Buffer.from(uri.replace(/^data:image\/jpeg;base64,/, ''), 'base64');

describe('thumbnails', () => {
  it('are made only when a run listens for pictures (--report); every slide report carries its words and the deck its size', async () => {
    const plain = await run(false);
    expect(plain.slides.some((s) => s.thumbnail)).toBe(false);
    expect(plain.slideSize).toEqual({ cx: 12_192_000, cy: 6_858_000 });
    expect(plain.slides.map((s) => [s.status, s.text?.title])).toEqual([
      ['illustrated', 'Q4 results: Distribution Centre East'],
      ['skipped', ''],
      ['skipped', 'Internal only: pricing draft'],
      ['illustrated', 'Next steps'],
    ]);

    const withThumbs = await run(true);
    const illustrated = withThumbs.slides.filter((s) => s.status === 'illustrated');
    expect(illustrated).toHaveLength(2);
    for (const slide of illustrated) {
      expect(slide.thumbnail).toMatch(/^data:image\/jpeg;base64,[A-Za-z0-9+/]+=*$/);
      const meta = await sharp(decode(slide.thumbnail!)).metadata();
      expect(meta.format).toBe('jpeg');
      // Cropped to the box's aspect, as the slide shows the picture.
      expect(Math.abs(meta.width! / meta.height! - slide.box!.cx / slide.box!.cy)).toBeLessThan(0.02);
    }
    expect(withThumbs.slides.filter((s) => s.status === 'skipped').every((s) => s.thumbnail === undefined)).toBe(true);
  });

  it('are at most 320 × 240 px, whatever the box, and flatten transparency on white', async () => {
    const rgba = await sharp({ create: { width: 2000, height: 1000, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .png()
      .toBuffer();
    for (const [box, size] of [
      [{ cx: 16, cy: 9 }, [320, 180]],
      [{ cx: 1, cy: 3 }, [80, 240]],
      [{ cx: 4, cy: 3 }, [320, 240]],
    ] as const) {
      const image = sharp(decode(await makeThumbnail(rgba, box)));
      const meta = await image.metadata();
      expect([meta.width, meta.height]).toEqual(size);
      const { channels } = await image.stats();
      expect(channels[0]!.mean).toBeGreaterThan(250);
    }
  });
});

describe('excerptSlideText', () => {
  it('drops blank lines and runs of spaces, and cuts long parts with an ellipsis', () => {
    const out = excerptSlideText({
      title: '  Big   title \n\n',
      body: `line one\n\n\n   line\ttwo  \n${'x'.repeat(700)}`,
      notes: 'n'.repeat(300),
    });
    expect(out.title).toBe('Big title');
    expect(out.body.startsWith('line one\nline two\nxxx')).toBe(true);
    expect(out.body).toHaveLength(600);
    expect(out.body.endsWith('x…')).toBe(true);
    expect(out.notes).toBe('n'.repeat(300));
  });
});
