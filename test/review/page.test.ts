// The review page's markup: costs said before paying, the budget disabling what would pass it,
// accessible names on every control, and the picture in place on the planner's drawing.
import { describe, expect, it } from 'vitest';
import { costText, renderCard, renderHeader, renderPage, type PageState } from '../../src/review/page.js';
import { fakeSession, fakeSlide } from '../helpers/review-session.js';

async function pageState(over: Partial<PageState> = {}): Promise<PageState> {
  return { ...(await fakeSession().state()), renderings: { available: false, slides: [] }, ...over };
}

describe('costText', () => {
  const prices = { currency: 'CHF', perImage: 0.02, perMillionPromptTokens: 0.5, perMillionCompletionTokens: 1.5 };
  const paid = { prices, backend: { kind: 'infomaniak', offline: false } };
  it('says images, tokens and money; free when cached or offline; unknown without prices', () => {
    expect(costText({ images: 2, promptTokens: 0, completionTokens: 0 }, paid)).toBe('2 images, CHF 0.040');
    expect(costText({ images: 1, promptTokens: 400, completionTokens: 200 }, paid)).toBe('1 image + ~600 tokens, CHF 0.021');
    expect(costText({ images: 0, promptTokens: 0, completionTokens: 0 }, paid)).toBe('free (cached)');
    expect(costText({ images: 3, promptTokens: 0, completionTokens: 0 }, { ...paid, backend: { kind: 'offline', offline: true } })).toBe(
      '3 images, free (offline)',
    );
    const unknown = { ...paid, prices: { ...prices, perImage: null } };
    expect(costText({ images: 1, promptTokens: 0, completionTokens: 0 }, unknown)).toBe(
      '1 image, unknown (set pricing in pipeline.config.json)',
    );
  });
});

describe('renderCard', () => {
  it('marks paid buttons with their cost (the script asks before paying), and draws the chosen picture in its box', async () => {
    const state = await pageState();
    const card = renderCard(fakeSlide(2), state);
    expect(card).toContain('data-action="reroll" data-focus="2:reroll" data-cost="2 images, CHF 0.040"');
    expect(card).toContain('data-action="prompt" data-focus="2:prompt" data-cost="2 images, CHF 0.040"');
    expect(card).not.toMatch(/data-action="(accept|skip|variant)"[^>]*data-cost/);
    expect(card).toMatch(/<image class="pic-in" href="picture\/2\/1\?k=[^"]*" x="6000000" y="1500000" width="5000000" height="4000000"/);
    expect(card).toContain('aria-label="Variant 1 (the deck gets this one)"');
    expect(card).toContain('aria-label="the slide as the planner sees it: 1 obstacle; variant 1 in its box"');
    expect(card).toContain('<label for="prompt-2">Image prompt</label>');
    expect(card).toContain('<label for="placement-2">Placement</label>');
  });

  it('disables what would pass --max-images and says why; offline asks nothing', async () => {
    const over = renderCard(fakeSlide(2), await pageState({ budget: { max: 3, used: 2 } }));
    expect(over).toMatch(
      /<button [^>]*data-action="reroll"[^>]*disabled>Re-roll<\/button><span class="cost pays"[^>]*>2 images, CHF 0\.040: over --max-images</,
    );
    const offline = renderCard(fakeSlide(2), await pageState({ backend: { kind: 'offline', offline: true } }));
    expect(offline).not.toContain('data-cost');
  });

  it('a skipped slide: its reason, no prompt or variants, and a way back when a direction skipped it', async () => {
    const slide = { ...fakeSlide(3, { status: 'skipped', reason: 'skipped by its direction (skip)' }), direction: { skip: true } };
    const card = renderCard(slide, await pageState());
    expect(card).toContain('<span class="reason-label">Skipped:</span> skipped by its direction (skip)');
    expect(card).not.toContain('prompt-form');
    expect(card).toContain('data-skip="false">Illustrate this slide</button>');
  });
});

describe('renderHeader and renderPage', () => {
  it('the header: spent, budget, the write cost; the page loads only its own script and style', async () => {
    const state = await pageState({ budget: { max: 10, used: 4 }, writeCost: { images: 2, promptTokens: 0, completionTokens: 0 } });
    const head = renderHeader(state);
    expect(head).toContain('<dd id="budget">6 of 10 images left (--max-images)</dd>');
    expect(head).toContain('data-cost="2 images, CHF 0.040"');
    const page = renderPage(state);
    expect([...page.matchAll(/<(?:script|link)[^>]*(?:src|href)="([^"]*)"/g)].map((m) => m[1])).toEqual([
      'data:,',
      'review.css',
      'review.js',
    ]);
    expect(page).toContain('<p id="message" class="message" role="status" aria-live="polite"></p>');
    const warned = renderHeader(await pageState({ warnings: ['talk.illustrate.json: slides.id:999 names no slide <of> the deck'] }));
    expect(warned).toContain('<li>talk.illustrate.json: slides.id:999 names no slide &lt;of&gt; the deck</li>');
  });
});
