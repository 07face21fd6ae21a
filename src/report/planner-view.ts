// The slide as the planner sees it, for the report's cards: every obstacle the planner keeps a
// picture clear of — from its own computation (obstaclesOf, the background's busy regions), one
// shape at a time so each box keeps its kind — and the pictures that overlap one (conflicts).
import type { Box, ShapeInfo } from '../pptx/geometry.js';
import { obstaclesOf } from '../pptx/placement.js';
import type { Presentation, SlideModel } from '../pptx/read-presentation.js';
import type { ObstacleKind, PlannerObstacle, SlideReport } from '../pipeline/types.js';
import type { IllustrationPlan } from '../stages/plan-illustrations.js';

/** The planner's obstacles of one slide; a make-room slide's body counts at its narrowed box. */
export function plannerObstacles(slide: SlideModel, size: { cx: number; cy: number }, reflow?: { shapeId: string; box: Box }): PlannerObstacle[] {
  const out: PlannerObstacle[] = [];
  const add = (shape: ShapeInfo, kind: ObstacleKind) => {
    const narrowed = reflow && shape.id === reflow.shapeId ? { ...shape, box: reflow.box, textBox: reflow.box } : shape;
    for (const box of obstaclesOf([narrowed], size)) out.push({ ...box, kind });
  };
  for (const s of slide.inheritedShapes) add(s, 'layout');
  for (const s of slide.shapes) add(s, kindOf(s));
  for (const b of slide.backgroundBusy ?? []) out.push({ ...b, kind: 'background' });
  return out;
}

/** Adds the planner's obstacles to each slide's report (only --report asks for them). */
export function attachObstacles(slides: SlideReport[], pres: Presentation, plan: IllustrationPlan): void {
  for (const report of slides) {
    const slide = pres.slides[report.number - 1];
    if (!slide || slide.number !== report.number) continue;
    const reflow = plan.planned.find((p) => p.slide.number === report.number)?.reflow;
    report.obstacles = plannerObstacles(slide, pres.slideSize, reflow);
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

function kindOf(s: ShapeInfo): ObstacleKind {
  if (s.kind === 'graphicFrame') return 'frame';
  if (s.kind === 'pic') return 'picture';
  if (s.kind === 'sp' && s.hasText && s.drawn === false) return 'text';
  return 'shape';
}
