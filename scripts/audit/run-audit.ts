// The placement audit: illustrate decks offline, render input and output with LibreOffice, and
// measure from the input's pixels whether each picture we added hides or touches what the slide showed.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { configSchema, illustrate, readPresentationFile, type DeckReport, type Presentation, type WrittenConfig } from '../../src/index.js';
import { isEligible, isTitleSlide } from '../../src/stages/plan-illustrations.js';
import { DEFAULT_THRESHOLDS, edgeMap, emuToPx, inCorner, measureBox, slideShare, toGray, type Thresholds } from './measure.js';
import { convertToPdf, pdfName, renderPages } from './render.js';
import { writeContactSheet, type SheetRow } from './contact-sheet.js';

export interface Box {
  x: number;
  y: number;
  cx: number;
  cy: number;
}

export interface PictureAudit {
  slide: number;
  placement: string;
  /** In EMU. */
  box: Box;
  /** Share of the slide's area. */
  share: number;
  insideEdges: number;
  insideShare: number;
  bandEdges: number;
  hiding: boolean;
  touching: boolean;
  /** Under 12 % of the slide. */
  small: boolean;
  titleSlide: boolean;
  /** On a title slide: smaller than a quarter of the slide, or wholly in one quadrant. */
  titleProblem: boolean;
}

export interface DeckAudit {
  deck: string;
  slides: number;
  status: string;
  error?: string;
  illustrated: number;
  /** Skipped with "no free area …" or "title slide: no room …". */
  skippedForRoom: number;
  /**
   * Slides the planner should illustrate (its `isEligible`: no rule skips them and their largest free
   * rectangle, 0.2 in from everything they show, is at least a quarter of the slide).
   */
  eligible: number;
  /** Eligible slides that got a picture. */
  eligibleIllustrated: number;
  pictures: PictureAudit[];
  /** Why pixels could not be measured (render failed, pages do not match slides). */
  renderError?: string;
  sheet?: string;
}

export interface AuditTotals {
  decks: number;
  pictures: number;
  measured: number;
  hiding: number;
  touching: number;
  small: number;
  titlePictures: number;
  titleProblems: number;
  eligible: number;
  eligibleIllustrated: number;
  illustrated: number;
  skippedForRoom: number;
  renderFailures: number;
}

export interface AuditResult {
  thresholds: Thresholds;
  dpi: number;
  ms: { illustrate: number; render: number; measure: number; total: number };
  totals: AuditTotals;
  decks: DeckAudit[];
}

export interface AuditOptions {
  decks: string[];
  /** Contact sheets go here (created); none when undefined. */
  outDir?: string | undefined;
  dpi?: number;
  thresholds?: Thresholds;
  /** soffice files per process. */
  batch?: number;
  /** Settings for the run (default: the defaults); cacheDir is always a fresh temp folder. */
  config?: WrittenConfig;
  log?: (line: string) => void;
}

const ROOM = /no free area|title slide: no room/i;
const SMALL = 0.12;

/** Our pictures in an illustrated deck, by slide number, with their resolved boxes. */
function ourPictures(pres: Presentation): Map<number, { box: Box | undefined; placeholder: boolean }[]> {
  const out = new Map<number, { box: Box | undefined; placeholder: boolean }[]>();
  for (const slide of pres.slides) {
    const ours = slide.shapes.filter((s) => s.kind === 'pic' && s.ours).map((s) => ({ box: s.box, placeholder: !!s.placeholder }));
    if (ours.length) out.set(slide.number, ours);
  }
  return out;
}

/** Page index (0-based) of each slide in a render: LibreOffice leaves hidden slides out of the PDF. */
function pageOfSlide(pres: Presentation, pages: number): Map<number, number> | undefined {
  const map = new Map<number, number>();
  if (pages === pres.slides.length) {
    for (const s of pres.slides) map.set(s.number, s.number - 1);
    return map;
  }
  const visible = pres.slides.filter((s) => !s.hidden);
  if (pages !== visible.length) return undefined;
  visible.forEach((s, i) => {
    map.set(s.number, i);
  });
  return map;
}

async function loadGray(png: string) {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return toGray(data, info.width, info.height, info.channels);
}

export async function runAudit(options: AuditOptions): Promise<AuditResult> {
  const t0 = performance.now();
  const log = options.log ?? (() => undefined);
  const dpi = options.dpi ?? 40;
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const work = await mkdtemp(path.join(os.tmpdir(), 'si-audit-'));
  try {
    // 1. Illustrate offline, into a temp folder, with a fresh cache.
    const batch = await illustrate(options.decks, {
      out: path.join(work, 'out') + path.sep,
      provider: 'offline',
      env: {},
      config: { ...options.config, cacheDir: path.join(work, 'cache') },
    });
    const tIllustrated = performance.now();
    log(`illustrated ${batch.decks.length} decks in ${((tIllustrated - t0) / 1000).toFixed(1)} s`);

    // 2. Render the decks that got pictures: inputs and outputs, staged under unique names.
    const withPictures = batch.decks.filter((d) => d.output && d.slides.some((s) => s.status === 'illustrated'));
    const stage = {
      in: path.join(work, 'stage-in'),
      out: path.join(work, 'stage-out'),
      pdfIn: path.join(work, 'pdf-in'),
      pdfOut: path.join(work, 'pdf-out'),
      png: path.join(work, 'png'),
    };
    for (const dir of Object.values(stage)) await mkdir(dir, { recursive: true });
    const staged = new Map<DeckReport, { input: string; output: string }>();
    for (const [i, d] of withPictures.entries()) {
      const name = `${String(i).padStart(3, '0')}-${path.basename(d.input)}`;
      const s = { input: path.join(stage.in, name), output: path.join(stage.out, name) };
      await copyFile(d.input, s.input);
      await copyFile(d.output!, s.output);
      staged.set(d, s);
    }
    const all = [...staged.values()];
    const failedIn = await convertToPdf(
      all.map((s) => s.input),
      stage.pdfIn,
      { batch: options.batch, onBatch: (n, total) => log(`rendered inputs ${n}/${total}`) },
    );
    const failedOut = await convertToPdf(
      all.map((s) => s.output),
      stage.pdfOut,
      { batch: options.batch, onBatch: (n, total) => log(`rendered outputs ${n}/${total}`) },
    );
    const failed = new Set([...failedIn, ...failedOut].map((f) => path.basename(f)));
    const tRendered = performance.now();

    // 3. Measure every picture on the input's render; draw the contact sheets.
    if (options.outDir) await mkdir(options.outDir, { recursive: true });
    const decks: DeckAudit[] = [];
    for (const d of batch.decks) {
      const illustrated = d.slides.filter((s) => s.status === 'illustrated').length;
      const skippedForRoom = d.slides.filter((s) => s.status === 'skipped' && ROOM.test(s.reason ?? '')).length;
      const { eligible, eligibleIllustrated } = await eligibility(d, options.config);
      const audit: DeckAudit = {
        deck: d.input,
        slides: d.slides.length,
        status: d.status,
        illustrated,
        skippedForRoom,
        eligible,
        eligibleIllustrated,
        pictures: [],
      };
      if (d.error) audit.error = d.error;
      decks.push(audit);
      const s = staged.get(d);
      if (!s) continue;
      try {
        await measureDeck(audit, d, s, { stage, failed, dpi, thresholds, outDir: options.outDir });
      } catch (error) {
        audit.renderError = (error as Error).message;
      }
      log(deckLine(audit));
    }
    const tMeasured = performance.now();
    return {
      thresholds,
      dpi,
      ms: {
        illustrate: Math.round(tIllustrated - t0),
        render: Math.round(tRendered - tIllustrated),
        measure: Math.round(tMeasured - tRendered),
        total: Math.round(tMeasured - t0),
      },
      totals: totalsOf(decks),
      decks,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The deck's eligible slides by the planner's own measure, and how many of them got a picture. */
async function eligibility(d: DeckReport, config: WrittenConfig | undefined): Promise<{ eligible: number; eligibleIllustrated: number }> {
  let pres: Presentation;
  try {
    pres = await readPresentationFile(d.input);
  } catch {
    return { eligible: 0, eligibleIllustrated: 0 };
  }
  const c = configSchema.parse(config ?? {});
  const options = { placement: c.placement, skipSlides: c.skipSlides };
  const eligible = pres.slides.filter((s) => isEligible(s, pres, options));
  const illustrated = new Set(d.slides.filter((s) => s.status === 'illustrated').map((s) => s.number));
  return { eligible: eligible.length, eligibleIllustrated: eligible.filter((s) => illustrated.has(s.number)).length };
}

async function measureDeck(
  audit: DeckAudit,
  d: DeckReport,
  s: { input: string; output: string },
  ctx: {
    stage: Record<'pdfIn' | 'pdfOut' | 'png', string>;
    failed: Set<string>;
    dpi: number;
    thresholds: Thresholds;
    outDir: string | undefined;
  },
): Promise<void> {
  const base = path.basename(s.input);
  if (ctx.failed.has(base)) throw new Error('LibreOffice did not convert the input or the output');
  const prefix = base.replace(/[^\w-]+/g, '_');
  const pagesIn = await renderPages(path.join(ctx.stage.pdfIn, pdfName(s.input)), ctx.stage.png, `${prefix}-in`, ctx.dpi);
  const pagesOut = await renderPages(path.join(ctx.stage.pdfOut, pdfName(s.output)), ctx.stage.png, `${prefix}-out`, ctx.dpi);
  const input = await readPresentationFile(s.input);
  const output = await readPresentationFile(s.output);
  const size = output.slideSize;
  const pageMap = pageOfSlide(input, pagesIn.length);
  if (!pageMap || pagesOut.length !== pagesIn.length)
    throw new Error(`pages do not match slides (input ${pagesIn.length} pages, output ${pagesOut.length}, ${input.slides.length} slides)`);
  const pictures = ourPictures(output);
  const rows: SheetRow[] = [];
  for (const slide of input.slides) {
    const page = pageMap.get(slide.number);
    const found = pictures.get(slide.number) ?? [];
    const reported = d.slides.find((r) => r.number === slide.number && r.status === 'illustrated');
    const boxes = found.map((p) => p.box ?? reported?.box).filter((b): b is Box => !!b);
    if (page === undefined) continue;
    const row: SheetRow = {
      slide: slide.number,
      input: pagesIn[page]!,
      output: pagesOut[page]!,
      boxes: [],
      reason: d.slides.find((r) => r.number === slide.number)?.reason,
    };
    rows.push(row);
    if (!boxes.length) continue;
    const gray = await loadGray(pagesIn[page]!);
    const edges = edgeMap(gray, ctx.thresholds.edgeStep);
    const titleSlide = isTitleSlide(slide, input.slides.length);
    for (const box of boxes) {
      const px = emuToPx(box, size, gray.width, gray.height);
      const m = measureBox(edges, gray.width, gray.height, px, ctx.thresholds);
      const share = slideShare(box, size);
      audit.pictures.push({
        slide: slide.number,
        placement: reported?.placement ?? (found[0]?.placeholder ? 'placeholder' : 'free'),
        box,
        share: round(share, 4),
        insideEdges: m.insideEdges,
        insideShare: round(m.insideShare, 5),
        bandEdges: m.bandEdges,
        hiding: m.hiding,
        touching: m.touching,
        small: share < SMALL,
        titleSlide,
        titleProblem: titleSlide && (share < 0.25 || inCorner(box, size)),
      });
      row.boxes.push({
        box: px,
        hiding: m.hiding,
        touching: m.touching,
        label: `${Math.round(share * 100)}% e${m.insideEdges} b${m.bandEdges}`,
      });
    }
  }
  if (ctx.outDir) {
    const sheet = path.join(ctx.outDir, `${path.basename(d.input).replace(/[^\w.-]+/g, '_')}.png`);
    await writeContactSheet(sheet, rows, path.basename(d.input));
    audit.sheet = sheet;
  }
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function totalsOf(decks: DeckAudit[]): AuditTotals {
  const t: AuditTotals = {
    decks: decks.length,
    pictures: 0,
    measured: 0,
    hiding: 0,
    touching: 0,
    small: 0,
    titlePictures: 0,
    titleProblems: 0,
    eligible: 0,
    eligibleIllustrated: 0,
    illustrated: 0,
    skippedForRoom: 0,
    renderFailures: 0,
  };
  for (const d of decks) {
    t.pictures += d.illustrated;
    t.measured += d.pictures.length;
    t.hiding += d.pictures.filter((p) => p.hiding).length;
    t.touching += d.pictures.filter((p) => p.touching).length;
    t.small += d.pictures.filter((p) => p.small).length;
    t.titlePictures += d.pictures.filter((p) => p.titleSlide).length;
    t.titleProblems += d.pictures.filter((p) => p.titleProblem).length;
    t.eligible += d.eligible;
    t.eligibleIllustrated += d.eligibleIllustrated;
    t.illustrated += d.illustrated;
    t.skippedForRoom += d.skippedForRoom;
    if (d.renderError) t.renderFailures++;
  }
  return t;
}

export function deckLine(d: DeckAudit): string {
  const p = d.pictures;
  const flag = (name: string, list: PictureAudit[]) => (list.length ? ` ${name} ${list.map((x) => x.slide).join(',')}` : '');
  return (
    `${path.basename(d.deck)}: ${d.illustrated} pictures, ${d.eligibleIllustrated} / ${d.eligible} eligible illustrated, ${d.skippedForRoom} skipped for room;` +
    flag(
      'hiding',
      p.filter((x) => x.hiding),
    ) +
    flag(
      'touching',
      p.filter((x) => x.touching && !x.hiding),
    ) +
    flag(
      'small',
      p.filter((x) => x.small),
    ) +
    flag(
      'title',
      p.filter((x) => x.titleProblem),
    ) +
    (d.renderError ? ` render: ${d.renderError}` : '') +
    (d.error ? ` error: ${d.error}` : '')
  );
}

export function totalsLines(t: AuditTotals): string[] {
  const pct = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(0)} %` : '–');
  return [
    `decks ${t.decks}, pictures ${t.pictures} (measured ${t.measured}${t.renderFailures ? `, ${t.renderFailures} decks not rendered` : ''})`,
    `hiding ${t.hiding} (${pct(t.hiding, t.measured)}), touching ${t.touching} (${pct(t.touching, t.measured)}), small < 12 % ${t.small} (${pct(t.small, t.measured)})`,
    `title slides: ${t.titlePictures} pictures, ${t.titleProblems} under a quarter or in a corner`,
    `eligible slides ${t.eligible}: illustrated ${t.eligibleIllustrated} (${pct(t.eligibleIllustrated, t.eligible)}); all illustrated ${t.illustrated}, skipped for room ${t.skippedForRoom}`,
  ];
}

export async function writeJson(file: string, result: AuditResult): Promise<void> {
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
}
