// LibreOffice and poppler for the audit: decks to PDF in few soffice processes, PDF pages to PNG.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export function pdfName(file: string): string {
  return path.basename(file).replace(/\.[^.]+$/, '.pdf');
}

/**
 * Converts files to PDF into outDir, `batch` files per soffice process (start-up dominates, but one crash
 * should not lose the whole corpus). Files whose PDF is missing after their batch are retried alone once.
 * Returns the files that have no PDF in the end.
 */
export async function convertToPdf(
  files: string[],
  outDir: string,
  options: { batch?: number; timeoutMs?: number; onBatch?: (done: number, total: number) => void } = {},
): Promise<string[]> {
  const batch = options.batch ?? 40;
  const profile = await mkdtemp(path.join(os.tmpdir(), 'si-audit-lo-'));
  const soffice = async (list: string[]) => {
    await run(
      'soffice',
      [`-env:UserInstallation=file://${profile}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', outDir, ...list],
      {
        timeout: options.timeoutMs ?? Math.max(120_000, list.length * 60_000),
        maxBuffer: 64 * 2 ** 20,
      },
    ).catch(() => undefined);
  };
  const missing = async (list: string[]) => {
    const have = new Set(await readdir(outDir));
    return list.filter((f) => !have.has(pdfName(f)));
  };
  try {
    for (let i = 0; i < files.length; i += batch) {
      await soffice(files.slice(i, i + batch));
      options.onBatch?.(Math.min(files.length, i + batch), files.length);
    }
    for (const f of await missing(files)) await soffice([f]);
    return await missing(files);
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

/**
 * Renders every page of a PDF to PNG at `dpi`; returns the PNG paths in page order. Vector shapes are
 * drawn without anti-aliasing (`-aaVector no`): LibreOffice exports a gradient as hundreds of stepped
 * rings or bands, and anti-aliasing draws a faint seam between each two, which reads as a texture of
 * fine lines that the deck does not have (QuizShow's radial background). Text keeps its anti-aliasing.
 */
export async function renderPages(pdf: string, outDir: string, prefix: string, dpi = 40): Promise<string[]> {
  await run('pdftoppm', ['-png', '-r', String(dpi), '-aaVector', 'no', pdf, path.join(outDir, prefix)], {
    timeout: 300_000,
    maxBuffer: 16 * 2 ** 20,
  });
  const re = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)\\.png$`);
  return (await readdir(outDir))
    .map((f) => ({ f, m: re.exec(f) }))
    .filter((e): e is { f: string; m: RegExpExecArray } => !!e.m)
    .sort((a, b) => Number(a.m[1]) - Number(b.m[1]))
    .map((e) => path.join(outDir, e.f));
}
