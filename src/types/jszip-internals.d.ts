// The three jszip 3 modules src/pptx/deflated-part.ts uses to hand jszip an entry it has already
// deflated: the same objects jszip builds for the entries of a zip it loads.
declare module 'jszip/lib/compressedObject.js' {
  export default class CompressedObject {
    constructor(compressedSize: number, uncompressedSize: number, crc32: number, compression: unknown, data: Uint8Array);
  }
}

declare module 'jszip/lib/compressions.js' {
  const compressions: { STORE: unknown; DEFLATE: unknown };
  export default compressions;
}

declare module 'jszip/lib/crc32.js' {
  export default function crc32(input: Uint8Array, crc?: number): number;
}
