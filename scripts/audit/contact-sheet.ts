// A contact sheet per deck for eyes: each slide's input render beside its output render, our
// pictures outlined in red on both (dashed over the input, to show what lies under them), hiding
// ones drawn thick in magenta and labelled HIDES.
import sharp, { type OverlayOptions } from 'sharp';
import type { PxBox } from './measure.js';

export interface SheetRow {
  slide: number;
  input: string;
  output: string;
  boxes: { box: PxBox; hiding: boolean; touching: boolean; label: string }[];
  reason?: string | undefined;
}

const GAP = 12;
const LABEL = 18;

function esc(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export async function writeContactSheet(file: string, rows: SheetRow[], title: string): Promise<void> {
  if (!rows.length) return;
  const meta = await sharp(rows[0]!.input).metadata();
  const w = meta.width ?? 400;
  const h = meta.height ?? 300;
  const width = GAP * 3 + w * 2;
  const rowH = LABEL + h + GAP;
  const height = LABEL + GAP + rows.length * rowH;
  const composites: OverlayOptions[] = [];
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><style>text{font:12px sans-serif;fill:#222}</style>`;
  svg += `<text x="${GAP}" y="14">${esc(title)} — input (left, dashed: where the picture goes) · output (right)</text>`;
  rows.forEach((row, i) => {
    const top = LABEL + GAP + i * rowH;
    const hides = row.boxes.filter((b) => b.hiding).length;
    const text = `slide ${row.slide}${row.boxes.length ? `: ${row.boxes.map((b) => (b.hiding ? 'HIDES ' : b.touching ? 'touches ' : '') + b.label).join(' · ')}` : row.reason ? `: ${row.reason}` : ''}`;
    svg += `<text x="${GAP}" y="${top + 13}"${hides ? ' style="fill:#c0007a;font-weight:bold"' : ''}>${esc(text)}</text>`;
    composites.push({ input: row.input, left: GAP, top: top + LABEL }, { input: row.output, left: GAP * 2 + w, top: top + LABEL });
    for (const b of row.boxes) {
      const colour = b.hiding ? '#e0008a' : 'red';
      const stroke = b.hiding ? 4 : 2;
      const bw = Math.max(1, b.box.x1 - b.box.x0);
      const bh = Math.max(1, b.box.y1 - b.box.y0);
      svg += `<rect x="${GAP + b.box.x0}" y="${top + LABEL + b.box.y0}" width="${bw}" height="${bh}" fill="none" stroke="${colour}" stroke-width="${stroke}" stroke-dasharray="6 3"/>`;
      svg += `<rect x="${GAP * 2 + w + b.box.x0}" y="${top + LABEL + b.box.y0}" width="${bw}" height="${bh}" fill="none" stroke="${colour}" stroke-width="${stroke}"/>`;
    }
  });
  svg += '</svg>';
  composites.push({ input: Buffer.from(svg), left: 0, top: 0 });
  await sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .composite(composites)
    .png({ compressionLevel: 9 })
    .toFile(file);
}
