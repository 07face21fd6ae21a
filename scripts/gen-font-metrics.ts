// Generates src/pptx/font-metrics.data.ts: per-font glyph advances read from the hmtx/cmap tables of
// metric-compatible open fonts, so text layout needs no font files at run time.
//   apt-get install -y fonts-crosextra-carlito fonts-crosextra-caladea fonts-liberation2
//   node --import tsx scripts/gen-font-metrics.ts
// Each face stores the wider of upright and italic advances (italic text is laid out the same way).
import { readFileSync, writeFileSync } from 'node:fs';

const DIRS = { crosextra: '/usr/share/fonts/truetype/crosextra', liberation: '/usr/share/fonts/truetype/liberation2' };
// Only names that fontconfig's metric aliases map to these fonts: a renderer without the real font draws
// them with these metrics. Other look-alikes (Calibri Light, Arial Nova) fall back to a wider face such as
// DejaVu Sans in LibreOffice, so they are left unknown and counted wide.
const FAMILIES: {
  name: string;
  stands: string[];
  files: [regular: string, italic: string, bold: string, boldItalic: string];
  licence: string;
}[] = [
  { name: 'Carlito', stands: ['Calibri'], files: fam(DIRS.crosextra, 'Carlito'), licence: 'SIL Open Font License 1.1' },
  { name: 'Caladea', stands: ['Cambria'], files: fam(DIRS.crosextra, 'Caladea'), licence: 'SIL Open Font License 1.1' },
  {
    name: 'Liberation Sans',
    stands: ['Arial', 'Helvetica'],
    files: fam(DIRS.liberation, 'LiberationSans'),
    licence: 'SIL Open Font License 1.1',
  },
  {
    name: 'Liberation Serif',
    stands: ['Times New Roman', 'Times'],
    files: fam(DIRS.liberation, 'LiberationSerif'),
    licence: 'SIL Open Font License 1.1',
  },
  {
    name: 'Liberation Mono',
    stands: ['Courier New', 'Courier'],
    files: fam(DIRS.liberation, 'LiberationMono'),
    licence: 'SIL Open Font License 1.1',
  },
];
/** Code point ranges stored (inclusive): Basic Latin, Latin-1, Latin Extended-A, Greek, Cyrillic, general punctuation. */
export const RANGES: [number, number][] = [
  [0x20, 0x7e],
  [0xa0, 0x17f],
  [0x370, 0x3ff],
  [0x400, 0x4ff],
  [0x2000, 0x206f],
];

function fam(dir: string, base: string): [string, string, string, string] {
  return [`${dir}/${base}-Regular.ttf`, `${dir}/${base}-Italic.ttf`, `${dir}/${base}-Bold.ttf`, `${dir}/${base}-BoldItalic.ttf`];
}

interface Face {
  upm: number;
  advance: (cp: number) => number | undefined;
  lineHeight: number;
}

function readFace(file: string): Face {
  const buf = readFileSync(file);
  const tables = new Map<string, number>();
  const numTables = buf.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + i * 16;
    tables.set(buf.toString('latin1', rec, rec + 4), buf.readUInt32BE(rec + 8));
  }
  const at = (tag: string) => {
    const off = tables.get(tag);
    if (off === undefined) throw new Error(`${file}: no ${tag} table`);
    return off;
  };
  const head = at('head');
  const upm = buf.readUInt16BE(head + 18);
  const hhea = at('hhea');
  const numberOfHMetrics = buf.readUInt16BE(hhea + 34);
  const hheaHeight = buf.readInt16BE(hhea + 4) - buf.readInt16BE(hhea + 6) + buf.readInt16BE(hhea + 8);
  const os2 = at('OS/2');
  const winHeight = buf.readUInt16BE(os2 + 74) + buf.readUInt16BE(os2 + 76);
  const hmtx = at('hmtx');
  const glyphAdvance = (g: number) => buf.readUInt16BE(hmtx + 4 * Math.min(g, numberOfHMetrics - 1));
  // cmap: the Windows Unicode BMP subtable (format 4).
  const cmap = at('cmap');
  let sub = -1;
  for (let i = 0; i < buf.readUInt16BE(cmap + 2); i++) {
    const rec = cmap + 4 + i * 8;
    if (buf.readUInt16BE(rec) === 3 && buf.readUInt16BE(rec + 2) === 1) sub = cmap + buf.readUInt32BE(rec + 4);
  }
  if (sub < 0 || buf.readUInt16BE(sub) !== 4) throw new Error(`${file}: no format-4 Unicode cmap`);
  const segX2 = buf.readUInt16BE(sub + 6);
  const ends = sub + 14;
  const starts = ends + segX2 + 2;
  const deltas = starts + segX2;
  const offsets = deltas + segX2;
  const glyphOf = (cp: number): number => {
    for (let s = 0; s < segX2 / 2; s++) {
      if (cp > buf.readUInt16BE(ends + 2 * s)) continue;
      const start = buf.readUInt16BE(starts + 2 * s);
      if (cp < start) return 0;
      const delta = buf.readInt16BE(deltas + 2 * s);
      const ro = buf.readUInt16BE(offsets + 2 * s);
      if (ro === 0) return (cp + delta) & 0xffff;
      const g = buf.readUInt16BE(offsets + 2 * s + ro + 2 * (cp - start));
      return g === 0 ? 0 : (g + delta) & 0xffff;
    }
    return 0;
  };
  return {
    upm,
    advance: (cp) => {
      const g = glyphOf(cp);
      return g === 0 ? undefined : glyphAdvance(g);
    },
    lineHeight: Math.max(hheaHeight, winHeight) / upm,
  };
}

// Two base-36 digits per code point: advance in thousandths of an em, rounded up; "zz" = no glyph.
function encode(faces: Face[]): string {
  let out = '';
  for (const [a, b] of RANGES) {
    for (let cp = a; cp <= b; cp++) {
      const widths = faces
        .map((f) => f.advance(cp))
        .filter((w): w is number => w !== undefined)
        .map((w, i) => Math.ceil((w * 1000) / faces[i]!.upm));
      out +=
        widths.length === 0
          ? 'zz'
          : Math.min(1294, Math.max(...widths))
              .toString(36)
              .padStart(2, '0');
    }
  }
  return out;
}

const entries = FAMILIES.map((f) => {
  const [r, i, b, bi] = f.files.map(readFace) as [Face, Face, Face, Face];
  return { ...f, regular: encode([r, i]), bold: encode([b, bi]), lineHeight: Math.max(r.lineHeight, b.lineHeight) };
});

const lines = [
  '// GENERATED by scripts/gen-font-metrics.ts — do not edit by hand.',
  '// Glyph advances (thousandths of an em, two base-36 digits per code point, "zz" = no glyph) read from:',
  ...entries.map((e) => `//   ${e.name} (${e.licence}), metric-compatible with ${e.stands.join(', ')}`),
  '// Only the advance widths and line heights are derived from the fonts; no glyph outlines are included.',
  '',
  `export const METRIC_RANGES: readonly (readonly [number, number])[] = ${JSON.stringify(RANGES)};`,
  '',
  'export interface FontMetricsData {',
  '  name: string;',
  '  /** Font names this face stands in for (lower case). */',
  '  stands: string[];',
  '  /** (ascent + descent + gap) / em: the single-spaced line height. */',
  '  lineHeight: number;',
  '  regular: string;',
  '  bold: string;',
  '}',
  '',
  'export const FONT_METRICS: FontMetricsData[] = [',
  ...entries.map(
    (e) =>
      `  { name: ${JSON.stringify(e.name)}, stands: ${JSON.stringify([e.name, ...e.stands].map((s) => s.toLowerCase()))}, lineHeight: ${e.lineHeight.toFixed(4)},\n    regular: '${e.regular}',\n    bold: '${e.bold}' },`,
  ),
  '];',
  '',
];
writeFileSync(new URL('../src/pptx/font-metrics.data.ts', import.meta.url), lines.join('\n'));
console.log(entries.map((e) => `${e.name}: line ${e.lineHeight.toFixed(3)}, ${e.regular.length / 2} code points`).join('\n'));
