// One visual style for the whole deck, so every picture looks like it belongs to the same deck.
import type { Theme } from '../model/theme.js';

/** The configured style, or one derived from the deck's theme colours and fonts. */
export function deckStyle(configured: string, theme: Theme): string {
  if (configured.trim()) return configured.trim();
  const colours = theme.palette
    .slice(0, 3)
    .map(colourName)
    .filter((c, i, all) => all.indexOf(c) === i);
  const palette = colours.length ? `, palette of ${colours.join(', ')}` : '';
  return `${fontMood(theme.majorFont ?? theme.minorFont)} editorial illustration, soft light, generous negative space${palette}`;
}

/** The feel a heading typeface gives a deck, in words an image model follows. */
export function fontMood(font: string | undefined): string {
  const f = (font ?? '').toLowerCase();
  if (/mono|consol|courier|code/.test(f)) return 'precise technical';
  if (/garamond|georgia|times|cambria|baskerville|palatino|book|serif(?!.*sans)|didot|bodoni/.test(f)) return 'classic elegant';
  if (/script|hand|comic|brush|marker/.test(f)) return 'playful hand-drawn';
  if (/impact|black|heavy|condensed|bebas|oswald/.test(f)) return 'bold graphic';
  return 'clean modern';
}

/** A plain colour word for a hex colour (image models follow words better than hex codes). */
export function colourName(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  const r = (n >> 16) & 255;
  const g = (n >> 8) & 255;
  const b = n & 255;
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 510;
  if (max - min < 24) return l > 0.85 ? 'white' : l < 0.2 ? 'black' : 'grey';
  let h = 0;
  const d = max - min;
  if (max === r) h = ((g - b) / d) % 6;
  else if (max === g) h = (b - r) / d + 2;
  else h = (r - g) / d + 4;
  h = (h * 60 + 360) % 360;
  const shade = l < 0.3 ? 'deep ' : l > 0.75 ? 'pale ' : '';
  const names: [number, string][] = [
    [15, 'red'],
    [40, 'orange'],
    [65, 'yellow'],
    [160, 'green'],
    [195, 'teal'],
    [255, 'blue'],
    [290, 'purple'],
    [335, 'magenta'],
    [360, 'red'],
  ];
  return shade + names.find(([limit]) => h < limit)![1];
}
