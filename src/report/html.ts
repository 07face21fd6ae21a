// Small helpers for building HTML as strings: escaping (every interpolated string goes through
// esc), and the number formats the report uses.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// Text safe in element content and in quoted attribute values.
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A thumbnail we made ourselves; anything else (another scheme, stray characters) is refused. */
const IMAGE_DATA_URI = /^data:image\/(?:jpeg|png|webp);base64,[A-Za-z0-9+/]+={0,2}$/;

// True for an inline image data: URI, the only image source the page's policy allows.
export function isImageDataUri(src: string): boolean {
  return IMAGE_DATA_URI.test(src);
}

// "850 ms", "1.2 s", "2 min 5 s".
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

// "12,345".
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

// "84 KB", "1.3 MB".
export function bytes(n: number): string {
  if (n < 1024 * 1024) return `${Math.max(1, Math.round(n / 1024))} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

// "3 decks", "1 deck".
export function plural(n: number, word: string): string {
  return `${count(n)} ${word}${n === 1 ? '' : 's'}`;
}
