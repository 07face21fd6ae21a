// Report cards draw the slide as the planner sees it (issue 13, item 5): the planner's own obstacles
// to scale, the picture in place, and any picture overlapping an obstacle flagged on its card and counted at the top.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { defaultConfig } from '../../src/config/schema.js';
import { resolvePrices } from '../../src/model/cost.js';
import { uncachedLookup } from '../../src/cache/cached-providers.js';
import { createLimiters } from '../../src/internal/limiters.js';
import { totalBatch, type BatchReport, type DeckReport } from '../../src/model/report.js';
import { planRun, takePresentation } from '../../src/pipeline/plan-run.js';
import { runDeck } from '../../src/pipeline/run-deck.js';
import { obstaclesOf } from '../../src/pptx/placement.js';
import { readPresentationFile } from '../../src/pptx/read-presentation.js';
import { createOfflineProviders } from '../../src/providers/offline.js';
import { collectReport } from '../../src/report/collect-report.js';
import { attachObstacles, pictureConflicts } from '../../src/report/planner-view.js';
import { renderReportHtml } from '../../src/report/render-html.js';
import { tempDir } from '../helpers/paths.js';

const DECKS = [fixtures.demo, fixtures.bullets, fixtures.tables, fixtures.groups, fixtures.picturePlaceholder, fixtures.fourThree];

// Plans and applies the decks as a run does; with `report`, the cards get the plan's obstacles as api/run.ts attaches them.
async function reportRun(inputs: string[], report: boolean): Promise<BatchReport> {
  const dir = await tempDir();
  const config = defaultConfig();
  const providers = createOfflineProviders();
  const backend = { kind: 'offline', offline: true };
  const jobs = inputs.map((input) => ({ input, output: path.join(dir, path.basename(input)) }));
  const planned = await planRun(jobs, config, uncachedLookup(providers, config), { backend });
  const run = { backend, providers, limiters: createLimiters({ llm: 2, image: 2 }) };
  const decks: DeckReport[] = [];
  for (const deck of planned.plan.decks) decks.push(await runDeck(deck, takePresentation(planned, deck.input), run));
  const batch = { decks, totals: totalBatch(decks), ms: 1 };
  if (report) attachObstacles(batch, planned.plan);
  return batch;
}

const html = (batch: BatchReport) =>
  renderReportHtml(
    collectReport({
      batch,
      prices: resolvePrices(defaultConfig().pricing),
      provider: { kind: 'offline', offline: true },
      cwd: path.dirname(fixtures.demo),
    }),
  );

const sortBoxes = (boxes: { x: number; y: number; cx: number; cy: number }[]) =>
  boxes.map(({ x, y, cx, cy }) => [x, y, cx, cy]).sort((a, b) => a.join().localeCompare(b.join()));

describe("the report draws the planner's view", () => {
  it("carries the planner's own obstacles on each slide, draws them to scale, and finds no conflict on the fixtures", {
    timeout: 120_000,
  }, async () => {
    const batch = await reportRun(DECKS, true);
    // The boxes are obstaclesOf (all the slide's and its layout's shapes) plus the busy background: no second geometry.
    const demo = batch.decks[0]!;
    const pres = await readPresentationFile(fixtures.demo);
    for (const s of demo.slides) {
      const slide = pres.slides[s.number - 1]!;
      expect(sortBoxes(s.obstacles!), `slide ${s.number}`).toEqual(
        sortBoxes([...obstaclesOf([...slide.inheritedShapes, ...slide.shapes], pres.slideSize), ...slide.backgroundBusy]),
      );
    }
    const all = batch.decks.flatMap((d) => d.slides);
    expect(all.filter((s) => s.status === 'illustrated').length).toBeGreaterThan(10);
    expect(all.every((s) => Array.isArray(s.obstacles))).toBe(true);
    expect(all.filter((s) => pictureConflicts(s).length > 0)).toEqual([]);
    const page = html(batch);
    const rects = [...page.matchAll(/<rect class="ob ob-(\w+)( hit)?" x="-?\d+" y="-?\d+" width="\d+" height="\d+">/g)];
    expect(rects.length).toBe(all.reduce((n, s) => n + s.obstacles!.length, 0));
    expect(new Set(rects.map((m) => m[1]))).toEqual(new Set(['text', 'frame', 'shape', 'layout']));
    expect(rects.some((m) => m[2])).toBe(false);
    expect(page).toMatch(/<div class="tile conflicts"><div class="tile-label">Conflicts<\/div><div class="tile-value">0<\/div>/);
    expect(page).not.toContain('badge conflict');
  });

  it('flags a picture that overlaps an obstacle on its card and counts it at the top', { timeout: 120_000 }, async () => {
    const batch = await reportRun([fixtures.demo, fixtures.bullets], true);
    const slide = batch.decks[1]!.slides.find((s) => s.status === 'illustrated')!;
    const text = slide.obstacles!.find((o) => o.kind === 'text')!;
    slide.box = { x: text.x + 10, y: text.y + 10, cx: 2_000_000, cy: 2_000_000 };
    const page = html(batch);
    expect(page).toMatch(/<div class="tile warn conflicts"><div class="tile-label">Conflicts<\/div><div class="tile-value">1<\/div>/);
    const card = page.slice(page.indexOf(`id="deck-1-slide-${slide.number}"`) - 60);
    expect(card).toMatch(/^[\s\S]*?<article class="card st-illustrated conflict"/);
    expect(card).toContain('<span class="badge conflict">conflict</span>');
    expect(card).toMatch(/Conflict:<\/span> the picture overlaps \d+ things? the slide shows \(text/);
    expect(card).toMatch(/<rect class="ob ob-text hit"/);
  });

  it('a run without --report carries no obstacles: no view, no conflicts tile', { timeout: 120_000 }, async () => {
    const batch = await reportRun([fixtures.bullets], false);
    expect(batch.decks.flatMap((d) => d.slides).some((s) => s.obstacles)).toBe(false);
    const page = html(batch);
    expect(page).not.toContain('class="view"');
    expect(page).not.toContain('Conflicts');
  });
});
