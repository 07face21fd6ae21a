// The slide as the planner sees it: every obstacle a picture must keep clear of — the slide's shapes,
// its layout's and master's (obstaclesOf), and the background's busy regions — one shape at a time so
// each box keeps its kind. The planner places pictures against exactly these; the plan carries them
// (SlidePlan.obstacles) for the report's cards and the review page.
import type { Box, ShapeInfo } from '../pptx/geometry.js';
import { obstaclesOf } from '../pptx/placement.js';
import type { SlideModel } from '../pptx/read-presentation.js';
import type { ObstacleKind, PlannerObstacle } from '../model/report.js';

/** The obstacles of one slide; with `reflow` (make-room), the narrowed body counts at its new box. */
export function plannerObstacles(
  slide: SlideModel,
  size: { cx: number; cy: number },
  reflow?: { shapeId: string; box: Box },
): PlannerObstacle[] {
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

function kindOf(s: ShapeInfo): ObstacleKind {
  if (s.kind === 'graphicFrame') return 'frame';
  if (s.kind === 'pic') return 'picture';
  if (s.kind === 'sp' && s.hasText && s.drawn === false) return 'text';
  return 'shape';
}
