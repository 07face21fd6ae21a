// Zip-library candidates for the package writer, one mode per process (issue 14): a 200-slide deck and 200
// JPEGs written by the old jszip writer (extract main's src to /tmp/zipbench/old first), by the deck writer, and
// the zip layer alone (every input entry copied raw + 200 zlib-deflated pictures) by our ZipWriter and by
// @zip.js/zip.js with passThrough (not a dependency: `npm i --no-save @zip.js/zip.js` to run that mode).
// Usage: node --import tsx bench/zip-candidates.mjs prepare|old|ours|ours-zip|zipjs
import { mkdir, readFile, writeFile, open } from 'node:fs/promises';
import sharp from 'sharp';
const W = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const dir = '/tmp/zipbench/in';
const mode = process.argv[2];
if (mode === 'prepare') {
  await mkdir(`${dir}/pics`, { recursive: true });
  const { makeDeck } = await import(`${W}/bench/make-decks.ts`);
  await makeDeck(`${dir}/deck200.pptx`, 200);
  for (let i = 0; i < 200; i++) {
    const noise = await sharp({ create: { width: 960, height: 540, channels: 3, noise: { type: 'gaussian', mean: 128, sigma: 30 } } })
      .blur(1.2)
      .jpeg({ quality: 80, mozjpeg: true })
      .toBuffer();
    await writeFile(`${dir}/pics/${i}.jpg`, noise);
  }
  process.exit(0);
}
const pics = await Promise.all(Array.from({ length: 200 }, (_, i) => readFile(`${dir}/pics/${i}.jpg`)));
const base = process.memoryUsage().rss;
const src = mode === 'old' ? '/tmp/zipbench/old/src' : `${W}/src`;
const { readPresentationFile } = await import(`${src}/pptx/read-presentation.ts`);
const pres = await readPresentationFile(`${dir}/deck200.pptx`);
const pictures = pres.slides.map((s, i) => ({
  slidePart: s.part,
  image: pics[i],
  format: 'jpeg',
  box: { x: 4_572_000, y: 500_000, cx: 4_000_000, cy: 2_250_000 },
  descr: `p${i}`,
  z: 'front',
}));
const out = `/tmp/zipbench/out-${mode}.pptx`;
const t = performance.now();
if (mode === 'old') {
  const { writeDeck } = await import(`${src}/stages/write-deck.ts`);
  await writeDeck(pres, pictures, out);
} else if (mode === 'ours') {
  const { writePresentation } = await import(`${src}/pptx/deck-writer.ts`);
  await writePresentation(pres, pictures, out);
} else {
  // The zip layer alone: every input entry copied raw, then the 200 pictures deflated by zlib (same for both).
  const { deflatePart } = await import(`${src}/pptx/deflated-part.ts`);
  const media = await Promise.all(pics.map((p) => deflatePart(p, 1)));
  const entries = pres.pkg.entries.map((e) => pres.pkg.rawEntry(e.name));
  const t0 = performance.now();
  if (mode === 'ours-zip') {
    const { ZipWriter } = await import(`${src}/pptx/zip-writer.ts`);
    const handle = await open(out, 'w');
    const zip = new ZipWriter(handle);
    const writes = entries.map(({ entry, data }) => zip.add({ ...entry, name: entry.rawName }, data));
    media.forEach((m, i) => {
      writes.push(
        zip.add({ name: `ppt/media/p${i}.jpeg`, method: 8, crc32: m.crc32, size: m.size, compressedSize: m.data.length }, m.data),
      );
    });
    await Promise.all(writes);
    await zip.finish();
    await handle.close();
  } else if (mode === 'zipjs') {
    const { ZipWriter, Uint8ArrayReader } = await import('@zip.js/zip.js');
    const { createWriteStream } = await import('node:fs');
    const { Writable } = await import('node:stream');
    const zip = new ZipWriter(Writable.toWeb(createWriteStream(out)), { passThrough: true, useWebWorkers: false, bufferedWrite: false });
    for (const { entry, data } of entries) {
      await zip.add(entry.name, new Uint8ArrayReader(data), {
        passThrough: true,
        uncompressedSize: entry.size,
        crc32: entry.crc32,
        compressionMethod: entry.method,
        dataDescriptor: false,
      });
    }
    for (const [i, m] of media.entries()) {
      await zip.add(`ppt/media/p${i}.jpeg`, new Uint8ArrayReader(m.data), {
        passThrough: true,
        uncompressedSize: m.size,
        crc32: m.crc32,
        compressionMethod: 8,
        dataDescriptor: false,
      });
    }
    await zip.close();
  }
  console.log(JSON.stringify({ zipLayerMs: Math.round(performance.now() - t0) }));
}
const ms = performance.now() - t;
console.log(
  JSON.stringify({
    mode,
    ms: Math.round(ms),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    rssBeforeMb: Math.round(base / 2 ** 20),
    bytes: (await readFile(out)).length,
  }),
);
