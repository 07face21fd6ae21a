// Open Packaging Conventions: relationships, target resolution and content types.
import path from 'node:path/posix';
import { DeckFormatError } from '../errors.js';
import type { Package } from './package.js';
import { attr, children, type XmlElement } from './xml.js';

export interface Relationship {
  id: string;
  type: string;
  /** Resolved part name (no leading slash) for internal targets, the raw URL for external ones. */
  target: string;
  external: boolean;
}

/** `ppt/slides/slide1.xml` → `ppt/slides/_rels/slide1.xml.rels`; the package itself → `_rels/.rels`. */
export function relsPartFor(partName: string): string {
  if (partName === '') return '_rels/.rels';
  const dir = path.dirname(partName);
  return `${dir === '.' ? '' : `${dir}/`}_rels/${path.basename(partName)}.rels`;
}

/** Resolves a relationship target relative to its source part's folder. */
export function resolveTarget(sourcePart: string, target: string): string {
  const clean = decodeURIComponentSafe(target.split('#')[0]!);
  if (clean.startsWith('/')) return path.normalize(clean).replace(/^\/+/, '');
  const base = path.dirname(sourcePart === '' ? '_' : sourcePart);
  return path
    .normalize(path.join(base, clean))
    .replace(/^(\.\.\/)+/, '')
    .replace(/^\.\//, '');
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// Relationships of a part (empty when it has no .rels part).
export async function readRels(pkg: Package, sourcePart: string): Promise<Relationship[]> {
  const relsName = relsPartFor(sourcePart);
  if (!pkg.has(relsName)) return [];
  const root = await pkg.readXml(relsName);
  return children(root, 'Relationship').map((r) => {
    const external = (attr(r, 'TargetMode') ?? '').toLowerCase() === 'external';
    const rawTarget = attr(r, 'Target') ?? '';
    return {
      id: attr(r, 'Id') ?? '',
      type: attr(r, 'Type') ?? '',
      target: external ? rawTarget : resolveTarget(sourcePart, rawTarget),
      external,
    };
  });
}

/** Relationship types end the same way in Transitional and Strict packages. */
export function isRelType(type: string, suffix: string): boolean {
  return type.endsWith(`/${suffix}`);
}

export function findRel(rels: Relationship[], suffix: string): Relationship | undefined {
  return rels.find((r) => !r.external && isRelType(r.type, suffix));
}

export interface ContentTypes {
  defaults: Map<string, string>;
  overrides: Map<string, string>;
}

export async function readContentTypes(pkg: Package): Promise<ContentTypes> {
  const root = await pkg.readXml('[Content_Types].xml');
  return parseContentTypes(root);
}

export function parseContentTypes(root: XmlElement): ContentTypes {
  const defaults = new Map<string, string>();
  const overrides = new Map<string, string>();
  for (const d of children(root, 'Default')) defaults.set((attr(d, 'Extension') ?? '').toLowerCase(), attr(d, 'ContentType') ?? '');
  for (const o of children(root, 'Override'))
    overrides.set((attr(o, 'PartName') ?? '').replace(/^\//, '').toLowerCase(), attr(o, 'ContentType') ?? '');
  return { defaults, overrides };
}

/** Override by part name first, then Default by extension, both case-insensitive. */
export function contentTypeOf(types: ContentTypes, partName: string): string | undefined {
  const over = types.overrides.get(partName.toLowerCase());
  if (over !== undefined) return over;
  // Not path.extname: "_rels/.rels" has the extension "rels" in OPC, but none for Node.
  const base = partName.slice(partName.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot < 0 ? undefined : types.defaults.get(base.slice(dot + 1).toLowerCase());
}

/** The main presentation part, found through _rels/.rels as OPC requires. */
export async function findMainPart(pkg: Package): Promise<string> {
  const rels = await readRels(pkg, '');
  const main = findRel(rels, 'officeDocument');
  if (!main) throw new DeckFormatError(pkg.file, 'no presentation part: _rels/.rels has no officeDocument relationship');
  if (!pkg.has(main.target)) throw new DeckFormatError(pkg.file, `no presentation part: ${main.target} is missing`);
  return pkg.resolve(main.target)!;
}
