// `slide-illustrate review <deck>`: serves the review page until Ctrl-C. The URL (with its secret)
// is the first line on stdout; the browser opens when it can (--no-open: never).
import type { ReviewArgs } from '../args.js';
import type { CliIo } from '../io.js';
import { loadRunConfig, runOptions } from '../run-context.js';
import { listenForStop } from '../stop-signal.js';
import { printable } from '../../internal/printable.js';

export async function runReview(args: ReviewArgs, io: CliIo): Promise<number> {
  const config = await loadRunConfig(args, io);
  // Lazy: the server, the page and the review session load only for this command.
  const { serveReview, openBrowser } = await import('../../review/serve.js');
  // Ctrl-C stops the server and aborts an API call in flight (an abandoned picture is not written anywhere).
  const stop = listenForStop();
  try {
    const served = await serveReview(args.deck, {
      ...runOptions(args, io),
      config,
      out: args.out,
      port: args.port,
      maxImages: args.maxImages,
      variants: args.variants,
      signal: stop.signal,
      onRefused: args.debug
        ? (status, why, url) => io.stderr.write(`debug: refused (${status}, ${why}): ${printable(url.replace(/\/s\/[^/]*/, '/s/…'))}\n`)
        : undefined,
    });
    try {
      io.stdout.write(`${served.url}\n`);
      io.stdout.write(`review: each decision is saved to ${printable(served.sidecar)} at once; Ctrl-C stops the server\n`);
      if (args.open && !(await openBrowser(served.url, { env: io.env })))
        io.stderr.write('slide-illustrate: could not open a browser; open the URL above\n');
      if (!stop.signal.aborted)
        await new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true }));
    } finally {
      await served.close();
    }
  } finally {
    stop.dispose();
  }
  io.stdout.write('review: stopped\n');
  return 0;
}
