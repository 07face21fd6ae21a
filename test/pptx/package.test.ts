// Hostile and broken inputs are refused with a clear one-line reason naming the file.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../fixtures/index.js';
import { DeckFormatError } from '../../src/errors.js';
import { LIMITS, Package } from '../../src/pptx/package.js';
import { readPresentation } from '../../src/pptx/read-presentation.js';
import { corpusDir, repoRoot, requireCorpus, tempDir } from '../helpers/paths.js';
import { buildZip, deflated, type RawEntry } from '../helpers/raw-zip.js';

const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ole = (...streams: string[]) =>
  Buffer.concat([OLE, Buffer.alloc(504), ...streams.map((s) => Buffer.from(s, 'utf16le')), Buffer.alloc(512)]);

async function refusal(bytes: Uint8Array, file = 'hostile.pptx'): Promise<DeckFormatError> {
  const error = await readPresentation(file, bytes).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeckFormatError);
  const e = error as DeckFormatError;
  expect(e.message.startsWith(file)).toBe(true);
  expect(e.message).not.toContain('\n');
  return e;
}

async function demoWith(edit: (zip: JSZip) => void | Promise<void>): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(await readFile(fixtures.demo));
  await edit(zip);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

async function demoEntries(): Promise<RawEntry[]> {
  const zip = await JSZip.loadAsync(await readFile(fixtures.demo));
  return Promise.all(
    Object.values(zip.files)
      .filter((f) => !f.dir)
      .map(async (f) => ({ name: f.name, data: await f.async('nodebuffer') })),
  );
}

describe('refusing bad and hostile decks', () => {
  it('password-protected (OLE container with EncryptionInfo)', async () => {
    expect((await refusal(ole('EncryptionInfo', 'EncryptedPackage'))).reason).toMatch(/password-protected/);
  });
  it('legacy PowerPoint 97-2003', async () => {
    expect((await refusal(ole('PowerPoint Document', 'Current User'))).reason).toMatch(/legacy .*\.ppt/);
  });
  it('another OLE file', async () => {
    expect((await refusal(ole('WordDocument'))).reason).toMatch(/OLE compound file/);
  });
  it('not a zip at all', async () => {
    expect((await refusal(Buffer.from('just some text, not a deck'))).reason).toMatch(/not a zip/);
  });
  it('a truncated zip', async () => {
    const bytes = await readFile(fixtures.demo);
    expect((await refusal(bytes.subarray(0, Math.floor(bytes.length * 0.6)))).reason).toMatch(/not a readable zip archive/);
  });
  it('a zip without [Content_Types].xml', async () => {
    expect((await refusal(buildZip([{ name: 'hello.txt', data: Buffer.from('hi') }]))).reason).toMatch(/no \[Content_Types\]\.xml/);
  });
  it('a package with no presentation part', async () => {
    const bytes = await demoWith((zip) => {
      zip.file('_rels/.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>');
    });
    expect((await refusal(bytes)).reason).toMatch(/no presentation part/);
  });
  it('a presentation part that is missing', async () => {
    const bytes = await demoWith((zip) => void zip.remove('ppt/presentation.xml'));
    expect((await refusal(bytes)).reason).toMatch(/no presentation part: ppt\/presentation\.xml is missing/);
  });
  it('a Word document is not a deck', async () => {
    const bytes = await demoWith(async (zip) => {
      const types = await zip.file('[Content_Types].xml')!.async('string');
      zip.file(
        '[Content_Types].xml',
        types.replace(
          /application\/vnd\.openxmlformats-officedocument\.presentationml\.presentation\.main\+xml/,
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
        ),
      );
    });
    expect((await refusal(bytes)).reason).toMatch(/not a PowerPoint deck/);
  });
  it('malformed slide XML, naming the part', async () => {
    const bytes = await demoWith((zip) => void zip.file('ppt/slides/slide2.xml', '<p:sld><p:cSld></p:sld>'));
    const e = await refusal(bytes);
    expect(e.part).toBe('ppt/slides/slide2.xml');
    expect(e.reason).toMatch(/malformed XML/);
  });
  it('a slide in a legacy encoding (ISO-8859-1, Shift_JIS) or with invalid UTF-8, naming the part', async () => {
    const demo = await JSZip.loadAsync(await readFile(fixtures.demo));
    const utf8 = await demo.file('ppt/slides/slide2.xml')!.async('string');
    const declared = (enc: string) => utf8.replace(/encoding="UTF-8"/, `encoding="${enc}"`);
    expect(declared('X')).not.toBe(utf8);
    const cases: [string, Buffer, RegExp][] = [
      [
        'ppt/slides/slide2.xml',
        Buffer.from(declared('ISO-8859-1').replace('</a:t>', 'é</a:t>'), 'latin1'),
        /declares encoding "ISO-8859-1"/,
      ],
      ['ppt/slides/slide2.xml', Buffer.from(declared('Shift_JIS')), /declares encoding "Shift_JIS"/],
      ['ppt/slides/slide2.xml', Buffer.from(utf8.replace('</a:t>', 'é</a:t>'), 'latin1'), /not valid UTF-8 text/],
      [
        '[Content_Types].xml',
        Buffer.from((await demo.file('[Content_Types].xml')!.async('string')).replace(/encoding="UTF-8"/, 'encoding="windows-1252"')),
        /declares encoding "windows-1252"/,
      ],
    ];
    for (const [part, bytes, reason] of cases) {
      const e = await refusal(await demoWith((zip) => void zip.file(part, bytes)));
      expect(e.part).toBe(part);
      expect(e.reason).toMatch(reason);
      expect(e.reason).toMatch(/OOXML parts must be UTF-8 or UTF-16/);
    }
  });
  it('a slide in UTF-16 with a BOM is still read, accents intact', async () => {
    const bytes = await demoWith(async (zip) => {
      const xml = (await zip.file('ppt/slides/slide1.xml')!.async('string')).replace(/encoding="UTF-8"/, 'encoding="UTF-16"');
      zip.file('ppt/slides/slide1.xml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]));
    });
    const [plain, utf16] = [await readPresentation('demo.pptx', await readFile(fixtures.demo)), await readPresentation('demo.pptx', bytes)];
    expect(utf16.slides[0]!.text).toEqual(plain.slides[0]!.text);
    expect(utf16.slides[0]!.text.title).not.toBe('');
  });
  it('DOCTYPE and entity declarations (billion laughs)', async () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE p:sld [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><p:sld xmlns:p="x"><p:cSld><p:spTree/></p:cSld></p:sld>';
    const e = await refusal(await demoWith((zip) => void zip.file('ppt/slides/slide1.xml', bomb)));
    expect(e.reason).toMatch(/DOCTYPE or entity declarations/);
  });
  it('external entities (XXE)', async () => {
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">&x;</Types>';
    const e = await refusal(await demoWith((zip) => void zip.file('[Content_Types].xml', xxe)));
    expect(e.reason).toMatch(/DOCTYPE/);
  });
  it('XML nested too deep', async () => {
    const deep = `<p:sld xmlns:p="x"><p:cSld><p:spTree>${'<p:grpSp>'.repeat(400)}${'</p:grpSp>'.repeat(400)}</p:spTree></p:cSld></p:sld>`;
    expect((await refusal(await demoWith((zip) => void zip.file('ppt/slides/slide1.xml', deep)))).reason).toMatch(/nested deeper/);
  });
  it('duplicate entry names, even differing only in case', async () => {
    const entries = await demoEntries();
    expect((await refusal(buildZip([...entries, { name: 'ppt/slides/slide1.xml', data: Buffer.from('<x/>') }]))).reason).toMatch(
      /duplicate zip entry/,
    );
    expect((await refusal(buildZip([...entries, { name: 'PPT/Slides/Slide1.XML', data: Buffer.from('<x/>') }]))).reason).toMatch(
      /duplicate zip entry/,
    );
  });
  it.each(['../evil.xml', 'ppt/../../evil.xml', '/etc/evil.xml', 'ppt\\slides\\evil.xml', 'C:/evil.xml'])(
    'unsafe entry name %s',
    async (name) => {
      const entries = await demoEntries();
      expect((await refusal(buildZip([...entries, { name, data: Buffer.from('x') }]))).reason).toMatch(/unsafe zip entry name/);
    },
  );
  it('an encrypted zip entry, or one compressed by a method other than store and deflate, refused at open', async () => {
    const zip = buildZip(await demoEntries());
    const cd = zip.readUInt32LE(zip.length - 6);
    const patched = (offset: number, value: number) => {
      const copy = Buffer.from(zip);
      copy.writeUInt16LE(value, cd + offset);
      return copy;
    };
    // The first central entry's flags (offset 8) and method (offset 10).
    expect((await refusal(patched(8, 0x0801))).reason).toMatch(/not a readable zip archive \(encrypted entry\)/);
    expect((await refusal(patched(10, 12))).reason).toMatch(/compression method 12 is not supported/);
  });
  it('a stored (uncompressed) part reads as it is', async () => {
    const entries = (await demoEntries()).map((e) => ({ ...e, stored: e.name === 'ppt/slides/slide1.xml' }));
    const zip = buildZip(entries);
    const pkg = await Package.open('stored.pptx', zip);
    expect(pkg.entries.find((e) => e.name === 'ppt/slides/slide1.xml')!.method).toBe(0);
    const slide = entries.find((e) => e.name === 'ppt/slides/slide1.xml')!;
    expect(Buffer.from(await pkg.readBytes('ppt/slides/slide1.xml')).equals(slide.data!)).toBe(true);
  });
  it('too many entries, counted before unzipping', async () => {
    const many = Array.from({ length: LIMITS.entries + 1 }, (_, i) => ({ name: `f/${i}`, data: Buffer.alloc(0) }));
    expect((await refusal(buildZip(many))).reason).toMatch(/too many zip entries/);
  });
  it('a part that inflates more than 200:1 (zip bomb), stopped as it inflates', async () => {
    const entries = (await demoEntries()).filter((e) => e.name !== 'ppt/slides/slide1.xml');
    const bomb = deflated(Buffer.alloc(LIMITS.partBytes - 1024, 0x20));
    expect(bomb.bytes.length).toBeLessThan(100_000);
    const e = await refusal(buildZip([...entries, { name: 'ppt/slides/slide1.xml', deflated: bomb }]));
    expect(e.reason).toMatch(/inflates more than 200:1/);
    expect(e.part).toBe('ppt/slides/slide1.xml');
  });
  it('a part larger than the per-part budget', async () => {
    const entries = (await demoEntries()).filter((e) => e.name !== 'ppt/slides/slide1.xml');
    const e = await refusal(buildZip([...entries, { name: 'ppt/slides/slide1.xml', data: randomBytes(LIMITS.partBytes + 1024) }]));
    expect(e.reason).toMatch(/inflates past the per-part limit of 16 MiB/);
  });
  it('parts that together inflate past the total budget', async () => {
    // Runs of one random byte compress ~30:1: under the ratio bound, so only the total stops them.
    const part = Buffer.alloc(15 * 2 ** 20);
    for (let i = 0; i < part.length; i += 100) part.fill(randomBytes(1)[0]!, i, Math.min(i + 100, part.length));
    const payload = deflated(part);
    expect(part.length / payload.bytes.length).toBeLessThan(LIMITS.maxRatio);
    const count = Math.ceil(LIMITS.totalBytes / part.length) + 1;
    const zip = buildZip([
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      ...Array.from({ length: count }, (_, i) => ({ name: `ppt/media/blob${i}.bin`, deflated: payload })),
    ]);
    const pkg = await Package.open('total.pptx', zip);
    const read = async () => {
      for (let i = 0; i < count; i++) await pkg.readBytes(`ppt/media/blob${i}.bin`);
    };
    await expect(read()).rejects.toThrow(/inflates past the total limit of 256 MiB/);
  });
});

describe('zip bomb memory bound', () => {
  it('refuses a 48-slide deck of 16 MiB bomb slides (768 MiB inflated) with peak memory well under 1 GiB', {
    timeout: 120_000,
  }, async () => {
    requireCorpus();
    const source = await JSZip.loadAsync(await readFile(path.join(corpusDir, 'poi__2411-Performance_Up.pptx')));
    const slide1 = await source.file('ppt/slides/slide1.xml')!.async('string');
    // Each slide stays just under the per-part limit; together they are far past the total.
    const padded = Buffer.from(slide1.replace(/(<p:sld\b[^>]*>)/, `$1${' '.repeat(LIMITS.partBytes - 256 * 1024)}`));
    const payload = deflated(padded);
    const entries: RawEntry[] = await Promise.all(
      Object.values(source.files)
        .filter((f) => !f.dir)
        .map(async (f) =>
          /^ppt\/slides\/slide\d+\.xml$/.test(f.name)
            ? { name: f.name, deflated: payload }
            : { name: f.name, data: await f.async('nodebuffer') },
        ),
    );
    const dir = await tempDir();
    const bombFile = path.join(dir, 'bomb.pptx');
    await writeFile(bombFile, buildZip(entries));
    const script = `const { main } = await import(${JSON.stringify(path.join(repoRoot, 'dist/cli/main.js'))});
      const code = await main([${JSON.stringify(bombFile)}, '--out', ${JSON.stringify(path.join(dir, 'out.pptx'))}]);
      // VmHWM (peak RSS) starts afresh at exec; getrusage's maxRSS would include the forked test worker.
      const hwm = Number(/VmHWM:\\s+(\\d+)/.exec((await import('node:fs')).readFileSync('/proc/self/status', 'utf8'))[1]);
      process.stdout.write(JSON.stringify({ code, maxRssKb: hwm }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, maxBuffer: 2 ** 24 });
    const result = JSON.parse(stdout.slice(stdout.lastIndexOf('{'))) as { code: number; maxRssKb: number };
    expect(stdout).toMatch(/bomb\.pptx:ppt\/slides\/slide1\.xml: inflates more than 200:1 \(zip bomb\)/);
    expect(result.code).toBe(2);
    expect(result.maxRssKb / 1024).toBeLessThan(300);
  });
});
