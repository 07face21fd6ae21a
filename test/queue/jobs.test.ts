// Job ids are content hashes: same deck bytes, output and settings, same id; anything else, another.
import { describe, expect, test } from 'vitest';
import { defaultConfig } from '../../src/config/schema.js';
import { deckJobId, newRunId, settingsFingerprint, slideForJob, slideJobId, type RunSettings } from '../../src/queue/jobs.js';

const settings = (): RunSettings => {
  const { queue: _queue, ...config } = defaultConfig();
  return { config, provider: 'infomaniak' };
};

describe('queue job ids', () => {
  test('a deck job id depends on the deck bytes, the output and the settings, and nothing else', () => {
    const fp = settingsFingerprint(settings());
    const id = deckJobId('a'.repeat(64), '/out/deck.pptx', fp);
    expect(id).toMatch(/^deck-[0-9a-f]{32}$/);
    expect(deckJobId('a'.repeat(64), '/out/deck.pptx', settingsFingerprint(settings()))).toBe(id);
    expect(deckJobId('b'.repeat(64), '/out/deck.pptx', fp)).not.toBe(id);
    expect(deckJobId('a'.repeat(64), '/out/other.pptx', fp)).not.toBe(id);
    const changed = settings();
    changed.config.image.style = 'pencil sketch';
    expect(deckJobId('a'.repeat(64), '/out/deck.pptx', settingsFingerprint(changed))).not.toBe(id);
  });

  test("slide job ids carry their deck's id (BullMQ never re-parents a child) and no ':'", () => {
    expect(slideJobId('deck-0123', 7)).toBe('deck-0123-s7');
    expect(newRunId(new Date('2026-11-29T05:00:00.123Z'))).toMatch(/^run-20261129T050000Z-[0-9a-f]{6}$/);
    expect(newRunId()).not.toContain(':');
  });

  test("the slide entry a job carries leaves out the planner's drawing", () => {
    const slide = {
      number: 2,
      slideId: '257',
      part: 'ppt/slides/slide2.xml',
      title: 'T',
      text: { title: 'T', body: [] },
      status: 'planned' as const,
      obstacles: [{ kind: 'text' as const, box: { x: 0, y: 0, cx: 1, cy: 1 } }],
    };
    expect(slideForJob(slide as never)).not.toHaveProperty('obstacles');
    expect(slideForJob(slide as never)).toMatchObject({ number: 2, part: 'ppt/slides/slide2.xml' });
  });
});
