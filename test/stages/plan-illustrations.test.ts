import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { readPresentationFile } from '../../src/pptx/read-presentation.js';
import { planIllustrations } from '../../src/stages/plan-illustrations.js';
import { corpusDir, requireCorpus } from '../helpers/paths.js';

const reasons = (plan: ReturnType<typeof planIllustrations>) => Object.fromEntries(plan.skipped.map((s) => [s.number, s.reason]));

describe('planIllustrations slide rules', () => {
  it('skips title slides when asked, recognised by the layout type', async () => {
    requireCorpus();
    const pres = await readPresentationFile(path.join(corpusDir, 'poi__2411-Performance_Up.pptx'));
    const without = planIllustrations(pres, { placement: 'auto', skipSlides: [] });
    const withRule = planIllustrations(pres, { placement: 'auto', skipSlides: ['title'] });
    const titleSlides = pres.slides.filter((s) => s.layoutType === 'title' && !s.hidden).map((s) => s.number);
    expect(titleSlides.length).toBeGreaterThan(1);
    for (const n of titleSlides) expect(reasons(withRule)[n]).toBe('title slide (skipSlides)');
    expect(withRule.planned.length).toBeLessThan(without.planned.length);
  });

  it('skips slides that already carry a picture by default, and not when the rule is off', async () => {
    requireCorpus();
    const pres = await readPresentationFile(path.join(corpusDir, 'poi__2411-Performance_Up.pptx'));
    const hasText = (s: (typeof pres.slides)[number]) => `${s.text.title}${s.text.body}${s.text.notes}`.trim() !== '';
    const withPictures = pres.slides
      .filter((s) => !s.hidden && hasText(s) && s.shapes.some((sh) => sh.kind === 'pic'))
      .map((s) => s.number);
    expect(withPictures.length).toBeGreaterThan(0);
    const plan = planIllustrations(pres, { placement: 'auto', skipSlides: ['picture'] });
    for (const n of withPictures) expect(reasons(plan)[n]).toBe('already has a picture (skipSlides)');
    const off = planIllustrations(pres, { placement: 'auto', skipSlides: [] });
    for (const n of withPictures) expect(reasons(off)[n]).not.toBe('already has a picture (skipSlides)');
  });

  it('skips agenda slides by their title, in several languages', async () => {
    const pres = await readPresentationFile(fixtures.bullets);
    for (const title of ['Agenda', 'Sommaire', 'Ordre du jour', 'Table of contents', 'Tagesordnung:']) {
      const slide = { ...pres.slides[0]!, text: { ...pres.slides[0]!.text, title } };
      const plan = planIllustrations({ ...pres, slides: [slide] }, { placement: 'auto', skipSlides: ['agenda'] });
      expect(reasons(plan)[1], title).toBe('agenda slide (skipSlides)');
    }
    const normal = planIllustrations(pres, { placement: 'auto', skipSlides: ['agenda'] });
    expect(normal.skipped).toEqual([]);
  });

  it('skips section headers when asked', async () => {
    const pres = await readPresentationFile(fixtures.bullets);
    const slide = { ...pres.slides[0]!, layoutType: 'secHead' };
    const plan = planIllustrations({ ...pres, slides: [slide] }, { placement: 'auto', skipSlides: ['section'] });
    expect(reasons(plan)[1]).toBe('section header (skipSlides)');
  });
});

describe('planIllustrations directions', () => {
  it('skip, placement none/background/placeholder per slide, and --slides', async () => {
    const pres = await readPresentationFile(fixtures.bullets);
    const directions = new Map([
      [1, { placement: 'background' as const }],
      [2, { skip: true }],
      [3, { placement: 'none' as const }],
    ]);
    const plan = planIllustrations(pres, { placement: 'auto', skipSlides: [], directions });
    expect(plan.planned.map((p) => [p.slide.number, p.placement, p.z])).toEqual([[1, 'background', 'back']]);
    expect(reasons(plan)).toEqual({ 2: 'skipped by its direction (skip)', 3: 'placement is "none" (direction)' });
    // bullets.pptx has no empty placeholder: asked for one, the slide is skipped rather than placed elsewhere.
    const placeholder = planIllustrations(pres, { placement: 'auto', directions: new Map([[2, { placement: 'placeholder' as const }]]) });
    expect(reasons(placeholder)[2]).toMatch(/no empty placeholder/);
    const only = planIllustrations(pres, { placement: 'auto', skipSlides: [], only: new Set([2]) });
    expect([only.planned.map((p) => p.slide.number), reasons(only)]).toEqual([[2], { 1: 'not in --slides', 3: 'not in --slides' }]);
  });

  it('a slide the author gave a subject or prompt is illustrated despite skipSlides rules', async () => {
    const pres = await readPresentationFile(fixtures.bullets);
    const slide = { ...pres.slides[0]!, text: { ...pres.slides[0]!.text, title: 'Agenda' } };
    const deck = { ...pres, slides: [slide] };
    expect(planIllustrations(deck, { placement: 'auto', skipSlides: ['agenda'] }).planned).toHaveLength(0);
    const told = planIllustrations(deck, { placement: 'auto', skipSlides: ['agenda'], directions: new Map([[1, { subject: 'a map' }]]) });
    expect(told.planned).toHaveLength(1);
  });
});
