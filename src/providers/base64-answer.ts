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

export async function readBase64Answer(body: AsyncIterable<Uint8Array>, field: string): Promise<Base64Answer> {
  const key = Buffer.from(`"${field}"`);
  let state: 'head' | 'value' | 'tail' = 'head';
  let head = Buffer.alloc(0);
  let searchFrom = 0;
  const tail: Buffer[] = [];
  const decoder = createBase64Decoder();
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
  const envelope = head.toString('utf8') + '"' + Buffer.concat(tail).toString('utf8');
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
 * Decodes a JSON string's base64 content chunk by chunk. JSON escapes are undone (`\/` is the one
 * encoders really emit), characters outside the base64 alphabet are dropped (line breaks of MIME
 * base64), and whole 4-character groups are decoded as they complete.
 */
function createBase64Decoder() {
  const parts: Buffer[] = [];
  let pending = '';
  let carry = '';
  return {
    /** Takes the next bytes of the value; returns the offset of its closing quote in them, or -1. */
    push(bytes: Buffer): number {
      const s = carry + bytes.toString('latin1');
      carry = '';
      let text = '';
      let i = 0;
      let closing = -1;
      for (;;) {
        const quote = s.indexOf('"', i);
        const slash = s.indexOf('\\', i);
        if (slash >= 0 && (quote < 0 || slash < quote)) {
          text += s.slice(i, slash);
          const kind = s[slash + 1];
          const width = kind === 'u' ? 6 : 2;
          if (slash + width > s.length) {
            carry = s.slice(slash);
            break;
          }
          text += kind === 'u' ? String.fromCharCode(parseInt(s.slice(slash + 2, slash + 6), 16)) : kind === '/' ? '/' : '';
          i = slash + width;
          continue;
        }
        if (quote >= 0) {
          text += s.slice(i, quote);
          closing = quote - (s.length - bytes.length);
          break;
        }
        text += s.slice(i);
        break;
      }
      pending += text.replace(/[^A-Za-z0-9+/_-]/g, '');
      const whole = pending.length - (pending.length % 4);
      if (whole) {
        parts.push(Buffer.from(pending.slice(0, whole), 'base64'));
        pending = pending.slice(whole);
      }
      return closing;
    },
    end(): Buffer {
      if (pending) parts.push(Buffer.from(pending, 'base64'));
      pending = '';
      return Buffer.concat(parts);
    },
  };
}
