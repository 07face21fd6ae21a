// The jszip 3 modules src/pptx/deflated-part.ts uses to hand jszip an entry it has already
// deflated: the same objects jszip builds for the entries of a zip it loads.
declare module 'jszip/lib/compressedObject.js' {
  export default class CompressedObject {
    constructor(compressedSize: number, uncompressedSize: number, crc32: number, compression: unknown, data: Uint8Array);
    compressedSize: number;
    uncompressedSize: number;
    crc32: number;
    compression: { uncompressWorker(): unknown };
    getCompressedWorker(): unknown;
    getContentWorker(): unknown;
  }
}

declare module 'jszip/lib/compressions.js' {
  const compressions: { STORE: { uncompressWorker(): unknown }; DEFLATE: { uncompressWorker(): unknown } };
  export default compressions;
}

declare module 'jszip/lib/crc32.js' {
  export default function crc32(input: Uint8Array, crc?: number): number;
}

/** jszip's worker that cuts a promised buffer into chunks; it starts reading only once resumed. */
declare module 'jszip/lib/stream/DataWorker.js' {
  export default class DataWorker {
    constructor(data: Promise<Uint8Array>);
    isPaused: boolean;
    resume(): boolean;
    error(e: unknown): boolean;
    withStreamInfo(key: string, value: unknown): this;
    pipe(next: unknown): unknown;
  }
}
