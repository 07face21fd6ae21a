#!/usr/bin/env node
// Thin shim: all behaviour lives in the compiled CLI, bundled into one file by `npm run build`
// (run by `npm install` through the prepare script): one file loads in ~80 ms, the ~60 modules
// it is made of in ~190 ms.
import { tuneHeapForPictures } from '../dist/cli/heap.js';

// Before the bundle loads: the young generation is held at its first size only if it has not grown yet.
tuneHeapForPictures();
const { main } = await import('../dist/cli.bundle.js');

// `slide-illustrate … | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv.slice(2));
