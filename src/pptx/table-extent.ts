// The box a table is drawn in. A table's rows grow with their text past a:tr@h, and PowerPoint and
// LibreOffice draw the table past its graphicFrame's a:ext: the drawn width is the sum of the grid
// columns, the drawn height the sum of the rows, each as tall as its tallest cell's laid-out text.
import type { Box } from '../model/geometry.js';
import { estimateTextBox } from './text-extent.js';
import { attr, child, children, type XmlElement } from './xml.js';

/** Cell margins PowerPoint uses when a:tcPr gives none (EMU). */
const MARGINS = { marL: 91_440, marR: 91_440, marT: 45_720, marB: 45_720 };
/** Text size a table style's cells use when nothing says otherwise (points). */
const TABLE_TEXT_SIZE = 18;
/** A width no line reaches: vertical text is laid out on one line per paragraph (it does not wrap to the row). */
const UNBOUNDED = 1e12;

// An element built in memory (for the cell's margins as a:bodyPr insets).
function element(local: string, attrs: Record<string, string>): XmlElement {
  return { name: `a:${local}`, local, attrs, children: [] };
}

/** Height a cell's text needs, margins included (EMU). */
function cellHeight(tc: XmlElement, width: number, fonts: { major: string | undefined; minor: string | undefined } | undefined): number {
  const tcPr = child(tc, 'tcPr');
  const mar = (name: keyof typeof MARGINS) => {
    const v = Number(attr(tcPr, name));
    return Number.isFinite(v) && attr(tcPr, name) !== undefined ? Math.max(0, v) : MARGINS[name];
  };
  const vertical = (attr(tcPr, 'vert') ?? 'horz') !== 'horz';
  const insets = { lIns: String(mar('marL')), rIns: String(mar('marR')), tIns: String(mar('marT')), bIns: String(mar('marB')) };
  const bodyPr = element('bodyPr', { ...insets, anchor: 't', ...(vertical ? { wrap: 'none' } : {}) });
  const defaults = {
    type: undefined,
    anchor: 't',
    align: 'l',
    size: TABLE_TEXT_SIZE,
    lstStyles: [],
    bodyPrs: [bodyPr],
    ...(fonts ? { fonts } : {}),
  };
  if (!child(tc, 'txBody')) return mar('marT') + mar('marB');
  if (!vertical) return estimateTextBox(tc, { x: 0, y: 0, cx: Math.max(1, width), cy: 0 }, defaults).cy;
  // Vertical text runs down the cell: its longest line sets the height (insets rotate with it: count the larger pair).
  const laid = estimateTextBox(tc, { x: 0, y: 0, cx: UNBOUNDED, cy: 0 }, { ...defaults, align: 'l' });
  if (laid.cx >= UNBOUNDED) return estimateTextBox(tc, { x: 0, y: 0, cx: Math.max(1, width), cy: 0 }, defaults).cy;
  const textLength = laid.cx - mar('marL') - mar('marR');
  return textLength + Math.max(mar('marL') + mar('marR'), mar('marT') + mar('marB'));
}

/**
 * The drawn extent of an a:tbl whose frame is `frame`: never smaller than the frame. Row heights are
 * max(a:tr@h, tallest single-row cell); a cell spanning rows (rowSpan) grows the last of them when
 * they are together shorter than its text.
 */
export function tableExtent(tbl: XmlElement, frame: Box, fonts?: { major: string | undefined; minor: string | undefined }): Box {
  const cols = children(child(tbl, 'tblGrid'), 'gridCol').map((c) => Math.max(0, Number(attr(c, 'w')) || 0));
  const rows = children(tbl, 'tr');
  const heights = rows.map((tr) => Math.max(0, Number(attr(tr, 'h')) || 0));
  const spanning: { first: number; last: number; need: number }[] = [];
  rows.forEach((tr, r) => {
    let col = 0;
    for (const tc of children(tr, 'tc')) {
      const span = Math.max(1, Number(attr(tc, 'gridSpan')) || 1);
      const rowSpan = Math.max(1, Number(attr(tc, 'rowSpan')) || 1);
      const merged = ['1', 'true'].includes(attr(tc, 'hMerge') ?? '') || ['1', 'true'].includes(attr(tc, 'vMerge') ?? '');
      const width = cols.slice(col, col + span).reduce((s, w) => s + w, 0);
      col += span;
      if (merged) continue;
      const need = cellHeight(tc, width, fonts);
      if (rowSpan === 1) heights[r] = Math.max(heights[r]!, need);
      else spanning.push({ first: r, last: Math.min(rows.length - 1, r + rowSpan - 1), need });
    }
  });
  for (const s of spanning) {
    const have = heights.slice(s.first, s.last + 1).reduce((a, h) => a + h, 0);
    if (have < s.need) heights[s.last] = heights[s.last]! + (s.need - have);
  }
  const width = cols.reduce((s, w) => s + w, 0);
  const height = Math.ceil(heights.reduce((s, h) => s + h, 0));
  return { ...frame, cx: Math.max(frame.cx, width), cy: Math.max(frame.cy, height) };
}
