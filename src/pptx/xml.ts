// Safe XML reading for untrusted package parts: decode by BOM, refuse DTDs, bound depth,
// parse with fast-xml-parser in its lossless mode, then decode entities ourselves.
import { XMLParser } from 'fast-xml-parser';

/** An element with prefix-free `local` name; text children are plain strings, already entity-decoded. */
export interface XmlElement {
  name: string;
  local: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

/** Deepest element nesting we accept; real slides stay far below (deep SmartArt ~40). */
export const MAX_XML_DEPTH = 256;

export class XmlSafetyError extends Error {
  override name = 'XmlSafetyError';
}

// Decode part bytes by their BOM (UTF-8, UTF-16LE/BE); jszip's async("string") garbles UTF-16.
export function decodeXmlBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  // UTF-16 without BOM starts with "<\0" or "\0<".
  if (bytes[0] === 0x3c && bytes[1] === 0x00) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0x00 && bytes[1] === 0x3c) return new TextDecoder('utf-16be').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes);
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // Lossless: "007", "1e5" and " " must stay strings; entities are decoded by decodeEntities below.
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_XML_DEPTH + 8,
});

// Parse one package part into an element tree; throws XmlSafetyError or the parser's error.
export function parseXml(text: string): XmlElement {
  checkXmlSafety(text);
  const raw = parser.parse(text) as RawNode[];
  const root = raw.map(convert).find((n): n is XmlElement => typeof n !== 'string');
  if (!root) throw new XmlSafetyError('no root element');
  return root;
}

/** Refuse DTDs (no OOXML part has one), nesting deeper than MAX_XML_DEPTH and unbalanced tags. */
export function checkXmlSafety(text: string): void {
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) throw new XmlSafetyError('DOCTYPE or entity declarations are not allowed');
  // The parser is lenient about structure; a linear scan catches what it lets through.
  const open: string[] = [];
  let roots = 0;
  for (const tag of scanTags(text)) {
    if (tag.kind === 'open') {
      if (open.length === 0) roots++;
      open.push(tag.name);
      if (open.length > MAX_XML_DEPTH) throw new XmlSafetyError(`elements nested deeper than ${MAX_XML_DEPTH}`);
    } else if (tag.kind === 'close') {
      const expected = open.pop();
      if (expected !== tag.name) throw new XmlSafetyError(`malformed XML: </${tag.name}> ${expected ? `closes <${expected}>` : 'has no open element'}`);
    } else if (open.length === 0) roots++;
  }
  if (open.length) throw new XmlSafetyError(`malformed XML: <${open[open.length - 1]}> is never closed`);
  if (roots !== 1) throw new XmlSafetyError(`malformed XML: ${roots} root elements`);
}

type RawNode = Record<string, unknown>;

function convert(node: RawNode): XmlNode {
  if ('#text' in node) return decodeEntities(String(node['#text']));
  const attrsRaw = (node[':@'] ?? {}) as Record<string, unknown>;
  const name = Object.keys(node).find((k) => k !== ':@') ?? '';
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrsRaw)) attrs[k] = decodeEntities(String(v));
  const kids = ((node[name] ?? []) as RawNode[]).map(convert);
  // Whitespace between elements is formatting; whitespace alone in a leaf (<a:t> </a:t>) is content.
  const mixed = kids.some((k) => typeof k !== 'string');
  return { name, local: localName(name), attrs, children: mixed ? kids.filter((k) => typeof k !== 'string' || k.trim() !== '') : kids };
}

export function localName(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

// One linear pass over the five predefined entities and numeric references; bad ones become U+FFFD.
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!Number.isFinite(code) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || code === 0) return '\uFFFD';
      return String.fromCodePoint(code);
    }
    return NAMED[body] ?? whole;
  });
}

export function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // Characters XML 1.0 cannot carry at all.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}

// --- tree helpers (prefix-free) ---

export function children(el: XmlElement | undefined, local?: string): XmlElement[] {
  const out: XmlElement[] = [];
  if (!el) return out;
  for (const c of el.children) if (typeof c !== 'string' && (local === undefined || c.local === local)) out.push(c);
  return out;
}

export function child(el: XmlElement | undefined, local: string): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) if (typeof c !== 'string' && c.local === local) return c;
  return undefined;
}

/** Follows a path of local names, first match at each step. */
export function path(el: XmlElement | undefined, ...locals: string[]): XmlElement | undefined {
  let cur = el;
  for (const l of locals) cur = child(cur, l);
  return cur;
}

/** Concatenated text content of an element (all descendants). */
export function textOf(el: XmlElement): string {
  let out = '';
  for (const c of el.children) out += typeof c === 'string' ? c : textOf(c);
  return out;
}

/** Attribute by local name, whatever its prefix (r:id, r:embed …). */
export function attr(el: XmlElement | undefined, local: string): string | undefined {
  if (!el) return undefined;
  if (local in el.attrs) return el.attrs[local];
  for (const [k, v] of Object.entries(el.attrs)) if (localName(k) === local) return v;
  return undefined;
}

// --- a tag scanner that reports source offsets, for splicing new XML into untouched text ---

export interface ScannedTag {
  kind: 'open' | 'close' | 'empty';
  name: string;
  start: number;
  end: number; // offset just past '>'
}

// Yields element tags in document order, skipping comments, CDATA, PIs and declarations.
export function* scanTags(text: string): Generator<ScannedTag> {
  let i = 0;
  const n = text.length;
  while (i < n) {
    const lt = text.indexOf('<', i);
    if (lt < 0) return;
    if (text.startsWith('<!--', lt)) {
      const e = text.indexOf('-->', lt + 4);
      i = e < 0 ? n : e + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', lt)) {
      const e = text.indexOf(']]>', lt + 9);
      i = e < 0 ? n : e + 3;
      continue;
    }
    if (text[lt + 1] === '?' || text[lt + 1] === '!') {
      const e = text.indexOf('>', lt + 2);
      i = e < 0 ? n : e + 1;
      continue;
    }
    const gt = findTagEnd(text, lt + 1);
    if (gt < 0) return;
    const closing = text[lt + 1] === '/';
    const nameStart = closing ? lt + 2 : lt + 1;
    let nameEnd = nameStart;
    while (nameEnd < gt && !/[\s/>]/.test(text[nameEnd]!)) nameEnd++;
    const name = text.slice(nameStart, nameEnd);
    const kind = closing ? 'close' : text[gt - 1] === '/' ? 'empty' : 'open';
    yield { kind, name, start: lt, end: gt + 1 };
    i = gt + 1;
  }
}

// '>' that ends a tag, ignoring '>' inside quoted attribute values.
function findTagEnd(text: string, from: number): number {
  let quote = '';
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '>') return i;
  }
  return -1;
}

export interface ElementRange {
  name: string;
  start: number;
  end: number;
  /** Offset where the element's content starts (after the open tag) and ends (before the close tag). */
  innerStart: number;
  innerEnd: number;
}

/** Source ranges of the direct children of the first element whose local name is `parentLocal`. */
export function childRanges(text: string, parentLocal: string): { parent: ElementRange; children: ElementRange[] } | undefined {
  const stack: { name: string; start: number; innerStart: number }[] = [];
  let parentDepth = -1;
  let parent: ElementRange | undefined;
  const kids: ElementRange[] = [];
  for (const tag of scanTags(text)) {
    if (tag.kind === 'open') {
      if (parentDepth < 0 && localName(tag.name) === parentLocal) parentDepth = stack.length;
      stack.push({ name: tag.name, start: tag.start, innerStart: tag.end });
    } else if (tag.kind === 'empty') {
      if (parentDepth >= 0 && stack.length === parentDepth + 1) kids.push({ name: tag.name, start: tag.start, end: tag.end, innerStart: tag.end, innerEnd: tag.end });
    } else {
      const open = stack.pop();
      if (!open) return undefined;
      if (parentDepth >= 0 && stack.length === parentDepth + 1) {
        kids.push({ name: open.name, start: open.start, end: tag.end, innerStart: open.innerStart, innerEnd: tag.start });
      } else if (parentDepth >= 0 && stack.length === parentDepth) {
        parent = { name: open.name, start: open.start, end: tag.end, innerStart: open.innerStart, innerEnd: tag.start };
        return { parent, children: kids };
      }
    }
  }
  return undefined;
}
