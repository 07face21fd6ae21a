// Terminal safety for untrusted text (file names, slide text, server messages, prompts): every
// character that could move the cursor, retitle or clear the terminal, start a forged line or
// reorder one is shown as an escape instead of being sent to the terminal or log.

/**
 * C0 controls (newline and tab included: a value never spans lines), DEL, C1 controls, the
 * bidi marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F, U+202A–U+202E,
 * U+2066–U+2069), the line and paragraph separators, and unpaired surrogates.
 */
const UNPRINTABLE =
  /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** The same, but newlines pass: for whole output we composed ourselves. */
const UNPRINTABLE_BUT_NEWLINE =
  /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

// "\u001b" style: readable, and a valid escape inside a JSON string too.
const escapeChar = (ch: string): string => NAMED[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** An untrusted value made safe to print on one line: `a\nb` shows as `a\nb`, ESC as `\u001b`. */
export function printable(value: string): string {
  return value.replace(UNPRINTABLE, escapeChar);
}

/**
 * The last line of defence, applied to everything the CLI writes as text: our own newlines pass,
 * any other control character left in is escaped. JSON output stays valid JSON (JSON.stringify
 * already escapes C0; DEL, C1 and bidi marks become \uXXXX escapes of the same string).
 */
export function printableOutput(text: string): string {
  return text.replace(UNPRINTABLE_BUT_NEWLINE, escapeChar);
}
