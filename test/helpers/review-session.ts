// A review session without a deck or a backend: a fixed state and a record of the decisions asked
// for, for the review server's route and socket tests.
import type { ReviewAction, ReviewSession, ReviewSlide, ReviewState } from '../../src/api/review.js';
import { emptyUsage } from '../../src/model/report.js';
import type { ReviewRoutes } from '../../src/review/routes.js';

export interface FakeSession extends ReviewSession {
  acts: { slide: number; action: ReviewAction }[];
  writes: number;
  /** Makes the next act throw this. */
  failNext(error: Error): void;
}

const noCost = { images: 0, promptTokens: 0, completionTokens: 0 };

export function fakeSlide(number: number, over: Partial<ReviewSlide['plan']> = {}): ReviewSlide {
  return {
    plan: {
      number,
      slideId: String(255 + number),
      part: `ppt/slides/slide${number}.xml`,
      title: `Slide title ${number}`,
      text: { title: `Slide title ${number}`, body: 'Some words', notes: '' },
      status: 'planned',
      box: { x: 6_000_000, y: 1_500_000, cx: 5_000_000, cy: 4_000_000 },
      placement: 'free',
      obstacles: [{ x: 500_000, y: 400_000, cx: 5_000_000, cy: 800_000, kind: 'text' }],
      prompt: `A prompt for slide ${number}`,
      ...over,
    },
    key: `id:${255 + number}`,
    direction: {},
    variants: { count: 2, chosen: 1, cached: [true, true] },
    costs: { generate: noCost, reroll: { ...noCost, images: 2 }, prompt: { ...noCost, images: 2 } },
  };
}

export function fakeSession(slides: ReviewSlide[] = [fakeSlide(1), fakeSlide(2)], over: Partial<ReviewState> = {}): FakeSession {
  const acts: FakeSession['acts'] = [];
  let failure: Error | undefined;
  const session: FakeSession = {
    acts,
    writes: 0,
    failNext(error) {
      failure = error;
    },
    state: async () => ({
      input: '/decks/talk.pptx',
      output: '/decks/output/talk.pptx',
      sidecar: '/decks/talk.illustrate.json',
      title: 'A talk',
      slideSize: { cx: 12_192_000, cy: 6_858_000 },
      backend: { kind: 'infomaniak', offline: false },
      prices: { currency: 'CHF', perImage: 0.02, perMillionPromptTokens: 0.5, perMillionCompletionTokens: 1.5 },
      slides,
      spent: emptyUsage(),
      writeCost: noCost,
      warnings: [],
      ...over,
    }),
    picture: async (slide, variant) => (slide === 1 && variant === 1 ? Buffer.from('jpeg bytes') : undefined),
    async act(slide, action) {
      if (failure) {
        const error = failure;
        failure = undefined;
        throw error;
      }
      acts.push({ slide, action });
      return { message: `did ${action.kind} on ${slide}` };
    },
    async write() {
      session.writes++;
      return { message: 'written' };
    },
    close: async () => undefined,
  };
  return session;
}

/** LibreOffice absent. */
export const noRenderer: ReviewRoutes['renderer'] = {
  available: false,
  slides: () => [],
  render: async () => {
    throw new Error('not installed');
  },
  png: async () => undefined,
};
