// The review server's routes, behind the guard: the page and its script and style, the pictures,
// the state as JSON, and one POST per decision. Answers are plain data (Reply), so the routes are
// tested without a socket. Decisions run one at a time, so two quick clicks never race on the sidecar.
import type { ReviewAction, ReviewSession } from '../api/review.js';
import { DIRECTION_PLACEMENTS, type DirectionPlacement } from '../model/directions.js';
import { messageOf, SlideIllustrateError, UsageError } from '../errors.js';
import { redact } from '../internal/env.js';
import { REVIEW_CSS } from './page-css.js';
import { REVIEW_SCRIPT } from './page-script.js';
import { renderCard, renderHeader, renderPage, type PageState } from './page.js';
import type { Renderer } from './renderings.js';

export interface Reply {
  status: number;
  type: string;
  body: string | Buffer;
  location?: string;
}

export interface RouteRequest {
  method: string;
  /** The path after `/s/<secret>`, without the query ("" or "/…"). */
  path: string;
  /** A POST's body (JSON text). */
  body?: string | undefined;
  /** `/s/<secret>/`: where the page lives. */
  base: string;
}

/** What the routes answer from: the session, LibreOffice's drawings, and a lock that runs one decision at a time. */
export interface ReviewRoutes {
  session: ReviewSession;
  renderer: Pick<Renderer, 'available' | 'slides' | 'render' | 'png'>;
  /** Credential values no answer may show (an API error can quote a header back). */
  secrets: readonly string[];
  /** Runs `work` after every decision before it has finished. */
  serial<T>(work: () => Promise<T>): Promise<T>;
}

// The routes over a session.
export function reviewRoutes(session: ReviewSession, renderer: ReviewRoutes['renderer'], secrets: readonly string[] = []): ReviewRoutes {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    session,
    renderer,
    secrets,
    serial<T>(work: () => Promise<T>): Promise<T> {
      const next = tail.then(work, work);
      tail = next.catch(() => undefined);
      return next;
    },
  };
}

const HTML = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

// Answers one request that passed the guard; no text answer shows a credential.
export async function routeRequest(routes: ReviewRoutes, req: RouteRequest): Promise<Reply> {
  const reply = await answer(routes, req);
  return typeof reply.body === 'string' && routes.secrets.length ? { ...reply, body: redact(reply.body, routes.secrets) } : reply;
}

async function answer(routes: ReviewRoutes, req: RouteRequest): Promise<Reply> {
  const { session, renderer } = routes;
  const p = req.path;
  if (req.method !== 'POST') {
    if (p === '') return { status: 302, type: 'text/plain; charset=utf-8', body: '', location: req.base };
    if (p === '/') return { status: 200, type: HTML, body: renderPage(await pageState(routes)) };
    if (p === '/review.js') return { status: 200, type: 'text/javascript; charset=utf-8', body: REVIEW_SCRIPT };
    if (p === '/review.css') return { status: 200, type: 'text/css; charset=utf-8', body: REVIEW_CSS };
    if (p === '/api/state') return json(200, await session.state());
    const picture = /^\/picture\/(\d{1,4})\/(\d)$/.exec(p);
    if (picture) return image(await session.picture(Number(picture[1]), Number(picture[2])), 'image/jpeg');
    const rendering = /^\/rendering\/(\d{1,4})$/.exec(p);
    if (rendering) return image(await renderer.png(Number(rendering[1])), 'image/png');
    return notFound();
  }
  const body = parseBody(req.body);
  if (body === undefined) return json(400, { error: 'the request body is not a JSON object' });
  if (p === '/api/write') return decide(routes, () => session.write());
  if (p === '/api/render') return decide(routes, () => render(routes));
  const slide = /^\/api\/slide\/(\d{1,4})$/.exec(p);
  if (!slide) return notFound();
  const action = actionOf(body);
  if (typeof action === 'string') return json(400, { error: action });
  const number = Number(slide[1]);
  return decide(routes, () => session.act(number, action), number);
}

/** A decision's answer: what happened, and the fresh markup of the header and (when one slide changed) its card. */
export interface DecisionReply {
  message: string;
  header: string;
  card?: string;
  slide?: number;
}

// --- internal ---

async function decide(routes: ReviewRoutes, work: () => Promise<{ message: string }>, slide?: number): Promise<Reply> {
  return routes.serial(async () => {
    let message: string;
    let status = 200;
    try {
      message = (await work()).message;
    } catch (error) {
      // Refusals we expect (a bad value, over the budget) say why; the page shows it and nothing changed.
      status = error instanceof SlideIllustrateError ? 409 : 500;
      message = redact(messageOf(error), routes.secrets);
    }
    const state = await pageState(routes);
    const reply: DecisionReply = { message, header: renderHeader(state) };
    const card = slide === undefined ? undefined : state.slides.find((s) => s.plan.number === slide);
    if (card) {
      reply.card = renderCard(card, state);
      reply.slide = slide;
    }
    return json(status, reply);
  });
}

async function pageState(routes: ReviewRoutes): Promise<PageState> {
  const { available, slides } = routes.renderer;
  return { ...(await routes.session.state()), renderings: { available, slides: slides() } };
}

async function render(routes: ReviewRoutes): Promise<{ message: string }> {
  const { written } = await routes.session.state();
  if (!written) throw new UsageError('write the deck first: LibreOffice draws the written deck');
  const n = await routes.renderer.render(written.output);
  return { message: `LibreOffice drew ${n} slide${n === 1 ? '' : 's'} of ${written.output}` };
}

function parseBody(text: string | undefined): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text ?? '');
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The action a POST body asks for, or why it is not one. */
export function actionOf(body: Record<string, unknown>): ReviewAction | string {
  switch (body['action']) {
    case 'accept':
    case 'reroll':
    case 'generate':
      return { kind: body['action'] };
    case 'skip':
      return typeof body['skip'] === 'boolean' ? { kind: 'skip', skip: body['skip'] } : 'skip: expected true or false';
    case 'variant': {
      const v = body['variant'];
      return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 5
        ? { kind: 'variant', variant: v }
        : 'variant: expected 1 to 5';
    }
    case 'prompt': {
      const text = body['prompt'];
      return typeof text === 'string' && text.trim() ? { kind: 'prompt', prompt: text.trim() } : 'prompt: expected the prompt text';
    }
    case 'placement': {
      const where = body['placement'];
      return typeof where === 'string' && (DIRECTION_PLACEMENTS as readonly string[]).includes(where)
        ? { kind: 'placement', placement: where as DirectionPlacement }
        : `placement: expected one of ${DIRECTION_PLACEMENTS.join(', ')}`;
    }
    default:
      return `action: unknown (${JSON.stringify(body['action'] ?? null)})`;
  }
}

function json(status: number, value: unknown): Reply {
  return { status, type: JSON_TYPE, body: JSON.stringify(value) };
}

function image(data: Buffer | undefined, type: string): Reply {
  return data ? { status: 200, type, body: data } : notFound();
}

function notFound(): Reply {
  return { status: 404, type: 'text/plain; charset=utf-8', body: 'not found\n' };
}
