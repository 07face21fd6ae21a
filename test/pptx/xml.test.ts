import { describe, expect, it } from 'vitest';
import {
  childRanges,
  decodeEntities,
  decodeXmlBytes,
  escapeXml,
  MAX_XML_DEPTH,
  parseXml,
  stripXmlIllegal,
  textOf,
  XmlEncodingError,
  XmlSafetyError,
} from '../../src/pptx/xml.js';

/** XML 1.0's forbidden characters, as a test of what must never come out of a part. */
const ILLEGAL =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

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
  it('refuses a part declaring a legacy encoding instead of reading it as UTF-8 (ISO-8859-1, Shift_JIS, Windows-1252)', () => {
    const latin1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a:t xmlns:a="x">Sécurité</a:t>', 'latin1');
    expect(() => decodeXmlBytes(latin1)).toThrow(XmlEncodingError);
    expect(() => decodeXmlBytes(latin1)).toThrow(/declares encoding "ISO-8859-1"; OOXML parts must be UTF-8 or UTF-16/);
    // Shift_JIS bytes of 安全 (0x88C0 0x91 0x53); pure-ASCII content is refused by its declaration alone.
    const sjis = Buffer.concat([
      Buffer.from("<?xml version='1.0' encoding='Shift_JIS'?><t>"),
      Buffer.from([0x88, 0xc0, 0x91, 0x53]),
      Buffer.from('</t>'),
    ]);
    expect(() => decodeXmlBytes(sjis)).toThrow(/declares encoding "Shift_JIS"/);
    expect(() => decodeXmlBytes(Buffer.from('<?xml version="1.0" encoding="windows-1252" standalone="yes"?><t>plain</t>'))).toThrow(
      /windows-1252/,
    );
    // Also behind a BOM.
    expect(() =>
      decodeXmlBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><t/>')])),
    ).toThrow(/ISO-8859-1/);
    expect(() =>
      decodeXmlBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><t/>', 'utf16le')])),
    ).toThrow(/ISO-8859-1/);
  });
  it('refuses bytes that are not valid in the encoding found, rather than reading U+FFFD', () => {
    // "Sécurité" in Latin-1 with no declaration: 0xE9 is not UTF-8.
    const bytes = Buffer.concat([Buffer.from('<t>S'), Buffer.from([0xe9]), Buffer.from('curit'), Buffer.from([0xe9]), Buffer.from('</t>')]);
    expect(() => decodeXmlBytes(bytes)).toThrow(XmlEncodingError);
    expect(() => decodeXmlBytes(bytes)).toThrow(/not valid UTF-8 text/);
    // A lone high surrogate (0xD800) in UTF-16LE.
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('<t>', 'utf16le'),
      Buffer.from([0x00, 0xd8]),
      Buffer.from('</t>', 'utf16le'),
    ]);
    expect(() => decodeXmlBytes(utf16)).toThrow(/not valid UTF-16 text/);
  });
  it('accepts every way of declaring UTF-8 or UTF-16', () => {
    for (const enc of ['UTF-8', 'utf-8', 'utf8', 'UTF-16']) {
      const text = `<?xml version="1.0" encoding="${enc}"?><t>é</t>`;
      expect(decodeXmlBytes(Buffer.from(text))).toBe(text);
    }
    const le = `<?xml version="1.0" encoding="UTF-16LE"?><t>é</t>`;
    expect(decodeXmlBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(le, 'utf16le')]))).toBe(le);
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
    expect(() => parseXml(deep)).toThrow(/nested deeper/);
    const ok = '<a>'.repeat(MAX_XML_DEPTH) + '</a>'.repeat(MAX_XML_DEPTH);
    expect(() => parseXml(ok)).not.toThrow();
  });
  it('refuses malformed XML', () => {
    expect(() => parseXml('<a><b></a>')).toThrow();
  });
  it('takes CDATA literally, joined with the text around it and around comments', () => {
    const el = parseXml('<d>t<!-- c -->u<![CDATA[<v>&amp;]]>w</d>');
    expect(el.children).toEqual(['tu<v>&amp;w']);
  });
  it('refuses what is never closed: a tag, a comment, a CDATA section, an element', () => {
    for (const xml of ['<a><b', '<a><!-- x</a>', '<a><![CDATA[x</a>', '<a><b></b>', '<a/><b/>', 'text only']) {
      expect(() => parseXml(xml), xml).toThrow(XmlSafetyError);
    }
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
  it('replaces references to characters XML cannot carry (&#1;, &#x1B;, &#xFFFE;), keeping tab, LF and CR', () => {
    expect(decodeEntities('a&#1;b&#x1B;c&#xB;d&#xFFFE;e&#xFFFF;f')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf');
    expect(decodeEntities('&#9;&#10;&#13;&#x1F600;')).toBe('\t\n\r😀');
  });
});

describe('characters XML cannot carry', () => {
  it('never come out of a parsed part: raw controls in text and attributes are dropped', () => {
    const root = parseXml('<r name="a\u0001b\u001bc"><t>x\u0000y\u0008z\u000Bw\uFFFF!</t><t>&#1;</t></r>');
    expect(root.attrs['name']).toBe('abc');
    expect(textOf(root)).toBe('xyzw!\uFFFD');
    expect(textOf(root)).not.toMatch(ILLEGAL);
  });
  it('are removed by escapeXml and stripXmlIllegal, unpaired surrogates included, pairs kept', () => {
    const hostile = 'A\u0001B\u001b[2JC\uD800D\uDC00E\uFFFEF😀\t\n';
    expect(escapeXml(hostile)).toBe('AB[2JCDEF😀\t\n');
    expect(stripXmlIllegal(hostile)).toBe('AB[2JCDEF😀\t\n');
    expect(escapeXml(hostile)).not.toMatch(ILLEGAL);
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
