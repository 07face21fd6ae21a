// The CLI's heap tuning takes effect when set at run time (v8.setFlagsFromString), which Node does
// not promise in general: checked in a fresh process, as the CLI's bin sets it.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths.js';

const run = promisify(execFile);

// Allocates ~200 MB of short-lived strings and some long-lived ones, then reports the young generation's size.
const probe = (tune: boolean) => `
  import v8 from 'node:v8';
  ${tune ? `const { tuneHeapForPictures } = await import(${JSON.stringify(path.join(repoRoot, 'dist/cli/heap.js'))}); tuneHeapForPictures();` : ''}
  const keep = [];
  for (let i = 0; i < 3200; i++) {
    const s = Buffer.alloc(65536, 97 + (i % 26)).toString('latin1');
    if (i % 100 === 0) keep.push(s.slice(0, 1000) + i);
  }
  const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
  console.log(JSON.stringify({ young, kept: keep.length }));
`;

describe('heap tuning for pictures', () => {
  it('holds the young generation at its first size; untuned, V8 grows it', async () => {
    const measure = async (tune: boolean) =>
      JSON.parse((await run(process.execPath, ['--input-type=module', '-e', probe(tune)])).stdout) as { young: number; kept: number };
    const tuned = await measure(true);
    const untuned = await measure(false);
    expect(tuned.kept).toBe(32);
    expect(tuned.young).toBeLessThanOrEqual(2 * 2 ** 20);
    expect(untuned.young).toBeGreaterThan(tuned.young);
  });
});
