// Writes an illustrated deck as its slides finish: open() starts the output's temp file with every part
// no picture can change, copied raw (no inflate, no deflate); addSlide() writes a slide's picture, XML
// and .rels as soon as that slide is done; finish() writes what is left (slides left as they were,
// [Content_Types].xml, the central directory), validates the changed parts and renames the temp file
// into place. Any failure, or abort(), removes the temp file: outputs appear whole or not at all.
import { createHash } from 'node:crypto';
import { openAtomicFile, type AtomicFile } from '../internal/atomic-write.js';
import { crc32 } from '../internal/crc32.js';
import { deflatePart, XML_DEFLATE_LEVEL } from './deflated-part.js';
import { relsPartFor, resolveTarget } from './opc.js';
import type { Presentation } from './read-presentation.js';
import { partProblems, refuseNewProblems, type PartSource } from './validate-package.js';
import { dropSignature, editSlide, finalContentTypes, OUR_MEDIA_PREFIX, type PictureToAdd } from './write-presentation.js';
import { decodeXmlBytes } from './xml.js';
import { ZipWriter, type ZipEntry, type ZipWriterOptions } from './zip-writer.js';

export interface WriteResult {
  /** Our earlier pictures that this run replaced. */
  replaced: number;
  /** Defects of the input this write repaired (each would make PowerPoint offer to repair the deck). */
  repairs: string[];
}

export interface DeckWriter {
  /** Writes one slide's pictures (all for the same slide part, one of those given to open) and its edited parts. */
  addSlide(pictures: PictureToAdd[]): Promise<void>;
  /** Writes the rest, validates, renames into place. */
  finish(): Promise<WriteResult>;
  /** Removes the temp file; a no-op once finished. */
  abort(): Promise<void>;
}

export interface DeckWriterOptions extends ZipWriterOptions {
  /** The slide parts that may get a picture: held back until addSlide(), or finish() copies them as they were. */
  slides: string[];
}

const TYPES = '[Content_Types].xml';
const ROOT_RELS = '_rels/.rels';

export async function openDeckWriter(pres: Presentation, output: string, options: DeckWriterOptions): Promise<DeckWriter> {
  const { pkg } = pres;
  const lower = (name: string) => name.toLowerCase();
  const signature = pres.signed ? await dropSignature(pres) : undefined;
  const dropped = new Set((signature?.parts ?? []).map(lower));
  // Held back from the first pass: what a slide's pictures change, and our earlier pictures' media,
  // which a re-run drops once nothing points at it.
  // The slides that may get a picture, and their .rels: what a slide's pictures change.
  const slideParts = options.slides.flatMap((s) => [s, relsPartFor(s)]);
  const held = new Set([TYPES, ...(signature ? [ROOT_RELS] : []), ...slideParts].map(lower));
  const ourMedia = pkg.entries.filter((e) => lower(e.name).startsWith(lower(OUR_MEDIA_PREFIX))).map((e) => e.name);
  for (const name of ourMedia) held.add(lower(name));

  const file: AtomicFile = await openAtomicFile(output);
  const zip = new ZipWriter(file.handle, options);
  const written = new Map<string, string>(); // lower-cased → stored name, every part in the output
  const changed = new Map<string, string>(); // lower-cased → XML we wrote
  const newMedia: { part: string; format: 'jpeg' | 'png' }[] = [];
  const mediaByHash = new Map<string, string>();
  const done = new Set<string>();
  const removedTargets = new Set<string>();
  const writes: Promise<void>[] = [];
  const adding = new Set<Promise<void>>();
  // Each written slide's XML checks, run as the slide is written rather than all after the last
  // picture (where 200 slides' checks took ~0.5 s of the run's tail). The part names they see are
  // those the output will have: the input's but what the writer drops, and the new media so far.
  const slideChecks: Promise<string[]>[] = [];
  // (Parts the writer drops later, our earlier media at finish, are ones no written slide points at.)
  const keptNames = pkg.names().filter((n) => !dropped.has(lower(n)));
  const slideSource: PartSource = {
    names: () => [...keptNames, ...newMedia.map((m) => m.part)],
    read: async (name) => changed.get(lower(name)) ?? (pkg.has(name) ? pkg.readText(name) : undefined),
  };
  let replaced = 0;
  let state: 'open' | 'finishing' | 'closed' = 'open';

  const copyRaw = (name: string) => {
    const { entry, data } = pkg.rawEntry(name);
    written.set(lower(entry.name), entry.name);
    writes.push(zip.add({ ...entry, name: entry.rawName }, data));
  };
  // Resolves once the part is in the file.
  const addEntry = async (entry: ZipEntry & { name: string }, data: Buffer) => {
    written.set(lower(entry.name), entry.name);
    const writing = zip.add(entry, data);
    writes.push(writing);
    await writing;
  };
  const addDeflated = async (name: string, data: Buffer) => {
    const part = await deflatePart(data, XML_DEFLATE_LEVEL);
    await addEntry({ name, method: 8, crc32: part.crc32, size: part.size, compressedSize: part.data.length }, part.data);
  };
  // Pictures are JPEG or PNG, compressed already: stored as they are (deflating them at level 1
  // saved 0.3 % of the bytes for ~2-7 ms of CPU a picture, which a batch's fits need).
  const addStored = (name: string, data: Buffer) =>
    addEntry({ name, method: 0, crc32: crc32(data), size: data.length, compressedSize: data.length }, data);
  const addXml = (name: string, xml: string) => {
    changed.set(lower(name), xml);
    return addDeflated(name, Buffer.from(xml, 'utf8'));
  };
  // A picture's media part: the same picture twice is one part; a name the input has is not reused.
  const mediaFor = (pic: PictureToAdd): { name: string; isNew: boolean } => {
    const hash = createHash('sha256').update(pic.image).digest('hex').slice(0, 12);
    const key = `${hash}.${pic.format}`;
    const known = mediaByHash.get(key);
    if (known) return { name: known, isNew: false };
    let name = `${OUR_MEDIA_PREFIX}${hash}.${pic.format}`;
    for (let k = 2; pkg.has(name) || [...mediaByHash.values()].includes(name); k++) name = `${OUR_MEDIA_PREFIX}${hash}-${k}.${pic.format}`;
    mediaByHash.set(key, name);
    return { name, isNew: true };
  };

  const add = async (pictures: PictureToAdd[]): Promise<void> => {
    const slidePart = pkg.resolve(pictures[0]?.slidePart ?? '');
    if (!slidePart || !held.has(lower(slidePart)) || pictures.some((p) => pkg.resolve(p.slidePart) !== slidePart)) {
      throw new Error(`deck writer: ${pictures[0]?.slidePart ?? 'no picture'} is not a slide this writer holds for pictures`);
    }
    if (done.has(lower(slidePart))) throw new Error(`deck writer: ${slidePart} was written already`);
    done.add(lower(slidePart));
    try {
      const placed = pictures.map((pic) => ({ pic, ...mediaFor(pic) }));
      // The media first: the slide's edit may fail (then the slide stays as it was), its new media stays valid.
      await Promise.all(
        placed
          .filter((p) => p.isNew)
          .map(({ pic, name }) => {
            newMedia.push({ part: name, format: pic.format });
            return addStored(name, pic.image);
          }),
      );
      const edit = await editSlide(
        pres,
        slidePart,
        placed.map(({ pic, name }) => ({ pic, media: name })),
      );
      const relsPart = pkg.resolve(relsPartFor(slidePart)) ?? relsPartFor(slidePart);
      await Promise.all([addXml(slidePart, edit.slideXml), addXml(relsPart, edit.relsXml)]);
      const checking = partProblems(slideSource, [slidePart, relsPart], { xml: true });
      void checking.catch(() => undefined);
      slideChecks.push(checking);
      replaced += edit.replaced;
      for (const target of edit.removedTargets) removedTargets.add(lower(target));
    } catch (error) {
      if (!written.has(lower(slidePart))) done.delete(lower(slidePart));
      throw error;
    }
  };

  const abort = async () => {
    if (state === 'closed') return;
    state = 'closed';
    await Promise.allSettled(writes);
    await file.abort();
  };

  try {
    for (const entry of pkg.entries) {
      const key = lower(entry.name);
      if (!held.has(key) && !dropped.has(key)) copyRaw(entry.name);
    }
  } catch (error) {
    await abort();
    throw error;
  }

  return {
    addSlide(pictures) {
      if (state !== 'open') return Promise.reject(new Error(`deck writer: addSlide after ${state === 'closed' ? 'abort' : 'finish'}`));
      const pending = add(pictures);
      adding.add(pending);
      void pending.catch(() => undefined).finally(() => adding.delete(pending));
      return pending;
    },
    abort,
    async finish() {
      if (state !== 'open') throw new Error('deck writer: finished or aborted already');
      state = 'finishing';
      try {
        await Promise.allSettled([...adding]);
        // Slides that got no picture, as they were.
        for (const slide of options.slides) {
          const stored = pkg.resolve(slide);
          if (!stored || done.has(lower(stored))) continue;
          copyRaw(stored);
          if (pkg.has(relsPartFor(stored))) copyRaw(pkg.resolve(relsPartFor(stored))!);
        }
        if (signature) await addXml(pkg.resolve(ROOT_RELS) ?? ROOT_RELS, signature.rootRels);
        // Our earlier pictures' media stays unless this write removed every picture pointing at it.
        const referenced = removedTargets.size ? await referencedParts(pres, written, changed) : new Set<string>();
        for (const name of ourMedia) {
          const key = lower(name);
          if (written.has(key) || dropped.has(key)) continue;
          if (removedTargets.has(key) && !referenced.has(key)) dropped.add(key);
          else copyRaw(name);
        }
        const exists = (part: string) => written.has(lower(part)) || lower(part) === lower(TYPES);
        const types = finalContentTypes(await pkg.readText(TYPES), newMedia, exists, dropped);
        await addXml(pkg.resolve(TYPES) ?? TYPES, types.xml);
        // The slides' XML was checked as each was written; what is left is the XML changed since
        // ([Content_Types].xml, the root .rels of a signed deck) and the package-level checks (every
        // changed part exists and has a content type), which parse no slide.
        const out = outputSource(pres, written, changed);
        const changedParts = [...changed.keys(), ...newMedia.map((m) => m.part)].map((k) => written.get(lower(k))!);
        const slideKeys = new Set(slideParts.map((s) => lower(pkg.resolve(s) ?? s)));
        const after = [
          ...(await Promise.all(slideChecks)).flat(),
          ...(await partProblems(out, changedParts, { package: true, xml: false })),
          ...(await partProblems(
            out,
            changedParts.filter((p) => !slideKeys.has(lower(p))),
            { xml: true },
          )),
        ];
        await refuseNewProblems(pres.file, after, () =>
          partProblems(
            inputSource(pres),
            [TYPES, ROOT_RELS, ...slideParts].filter((p) => pkg.has(p)),
          ),
        );
        await Promise.all(writes);
        await zip.finish();
        await file.commit();
        state = 'closed';
        return { replaced, repairs: types.repairs };
      } catch (error) {
        state = 'open';
        await abort();
        throw error;
      }
    },
  };
}

// Illustrates one deck in one go: what a caller with all its pictures at hand uses (tests, the library).
export async function writePresentation(
  pres: Presentation,
  pictures: PictureToAdd[],
  output: string,
  options: ZipWriterOptions = {},
): Promise<WriteResult> {
  const bySlide = new Map<string, PictureToAdd[]>();
  for (const pic of pictures) bySlide.set(pic.slidePart, [...(bySlide.get(pic.slidePart) ?? []), pic]);
  const writer = await openDeckWriter(pres, output, { ...options, slides: [...bySlide.keys()] });
  try {
    await Promise.all([...bySlide.values()].map((pics) => writer.addSlide(pics)));
  } catch (error) {
    await writer.abort();
    throw error;
  }
  return writer.finish();
}

// Every part some relationship of the output points at (lower-cased).
async function referencedParts(pres: Presentation, written: Map<string, string>, changed: Map<string, string>): Promise<Set<string>> {
  const out = new Set<string>();
  for (const [key, name] of written) {
    if (!key.endsWith('.rels')) continue;
    const xml = changed.get(key) ?? (await pres.pkg.readText(name));
    const source = key === ROOT_RELS ? '' : name.replace(/_rels\/([^/]+)\.rels$/, '$1');
    for (const m of xml.matchAll(/Target\s*=\s*["']([^"']+)["']/g)) out.add(resolveTarget(source, m[1]!).toLowerCase());
  }
  return out;
}

// The output as the validator sees it: the parts written, the XML we changed, the input's text for the rest.
function outputSource(pres: Presentation, written: Map<string, string>, changed: Map<string, string>): PartSource {
  return {
    names: () => [...written.values()].filter((n) => !n.endsWith('/')),
    read: async (name) => {
      const key = name.toLowerCase();
      if (!written.has(key)) return undefined;
      return changed.get(key) ?? (pres.pkg.has(name) ? decodeXmlBytes(await pres.pkg.readBytes(name)) : undefined);
    },
  };
}

function inputSource(pres: Presentation): PartSource {
  return {
    names: () => pres.pkg.names(),
    read: async (name) => (pres.pkg.has(name) ? pres.pkg.readText(name) : undefined),
  };
}
