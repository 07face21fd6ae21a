// `slide-illustrate review`: the review session (library API) behind the review server. What the
// CLI imports, lazily, when the review command runs.
import { openReview, type ReviewOptions } from '../api/review.js';
import { UsageError } from '../errors.js';
import { secretsOf } from '../internal/env.js';
import { createRenderer } from './renderings.js';
import { reviewRoutes } from './routes.js';
import { startReviewServer, type ReviewServerOptions } from './server.js';

export { openBrowser } from './open-browser.js';

export interface ServeOptions extends ReviewOptions, ReviewServerOptions {}

export interface ServedReview {
  url: string;
  /** The directions file decisions are saved to. */
  sidecar: string;
  close(): Promise<void>;
}

// Opens the deck's review and serves it on 127.0.0.1.
export async function serveReview(deck: string, options: ServeOptions): Promise<ServedReview> {
  const session = await openReview(deck, options);
  // The first plan is made now: a deck that cannot be read fails the command, not the page.
  const { sidecar } = await session.state();
  const renderer = await createRenderer(options.env);
  const server = await startReviewServer(reviewRoutes(session, renderer, secretsOf(options.env)), options).catch(async (error: unknown) => {
    await session.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      const why = code === 'EADDRINUSE' ? 'in use by another program' : 'not allowed';
      throw new UsageError(`--port ${options.port}: ${why}; choose another, or leave --port out for a free one`);
    }
    throw error;
  });
  return {
    url: server.url,
    sidecar,
    async close() {
      await server.close();
      await session.close();
      await renderer.dispose();
    },
  };
}
