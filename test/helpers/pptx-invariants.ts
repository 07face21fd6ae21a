// checkPackage(): the invariants every deck a test writes must hold, compared with its input.
import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import { listCentralDirectory } from '../../src/pptx/package.js';
import { partProblems, duplicateShapeIds } from '../../src/pptx/validate-package.js';
import { isOurPicture } from '../../src/pptx/picture-xml.js';
import { children, decodeXmlBytes, parseXml, type XmlElement } from '../../src/pptx/xml.js';

function countOurs(el: XmlElement): number {
  return (isOurPicture(el) ? 1 : 0) + children(el).reduce((n, c) => n + countOurs(c), 0);
}

export interface PackageReport {
  problems: string[];
  /** Parts whose bytes differ from the input's. */
  changed: string[];
  added: string[];
  removed: string[];
  /** p:pic elements we added, per slide part. */
  ourPictures: Map<string, number>;
}

/** Compression method per entry (0 STORE, 8 DEFLATE), its sizes, and folder entries, from the central directory (zip64 too). */
export function zipEntries(bytes: Uint8Array): { name: string; method: number; compressedSize: number; size: number }[] {
  return listCentralDirectory('package', bytes).map(({ name, method, compressedSize, size }) => ({ name, method, compressedSize, size }));
}

// Every part typed, every relationship resolving, shape ids unique, untouched parts byte-identical,
// new pictures stored and other new parts DEFLATE-compressed, no folder entries added; problems the input already had are ignored.
export async function checkPackage(output: Uint8Array, input: Uint8Array): Promise<PackageReport> {
  const outZip = await JSZip.loadAsync(output);
  const inZip = await JSZip.loadAsync(input);
  const files = (z: JSZip) =>
    Object.values(z.files)
      .filter((f) => !f.dir)
      .map((f) => f.name);
  const outNames = files(outZip);
  const inNames = new Set(files(inZip));
  const problems: string[] = [];
  const added = outNames.filter((n) => !inNames.has(n));
  const removed = [...inNames].filter((n) => !outZip.files[n]);
  const changed: string[] = [];
  for (const name of outNames) {
    if (!inNames.has(name)) continue;
    const a = await inZip.files[name]!.async('nodebuffer');
    const b = await outZip.files[name]!.async('nodebuffer');
    if (!a.equals(b)) changed.push(name);
  }
  // A signed input loses its signature: _rels/.rels drops the origin and the signature parts go.
  const signed = inNames.has('_xmlsignatures/origin.sigs');
  for (const name of changed) {
    const allowed =
      /^ppt\/slides\/(_rels\/)?slide\d+\.xml(\.rels)?$/.test(name) || name === '[Content_Types].xml' || (signed && name === '_rels/.rels');
    if (!allowed) problems.push(`${name}: changed but the tool has no reason to touch it`);
  }
  for (const name of removed)
    if (!name.startsWith('ppt/media/slide-illustrate-') && !(signed && name.startsWith('_xmlsignatures/')))
      problems.push(`${name}: removed`);
  if (signed && outZip.files['_xmlsignatures/origin.sigs']) problems.push('signature kept on a modified deck');
  const entries = zipEntries(output);
  const inFolders = new Set(
    zipEntries(input)
      .filter((e) => e.name.endsWith('/'))
      .map((e) => e.name),
  );
  for (const e of entries) {
    if (e.name.endsWith('/') && !inFolders.has(e.name)) problems.push(`${e.name}: folder entry added`);
    if (!added.includes(e.name) && !changed.includes(e.name)) continue;
    // New pictures (JPEG, PNG: compressed already) are stored; every other new or changed part is deflated.
    const picture = /\.(jpe?g|png)$/i.test(e.name);
    if (picture && e.method !== 0) problems.push(`${e.name}: new picture not stored`);
    if (!picture && e.method !== 8) problems.push(`${e.name}: new part not DEFLATE-compressed`);
  }
  const before = new Set(await partProblems(inZip, [...inNames]));
  for (const p of await partProblems(outZip, outNames)) if (!before.has(p)) problems.push(p);
  const ourPictures = new Map<string, number>();
  for (const name of changed.filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n))) {
    const outRoot = parseXml(decodeXmlBytes(await outZip.files[name]!.async('uint8array')));
    const inRoot = parseXml(decodeXmlBytes(await inZip.files[name]!.async('uint8array')));
    const known = new Set(duplicateShapeIds(inRoot));
    for (const id of duplicateShapeIds(outRoot)) if (!known.has(id)) problems.push(`${name}: duplicate shape id ${id}`);
    ourPictures.set(name, countOurs(outRoot));
  }
  return { problems, changed, added, removed, ourPictures };
}

/** checkPackage's problems for a written deck file against its input file ([] when valid). */
export async function packageFileProblems(output: string, input: string): Promise<string[]> {
  return (await checkPackage(await readFile(output), await readFile(input))).problems;
}
