// One slide as a contact-sheet card: its picture (or why it has none), status and cache badges,
// where the picture went (a slide-shaped diagram to scale), time, and the slide's words and prompt.
import type { Box } from '../pptx/geometry.js';
import type { SlideReport } from '../model/report.js';
import { bytes, duration, esc, isImageDataUri } from './html.js';

const EMU_PER_CM = 360_000;

const PLACEMENT_LABEL: Record<NonNullable<SlideReport['placement']>, string> = {
  free: 'free area',
  placeholder: 'picture placeholder',
  background: 'full-slide background',
};

// The card of one slide; `slideSize` (EMU) lets the diagram draw the picture's box to scale.
export function renderSlideCard(slide: SlideReport, slideSize: { cx: number; cy: number } | undefined, id: string): string {
  const title = slide.text?.title || slide.title;
  return `<article class="card st-${slide.status}" id="${esc(id)}">
${renderPicture(slide)}
<div class="card-body">
<header class="card-head"><span class="num">Slide ${slide.number}</span>${badge(slide.status, `st-${slide.status}`)}${cacheBadge(slide)}</header>
<h3 class="slide-title${title ? '' : ' untitled'}">${esc(title || 'Untitled slide')}</h3>
${slide.reason !== undefined ? `<p class="reason ${slide.status === 'failed' ? 'fail' : 'skip'}"><span class="reason-label">${slide.status === 'failed' ? 'Failed' : 'Skipped'}:</span> ${esc(slide.reason)}</p>` : ''}
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
  const place = slide.box && slide.placement ? renderPlacement(slide.box, slide.placement, slideSize) : '';
  if (!place && !facts.length) return '';
  return `<div class="facts">${place}<div class="fact-list">${facts.join('')}</div></div>`;
}

/** The slide as an outline with the picture's box filled in, plus the box in centimetres. */
function renderPlacement(box: Box, placement: NonNullable<SlideReport['placement']>, size: { cx: number; cy: number } | undefined): string {
  const cm = (emu: number) => (emu / EMU_PER_CM).toFixed(1);
  const where = `${cm(box.cx)} × ${cm(box.cy)} cm at ${cm(box.x)}, ${cm(box.y)} cm`;
  const diagram = size
    ? `<svg class="mini" viewBox="0 0 ${size.cx} ${size.cy}" role="img" aria-label="${esc(`picture box on the slide: ${where}`)}"><rect class="slide" x="0" y="0" width="${size.cx}" height="${size.cy}"/><rect class="box" x="${box.x}" y="${box.y}" width="${box.cx}" height="${box.cy}"/></svg>`
    : '';
  return `<div class="place">${diagram}<span><b>${PLACEMENT_LABEL[placement]}</b><br>${where}</span></div>`;
}

function renderWords(slide: SlideReport): string {
  const parts: string[] = [];
  if (slide.text?.body) parts.push(`<dt>Text</dt><dd class="words">${esc(slide.text.body)}</dd>`);
  if (slide.text?.notes) parts.push(`<dt>Notes</dt><dd class="words notes">${esc(slide.text.notes)}</dd>`);
  if (slide.prompt) parts.push(`<dt>Prompt</dt><dd class="prompt">${esc(slide.prompt)}</dd>`);
  return parts.length ? `<dl class="words-list">${parts.join('')}</dl>` : '';
}
