// Shape geometry in EMU (914 400 EMU = 1 inch), including what placeholders inherit
// from their layout and master.
import type { Package } from './package.js';
import { findRel, readRels } from './opc.js';
import { placeholderOf, textBodyText, alternateBranch } from './slide-text.js';
import { tableExtent } from './table-extent.js';
import { estimateTextBox, type AutofitOverride, type TextDefaults } from './text-extent.js';
import { attr, child, children, path, type XmlElement } from './xml.js';
import type { Box } from '../model/geometry.js';

export type { Box } from '../model/geometry.js';

export interface ShapeInfo {
  kind: 'sp' | 'pic' | 'graphicFrame' | 'grpSp' | 'cxnSp' | 'contentPart';
  /** Position on the slide, own or inherited; undefined when nothing resolves. */
  box: Box | undefined;
  /** The part of `box` its text covers (estimated); equals `box` when it cannot be narrowed. */
  textBox: Box | undefined;
  hasText: boolean;
  placeholder: { type: string; idx: string | undefined } | undefined;
  id: string | undefined;
  name: string;
  /** True for pictures this tool added (see MARKER in insert-picture.ts). */
  ours: boolean;
  /**
   * Shapes (p:sp) only: true when the shape paints a fill or an outline of its own (a star, a panel,
   * a rule), so its whole box shows, not only its text. Undefined when unknown (treated as drawn).
   */
  drawn?: boolean;
  /**
   * Shapes (p:sp) with text only: the height its text needs when laid out `cx` wide at this autofit
   * (see estimateTextBox), for make-room's narrowed column.
   */
  textHeightAt?: (cx: number, fit: AutofitOverride) => number;
}

/** What a placeholder on a layout or master passes down to the slide's placeholder. */
export interface InheritedPlaceholder {
  box: Box | undefined;
  /** a:bodyPr@anchor: t, ctr or b. */
  anchor: string | undefined;
  /** First-level paragraph alignment (a:lstStyle/a:lvl1pPr@algn). */
  align: string | undefined;
  /** First-level font size in points. */
  size: number | undefined;
  /** The placeholder's own a:lstStyle and a:bodyPr, which the slide's placeholder inherits. */
  lstStyle: XmlElement | undefined;
  bodyPr: XmlElement | undefined;
}

/** Text defaults a master sets for all slides (p:txStyles), by style. */
export interface TextStyles {
  title: { align: string | undefined; size: number | undefined };
  body: { align: string | undefined; size: number | undefined };
  other: { align: string | undefined; size: number | undefined };
  /** p:titleStyle, p:bodyStyle and p:otherStyle themselves (every level). */
  elements: { title: XmlElement | undefined; body: XmlElement | undefined; other: XmlElement | undefined };
}

/** Placeholders of a layout or master, by idx and by type, and the other shapes it draws on every slide. */
export interface PlaceholderBoxes {
  byIdx: Map<string, InheritedPlaceholder>;
  byType: Map<string, InheritedPlaceholder>;
  /** Masters only. */
  textStyles: TextStyles | undefined;
  /** Layouts only: p:sldLayout@type (title, secHead, obj, picTx …). */
  layoutType: string | undefined;
  /** Non-placeholder shapes (logos, bars, footer text) shown on slides unless showMasterSp="0". */
  decorations: ShapeInfo[];
  /** False when this layout hides the master's shapes (showMasterSp="0"). */
  showMasterShapes: boolean;
}

// Reads an a:xfrm / p:xfrm element's offset and extent; undefined when incomplete.
export function readXfrm(xfrm: XmlElement | undefined): Box | undefined {
  const off = child(xfrm, 'off');
  const ext = child(xfrm, 'ext');
  if (!off || !ext) return undefined;
  const box = { x: num(attr(off, 'x')), y: num(attr(off, 'y')), cx: num(attr(ext, 'cx')), cy: num(attr(ext, 'cy')) };
  return Number.isFinite(box.x + box.y + box.cx + box.cy) ? box : undefined;
}

function num(s: string | undefined): number {
  return s === undefined ? NaN : Number(s);
}

export function ownBox(el: XmlElement, fonts?: { major: string | undefined; minor: string | undefined }): Box | undefined {
  switch (el.local) {
    case 'graphicFrame': {
      const box = readXfrm(child(el, 'xfrm'));
      // Table rows grow with their text past a:tr@h and the frame's stored height: use the drawn extent.
      const tbl = path(el, 'graphic', 'graphicData', 'tbl');
      return box && tbl ? tableExtent(tbl, box, fonts) : box;
    }
    case 'grpSp':
      return readXfrm(path(el, 'grpSpPr', 'xfrm'));
    default:
      return readXfrm(path(el, 'spPr', 'xfrm'));
  }
}

function cNvPr(el: XmlElement): XmlElement | undefined {
  const nv = children(el).find((c) => c.local.startsWith('nv'));
  return child(nv, 'cNvPr');
}

// Describes the top-level shapes of a slide's tree (groups as one shape), resolving inherited geometry.
export function describeShapes(
  spTree: XmlElement | undefined,
  inherited: PlaceholderBoxes[],
  isOurs: (el: XmlElement) => boolean,
  fonts?: { major: string | undefined; minor: string | undefined },
  /** The presentation's p:defaultTextStyle: text outside placeholders inherits it (alignment, size), as LibreOffice draws it. */
  defaultTextStyle?: XmlElement,
): ShapeInfo[] {
  const out: ShapeInfo[] = [];
  const add = (el: XmlElement): void => {
    if (el.local === 'AlternateContent') {
      const b = alternateBranch(el);
      if (b) for (const c of children(b)) add(c);
      return;
    }
    if (!['sp', 'pic', 'graphicFrame', 'grpSp', 'cxnSp', 'contentPart'].includes(el.local)) return;
    const placeholder = el.local === 'contentPart' ? undefined : placeholderOf(el);
    let box = ownBox(el, fonts);
    if (!box && placeholder) box = lookupPlaceholder(inherited, placeholder, 'box');
    const nvPr = cNvPr(el);
    const text = hasText(el);
    const defaults = { ...textDefaults(inherited, placeholder, defaultTextStyle), ...(fonts ? { fonts } : {}) };
    out.push({
      kind: el.local as ShapeInfo['kind'],
      box,
      textBox: box && text && el.local === 'sp' ? estimateTextBox(el, box, defaults) : box,
      hasText: text,
      placeholder,
      id: attr(nvPr, 'id'),
      name: attr(nvPr, 'name') ?? '',
      ours: isOurs(el),
      ...(el.local === 'sp' ? { drawn: paintsItself(el) } : {}),
      ...(box && text && el.local === 'sp'
        ? { textHeightAt: (cx: number, fit: AutofitOverride) => estimateTextBox(el, { ...box, cx }, defaults, fit).cy }
        : {}),
    });
  };
  for (const el of children(spTree)) add(el);
  return out;
}

const FILLS = ['solidFill', 'gradFill', 'blipFill', 'pattFill', 'grpFill'];

/**
 * Whether a p:sp paints a fill or an outline: its own spPr fill or line, else its p:style references
 * (fillRef/lnRef idx 0 means none). A placeholder without either inherits its layout's look, which
 * for text placeholders is (almost always) nothing.
 */
export function paintsItself(el: XmlElement): boolean {
  const spPr = child(el, 'spPr');
  const style = child(el, 'style');
  const ownFill = children(spPr).find((c) => FILLS.includes(c.local) || c.local === 'noFill');
  const fill = ownFill ? ownFill.local !== 'noFill' : Number(attr(child(style, 'fillRef'), 'idx') ?? 0) > 0;
  const ln = child(spPr, 'ln');
  const lnFill = children(ln).find((c) => FILLS.includes(c.local) || c.local === 'noFill');
  const line = lnFill
    ? lnFill.local !== 'noFill'
    : Number(attr(child(style, 'lnRef'), 'idx') ?? 0) > 0 || (ln !== undefined && attr(ln, 'w') !== undefined);
  return fill || line;
}

function hasText(el: XmlElement): boolean {
  if (el.local === 'sp') return textBodyText(child(el, 'txBody')).trim() !== '';
  if (el.local === 'graphicFrame') return true;
  if (el.local === 'grpSp') return children(el).some(hasText);
  return false;
}

/** Same idx on the layout, else same type; the master by type ("obj" and "body" share the body box). */
export function lookupPlaceholder<K extends keyof InheritedPlaceholder>(
  levels: PlaceholderBoxes[],
  ph: { type: string; idx: string | undefined },
  key: K,
): InheritedPlaceholder[K] | undefined {
  // One placeholder per level inherits (the layout's of the same idx, else of the same type …): a
  // layout's body placeholder never lends its anchor to the content placeholder beside it.
  for (const c of placeholderChain(levels, ph)) if (c[key] !== undefined) return c[key];
  return undefined;
}

/** The placeholder a slide placeholder inherits from on each level (layout, master), nearest first. */
function placeholderChain(levels: PlaceholderBoxes[], ph: { type: string; idx: string | undefined }): InheritedPlaceholder[] {
  const out: InheritedPlaceholder[] = [];
  for (const level of levels) {
    const found = [
      ph.idx !== undefined && !level.textStyles ? level.byIdx.get(ph.idx) : undefined,
      level.byType.get(ph.type),
      ph.type === 'obj' ? level.byType.get('body') : undefined,
      ph.type === 'ctrTitle' ? level.byType.get('title') : undefined,
      ph.type === 'subTitle' ? level.byType.get('body') : undefined,
      level.textStyles && ph.idx !== undefined ? level.byIdx.get(ph.idx) : undefined,
    ].find((c) => c);
    if (found) out.push(found);
  }
  return out;
}

/** What a slide shape's text inherits: anchor, alignment, size, and the list styles and body properties of its layout and master. */
export function textDefaults(
  levels: PlaceholderBoxes[],
  ph: { type: string; idx: string | undefined } | undefined,
  defaultTextStyle?: XmlElement,
): TextDefaults {
  const master = levels.find((l) => l.textStyles)?.textStyles;
  if (!ph) return { type: undefined, anchor: 't', align: 'l', size: undefined, lstStyles: [master?.elements.other, defaultTextStyle] };
  const kind = ['title', 'ctrTitle'].includes(ph.type) ? 'title' : ['dt', 'ftr', 'sldNum', 'hdr'].includes(ph.type) ? 'other' : 'body';
  const style = master?.[kind];
  const chain = placeholderChain(levels, ph).reverse();
  return {
    type: ph.type,
    anchor: lookupPlaceholder(levels, ph, 'anchor') ?? 't',
    align: lookupPlaceholder(levels, ph, 'align') ?? style?.align ?? 'l',
    size: lookupPlaceholder(levels, ph, 'size') ?? style?.size,
    lstStyles: [master?.elements[kind], ...chain.map((c) => c.lstStyle)],
    bodyPrs: chain.map((c) => c.bodyPr),
  };
}

function lvl1(lstStyle: XmlElement | undefined): { align: string | undefined; size: number | undefined } {
  const p = child(lstStyle, 'lvl1pPr');
  const sz = attr(child(p, 'defRPr'), 'sz');
  return { align: attr(p, 'algn'), size: sz ? Number(sz) / 100 : undefined };
}

export function placeholderBoxes(root: XmlElement | undefined): PlaceholderBoxes {
  const tree = path(root, 'cSld', 'spTree');
  const styles = child(root, 'txStyles');
  const result: PlaceholderBoxes = {
    byIdx: new Map(),
    byType: new Map(),
    layoutType: attr(root, 'type'),
    textStyles: styles
      ? {
          title: lvl1(child(styles, 'titleStyle')),
          body: lvl1(child(styles, 'bodyStyle')),
          other: lvl1(child(styles, 'otherStyle')),
          elements: { title: child(styles, 'titleStyle'), body: child(styles, 'bodyStyle'), other: child(styles, 'otherStyle') },
        }
      : undefined,
    decorations: describeShapes(tree, [], () => false).filter((s) => !s.placeholder),
    showMasterShapes: !['0', 'false'].includes(attr(root, 'showMasterSp') ?? ''),
  };
  for (const el of children(tree)) {
    const ph = placeholderOf(el);
    if (!ph) continue;
    const txBody = child(el, 'txBody');
    const first = lvl1(child(txBody, 'lstStyle'));
    const bodyPr = child(txBody, 'bodyPr');
    const info: InheritedPlaceholder = {
      box: ownBox(el),
      anchor: attr(bodyPr, 'anchor'),
      align: first.align,
      size: first.size,
      lstStyle: child(txBody, 'lstStyle'),
      bodyPr,
    };
    if (ph.idx !== undefined && !result.byIdx.has(ph.idx)) result.byIdx.set(ph.idx, info);
    if (!result.byType.has(ph.type)) result.byType.set(ph.type, info);
  }
  return result;
}

// The layout's and master's placeholder boxes for a slide, nearest first.
export async function inheritedBoxes(
  pkg: Package,
  slidePart: string,
  cache: Map<string, Promise<PlaceholderBoxes>>,
): Promise<{ levels: PlaceholderBoxes[]; layoutPart: string | undefined }> {
  const load = (part: string): Promise<PlaceholderBoxes> => {
    let p = cache.get(part);
    if (!p) {
      p = pkg.readXml(part).then(placeholderBoxes);
      cache.set(part, p);
    }
    return p;
  };
  const layout = findRel(await readRels(pkg, slidePart), 'slideLayout');
  if (!layout || !pkg.has(layout.target)) return { levels: [], layoutPart: undefined };
  const levels = [await load(layout.target)];
  const master = findRel(await readRels(pkg, layout.target), 'slideMaster');
  if (master && pkg.has(master.target)) levels.push(await load(master.target));
  return { levels, layoutPart: layout.target };
}

/** Layout and master shapes drawn on a slide, honouring showMasterSp on the slide and the layout. */
export function inheritedDecorations(levels: PlaceholderBoxes[], slideShowsMaster: boolean): ShapeInfo[] {
  if (!slideShowsMaster) return [];
  const [layout, master] = levels;
  const out = [...(layout?.decorations ?? [])];
  if (master && (layout?.showMasterShapes ?? true)) out.push(...master.decorations);
  return out;
}
