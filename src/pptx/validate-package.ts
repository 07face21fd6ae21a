// The package validator the writer runs before any deck is written: a deck we would write
// broken is an error, never an output. Problems the input already had are tolerated
// (we do not make a deck worse), everything new is refused.
import { PackageValidationError } from '../errors.js';
import { contentTypeOf, parseContentTypes, relsPartFor, resolveTarget } from './opc.js';
import { attr, children, decodeXmlBytes, parseXml, type XmlElement } from './xml.js';

/** A package's parts as the validator sees them: their names, and the text of each (undefined when missing). */
export interface PartSource {
  names(): string[];
  read(name: string): Promise<string | undefined>;
}

/** A zip's entries as a JSZip holds them (its public `files`), or a copy of them: what tests read outputs with. */
export interface ZipEntries {
  files: Record<string, { name: string; dir: boolean; async(type: 'uint8array'): Promise<Uint8Array> }>;
}

// A JSZip's parts through its public API.
export function zipSource(zip: ZipEntries): PartSource {
  const lower = new Map(Object.keys(zip.files).map((n) => [n.toLowerCase(), n]));
  return {
    names: () =>
      Object.values(zip.files)
        .filter((f) => !f.dir)
        .map((f) => f.name),
    read: async (name) => {
      const stored = lower.get(name.toLowerCase());
      const f = stored ? zip.files[stored] : undefined;
      if (!f || f.dir) return undefined;
      return decodeXmlBytes(await f.async('uint8array'));
    },
  };
}

const sourceOf = (zip: ZipEntries | PartSource): PartSource => ('files' in zip ? zipSource(zip) : zip);

/**
 * Which checks partProblems runs: `package` (each part exists and has a content type, every
 * Override names a part) and `xml` (well-formed, relationship ids unique and their targets present,
 * references resolve, shape ids unique). The deck writer checks a slide's XML as soon as the slide
 * is written, and the package once [Content_Types].xml is final.
 */
export interface PartChecks {
  package?: boolean;
  xml?: boolean;
}

// Problems of the given parts within a package: XML well-formed, references resolve, ids unique, types known.
export async function partProblems(
  zip: ZipEntries | PartSource,
  parts: string[],
  checks: PartChecks = { package: true, xml: true },
): Promise<string[]> {
  const source = sourceOf(zip);
  const read = (name: string) => source.read(name);
  const names = source.names();
  // Parts parsed once: a slide's .rels is checked itself and read again for the slide's references.
  const parsedRels = new Map<string, XmlElement>();
  const exists = new Set(names.map((n) => n.toLowerCase()));
  const problems: string[] = [];
  let types: ReturnType<typeof parseContentTypes> | undefined;
  if (checks.package) {
    const typesText = await read('[Content_Types].xml');
    if (!typesText) return ['[Content_Types].xml is missing'];
    try {
      types = parseContentTypes(parseXml(typesText));
    } catch (error) {
      return [`[Content_Types].xml: not well-formed (${(error as Error).message.split('\n')[0]})`];
    }
    for (const part of types.overrides.keys())
      if (!exists.has(part)) problems.push(`[Content_Types].xml: Override for missing part /${part}`);
  }
  const relsFirst = [...parts.filter((p) => /\.rels$/i.test(p)), ...parts.filter((p) => !/\.rels$/i.test(p))];
  for (const part of relsFirst) {
    if (!exists.has(part.toLowerCase())) continue;
    if (types && part !== '[Content_Types].xml' && contentTypeOf(types, part) === undefined) problems.push(`${part}: no content type`);
    if (!checks.xml || !/\.(xml|rels)$/i.test(part)) continue;
    let root: XmlElement;
    try {
      root = parseXml((await read(part))!);
      parsedRels.set(part.toLowerCase(), root);
    } catch (error) {
      problems.push(`${part}: not well-formed XML (${(error as Error).message.split('\n')[0]})`);
      continue;
    }
    if (part.endsWith('.rels')) {
      const source = part === '_rels/.rels' ? '' : part.replace(/_rels\/([^/]+)\.rels$/, '$1');
      const ids = new Set<string>();
      for (const rel of children(root, 'Relationship')) {
        const id = attr(rel, 'Id') ?? '';
        if (ids.has(id)) problems.push(`${part}: duplicate relationship id ${id}`);
        ids.add(id);
        if ((attr(rel, 'TargetMode') ?? '').toLowerCase() === 'external') continue;
        const target = resolveTarget(source, attr(rel, 'Target') ?? '');
        if (!exists.has(target.toLowerCase())) problems.push(`${part}: relationship ${id} points at missing part ${target}`);
      }
      continue;
    }
    // References from XML parts to their relationships, and shape ids on slides.
    const relsName = relsPartFor(part).toLowerCase();
    const relsText = parsedRels.has(relsName) ? undefined : await read(relsName);
    const rels = parsedRels.get(relsName) ?? (relsText ? parseXml(relsText) : undefined);
    const relIds = new Set(rels ? children(rels, 'Relationship').map((r) => attr(r, 'Id') ?? '') : []);
    for (const ref of referencedRelIds(root)) if (!relIds.has(ref)) problems.push(`${part}: reference ${ref} has no relationship`);
    if (root.local === 'sld') for (const id of duplicateShapeIds(root)) problems.push(`${part}: duplicate shape id ${id}`);
  }
  return problems;
}

/** r:embed, r:id, r:link … attribute values in the relationships namespace. */
function referencedRelIds(root: XmlElement): Set<string> {
  const prefixes = new Set<string>();
  for (const [k, v] of Object.entries(root.attrs))
    if (k.startsWith('xmlns:') && /officeDocument\/(2006\/)?relationships$/.test(v)) prefixes.add(k.slice(6));
  const out = new Set<string>();
  collectRelIds(root, prefixes, out);
  return out;
}

// The tree walks are module functions, not closures made per call: V8 optimizes a closure made
// per call again for each (a 200-slide run compiled these walks 14 times, ~240 ms of compiler time).
function collectRelIds(el: XmlElement, prefixes: Set<string>, out: Set<string>): void {
  for (const [k, v] of Object.entries(el.attrs)) {
    const i = k.indexOf(':');
    if (i > 0 && prefixes.has(k.slice(0, i)) && v) out.add(v);
  }
  for (const c of children(el)) collectRelIds(c, prefixes, out);
}

/** Shape ids used twice on one slide, ignoring copies inside the two branches of mc:AlternateContent. */
export function duplicateShapeIds(root: XmlElement): string[] {
  const counts = new Map<string, number>();
  countShapeIds(root, counts);
  return [...counts].filter(([, n]) => n > 1).map(([id]) => id);
}

function countShapeIds(el: XmlElement, counts: Map<string, number>): void {
  if (el.local === 'AlternateContent') {
    // Each branch carries the same shapes; count the first branch only.
    const first = children(el)[0];
    if (first) countShapeIds(first, counts);
    return;
  }
  if (el.local === 'cNvPr') {
    const id = attr(el, 'id');
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  for (const c of children(el)) countShapeIds(c, counts);
}

// Throws for the problems in `after` (of the parts the writer changed or added) that the input did
// not already have. `baseline` (the input's own problems) is asked for only when there are
// problems: a clean write, nearly every write, parses its parts once rather than before and after.
export async function refuseNewProblems(file: string, after: string[], baseline: () => Promise<string[]>): Promise<void> {
  if (!after.length) return;
  const known = new Set(await baseline());
  const fresh = after.filter((p) => !known.has(p));
  if (fresh.length) throw new PackageValidationError(file, fresh);
}
