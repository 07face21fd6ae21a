// Hostile text in decks and file names: parts in a legacy encoding are refused, and nothing a deck,
// a file name or a server says can drive the terminal (escape sequences, forged lines, bidi reordering).
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { listFiles } from '../helpers/deck-tree.js';
import { tempDir } from '../helpers/paths.js';
import { DEFAULT_MODELS, DEFAULT_PRODUCTS } from '../helpers/fake-api-data.js';
import { fakeApi, infomaniakEnv } from '../helpers/provider-setup.js';
import { runCli } from '../helpers/run-cli.js';

/** What must never reach a terminal raw: C0 but newline, DEL, C1, bidi embeddings, overrides and isolates. */
const RAW_CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

/** A copy of `deck` whose slide `n` has `from` replaced by `to` (raw XML text, written as UTF-8). */
async function deckWith(deck: string, n: number, from: string, to: string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(await readFile(deck));
  const part = `ppt/slides/slide${n}.xml`;
  const xml = await zip.file(part)!.async('string');
  expect(xml).toContain(from);
  zip.file(part, xml.replace(from, to));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

const TITLE = 'Open the call with a clear purpose';

describe('a part in a legacy encoding', () => {
  it('is refused with exit 2 and one line naming the deck and the part; nothing is written, the input is unchanged', async () => {
    const cwd = await tempDir();
    const zip = await JSZip.loadAsync(await readFile(fixtures.bullets));
    const xml = await zip.file('ppt/slides/slide1.xml')!.async('string');
    // What a Latin-1 tool writes: the declaration says so, "é" is the single byte 0xE9.
    zip.file(
      'ppt/slides/slide1.xml',
      Buffer.from(xml.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace(TITLE, 'Sécurité'), 'latin1'),
    );
    const input = path.join(cwd, 'latin1.pptx');
    const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    await writeFile(input, bytes);
    const r = await runCli(['latin1.pptx'], { cwd });
    expect(r.code).toBe(2);
    const message = (r.stdout + r.stderr).trim();
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toContain('latin1.pptx:ppt/slides/slide1.xml: declares encoding "ISO-8859-1"; OOXML parts must be UTF-8 or UTF-16');
    expect(message).not.toMatch(/\n\s+at /);
    expect(await listFiles(cwd)).toEqual(['latin1.pptx']);
    expect((await readFile(input)).equals(bytes)).toBe(true);
  });
});

describe('no control character reaches a prompt or the written deck', () => {
  it('escaped and raw controls in slide text are dropped before the LLM sees them and from the alt text', async () => {
    const api = await fakeApi({ chatReply: () => 'A calm \u001b[2Jharbour\u0007 at dawn\u0000, \uD800soft light' });
    const cwd = await tempDir();
    await writeFile(
      path.join(cwd, 'deck.pptx'),
      await deckWith(fixtures.bullets, 1, TITLE, 'Open&#1; the _x001B_]0;pwned_x0007_call\u0001 with&#x1B;[2J purpose'),
    );
    const r = await runCli(['deck.pptx', '--yes'], { cwd, env: infomaniakEnv(api) });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const users = api.stats.chatBodies.map((b) => JSON.stringify(b));
    const slide1 = users.find((u) => u.includes('Open'));
    expect(slide1).toBeDefined();
    // JSON.stringify shows a control character as \u00XX: none is in what was sent.
    for (const u of users) expect(u).not.toMatch(/\\u00[01][0-9a-f]|\\ud8/i);
    expect(slide1).toContain('Open\uFFFD the ]0;pwnedcall with\uFFFD[2J purpose');
    const out = await JSZip.loadAsync(await readFile(path.join(cwd, 'output/deck.pptx')));
    const slideXml = await out.file('ppt/slides/slide1.xml')!.async('string');
    const descr = /descr="([^"]*)"/.exec(slideXml)![1]!;
    expect(descr).toContain('A calm [2Jharbour at dawn, soft light');
    expect(descr).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]|[\uD800-\uDFFF]/);
  });
});

describe('terminal injection', () => {
  // ESC cannot survive XML (dropped, or U+FFFD); C1 CSI, DEL and a right-to-left override can.
  const hostileTitle = 'Evil\u009b2J title\u007f \u202eesrever';

  async function hostileFolder(): Promise<string> {
    const cwd = await tempDir();
    await writeFile(
      path.join(cwd, 'title.pptx'),
      await deckWith(fixtures.bullets, 1, TITLE, `Evil&#x1B;]0;pwned&#7;\u001b[2J ${hostileTitle}`),
    );
    // File names may hold any byte but "/" and NUL.
    await copyFile(fixtures.fourThree, path.join(cwd, 'name\u001b]0;pwned\u0007\u001b[2J.pptx'));
    await copyFile(fixtures.fourThree, path.join(cwd, 'x\n✓ fake ok.pptx'));
    return cwd;
  }

  function expectPrintable(r: { stdout: string; stderr: string }): string[] {
    const all = r.stdout + r.stderr;
    expect(all).not.toMatch(RAW_CONTROL);
    const lines = all.split('\n');
    expect(lines.filter((l) => l.startsWith('✓ fake ok'))).toEqual([]);
    return lines;
  }

  it('--dry-run: titles, prompts and file names are shown escaped', async () => {
    const cwd = await hostileFolder();
    const r = await runCli(['.', '--dry-run', '--verbose'], { cwd });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const lines = expectPrintable(r);
    expect(lines).toContain(
      'name\\u001b]0;pwned\\u0007\\u001b[2J.pptx → output/name\\u001b]0;pwned\\u0007\\u001b[2J.pptx (not written: dry run)',
    );
    expect(lines).toContain('x\\n✓ fake ok.pptx → output/x\\n✓ fake ok.pptx (not written: dry run)');
    expect(lines.find((l) => l.startsWith('  slide 1 "Evil'))).toMatch(
      /^ {2}slide 1 "Evil\uFFFD\]0;pwned\uFFFD\[2J Evil\\u009b2J title\\u007f \\u202eesrever": free area/,
    );
    expect(lines.filter((l) => l.startsWith('✓ title.pptx slide 1: prompt written'))).toHaveLength(1);
  });

  it('a real run: per-slide lines, deck lines and totals are escaped', async () => {
    const cwd = await hostileFolder();
    const r = await runCli(['.', '--verbose'], { cwd });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const lines = expectPrintable(r);
    expect(lines.some((l) => /^✓ x\\n✓ fake ok\.pptx → output\/x\\n✓ fake ok\.pptx: 2 illustrated/.test(l))).toBe(true);
    expect(
      lines.some((l) =>
        l.startsWith('✓ name\\u001b]0;pwned\\u0007\\u001b[2J.pptx → output/name\\u001b]0;pwned\\u0007\\u001b[2J.pptx: 2 illustrated'),
      ),
    ).toBe(true);
    // The decks were written under their real names.
    expect(existsSync(path.join(cwd, 'output', 'x\n✓ fake ok.pptx'))).toBe(true);
  });

  it('one deck: its summary, and its refusal through the error boundary, are escaped', async () => {
    const cwd = await hostileFolder();
    const ok = await runCli(['x\n✓ fake ok.pptx'], { cwd });
    expect(ok.code).toBe(0);
    expect(expectPrintable(ok)[0]).toMatch(/^x\\n✓ fake ok\.pptx: 2 slides read, 2 illustrated/);
    const missing = await runCli(['gone\u001b[2J\n✓ fake ok.pptx'], { cwd });
    expect(missing.code).toBe(2);
    expectPrintable(missing);
    expect((missing.stdout + missing.stderr).trim()).toMatch(/gone\\u001b\[2J\\n✓ fake ok\.pptx: no such file$/);
    // A usage error through the error boundary; --debug adds the stack, whose message line is escaped too.
    await mkdir(path.join(cwd, 'empty\n✓ fake ok'));
    const debug = await runCli(['empty\n✓ fake ok', '--debug'], { cwd });
    expect(debug.code).toBe(2);
    expectPrintable(debug);
    expect(debug.stderr).toContain('slide-illustrate: no decks found in empty\\n✓ fake ok (looked for');
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it('on a terminal: the live display keeps its own cursor codes, the names in it are escaped', async () => {
    const cwd = await hostileFolder();
    const r = await runCli(['.', '--dry-run'], { cwd, terminal: { columns: 200 } });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const all = r.stdout + r.stderr;
    // log-update's sequences are CSI cursor moves and erases; no OSC (title), no screen clear, no C1.
    expect(all).toContain('\u001b[');
    expect(all).not.toContain('\u001b]');
    expect(all).not.toContain('\u001b[2J');
    expect(all.replace(/\u001b\[[?\d;]*[A-Za-z]/g, '')).not.toMatch(RAW_CONTROL);
    expect(all).toContain('name\\u001b]0;pwned\\u0007\\u001b[2J.pptx');
  });

  it('--json stays valid JSON carrying the real names and titles, with no raw control character', async () => {
    const cwd = await hostileFolder();
    const r = await runCli(['.', '--dry-run', '--json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    const json = JSON.parse(r.stdout) as { decks: { input: string; slides: { title: string }[] }[] };
    expect(json.decks.map((d) => path.basename(d.input)).sort()).toEqual(
      ['name\u001b]0;pwned\u0007\u001b[2J.pptx', 'title.pptx', 'x\n✓ fake ok.pptx'].sort(),
    );
    const titled = json.decks.find((d) => d.input.endsWith('title.pptx'))!;
    expect(titled.slides[0]!.title).toBe(`Evil\uFFFD]0;pwned\uFFFD[2J ${hostileTitle}`);
  });

  it('server text: model names and descriptions in `models`, product names in a `doctor` refusal', async () => {
    const models = DEFAULT_MODELS.map((m) =>
      m.name === 'flux' ? { ...m, description: 'Flux\u001b]0;pwned\u0007 \u202eschnell\n✓ fake ok' } : m,
    );
    const products = [
      ...DEFAULT_PRODUCTS,
      { product_id: 777, product_name: 'Evil\u001b[2J', account_name: 'Acme\n✓ fake ok', status: 'ok' },
    ];
    const api = await fakeApi({ models, products });
    const listed = await runCli(['models'], { env: infomaniakEnv(api), http: { sleep: async () => undefined } });
    expect(listed.code).toBe(0);
    expectPrintable(listed);
    expect(listed.stdout).toMatch(/ {2}flux +Flux\\u001b\]0;pwned\\u0007 \\u202eschnell\\n✓ fake ok \[ready\]\n/);
    const doctor = await runCli(['doctor'], { env: infomaniakEnv(api), http: { sleep: async () => undefined } });
    expect(doctor.code).toBe(2);
    expectPrintable(doctor);
    expect(doctor.stderr).toContain('777 (Evil\\u001b[2J, Acme\\n✓ fake ok)');
  });
});
