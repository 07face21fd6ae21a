// LibreOffice's drawing of the written deck: one PNG per slide, drawn once per deck content, and
// simply absent when LibreOffice is not installed.
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { createRenderer } from '../../src/review/renderings.js';
import { tempDir } from '../helpers/paths.js';

describe('createRenderer', () => {
  it('is unavailable without soffice on the PATH, and says so rather than failing later', async () => {
    const renderer = await createRenderer({ PATH: '/nonexistent' });
    expect(renderer.available).toBe(false);
    expect(renderer.slides()).toEqual([]);
    await expect(renderer.render(fixtures.bullets)).rejects.toThrow(/not installed/);
  });

  it('draws each slide as a PNG, once per deck content (a second render of the same bytes starts no soffice)', async () => {
    const dir = await tempDir();
    // A soffice that logs each start, then runs the real one.
    const log = path.join(dir, 'soffice.log');
    await writeFile(path.join(dir, 'soffice'), `#!/bin/sh\necho start >> '${log}'\nexec /usr/bin/soffice "$@"\n`, { mode: 0o755 });
    const deck = path.join(dir, 'talk.pptx');
    await copyFile(fixtures.bullets, deck);
    const renderer = await createRenderer({ ...process.env, PATH: `${dir}:/usr/bin:/bin` });
    expect(renderer.available).toBe(true);
    try {
      expect(await renderer.render(deck)).toBe(3);
      expect(renderer.slides()).toEqual([1, 2, 3]);
      const png = await renderer.png(2);
      const meta = await sharp(png!).metadata();
      expect(meta.format).toBe('png');
      expect(meta.width).toBeGreaterThan(meta.height!);
      expect(await renderer.png(4)).toBeUndefined();
      expect(await renderer.render(deck)).toBe(3);
      expect((await readFile(log, 'utf8')).trim().split('\n')).toEqual(['start']);
    } finally {
      await renderer.dispose();
    }
  }, 180_000);
});
