// Estimates the part of a text box its text actually covers, so a picture can use the empty rest of
// a big body placeholder (the usual "Title and Content" slide with three bullets) or the sides of a
// centred title. Deliberately conservative: glyph widths and line heights are overestimated, and
// anything it cannot reason about (vertical text, unknown alignment) keeps the whole box.
import type { Box } from './geometry.js';
import { attr, child, children, path, type XmlElement } from './xml.js';

const EMU_PER_PT = 12_700;
/** Average glyph advance as a share of the font size; real Latin text averages ~0.5. */
const GLYPH_WIDTH = 0.58;
const LINE_HEIGHT = 1.25;
const SAFETY = 1.1;
/** Sizes PowerPoint's default theme uses when nothing says otherwise (points). */
const DEFAULT_SIZE: Record<string, number> = { title: 44, ctrTitle: 44, subTitle: 32, body: 28, obj: 28 };

export interface TextDefaults {
  type: string | undefined;
  /** Inherited a:bodyPr@anchor (t, ctr, b). */
  anchor: string;
  /** Inherited first-level alignment (l, ctr, r, just, dist). */
  align: string;
  /** Inherited first-level size in points. */
  size: number | undefined;
}

// The covered part of `box`, or the whole box when the estimate cannot be trusted.
export function estimateTextBox(sp: XmlElement, box: Box, defaults: TextDefaults): Box {
  const txBody = child(sp, 'txBody');
  const bodyPr = child(txBody, 'bodyPr');
  if (!txBody) return box;
  const anchor = attr(bodyPr, 'anchor') ?? defaults.anchor;
  if ((attr(bodyPr, 'vert') ?? 'horz') !== 'horz' || !['t', 'ctr', 'b'].includes(anchor)) return box;
  const inset = (name: string, fallback: number) => Number(attr(bodyPr, name) ?? fallback) || 0;
  const [l, r, t, b] = [inset('lIns', 91_440), inset('rIns', 91_440), inset('tIns', 45_720), inset('bIns', 45_720)];
  const scale = Number(attr(child(bodyPr, 'normAutofit'), 'fontScale') ?? 100_000) / 100_000 || 1;
  const usable = box.cx - l - r;
  if (usable <= 0) return box;
  let height = t + b;
  let widest = 0;
  const aligns = new Set<string>();
  // Right-to-left text lines up from the right whatever algn says: keep the full width.
  if (attr(bodyPr, 'rtlCol') === '1') aligns.add('rtl');
  for (const p of children(txBody, 'p')) {
    const pPr = child(p, 'pPr');
    aligns.add(attr(pPr, 'rtl') === '1' ? 'rtl' : (attr(pPr, 'algn') ?? defaults.align));
    const lvl = Number(attr(pPr, 'lvl') ?? 0);
    const size = (runSize(p) ?? Math.max(12, (defaults.size ?? DEFAULT_SIZE[defaults.type ?? ''] ?? 18) - 4 * lvl)) * scale;
    const glyph = size * GLYPH_WIDTH * EMU_PER_PT;
    const indent = Number(attr(pPr, 'marL') ?? 0) || 0;
    const perLine = Math.max(1, Math.floor((usable - indent) / glyph));
    const units = textUnits(p);
    height += Math.max(1, Math.ceil(units / perLine)) * size * LINE_HEIGHT * EMU_PER_PT;
    widest = Math.max(widest, indent + Math.min(units, perLine) * glyph);
  }
  height = Math.min(box.cy, Math.ceil(height * SAFETY));
  // Mixed or justified alignment: keep the full width.
  const align = aligns.size === 1 ? [...aligns][0]! : 'mixed';
  const width = ['l', 'ctr', 'r'].includes(align) ? Math.min(box.cx, Math.ceil(l + r + widest * SAFETY)) : box.cx;
  const x = align === 'ctr' ? box.x + (box.cx - width) / 2 : align === 'r' ? box.x + box.cx - width : box.x;
  const y = anchor === 'ctr' ? box.y + (box.cy - height) / 2 : anchor === 'b' ? box.y + box.cy - height : box.y;
  return { x: Math.round(x), y: Math.round(y), cx: width, cy: height };
}

function runSize(p: XmlElement): number | undefined {
  for (const el of children(p)) {
    const sz = attr(child(el, 'rPr'), 'sz') ?? (el.local === 'endParaRPr' ? attr(el, 'sz') : undefined);
    if (sz) return Number(sz) / 100;
  }
  return undefined;
}

/** Text length in half-em units: wide (CJK) characters count double. */
function textUnits(p: XmlElement): number {
  let units = 0;
  for (const el of children(p)) {
    const t = path(el, 't');
    if (!t) continue;
    for (const ch of t.children.map((c) => (typeof c === 'string' ? c : '')).join('')) units += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  }
  return units;
}
