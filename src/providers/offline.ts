// The embedded offline provider: prompts written locally from the slide's words and abstract
// art rendered locally, so the whole pipeline runs with no account and no network.
import { setTimeout as sleep } from 'node:timers/promises';
import { renderAbstractArt } from '../images/abstract-art.js';
import { finalisePrompt } from '../prompt/clean-prompt.js';
import type {
  CallOptions,
  ImageProvider,
  ImageRequest,
  ImageResult,
  PromptProvider,
  PromptRequest,
  PromptResult,
  Backend,
} from './types.js';
import { picturesAsked } from './image-request.js';
import { chooseImageSize } from './image-sizes.js';

const STOPWORDS = new Set(
  (
    'the and for with that this from your you are our will have has was were been into onto over under about than then them they their there these those what when where which while who why how all any can may must not only more most such also each other some very just ' +
    'les des une dans pour avec sur par est sont qui que quoi dont plus moins nous vous ils elles leur leurs cette ces tout tous toute toutes mais donc comme aussi être avoir fait faire sans sous entre vers chez '
  ).split(/\s+/),
);

/** Up to `n` distinctive words of the text, in order of first appearance. */
export function keywords(text: string, n = 8): string[] {
  const counts = new Map<string, { word: string; count: number; first: number }>();
  const words = text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
  words.forEach((w, i) => {
    const key = w.toLowerCase();
    if (key.length < 4 || STOPWORDS.has(key) || /^\d+$/.test(key)) return;
    const e = counts.get(key);
    if (e) e.count++;
    else counts.set(key, { word: w, count: 1, first: i });
  });
  return [...counts.values()]
    .sort((a, b) => b.count - a.count || a.first - b.first)
    .slice(0, n)
    .sort((a, b) => a.first - b.first)
    .map((e) => e.word);
}

export function createOfflinePromptProvider(): PromptProvider {
  return {
    name: 'offline',
    promptFingerprint: 'offline-prompt-v1',
    async writePrompt(req: PromptRequest): Promise<PromptResult> {
      const title = req.slide.title.replace(/\s+/g, ' ').trim();
      const terms = keywords(`${req.slide.body}\n${req.slide.notes}`).filter((w) => !title.toLowerCase().includes(w.toLowerCase()));
      const slide = title ? `a slide titled "${title}"` : 'a presentation slide';
      // The author's subject leads; a re-prompt (generation above 0) words it anew, as an LLM would.
      const subject = `${req.subject ? `${req.subject.replace(/\s+/g, ' ').trim()}, for ${slide}` : slide}${req.reprompt ? ` (take ${req.reprompt + 1})` : ''}`;
      const about = terms.length ? ` Visual motifs: ${terms.join(', ')}.` : '';
      const raw = `Illustration for ${subject}.${about} No text or letters in the picture.`;
      return { prompt: finalisePrompt(raw, req.style, req.maxChars) };
    },
  };
}

export interface OfflineOptions {
  /**
   * Milliseconds each image takes, as if a remote API were slow: a test and benchmark knob
   * (SLIDE_ILLUSTRATE_OFFLINE_DELAY_MS) so interruption and scheduling can be tested deterministically.
   * @default 0
   */
  imageDelayMs?: number | undefined;
}

export function createOfflineImageProvider(options: OfflineOptions = {}): ImageProvider {
  return {
    name: 'offline',
    imageFingerprint: 'offline-art-v1',
    async generateImage(req: ImageRequest, call?: CallOptions): Promise<ImageResult> {
      // Rendering stands for the API's work: it holds the slot the caller passed, as a request would.
      await call?.slot?.acquire();
      if (options.imageDelayMs) await sleep(options.imageDelayMs, undefined, { signal: call?.signal });
      const size = chooseImageSize(req.aspect);
      const [w, h] = size.split('x').map(Number) as [number, number];
      // Half the API's pixel size: placeholders need not be heavy, and rendering stays fast.
      // Variant i of a call, a re-roll and an API style each seed their own art, as the API would
      // paint another picture; variant 1 of generation 0 without a style is the art as it always was.
      const variants: Buffer[] = [];
      for (let i = 1; i <= picturesAsked(req); i++) {
        const seed = [
          req.prompt,
          i > 1 ? `#v${i}` : '',
          req.reroll ? `#r${req.reroll}` : '',
          req.apiStyle ? `#s:${req.apiStyle}` : '',
        ].join('');
        variants.push(await renderAbstractArt({ width: w / 2, height: h / 2, palette: req.palette, seed }));
      }
      return { data: variants[(req.variant ?? 1) - 1]!, size, variants };
    },
  };
}

export function createOfflineProviders(options: OfflineOptions = {}): Backend {
  return { kind: 'offline', offline: true, prompt: createOfflinePromptProvider(), image: createOfflineImageProvider(options) };
}
