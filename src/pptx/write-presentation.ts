// Applies planned pictures to a deck's package and returns the new package, streamed as it is made.
// Only the parts a picture needs are touched: the slide, its .rels, [Content_Types].xml and new media.
import path from 'node:path/posix';
import { addDeflatedPart, deflatePart, prepareMedia, XML_DEFLATE_LEVEL, type PreparedMedia } from './deflated-part.js';
import { readRels, relsPartFor, resolveTarget } from './opc.js';
import type { Box } from './geometry.js';
import { fillPlaceholder, insertIntoSpTree, maxShapeId, MARKER, pictureXml, prefixesOf, removeOurPictures, type Crop, type ZOrder } from './picture-xml.js';
import type { Reflow } from './make-room-layout.js';
import type { Presentation } from './read-presentation.js';
import { reflowShape } from './reflow-xml.js';
import { partProblems, validateChanges, type ZipEntries } from './validate-package.js';
import { escapeXml } from './xml.js';

export interface PictureToAdd {
  slidePart: string;
  /** The picture's bytes, or already hashed and deflated (prepareMedia) while the deck's other slides ran. */
  image: Buffer | PreparedMedia;
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
const MIME = { jpeg: 'image/jpeg', png: 'image/png' } as const;

export interface WriteResult {
  /**
   * The package's bytes, made as they are read: a 200-picture deck is never held whole in memory
   * (jszip's generateAsync holds it twice, its chunks and their concatenation).
   */
  content: NodeJS.ReadableStream;
  /** Our earlier pictures that this run replaced. */
  replaced: number;
  /** Defects of the input this write repaired (each would make PowerPoint offer to repair the deck). */
  repairs: string[];
}

// Builds the illustrated package; validates it before returning its content.
// The Presentation's zip is edited in place: read a deck again to write it twice.
export async function writePresentation(pres: Presentation, pictures: PictureToAdd[]): Promise<WriteResult> {
  const { pkg } = pres;
  const zip = pkg.zip;
  const changed = new Map<string, string>();
  const newParts = new Set<string>();
  const removedParts = new Set<string>();
  let replaced = 0;
  const names = new Set(pkg.names().map((n) => n.toLowerCase()));
  let typesXml = await pkg.readText('[Content_Types].xml');
  // Every picture deflated at once, natively and off the main thread (see deflated-part.ts).
  const prepared = new Map(await Promise.all(pictures.map(async (pic) => [pic, Buffer.isBuffer(pic.image) ? await prepareMedia(pic.image) : pic.image] as const)));
  const bySlide = new Map<string, PictureToAdd[]>();
  for (const pic of pictures) bySlide.set(pic.slidePart, [...(bySlide.get(pic.slidePart) ?? []), pic]);
  // The zip is edited in place: keep its entries as they were, to tell the input's own problems from ours.
  const touched = ['[Content_Types].xml', '_rels/.rels', ...[...bySlide.keys()].flatMap((s) => [s, relsPartFor(s)])].filter((p) => pkg.has(p));
  const original: ZipEntries = { files: { ...zip.files } };

  for (const [slidePart, pics] of bySlide) {
    let slideXml = normaliseDeclaration(await pkg.readText(slidePart));
    const relsPart = relsPartFor(slidePart);
    let relsXml = pkg.has(relsPart)
      ? normaliseDeclaration(await pkg.readText(relsPart))
      : '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>';
    // Re-runs replace our own pictures instead of stacking new ones.
    const removed = removeOurPictures(slideXml);
    slideXml = removed.xml;
    for (const relId of removed.relIds) {
      const m = relsXml.match(new RegExp(`<Relationship\\b[^>]*\\bId\\s*=\\s*["']${escapeRe(relId)}["'][^>]*/>`));
      if (!m) continue;
      relsXml = relsXml.replace(m[0], '');
      const target = m[0].match(/Target\s*=\s*["']([^"']+)["']/)?.[1];
      if (target) removedParts.add(resolveTarget(slidePart, target));
    }
    replaced += removed.count;
    const ns = prefixesOf(slideXml);
    let nextId = maxShapeId(slideXml) + 1;
    for (const pic of pics) {
      const { sha256, part } = prepared.get(pic)!;
      const hash = sha256.slice(0, 12);
      const ext = pic.format === 'jpeg' ? 'jpeg' : 'png';
      let media = `ppt/media/${MARKER}-${hash}.${ext}`;
      for (let k = 2; names.has(media.toLowerCase()) && !newParts.has(media); k++) media = `ppt/media/${MARKER}-${hash}-${k}.${ext}`;
      if (!newParts.has(media)) {
        addDeflatedPart(zip, media, part);
        names.add(media.toLowerCase());
        newParts.add(media);
      }
      removedParts.delete(media);
      const relId = freeRelId(relsXml);
      const target = path.relative(path.dirname(slidePart), media);
      relsXml = relsXml.replace(/<\/(\w+:)?Relationships>\s*$/, (end) => `<Relationship Id="${relId}" Type="${pres.strict ? IMAGE_REL.strict : IMAGE_REL.transitional}" Target="${escapeXml(target)}"/>${end}`);
      const spec = { relId, descr: pic.descr, crop: pic.crop };
      if (pic.reflow) slideXml = reflowShape(slideXml, pic.reflow);
      slideXml = pic.placeholderId
        ? fillPlaceholder(slideXml, pic.placeholderId, spec, ns)
        : insertIntoSpTree(slideXml, pictureXml({ ...spec, id: nextId++, box: pic.box }, ns), pic.z);
      typesXml = ensureContentType(typesXml, media, ext, MIME[pic.format]);
    }
    changed.set(slidePart, slideXml);
    changed.set(relsPart, relsXml);
  }
  // Media of replaced pictures goes when nothing else points at it.
  for (const part of removedParts) {
    if (newParts.has(part) || !pkg.has(part)) continue;
    if (!(await stillReferenced(pres, part, changed))) zip.remove(pkg.resolve(part)!);
    else removedParts.delete(part);
  }
  // Any edit breaks a digital signature: drop it rather than ship a deck PowerPoint calls tampered.
  if (pres.signed) {
    const dropped = await dropSignature(pres, changed);
    for (const part of dropped) {
      zip.remove(part);
      typesXml = typesXml.replace(new RegExp(`<Override\\b[^>]*PartName\\s*=\\s*["']/${escapeRe(part)}["'][^>]*/>`, 'i'), '');
    }
  }
  // Overrides naming parts that do not exist make PowerPoint "repair" a deck (PptxGenJS#1444): drop them.
  const repairs: string[] = [];
  typesXml = typesXml.replace(/<Override\b[^>]*PartName\s*=\s*["']\/?([^"']+)["'][^>]*\/>/g, (tag, part: string) => {
    if (names.has(decodeURIComponentSafe(part).toLowerCase()) && zip.file(pkg.resolve(part) ?? part)) return tag;
    repairs.push(`removed the content type of missing part /${part}`);
    return '';
  });
  changed.set('[Content_Types].xml', typesXml);
  // Every part we write is UTF-8: a UTF-16 declaration read from the input ([Content_Types].xml, _rels/.rels) would now lie.
  for (const [part, xml] of changed) changed.set(part, normaliseDeclaration(xml));
  for (const [part, xml] of changed) zip.file(pkg.resolve(part) ?? part, xml, { createFolders: false, compression: 'DEFLATE' });
  await validateChanges(pres.file, zip, [...new Set([...changed.keys(), ...newParts])], () => partProblems(original, touched));
  // Validated: the changed XML goes in deflated natively too, so the zip stream only copies bytes.
  const xmlParts = await Promise.all([...changed].map(async ([part, xml]) => [pkg.resolve(part) ?? part, await deflatePart(Buffer.from(xml, 'utf8'), XML_DEFLATE_LEVEL)] as const));
  for (const [name, part] of xmlParts) addDeflatedPart(zip, name, part);
  const content = zip.generateNodeStream({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 }, streamFiles: false });
  return { content, replaced, repairs };
}

/** Parts we write are UTF-8; a UTF-16 declaration would now lie. */
function normaliseDeclaration(xml: string): string {
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
  const existing = [...typesXml.matchAll(/<Default\b[^>]*>/g)].map((m) => m[0]).find((tag) => new RegExp(`Extension\\s*=\\s*["']${ext}["']`, 'i').test(tag));
  if (existing?.includes(`"${mime}"`) || existing?.includes(`'${mime}'`)) return typesXml;
  const entry = existing ? `<Override PartName="/${part}" ContentType="${mime}"/>` : `<Default Extension="${ext}" ContentType="${mime}"/>`;
  return typesXml.replace(/(<(\w+:)?Types\b[^>]*>)/, `$1${entry}`);
}

async function stillReferenced(pres: Presentation, part: string, changed: Map<string, string>): Promise<boolean> {
  for (const name of pres.pkg.names()) {
    if (!name.endsWith('.rels')) continue;
    const xml = changed.get(name) ?? (await pres.pkg.readText(name));
    const source = name === '_rels/.rels' ? '' : name.replace(/_rels\/([^/]+)\.rels$/, '$1');
    for (const m of xml.matchAll(/Target\s*=\s*["']([^"']+)["']/g)) {
      if (resolveTarget(source, m[1]!).toLowerCase() === part.toLowerCase()) return true;
    }
  }
  return false;
}

/** Removes the package's signature origin relationship; returns the signature parts to delete. */
async function dropSignature(pres: Presentation, changed: Map<string, string>): Promise<string[]> {
  const { pkg } = pres;
  let rootRels = await pkg.readText('_rels/.rels');
  const origin = (await readRels(pkg, '')).find((r) => r.type.endsWith('/digital-signature/origin'));
  if (!origin) return [];
  rootRels = rootRels.replace(new RegExp(`<Relationship\\b[^>]*\\bId\\s*=\\s*["']${escapeRe(origin.id)}["'][^>]*/>`), '');
  changed.set('_rels/.rels', rootRels);
  const parts = [origin.target, relsPartFor(origin.target), ...(await readRels(pkg, origin.target)).filter((r) => !r.external).map((r) => r.target)];
  return parts.map((p) => pkg.resolve(p)).filter((p): p is string => p !== undefined);
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
