// LibreOffice headless as the real-client oracle: convert decks to PDF, list the images per page.
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Converts decks to PDF in one soffice process (startup dominates); returns the PDF folder. */
export async function convertToPdf(decks: string[], outDir: string): Promise<void> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'si-lo-profile-'));
  await run(
    'soffice',
    [`-env:UserInstallation=file://${profile}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', outDir, ...decks],
    { timeout: 30 * 60_000, maxBuffer: 64 * 2 ** 20 },
  );
}

export interface PdfImage {
  page: number;
  width: number;
  height: number;
}

/** `pdfimages -list`, parsed. */
export async function listPdfImages(pdf: string): Promise<PdfImage[]> {
  const { stdout } = await run('pdfimages', ['-list', pdf], { maxBuffer: 16 * 2 ** 20 });
  return stdout
    .split('\n')
    .slice(2)
    .map((l) => l.trim().split(/\s+/))
    .filter((c) => c.length > 4 && /^\d+$/.test(c[0]!))
    .map((c) => ({ page: Number(c[0]), width: Number(c[3]), height: Number(c[4]) }));
}

export function pdfOf(deck: string, pdfDir: string): string {
  return path.join(pdfDir, path.basename(deck).replace(/\.[^.]+$/, '.pdf'));
}

export interface PdfWord {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** The words drawn on one page of a PDF with their boxes in points (`pdftotext -bbox`), and the page's size. */
export async function pdfWords(pdf: string, page: number): Promise<{ pageWidth: number; pageHeight: number; list: PdfWord[] }> {
  const { stdout } = await run('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), pdf, '-'], { maxBuffer: 16 * 2 ** 20 });
  const size = stdout.match(/<page width="([\d.]+)" height="([\d.]+)"/);
  const list = [...stdout.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    text: m[5]!,
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3]),
    yMax: Number(m[4]),
  }));
  return { pageWidth: Number(size?.[1] ?? 0), pageHeight: Number(size?.[2] ?? 0), list };
}
