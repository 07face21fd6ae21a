// The offline backend honours what the images API offers: n variants, re-rolls and styles each paint their own art.
import { describe, expect, it } from 'vitest';
import { createOfflineProviders } from '../../src/providers/offline.js';

const { prompt, image } = createOfflineProviders();
const req = { prompt: 'a lighthouse in a storm', aspect: 1.5, palette: ['#224466', '#ddaa33'] };
const b64 = (d: Buffer) => d.toString('base64');

describe('offline image provider', () => {
  it('makes n distinct variants, variant 1 being the plain picture, and returns the one asked for', async () => {
    const plain = await image.generateImage(req);
    const three = await image.generateImage({ ...req, variants: 3 });
    expect(three.variants).toHaveLength(3);
    expect(new Set(three.variants!.map(b64)).size).toBe(3);
    expect(three.variants![0]!.equals(plain.data)).toBe(true);
    expect((await image.generateImage({ ...req, variants: 3, variant: 2 })).data.equals(three.variants![1]!)).toBe(true);
  });

  it('a re-roll and an API style paint another picture; the same request paints the same one', async () => {
    const plain = b64((await image.generateImage(req)).data);
    expect(b64((await image.generateImage(req)).data)).toBe(plain);
    const other = [await image.generateImage({ ...req, reroll: 1 }), await image.generateImage({ ...req, apiStyle: 'line_art' })];
    expect(new Set([plain, ...other.map((o) => b64(o.data))]).size).toBe(3);
  });
});

describe('offline prompt provider', () => {
  it('leads with the subject a direction gives, and words a re-prompt anew', async () => {
    const base = {
      slide: { title: 'Safety', body: 'Wear boots', notes: '' },
      deckTitle: 'D',
      style: 'flat',
      maxChars: 400,
      slideNumber: 1,
    };
    const told = await prompt.writePrompt({ ...base, subject: 'a red kite' });
    expect(told.prompt).toMatch(/^Illustration for a red kite, for a slide titled "Safety"/);
    expect((await prompt.writePrompt({ ...base, reprompt: 1 })).prompt).not.toBe((await prompt.writePrompt(base)).prompt);
  });
});
