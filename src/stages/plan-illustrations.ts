// Stage 2 (pure): decide which slides get a picture, and where. No I/O, so --dry-run and tests
// can plan with zero network.
import type { Config } from '../config/schema.js';
import type { Box } from '../pptx/geometry.js';
import type { ZOrder } from '../pptx/picture-xml.js';
import {
  BACKDROP_COVER,
  findFreeBox,
  findTitleBox,
  isTitleWorthy,
  largestFreeShare,
  obstaclesOf,
  slideGrid,
  TITLE_NO_ROOM,
} from '../pptx/placement.js';

export { TITLE_NO_ROOM };
import type { Presentation, SlideModel } from '../pptx/read-presentation.js';
import type { SlideDirection } from '../model/directions.js';
import type { SlideReport } from '../model/report.js';
import { excerptSlideText } from '../model/slide-text.js';
import { makeRoom, type Reflow } from './make-room.js';
import { plannerObstacles } from './planner-view.js';

export interface PlannedSlide {
  slide: SlideModel;
  box: Box;
  z: ZOrder;
  placement: 'free' | 'placeholder' | 'background' | 'make-room';
  /** For placement "placeholder": the p:cNvPr id of the shape the picture fills. */
  placeholderId?: string;
  /** For placement "make-room": the body shape narrowed into a column beside the picture, and its autofit. */
  reflow?: Reflow;
}

/** Placeholder types a picture may fill when empty: picture, and content ("obj", also a p:ph without type). */
const FILLABLE = new Set(['pic', 'obj']);
/** A placeholder smaller than this share of the slide's width or height is not worth filling. */
const MIN_PLACEHOLDER = 0.15;

/** Placeholders a title slide's text sits in. */
const TITLE_TEXT = new Set(['title', 'ctrTitle', 'subTitle']);

/** A cover or closing slide drawn with plain text boxes has a title and a subtitle: a few lines, a few words (no bullet list). */
const COVER_LINES = 3;
const COVER_WORDS = 40;
const COVER_CHARS = 240;

/**
 * Title and section slides: a `title` or `secHead` layout, a centred-title placeholder, or a first or
 * last slide whose only text is a title and a subtitle — title placeholders, or at most two plain text
 * boxes of a few words (decks built by code often draw their cover and "Thank you" slide this way) —
 * with no table, chart or picture. They get a full-height side panel or a band, or no picture. The
 * placement audit uses this same definition. `slideCount` (the deck's) lets the last slide count.
 */
export function isTitleSlide(slide: SlideModel, slideCount?: number): boolean {
  if (slide.layoutType === 'title' || slide.layoutType === 'secHead') return true;
  if (slide.shapes.some((s) => s.placeholder?.type === 'ctrTitle')) return true;
  const last = slideCount !== undefined && slideCount > 1 && slide.number === slideCount;
  if (slide.number !== 1 && !last) return false;
  if (slide.shapes.some((s) => s.kind === 'graphicFrame' || (s.kind === 'pic' && !s.ours))) return false;
  const texts = slide.shapes.filter((s) => s.hasText);
  if (texts.length === 0) return false;
  // The first slide with nothing but title placeholders (the last one may be an ordinary content slide).
  if (!last && texts.every((s) => s.placeholder !== undefined && TITLE_TEXT.has(s.placeholder.type))) return true;
  const plain = texts.every((s) => s.kind === 'sp' && (s.placeholder === undefined || TITLE_TEXT.has(s.placeholder.type)));
  const boxes = texts.filter((s) => s.placeholder === undefined).length;
  const all = `${slide.text.title}\n${slide.text.body}`;
  const lines = all.split('\n').filter((l) => l.trim()).length;
  const words = all.split(/\s+/).filter(Boolean).length;
  return plain && boxes > 0 && texts.length <= 2 && lines <= COVER_LINES && words <= COVER_WORDS && all.length <= COVER_CHARS;
}

/** The free share a slide needs to be one the planner should illustrate (issue 13: a quarter of the slide). */
export const ELIGIBLE_FREE_SHARE = 0.25;

/**
 * Whether a slide is one that should get a picture: no rule skips it (duplicate, hidden, no text,
 * placement "none", skipSlides) and its largest free rectangle, `GAP` from everything it shows, is at
 * least a quarter of the slide. The placement audit measures the planner against this.
 */
export function isEligible(slide: SlideModel, pres: Presentation, options: PlanOptions): boolean {
  if (skipReason(slide, pres, options)) return false;
  return largestFreeShare(pres.slideSize, plannerObstacles(slide, pres.slideSize)) >= ELIGIBLE_FREE_SHARE;
}

export interface IllustrationPlan {
  planned: PlannedSlide[];
  skipped: SlideReport[];
}

export interface PlanOptions {
  placement: Config['placement'];
  skipSlides?: Config['skipSlides'];
  includeHidden?: boolean;
  /** What the deck's author said per slide, by slide number (see model/directions.ts). */
  directions?: ReadonlyMap<number, SlideDirection> | undefined;
  /** --slides: only these slide numbers get a picture; the others are skipped, untouched. */
  only?: ReadonlySet<number> | undefined;
}

/** Why a slide outside --slides is left alone. */
export const NOT_SELECTED = 'not in --slides';

// The placement a slide's direction asks for, as the config's values ('auto' here means the planner's own choice).
function placementFor(direction: SlideDirection | undefined, configured: Config['placement']): Config['placement'] | 'placeholder' {
  const asked = direction?.placement;
  if (asked === undefined) return configured;
  if (asked === 'auto') return configured === 'make-room' ? 'make-room' : 'auto';
  return asked;
}

/** Titles that mark an agenda slide, in the languages our users write decks in. */
const AGENDA =
  /^(agenda|contents?|table of contents|overview|outline|today'?s topics|sommaire|ordre du jour|programme|plan|tagesordnung|inhalt|inhaltsverzeichnis|indice|índice)\s*:?$/i;

/** Why a slide's kind excludes it from illustration under the configured rules, if it does. */
export function ruleSkip(slide: SlideModel, skip: readonly string[], size: { cx: number; cy: number }): string | undefined {
  const title = slide.text.title.trim();
  if (skip.includes('title') && (slide.layoutType === 'title' || slide.shapes.some((s) => s.placeholder?.type === 'ctrTitle')))
    return 'title slide (skipSlides)';
  if (skip.includes('section') && slide.layoutType === 'secHead') return 'section header (skipSlides)';
  if (skip.includes('agenda') && AGENDA.test(title.split('\n')[0] ?? '')) return 'agenda slide (skipSlides)';
  if (skip.includes('picture') && slide.shapes.some((s) => s.kind === 'pic' && !s.ours && s.box && isContentPicture(s.box, size))) {
    return 'already has a picture (skipSlides)';
  }
  return undefined;
}

/** Pictures smaller than this share of the slide are icons and logos: obstacles, not "already has a picture". */
export const ICON_COVER = 0.03;

// A picture that counts as the slide's own illustration: not an icon or logo, not a backdrop.
function isContentPicture(box: Box, size: { cx: number; cy: number }): boolean {
  const cover = (box.cx * box.cy) / (size.cx * size.cy);
  return cover >= ICON_COVER && cover < BACKDROP_COVER;
}

export function planIllustrations(pres: Presentation, options: PlanOptions): IllustrationPlan {
  const planned: PlannedSlide[] = [];
  const skipped: SlideReport[] = [];
  const skip = (slide: SlideModel, reason: string) =>
    skipped.push({
      number: slide.number,
      status: 'skipped',
      reason,
      title: firstLine(slide.text.title),
      text: excerptSlideText(slide.text),
    });
  for (const slide of pres.slides) {
    const direction = options.directions?.get(slide.number);
    const placement = placementFor(direction, options.placement);
    const reason = skipReason(slide, pres, { ...options, placement: placement === 'placeholder' ? 'auto' : placement }, direction);
    if (reason) {
      skip(slide, reason);
      continue;
    }
    if (placement === 'background') {
      planned.push({ slide, box: { x: 0, y: 0, ...pres.slideSize }, z: 'back', placement: 'background' });
      continue;
    }
    const titleSlide = isTitleSlide(slide, pres.slides.length);
    const target = fillablePlaceholder(slide, pres.slideSize);
    // A placeholder the author asked for is filled even on a title slide; none to fill, the slide is skipped.
    if (target?.box && target.id && (placement === 'placeholder' || !titleSlide || isTitleWorthy(target.box, pres.slideSize))) {
      planned.push({ slide, box: target.box, z: 'front', placement: 'placeholder', placeholderId: target.id });
      continue;
    }
    if (placement === 'placeholder') {
      skip(slide, 'no empty placeholder to fill (direction placement "placeholder")');
      continue;
    }
    const obstacles = plannerObstacles(slide, pres.slideSize);
    if (titleSlide) {
      const box = findTitleBox(pres.slideSize, obstacles);
      if (box) planned.push({ slide, box, z: 'front', placement: 'free' });
      else skip(slide, TITLE_NO_ROOM);
      continue;
    }
    const found = findFreeBox(pres.slideSize, obstacles, undefined, slideGrid(slide.shapes, pres.slideSize));
    const room = placement === 'make-room' ? makeRoom(slide, pres.slideSize, found.box) : undefined;
    if (room?.box) planned.push({ slide, box: room.box, z: 'front', placement: 'make-room', reflow: room.reflow });
    else if (room) skip(slide, room.reason);
    else if (found.box) planned.push({ slide, box: found.box, z: 'front', placement: 'free' });
    else skip(slide, found.reason);
  }
  return { planned, skipped };
}

function skipReason(slide: SlideModel, pres: Presentation, options: PlanOptions, direction?: SlideDirection): string | undefined {
  const { title, body, notes } = slide.text;
  if (options.only && !options.only.has(slide.number)) return NOT_SELECTED;
  if (slide.duplicateOf !== undefined) return `same slide part as slide ${slide.duplicateOf} (listed twice in the deck)`;
  if (direction?.skip) return 'skipped by its direction (skip)';
  if (slide.hidden && !options.includeHidden) return 'hidden slide';
  // The author said what to show: neither an empty slide nor its kind (skipSlides) stands in the way.
  const told = direction?.prompt !== undefined || direction?.subject !== undefined;
  if (!told && !`${title}${body}${notes}`.trim()) return 'no text';
  if (options.placement === 'none') return direction?.placement === 'none' ? 'placement is "none" (direction)' : 'placement is "none"';
  return told ? undefined : ruleSkip(slide, options.skipSlides ?? [], pres.slideSize);
}

/**
 * The largest empty picture or content placeholder of a slide (or one we filled before), if any —
 * only one that nothing else overlaps: a table, chart or shape laid over an empty placeholder's area
 * is what the slide shows there, and filling the placeholder would hide it.
 */
export function fillablePlaceholder(slide: SlideModel, size: { cx: number; cy: number }) {
  const candidates = slide.shapes.filter(
    (s) =>
      s.placeholder &&
      FILLABLE.has(s.placeholder.type) &&
      s.box &&
      s.box.cx >= size.cx * MIN_PLACEHOLDER &&
      s.box.cy >= size.cy * MIN_PLACEHOLDER &&
      ((s.kind === 'sp' && !s.hasText) || (s.kind === 'pic' && s.ours)) &&
      ![...obstaclesOf([...slide.inheritedShapes, ...slide.shapes.filter((o) => o !== s)], size), ...(slide.backgroundBusy ?? [])].some(
        (o) => overlaps(o, s.box!),
      ),
  );
  return candidates.sort((a, b) => b.box!.cx * b.box!.cy - a.box!.cx * a.box!.cy)[0];
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.cx && b.x < a.x + a.cx && a.y < b.y + b.cy && b.y < a.y + a.cy;
}

export function firstLine(s: string): string {
  return s.split('\n')[0]!.trim().slice(0, 120);
}
