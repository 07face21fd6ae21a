// Every real deck of ../shared/corpus is illustrated into a valid package that LibreOffice opens
// with the pictures shown, or refused with exit 2 and a one-line message naming it.
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedPictures } from '../helpers/expected-pictures.js';
import { convertToPdf, listPdfImages, pdfOf } from '../helpers/libreoffice.js';
import { requireCorpus } from '../helpers/paths.js';
import { checkPackage } from '../helpers/pptx-invariants.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';

const corpus = requireCorpus();
const decks = readdirSync(corpus)
  .filter((f) => /\.(pptx|pptm|ppsx|potx|potm)$/i.test(f))
  .sort();

/** The decks we must refuse, and why (see MANIFEST.tsv). */
const REFUSED: Record<string, RegExp> = {
  'tika__testPPT_protected_passtika.pptx': /password-protected/,
  'poi__clusterfuzz-testcase-minimized-POIFuzzer-5205835528404992.pptx': /not a readable zip archive/,
  'poi__clusterfuzz-testcase-minimized-POIXSLFFuzzer-5463285576892416.pptx': /not a readable zip archive/,
};

describe('the shared corpus', () => {
  const results = new Map<string, CliResult & { output: string }>();
  let outDir = '';
  let pdfDir = '';

  beforeAll(async () => {
    outDir = await mkdtemp(path.join(os.tmpdir(), 'si-corpus-'));
    pdfDir = path.join(outDir, 'pdf');
    for (const deck of decks) {
      const output = path.join(outDir, deck);
      results.set(deck, { ...(await runCli([path.join(corpus, deck), '--out', output, '--provider', 'offline'])), output });
    }
    const written = [...results.values()].filter((r) => r.code === 0).map((r) => r.output);
    await convertToPdf(written, pdfDir);
  }, 30 * 60_000);

  afterAll(() => rm(outDir, { recursive: true, force: true }));

  it('has all 174 decks', () => {
    expect(decks.length).toBe(174);
  });

  it.each(decks)('%s', async (deck) => {
    const r = results.get(deck)!;
    if (REFUSED[deck]) {
      expect(r.code).toBe(2);
      const message = (r.stdout + r.stderr).trim();
      expect(message.split('\n')).toHaveLength(1);
      expect(message).toContain(deck);
      expect(message).toMatch(REFUSED[deck]!);
      return;
    }
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const check = await checkPackage(await readFile(r.output), await readFile(path.join(corpus, deck)));
    expect(check.problems).toEqual([]);
    const expected = await expectedPictures(r.output);
    const images = await listPdfImages(pdfOf(r.output, pdfDir));
    for (const e of expected) {
      expect(
        images.some((i) => i.page === e.page && i.width === e.width && i.height === e.height),
        `slide ${e.slide}: picture ${e.width}x${e.height} on PDF page ${e.page}`,
      ).toBe(true);
    }
  });
});
