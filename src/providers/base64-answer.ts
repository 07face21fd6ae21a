// Reads a JSON answer that carries one large base64 string (an image's b64_json) and decodes that
// string as the body streams in. An image answer is ~3.6 MB of base64: read as text and parsed, it
// is held four times over (bytes, their concatenation, the text, the parsed string) and scanned
// twice on the main thread; here only 64 KB chunks and the decoded bytes ever exist.
//
// The rest of the answer (the "envelope") is kept as text with the field's value emptied, so the
// caller parses it as usual and finds the field's bytes beside it. Anything unexpected falls back
// to the plain path: no such field means the whole body is the envelope.

export interface Base64Answer {
  /** The answer's JSON with the field's value emptied (""), or the whole answer when it has no such field. */
  envelope: string;
  /** The field's decoded bytes; undefined when the answer has no such string field. */
  data: Buffer | undefined;
  /** The body ended inside the field's value (a cut answer). */
  truncated: boolean;
}

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const COLON = 0x3a;

export async function readBase64Answer(body: AsyncIterable<Uint8Array>, field: string, sizeHint?: number): Promise<Base64Answer> {
  const key = Buffer.from(`"${field}"`);
  let state: 'head' | 'value' | 'tail' = 'head';
  let head = Buffer.alloc(0);
  let searchFrom = 0;
  const tail: Buffer[] = [];
  const decoder = new Base64Decoder(sizeHint);
  for await (const chunk of body) {
    let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (state === 'head') {
      head = head.length ? Buffer.concat([head, bytes]) : Buffer.from(bytes);
      const found = findStringValue(head, key, searchFrom);
      if (found.start < 0) {
        searchFrom = found.resumeAt;
        continue;
      }
      bytes = head.subarray(found.start);
      head = head.subarray(0, found.start);
      state = 'value';
    }
    if (state === 'value') {
      const end = decoder.push(bytes);
      if (end < 0) continue;
      bytes = bytes.subarray(end + 1);
      state = 'tail';
    }
    tail.push(Buffer.from(bytes));
  }
  if (state === 'head') return { envelope: head.toString('utf8'), data: undefined, truncated: false };
  const envelope = `${head.toString('utf8')}"${Buffer.concat(tail).toString('utf8')}`;
  return { envelope, data: decoder.end(), truncated: state === 'value' };
}

// Puts `data` where the envelope holds the emptied field: the first `field: ""` found depth-first.
export function restoreField(json: unknown, field: string, data: Buffer): boolean {
  if (typeof json !== 'object' || json === null) return false;
  const record = json as Record<string, unknown>;
  if (record[field] === '') {
    record[field] = data;
    return true;
  }
  return Object.values(record).some((value) => restoreField(value, field, data));
}

// --- internal ---

// Where the string value of `key` starts (just past its opening quote), or where to search again
// once more bytes have come. A key is a quoted name not preceded by a backslash and followed by ':';
// inside a JSON string the name's quotes would be escaped.
function findStringValue(buf: Buffer, key: Buffer, from: number): { start: number; resumeAt: number } {
  for (let k = buf.indexOf(key, from); k >= 0; k = buf.indexOf(key, k + 1)) {
    if (k > 0 && buf[k - 1] === BACKSLASH) continue;
    let j = skipSpace(buf, k + key.length);
    if (j >= buf.length) return { start: -1, resumeAt: k };
    if (buf[j] !== COLON) continue;
    j = skipSpace(buf, j + 1);
    if (j >= buf.length) return { start: -1, resumeAt: k };
    // A key whose value is not a string (null, a number) is not one we can stream.
    if (buf[j] !== QUOTE) return { start: -1, resumeAt: buf.length };
    return { start: j + 1, resumeAt: k };
  }
  return { start: -1, resumeAt: Math.max(0, buf.length - key.length) };
}

function skipSpace(buf: Buffer, i: number): number {
  while (i < buf.length && (buf[i] === 0x20 || buf[i] === 0x0a || buf[i] === 0x0d || buf[i] === 0x09)) i++;
  return i;
}

/**
 * Clean base64 gathered before it is decoded in one native call. Small enough that the latin1
 * string each batch needs is a young object a scavenge frees: strings past ~128 KB go to V8's
 * large-object space, and 3.6 MB of them per picture made the old generation collect (mark-compact,
 * 10-20 ms on the main thread) every other picture. @unit bytes
 */
const BATCH_BYTES = 64 * 1024;
const BASE64_ALPHABET = /^[A-Za-z0-9+/=_-]$/;

/**
 * Decodes a JSON string's base64 content chunk by chunk. Runs of plain bytes are copied as they
 * are (native indexOf and copy: no per-character JavaScript); JSON escapes are undone (`\/` is the
 * one encoders really emit; `\n` of MIME line breaks is dropped), and the gathered base64 is
 * decoded in batches of whole 4-character groups. A class rather than closures made per answer:
 * V8 optimized those closures again for every answer.
 */
class Base64Decoder {
  // Decoded bytes go straight into one buffer sized from the answer's length (3 bytes per 4
  // characters), grown if the hint was short: no pieces to concatenate at the end.
  private out: Buffer;
  private written = 0;
  /** Fewer than 4 base64 characters not decoded yet (a group cut between chunks or escapes). */
  private acc = Buffer.allocUnsafe(4);
  private length = 0;
  private carry: Buffer | undefined;

  constructor(sizeHint = 0) {
    this.out = Buffer.allocUnsafe(Math.ceil((sizeHint * 3) / 4) + 3);
  }

  /** Takes the next bytes of the value; returns the offset of its closing quote in them, or -1. */
  push(bytes: Buffer): number {
    const carried = this.carry?.length ?? 0;
    const b = this.carry ? Buffer.concat([this.carry, bytes]) : bytes;
    this.carry = undefined;
    let i = 0;
    let quote = b.indexOf(QUOTE, i);
    for (;;) {
      const slash = b.indexOf(BACKSLASH, i);
      if (slash < 0 || (quote >= 0 && quote < slash)) break;
      this.put(b, i, slash);
      const kind = b[slash + 1];
      const width = kind === 0x75 /* u */ ? 6 : 2;
      if (slash + width > b.length) {
        this.carry = Buffer.from(b.subarray(slash));
        return -1;
      }
      if (kind === 0x75) this.putChar(String.fromCharCode(parseInt(b.toString('latin1', slash + 2, slash + 6), 16)));
      else if (kind === 0x2f /* / */) this.putChar('/');
      i = slash + width;
      // An escaped quote (\") is not the end: look for the next one.
      if (quote >= 0 && quote < i) quote = b.indexOf(QUOTE, i);
    }
    if (quote >= 0) {
      this.put(b, i, quote);
      return quote - carried;
    }
    this.put(b, i, b.length);
    return -1;
  }

  end(): Buffer {
    this.decode(true);
    return this.out.subarray(0, this.written);
  }

  // Decodes what `acc` holds (all of it at the end; else whole 4-character groups).
  private decode(all: boolean): void {
    const n = all ? this.length : this.length - (this.length % 4);
    if (!n) return;
    this.write(this.acc, 0, n);
    this.acc.copy(this.acc, 0, n, this.length);
    this.length -= n;
  }

  // Decodes base64 characters src[from, to) into `out`, growing it if the size hint was short.
  private write(src: Buffer, from: number, to: number): void {
    const need = this.written + Math.ceil((to - from) / 4) * 3;
    if (need > this.out.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, this.out.length * 2));
      this.out.copy(bigger, 0, 0, this.written);
      this.out = bigger;
    }
    this.written += this.out.write(src.toString('latin1', from, to), this.written, 'base64');
  }

  // Takes base64 characters src[from, to): completes the group `acc` holds, decodes whole groups
  // straight from `src` (each 3.6 MB answer is not copied once more into `acc`), keeps the rest.
  private put(src: Buffer, from: number, to: number): void {
    if (to <= from) return;
    if (this.length) {
      const fill = Math.min(to - from, (4 - (this.length % 4)) % 4);
      this.length += src.copy(this.acc, this.length, from, from + fill);
      from += fill;
      if (this.length % 4) return;
      this.decode(true);
    }
    for (let end = from + ((to - from) & ~3); from < end; ) {
      const batch = Math.min(end, from + BATCH_BYTES);
      this.write(src, from, batch);
      from = batch;
    }
    this.length += src.copy(this.acc, this.length, from, to);
  }

  private putChar(ch: string): void {
    if (BASE64_ALPHABET.test(ch)) this.put(Buffer.from(ch, 'latin1'), 0, 1);
  }
}
