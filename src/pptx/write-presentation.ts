// The edits a picture makes to a deck's parts: its slide's XML and .rels, and [Content_Types].xml.
// Pure over the input's text; the deck writer (deck-writer.ts) streams what they give into the output.
import path from 'node:path/posix';
import { readRels, relsPartFor, resolveTarget } from './opc.js';
import type { Box } from './geometry.js';
import {
  fillPlaceholder,
  insertIntoSpTree,
  maxShapeId,
  MARKER,
  pictureXml,
  prefixesOf,
  removeOurPictures,
  type Crop,
  type ZOrder,
} from './picture-xml.js';
import type { Reflow } from './make-room-layout.js';
import type { Presentation } from './read-presentation.js';
import { reflowShape } from './reflow-xml.js';
import { escapeXml } from './xml.js';

export interface PictureToAdd {
  slidePart: string;
  /** The fitted picture's bytes. */
  image: Buffer;
  format: 'jpeg' | 'png';
  box: Box;
  /** Alt text. */
  descr: string;
  z: ZOrder;
  crop?: Crop | undefined;
  /** Fill this placeholder shape (p:cNvPr id) instead of adding a free picture. */
  placeholderId?: string | undefined;
  /** Placement "make-room": the body shape to narrow and autofit before the picture goes beside it. */
  reflow?: Reflow | undefined;
}

const IMAGE_REL = {
  transitional: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/image',
  strict: 'http://purl.oclc.org/ooxml/officeDocument/relationships/image',
};
export const MIME = { jpeg: 'image/jpeg', png: 'image/png' } as const;

/** Where our pictures' media parts go: `ppt/media/slide-illustrate-<hash>.<ext>`. */
export const OUR_MEDIA_PREFIX = `ppt/media/${MARKER}-`;

/** A picture with the media part it goes into (chosen by the writer, which knows every part name). */
export interface PlacedPicture {
  pic: PictureToAdd;
  media: string;
}

export interface SlideEdit {
  slideXml: string;
  relsXml: string;
  /** Our earlier pictures this edit removed. */
  replaced: number;
  /** Parts the removed pictures pointed at (resolved names): media to drop if nothing else points at them. */
  removedTargets: string[];
}

const EMPTY_RELS =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>';

// One slide's new XML and .rels with its pictures in: re-runs replace our own pictures instead of stacking new ones.
export async function editSlide(pres: Presentation, slidePart: string, pictures: PlacedPicture[]): Promise<SlideEdit> {
  const { pkg } = pres;
  let slideXml = normaliseDeclaration(await pkg.readText(slidePart));
  const relsPart = relsPartFor(slidePart);
  let relsXml = pkg.has(relsPart) ? normaliseDeclaration(await pkg.readText(relsPart)) : EMPTY_RELS;
  const removed = removeOurPictures(slideXml);
  slideXml = removed.xml;
  const removedTargets: string[] = [];
  for (const relId of removed.relIds) {
    const m = relsXml.match(new RegExp(`<Relationship\\b[^>]*\\bId\\s*=\\s*["']${escapeRe(relId)}["'][^>]*/>`));
    if (!m) continue;
    relsXml = relsXml.replace(m[0], '');
    const target = m[0].match(/Target\s*=\s*["']([^"']+)["']/)?.[1];
    if (target) removedTargets.push(resolveTarget(slidePart, target));
  }
  const ns = prefixesOf(slideXml);
  let nextId = maxShapeId(slideXml) + 1;
  for (const { pic, media } of pictures) {
    const relId = freeRelId(relsXml);
    const target = path.relative(path.dirname(slidePart), media);
    const type = pres.strict ? IMAGE_REL.strict : IMAGE_REL.transitional;
    relsXml = relsXml.replace(
      /<\/(\w+:)?Relationships>\s*$/,
      (end) => `<Relationship Id="${relId}" Type="${type}" Target="${escapeXml(target)}"/>${end}`,
    );
    const spec = { relId, descr: pic.descr, crop: pic.crop };
    if (pic.reflow) slideXml = reflowShape(slideXml, pic.reflow);
    slideXml = pic.placeholderId
      ? fillPlaceholder(slideXml, pic.placeholderId, spec, ns)
      : insertIntoSpTree(slideXml, pictureXml({ ...spec, id: nextId++, box: pic.box }, ns), pic.z);
  }
  return { slideXml, relsXml, replaced: removed.count, removedTargets };
}

/**
 * The package's [Content_Types].xml once the write is done: a type for each new media part, no
 * Override for a part that is not in the output (each would make PowerPoint "repair" the deck,
 * PptxGenJS#1444; those are the repairs), none for `dropped` parts (lower-cased; no repair), and declared UTF-8.
 */
export function finalContentTypes(
  typesXml: string,
  media: { part: string; format: 'jpeg' | 'png' }[],
  exists: (part: string) => boolean,
  dropped: ReadonlySet<string> = new Set(),
): { xml: string; repairs: string[] } {
  let xml = typesXml;
  for (const { part, format } of media) xml = ensureContentType(xml, part, format === 'jpeg' ? 'jpeg' : 'png', MIME[format]);
  const repairs: string[] = [];
  xml = xml.replace(/<Override\b[^>]*PartName\s*=\s*["']\/?([^"']+)["'][^>]*\/>/g, (tag, part: string) => {
    const name = decodeURIComponentSafe(part);
    if (exists(name)) return tag;
    if (dropped.has(name.toLowerCase())) return '';
    repairs.push(`removed the content type of missing part /${part}`);
    return '';
  });
  return { xml: normaliseDeclaration(xml), repairs };
}

/** Parts we write are UTF-8; a UTF-16 declaration would now lie. */
export function normaliseDeclaration(xml: string): string {
  return xml.replace(/^(<\?xml[^>]*encoding\s*=\s*["'])(UTF-16|UTF-16LE|UTF-16BE)(["'])/i, '$1UTF-8$3');
}

function freeRelId(relsXml: string): string {
  const used = new Set([...relsXml.matchAll(/\bId\s*=\s*["']([^"']+)["']/g)].map((m) => m[1]!));
  let n = used.size + 1;
  while (used.has(`rId${n}`)) n++;
  return `rId${n}`;
}

/** Makes [Content_Types].xml resolve a new media part: a Default for its extension, or an Override if that Default means something else. */
function ensureContentType(typesXml: string, part: string, ext: string, mime: string): string {
  const existing = [...typesXml.matchAll(/<Default\b[^>]*>/g)]
    .map((m) => m[0])
    .find((tag) => new RegExp(`Extension\\s*=\\s*["']${ext}["']`, 'i').test(tag));
  if (existing?.includes(`"${mime}"`) || existing?.includes(`'${mime}'`)) return typesXml;
  const entry = existing ? `<Override PartName="/${part}" ContentType="${mime}"/>` : `<Default Extension="${ext}" ContentType="${mime}"/>`;
  return typesXml.replace(/(<(\w+:)?Types\b[^>]*>)/, `$1${entry}`);
}

/**
 * Any edit breaks a digital signature: it is dropped rather than shipped as a deck PowerPoint calls
 * tampered. The package's .rels without its signature origin, and the signature parts (stored names) to leave out.
 */
export async function dropSignature(pres: Presentation): Promise<{ rootRels: string; parts: string[] } | undefined> {
  const { pkg } = pres;
  const origin = (await readRels(pkg, '')).find((r) => r.type.endsWith('/digital-signature/origin'));
  if (!origin) return undefined;
  const rootRels = normaliseDeclaration(await pkg.readText('_rels/.rels')).replace(
    new RegExp(`<Relationship\\b[^>]*\\bId\\s*=\\s*["']${escapeRe(origin.id)}["'][^>]*/>`),
    '',
  );
  const parts = [
    origin.target,
    relsPartFor(origin.target),
    ...(await readRels(pkg, origin.target)).filter((r) => !r.external).map((r) => r.target),
  ];
  return { rootRels, parts: parts.map((p) => pkg.resolve(p)).filter((p): p is string => p !== undefined) };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
