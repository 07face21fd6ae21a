// The slide as the planner saw it, for the report's cards: the plan's obstacles of each slide
// (see stages/planner-view.ts) and the pictures that overlap one (conflicts).
import type { BatchReport, PlannerObstacle, SlideReport } from '../model/report.js';
import type { RunPlan } from '../model/run-plan.js';

/** Adds the plan's obstacles to each slide's report (only the HTML report draws them). */
export function attachObstacles(batch: BatchReport, plan: Pick<RunPlan, 'decks'>): void {
  const byInput = new Map(plan.decks.map((d) => [d.input, d]));
  for (const deck of batch.decks) {
    const slides = new Map((byInput.get(deck.input)?.slides ?? []).map((s) => [s.number, s]));
    for (const report of deck.slides) {
      const obstacles = slides.get(report.number)?.obstacles;
      if (obstacles) report.obstacles = obstacles;
    }
  }
}

/**
 * The obstacles a slide's picture overlaps: none for a picture behind the content (background),
 * or for a slide without a picture.
 */
export function pictureConflicts(slide: Pick<SlideReport, 'status' | 'box' | 'placement' | 'obstacles'>): PlannerObstacle[] {
  const b = slide.box;
  if (!b || slide.status !== 'illustrated' || slide.placement === 'background') return [];
  return (slide.obstacles ?? []).filter((o) => o.x < b.x + b.cx && b.x < o.x + o.cx && o.y < b.y + b.cy && b.y < o.y + o.cy);
}
