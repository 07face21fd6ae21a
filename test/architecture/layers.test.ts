// The import graph of src/, read from every file's import and export-from statements (type-only
// ones too: they shape the structure as much). Layers import one way only, and no file reaches
// itself through its imports (issue 14):
//   cli → review → library (index.ts, api/) → queue → pipeline → stages, report → cache → pptx, providers → images,
//   prompt → config → model → internal → errors.ts
// and the CLI and the review page (a server over the library) reach everything below the library through it.
// Written as a test over the source rather than with dependency-cruiser: forty lines, no new
// dependency, and the rule table below is the documentation.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths.js';

const SRC = path.join(repoRoot, 'src');

/** A folder's rank: a file may import its own folder, or a folder of lower rank. Equal ranks do not mix. */
const RANK: Record<string, number> = {
  cli: 8,
  // The review page's server: the CLI starts it (lazily); it sits on the library as the CLI does.
  review: 7.8,
  api: 7,
  'index.ts': 7.5,
  // BullMQ workers and submit (issue 15): they run plan entries and apply plans, so above the pipeline;
  // the library's api/queue.ts composes them. Only src/queue loads bullmq/ioredis (lazily).
  queue: 6.5,
  pipeline: 6,
  stages: 5,
  report: 5,
  cache: 4,
  pptx: 3,
  providers: 3,
  // Providers build their requests with prompt/ and make offline art with images/.
  images: 2.5,
  prompt: 2.5,
  config: 2,
  model: 1,
  internal: 0,
  'errors.ts': -1,
};

/** The CLI is a shell over the library: beside its own folder it imports only these (and the review server). */
const CLI_MAY_IMPORT = new Set(['review', 'api', 'index.ts', 'config', 'model', 'internal', 'errors.ts']);
/** The review server, like the CLI, imports the library and what the library's types are made of. */
const REVIEW_MAY_IMPORT = new Set(['api', 'index.ts', 'config', 'model', 'internal', 'errors.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : /\.ts$/.test(e.name) && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Relative imports of a file, as src-relative paths (".js" specifiers name the .ts source). */
export function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+'(\.[^']+)'/gms)].map((m) => m[1]!);
  return specs.map((s) => path.relative(SRC, path.resolve(path.dirname(file), s.replace(/\.js$/, '.ts'))));
}

const top = (rel: string) => rel.split(path.sep)[0]!;

export function importGraph(): Map<string, string[]> {
  return new Map(sourceFiles(SRC).map((f) => [path.relative(SRC, f), importsOf(f)]));
}

export function wrongWayImports(graph: Map<string, string[]>): string[] {
  const bad: string[] = [];
  for (const [file, imports] of graph) {
    const from = top(file);
    for (const target of imports) {
      const to = top(target);
      if (to === from) continue;
      const [a, b] = [RANK[from], RANK[to]];
      const shell = from === 'cli' ? CLI_MAY_IMPORT : from === 'review' ? REVIEW_MAY_IMPORT : undefined;
      if (a === undefined || b === undefined || b >= a || (shell && !shell.has(to))) bad.push(`${file} → ${target}`);
    }
  }
  return bad.sort();
}

/** Every cycle, as the files around it (each reported once, from its smallest file). */
export function cycles(graph: Map<string, string[]>): string[] {
  const found = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'open') {
        const loop = stack.slice(stack.indexOf(next));
        const start = loop.indexOf([...loop].sort()[0]!);
        found.add([...loop.slice(start), ...loop.slice(0, start)].join(' → '));
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return [...found].sort();
}

describe('the import graph of src/', () => {
  const graph = importGraph();

  it('is read: every file is seen, with its imports', () => {
    expect(graph.size).toBeGreaterThan(80);
    expect(graph.get(path.join('cli', 'main.ts'))!.length).toBeGreaterThan(3);
  });

  it('runs one way: no import goes up a layer or across to a sibling layer', () => {
    expect(wrongWayImports(graph)).toEqual([]);
  });

  it('has no circles', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('the checks find what they are for: a wrong-way import and a circle are reported', () => {
    const bad = new Map([
      [path.join('stages', 'a.ts'), [path.join('pipeline', 'b.ts')]],
      [path.join('pipeline', 'b.ts'), [path.join('stages', 'a.ts')]],
      [path.join('pptx', 'c.ts'), [path.join('providers', 'd.ts')]],
      [path.join('cli', 'e.ts'), [path.join('pipeline', 'b.ts'), path.join('api', 'f.ts')]],
      [path.join('review', 'g.ts'), [path.join('report', 'h.ts'), path.join('api', 'f.ts'), path.join('cli', 'e.ts')]],
    ]);
    expect(wrongWayImports(bad)).toEqual([
      `${path.join('cli', 'e.ts')} → ${path.join('pipeline', 'b.ts')}`,
      `${path.join('pptx', 'c.ts')} → ${path.join('providers', 'd.ts')}`,
      `${path.join('review', 'g.ts')} → ${path.join('cli', 'e.ts')}`,
      `${path.join('review', 'g.ts')} → ${path.join('report', 'h.ts')}`,
      `${path.join('stages', 'a.ts')} → ${path.join('pipeline', 'b.ts')}`,
    ]);
    expect(cycles(bad)).toEqual([`${path.join('pipeline', 'b.ts')} → ${path.join('stages', 'a.ts')}`]);
  });
});
