// One slide as a contact-sheet card: its picture (or why it has none), status and cache badges,
// where the picture went (a slide-shaped diagram to scale), time, and the slide's words and prompt.
import type { Box } from '../pptx/geometry.js';
import type { ObstacleKind, PlannerObstacle, SlideReport } from '../model/report.js';
import { bytes, duration, esc, isImageDataUri, plural } from './html.js';
import { pictureConflicts } from './planner-view.js';

const EMU_PER_CM = 360_000;

const PLACEMENT_LABEL: Record<NonNullable<SlideReport['placement']>, string> = {
  free: 'free area',
  placeholder: 'picture placeholder',
  background: 'full-slide background',
  'make-room': 'beside the narrowed text',
};

// The card of one slide; `slideSize` (EMU) lets the diagram draw the picture's box to scale.
export function renderSlideCard(slide: SlideReport, slideSize: { cx: number; cy: number } | undefined, id: string): string {
  const title = slide.text?.title || slide.title;
  const conflicts = pictureConflicts(slide);
  return `<article class="card st-${slide.status}${conflicts.length ? ' conflict' : ''}" id="${esc(id)}">
${renderPicture(slide)}
<div class="card-body">
<header class="card-head"><span class="num">Slide ${slide.number}</span>${badge(slide.status, `st-${slide.status}`)}${cacheBadge(slide)}${conflicts.length ? badge('conflict', 'conflict') : ''}</header>
<h3 class="slide-title${title ? '' : ' untitled'}">${esc(title || 'Untitled slide')}</h3>
${slide.reason !== undefined ? `<p class="reason ${slide.status === 'failed' ? 'fail' : 'skip'}"><span class="reason-label">${slide.status === 'failed' ? 'Failed' : 'Skipped'}:</span> ${esc(slide.reason)}</p>` : ''}
${conflicts.length ? `<p class="reason conflict"><span class="reason-label">Conflict:</span> the picture overlaps ${plural(conflicts.length, 'thing')} the slide shows (${esc([...new Set(conflicts.map((c) => KIND_LABEL[c.kind]))].join(', '))})</p>` : ''}
${slide.obstacles && slideSize ? renderPlannerView(slide, slide.obstacles, conflicts, slideSize) : ''}
${renderFacts(slide, slideSize)}
${renderWords(slide)}
</div>
</article>`;
}

// --- internal ---

function renderPicture(slide: SlideReport): string {
  if (slide.thumbnail && isImageDataUri(slide.thumbnail)) {
    return `<div class="pic"><img src="${slide.thumbnail}" alt="${esc(`Picture of slide ${slide.number}`)}"></div>`;
  }
  const text = slide.status === 'illustrated' ? 'no preview' : slide.status === 'failed' ? 'no picture: failed' : 'no picture: skipped';
  return `<div class="pic none"><span>${text}</span></div>`;
}

function badge(text: string, kind: string): string {
  return `<span class="badge ${kind}">${esc(text)}</span>`;
}

/** "cache hit" when prompt and image both came from the cache, "new" when neither did. */
function cacheBadge(slide: SlideReport): string {
  if (!slide.cached) return '';
  const { prompt, image } = slide.cached;
  if (prompt && image) return badge('cache hit', 'hit');
  if (!prompt && !image) return badge('new', 'new');
  return badge(image ? 'image cached' : 'prompt cached', 'hit');
}

function renderFacts(slide: SlideReport, slideSize: { cx: number; cy: number } | undefined): string {
  const facts: string[] = [];
  if (slide.ms !== undefined) facts.push(`<span title="time from the first call to the fitted picture">${duration(slide.ms)}</span>`);
  if (slide.bytes !== undefined) facts.push(`<span title="size of the picture added to the deck">${bytes(slide.bytes)}</span>`);
  const place = slide.box && slide.placement ? renderPlacement(slide.box, slide.placement, slideSize, slide.reflow) : '';
  if (!place && !facts.length) return '';
  return `<div class="facts">${place}<div class="fact-list">${facts.join('')}</div></div>`;
}

/** The slide as an outline with the picture's box filled in, plus the box in centimetres. */
function renderPlacement(
  box: Box,
  placement: NonNullable<SlideReport['placement']>,
  size: { cx: number; cy: number } | undefined,
  reflow: SlideReport['reflow'],
): string {
  const cm = (emu: number) => (emu / EMU_PER_CM).toFixed(1);
  const narrowed = reflow
    ? `; text ${cm(reflow.box.cx)} cm wide at ${Math.round(reflow.fontScale * 100)} %${reflow.lnSpcReduction ? `, spacing −${Math.round(reflow.lnSpcReduction * 100)} %` : ''}`
    : '';
  const where = `${cm(box.cx)} × ${cm(box.cy)} cm at ${cm(box.x)}, ${cm(box.y)} cm${narrowed}`;
  const diagram = size
    ? `<svg class="mini" viewBox="0 0 ${size.cx} ${size.cy}" role="img" aria-label="${esc(`picture box on the slide: ${where}`)}"><rect class="slide" x="0" y="0" width="${size.cx}" height="${size.cy}"/><rect class="box" x="${box.x}" y="${box.y}" width="${box.cx}" height="${box.cy}"/></svg>`
    : '';
  return `<div class="place">${diagram}<span><b>${PLACEMENT_LABEL[placement]}</b><br>${where}</span></div>`;
}

const KIND_LABEL: Record<ObstacleKind, string> = {
  text: 'text',
  frame: 'table, chart or diagram',
  shape: 'shape',
  picture: 'picture',
  layout: 'layout or master',
  background: 'busy background',
};

/**
 * The slide as the planner saw it, to scale: every obstacle outlined by kind (conflicts in red),
 * the picture's box filled in over them.
 */
function renderPlannerView(
  slide: SlideReport,
  obstacles: PlannerObstacle[],
  conflicts: PlannerObstacle[],
  size: { cx: number; cy: number },
): string {
  const picture =
    slide.box && slide.status === 'illustrated' ? { box: slide.box, background: slide.placement === 'background' } : undefined;
  return renderSlideDrawing(obstacles, conflicts, size, picture);
}

/** A picture drawn on the planner's view: its box, behind the shapes (background) or in front; with `href`, the picture itself. */
export interface DrawnPicture {
  box: Box;
  background: boolean;
  /** The picture's URL, drawn cropped to the box as the slide shows it (the review page). */
  href?: string | undefined;
  /** The picture's accessible name. */
  label?: string | undefined;
}

// The planner's view of a slide as an SVG figure (the report's cards, the review page's previews).
export function renderSlideDrawing(
  obstacles: PlannerObstacle[],
  conflicts: PlannerObstacle[],
  size: { cx: number; cy: number },
  picture: DrawnPicture | undefined,
): string {
  const rect = (b: { x: number; y: number; cx: number; cy: number }, cls: string, label?: string) =>
    `<rect class="${cls}" x="${b.x}" y="${b.y}" width="${Math.max(b.cx, 0)}" height="${Math.max(b.cy, 0)}">${label ? `<title>${esc(label)}</title>` : ''}</rect>`;
  const hits = new Set(conflicts);
  const boxes = obstacles.map((o) => rect(o, `ob ob-${o.kind}${hits.has(o) ? ' hit' : ''}`, KIND_LABEL[o.kind]));
  const image = picture?.href === undefined ? '' : pictureImage(picture.box, picture.href, picture.label ?? 'the picture');
  const outline = picture ? rect(picture.box, `pbox${picture.background ? ' back' : ''}${image ? ' shown' : ''}`, 'the picture') : '';
  const drawn = picture?.background ? `${image}${boxes.join('')}${outline}` : `${boxes.join('')}${image}${outline}`;
  const kinds = [...new Set(obstacles.map((o) => o.kind))];
  const legend = kinds.map((k) => `<span class="lg ob-${k}">${esc(KIND_LABEL[k])}</span>`).join('');
  const shown = image ? `; ${picture?.label ?? 'the picture'} in its box` : '';
  const label = `the slide as the planner sees it: ${plural(obstacles.length, 'obstacle')}${conflicts.length ? `, ${conflicts.length} under the picture` : ''}${shown}`;
  return `<figure class="view"><svg viewBox="0 0 ${size.cx} ${size.cy}" role="img" aria-label="${esc(label)}"><rect class="slide" x="0" y="0" width="${size.cx}" height="${size.cy}"/>${drawn}</svg><figcaption>${legend || 'nothing on the slide to avoid'}</figcaption></figure>`;
}

/** The picture cropped to its box (cover), as PowerPoint shows a picture filled into a box. */
function pictureImage(box: Box, href: string, label: string): string {
  return `<image class="pic-in" href="${esc(href)}" x="${box.x}" y="${box.y}" width="${Math.max(box.cx, 0)}" height="${Math.max(box.cy, 0)}" preserveAspectRatio="xMidYMid slice"><title>${esc(label)}</title></image>`;
}

function renderWords(slide: SlideReport): string {
  const parts: string[] = [];
  if (slide.text?.body) parts.push(`<dt>Text</dt><dd class="words">${esc(slide.text.body)}</dd>`);
  if (slide.text?.notes) parts.push(`<dt>Notes</dt><dd class="words notes">${esc(slide.text.notes)}</dd>`);
  if (slide.prompt) parts.push(`<dt>Prompt</dt><dd class="prompt">${esc(slide.prompt)}</dd>`);
  return parts.length ? `<dl class="words-list">${parts.join('')}</dl>` : '';
}
