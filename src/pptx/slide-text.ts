// Pure text extraction from a slide's shape tree: titles, bodies, tables, groups, SmartArt and charts.
import type { SlideText } from '../model/slide-text.js';
import { attr, child, children, path, stripXmlIllegal, type XmlElement } from './xml.js';

/** Placeholder types whose text is slide furniture, not content. */
const FURNITURE = new Set(['sldNum', 'dt', 'ftr', 'hdr', 'sldImg']);
const TITLE = new Set(['title', 'ctrTitle']);

export interface ExternalText {
  /** Text of a SmartArt data part or chart part, by the relationship id the slide names. */
  byRelId(relId: string, kind: 'diagram' | 'chart'): string;
}

/** Placeholder of a shape: type defaults to "obj" when p:ph has no type. */
export function placeholderOf(shape: XmlElement): { type: string; idx: string | undefined } | undefined {
  const nv = children(shape).find((c) => c.local.startsWith('nv'));
  const ph = path(nv, 'nvPr', 'ph');
  if (!ph) return undefined;
  return { type: attr(ph, 'type') ?? 'obj', idx: attr(ph, 'idx') };
}

/** Text of one DrawingML text body: paragraphs joined with newlines, a:br as newline. */
export function textBodyText(txBody: XmlElement | undefined): string {
  if (!txBody) return '';
  const paras: string[] = [];
  for (const p of children(txBody, 'p')) {
    let line = '';
    for (const part of children(p)) {
      if (part.local === 'r' || part.local === 'fld') line += textOfT(child(part, 't'));
      else if (part.local === 'br') line += '\n';
    }
    paras.push(line);
  }
  // Trailing empty paragraphs are layout, not content.
  while (paras.length && paras[paras.length - 1]!.trim() === '') paras.pop();
  return paras.join('\n');
}

function textOfT(t: XmlElement | undefined): string {
  if (!t) return '';
  return runText(t.children.map((c) => (typeof c === 'string' ? c : '')).join(''));
}

/**
 * Run text as a reader sees it. Office escapes characters XML cannot carry as `_xHHHH_`
 * (`_x000B_` for a vertical tab, `_x005F_` for a literal underscore): decoded here, a vertical
 * tab or form feed becomes a line break and every other control character is dropped, so none
 * reaches a prompt, a report or an XML part we write.
 */
export function runText(s: string): string {
  const decoded = s.includes('_x') ? s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : s;
  return stripXmlIllegal(decoded.replace(/[\u000B\u000C]/g, '\n'));
}

/** Picks one branch of mc:AlternateContent: the first Choice, else the Fallback. */
export function alternateBranch(ac: XmlElement): XmlElement | undefined {
  const choice = children(ac, 'Choice').find((c) => children(c).length > 0);
  return choice ?? child(ac, 'Fallback');
}

// Collects title and body text of a shape tree, in z-order, recursing into groups.
export function extractSlideText(spTree: XmlElement | undefined, external: ExternalText): Omit<SlideText, 'notes'> {
  const titles: string[] = [];
  const bodies: { text: string; fromShape: boolean }[] = [];
  const visit = (node: XmlElement): void => {
    for (const el of children(node)) {
      switch (el.local) {
        case 'sp': {
          const ph = placeholderOf(el);
          if (ph && FURNITURE.has(ph.type)) break;
          const text = textBodyText(child(el, 'txBody'));
          if (!text.trim()) break;
          if (ph && TITLE.has(ph.type)) titles.push(text);
          else bodies.push({ text, fromShape: true });
          break;
        }
        case 'grpSp':
          visit(el);
          break;
        case 'graphicFrame': {
          const text = graphicFrameText(el, external);
          if (text.trim()) bodies.push({ text, fromShape: false });
          break;
        }
        case 'AlternateContent': {
          const branch = alternateBranch(el);
          if (branch) visit(branch);
          break;
        }
      }
    }
  };
  if (spTree) visit(spTree);
  let title = titles.join('\n');
  // ~40% of real slides have no title placeholder: promote a short first text shape.
  if (!title) {
    const first = bodies.findIndex((b) => b.fromShape);
    const candidate = first >= 0 ? bodies[first]!.text.trim() : '';
    if (candidate && candidate.length <= 150 && !candidate.includes('\n')) {
      title = candidate;
      bodies.splice(first, 1);
    }
  }
  return { title, body: bodies.map((b) => b.text).join('\n') };
}

function graphicFrameText(frame: XmlElement, external: ExternalText): string {
  const data = path(frame, 'graphic', 'graphicData');
  if (!data) return '';
  const tbl = child(data, 'tbl');
  if (tbl) {
    return children(tbl, 'tr')
      .map((tr) =>
        children(tr, 'tc')
          .filter((tc) => attr(tc, 'hMerge') !== '1' && attr(tc, 'vMerge') !== '1')
          .map((tc) => textBodyText(child(tc, 'txBody')).replace(/\n/g, ' '))
          .filter((t) => t.trim() !== '')
          .join(' | '),
      )
      .filter((row) => row.trim() !== '')
      .join('\n');
  }
  const relIds = child(data, 'relIds');
  const dm = attr(relIds, 'dm');
  if (dm) return external.byRelId(dm, 'diagram');
  const chart = child(data, 'chart');
  const chartId = attr(chart, 'id');
  if (chartId) return external.byRelId(chartId, 'chart');
  return '';
}

/** SmartArt text lives in the diagram data part: dgm:ptLst/dgm:pt/dgm:t. */
export function diagramDataText(root: XmlElement): string {
  const pts = children(child(root, 'ptLst') ?? root, 'pt');
  return pts
    .map((pt) => textBodyText(child(pt, 't')))
    .filter((t) => t.trim() !== '')
    .join('\n');
}

/** A chart's title is worth a prompt; its numbers are not. */
export function chartTitleText(root: XmlElement): string {
  const title = path(root, 'chart', 'title', 'tx', 'rich');
  return title ? textBodyText(title) : '';
}

/** Notes text: only the body placeholder of the notes slide (not the slide number). */
export function notesText(notesRoot: XmlElement): string {
  const tree = path(notesRoot, 'cSld', 'spTree');
  const out: string[] = [];
  const visit = (node: XmlElement): void => {
    for (const el of children(node)) {
      if (el.local === 'grpSp') visit(el);
      else if (el.local === 'AlternateContent') {
        const b = alternateBranch(el);
        if (b) visit(b);
      } else if (el.local === 'sp' && placeholderOf(el)?.type === 'body') {
        const t = textBodyText(child(el, 'txBody'));
        if (t.trim()) out.push(t);
      }
    }
  };
  if (tree) visit(tree);
  return out.join('\n');
}
