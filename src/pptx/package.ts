// Opens a .pptx package safely: sniffs the file type, refuses hostile archives, and reads
// parts through byte budgets so a zip bomb is stopped while it inflates.
//
// The zip is read from its own central directory, and a part is inflated by Node's zlib in one
// native call bounded by maxOutputLength: no zip library's object per entry, no JavaScript inflate,
// no stream per part. Reading a 24-slide deck took 250-280 ms through jszip (its pako inflate
// and streams, cold, at start-up); see the commit for the figures after.
import { inflateRawSync } from 'node:zlib';
import { DeckFormatError } from '../errors.js';
import { decodeXmlBytes, parseXml, XmlSafetyError, type XmlElement } from './xml.js';

/** Limits on what one package may make us read. */
export const LIMITS = {
  /** Largest input file we open (bytes). */
  fileBytes: 1024 * 1024 * 1024,
  /** Most entries in the central directory (POI uses 1000 for its default; real decks reach a few hundred). */
  entries: 20_000,
  /** Largest single part we inflate (bytes); real slide XML stays under a few MiB. */
  partBytes: 16 * 1024 * 1024,
  /** Total bytes we inflate from one package (bytes), keeping peak memory far below 1 GiB. */
  totalBytes: 256 * 1024 * 1024,
  /**
   * Past `ratioGraceBytes`, a part inflating more than `maxRatio` times its compressed size is a bomb.
   * Real XML compresses 5–30:1; whitespace and repeated-element bombs reach 1000:1. Media can be
   * legitimately extreme (a 667:1 EMF exists), but media parts are never inflated by this tool.
   */
  maxRatio: 200,
  ratioGraceBytes: 2 * 1024 * 1024,
} as const;

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export class Package {
  private inflated = 0;
  private readonly xmlCache = new Map<string, Promise<XmlElement>>();
  private readonly lowerNames: Map<string, string>;
  private readonly byLowerName: Map<string, CentralEntry>;

  private constructor(
    readonly file: string,
    /** The package's bytes: unchanged parts are copied from them raw into the output. */
    private readonly bytes: Uint8Array,
    /** The central directory's entries, as stored and in its order. */
    readonly entries: readonly CentralEntry[],
  ) {
    this.byLowerName = new Map(entries.map((e) => [e.name.toLowerCase(), e]));
    this.lowerNames = new Map(this.names().map((n) => [n.toLowerCase(), n]));
  }

  // Open package bytes; every refusal is a DeckFormatError naming the file.
  static async open(file: string, bytes: Uint8Array): Promise<Package> {
    sniff(file, bytes);
    const entries = listCentralDirectory(file, bytes);
    checkEntryNames(
      file,
      entries.map((e) => e.name),
    );
    const pkg = new Package(file, bytes, entries);
    // Every entry's local header and data are checked now, so a damaged archive is refused at open
    // rather than at the first read of the damaged part.
    for (const entry of entries) if (!entry.name.endsWith('/')) pkg.rawEntry(entry.name);
    if (!pkg.has('[Content_Types].xml')) throw new DeckFormatError(file, 'not an Office package: no [Content_Types].xml');
    return pkg;
  }

  /** Part names (no folders), as stored. */
  names(): string[] {
    return this.entries.filter((e) => !e.name.endsWith('/')).map((e) => e.name);
  }

  /** Part lookup is case-insensitive, as OPC requires; returns the stored name. */
  resolve(name: string): string | undefined {
    return this.lowerNames.get(name.replace(/^\//, '').toLowerCase());
  }

  has(name: string): boolean {
    return this.resolve(name) !== undefined;
  }

  // Inflate one part within the per-part and total budgets.
  async readBytes(name: string): Promise<Uint8Array> {
    const stored = this.resolve(name);
    if (!stored) throw new DeckFormatError(this.file, 'part is missing', name);
    const { entry, data } = this.rawEntry(stored);
    // The most this part may inflate to, and the rule that sets it.
    const bounds: [number, string][] = [
      [LIMITS.partBytes, `inflates past the per-part limit of ${LIMITS.partBytes / 2 ** 20} MiB (zip bomb?)`],
      [LIMITS.totalBytes - this.inflated, `inflates past the total limit of ${LIMITS.totalBytes / 2 ** 20} MiB (zip bomb?)`],
      [Math.max(LIMITS.ratioGraceBytes, entry.compressedSize * LIMITS.maxRatio), `inflates more than ${LIMITS.maxRatio}:1 (zip bomb)`],
    ];
    const [limit, why] = bounds.reduce((a, b) => (b[0] < a[0] ? b : a));
    let bytes: Buffer;
    if (entry.method === 0) {
      if (data.length > limit) throw new DeckFormatError(this.file, why, name);
      bytes = Buffer.from(data);
    } else {
      try {
        bytes = inflateRawSync(data, { maxOutputLength: Math.max(1, limit) });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new DeckFormatError(this.file, why, name);
        throw new DeckFormatError(this.file, `cannot inflate (${shortZipMessage(error)})`, name);
      }
    }
    this.inflated += bytes.length;
    return bytes;
  }

  /**
   * A part's entry and its compressed bytes as stored (a view of the input, no copy), for a writer
   * that keeps the part unchanged. Its local header is checked against the central directory.
   */
  rawEntry(name: string): { entry: CentralEntry; data: Uint8Array } {
    const entry = this.byLowerName.get(name.replace(/^\//, '').toLowerCase());
    if (!entry) throw new DeckFormatError(this.file, 'part is missing', name);
    const view = Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    const at = entry.localOffset;
    if (at + 30 > view.length || view.readUInt32LE(at) !== 0x04034b50) {
      throw new DeckFormatError(this.file, 'not a readable zip archive (bad local header)', entry.name);
    }
    if (entry.flags & 0x0001) throw new DeckFormatError(this.file, 'not a readable zip archive (encrypted entry)', entry.name);
    if (entry.method !== 0 && entry.method !== 8) {
      throw new DeckFormatError(this.file, `not a readable zip archive (compression method ${entry.method} is not supported)`, entry.name);
    }
    const start = at + 30 + view.readUInt16LE(at + 26) + view.readUInt16LE(at + 28);
    if (start + entry.compressedSize > view.length)
      throw new DeckFormatError(this.file, 'not a readable zip archive (truncated entry)', entry.name);
    return { entry, data: view.subarray(start, start + entry.compressedSize) };
  }

  // A part's text; one that is not UTF-8 or UTF-16 is a DeckFormatError naming the part.
  async readText(name: string): Promise<string> {
    const bytes = await this.readBytes(name);
    try {
      return decodeXmlBytes(bytes);
    } catch (error) {
      if (error instanceof XmlSafetyError) throw new DeckFormatError(this.file, error.message, name);
      throw error;
    }
  }

  // Lets go of every parsed part (a part is parsed again if read again): a planned deck waiting for
  // its turn keeps only its zip, about an eighth of the memory of its parsed parts.
  forgetParsedXml(): void {
    this.xmlCache.clear();
  }

  // Parsed XML of a part, cached; malformed or unsafe XML is a DeckFormatError naming the part.
  readXml(name: string): Promise<XmlElement> {
    const key = this.resolve(name) ?? name;
    let cached = this.xmlCache.get(key);
    if (!cached) {
      cached = this.readText(key).then((text) => {
        try {
          return parseXml(text);
        } catch (error) {
          const why = error instanceof XmlSafetyError ? error.message : `malformed XML (${(error as Error).message.split('\n')[0]})`;
          throw new DeckFormatError(this.file, why, key);
        }
      });
      this.xmlCache.set(key, cached);
    }
    return cached;
  }
}

// Refuse encrypted, legacy and non-zip files by their first bytes, before unzipping.
function sniff(file: string, bytes: Uint8Array): void {
  if (bytes.length > LIMITS.fileBytes) throw new DeckFormatError(file, `larger than ${LIMITS.fileBytes / 2 ** 20} MiB`);
  if (bytes.length >= 8 && OLE_MAGIC.every((b, i) => bytes[i] === b)) {
    const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const has = (name: string) => body.includes(Buffer.from(name, 'utf16le'));
    if (has('EncryptionInfo') || has('EncryptedPackage')) {
      throw new DeckFormatError(
        file,
        'password-protected (encrypted) deck: remove the password in PowerPoint (File > Info > Protect Presentation) and try again',
      );
    }
    if (has('PowerPoint Document')) throw new DeckFormatError(file, 'legacy PowerPoint 97-2003 (.ppt) file: save it as .pptx first');
    throw new DeckFormatError(file, 'an OLE compound file, not a PowerPoint 2007+ (.pptx) deck');
  }
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
    throw new DeckFormatError(file, 'not a PowerPoint deck (not a zip archive)');
  }
}

// Entry names must be safe and unique (case-insensitively); the count is bounded.
function checkEntryNames(file: string, names: string[]): void {
  if (names.length > LIMITS.entries) throw new DeckFormatError(file, `too many zip entries (${names.length} > ${LIMITS.entries})`);
  const seen = new Set<string>();
  for (const raw of names) {
    if (/(^|\/)\.\.(\/|$)/.test(raw) || raw.startsWith('/') || raw.includes('\\') || raw.includes('\0') || /^[a-zA-Z]:/.test(raw)) {
      throw new DeckFormatError(file, `unsafe zip entry name ${JSON.stringify(raw)}`);
    }
    if (raw.endsWith('/')) continue;
    const key = raw.toLowerCase();
    if (seen.has(key)) throw new DeckFormatError(file, `duplicate zip entry ${JSON.stringify(raw)}`);
    seen.add(key);
  }
}

export interface CentralEntry {
  name: string;
  /** The name's bytes as stored, and whether flag bit 11 says they are UTF-8. */
  rawName: Buffer;
  utf8: boolean;
  /** General purpose bit flags (bit 0: encrypted). */
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  dosTime: number;
  dosDate: number;
  localOffset: number;
}

// Raw entries from the central directory, with names as stored, so the checks above see "../"
// names and duplicates that a zip library would merge or rewrite.
export function listCentralDirectory(file: string, bytes: Uint8Array): CentralEntry[] {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // End of central directory: signature 0x06054b50 within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = view.length - 22; i >= Math.max(0, view.length - 65_557); i--) {
    if (view.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new DeckFormatError(file, 'not a readable zip archive (truncated: no end of central directory)');
  let count = view.readUInt16LE(eocd + 10);
  let offset = view.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) {
    // Zip64: the locator sits just before the EOCD record.
    const loc = eocd - 20;
    if (loc < 0 || view.readUInt32LE(loc) !== 0x07064b50) throw new DeckFormatError(file, 'not a readable zip archive (bad zip64 locator)');
    const rec = Number(view.readBigUInt64LE(loc + 8));
    if (rec + 56 > view.length || view.readUInt32LE(rec) !== 0x06064b50)
      throw new DeckFormatError(file, 'not a readable zip archive (bad zip64 record)');
    count = Number(view.readBigUInt64LE(rec + 32));
    offset = Number(view.readBigUInt64LE(rec + 48));
  }
  if (count > LIMITS.entries) throw new DeckFormatError(file, `too many zip entries (${count} > ${LIMITS.entries})`);
  const entries: CentralEntry[] = [];
  let p = offset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > view.length || view.readUInt32LE(p) !== 0x02014b50) {
      throw new DeckFormatError(file, 'not a readable zip archive (truncated or corrupt central directory)');
    }
    const nameLen = view.readUInt16LE(p + 28);
    const extraLen = view.readUInt16LE(p + 30);
    const commentLen = view.readUInt16LE(p + 32);
    if (p + 46 + nameLen + extraLen > view.length)
      throw new DeckFormatError(file, 'not a readable zip archive (truncated central directory)');
    const rawName = view.subarray(p + 46, p + 46 + nameLen);
    const wide = [view.readUInt32LE(p + 24), view.readUInt32LE(p + 20), view.readUInt32LE(p + 42)];
    // Zip64: each field at 0xffffffff has its real value in the extra field, in this order.
    if (wide.includes(0xffffffff)) readZip64Extra(view.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen), wide);
    entries.push({
      name: rawName.toString('utf8'),
      rawName,
      utf8: (view.readUInt16LE(p + 8) & 0x0800) !== 0,
      flags: view.readUInt16LE(p + 8),
      method: view.readUInt16LE(p + 10),
      dosTime: view.readUInt16LE(p + 12),
      dosDate: view.readUInt16LE(p + 14),
      crc32: view.readUInt32LE(p + 16),
      size: wide[0]!,
      compressedSize: wide[1]!,
      localOffset: wide[2]!,
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

// Replaces the 0xffffffff values of `fields` (size, compressed size, offset) from a zip64 extra field.
function readZip64Extra(extra: Buffer, fields: number[]): void {
  for (let q = 0; q + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(q);
    const len = extra.readUInt16LE(q + 2);
    if (id === 0x0001) {
      let r = q + 4;
      for (let i = 0; i < fields.length; i++) {
        if (fields[i] !== 0xffffffff || r + 8 > q + 4 + len) continue;
        fields[i] = Number(extra.readBigUInt64LE(r));
        r += 8;
      }
      return;
    }
    q += 4 + len;
  }
}

function shortZipMessage(error: unknown): string {
  const msg = error instanceof Error ? error.message : String(error);
  return msg.split('\n')[0]!.replace(/\s+/g, ' ').slice(0, 160);
}
