import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { emptyUsage, type DeckReport } from '../../src/model/report.js';
import { OUTPUT_RECORDS_FOLDER, probeOutputs } from '../../src/pipeline/output-records.js';
import { OVER_BUDGET_REASON } from '../../src/providers/image-budget.js';
import { tempDir } from '../helpers/paths.js';

async function setup() {
  const dir = await tempDir();
  const job = { input: path.join(dir, 'deck.pptx'), output: path.join(dir, 'out/deck.pptx') };
  await copyFile(fixtures.bullets, job.input);
  await mkdir(path.join(dir, 'out'));
  await writeFile(job.output, 'illustrated');
  const cacheDir = path.join(dir, 'cache');
  const report = (over: Partial<DeckReport> = {}): DeckReport => ({
    input: job.input,
    output: job.output,
    status: 'ok',
    slides: [{ number: 1, status: 'illustrated', title: 'One' }],
    usage: emptyUsage(),
    warnings: [],
    ms: 1,
    ...over,
  });
  return { dir, job, cacheDir, report };
}

describe('output records', () => {
  it('a complete deck is unchanged for the same settings only; the record lives in the cache folder, not beside the outputs', async () => {
    const { dir, job, cacheDir, report } = await setup();
    const first = await probeOutputs([job], cacheDir);
    expect(first.mayBeUnchanged(job)).toBe(false);
    await first.record(report(), 'cfg');
    const next = await probeOutputs([job], cacheDir);
    expect(next.mayBeUnchanged(job)).toBe(true);
    expect([...next.unchanged('cfg')]).toEqual([job.input]);
    expect([...next.unchanged('other')]).toEqual([]);
    expect([...(await probeOutputs([job], cacheDir, { force: true })).unchanged('cfg')]).toEqual([]);
    expect(await readdir(path.join(cacheDir, OUTPUT_RECORDS_FOLDER))).toHaveLength(1);
    expect(await readdir(path.join(dir, 'out'))).toEqual(['deck.pptx']);
  });

  it('a deck cut short by --max-images, partial or failed is not recorded, and forgets an older record', async () => {
    const { job, cacheDir, report } = await setup();
    await (await probeOutputs([job], cacheDir)).record(report(), 'cfg');
    const cut = report({ slides: [{ number: 1, status: 'skipped', reason: OVER_BUDGET_REASON, title: 'One' }] });
    for (const r of [cut, report({ status: 'partial' }), report({ status: 'failed', output: undefined })]) {
      const probes = await probeOutputs([job], cacheDir);
      await probes.record(r, 'cfg');
      expect([...(await probeOutputs([job], cacheDir)).unchanged('cfg')]).toEqual([]);
      await (await probeOutputs([job], cacheDir)).record(report(), 'cfg');
    }
  });
});
