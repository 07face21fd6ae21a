// Writes the HTML report (collect → render → atomic write), and checks its path before a run
// spends anything, so a typo costs nothing.
import path from 'node:path';
import { messageOf, SlideIllustrateError, UsageError } from '../errors.js';
import { writeFileAtomic } from '../internal/atomic-write.js';
import { outputProblem } from '../internal/fs-safe.js';
import { collectReport, type ReportInput } from './collect-report.js';
import { renderReportHtml } from './render-html.js';

// Renders the run's report and writes it whole (temp file, then rename) to `file`.
export async function writeReport(file: string, input: ReportInput): Promise<void> {
  try {
    await writeFileAtomic(file, renderReportHtml(collectReport(input)));
  } catch (error) {
    throw new SlideIllustrateError(`cannot write the report ${file}: ${messageOf(error)}`, { cause: error });
  }
}

// The --report file resolved against `cwd`; a one-line UsageError unless it is an .html path we
// can write: not a folder, under a folder that exists or can be created, and writable.
export async function checkReportPath(flag: string, cwd: string): Promise<string> {
  const fail = (why: string) => new UsageError(`--report ${JSON.stringify(flag)}: ${why}`);
  // Also keeps `--report deck.pptx` from overwriting a deck.
  if (!/\.html?$/i.test(flag)) throw fail('the report is an HTML page; give a file name ending in .html');
  const file = path.resolve(cwd, flag);
  // A regular file or nothing yet (a FIFO or device there is refused, never replaced), in a place
  // where a file can really be created.
  const problem = await outputProblem(file, 'file');
  if (problem) throw fail(problem);
  return file;
}
