// The reference for src/pptx/xml.ts's parseXml: fast-xml-parser in its lossless mode, then converted
// into the same tree, as parseXml did until it built the tree itself in one pass.
import { XMLParser } from 'fast-xml-parser';
import { decodeEntities, localName, stripXmlIllegal, type XmlElement, type XmlNode } from '../../src/pptx/xml.js';

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

type RawNode = Record<string, unknown>;

function convert(node: RawNode): XmlNode {
  if ('#text' in node) return stripXmlIllegal(decodeEntities(String(node['#text'])));
  const attrsRaw = (node[':@'] ?? {}) as Record<string, unknown>;
  const name = Object.keys(node).find((k) => k !== ':@') ?? '';
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrsRaw)) attrs[k] = stripXmlIllegal(decodeEntities(String(v)));
  const kids = ((node[name] ?? []) as RawNode[]).map(convert);
  const mixed = kids.some((k) => typeof k !== 'string');
  return { name, local: localName(name), attrs, children: mixed ? kids.filter((k) => typeof k !== 'string' || k.trim() !== '') : kids };
}

/** fast-xml-parser's tree of a well-formed part (undefined when it finds no root element). */
export function referenceParse(text: string): XmlElement | undefined {
  return (parser.parse(text) as RawNode[]).map(convert).find((n): n is XmlElement => typeof n !== 'string');
}
