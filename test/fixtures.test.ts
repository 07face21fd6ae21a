// The test decks themselves must be valid packages, or every test built on them proves less.
import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { fixtures, type FixtureName } from '../fixtures/index.js';
import { partProblems } from '../src/pptx/validate-package.js';

describe('fixture decks', () => {
  it.each(Object.keys(fixtures) as FixtureName[])('%s is a valid package', async (name) => {
    const zip = await JSZip.loadAsync(await readFile(fixtures[name]));
    const parts = Object.values(zip.files)
      .filter((f) => !f.dir)
      .map((f) => f.name);
    expect(await partProblems(zip, parts)).toEqual([]);
  });
});
