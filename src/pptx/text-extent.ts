// Estimates the part of a text box its text actually covers, so a picture can use the empty rest of
// a big body placeholder (the usual "Title and Content" slide with three bullets) or the sides of a
// centred title. Text is laid out the way PowerPoint does: glyph advances of the deck's fonts
// (metric-compatible stand-ins, see font-metrics.ts), word wrapping, bullet indents, spacing
// before/after, line spacing, autofit scale, insets and anchoring, with everything a placeholder
// inherits from its layout, master and the master's text styles. It never under-estimates: unknown
// fonts count wide, and anything it cannot reason about (vertical text) keeps the whole box.
import { fontFace, isWide } from './font-metrics.js';
import type { Box } from '../model/geometry.js';
import { attr, child, children, type XmlElement } from './xml.js';

const EMU_PER_PT = 12_700;
/** Height slack for renderer rounding (a few per cent, never a whole line). */
const HEIGHT_SAFETY = 1.04;
/** Lines are broken as if the box were this much narrower (hinting, kerning off). */
const WIDTH_SAFETY = 0.985;
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
  /** List styles (a:lstStyle, p:titleStyle …) the text inherits, lowest priority first. */
  lstStyles?: (XmlElement | undefined)[];
  /** Inherited a:bodyPr elements, lowest priority first (master placeholder, layout placeholder). */
  bodyPrs?: (XmlElement | undefined)[];
  /** Theme fonts +mj-lt / +mn-lt resolve to. */
  fonts?: { major: string | undefined; minor: string | undefined };
}

interface Para {
  marL: number;
  indent: number;
  align: string | undefined;
  /** Line spacing: percentage (1 = single) or exact points. */
  lnSpc: { pct: number } | { pts: number } | undefined;
  spcBef: { pct: number } | { pts: number } | undefined;
  spcAft: { pct: number } | { pts: number } | undefined;
  bullet: boolean;
  rtl: boolean;
  run: Run;
}

interface Run {
  size: number | undefined;
  bold: boolean | undefined;
  font: string | undefined;
}

interface ResolvedRun {
  size: number;
  bold: boolean;
  font: string;
}

/** A normAutofit to lay text out with instead of the shape's own (fractions: 0.85 = 85 %). */
export interface AutofitOverride {
  fontScale: number;
  lnSpcReduction: number;
}

// The covered part of `box`, or the whole box when the estimate cannot be trusted. With `override`,
// text is laid out at that autofit instead of the shape's own and its full height is returned
// (not cut to the box; infinite for text it cannot lay out), so a caller can ask whether it fits.
export function estimateTextBox(sp: XmlElement, box: Box, defaults: TextDefaults, override?: AutofitOverride): Box {
  // Asked whether text fits, text we cannot lay out never does.
  const untrusted = override ? { ...box, cy: Number.POSITIVE_INFINITY } : box;
  const txBody = child(sp, 'txBody');
  if (!txBody) return untrusted;
  const bodyPrs = [...(defaults.bodyPrs ?? []), child(txBody, 'bodyPr')].filter((b): b is XmlElement => !!b);
  const bodyAttr = (name: string): string | undefined => {
    for (let i = bodyPrs.length - 1; i >= 0; i--) {
      const v = attr(bodyPrs[i], name);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const anchor = bodyAttr('anchor') ?? defaults.anchor;
  if ((bodyAttr('vert') ?? 'horz') !== 'horz' || !['t', 'ctr', 'b'].includes(anchor)) return untrusted;
  const inset = (name: string, fallback: number) => Number(bodyAttr(name) ?? fallback) || 0;
  const [l, r, t, b] = [inset('lIns', 91_440), inset('rIns', 91_440), inset('tIns', 45_720), inset('bIns', 45_720)];
  // The nearest bodyPr that says how text fits decides (normAutofit, spAutoFit or noAutofit).
  const fit = [...bodyPrs]
    .reverse()
    .map((p) => children(p).find((c) => ['normAutofit', 'spAutoFit', 'noAutofit'].includes(c.local)))
    .find((c) => c);
  const ownFit = children(child(txBody, 'bodyPr')).find((c) => c.local === 'normAutofit');
  const scale = override?.fontScale ?? (Number(attr(ownFit, 'fontScale') ?? 100_000) / 100_000 || 1);
  const lnReduction = override?.lnSpcReduction ?? (Number(attr(ownFit, 'lnSpcReduction') ?? 0) / 100_000 || 0);
  const wrap = bodyAttr('wrap') !== 'none';
  const usable = (box.cx - l - r) * WIDTH_SAFETY;
  if (usable <= 0) return untrusted;

  const lstStyles = [...(defaults.lstStyles ?? []), child(txBody, 'lstStyle')];
  let height = t + b;
  let widest = 0;
  const aligns = new Set<string>();
  // Right-to-left text lines up from the right whatever algn says: keep the full width.
  if (bodyAttr('rtlCol') === '1') aligns.add('rtl');
  const paragraphs = children(txBody, 'p');
  for (const p of paragraphs) {
    const pPr = child(p, 'pPr');
    const lvl = Math.min(8, Math.max(0, Number(attr(pPr, 'lvl') ?? 0) || 0));
    const para = resolvePara([...lstStyles.map((s) => child(s, `lvl${lvl + 1}pPr`)), pPr]);
    aligns.add(para.rtl ? 'rtl' : (para.align ?? defaults.align));
    const fallbackSize = defaults.size ?? DEFAULT_SIZE[defaults.type ?? ''] ?? 18;
    const resolveRun = (rPr: XmlElement | undefined): ResolvedRun => {
      const size = Number(attr(rPr, 'sz') ?? NaN) / 100 || para.run.size || fallbackSize;
      const b = attr(rPr, 'b');
      const bold = b !== undefined ? b === '1' || b === 'true' : (para.run.bold ?? false);
      let font =
        attr(child(rPr, 'latin'), 'typeface') ??
        para.run.font ??
        (['title', 'ctrTitle'].includes(defaults.type ?? '') ? '+mj-lt' : '+mn-lt');
      if (font === '+mj-lt') font = defaults.fonts?.major ?? '';
      else if (font === '+mn-lt') font = defaults.fonts?.minor ?? '';
      return { size: size * scale, bold, font };
    };
    // Lines of (glyph) pieces; a:br starts a new line within the paragraph.
    const lines = layoutParagraph(p, resolveRun, usable, para, wrap);
    const first = lines[0]!;
    const lineSize = (ln: LaidLine) => ln.size;
    const lineHeight = (ln: LaidLine): number => {
      if (para.lnSpc && 'pts' in para.lnSpc) return para.lnSpc.pts * EMU_PER_PT;
      const pct = Math.max(0.1, (para.lnSpc?.pct ?? 1) - lnReduction);
      return ln.size * ln.lineHeight * pct * EMU_PER_PT;
    };
    const spacing = (s: Para['spcBef']): number => (!s ? 0 : 'pts' in s ? s.pts * EMU_PER_PT : s.pct * lineSize(first) * 1.2 * EMU_PER_PT);
    height += spacing(para.spcBef) + spacing(para.spcAft);
    for (const ln of lines) {
      height += lineHeight(ln);
      widest = Math.max(widest, ln.width);
    }
  }
  if (paragraphs.length === 0) return untrusted;
  height = Math.ceil(height * HEIGHT_SAFETY);
  // Shrink-on-overflow text is fitted into the box; otherwise text past the box still shows.
  if (fit?.local === 'normAutofit' && !override) height = Math.min(box.cy, height);
  // Mixed or justified alignment: keep the full width.
  const align = aligns.size === 1 ? [...aligns][0]! : 'mixed';
  const needed = Math.ceil(l + r + widest / WIDTH_SAFETY);
  // Unwrapped text runs past its box when its lines are longer (a font drawn wider than the one it was sized for).
  const width = ['l', 'ctr', 'r'].includes(align) ? (wrap ? Math.min(box.cx, needed) : needed) : wrap ? box.cx : Math.max(box.cx, needed);
  const x = align === 'ctr' ? box.x + (box.cx - width) / 2 : align === 'r' ? box.x + box.cx - width : box.x;
  const y = anchor === 'ctr' ? box.y + (box.cy - height) / 2 : anchor === 'b' ? box.y + box.cy - height : box.y;
  return { x: Math.round(x), y: Math.round(y), cx: width, cy: height };
}

function spacingOf(el: XmlElement | undefined): Para['spcBef'] {
  const pts = attr(child(el, 'spcPts'), 'val');
  if (pts !== undefined) return { pts: (Number(pts) || 0) / 100 };
  const pct = attr(child(el, 'spcPct'), 'val');
  if (pct !== undefined) return { pct: (Number(pct) || 0) / 100_000 };
  return undefined;
}

// Paragraph properties from lowest to highest priority: later ones win attribute by attribute.
function resolvePara(chain: (XmlElement | undefined)[]): Para {
  const para: Para = {
    marL: 0,
    indent: 0,
    align: undefined,
    lnSpc: undefined,
    spcBef: undefined,
    spcAft: undefined,
    bullet: false,
    rtl: false,
    run: { size: undefined, bold: undefined, font: undefined },
  };
  for (const p of chain) {
    if (!p) continue;
    const marL = attr(p, 'marL');
    if (marL !== undefined) para.marL = Number(marL) || 0;
    const indent = attr(p, 'indent');
    if (indent !== undefined) para.indent = Number(indent) || 0;
    para.align = attr(p, 'algn') ?? para.align;
    if (attr(p, 'rtl') !== undefined) para.rtl = attr(p, 'rtl') === '1';
    para.lnSpc = spacingOf(child(p, 'lnSpc')) ?? para.lnSpc;
    para.spcBef = spacingOf(child(p, 'spcBef')) ?? para.spcBef;
    para.spcAft = spacingOf(child(p, 'spcAft')) ?? para.spcAft;
    for (const c of children(p)) {
      if (c.local === 'buNone') para.bullet = false;
      else if (['buChar', 'buAutoNum', 'buBlip'].includes(c.local)) para.bullet = true;
    }
    const def = child(p, 'defRPr');
    const sz = attr(def, 'sz');
    if (sz !== undefined && Number(sz) > 0) para.run.size = Number(sz) / 100;
    const b = attr(def, 'b');
    if (b !== undefined) para.run.bold = b === '1' || b === 'true';
    para.run.font = attr(child(def, 'latin'), 'typeface') ?? para.run.font;
  }
  return para;
}

interface LaidLine {
  /** Widest text extent from the box's left inset, in EMU. */
  width: number;
  /** Largest font size on the line (points) and its face's line height (ems). */
  size: number;
  lineHeight: number;
}

interface Glyph {
  ch: string;
  width: number;
  size: number;
  lineHeight: number;
}

// Greedy line breaking at spaces (and anywhere around wide CJK characters); words longer than a line break anywhere.
function layoutParagraph(
  p: XmlElement,
  resolveRun: (rPr: XmlElement | undefined) => ResolvedRun,
  usable: number,
  para: Para,
  wrap: boolean,
): LaidLine[] {
  const segments: Glyph[][] = [[]];
  for (const el of children(p)) {
    if (el.local === 'br') {
      segments.push([]);
      continue;
    }
    if (el.local !== 'r' && el.local !== 'fld') continue;
    const run = resolveRun(child(el, 'rPr'));
    const face = fontFace(run.font, run.bold);
    const text = children(el, 't')
      .map((t) => t.children.map((c) => (typeof c === 'string' ? c : '')).join(''))
      .join('');
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      const glyph = {
        ch: ch === '\t' ? ' ' : ch,
        width: face.advance(cp) * run.size * EMU_PER_PT,
        size: run.size,
        lineHeight: face.lineHeight,
      };
      // A tab moves at least to the next default stop (1 inch): count it as that.
      if (ch === '\t') glyph.width = 914_400;
      segments[segments.length - 1]!.push(glyph);
    }
  }
  const endSize = resolveRun(child(p, 'endParaRPr'));
  const endFace = fontFace(endSize.font, endSize.bold);
  // Where text starts: the bullet hangs in the indent when there is room, else it pushes the text.
  const bulletWidth = para.bullet ? 0.6 * (endSize.size || 18) * EMU_PER_PT : 0;
  const firstStart = Math.max(0, para.bullet ? Math.max(para.marL, para.marL + para.indent + bulletWidth) : para.marL + para.indent);
  const restStart = Math.max(0, para.marL);
  const lines: LaidLine[] = [];
  for (const glyphs of segments) {
    let start = lines.length === 0 ? firstStart : restStart;
    let x = 0;
    let lineEnd = 0;
    let size = 0;
    let lineHeight = 0;
    let wordStart = 0;
    // A line that wraps counts as full width: a slightly narrower renderer would reflow it, not shorten it.
    const emit = (wrapped = false) => {
      lines.push({ width: wrapped ? usable : start + lineEnd, size: size || endSize.size, lineHeight: lineHeight || endFace.lineHeight });
      start = restStart;
      x = 0;
      lineEnd = 0;
      size = 0;
      lineHeight = 0;
    };
    // Words: runs of non-space characters; wide characters are words of their own.
    let i = 0;
    while (i < glyphs.length) {
      let j = i;
      if (glyphs[i]!.ch === ' ') {
        while (j < glyphs.length && glyphs[j]!.ch === ' ') j++;
        for (let k = i; k < j; k++) x += glyphs[k]!.width;
        i = j;
        continue;
      }
      if (isWide(glyphs[i]!.ch.codePointAt(0)!)) j = i + 1;
      else while (j < glyphs.length && glyphs[j]!.ch !== ' ' && !isWide(glyphs[j]!.ch.codePointAt(0)!)) j++;
      const word = glyphs.slice(i, j);
      const wordWidth = word.reduce((s, g) => s + g.width, 0);
      wordStart = x;
      if (wrap && lineEnd > 0 && start + wordStart + wordWidth > usable) {
        emit(true);
        wordStart = 0;
      }
      x = wordStart;
      for (const g of word) {
        // A word longer than the line breaks anywhere.
        if (wrap && x > 0 && start + x + g.width > usable) {
          lineEnd = x;
          emit(true);
        }
        x += g.width;
        lineEnd = x;
        size = Math.max(size, g.size);
        lineHeight = Math.max(lineHeight, g.lineHeight);
      }
      i = j;
    }
    emit();
  }
  return lines;
}
