// Reads a deck into a Presentation model: slides in presentation order with their text,
// shapes and inherited geometry. Read-only; the package is never changed here.
import { DeckFormatError, FsSafetyError } from '../errors.js';
import { readRegularFile } from '../internal/fs-safe.js';
import type { SlideText } from '../model/slide-text.js';
import { backgroundObstacles } from './background-busy.js';
import { describeShapes, inheritedBoxes, inheritedDecorations, type Box, type PlaceholderBoxes, type ShapeInfo } from './geometry.js';
import { contentTypeOf, findMainPart, findRel, readContentTypes, readRels, type ContentTypes, type Relationship } from './opc.js';
import { LIMITS, Package } from './package.js';
import { chartTitleText, diagramDataText, extractSlideText, notesText } from './slide-text.js';
import { EMPTY_THEME, parseTheme, type Theme } from './theme.js';
import { isOurPicture } from './picture-xml.js';
import { attr, child, children, path, textOf, type XmlElement } from './xml.js';

export interface SlideModel {
  /** 1-based position in presentation order. */
  number: number;
  /** p:sldId/@id: the slide's id in the deck, stable when slides are moved (absent in hand-built models). */
  slideId?: string | undefined;
  part: string;
  hidden: boolean;
  text: SlideText;
  shapes: ShapeInfo[];
  /** Shapes the layout and master draw on this slide (placement avoids them too). */
  inheritedShapes: ShapeInfo[];
  /** Busy regions (bands, logos, detail) of the background pictures behind this slide; obstacles too. */
  backgroundBusy: Box[];
  layoutPart: string | undefined;
  /** The layout's type: "title" for title slides, "secHead" for section headers … */
  layoutType: string | undefined;
  rels: Relationship[];
  /**
   * Set when p:sldIdLst lists this slide's part again: the number of its first listing. The part is
   * read once and illustrated once; this listing is skipped (a picture would be added to it twice).
   */
  duplicateOf?: number | undefined;
}

export interface Presentation {
  file: string;
  pkg: Package;
  contentTypes: ContentTypes;
  mainPart: string;
  mainContentType: string;
  /** Strict OOXML (purl.oclc.org namespaces). */
  strict: boolean;
  signed: boolean;
  slideSize: { cx: number; cy: number };
  title: string;
  theme: Theme;
  slides: SlideModel[];
}

/** Default 4:3 slide when p:sldSz is missing (ECMA-376 default 9144000 × 6858000 EMU). */
const DEFAULT_SIZE = { cx: 9_144_000, cy: 6_858_000 };

// Only a regular file is opened (a FIFO would block forever), and its size is checked with fstat
// before a byte is read, so an oversized file costs no memory to refuse.
export async function readPresentationFile(file: string): Promise<Presentation> {
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(file, { maxBytes: LIMITS.fileBytes });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!(error instanceof FsSafetyError)) throw new DeckFormatError(file, `cannot read (${code ?? (error as Error).message})`);
    throw new DeckFormatError(file, error.code === 'EISDIR' ? 'is a folder, not a deck' : error.reason);
  }
  return readPresentation(file, bytes);
}

// Opens and reads a deck from bytes.
export async function readPresentation(file: string, bytes: Uint8Array): Promise<Presentation> {
  const pkg = await Package.open(file, bytes);
  const contentTypes = await readContentTypes(pkg);
  const mainPart = await findMainPart(pkg);
  const mainContentType = contentTypeOf(contentTypes, mainPart) ?? '';
  if (!/presentationml|ms-powerpoint/.test(mainContentType)) {
    throw new DeckFormatError(file, `not a PowerPoint deck (main part is ${mainContentType || 'of unknown type'})`);
  }
  const presentation = await pkg.readXml(mainPart);
  const strict = Object.values(presentation.attrs).some((v) => v.includes('purl.oclc.org/ooxml'));
  const presRels = await readRels(pkg, mainPart);
  const sz = child(presentation, 'sldSz');
  const cx = Number(attr(sz, 'cx'));
  const cy = Number(attr(sz, 'cy'));
  const slideSize = cx > 0 && cy > 0 ? { cx, cy } : DEFAULT_SIZE;

  const theme = await readTheme(pkg, presRels);
  const boxCache = new Map<string, Promise<PlaceholderBoxes>>();
  const caches: ReadCaches = {
    boxes: boxCache,
    roots: new Map(),
    busy: new Map(),
    slideSize,
    defaultTextStyle: child(presentation, 'defaultTextStyle'),
  };
  const slides: SlideModel[] = [];
  const ids = children(child(presentation, 'sldIdLst'), 'sldId');
  const byPart = new Map<string, SlideModel>();
  for (const [i, sldId] of ids.entries()) {
    const rid = attrByPrefix(sldId);
    const rel = presRels.find((r) => r.id === rid);
    if (!rel || rel.external || !pkg.has(rel.target)) {
      throw new DeckFormatError(file, `slide ${i + 1} points at a missing part (${rid ?? 'no r:id'})`, mainPart);
    }
    const part = pkg.resolve(rel.target)!;
    // The same part listed twice (one r:id twice, or two relationships to it) is one slide.
    const first = byPart.get(part);
    if (first) {
      slides.push({ ...first, number: i + 1, slideId: attr(sldId, 'id'), duplicateOf: first.number });
      continue;
    }
    const slide = { ...(await readSlide(pkg, part, i + 1, caches, theme)), slideId: attr(sldId, 'id') };
    byPart.set(part, slide);
    slides.push(slide);
  }
  const rootRels = await readRels(pkg, '');
  const signed = rootRels.some((r) => r.type.endsWith('/digital-signature/origin'));
  return {
    file,
    pkg,
    contentTypes,
    mainPart,
    mainContentType,
    strict,
    signed,
    slideSize,
    title: (await readCoreTitle(pkg, rootRels)) || slides.find((s) => !s.hidden && s.text.title)?.text.title.split('\n')[0] || '',
    theme,
    slides,
  };
}

/** p:sldId's relationship id is `r:id` — in the relationships namespace, whatever its prefix. */
function attrByPrefix(el: { attrs: Record<string, string> }): string | undefined {
  for (const [k, v] of Object.entries(el.attrs)) if (k !== 'id' && k.endsWith(':id')) return v;
  return undefined;
}

interface ReadCaches {
  boxes: Map<string, Promise<PlaceholderBoxes>>;
  /** Parsed layout and master parts. */
  roots: Map<string, Promise<XmlElement>>;
  /** Decoded background pictures' busy regions. */
  busy: Map<string, Promise<Box[]>>;
  slideSize: { cx: number; cy: number };
  /** p:presentation/p:defaultTextStyle: what text outside placeholders (text boxes, shapes) inherits. */
  defaultTextStyle?: XmlElement | undefined;
}

async function readSlide(pkg: Package, part: string, number: number, caches: ReadCaches, theme: Theme): Promise<SlideModel> {
  const boxCache = caches.boxes;
  const root = await pkg.readXml(part);
  const rels = await readRels(pkg, part);
  const spTree = path(root, 'cSld', 'spTree');
  const externalCache = new Map<string, string>();
  // SmartArt and chart text are read up front so extraction itself stays synchronous and pure.
  for (const rel of rels) {
    if (rel.external || !pkg.has(rel.target)) continue;
    if (rel.type.endsWith('/diagramData')) externalCache.set(rel.id, diagramDataText(await pkg.readXml(rel.target)));
    else if (rel.type.endsWith('/chart')) externalCache.set(rel.id, chartTitleText(await pkg.readXml(rel.target)));
  }
  const text = extractSlideText(spTree, { byRelId: (id) => externalCache.get(id) ?? '' });
  const notesRel = findRel(rels, 'notesSlide');
  const notes = notesRel && pkg.has(notesRel.target) ? notesText(await pkg.readXml(notesRel.target)) : '';
  const { levels, layoutPart } = await inheritedBoxes(pkg, part, boxCache);
  const slideShowsMaster = !['0', 'false'].includes(attr(root, 'showMasterSp') ?? '');
  const rootOf = (p: string) => {
    let r = caches.roots.get(p);
    if (!r) caches.roots.set(p, (r = pkg.readXml(p)));
    return r;
  };
  const masterRel = layoutPart ? findRel(await readRels(pkg, layoutPart), 'slideMaster') : undefined;
  const masterPart = masterRel && pkg.has(masterRel.target) ? masterRel.target : undefined;
  const backgroundBusy = await backgroundObstacles(
    pkg,
    { part, root },
    layoutPart ? { part: layoutPart, root: await rootOf(layoutPart) } : undefined,
    masterPart ? { part: masterPart, root: await rootOf(masterPart) } : undefined,
    { size: caches.slideSize, showMaster: slideShowsMaster && (levels[0]?.showMasterShapes ?? true), cache: caches.busy },
  );
  return {
    number,
    part,
    hidden: attr(root, 'show') === '0' || attr(root, 'show') === 'false',
    text: { ...text, notes },
    shapes: describeShapes(spTree, levels, isOurPicture, { major: theme.majorFont, minor: theme.minorFont }, caches.defaultTextStyle),
    inheritedShapes: inheritedDecorations(levels, slideShowsMaster),
    backgroundBusy,
    layoutPart,
    layoutType: layoutPart ? levels[0]?.layoutType : undefined,
    rels,
  };
}

async function readTheme(pkg: Package, presRels: Relationship[]): Promise<Theme> {
  const master = findRel(presRels, 'slideMaster');
  let themeRel = findRel(presRels, 'theme');
  if (master && pkg.has(master.target)) themeRel = findRel(await readRels(pkg, master.target), 'theme') ?? themeRel;
  if (!themeRel || !pkg.has(themeRel.target)) return EMPTY_THEME;
  return parseTheme(await pkg.readXml(themeRel.target));
}

async function readCoreTitle(pkg: Package, rootRels: Relationship[]): Promise<string> {
  const core = findRel(rootRels, 'core-properties') ?? rootRels.find((r) => r.type.endsWith('/metadata/core-properties'));
  if (!core || !pkg.has(core.target)) return '';
  try {
    const root = await pkg.readXml(core.target);
    const title = children(root).find((c) => c.local === 'title');
    return title ? textOf(title).trim() : '';
  } catch {
    // docProps are optional metadata; a broken one must not refuse the deck.
    return '';
  }
}
