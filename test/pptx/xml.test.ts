import { describe, expect, it } from 'vitest';
import { checkXmlSafety, childRanges, decodeEntities, decodeXmlBytes, MAX_XML_DEPTH, parseXml, textOf, XmlSafetyError } from '../../src/pptx/xml.js';

describe('decodeXmlBytes', () => {
  const xml = '<?xml version="1.0"?><a:t xmlns:a="x">Sécurité 安全</a:t>';
  it('reads UTF-8 with and without BOM', () => {
    expect(decodeXmlBytes(Buffer.from(xml))).toBe(xml);
    expect(decodeXmlBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)]))).toBe(xml);
  });
  it('reads UTF-16LE and UTF-16BE by BOM', () => {
    expect(decodeXmlBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]))).toBe(xml);
    const be = Buffer.from(xml, 'utf16le').swap16();
    expect(decodeXmlBytes(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toBe(xml);
  });
  it('a UTF-16LE part parses to the same text', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml.replace('?>', ' encoding="UTF-16"?>'), 'utf16le')]);
    expect(textOf(parseXml(decodeXmlBytes(bytes)))).toBe('Sécurité 安全');
  });
});

describe('parseXml safety', () => {
  it('refuses DOCTYPE and entity declarations', () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><a>&lol2;</a>';
    expect(() => parseXml(bomb)).toThrow(XmlSafetyError);
    expect(() => parseXml(bomb)).toThrow(/DOCTYPE/);
  });
  it('refuses nesting deeper than the bound, quickly', () => {
    const deep = '<a>'.repeat(MAX_XML_DEPTH + 1) + '</a>'.repeat(MAX_XML_DEPTH + 1);
    expect(() => checkXmlSafety(deep)).toThrow(/nested deeper/);
    const ok = '<a>'.repeat(MAX_XML_DEPTH) + '</a>'.repeat(MAX_XML_DEPTH);
    expect(() => checkXmlSafety(ok)).not.toThrow();
  });
  it('refuses malformed XML', () => {
    expect(() => parseXml('<a><b></a>')).toThrow();
  });
  it('keeps text lossless: numbers, spaces, tabs', () => {
    expect(textOf(parseXml('<r><t>007</t><t> </t><t>1e5</t><t>\t</t></r>'))).toBe('007 1e5\t');
  });
});

describe('decodeEntities', () => {
  it('decodes the predefined entities and numeric references in one pass', () => {
    expect(decodeEntities('&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&amp;lt;')).toBe('<>&"\'AB&lt;');
  });
  it('replaces out-of-range references instead of throwing', () => {
    expect(decodeEntities('&#9999999999;&#xD800;&#0;')).toBe('\uFFFD\uFFFD\uFFFD');
  });
});

describe('childRanges', () => {
  it('finds direct children of spTree with offsets that slice back exactly', () => {
    const xml = '<p:sld><p:cSld><p:spTree><p:nvGrpSpPr/><p:sp a="1>2"><x/></p:sp><!-- <p:sp> --><p:pic/></p:spTree></p:cSld></p:sld>';
    const r = childRanges(xml, 'spTree')!;
    expect(r.children.map((c) => xml.slice(c.start, c.end))).toEqual(['<p:nvGrpSpPr/>', '<p:sp a="1>2"><x/></p:sp>', '<p:pic/>']);
    expect(xml.slice(r.parent.innerEnd)).toMatch(/^<\/p:spTree>/);
  });
});
