// A minimal zip writer for hostile test archives jszip will not produce: duplicate names,
// raw unsafe names, and one deflated payload reused by many entries (cheap zip bombs).
import { deflateRawSync } from 'node:zlib';

export interface RawEntry {
  name: string;
  data?: Buffer;
  /** Pre-deflated payload with its real size and CRC (for bombs). */
  deflated?: { bytes: Buffer; size: number; crc: number };
  /** Written as it is (method 0, store) instead of deflated. */
  stored?: boolean;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(buf: Buffer, crc = 0): number {
  let c = ~crc >>> 0;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** A deflated payload of `data` with its size and CRC, reusable by many entries. */
export function deflated(data: Buffer): { bytes: Buffer; size: number; crc: number } {
  return { bytes: deflateRawSync(data, { level: 9 }), size: data.length, crc: crc32(data) };
}

export function buildZip(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const method = e.stored ? 0 : 8;
    const payload = e.deflated ?? {
      bytes: e.stored ? (e.data ?? Buffer.alloc(0)) : deflateRawSync(e.data ?? Buffer.alloc(0)),
      size: (e.data ?? Buffer.alloc(0)).length,
      crc: crc32(e.data ?? Buffer.alloc(0)),
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8); // 8: DEFLATE, 0: store
    local.writeUInt32LE(payload.crc, 14);
    local.writeUInt32LE(payload.bytes.length, 18);
    local.writeUInt32LE(payload.size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(payload.crc, 16);
    central.writeUInt32LE(payload.bytes.length, 20);
    central.writeUInt32LE(payload.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, payload.bytes);
    centrals.push(central, name);
    offset += 30 + name.length + payload.bytes.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
