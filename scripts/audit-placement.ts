// npm run audit:placement [-- --decks a.pptx,b.potx | --corpus DIR] [--limit N] [--out DIR] [--json FILE]
// Illustrates decks offline, renders input and output with LibreOffice and measures whether each
// added picture hides or touches what the slide showed. See PLACEMENT.md.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { deckLine, runAudit, totalsLines, writeJson } from './audit/run-audit.js';

const DECK = /\.(pptx|pptm|potx|potm|ppsx|ppsm)$/i;

const { values } = parseArgs({
  options: {
    decks: { type: 'string' },
    corpus: { type: 'string', default: '../shared/corpus' },
    limit: { type: 'string' },
    out: { type: 'string', default: 'audit-out' },
    json: { type: 'string' },
    batch: { type: 'string', default: '40' },
    quiet: { type: 'boolean', default: false },
  },
});

let decks = values.decks
  ? values.decks.split(',').map((d) => path.resolve(d.trim()))
  : (await readdir(path.resolve(values.corpus!)))
      .filter((f) => DECK.test(f))
      .sort()
      .map((f) => path.resolve(values.corpus!, f));
if (values.limit) decks = decks.slice(0, Number(values.limit));
if (!decks.length) {
  console.error('audit:placement: no decks (give --decks a,b or --corpus DIR)');
  process.exit(2);
}

const result = await runAudit({
  decks,
  outDir: path.resolve(values.out!),
  batch: Number(values.batch),
  log: values.quiet ? undefined : (line) => console.error(line),
});
console.log('');
for (const d of result.decks) if (d.pictures.length || d.illustrated || d.renderError || d.error) console.log(deckLine(d));
console.log('');
for (const line of totalsLines(result.totals)) console.log(line);
const s = (ms: number) => `${(ms / 1000).toFixed(0)} s`;
console.log(
  `time: illustrate ${s(result.ms.illustrate)}, render ${s(result.ms.render)}, measure ${s(result.ms.measure)}, total ${s(result.ms.total)}`,
);
console.log(`contact sheets: ${path.relative(process.cwd(), path.resolve(values.out!)) || '.'}/`);
const json = values.json ?? path.join(values.out!, 'audit.json');
await writeJson(json, result);
console.log(`results: ${json}`);
