import { describe, expect, it } from 'vitest';
import { colourName, deckStyle, fontMood } from '../../src/prompt/deck-style.js';
import { EMPTY_THEME } from '../../src/pptx/theme.js';

describe('deckStyle', () => {
  it('uses the configured style verbatim', () => {
    expect(deckStyle('  watercolour, warm tones ', { ...EMPTY_THEME, palette: ['#ff0000'] })).toBe('watercolour, warm tones');
  });
  it('derives one from theme colours and heading font when none is configured', () => {
    const style = deckStyle('', { ...EMPTY_THEME, palette: ['#1f7a8c', '#f2a541', '#c8553d'], majorFont: 'Georgia' });
    expect(style).toBe('classic elegant editorial illustration, soft light, generous negative space, palette of teal, orange, red');
  });
  it('works without a theme', () => {
    expect(deckStyle('', EMPTY_THEME)).toBe('clean modern editorial illustration, soft light, generous negative space');
  });
});

describe('colourName and fontMood', () => {
  it.each([
    ['#ffffff', 'white'],
    ['#000000', 'black'],
    ['#808080', 'grey'],
    ['#1f4e79', 'deep blue'],
    ['#2e75b6', 'blue'],
    ['#0a2a0a', 'deep green'],
    ['#ffd1dc', 'pale red'],
  ])('%s is %s', (hex, name) => expect(colourName(hex)).toBe(name));
  it.each([
    ['Consolas', 'precise technical'],
    ['Garamond', 'classic elegant'],
    ['Calibri Light', 'clean modern'],
    ['Segoe Script', 'playful hand-drawn'],
  ])('%s feels %s', (font, mood) => expect(fontMood(font)).toBe(mood));
});
