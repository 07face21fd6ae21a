import { describe, expect, it } from 'vitest';
import { printable, printableOutput } from '../../src/internal/printable.js';

describe('printable', () => {
  it('escapes C0 (newline and tab too), DEL, C1, bidi controls and unpaired surrogates; keeps text, emoji and backslashes', () => {
    expect(printable('a\u001b]0;t\u0007\u001b[2J\nb\tc\rd\u007f\u0085\u009b\u202e\u2066\u200f\u2028\uD800é 安全 😀 C:\\x')).toBe(
      'a\\u001b]0;t\\u0007\\u001b[2J\\nb\\tc\\rd\\u007f\\u0085\\u009b\\u202e\\u2066\\u200f\\u2028\\ud800é 安全 😀 C:\\x',
    );
    // Idempotent: what it returns has nothing left to escape.
    const once = printable('x\u001by\nz');
    expect(printable(once)).toBe(once);
  });
  it('printableOutput keeps our newlines and escapes the rest; JSON stays JSON with the same value', () => {
    expect(printableOutput('line one\u001b[2J\nline\u202e two\n')).toBe('line one\\u001b[2J\nline\\u202e two\n');
    const json = JSON.stringify({ name: 'a\u0085b\u202ec\u007f' }, null, 2);
    expect(JSON.parse(printableOutput(json))).toEqual({ name: 'a\u0085b\u202ec\u007f' });
    expect(printableOutput(json)).not.toMatch(/[\u007f-\u009f\u202a-\u202e]/);
  });
});
