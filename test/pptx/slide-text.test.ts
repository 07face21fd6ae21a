import { describe, expect, it } from 'vitest';
import { extractSlideText, notesText, diagramDataText } from '../../src/pptx/slide-text.js';
import { parseXml, path } from '../../src/pptx/xml.js';

const NS =
  'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"';
const slide = (tree: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><p:sld ${NS}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>${tree}</p:spTree></p:cSld></p:sld>`;
const sp = (id: number, paras: string, ph = '') =>
  `<p:sp><p:nvSpPr><p:cNvPr id="${id}" name="S${id}"/><p:cNvSpPr/><p:nvPr>${ph}</p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/>${paras}</p:txBody></p:sp>`;
const p = (...runs: string[]) => `<a:p>${runs.map((r) => (r.startsWith('<') ? r : `<a:r><a:t>${r}</a:t></a:r>`)).join('')}</a:p>`;

function extract(tree: string, external: Record<string, string> = {}) {
  const root = parseXml(slide(tree));
  return extractSlideText(path(root, 'cSld', 'spTree'), { byRelId: (id) => external[id] ?? '' });
}

describe('extractSlideText', () => {
  const cases: [string, string, { title: string; body: string }][] = [
    [
      'title placeholder and body',
      sp(2, p('Quarterly review'), '<p:ph type="title"/>') + sp(3, p('Revenue up') + p('Costs down'), '<p:ph idx="1"/>'),
      { title: 'Quarterly review', body: 'Revenue up\nCosts down' },
    ],
    [
      'ctrTitle counts as title, subTitle as body',
      sp(2, p('Welcome'), '<p:ph type="ctrTitle"/>') + sp(3, p('Day one'), '<p:ph type="subTitle" idx="1"/>'),
      { title: 'Welcome', body: 'Day one' },
    ],
    [
      'number-like strings survive',
      sp(2, p('007') + p('1e5') + p('0x1F') + p('1.50'), '<p:ph idx="1"/>'),
      { title: '', body: '007\n1e5\n0x1F\n1.50' },
    ],
    [
      'a lone-space run is kept between words',
      sp(2, p('Hello', ' ', 'World') + p('next line'), '<p:ph idx="1"/>'),
      { title: '', body: 'Hello World\nnext line' },
    ],
    [
      'entities and numeric references decode once',
      sp(2, p('R&amp;D &lt;beta&gt; &#x4E2D;&#25991; &amp;amp;'), '<p:ph type="title"/>'),
      { title: 'R&D <beta> 中文 &amp;', body: '' },
    ],
    [
      'a:br is a line break, a:fld text is kept',
      sp(2, p('Line one', '<a:br/>', 'Line two', '<a:fld id="{X}" type="datetime"><a:t>2026-11-22</a:t></a:fld>'), '<p:ph idx="1"/>'),
      { title: '', body: 'Line one\nLine two2026-11-22' },
    ],
    [
      'slide number, date, footer placeholders are furniture',
      sp(2, p('Topic'), '<p:ph type="title"/>') +
        sp(3, p('7'), '<p:ph type="sldNum" idx="12"/>') +
        sp(4, p('Confidential'), '<p:ph type="ftr" idx="11"/>') +
        sp(5, p('1/1/2026'), '<p:ph type="dt" idx="10"/>'),
      { title: 'Topic', body: '' },
    ],
    [
      'no title placeholder: a short first text shape becomes the title',
      sp(2, p('Safety first')) + sp(3, p('Wear boots') + p('Wear gloves')),
      { title: 'Safety first', body: 'Wear boots\nWear gloves' },
    ],
    [
      'groups are walked recursively, in order',
      `<p:grpSp><p:nvGrpSpPr><p:cNvPr id="9" name="G"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>${sp(3, p('inside A'))}<p:grpSp><p:nvGrpSpPr><p:cNvPr id="10" name="G2"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>${sp(4, p('deeper B'))}</p:grpSp></p:grpSp>${sp(5, p('after C'), '<p:ph idx="1"/>')}`,
      { title: 'inside A', body: 'deeper B\nafter C' },
    ],
    [
      'mc:AlternateContent contributes one branch only',
      `${sp(2, p('Math'), '<p:ph type="title"/>')}<mc:AlternateContent><mc:Choice Requires="a14">${sp(3, p('x squared'))}</mc:Choice><mc:Fallback>${sp(3, p('x squared'))}</mc:Fallback></mc:AlternateContent>`,
      { title: 'Math', body: 'x squared' },
    ],
    [
      'tables: cells joined by |, rows by newline, merged continuation cells skipped',
      `<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="4" name="T"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x="0" y="0"/><a:ext cx="10" cy="10"/></p:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table"><a:tbl><a:tblGrid/><a:tr h="1"><a:tc gridSpan="2"><a:txBody><a:bodyPr/>${p('Header')}</a:txBody></a:tc><a:tc hMerge="1"><a:txBody><a:bodyPr/>${p('')}</a:txBody></a:tc></a:tr><a:tr h="1"><a:tc><a:txBody><a:bodyPr/>${p('007')}</a:txBody></a:tc><a:tc><a:txBody><a:bodyPr/>${p(' ')}</a:txBody></a:tc></a:tr></a:tbl></a:graphicData></a:graphic></p:graphicFrame>`,
      { title: '', body: 'Header\n007' },
    ],
    [
      'Office _xHHHH_ escapes decode; a vertical tab is a line break, other controls never come through',
      sp(2, p('Sa_x0001_fe_x001B_]0;pwned_x0007_ty'), '<p:ph type="title"/>') +
        sp(3, p('one_x000B_two') + p('keep _x005F_x0041_ literal, _x00E9_t_x00E9_, _xD800_lone'), '<p:ph idx="1"/>'),
      { title: 'Safe]0;pwnedty', body: 'one\ntwo\nkeep _x0041_ literal, été, lone' },
    ],
    [
      'SmartArt text comes from its data part through the relationship id',
      `<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="4" name="D"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr><p:xfrm/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/diagram"><dgm:relIds xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" r:dm="rId2" r:lo="rId3" r:qs="rId4" r:cs="rId5"/></a:graphicData></a:graphic></p:graphicFrame>`,
      { title: '', body: 'Plan\nBuild\nShip' },
    ],
    ['empty slide', '', { title: '', body: '' }],
  ];
  it.each(cases)('%s', (_name, tree, expected) => {
    expect(extract(tree, { rId2: 'Plan\nBuild\nShip' })).toEqual(expected);
  });
});

describe('notesText', () => {
  it('reads the body placeholder only, not the slide-number field', () => {
    const xml = `<p:notes ${NS}><p:cSld><p:spTree>${sp(2, '', '<p:ph type="sldImg"/>')}${sp(3, p('Say hello') + p('Then ask'), '<p:ph type="body" idx="1"/>')}${sp(4, p('<a:fld id="{1}" type="slidenum"><a:t>3</a:t></a:fld>'), '<p:ph type="sldNum" idx="5"/>')}</p:spTree></p:cSld></p:notes>`;
    expect(notesText(parseXml(xml))).toBe('Say hello\nThen ask');
  });
});

describe('diagramDataText', () => {
  it('keeps points with text and drops empty prompt points', () => {
    const xml = `<dgm:dataModel xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><dgm:ptLst><dgm:pt modelId="1" type="doc"><dgm:t><a:bodyPr/><a:p><a:endParaRPr/></a:p></dgm:t></dgm:pt><dgm:pt modelId="2"><dgm:t><a:bodyPr/><a:p><a:r><a:t>Discover</a:t></a:r></a:p></dgm:t></dgm:pt><dgm:pt modelId="3" phldrT="[Text]"><dgm:t><a:bodyPr/><a:p><a:r><a:t>Deliver</a:t></a:r></a:p></dgm:t></dgm:pt></dgm:ptLst></dgm:dataModel>`;
    expect(diagramDataText(parseXml(xml))).toBe('Discover\nDeliver');
  });
});
