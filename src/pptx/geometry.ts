// Shape geometry in EMU (914 400 EMU = 1 inch), including what placeholders inherit
// from their layout and master.
import type { Package } from './package.js';
import { findRel, readRels } from './opc.js';
import { placeholderOf, textBodyText, alternateBranch } from './slide-text.js';
import { attr, child, children, path, type XmlElement } from './xml.js';

export interface Box {
  x: number;
  y: number;
  cx: number;
  cy: number;
}

export interface ShapeInfo {
  kind: 'sp' | 'pic' | 'graphicFrame' | 'grpSp' | 'cxnSp' | 'contentPart';
  /** Position on the slide, own or inherited; undefined when nothing resolves. */
  box: Box | undefined;
  hasText: boolean;
  placeholder: { type: string; idx: string | undefined } | undefined;
  id: string | undefined;
  name: string;
  /** True for pictures this tool added (see MARKER in insert-picture.ts). */
  ours: boolean;
}

/** Placeholder boxes of a layout or master, by idx and by type, and the other shapes it draws on every slide. */
export interface PlaceholderBoxes {
  byIdx: Map<string, Box>;
  byType: Map<string, Box>;
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

export function ownBox(el: XmlElement): Box | undefined {
  switch (el.local) {
    case 'graphicFrame': {
      const box = readXfrm(child(el, 'xfrm'));
      // Table rows grow past the frame's stored height: the drawn height is the sum of the rows.
      const tbl = path(el, 'graphic', 'graphicData', 'tbl');
      if (box && tbl) {
        const rows = children(tbl, 'tr').reduce((sum, tr) => sum + (Number(attr(tr, 'h')) || 0), 0);
        const cols = children(child(tbl, 'tblGrid'), 'gridCol').reduce((sum, c) => sum + (Number(attr(c, 'w')) || 0), 0);
        return { ...box, cx: Math.max(box.cx, cols), cy: Math.max(box.cy, rows) };
      }
      return box;
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
export function describeShapes(spTree: XmlElement | undefined, inherited: PlaceholderBoxes[], isOurs: (el: XmlElement) => boolean): ShapeInfo[] {
  const out: ShapeInfo[] = [];
  const add = (el: XmlElement): void => {
    if (el.local === 'AlternateContent') {
      const b = alternateBranch(el);
      if (b) for (const c of children(b)) add(c);
      return;
    }
    if (!['sp', 'pic', 'graphicFrame', 'grpSp', 'cxnSp', 'contentPart'].includes(el.local)) return;
    const placeholder = el.local === 'contentPart' ? undefined : placeholderOf(el);
    let box = ownBox(el);
    if (!box && placeholder) box = lookupPlaceholder(inherited, placeholder);
    const nvPr = cNvPr(el);
    out.push({
      kind: el.local as ShapeInfo['kind'],
      box,
      hasText: hasText(el),
      placeholder,
      id: attr(nvPr, 'id'),
      name: attr(nvPr, 'name') ?? '',
      ours: isOurs(el),
    });
  };
  for (const el of children(spTree)) add(el);
  return out;
}

function hasText(el: XmlElement): boolean {
  if (el.local === 'sp') return textBodyText(child(el, 'txBody')).trim() !== '';
  if (el.local === 'graphicFrame') return true;
  if (el.local === 'grpSp') return children(el).some(hasText);
  return false;
}

/** Same idx on the layout, else same type; the master by type ("obj" and "body" share the body box). */
export function lookupPlaceholder(levels: PlaceholderBoxes[], ph: { type: string; idx: string | undefined }): Box | undefined {
  for (const level of levels) {
    if (ph.idx !== undefined) {
      const byIdx = level.byIdx.get(ph.idx);
      if (byIdx) return byIdx;
    }
    const byType = level.byType.get(ph.type) ?? (ph.type === 'obj' ? level.byType.get('body') : undefined) ?? (ph.type === 'ctrTitle' ? level.byType.get('title') : undefined);
    if (byType) return byType;
  }
  return undefined;
}

export function placeholderBoxes(root: XmlElement | undefined): PlaceholderBoxes {
  const tree = path(root, 'cSld', 'spTree');
  const result: PlaceholderBoxes = {
    byIdx: new Map(),
    byType: new Map(),
    decorations: describeShapes(tree, [], () => false).filter((s) => !s.placeholder),
    showMasterShapes: !['0', 'false'].includes(attr(root, 'showMasterSp') ?? ''),
  };
  for (const el of children(tree)) {
    const ph = placeholderOf(el);
    const box = ph && ownBox(el);
    if (!ph || !box) continue;
    if (ph.idx !== undefined && !result.byIdx.has(ph.idx)) result.byIdx.set(ph.idx, box);
    if (!result.byType.has(ph.type)) result.byType.set(ph.type, box);
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
