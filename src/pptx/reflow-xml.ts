// Writes make-room's change to a slide's body shape: its new position (an explicit a:xfrm in its
// p:spPr, also when it inherited one from its layout) and a:normAutofit with the planned font scale
// and line-spacing reduction. Every other byte of the slide stays as it was.
import type { Reflow } from './make-room-layout.js';
import { findShape } from './picture-xml.js';
import { childRanges, localName, scanTags } from './xml.js';

const AUTOFITS = new Set(['normAutofit', 'spAutoFit', 'noAutofit']);

export function reflowShape(slideXml: string, reflow: Reflow): string {
  const range = findShape(slideXml, reflow.shapeId);
  if (!range || localName(range.name) !== 'sp') throw new Error(`text shape ${reflow.shapeId} not found`);
  let shape = slideXml.slice(range.start, range.end);
  const bodyPr = firstTag(shape, 'bodyPr');
  if (!bodyPr) throw new Error(`shape ${reflow.shapeId} has no text body`);
  // DrawingML's prefix, as the shape's own a:bodyPr spells it.
  const a = bodyPr.name.includes(':') ? `${bodyPr.name.split(':')[0]}:` : '';
  shape = withAutofit(shape, autofitXml(reflow, a));
  shape = withXfrm(shape, reflow, a);
  return slideXml.slice(0, range.start) + shape + slideXml.slice(range.end);
}

function autofitXml(r: Reflow, a: string): string {
  const scale = Math.round(r.fontScale * 100_000);
  const ln = Math.round(r.lnSpcReduction * 100_000);
  return `<${a}normAutofit${scale < 100_000 ? ` fontScale="${scale}"` : ''}${ln > 0 ? ` lnSpcReduction="${ln}"` : ''}/>`;
}

function xfrmXml(r: Reflow, a: string, openTag = `<${a}xfrm>`): string {
  const b = r.box;
  return `${openTag}<${a}off x="${b.x}" y="${b.y}"/><${a}ext cx="${b.cx}" cy="${b.cy}"/></${a}xfrm>`;
}

/** The shape's a:bodyPr with its autofit replaced (after a:prstTxWarp, where the schema puts it). */
function withAutofit(shape: string, autofit: string): string {
  const tag = firstTag(shape, 'bodyPr')!;
  if (tag.kind === 'empty') {
    const open = shape.slice(tag.start, tag.end).replace(/\s*\/>$/, '>');
    return `${shape.slice(0, tag.start)}${open}${autofit}</${tag.name}>${shape.slice(tag.end)}`;
  }
  const body = childRanges(shape, 'bodyPr')!;
  let out = shape;
  for (const c of [...body.children].reverse()) if (AUTOFITS.has(localName(c.name))) out = out.slice(0, c.start) + out.slice(c.end);
  const again = childRanges(out, 'bodyPr')!;
  const warp = again.children.find((c) => localName(c.name) === 'prstTxWarp');
  const at = warp ? warp.end : again.parent.innerStart;
  return out.slice(0, at) + autofit + out.slice(at);
}

/** The shape's p:spPr with its a:xfrm set to the new box (flip and rotation attributes kept). */
function withXfrm(shape: string, r: Reflow, a: string): string {
  const tag = firstTag(shape, 'spPr');
  if (!tag) throw new Error(`shape ${r.shapeId} has no shape properties`);
  if (tag.kind === 'empty') {
    const open = shape.slice(tag.start, tag.end).replace(/\s*\/>$/, '>');
    return `${shape.slice(0, tag.start)}${open}${xfrmXml(r, a)}</${tag.name}>${shape.slice(tag.end)}`;
  }
  const spPr = childRanges(shape, 'spPr')!;
  const xfrm = spPr.children.find((c) => localName(c.name) === 'xfrm');
  if (!xfrm) return shape.slice(0, spPr.parent.innerStart) + xfrmXml(r, a) + shape.slice(spPr.parent.innerStart);
  const openTag = shape.slice(xfrm.start, xfrm.innerStart).replace(/\s*\/>$/, '>');
  const own = xfrm.name.includes(':') ? `${xfrm.name.split(':')[0]}:` : '';
  return shape.slice(0, xfrm.start) + xfrmXml(r, own, openTag) + shape.slice(xfrm.end);
}

function firstTag(xml: string, local: string) {
  for (const tag of scanTags(xml)) if (tag.kind !== 'close' && localName(tag.name) === local) return tag;
  return undefined;
}
