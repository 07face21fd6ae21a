// A zip writer over a file handle, for entries whose compressed bytes we already have: parts copied
// raw from the input package, and parts deflated by Node's zlib (deflated-part.ts). Every entry's
// CRC-32 and sizes are known before its local header is written, so no data descriptors are needed;
// zip64 records are written when an offset, a size or the entry count no longer fits 32/16 bits.
// (Why our own: of the libraries read, fflate and zip-stream cannot take pre-compressed DEFLATE data
// or write no zip64, yazl takes no pre-deflated buffers; see the commit that added this file.)
import type { FileHandle } from 'node:fs/promises';

/** One entry, compressed already. */
export interface ZipEntry {
  /** The name's bytes as stored, or a string (then written as UTF-8, flag bit 11). */
  name: string | Buffer;
  /** Set when `name` is raw bytes that are UTF-8 (general purpose flag bit 11 of the input). */
  utf8?: boolean | undefined;
  /** 0 stored, 8 DEFLATE. */
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  /** MS-DOS time and date; now when unset. */
  dosTime?: number | undefined;
  dosDate?: number | undefined;
}

export interface ZipWriterOptions {
  /**
   * Zip64 even where 32 bits would do (tests, and readers' checks): true, extra fields on every entry and
   * the end records; 'end', the end records only (what a package of more than 65 535 small parts gets).
   */
  forceZip64?: boolean | 'end' | undefined;
}

const U32 = 0xffffffff;
const U16 = 0xffff;
const UTF8_FLAG = 0x0800;

interface Written {
  name: Buffer;
  flags: number;
  entry: ZipEntry;
  offset: number;
  zip64: boolean;
}

/** Appends entries to `handle` from `start`, then the central directory. Writes go out in call order. */
export class ZipWriter {
  private position: number;
  private readonly written: Written[] = [];
  private tail: Promise<void> = Promise.resolve();
  private failure: unknown;
  private finished = false;

  constructor(
    private readonly handle: FileHandle,
    private readonly options: ZipWriterOptions = {},
    start = 0,
  ) {
    this.position = start;
  }

  /** Entries added so far. */
  get count(): number {
    return this.written.length;
  }

  /**
   * Adds an entry with its compressed bytes. The entry's place in the file is taken now; the returned
   * promise settles when its bytes are written. A failed write fails every later call and finish().
   */
  add(entry: ZipEntry, data: Uint8Array): Promise<void> {
    if (this.finished) return Promise.reject(new Error('zip writer: add after finish'));
    if (data.length !== entry.compressedSize) {
      return Promise.reject(new Error(`zip writer: ${String(entry.name)} has ${data.length} bytes, not ${entry.compressedSize}`));
    }
    const name = typeof entry.name === 'string' ? Buffer.from(entry.name, 'utf8') : entry.name;
    const utf8 = typeof entry.name === 'string' ? /[^\x20-\x7e]/.test(entry.name) : !!entry.utf8;
    const zip64 = this.options.forceZip64 === true || entry.size >= U32 || entry.compressedSize >= U32;
    const record: Written = { name, flags: utf8 ? UTF8_FLAG : 0, entry, offset: this.position, zip64 };
    const header = localHeader(record);
    this.written.push(record);
    this.position += header.length + data.length;
    return this.write([header, data], record.offset);
  }

  /** Writes the central directory and end records; resolves with the file's length. */
  async finish(): Promise<number> {
    if (this.finished) throw new Error('zip writer: finished twice');
    this.finished = true;
    const start = this.position;
    const central = this.written.map(centralHeader);
    const size = central.reduce((n, b) => n + b.length, 0);
    const count = this.written.length;
    const zip64 = !!this.options.forceZip64 || count >= U16 || start >= U32 || size >= U32 || start + size >= U32;
    const end = [...(zip64 ? [zip64End(count, size, start), zip64Locator(start + size)] : []), endRecord(count, size, start, zip64)];
    this.position += size + end.reduce((n, b) => n + b.length, 0);
    await this.write([...central, ...end], start);
    return this.position;
  }

  private write(chunks: Uint8Array[], at: number): Promise<void> {
    const next = this.tail.then(async () => {
      if (this.failure !== undefined) throw this.failure;
      try {
        await writeAll(this.handle, chunks, at);
      } catch (error) {
        this.failure = error;
        throw error;
      }
    });
    // The chain goes on after a failure (each later write rethrows it); the caller sees its own.
    this.tail = next.catch(() => undefined);
    return next;
  }
}

async function writeAll(handle: FileHandle, chunks: Uint8Array[], at: number): Promise<void> {
  let position = at;
  let pending = chunks.filter((c) => c.length > 0);
  while (pending.length) {
    const { bytesWritten } = await handle.writev(pending as NodeJS.ArrayBufferView[], position);
    if (bytesWritten === 0) throw new Error('zip writer: the file takes no more bytes');
    position += bytesWritten;
    let skip = bytesWritten;
    const rest: Uint8Array[] = [];
    for (const c of pending) {
      if (skip >= c.length) skip -= c.length;
      else {
        rest.push(skip ? c.subarray(skip) : c);
        skip = 0;
      }
    }
    pending = rest;
  }
}

function versionNeeded(w: Written): number {
  return w.zip64 ? 45 : 20;
}

function dosDateTime(entry: ZipEntry): { time: number; date: number } {
  if (entry.dosTime !== undefined && entry.dosDate !== undefined) return { time: entry.dosTime, date: entry.dosDate };
  const d = new Date();
  const time = (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1);
  const date = ((Math.max(1980, d.getFullYear()) - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate();
  return { time, date };
}

function localHeader(w: Written): Buffer {
  const { entry } = w;
  const extra = w.zip64 ? zip64Extra([entry.size, entry.compressedSize]) : Buffer.alloc(0);
  const b = Buffer.alloc(30 + w.name.length + extra.length);
  const { time, date } = dosDateTime(entry);
  b.writeUInt32LE(0x04034b50, 0);
  b.writeUInt16LE(versionNeeded(w), 4);
  b.writeUInt16LE(w.flags, 6);
  b.writeUInt16LE(entry.method, 8);
  b.writeUInt16LE(time, 10);
  b.writeUInt16LE(date, 12);
  b.writeUInt32LE(entry.crc32 >>> 0, 14);
  b.writeUInt32LE(w.zip64 ? U32 : entry.compressedSize, 18);
  b.writeUInt32LE(w.zip64 ? U32 : entry.size, 22);
  b.writeUInt16LE(w.name.length, 26);
  b.writeUInt16LE(extra.length, 28);
  w.name.copy(b, 30);
  extra.copy(b, 30 + w.name.length);
  return b;
}

function centralHeader(w: Written): Buffer {
  const { entry } = w;
  const force = w.zip64;
  const big = (n: number) => force || n >= U32;
  // Zip64 extra: only the fields whose 32-bit slot holds 0xffffffff, in this order (APPNOTE 4.5.3).
  const fields = [entry.size, entry.compressedSize, w.offset].filter(big);
  const extra = fields.length ? zip64Extra(fields) : Buffer.alloc(0);
  const b = Buffer.alloc(46 + w.name.length + extra.length);
  const { time, date } = dosDateTime(entry);
  b.writeUInt32LE(0x02014b50, 0);
  b.writeUInt16LE(fields.length ? 45 : versionNeeded(w), 4); // made by: MS-DOS, spec version
  b.writeUInt16LE(fields.length ? 45 : versionNeeded(w), 6);
  b.writeUInt16LE(w.flags, 8);
  b.writeUInt16LE(entry.method, 10);
  b.writeUInt16LE(time, 12);
  b.writeUInt16LE(date, 14);
  b.writeUInt32LE(entry.crc32 >>> 0, 16);
  b.writeUInt32LE(big(entry.compressedSize) ? U32 : entry.compressedSize, 20);
  b.writeUInt32LE(big(entry.size) ? U32 : entry.size, 24);
  b.writeUInt16LE(w.name.length, 28);
  b.writeUInt16LE(extra.length, 30);
  // comment length, disk number, internal and external attributes: 0
  b.writeUInt32LE(big(w.offset) ? U32 : w.offset, 42);
  w.name.copy(b, 46);
  extra.copy(b, 46 + w.name.length);
  return b;
}

function zip64Extra(values: number[]): Buffer {
  const b = Buffer.alloc(4 + 8 * values.length);
  b.writeUInt16LE(0x0001, 0);
  b.writeUInt16LE(8 * values.length, 2);
  values.forEach((v, i) => {
    b.writeBigUInt64LE(BigInt(v), 4 + 8 * i);
  });
  return b;
}

function zip64End(count: number, size: number, offset: number): Buffer {
  const b = Buffer.alloc(56);
  b.writeUInt32LE(0x06064b50, 0);
  b.writeBigUInt64LE(44n, 4); // size of the rest of this record
  b.writeUInt16LE(45, 12);
  b.writeUInt16LE(45, 14);
  // this disk, the directory's disk: 0
  b.writeBigUInt64LE(BigInt(count), 24);
  b.writeBigUInt64LE(BigInt(count), 32);
  b.writeBigUInt64LE(BigInt(size), 40);
  b.writeBigUInt64LE(BigInt(offset), 48);
  return b;
}

function zip64Locator(recordOffset: number): Buffer {
  const b = Buffer.alloc(20);
  b.writeUInt32LE(0x07064b50, 0);
  b.writeBigUInt64LE(BigInt(recordOffset), 8);
  b.writeUInt32LE(1, 16); // total disks
  return b;
}

function endRecord(count: number, size: number, offset: number, zip64: boolean): Buffer {
  const b = Buffer.alloc(22);
  b.writeUInt32LE(0x06054b50, 0);
  b.writeUInt16LE(zip64 ? U16 : count, 8);
  b.writeUInt16LE(zip64 ? U16 : count, 10);
  b.writeUInt32LE(zip64 ? U32 : size, 12);
  b.writeUInt32LE(zip64 ? U32 : offset, 16);
  return b;
}
