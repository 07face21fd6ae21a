// Bundles the CLI (dist/cli/main.js, compiled by tsc) into dist/cli.bundle.js and lazily loaded
// chunks: one file loads in a fraction of the time the ~60 modules it is made of take.
//
// One substitution: yargs, cliui and wrap-ansi (yargs' help layout) get src/cli/text-width.ts in
// place of string-width, which builds an Intl.Segmenter and Unicode-property patterns when it
// loads (41-52 ms of every start-up; see that file). log-update keeps the real string-width: it
// loads only for a progress line on a terminal.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const textWidth = path.join(root, 'dist/cli/text-width.js');
const HELP_LAYOUT = /[\\/]node_modules[\\/](yargs|cliui|wrap-ansi)[\\/]/;

/** @type {import('esbuild').Plugin} */
const helpTextWidth = {
  name: 'help-text-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, (args) =>
      HELP_LAYOUT.test(args.importer) && !/[\\/]log-update[\\/]/.test(args.importer) ? { path: textWidth } : undefined,
    );
  },
};

await rm(path.join(root, 'dist/chunks'), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { 'cli.bundle': 'dist/cli/main.js' },
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external: ['sharp', 'bullmq', 'ioredis'],
  logLevel: 'warning',
  outdir: 'dist',
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  plugins: [helpTextWidth],
});
