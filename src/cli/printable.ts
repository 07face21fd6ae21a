// Moved to src/internal/printable.ts (the library's account checks escape server text too).
export { printable, printableOutput } from '../internal/printable.js';
