// Builds the p:pic element for a new picture and splices it into a slide's XML text,
// leaving every other byte of the slide as it was.
import type { Box } from './geometry.js';
import { attr, child, childRanges, escapeXml, localName, scanTags, type XmlElement } from './xml.js';

/** Our pictures are named with this prefix so re-runs can find (and replace) them. */
export const MARKER = 'slide-illustrate';

export const NS = {
  p: ['http://schemas.openxmlformats.org/presentationml/2006/main', 'http://purl.oclc.org/ooxml/presentationml/main'],
  a: ['http://schemas.openxmlformats.org/drawingml/2006/main', 'http://purl.oclc.org/ooxml/drawingml/main'],
  r: ['http://schemas.openxmlformats.org/officeDocument/2006/relationships', 'http://purl.oclc.org/ooxml/officeDocument/relationships'],
} as const;

export function isOurPicture(el: XmlElement): boolean {
  if (el.local !== 'pic') return false;
  const nv = child(el, 'nvPicPr');
  return (attr(child(nv, 'cNvPr'), 'name') ?? '').startsWith(MARKER);
}

export interface Prefixes {
  p: string;
  a: string;
  r: string;
  /** Namespace declarations the p:pic must carry itself because the root lacks them. */
  declare: string;
}

/** The prefixes the slide root binds to the three namespaces a picture needs. */
export function prefixesOf(slideXml: string): Prefixes {
  const first = scanTags(slideXml).next();
  const rootTag = first.done ? '' : slideXml.slice(first.value.start, first.value.end);
  const decls = new Map<string, string>();
  for (const m of rootTag.matchAll(/xmlns(?::([\w.-]+))?\s*=\s*("([^"]*)"|'([^']*)')/g)) decls.set(m[3] ?? m[4] ?? '', m[1] ?? '');
  const strict = rootTag.includes('purl.oclc.org/ooxml');
  const pick = (key: keyof typeof NS, fallback: string): { prefix: string; decl: string } => {
    for (const uri of NS[key]) {
      const prefix = decls.get(uri);
      // A default namespace (no prefix) cannot be used for our prefixed element names.
      if (prefix) return { prefix, decl: '' };
    }
    const uri = NS[key][strict ? 1 : 0];
    return { prefix: fallback, decl: ` xmlns:${fallback}="${uri}"` };
  };
  const p = pick('p', 'p');
  const a = pick('a', 'a');
  const r = pick('r', 'r');
  // If a fallback prefix is taken by another namespace on the root, use a private one.
  const safe = (x: { prefix: string; decl: string }, alt: string) => (x.decl && [...decls.values()].includes(x.prefix) ? { prefix: alt, decl: x.decl.replace(`xmlns:${x.prefix}=`, `xmlns:${alt}=`) } : x);
  const [pp, aa, rr] = [safe(p, 'sip'), safe(a, 'sia'), safe(r, 'sir')];
  return { p: pp.prefix, a: aa.prefix, r: rr.prefix, declare: pp.decl + aa.decl + rr.decl };
}

/** Largest numeric @id anywhere in the slide (python-pptx's rule: max + 1 is free). */
export function maxShapeId(slideXml: string): number {
  let max = 0;
  for (const m of slideXml.matchAll(/\sid\s*=\s*["'](\d{1,9})["']/g)) max = Math.max(max, Number(m[1]));
  return max;
}

export interface PictureSpec {
  id: number;
  relId: string;
  box: Box;
  /** Alt text (the prompt). */
  descr: string;
  /** Crop in 1/1000 % per side (a:srcRect), when the image does not match the box. */
  crop?: { l: number; t: number; r: number; b: number } | undefined;
}

export function pictureXml(spec: PictureSpec, ns: Prefixes): string {
  const { p, a, r } = ns;
  const crop = spec.crop && (spec.crop.l || spec.crop.t || spec.crop.r || spec.crop.b) ? `<${a}:srcRect l="${spec.crop.l}" t="${spec.crop.t}" r="${spec.crop.r}" b="${spec.crop.b}"/>` : '';
  return (
    `<${p}:pic${ns.declare}>` +
    `<${p}:nvPicPr><${p}:cNvPr id="${spec.id}" name="${MARKER} ${spec.id}" descr="${escapeXml(spec.descr)}"/>` +
    `<${p}:cNvPicPr><${a}:picLocks noChangeAspect="1"/></${p}:cNvPicPr><${p}:nvPr/></${p}:nvPicPr>` +
    `<${p}:blipFill><${a}:blip ${r}:embed="${spec.relId}"/>${crop}<${a}:stretch><${a}:fillRect/></${a}:stretch></${p}:blipFill>` +
    `<${p}:spPr><${a}:xfrm><${a}:off x="${spec.box.x}" y="${spec.box.y}"/><${a}:ext cx="${spec.box.cx}" cy="${spec.box.cy}"/></${a}:xfrm>` +
    `<${a}:prstGeom prst="rect"><${a}:avLst/></${a}:prstGeom></${p}:spPr>` +
    `</${p}:pic>`
  );
}

export type ZOrder = 'front' | 'back';

// Inserts an element into p:spTree: on top (before a trailing extLst) or at the back (after the group properties).
export function insertIntoSpTree(slideXml: string, elementXml: string, z: ZOrder = 'front'): string {
  const tree = childRanges(slideXml, 'spTree');
  if (!tree) throw new Error('slide has no p:spTree');
  let at: number;
  if (z === 'back') {
    const props = tree.children.filter((c) => ['nvGrpSpPr', 'grpSpPr'].includes(localName(c.name)));
    at = props.length ? props[props.length - 1]!.end : tree.parent.innerStart;
  } else {
    const ext = tree.children.find((c) => localName(c.name) === 'extLst');
    at = ext ? ext.start : tree.parent.innerEnd;
  }
  return slideXml.slice(0, at) + elementXml + slideXml.slice(at);
}

/** Removes our earlier pictures from the slide's tree; returns the new XML and the relationship ids they used. */
export function removeOurPictures(slideXml: string): { xml: string; relIds: string[] } {
  const tree = childRanges(slideXml, 'spTree');
  if (!tree) return { xml: slideXml, relIds: [] };
  const ours = tree.children.filter((c) => localName(c.name) === 'pic' && new RegExp(`name\\s*=\\s*["']${MARKER}`).test(slideXml.slice(c.start, c.innerEnd)));
  if (!ours.length) return { xml: slideXml, relIds: [] };
  const relIds: string[] = [];
  let xml = slideXml;
  for (const range of [...ours].reverse()) {
    const chunk = xml.slice(range.start, range.end);
    const m = chunk.match(/:embed\s*=\s*["']([^"']+)["']/);
    if (m) relIds.push(m[1]!);
    xml = xml.slice(0, range.start) + xml.slice(range.end);
  }
  return { xml, relIds };
}

