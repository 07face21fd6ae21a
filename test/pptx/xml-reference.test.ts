// parseXml builds the same tree as fast-xml-parser in its lossless mode (the way it parsed until it
// built the tree itself), on every XML part of every deck of the corpus.
import { readdir, readFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Package } from '../../src/pptx/package.js';
import { parseXml } from '../../src/pptx/xml.js';
import { referenceParse } from '../helpers/fxp-reference.js';
import { requireCorpus } from '../helpers/paths.js';
describe('parseXml against fast-xml-parser', () => {
  it('small cases: text, comments, entities, attributes in both quotes, formatting whitespace', () => {
    for (const xml of [
      '<a x="1" y=\'2\' z = "a&amp;b&#x41;"><b/> <c>  </c><d>t<!-- c -->u</d></a>',
      '<?xml version="1.0"?>\n<p:sld xmlns:p="p"><p:t>007</p:t>\n  <p:t>\t</p:t></p:sld>\n',
      '<a><b>x</b>tail<c/>  </a>',
      '<a b="&lt;&gt;" c="&#1;"/>',
      '<a b="x\r\ny">line\r\nend\rcr&#13;kept</a>',
    ]) {
      expect(parseXml(xml), xml).toEqual(referenceParse(xml));
    }
  });

  it('every XML part of the corpus parses to the same tree', { timeout: 600_000 }, async () => {
    const dir = requireCorpus();
    const decks = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.pptx'));
    let parts = 0;
    const differ: string[] = [];
    for (const deck of decks) {
      let pkg: Package;
      try {
        pkg = await Package.open(deck, await readFile(path.join(dir, deck)));
      } catch {
        continue; // a deck refused at open (encrypted, corrupt) has no parts to compare
      }
      for (const name of pkg.names().filter((n) => /\.(xml|rels)$/i.test(n))) {
        let text: string;
        try {
          text = await pkg.readText(name);
        } catch {
          continue;
        }
        let ours: unknown;
        let theirs: unknown;
        try {
          ours = parseXml(text);
        } catch (error) {
          ours = `refused: ${(error as Error).name}`;
        }
        if (typeof ours === 'string') {
          // What we refuse (a DTD, unbalanced tags), the reference run was refused too: by the safety check before it.
          differ.push(`${deck} ${name}: ${ours}`);
          continue;
        }
        try {
          theirs = referenceParse(text);
        } catch (error) {
          theirs = `refused: ${(error as Error).message}`;
        }
        parts++;
        if (!isDeepStrictEqual(ours, theirs)) differ.push(`${deck} ${name}`);
      }
    }
    expect(parts).toBeGreaterThan(7_000);
    expect(differ).toEqual([]);
  });
});
