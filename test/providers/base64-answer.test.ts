import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { readBase64Answer, restoreField } from '../../src/providers/base64-answer.js';

async function* chunks(text: string, cuts: number[]): AsyncIterable<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    yield new Uint8Array(bytes.subarray(at, cut));
    at = cut;
  }
}

// The answer read the streaming way, its field restored: what validate() gets.
async function read(text: string, cuts: number[] = []) {
  const answer = await readBase64Answer(chunks(text, cuts), 'b64_json');
  const json = JSON.parse(answer.envelope) as { data: { b64_json: unknown }[] };
  if (answer.data) restoreField(json, 'b64_json', answer.data);
  return { answer, json };
}

const image = randomBytes(1000);
const b64 = image.toString('base64');

describe('readBase64Answer', () => {
  test('decodes the field wherever the chunks are cut, and keeps the rest of the answer', async () => {
    const text = `{"created": 1, "data": [{"revised_prompt": "a \\"b64_json\\": trap", "b64_json" : "${b64}", "n": "é"}]}`;
    for (let cut = 1; cut < text.length; cut += 7) {
      for (const second of [cut + 1, cut + 3, cut + 64]) {
        const { answer, json } = await read(text, second < text.length ? [cut, second] : [cut]);
        expect(answer.truncated).toBe(false);
        expect((json.data[0]!.b64_json as Buffer).equals(image)).toBe(true);
        expect(json).toMatchObject({ created: 1, data: [{ revised_prompt: 'a "b64_json": trap', n: 'é' }] });
      }
    }
  });

  test('undoes JSON escapes and drops line breaks inside the value', async () => {
    // MIME-style lines of 76, then JSON escapes: \/ for every slash, \n, one \u002b for a plus.
    const escaped = b64
      .replace(/(.{76})/g, '$1\n')
      .replaceAll('/', '\\/')
      .replaceAll('\n', '\\n')
      .replace('+', '\\u002b');
    expect(escaped).toContain('\\/');
    for (const cut of [0, 10, 30, 31, 32, 33, 200]) {
      const { json } = await read(`{"data":[{"b64_json":"${escaped}"}]}`, cut ? [cut] : []);
      expect((json.data[0]!.b64_json as Buffer).equals(image)).toBe(true);
    }
  });

  test('a picture-sized value in 64 KB chunks decodes whole, escaped or not', async () => {
    const big = randomBytes(1_300_000);
    const plain = big.toString('base64');
    for (const value of [plain, plain.replaceAll('/', '\\/')]) {
      const text = `{"created":1,"data":[{"b64_json":"${value}","revised_prompt":""}]}`;
      const cuts = Array.from({ length: Math.floor(text.length / 65_536) }, (_, k) => (k + 1) * 65_536 + 3);
      const { answer, json } = await read(text, cuts);
      expect(answer.truncated).toBe(false);
      expect((json.data[0]!.b64_json as Buffer).equals(big)).toBe(true);
      // Sized from the answer's length (Content-Length), as http.ts does: the same bytes.
      const hinted = await readBase64Answer(chunks(text, cuts), 'b64_json', Buffer.byteLength(text));
      expect(hinted.data!.equals(big)).toBe(true);
    }
  });

  test('an answer without the field is the envelope, whole', async () => {
    const text = '{"data":[{"url":"https://example.test/x.png"}]}';
    const { answer } = await read(text, [5, 20]);
    expect(answer).toEqual({ envelope: text, data: undefined, truncated: false });
    const notString = '{"data":[{"b64_json":null}]}';
    expect((await read(notString, [12])).answer).toEqual({ envelope: notString, data: undefined, truncated: false });
  });

  test('an answer cut inside the value is reported truncated', async () => {
    const answer = await readBase64Answer(chunks(`{"data":[{"b64_json":"${b64.slice(0, 500)}`, [100]), 'b64_json');
    expect(answer.truncated).toBe(true);
  });
});
