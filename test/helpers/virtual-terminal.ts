// A small terminal for progress tests: it applies what a live display writes — text, newlines and
// the cursor and erase sequences log-update sends — to a screen of lines, so a test reads what a
// person would see, and a line drawn over half of another shows as a garbled screen line.
export interface VirtualTerminal {
  /** Give it to the code under test as stdout (and stderr: both draw on one screen). */
  stream: { write(s: string): boolean; readonly columns: number; readonly isTTY: boolean };
  /** Every chunk written, in order. */
  writes: string[];
  /** The screen, top to bottom, without trailing empty lines. */
  screen(): string[];
}

export function createVirtualTerminal(columns = 100): VirtualTerminal {
  const lines: string[] = [''];
  const writes: string[] = [];
  let row = 0;
  let col = 0;
  const put = (ch: string) => {
    const line = lines[row]!.padEnd(col, ' ');
    lines[row] = line.slice(0, col) + ch + line.slice(col + 1);
    col++;
  };
  const apply = (s: string) => {
    // ESC [ params final: cursor moves and erases; anything else is text.
    const re = /\u001B\[([?\d;]*)([A-Za-z])|([\s\S])/g;
    for (let m = re.exec(s); m; m = re.exec(s)) {
      const [, params, final, ch] = m;
      if (ch === '\n') {
        row++;
        col = 0;
        while (lines.length <= row) lines.push('');
      } else if (ch === '\r') col = 0;
      else if (ch !== undefined) put(ch);
      else if (params!.startsWith('?'))
        continue; // cursor visibility, synchronized output
      else if (final === 'A') row = Math.max(0, row - Number(params || 1));
      else if (final === 'B') {
        row += Number(params || 1);
        while (lines.length <= row) lines.push('');
      } else if (final === 'G') col = Math.max(0, Number(params || 1) - 1);
      else if (final === 'K') lines[row] = params === '2' ? '' : lines[row]!.slice(0, col);
      else throw new Error(`virtual terminal: unknown sequence ESC[${params}${final}`);
    }
  };
  return {
    stream: {
      write(s: string) {
        writes.push(s);
        apply(s);
        return true;
      },
      columns,
      isTTY: false,
    },
    writes,
    screen() {
      const out = lines.map((l) => l.trimEnd());
      while (out.length && out[out.length - 1] === '') out.pop();
      return out;
    },
  };
}
