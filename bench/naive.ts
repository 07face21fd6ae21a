// The naive baseline, run as its own process like the CLI: the same decks, fake API, prompts,
// images, fitting and writing, strictly one thing at a time and stage after stage — every prompt,
// then every image, then every fit and deck write — as tools that serialise their calls do.
// It uses the project's own reader, planner, providers (same rate limiter), fitImage and writer,
// so the only difference from the CLI is the scheduling (and that it keeps no cache).
// Usage: node --import tsx bench/naive.ts '{"decks":[…],"outDir":"…","rpm":60,"rateWindowMs":3000}'
import path from 'node:path';
import { configSchema } from '../src/config/schema.js';
import { fitImage } from '../src/images/fit-image.js';
import { readPresentationFile } from '../src/pptx/read-presentation.js';
import type { PictureToAdd } from '../src/pptx/write-presentation.js';
import { MAX_PROMPT_CHARS } from '../src/prompt/clean-prompt.js';
import { deckStyle } from '../src/prompt/deck-style.js';
import { createProviders } from '../src/providers/create-providers.js';
import { planIllustrations } from '../src/stages/plan-illustrations.js';
import { writePresentation } from '../src/pptx/deck-writer.js';

export interface NaiveArgs {
  decks: string[];
  outDir: string;
  rpm: number;
  /** The rate limiter's window when time-scaled. @unit milliseconds */
  rateWindowMs?: number | undefined;
}

const args = JSON.parse(process.argv[2] ?? '{}') as NaiveArgs;
const config = configSchema.parse({ rpm: args.rpm });
const providers = await createProviders({
  kind: 'infomaniak',
  config,
  env: process.env,
  http: args.rateWindowMs ? { rateWindowMs: args.rateWindowMs } : undefined,
});

const decks = [];
for (const file of args.decks) {
  const pres = await readPresentationFile(file);
  const plan = planIllustrations(pres, { placement: config.placement, skipSlides: config.skipSlides });
  decks.push({ file, pres, plan, style: deckStyle(config.image.style, pres.theme) });
}
const slides = decks.flatMap((d) => d.plan.planned.map((p) => ({ deck: d, p, prompt: '', image: Buffer.alloc(0) as Buffer })));

// 1. Every prompt, one at a time.
for (const s of slides) {
  const { slide } = s.p;
  const req = {
    slide: slide.text,
    deckTitle: s.deck.pres.title,
    style: s.deck.style,
    maxChars: MAX_PROMPT_CHARS,
    slideNumber: slide.number,
  };
  s.prompt = (await providers.prompt.writePrompt(req, {})).prompt;
}
// 2. Every image, one at a time.
for (const s of slides) {
  s.image = (
    await providers.image.generateImage({ prompt: s.prompt, aspect: s.p.box.cx / s.p.box.cy, palette: s.deck.pres.theme.palette }, {})
  ).data;
}
// 3. Fit every picture and write every deck, one at a time.
let pictures = 0;
for (const deck of decks) {
  const added: PictureToAdd[] = [];
  for (const s of slides.filter((x) => x.deck === deck)) {
    const { p } = s;
    const fitted = await fitImage(s.image, { boxCx: p.box.cx, boxCy: p.box.cy, crop: p.placement === 'placeholder' ? 'srcRect' : 'cover' });
    added.push({
      slidePart: p.slide.part,
      image: fitted.data,
      format: fitted.format,
      box: p.box,
      descr: s.prompt,
      z: p.z,
      crop: fitted.srcRect,
      placeholderId: p.placeholderId,
    });
  }
  await writePresentation(deck.pres, added, path.join(args.outDir, path.basename(deck.file)));
  pictures += added.length;
}
process.stdout.write(`${JSON.stringify({ slides: slides.length, pictures })}\n`);
