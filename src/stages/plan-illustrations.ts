// Stage 2 (pure): decide which slides get a picture, and where. No I/O, so --dry-run and tests
// can plan with zero network.
import type { Config } from '../config/schema.js';
import type { Box } from '../pptx/geometry.js';
import type { ZOrder } from '../pptx/picture-xml.js';
import { findFreeBox, obstaclesOf } from '../pptx/placement.js';
import type { Presentation, SlideModel } from '../pptx/read-presentation.js';
import type { SlideReport } from '../pipeline/types.js';

export const name = 'plan-illustrations';

export interface PlannedSlide {
  slide: SlideModel;
  box: Box;
  z: ZOrder;
  placement: 'free' | 'placeholder' | 'background';
}

export interface IllustrationPlan {
  planned: PlannedSlide[];
  skipped: SlideReport[];
}

export interface PlanOptions {
  placement: Config['placement'];
  includeHidden?: boolean;
}

export function planIllustrations(pres: Presentation, options: PlanOptions): IllustrationPlan {
  const planned: PlannedSlide[] = [];
  const skipped: SlideReport[] = [];
  const skip = (slide: SlideModel, reason: string) => skipped.push({ number: slide.number, status: 'skipped', reason, title: firstLine(slide.text.title) });
  for (const slide of pres.slides) {
    const { title, body, notes } = slide.text;
    if (slide.hidden && !options.includeHidden) skip(slide, 'hidden slide');
    else if (!`${title}${body}${notes}`.trim()) skip(slide, 'no text');
    else if (options.placement === 'none') skip(slide, 'placement is "none"');
    else if (options.placement === 'background') {
      planned.push({ slide, box: { x: 0, y: 0, ...pres.slideSize }, z: 'back', placement: 'background' });
    } else {
      const found = findFreeBox(pres.slideSize, obstaclesOf([...slide.inheritedShapes, ...slide.shapes], pres.slideSize));
      if (found.box) planned.push({ slide, box: found.box, z: 'front', placement: 'free' });
      else skip(slide, found.reason);
    }
  }
  return { planned, skipped };
}

export function firstLine(s: string): string {
  return s.split('\n')[0]!.trim().slice(0, 120);
}
