// The review page's stylesheet: the report's (cards, badges, the planner's drawing) plus the review's
// own controls. System fonts only; focus always visible.
import { REPORT_CSS } from '../api/review.js';

export const REVIEW_CSS = `${REPORT_CSS}
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.top { padding: 20px 0 14px; }
.head-row { display: flex; flex-wrap: wrap; align-items: center; gap: 12px 24px; }
.tallies { display: flex; gap: 24px; margin: 0; flex: 1; }
.tallies dt { font-size: 12px; text-transform: uppercase; letter-spacing: 0.06em; color: #aab3c5; }
.tallies dd { margin: 2px 0 0; font-weight: 600; }
.head-actions { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.top .cost { color: #c5ccda; }
.plan-warnings { margin: 10px 0 0; padding-left: 18px; color: #ffd58a; overflow-wrap: anywhere; }
.written { margin: 10px 0 0; color: #bfe8cf; overflow-wrap: anywhere; }
.message { margin: 8px 0 0; min-height: 1.45em; color: #f4f6fb; font-weight: 600; overflow-wrap: anywhere; }
.message.bad { color: #ffb4ac; }

.rgrid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(420px, 100%), 1fr)); gap: 18px; align-items: start; }
.rcard { background: var(--paper); border: 1px solid var(--line); border-top: 4px solid var(--accent); border-radius: 10px; padding: 12px 14px 14px; box-shadow: 0 1px 2px rgba(20,30,50,0.05); }
.rcard.st-skipped { border-top-color: #b9bfcc; }
.rcard[aria-busy="true"] { opacity: 0.6; }
.previews { display: grid; gap: 8px; margin-bottom: 8px; }
.previews .view { margin: 0; }
.view .pbox.shown { fill: none; stroke-width: 1.5px; }
.lo { margin: 0; }
.lo img { display: block; width: 100%; height: auto; border: 1px solid var(--line); border-radius: 4px; }
.lo figcaption { font-size: 11px; color: var(--muted); margin-top: 2px; }
.variants { display: flex; gap: 8px; flex-wrap: wrap; margin: 0 0 10px; }
.variant { position: relative; padding: 0; width: 88px; height: 62px; border: 2px solid var(--line); border-radius: 6px; background: var(--ground); cursor: pointer; overflow: hidden; }
.variant img { display: block; width: 100%; height: 100%; object-fit: cover; }
.variant.chosen { border-color: var(--accent); box-shadow: 0 0 0 2px rgba(59,111,224,0.3); }
.variant .vnum { position: absolute; left: 4px; top: 4px; background: rgba(24,32,47,0.8); color: #fff; font-size: 11px; font-weight: 650; border-radius: 4px; padding: 1px 5px; }
.variant .no-pic { font-size: 11px; color: var(--muted); }
.variant:disabled { cursor: default; opacity: 0.6; }
.prompt-form { display: grid; gap: 4px; margin-bottom: 10px; }
.prompt-form label, .placement label { font-size: 11px; font-weight: 650; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); }
.prompt-form textarea { width: 100%; font: inherit; font-size: 13px; line-height: 1.4; padding: 6px 8px; border: 1px solid #b8c0cf; border-radius: 6px; resize: vertical; }
.hint { margin: 0; font-size: 12px; color: var(--muted); }
.row, .actions { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 8px; }
.placement { display: inline-flex; align-items: center; gap: 6px; margin-left: auto; }
select { font: inherit; font-size: 13px; padding: 4px 6px; border: 1px solid #b8c0cf; border-radius: 6px; background: #fff; }
button { font: inherit; font-size: 13px; font-weight: 600; padding: 6px 12px; border-radius: 6px; border: 1px solid #b8c0cf; background: #fff; color: var(--ink); cursor: pointer; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button:disabled { opacity: 0.55; cursor: not-allowed; }
button:hover:not(:disabled) { filter: brightness(0.95); }
:focus-visible { outline: 3px solid #f5a524; outline-offset: 2px; }
.cost { font-size: 12px; color: var(--muted); }
.cost.pays { color: var(--warn); font-weight: 600; }
.top .cost.pays { color: #ffd58a; }
.confirm { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin: 8px 0 0; padding: 8px 10px; background: var(--warn-bg); border: 1px solid #f0cf8f; border-radius: 8px; color: #5c3a00; }
.confirm p { margin: 0; flex: 1 1 100%; font-weight: 600; }
`;
