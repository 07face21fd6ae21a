// The review page's markup (pure): a header with what was spent, the budget and "Write deck", then
// one card per slide — its preview (the planner's drawing with the chosen picture in place, and
// LibreOffice's rendering of the written deck when there is one), its variants, its prompt and the
// actions. Every string is escaped; buttons that pay carry their cost (data-cost) for the script to
// show before anything is paid. The script (page-script.ts) swaps in the fresh header and card
// after each decision.
import { esc, renderSlideDrawing, type ActionCost, type ReviewSlide, type ReviewState } from '../api/review.js';
import { estimateCost, formatCost } from '../model/cost.js';
import { DIRECTION_PLACEMENTS, type DirectionPlacement } from '../model/directions.js';

/** The session's state, and what LibreOffice has drawn. */
export type PageState = ReviewState & { renderings: { available: boolean; slides: number[] } };

const PLACEMENT_LABEL: Record<DirectionPlacement, string> = {
  auto: 'Automatic (the planner decides)',
  placeholder: 'Picture placeholder',
  background: 'Full-slide background',
  none: 'No picture',
};

// The whole page.
export function renderPage(state: PageState): string {
  const name = baseName(state.input);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(`Review: ${name}`)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="review.css">
</head>
<body>
<header class="top"><div class="wrap" id="review-head">${renderHeader(state)}</div>
<div class="wrap"><p id="message" class="message" role="status" aria-live="polite"></p></div></header>
<main class="wrap">
<h2 class="visually-hidden">Slides</h2>
<div class="rgrid">
${state.slides.map((s) => renderCard(s, state)).join('\n')}
</div>
</main>
<footer class="wrap foot">Each decision is saved to ${esc(baseName(state.sidecar))} at once: closing this page loses nothing. Nothing on this page comes from the internet.</footer>
<script src="review.js"></script>
</body>
</html>
`;
}

// The header: the deck, where decisions go, what was spent and may still be, and "Write deck".
export function renderHeader(state: PageState): string {
  const title = state.title ? ` — ${state.title}` : '';
  const spent = state.spent;
  const spentCost = formatCost(estimateCost(spent, state.prices));
  const spentText =
    spent.images || spent.promptTokens
      ? `${plural(spent.images, 'image')}, ${state.backend.offline ? 'free (offline)' : spentCost}`
      : 'nothing';
  const budget = state.budget
    ? `${state.budget.max - state.budget.used} of ${plural(state.budget.max, 'image')} left (--max-images)`
    : 'no cap (--max-images)';
  const warnings = state.warnings.length
    ? `<ul class="plan-warnings" aria-label="Warnings">${state.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`
    : '';
  const written = state.written
    ? `<p class="written">Written: ${esc(state.written.output)} (${esc(state.written.status)}, ${plural(state.written.pictures, 'picture')})</p>`
    : '';
  const renderButton =
    state.written && state.renderings.available
      ? `<button type="button" class="secondary" data-action="render" data-focus="head:render">${state.renderings.slides.length ? 'Render again' : 'Render'} with LibreOffice</button>`
      : '';
  return `<h1>${esc(`Review${title}`)}</h1>
<p class="run-meta">${esc(baseName(state.input))} → ${esc(state.output)} · decisions saved to ${esc(state.sidecar)} · ${esc(state.backend.kind)}${state.backend.offline ? ' (offline placeholder art, free)' : ''}</p>
<div class="head-row">
<dl class="tallies"><div><dt>Spent in this review</dt><dd id="spent">${esc(spentText)}</dd></div><div><dt>Budget</dt><dd id="budget">${esc(budget)}</dd></div></dl>
<div class="head-actions">${payButton('Write deck', 'write', state.writeCost, state, { focus: 'head:write', cls: 'primary' })}${renderButton}</div>
</div>
${warnings}${written}`;
}

// One slide's card.
export function renderCard(slide: ReviewSlide, state: PageState): string {
  const p = slide.plan;
  const n = p.number;
  const title = p.text?.title || p.title;
  const skipped = p.status === 'skipped';
  const chosen = slide.variants.chosen;
  const hasPicture = !skipped && slide.variants.cached[chosen - 1] === true;
  const badges = [
    skipped ? badge('skipped', 'st-skipped') : hasPicture ? badge('picture ready', 'st-illustrated') : badge('not generated', 'new'),
    slide.direction.variant !== undefined && !skipped ? badge(`accepted: variant ${slide.direction.variant}`, 'hit') : '',
    slide.direction.prompt !== undefined ? badge('your prompt', 'hit') : '',
  ].join('');
  return `<article class="rcard${skipped ? ' st-skipped' : ''}" id="slide-${n}" data-slide="${n}" aria-labelledby="slide-${n}-title">
<header class="card-head"><span class="num">Slide ${n}</span>${badges}</header>
<h3 class="slide-title${title ? '' : ' untitled'}" id="slide-${n}-title">${esc(title || 'Untitled slide')}</h3>
${skipped ? `<p class="reason skip"><span class="reason-label">Skipped:</span> ${esc(p.reason ?? 'skipped')}</p>` : ''}
<div class="previews">${renderPreview(slide, state, hasPicture)}${renderRendering(n, state)}</div>
${skipped ? '' : renderVariants(slide)}
${skipped ? '' : renderPrompt(slide, state)}
${renderActions(slide, state, hasPicture)}
</article>`;
}

// --- internal ---

function renderPreview(slide: ReviewSlide, state: ReviewState, hasPicture: boolean): string {
  const p = slide.plan;
  if (!state.slideSize || !p.obstacles) return '<div class="pic none"><span>no preview</span></div>';
  const picture =
    p.status === 'planned' && p.box
      ? {
          box: p.box,
          background: p.placement === 'background',
          href: hasPicture ? pictureHref(slide, slide.variants.chosen) : undefined,
          label: `variant ${slide.variants.chosen}`,
        }
      : undefined;
  return renderSlideDrawing(p.obstacles, [], state.slideSize, picture);
}

function renderRendering(n: number, state: PageState): string {
  if (!state.renderings.slides.includes(n)) return '';
  return `<figure class="lo"><img src="rendering/${n}" alt="${esc(`Slide ${n} of the written deck, drawn by LibreOffice`)}"><figcaption>The written deck, drawn by LibreOffice</figcaption></figure>`;
}

function renderVariants(slide: ReviewSlide): string {
  const { count, chosen, cached } = slide.variants;
  if (count <= 1 && !cached[0]) return '';
  const n = slide.plan.number;
  const buttons = Array.from({ length: count }, (_, i) => {
    const v = i + 1;
    const label = `Variant ${v}${v === chosen ? ' (the deck gets this one)' : ''}`;
    const inner = cached[i] ? `<img src="${pictureHref(slide, v)}" alt="">` : '<span class="no-pic">not generated</span>';
    return `<button type="button" class="variant${v === chosen ? ' chosen' : ''}" data-action="variant" data-variant="${v}" data-focus="${n}:variant:${v}" aria-pressed="${v === chosen}" aria-label="${esc(label)}"${cached[i] ? '' : ' disabled'}>${inner}<span class="vnum" aria-hidden="true">${v}</span></button>`;
  });
  return `<div class="variants" role="group" aria-label="${esc(`Variants of slide ${n}: choosing one is free`)}">${buttons.join('')}</div>`;
}

function renderPrompt(slide: ReviewSlide, state: ReviewState): string {
  const n = slide.plan.number;
  const prompt = slide.direction.prompt ?? slide.plan.prompt ?? '';
  const hint = prompt ? '' : '<p class="hint">No prompt yet: write one, or generate the picture to have one written.</p>';
  return `<form class="prompt-form" data-slide="${n}">
<label for="prompt-${n}">Image prompt</label>
${hint}<textarea id="prompt-${n}" name="prompt" rows="4" maxlength="4000" aria-keyshortcuts="Control+Enter">${esc(prompt)}</textarea>
<div class="row">${payButton('Regenerate from this prompt', 'prompt', slide.costs.prompt, state, { focus: `${n}:prompt`, submit: true })}</div>
</form>`;
}

function renderActions(slide: ReviewSlide, state: ReviewState, hasPicture: boolean): string {
  const p = slide.plan;
  const n = p.number;
  const skipped = p.status === 'skipped';
  const bySkip = slide.direction.skip === true || slide.direction.placement === 'none';
  const buttons: string[] = [];
  if (!skipped && hasPicture) buttons.push(button('Accept', 'accept', `${n}:accept`, { cls: 'primary' }));
  if (!skipped && !hasPicture)
    buttons.push(payButton('Generate', 'generate', slide.costs.generate, state, { focus: `${n}:generate`, cls: 'primary' }));
  if (!skipped && hasPicture) buttons.push(payButton('Re-roll', 'reroll', slide.costs.reroll, state, { focus: `${n}:reroll` }));
  if (!skipped) buttons.push(button('Skip slide', 'skip', `${n}:skip`, { data: 'data-skip="true"' }));
  else if (bySkip) buttons.push(button('Illustrate this slide', 'skip', `${n}:skip`, { data: 'data-skip="false"' }));
  const current = slide.direction.placement ?? 'auto';
  const options = DIRECTION_PLACEMENTS.map(
    (w) => `<option value="${w}"${w === current ? ' selected' : ''}>${esc(PLACEMENT_LABEL[w])}</option>`,
  );
  const placement = `<span class="placement"><label for="placement-${n}">Placement</label><select id="placement-${n}" data-action="placement" data-focus="${n}:placement">${options.join('')}</select></span>`;
  return `<div class="actions">${buttons.join('')}${placement}</div>`;
}

interface ButtonOptions {
  focus?: string;
  cls?: string;
  data?: string;
  submit?: boolean;
}

function button(label: string, action: string, focus: string, o: Omit<ButtonOptions, 'focus'> = {}): string {
  return `<button type="${o.submit ? 'submit' : 'button'}" class="${o.cls ?? 'secondary'}" data-action="${action}" data-focus="${esc(focus)}"${o.data ? ` ${o.data}` : ''}>${esc(label)}</button>`;
}

/** A button whose action may pay: its cost shown beside it, and in data-cost for the confirmation; disabled past the budget. */
function payButton(label: string, action: string, cost: ActionCost, state: ReviewState, o: ButtonOptions): string {
  // Offline pictures are free: nothing to confirm.
  const pays = !state.backend.offline && (cost.images > 0 || cost.promptTokens > 0);
  const text = costText(cost, state);
  const over = state.budget !== undefined && cost.images > state.budget.max - state.budget.used;
  const costId = `cost-${esc((o.focus ?? action).replace(/[^a-z0-9]+/gi, '-'))}`;
  const attrs = [
    `type="${o.submit ? 'submit' : 'button'}"`,
    `class="${o.cls ?? 'secondary'}"`,
    `data-action="${action}"`,
    `data-focus="${esc(o.focus ?? action)}"`,
    pays ? `data-cost="${esc(text)}"` : '',
    `aria-describedby="${costId}"`,
    over ? 'disabled' : '',
  ].filter(Boolean);
  const note = over ? `${text}: over --max-images` : text;
  return `<button ${attrs.join(' ')}>${esc(label)}</button><span class="cost${pays ? ' pays' : ''}" id="${costId}">${esc(note)}</span>`;
}

/** "1 image + ~600 tokens, CHF 0.021", "2 images, free (offline)", "free (cached)". */
export function costText(cost: ActionCost, state: Pick<ReviewState, 'prices' | 'backend'>): string {
  const tokens = cost.promptTokens + cost.completionTokens;
  if (!cost.images && !tokens) return 'free (cached)';
  const units = [cost.images ? plural(cost.images, 'image') : '', tokens ? `~${tokens.toLocaleString('en-US')} tokens` : '']
    .filter(Boolean)
    .join(' + ');
  return `${units}, ${state.backend.offline ? 'free (offline)' : formatCost(estimateCost(cost, state.prices))}`;
}

function pictureHref(slide: ReviewSlide, variant: number): string {
  // The key in the query makes a regenerated picture a new URL (the guard ignores the query).
  const key = slide.plan.keys?.image?.slice(0, 12) ?? 'none';
  return `picture/${slide.plan.number}/${variant}?k=${key}`;
}

function badge(text: string, kind: string): string {
  return `<span class="badge ${kind}">${esc(text)}</span>`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
