// The report's stylesheet, inlined in the page: a light contact sheet with a dark totals band,
// status colours shared by badges and card edges, and a print layout without breaks in cards.

export const REPORT_CSS = `
:root {
  --ink: #1c2230; --muted: #5d6679; --line: #dfe3ea; --paper: #ffffff; --ground: #f3f5f8;
  --band: #18202f; --band-2: #232d40; --accent: #3b6fe0;
  --ok: #1f8f55; --ok-bg: #e3f5eb; --warn: #b26a00; --warn-bg: #fff2d9;
  --bad: #c8362f; --bad-bg: #fde7e5; --skip: #6b7385; --skip-bg: #eceef3;
  --hit: #2563c9; --hit-bg: #e2ecfc; --new: #7645c7; --new-bg: #efe7fb;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--ground); color: var(--ink); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.wrap { max-width: 1280px; margin: 0 auto; padding: 0 24px; }
h1, h2, h3 { margin: 0; line-height: 1.25; }
a { color: inherit; }

.top { background: linear-gradient(160deg, var(--band), var(--band-2)); color: #f4f6fb; padding: 28px 0 26px; }
.top h1 { font-size: 24px; font-weight: 650; letter-spacing: -0.01em; }
.run-meta { margin: 6px 0 20px; color: #aab3c5; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 12px; }
.tile { background: rgba(255,255,255,0.06); border: 1px solid rgba(255,255,255,0.10); border-radius: 10px; padding: 12px 14px; }
.tile.warn { border-color: rgba(255,120,110,0.55); }
.tile-label { font-size: 12px; text-transform: uppercase; letter-spacing: 0.06em; color: #aab3c5; }
.tile-value { font-size: 24px; font-weight: 650; margin: 2px 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.tile-sub { font-size: 12px; color: #c5ccda; }

main.wrap { padding-top: 24px; padding-bottom: 8px; }
.failures { background: var(--bad-bg); border: 1px solid #f3b9b4; border-left: 4px solid var(--bad); border-radius: 10px; padding: 14px 18px; margin-bottom: 24px; }
.failures h2 { font-size: 15px; color: var(--bad); margin-bottom: 6px; }
.failures ul { margin: 0; padding-left: 18px; }
.failures li { margin: 2px 0; overflow-wrap: anywhere; }

.deck { margin-bottom: 32px; }
.deck-head { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
.deck-head h2 { font-size: 18px; font-weight: 650; overflow-wrap: anywhere; }
.deck-meta { margin: 4px 0 12px; color: var(--muted); overflow-wrap: anywhere; }
.deck-error { background: var(--bad-bg); color: #8d1f1a; border-radius: 8px; padding: 10px 14px; margin: 0 0 12px; overflow-wrap: anywhere; }
.warnings { margin: 0 0 12px; padding: 8px 14px 8px 30px; background: var(--warn-bg); border-radius: 8px; color: #6b4300; }
.quiet { color: var(--muted); margin: 0; }

.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(290px, 1fr)); gap: 16px; align-items: start; }
.card { background: var(--paper); border: 1px solid var(--line); border-top: 4px solid var(--ok); border-radius: 10px; overflow: hidden; box-shadow: 0 1px 2px rgba(20,30,50,0.05); }
.card.st-skipped { border-top-color: #b9bfcc; }
.card.st-failed { border-top-color: var(--bad); }
.pic { aspect-ratio: 16 / 10; background: repeating-conic-gradient(#eef0f4 0% 25%, #f7f8fa 0% 50%) 0 0 / 16px 16px; display: flex; align-items: center; justify-content: center; border-bottom: 1px solid var(--line); }
.pic img { display: block; max-width: 100%; max-height: 100%; object-fit: contain; box-shadow: 0 1px 4px rgba(20,30,50,0.18); }
.pic.none { background: var(--ground); color: var(--muted); font-size: 13px; font-style: italic; }
.st-failed .pic.none { background: var(--bad-bg); color: var(--bad); }
.card-body { padding: 12px 14px 14px; }
.card-head { display: flex; align-items: center; gap: 6px; flex-wrap: wrap; margin-bottom: 4px; }
.num { font-size: 12px; font-weight: 600; color: var(--muted); margin-right: auto; }
.slide-title { font-size: 15px; font-weight: 620; margin: 2px 0 8px; overflow-wrap: anywhere; }
.slide-title.untitled { color: var(--muted); font-style: italic; font-weight: 500; }

.badge { display: inline-block; font-size: 11px; font-weight: 600; line-height: 1; padding: 4px 8px; border-radius: 999px; white-space: nowrap; }
.badge.st-illustrated, .badge.ds-ok { background: var(--ok-bg); color: var(--ok); }
.badge.st-skipped, .badge.ds-unchanged { background: var(--skip-bg); color: var(--skip); }
.badge.st-failed, .badge.ds-failed, .badge.ds-refused { background: var(--bad-bg); color: var(--bad); }
.badge.ds-partial { background: var(--warn-bg); color: var(--warn); }
.badge.hit { background: var(--hit-bg); color: var(--hit); }
.badge.new { background: var(--new-bg); color: var(--new); }

.reason { margin: 0 0 8px; padding: 6px 10px; border-radius: 6px; font-size: 13px; overflow-wrap: anywhere; }
.reason.fail { background: var(--bad-bg); color: #8d1f1a; }
.reason.skip { background: var(--skip-bg); color: #454c5c; }
.reason-label { font-weight: 650; }

.facts { display: flex; align-items: center; gap: 10px; margin-bottom: 8px; font-size: 12px; color: var(--muted); }
.place { display: flex; align-items: center; gap: 8px; flex: 1; min-width: 0; }
.place b { color: var(--ink); font-weight: 600; }
.mini { width: 64px; flex: none; display: block; }
.mini .slide { fill: #f7f8fa; stroke: #98a1b3; stroke-width: 1.5px; vector-effect: non-scaling-stroke; }
.mini .box { fill: var(--accent); fill-opacity: 0.55; stroke: var(--accent); stroke-width: 1px; vector-effect: non-scaling-stroke; }
.view { margin: 0 0 10px; }
.view svg { display: block; width: 100%; height: auto; background: #f7f8fa; border-radius: 4px; }
.view .slide { fill: #f7f8fa; stroke: #98a1b3; stroke-width: 1.5px; vector-effect: non-scaling-stroke; }
.view .ob { fill: none; stroke-width: 1.25px; vector-effect: non-scaling-stroke; }
.view .pbox { fill: var(--accent); fill-opacity: 0.35; stroke: var(--accent); stroke-width: 2px; vector-effect: non-scaling-stroke; }
.view .pbox.back { fill-opacity: 0.08; stroke-dasharray: 4 3; }
.view .ob.hit { stroke: var(--bad) !important; stroke-width: 2.5px; fill: var(--bad); fill-opacity: 0.25; }
.ob-text { stroke: #1c2230; color: #1c2230; } .ob-frame { stroke: #1f8f55; color: #1f8f55; } .ob-shape { stroke: #b26a00; color: #b26a00; }
.ob-picture { stroke: #7645c7; color: #7645c7; } .ob-layout { stroke: #6b7385; color: #6b7385; stroke-dasharray: 3 2; } .ob-background { stroke: #c2a400; color: #8a7400; stroke-dasharray: 1 2; }
.view figcaption { display: flex; flex-wrap: wrap; gap: 4px 10px; font-size: 11px; color: var(--muted); margin-top: 4px; }
.view .lg::before { content: ""; display: inline-block; width: 9px; height: 9px; border: 1.5px solid currentColor; margin-right: 4px; vertical-align: -1px; }
.card.conflict { border-top-color: var(--bad); }
.badge.conflict { background: var(--bad-bg); color: var(--bad); }
.reason.conflict { background: var(--bad-bg); color: #8d1f1a; }
.fact-list { display: flex; flex-direction: column; align-items: flex-end; gap: 2px; white-space: nowrap; font-variant-numeric: tabular-nums; }

.words-list { margin: 0; font-size: 12.5px; }
.words-list dt { font-size: 11px; font-weight: 650; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); margin-top: 8px; }
.words-list dd { margin: 2px 0 0; line-height: 1.45; overflow-wrap: anywhere; }
/* Long slide text scrolls inside the card, cut at a line boundary: 7 lines of text, 4 of notes. */
.words-list dd.words { white-space: pre-line; max-height: calc(1.45em * 7); overflow: auto; }
.words-list dd.notes { max-height: calc(1.45em * 4); }
.words-list dd.prompt { background: var(--ground); border-radius: 6px; padding: 6px 8px; color: #2d3546; font-style: italic; }

.foot.wrap { color: var(--muted); font-size: 12px; padding-top: 8px; padding-bottom: 32px; }

@media print {
  body { background: #fff; }
  .top { background: none; color: var(--ink); }
  .run-meta, .tile-label, .tile-sub { color: var(--muted); }
  .tile { border-color: var(--line); }
  .card { break-inside: avoid; box-shadow: none; }
  .words-list dd.words { max-height: none; overflow: visible; }
}
`;
