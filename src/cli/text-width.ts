// How many terminal columns a string takes, for yargs' help layout. The bundle gives yargs, cliui
// and wrap-ansi this function in place of string-width (scripts/bundle.mjs): string-width builds an
// Intl.Segmenter and compiles Unicode-property patterns as it loads (41-52 ms each run, measured;
// three copies sat in the start-up path), a cost every run paid for a help screen it rarely prints.
//
// Counted per code point: ANSI escapes, controls, format characters and combining marks take no
// column; East Asian wide and fullwidth characters (CJK, most emoji) take two; the rest one. That
// is exact for help text; an emoji sequence joined by ZWJ may count wider than a terminal shows it.
import { stripVTControlCharacters } from 'node:util';
import { eastAsianWidth } from 'get-east-asian-width';

const ZERO_WIDTH = /^[\p{Cc}\p{Cf}\p{Mn}\p{Me}]$/u;

export interface TextWidthOptions {
  /** East Asian ambiguous characters as one column (string-width's default) or two. */
  ambiguousIsNarrow?: boolean;
  /** Count ANSI escapes as text (string-width's option); they take no column by default. */
  countAnsiEscapeCodes?: boolean;
}

export default function textWidth(text: string, options: TextWidthOptions = {}): number {
  if (typeof text !== 'string' || !text) return 0;
  const plain = options.countAnsiEscapeCodes ? text : stripVTControlCharacters(text);
  const ambiguousAsWide = options.ambiguousIsNarrow === false;
  let width = 0;
  for (const ch of plain) {
    if (ZERO_WIDTH.test(ch)) continue;
    width += eastAsianWidth(ch.codePointAt(0)!, { ambiguousAsWide });
  }
  return width;
}
