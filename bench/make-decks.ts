// Generated benchmark decks (pptxgenjs): 16:9, a title and bullets on the left half of every slide,
// so each slide gets one half-slide picture on the right. Every slide's words are its own, so no two
// slides share a prompt (the cache would otherwise merge their API calls and flatter the figures).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pptxgenModule from 'pptxgenjs';

// pptxgenjs ships a CommonJS .d.ts: under NodeNext the default import types as the module object,
// while Node loads the ESM build whose default export is the class (as in fixtures/build-fixtures.ts).
type PptxGenJSClass = typeof pptxgenModule.default;
const PptxGenJS: PptxGenJSClass =
  (pptxgenModule as unknown as { default?: PptxGenJSClass }).default ?? (pptxgenModule as unknown as PptxGenJSClass);

/** Letters-only words of five letters or more: the fake LLM builds its prompt from such words. */
const WORDS = [
  'harbour',
  'lantern',
  'meadow',
  'orchard',
  'granite',
  'willow',
  'compass',
  'quarry',
  'beacon',
  'thicket',
  'glacier',
  'canyon',
  'prairie',
  'lagoon',
  'summit',
  'estuary',
  'forest',
  'island',
  'valley',
  'tundra',
  'market',
  'ledger',
  'factory',
  'bridge',
  'tunnel',
  'garden',
  'engine',
  'harvest',
  'pylon',
  'railway',
  'shelter',
  'timber',
  'turbine',
  'vessel',
  'warehouse',
  'workshop',
  'atlas',
  'circuit',
  'pottery',
  'textile',
];

/** A phrase unique to (deck, slide): two words from WORDS chosen by the pair's index. */
function uniquePhrase(deck: number, slide: number): string {
  const i = deck * 1000 + slide;
  const a = WORDS[i % WORDS.length]!;
  const b = WORDS[Math.floor(i / WORDS.length) % WORDS.length]!;
  const c = WORDS[Math.floor(i / WORDS.length ** 2) % WORDS.length]!;
  return `${a} ${b} ${c}`;
}

// Writes one deck of `slides` slides to `file`; `deck` makes its words differ from other decks'.
export async function makeDeck(file: string, slides: number, deck = 0): Promise<void> {
  const pptx = new PptxGenJS();
  pptx.layout = 'LAYOUT_WIDE';
  pptx.title = `Benchmark deck ${deck + 1}`;
  pptx.author = 'slide-illustrate bench';
  for (let s = 0; s < slides; s++) {
    const words = uniquePhrase(deck, s);
    const slide = pptx.addSlide();
    slide.addText(`Planning the ${words}`, {
      x: 0.6,
      y: 0.45,
      w: 5.9,
      h: 1.0,
      fontSize: 28,
      bold: true,
      color: '1E2A38',
      valign: 'middle',
    });
    const bullets = [
      `Why the ${words} matters this quarter`,
      'Owners, milestones and the budget we agreed',
      'Risks we watch and how we measure progress',
      'Next steps for the team',
    ];
    slide.addText(
      bullets.map((text, i) => ({ text, options: { bullet: true, breakLine: i < bullets.length - 1 } })),
      { x: 0.6, y: 1.75, w: 5.9, h: 4.9, fontSize: 18, color: '1E2A38', valign: 'top' },
    );
    slide.addNotes(`Speaker notes for the ${words} slide.`);
  }
  const bytes = await pptx.write({ outputType: 'nodebuffer' });
  if (!(bytes instanceof Uint8Array)) throw new Error('pptxgenjs did not return a Node buffer');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, bytes);
}

// Writes `decks` decks of `slides` slides each under `dir` as deck-01.pptx, deck-02.pptx, …
export async function makeDeckFolder(dir: string, decks: number, slides: number): Promise<string[]> {
  const files: string[] = [];
  for (let d = 0; d < decks; d++) {
    const file = path.join(dir, `deck-${String(d + 1).padStart(2, '0')}.pptx`);
    await makeDeck(file, slides, d + 1);
    files.push(file);
  }
  return files;
}
