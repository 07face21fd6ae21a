// The HTML report (pure): one self-contained page — inline CSS, pictures as data: URIs, no script,
// and a Content-Security-Policy that forbids loading anything else. Every string is escaped.
import type { DeckStatus } from '../model/report.js';
import type { DeckView, ReportModel } from './collect-report.js';
import { count, duration, esc, plural } from './html.js';
import { REPORT_CSS } from './report-css.js';
import { pictureConflicts } from './planner-view.js';
import { renderSlideCard } from './render-slide.js';

/** Nothing but inline styles and data: images; no scripts, frames, forms, fetches or base URL. */
export const REPORT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const DECK_STATUS_LABEL: Record<DeckStatus, string> = {
  ok: 'ok',
  partial: 'partial',
  failed: 'failed',
  refused: 'refused',
  unchanged: 'unchanged',
};

// The whole page for a run's report model.
export function renderReportHtml(model: ReportModel): string {
  const t = model.totals;
  const slides = t.slides.illustrated + t.slides.skipped + t.slides.failed;
  const heading = `Illustration report${model.label ? ` — ${model.label}` : ''}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(REPORT_CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(`slide-illustrate: ${heading.replace('Illustration report', 'report')} (${plural(model.decks.length, 'deck')}, ${plural(slides, 'slide')})`)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header class="top">
<div class="wrap">
<h1>${esc(heading)}</h1>
<p class="run-meta">${esc(runMeta(model))}</p>
${renderTotals(model)}
</div>
</header>
<main class="wrap">
${renderFailures(model)}
${model.decks.map((deck, i) => renderDeck(deck, i)).join('\n')}
</main>
<footer class="wrap foot">Made by slide-illustrate. This page is self-contained: no scripts and nothing loaded from elsewhere.</footer>
</body>
</html>
`;
}

// --- internal ---

function runMeta(model: ReportModel): string {
  const when = model.finishedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const provider = model.provider.offline
    ? `${model.provider.kind} provider (offline placeholder art, nothing paid)`
    : `${model.provider.kind} provider`;
  return `Finished ${when} · ${provider} · ${duration(model.totals.ms)}`;
}

function tile(label: string, value: string, sub: string, kind = ''): string {
  return `<div class="tile${kind ? ` ${kind}` : ''}"><div class="tile-label">${esc(label)}</div><div class="tile-value">${esc(value)}</div><div class="tile-sub">${esc(sub)}</div></div>`;
}

function renderTotals(model: ReportModel): string {
  const t = model.totals;
  const u = t.usage;
  const decks = (Object.entries(t.decks) as [DeckStatus, number][]).filter(([, n]) => n).map(([s, n]) => `${n} ${s}`);
  return `<section class="tiles" aria-label="Totals">
${tile('Decks', count(model.decks.length), decks.join(' · ') || 'none found')}
${tile('Slides illustrated', count(t.slides.illustrated), `${count(t.slides.skipped)} skipped · ${count(t.slides.failed)} failed`, t.slides.failed ? 'warn' : '')}
${tile('API calls', count(u.llmCalls + u.images), `${count(u.llmCalls)} prompts · ${count(u.images)} images`)}
${tile('Tokens', count(u.promptTokens + u.completionTokens), `${count(u.promptTokens)} in · ${count(u.completionTokens)} out`)}
${tile('Images generated', count(u.images), `${count(t.cacheHits.images)} from the cache`)}
${renderConflicts(model)}
${t.costKnown ? tile('Estimated cost', t.cost, model.provider.offline ? 'offline: nothing paid' : 'images and tokens at config or API prices') : tile('Estimated cost', 'unknown', 'set pricing in pipeline.config.json')}
</section>`;
}

/** How many pictures overlap something their slide shows, by the planner's own obstacles (when the run drew them). */
function renderConflicts(model: ReportModel): string {
  const slides = model.decks.flatMap((d) => d.slides);
  if (!slides.some((s) => s.obstacles)) return '';
  const n = slides.filter((s) => pictureConflicts(s).length > 0).length;
  return tile(
    'Conflicts',
    count(n),
    n ? 'pictures overlapping what their slide shows' : 'no picture overlaps what its slide shows',
    n ? 'warn conflicts' : 'conflicts',
  );
}

/** Every failure in one list at the top, each linked to its card: what a reader looks for first. */
function renderFailures(model: ReportModel): string {
  const items: string[] = [];
  model.decks.forEach((deck, i) => {
    if (deck.error && deck.status !== 'partial') items.push(`<li><a href="#deck-${i}">${esc(deck.input)}</a>: ${esc(deck.error)}</li>`);
    for (const s of deck.slides.filter((s) => s.status === 'failed')) {
      items.push(
        `<li><a href="#deck-${i}-slide-${s.number}">${esc(deck.input)}, slide ${s.number}</a>: ${esc(s.reason ?? 'unknown reason')}</li>`,
      );
    }
  });
  if (!items.length) return '';
  return `<section class="failures" aria-label="Failures"><h2>${plural(items.length, 'failure')}</h2><ul>${items.join('')}</ul></section>`;
}

function renderDeck(deck: DeckView, i: number): string {
  const c = deck.counts;
  const meta: string[] = [];
  if (deck.output) meta.push(`→ ${esc(deck.output)}`);
  if (deck.slides.length) meta.push(`${c.illustrated} illustrated · ${c.skipped} skipped · ${c.failed} failed`);
  if (deck.status !== 'unchanged') meta.push(duration(deck.ms));
  if (deck.usage.llmCalls || deck.usage.images)
    meta.push(
      `API: ${deck.usage.llmCalls} prompts, ${deck.usage.images} images, ${count(deck.usage.promptTokens + deck.usage.completionTokens)} tokens`,
    );
  if (deck.cacheHits.prompts || deck.cacheHits.images)
    meta.push(`cache: ${deck.cacheHits.prompts} prompts, ${deck.cacheHits.images} images`);
  const error = deck.error ? `<p class="deck-error">${esc(deck.error)}</p>` : '';
  const warnings = deck.warnings.length ? `<ul class="warnings">${deck.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : '';
  const body =
    deck.status === 'unchanged'
      ? '<p class="quiet">Unchanged since the last pass: nothing to do.</p>'
      : deck.slides.length
        ? `<div class="grid">\n${deck.slides.map((s) => renderSlideCard(s, deck.slideSize, `deck-${i}-slide-${s.number}`)).join('\n')}\n</div>`
        : '';
  return `<section class="deck ds-${deck.status}" id="deck-${i}">
<header class="deck-head"><h2>${esc(deck.input)}</h2><span class="badge ds-${deck.status}">${DECK_STATUS_LABEL[deck.status]}</span></header>
<p class="deck-meta">${meta.join(' · ')}</p>
${error}${warnings}${body}
</section>`;
}
