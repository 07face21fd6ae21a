// Safe XML reading for untrusted package parts: decode by BOM, refuse DTDs, bound depth, and
// build the element tree in one linear pass, losslessly (no number or whitespace coercion), with
// entities decoded by us.
//
// The tree builder is ours, one pass that checks safety as it builds: a part used to be scanned
// for safety, parsed by fast-xml-parser in its lossless mode, then converted into this tree, three
// passes where one does. It skips comments, CDATA and declarations as the tag scanner below does
// (otherMarkup). Reading a 24-slide deck spent ~110 ms of its ~200 ms
// there, cold, before the first prompt could leave. fast-xml-parser stays the reference: a test
// compares the two on every XML part of the 174-deck corpus.

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

/** A part whose bytes are not UTF-8 or UTF-16 text, which is all OOXML allows (ECMA-376 Part 2, 8.1.4). */
export class XmlEncodingError extends XmlSafetyError {
  override name = 'XmlEncodingError';
}

// Decode part bytes by their BOM (UTF-8, UTF-16LE/BE); jszip's async("string") garbles UTF-16.
// Decoding is strict: a part declaring another encoding, or bytes that are not valid in the
// encoding found, is refused rather than read with U+FFFD in place of its letters (and written back so).
export function decodeXmlBytes(bytes: Uint8Array): string {
  const b = bytes;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return decodeStrict(b.subarray(3), 'utf-8');
  if (b[0] === 0xff && b[1] === 0xfe) return decodeStrict(b.subarray(2), 'utf-16le');
  if (b[0] === 0xfe && b[1] === 0xff) return decodeStrict(b.subarray(2), 'utf-16be');
  // UTF-16 without BOM starts with "<\0" or "\0<".
  if (b[0] === 0x3c && b[1] === 0x00) return decodeStrict(b, 'utf-16le');
  if (b[0] === 0x00 && b[1] === 0x3c) return decodeStrict(b, 'utf-16be');
  // An ASCII-compatible part: its declaration, if any, must not name a legacy code page.
  checkDeclaredEncoding(Buffer.from(b.buffer, b.byteOffset, Math.min(b.byteLength, 256)).toString('latin1'));
  return decodeStrict(b, 'utf-8');
}

function decodeStrict(bytes: Uint8Array, encoding: 'utf-8' | 'utf-16le' | 'utf-16be'): string {
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    const shown = encoding === 'utf-8' ? 'UTF-8' : 'UTF-16';
    throw new XmlEncodingError(
      `not valid ${shown} text${encoding === 'utf-8' ? ' (a legacy code page such as Windows-1252?)' : ''}; OOXML parts must be UTF-8 or UTF-16`,
    );
  }
  // Behind a BOM too: a UTF-8 BOM before encoding="ISO-8859-1" is a contradiction we would write back.
  checkDeclaredEncoding(text.slice(0, 256));
  return text;
}

/** Encoding names a part may declare: OOXML parts are UTF-8 or UTF-16. */
const ALLOWED_ENCODING = /^(utf-?8|utf-?16(le|be)?)$/i;

// Refuses `<?xml … encoding="ISO-8859-1"?>`, `Shift_JIS` and every other non-Unicode declaration.
function checkDeclaredEncoding(head: string): void {
  const m = /^\uFEFF?<\?xml\b[^>]*?\bencoding\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(head);
  const declared = m ? (m[1] ?? m[2] ?? '') : undefined;
  if (declared !== undefined && !ALLOWED_ENCODING.test(declared.trim())) {
    throw new XmlEncodingError(`declares encoding ${JSON.stringify(declared.slice(0, 40))}; OOXML parts must be UTF-8 or UTF-16`);
  }
}

/** Characters XML 1.0 cannot carry: C0 controls but tab, LF and CR; U+FFFE, U+FFFF; unpaired surrogates. */
const XML_ILLEGAL =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes what XML 1.0 cannot carry, so it reaches neither a prompt nor a part we write. */
export function stripXmlIllegal(s: string): string {
  return s.replace(XML_ILLEGAL, '');
}

/** True for code points XML 1.0 allows as a character (reference). */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

// Parse one package part into an element tree; throws XmlSafetyError for a DTD, nesting deeper than
// MAX_XML_DEPTH, unbalanced or unclosed tags, or anything but one root element.
export function parseXml(source: string): XmlElement {
  if (/<!DOCTYPE/i.test(source) || /<!ENTITY/i.test(source)) throw new XmlSafetyError('DOCTYPE or entity declarations are not allowed');
  // Line ends as XML 1.0 (2.11) has a processor pass them on: CR LF and a lone CR become LF (a
  // CR written as &#13; stays, being decoded after).
  const text = source.includes('\r') ? source.replace(/\r\n?/g, '\n') : source;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let roots = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const lt = text.indexOf('<', i);
    const top = stack[stack.length - 1];
    if (lt < 0) {
      if (top) addText(top, text.slice(i));
      break;
    }
    if (lt > i && top) addText(top, text.slice(i, lt));
    const markup = otherMarkup(text, lt);
    if (markup) {
      if (markup.end < 0) throw new XmlSafetyError(`malformed XML: a ${markup.kind} is never closed`);
      if (markup.kind === 'CDATA section' && top) addText(top, text.slice(lt + CDATA_OPEN.length, markup.end - CDATA_CLOSE.length), false);
      i = markup.end;
      continue;
    }
    const gt = findTagEnd(text, lt + 1);
    if (gt < 0) throw new XmlSafetyError('malformed XML: a tag is never closed');
    const closing = text.charCodeAt(lt + 1) === 0x2f; /* / */
    const nameStart = closing ? lt + 2 : lt + 1;
    let nameEnd = nameStart;
    while (nameEnd < gt && !isNameEnd(text.charCodeAt(nameEnd))) nameEnd++;
    const name = text.slice(nameStart, nameEnd);
    if (closing) {
      const open = stack.pop();
      if (open?.name !== name)
        throw new XmlSafetyError(`malformed XML: </${name}> ${open ? `closes <${open.name}>` : 'has no open element'}`);
      dropFormatting(open);
    } else {
      if (!name) throw new XmlSafetyError('malformed XML: a tag without a name');
      const empty = text.charCodeAt(gt - 1) === 0x2f; /* / */
      const el: XmlElement = { name, local: localName(name), attrs: parseAttrs(text, nameEnd, empty ? gt - 1 : gt), children: [] };
      if (top) top.children.push(el);
      else {
        roots++;
        root = el;
      }
      if (!empty) {
        stack.push(el);
        if (stack.length > MAX_XML_DEPTH) throw new XmlSafetyError(`elements nested deeper than ${MAX_XML_DEPTH}`);
      }
    }
    i = gt + 1;
  }
  if (stack.length) throw new XmlSafetyError(`malformed XML: <${stack[stack.length - 1]!.name}> is never closed`);
  if (roots !== 1 || !root) throw new XmlSafetyError(roots ? `malformed XML: ${roots} root elements` : 'no root element');
  return root;
}

// Whitespace, '/' and '>' end a tag's name.
function isNameEnd(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2f || c === 0x3e;
}

// Text is kept as it is (entities decoded, characters XML cannot carry dropped); text that
// follows text (around a comment or a CDATA section) joins it.
function addText(el: XmlElement, raw: string, decode = true): void {
  const value = stripXmlIllegal(decode ? decodeEntities(raw) : raw);
  const last = el.children.length - 1;
  if (last >= 0 && typeof el.children[last] === 'string') el.children[last] += value;
  else el.children.push(value);
}

// Whitespace between elements is formatting; whitespace alone in a leaf (<a:t> </a:t>) is content.
function dropFormatting(el: XmlElement): void {
  if (!el.children.some((k) => typeof k !== 'string')) return;
  el.children = el.children.filter((k) => typeof k !== 'string' || k.trim() !== '');
}

const ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

// name="value" pairs of a tag (between its name and its '>' or '/>'); a repeated name keeps the last.
function parseAttrs(text: string, from: number, to: number): Record<string, string> {
  const attrs: Record<string, string> = {};
  if (from >= to) return attrs;
  ATTRIBUTE.lastIndex = from;
  for (let m = ATTRIBUTE.exec(text); m && m.index < to; m = ATTRIBUTE.exec(text)) {
    attrs[m[1]!] = stripXmlIllegal(decodeEntities(m[2] ?? m[3] ?? ''));
  }
  return attrs;
}

export function localName(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

// One linear pass over the five predefined entities and numeric references; bad ones, and references
// to characters XML cannot carry (&#1;, &#xFFFE;), become U+FFFD.
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!Number.isFinite(code) || !isXmlChar(code)) return '\uFFFD';
      return String.fromCodePoint(code);
    }
    return NAMED[body] ?? whole;
  });
}

export function escapeXml(s: string): string {
  return (
    s
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // Characters XML 1.0 cannot carry at all, unpaired surrogates included.
      .replace(XML_ILLEGAL, '')
  );
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
    const markup = otherMarkup(text, lt);
    if (markup) {
      i = markup.end < 0 ? n : markup.end;
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

const CDATA_OPEN = '<![CDATA[';
const CDATA_CLOSE = ']]>';

// The markup at `lt` ('<') when it is not an element's tag: a comment, a CDATA section, or a
// declaration or processing instruction, with the offset just past it (-1 when it is never closed).
function otherMarkup(text: string, lt: number): { kind: 'comment' | 'CDATA section' | 'declaration'; end: number } | undefined {
  const past = (at: number, close: string) => (at < 0 ? -1 : at + close.length);
  if (text.startsWith('<!--', lt)) return { kind: 'comment', end: past(text.indexOf('-->', lt + 4), '-->') };
  if (text.startsWith(CDATA_OPEN, lt))
    return { kind: 'CDATA section', end: past(text.indexOf(CDATA_CLOSE, lt + CDATA_OPEN.length), CDATA_CLOSE) };
  const next = text.charCodeAt(lt + 1);
  if (next === 0x3f /* ? */ || next === 0x21 /* ! */) return { kind: 'declaration', end: past(text.indexOf('>', lt + 2), '>') };
  return undefined;
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
      if (parentDepth >= 0 && stack.length === parentDepth + 1)
        kids.push({ name: tag.name, start: tag.start, end: tag.end, innerStart: tag.end, innerEnd: tag.end });
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
