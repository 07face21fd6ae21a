// Builds the p:pic elements we add and splices them into a slide's XML text, leaving every
// other byte of the slide as it was. Two forms: a free picture on top of the slide, and a filled
// placeholder (the p:sp becomes a p:pic keeping id, name and p:ph, as PowerPoint does).
import type { Box } from './geometry.js';
import { attr, child, childRanges, escapeXml, localName, parseXml, path, scanTags, type ElementRange, type XmlElement } from './xml.js';

/** Free pictures we add are named with this prefix, so re-runs find and replace them. */
export const MARKER = 'slide-illustrate';
/** Filled placeholders keep the author's name, so they carry this extension in p:cNvPr instead. */
export const MARKER_EXT_URI = 'urn:slide-illustrate:picture';

export const NS = {
  p: ['http://schemas.openxmlformats.org/presentationml/2006/main', 'http://purl.oclc.org/ooxml/presentationml/main'],
  a: ['http://schemas.openxmlformats.org/drawingml/2006/main', 'http://purl.oclc.org/ooxml/drawingml/main'],
  r: ['http://schemas.openxmlformats.org/officeDocument/2006/relationships', 'http://purl.oclc.org/ooxml/officeDocument/relationships'],
} as const;

export function isOurPicture(el: XmlElement): boolean {
  if (el.local !== 'pic') return false;
  const cNvPr = path(el, 'nvPicPr', 'cNvPr');
  if ((attr(cNvPr, 'name') ?? '').startsWith(MARKER)) return true;
  const exts = child(cNvPr, 'extLst');
  return !!exts && exts.children.some((e) => typeof e !== 'string' && attr(e, 'uri') === MARKER_EXT_URI);
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
  const taken = new Set(decls.values());
  const pick = (key: keyof typeof NS, fallback: string, alt: string): { prefix: string; decl: string } => {
    for (const uri of NS[key]) {
      const prefix = decls.get(uri);
      // A default namespace (no prefix) cannot be used for our prefixed element names.
      if (prefix) return { prefix, decl: '' };
    }
    const prefix = taken.has(fallback) ? alt : fallback;
    return { prefix, decl: ` xmlns:${prefix}="${NS[key][strict ? 1 : 0]}"` };
  };
  const p = pick('p', 'p', 'sip');
  const a = pick('a', 'a', 'sia');
  const r = pick('r', 'r', 'sir');
  return { p: p.prefix, a: a.prefix, r: r.prefix, declare: p.decl + a.decl + r.decl };
}

/** Largest numeric @id anywhere in the slide (python-pptx's rule: max + 1 is free). */
export function maxShapeId(slideXml: string): number {
  let max = 0;
  for (const m of slideXml.matchAll(/\sid\s*=\s*["'](\d{1,9})["']/g)) max = Math.max(max, Number(m[1]));
  return max;
}

export interface Crop {
  l: number;
  t: number;
  r: number;
  b: number;
}

export interface PictureSpec {
  relId: string;
  /** Alt text (the prompt). */
  descr: string;
  /** Crop in 1/1000 % per side (a:srcRect), when the image does not match the box. */
  crop?: Crop | undefined;
}

export interface FreePicture extends PictureSpec {
  id: number;
  box: Box;
}

/** What a filled placeholder keeps from the shape it replaces. */
export interface PlaceholderShape {
  id: string;
  name: string;
  /** The p:ph element's attributes (type, idx, …). */
  ph: Record<string, string>;
  /** The shape's own position, when it had one; otherwise it inherits from layout and master. */
  box: Box | undefined;
}

function blipFill(spec: PictureSpec, ns: Prefixes): string {
  const { p, a, r } = ns;
  const c = spec.crop;
  const crop = c && (c.l || c.t || c.r || c.b) ? `<${a}:srcRect l="${c.l}" t="${c.t}" r="${c.r}" b="${c.b}"/>` : '';
  return `<${p}:blipFill><${a}:blip ${r}:embed="${spec.relId}"/>${crop}<${a}:stretch><${a}:fillRect/></${a}:stretch></${p}:blipFill>`;
}

function xfrm(box: Box, a: string): string {
  return `<${a}:xfrm><${a}:off x="${box.x}" y="${box.y}"/><${a}:ext cx="${box.cx}" cy="${box.cy}"/></${a}:xfrm>`;
}

export function pictureXml(spec: FreePicture, ns: Prefixes): string {
  const { p, a } = ns;
  return (
    `<${p}:pic${ns.declare}>` +
    `<${p}:nvPicPr><${p}:cNvPr id="${spec.id}" name="${MARKER} ${spec.id}" descr="${escapeXml(spec.descr)}"/>` +
    `<${p}:cNvPicPr><${a}:picLocks noChangeAspect="1"/></${p}:cNvPicPr><${p}:nvPr/></${p}:nvPicPr>` +
    blipFill(spec, ns) +
    `<${p}:spPr>${xfrm(spec.box, a)}<${a}:prstGeom prst="rect"><${a}:avLst/></${a}:prstGeom></${p}:spPr>` +
    `</${p}:pic>`
  );
}

function phXml(ph: Record<string, string>, p: string): string {
  const attrs = Object.entries(ph)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  return `<${p}:ph${attrs}/>`;
}

/** The p:pic that fills a placeholder: same id, name and p:ph; geometry inherited unless the shape had its own. */
export function placeholderPictureXml(spec: PictureSpec, shape: PlaceholderShape, ns: Prefixes): string {
  const { p, a } = ns;
  return (
    `<${p}:pic${ns.declare}>` +
    `<${p}:nvPicPr><${p}:cNvPr id="${shape.id}" name="${escapeXml(shape.name)}" descr="${escapeXml(spec.descr)}">` +
    `<${a}:extLst><${a}:ext uri="${MARKER_EXT_URI}"/></${a}:extLst></${p}:cNvPr>` +
    `<${p}:cNvPicPr><${a}:picLocks noGrp="1" noChangeAspect="1"/></${p}:cNvPicPr><${p}:nvPr>${phXml(shape.ph, p)}</${p}:nvPr></${p}:nvPicPr>` +
    blipFill(spec, ns) +
    (shape.box ? `<${p}:spPr>${xfrm(shape.box, a)}</${p}:spPr>` : `<${p}:spPr/>`) +
    `</${p}:pic>`
  );
}

/** The empty placeholder a filled one came from, for re-runs that no longer fill it. */
function emptyPlaceholderXml(shape: PlaceholderShape, ns: Prefixes): string {
  const { p, a } = ns;
  return (
    `<${p}:sp${ns.declare}><${p}:nvSpPr><${p}:cNvPr id="${shape.id}" name="${escapeXml(shape.name)}"/>` +
    `<${p}:cNvSpPr><${a}:spLocks noGrp="1"/></${p}:cNvSpPr><${p}:nvPr>${phXml(shape.ph, p)}</${p}:nvPr></${p}:nvSpPr>` +
    (shape.box ? `<${p}:spPr>${xfrm(shape.box, a)}</${p}:spPr>` : `<${p}:spPr/>`) +
    `</${p}:sp>`
  );
}

/** Reads id, name, p:ph and own geometry from a shape's XML (p:sp or p:pic). */
export function placeholderShapeOf(shapeXml: string): PlaceholderShape | undefined {
  const el = parseXml(shapeXml);
  const nv = el.children.find((c): c is XmlElement => typeof c !== 'string' && c.local.startsWith('nv'));
  const cNvPr = child(nv, 'cNvPr');
  const ph = path(nv, 'nvPr', 'ph');
  if (!cNvPr || !ph) return undefined;
  const off = path(el, 'spPr', 'xfrm', 'off');
  const ext = path(el, 'spPr', 'xfrm', 'ext');
  const box =
    off && ext
      ? { x: Number(attr(off, 'x')), y: Number(attr(off, 'y')), cx: Number(attr(ext, 'cx')), cy: Number(attr(ext, 'cy')) }
      : undefined;
  const phAttrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(ph.attrs)) if (!k.startsWith('xmlns')) phAttrs[k] = v;
  return {
    id: attr(cNvPr, 'id') ?? '',
    name: attr(cNvPr, 'name') ?? '',
    ph: phAttrs,
    box: box && Object.values(box).every(Number.isFinite) ? box : undefined,
  };
}

export type ZOrder = 'front' | 'back';

function spTreeOf(slideXml: string) {
  const tree = childRanges(slideXml, 'spTree');
  if (!tree) throw new Error('slide has no p:spTree');
  return tree;
}

// Inserts an element into p:spTree: on top (before a trailing extLst) or at the back (after the group properties).
export function insertIntoSpTree(slideXml: string, elementXml: string, z: ZOrder = 'front'): string {
  const tree = spTreeOf(slideXml);
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

/** The top-level shape of p:spTree whose p:cNvPr has this id. */
export function findShape(slideXml: string, id: string): ElementRange | undefined {
  const re = new RegExp(`<([\\w.-]+:)?cNvPr\\b[^>]*\\sid\\s*=\\s*["']${id}["']`);
  return spTreeOf(slideXml).children.find((c) => ['sp', 'pic'].includes(localName(c.name)) && re.test(slideXml.slice(c.start, c.innerEnd)));
}

// Replaces a placeholder shape with the picture that fills it.
export function fillPlaceholder(slideXml: string, shapeId: string, spec: PictureSpec, ns: Prefixes): string {
  const range = findShape(slideXml, shapeId);
  if (!range) throw new Error(`placeholder shape ${shapeId} not found`);
  const shape = placeholderShapeOf(slideXml.slice(range.start, range.end));
  if (!shape) throw new Error(`shape ${shapeId} is not a placeholder`);
  return slideXml.slice(0, range.start) + placeholderPictureXml(spec, shape, ns) + slideXml.slice(range.end);
}

/**
 * Undoes our earlier pictures: free ones are removed, filled placeholders become empty placeholders again.
 * Returns the new XML and the relationship ids the removed pictures used.
 */
export function removeOurPictures(slideXml: string): { xml: string; relIds: string[]; count: number } {
  const tree = childRanges(slideXml, 'spTree');
  if (!tree) return { xml: slideXml, relIds: [], count: 0 };
  const ns = prefixesOf(slideXml);
  const ourName = new RegExp(`name\\s*=\\s*["']${MARKER}`);
  const ours = tree.children.filter((c) => {
    if (localName(c.name) !== 'pic') return false;
    const chunk = slideXml.slice(c.start, c.end);
    return ourName.test(chunk) || chunk.includes(MARKER_EXT_URI);
  });
  const relIds: string[] = [];
  let xml = slideXml;
  for (const range of [...ours].reverse()) {
    const chunk = xml.slice(range.start, range.end);
    const m = chunk.match(/:embed\s*=\s*["']([^"']+)["']/);
    if (m) relIds.push(m[1]!);
    const placeholder = chunk.includes(MARKER_EXT_URI) ? placeholderShapeOf(chunk) : undefined;
    xml = xml.slice(0, range.start) + (placeholder ? emptyPlaceholderXml(placeholder, ns) : '') + xml.slice(range.end);
  }
  return { xml, relIds, count: ours.length };
}
