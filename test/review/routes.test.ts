// The review routes without a socket: pages, pictures, decisions parsed and passed to the session
// one at a time, refusals said in the reply.
import { describe, expect, it } from 'vitest';
import { SlideIllustrateError, UsageError } from '../../src/errors.js';
import { actionOf, reviewRoutes, routeRequest, type DecisionReply } from '../../src/review/routes.js';
import { fakeSession, fakeSlide, noRenderer } from '../helpers/review-session.js';

const base = '/s/secret/';
const get = (path: string) => ({ method: 'GET', path, base });
const post = (path: string, body: unknown) => ({
  method: 'POST',
  path,
  base,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('routeRequest', () => {
  it('serves the page, its script and style, and sends the bare secret path to the page', async () => {
    const routes = reviewRoutes(fakeSession(), noRenderer);
    const page = await routeRequest(routes, get('/'));
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/^text\/html/);
    expect(page.body).toContain('<script src="review.js"></script>');
    expect(page.body).toContain('id="slide-2"');
    expect((await routeRequest(routes, get('/review.js'))).type).toMatch(/^text\/javascript/);
    expect((await routeRequest(routes, get('/review.css'))).body).toContain('.variant');
    expect(await routeRequest(routes, get(''))).toMatchObject({ status: 302, location: base });
  });

  it('serves a cached variant as JPEG and 404s what is not there', async () => {
    const routes = reviewRoutes(fakeSession(), noRenderer);
    expect(await routeRequest(routes, get('/picture/1/1'))).toMatchObject({ status: 200, type: 'image/jpeg' });
    expect((await routeRequest(routes, get('/picture/2/1'))).status).toBe(404);
    expect((await routeRequest(routes, get('/picture/x/1'))).status).toBe(404);
    expect((await routeRequest(routes, get('/rendering/1'))).status).toBe(404);
    expect((await routeRequest(routes, get('/../../etc/passwd'))).status).toBe(404);
  });

  it('passes a decision to the session and answers with the fresh header and card', async () => {
    const session = fakeSession();
    const routes = reviewRoutes(session, noRenderer);
    const reply = await routeRequest(routes, post('/api/slide/2', { action: 'variant', variant: 2 }));
    expect(reply.status).toBe(200);
    const body = JSON.parse(String(reply.body)) as DecisionReply;
    expect(body.message).toBe('did variant on 2');
    expect(body.slide).toBe(2);
    expect(body.card).toMatch(/^<article class="rcard" id="slide-2"/);
    expect(body.header).toContain('Write deck');
    expect(session.acts).toEqual([{ slide: 2, action: { kind: 'variant', variant: 2 } }]);
    await routeRequest(routes, post('/api/write', {}));
    expect(session.writes).toBe(1);
  });

  it('refuses a bad body or action with 400, and says why a session refused (409) without changing anything', async () => {
    const session = fakeSession();
    const routes = reviewRoutes(session, noRenderer);
    expect((await routeRequest(routes, post('/api/slide/1', 'not json'))).status).toBe(400);
    expect((await routeRequest(routes, post('/api/slide/1', [1]))).status).toBe(400);
    const unknown = await routeRequest(routes, post('/api/slide/1', { action: 'delete-everything' }));
    expect(unknown.status).toBe(400);
    expect(String(unknown.body)).toContain('action: unknown');
    expect((await routeRequest(routes, post('/api/nothing', {}))).status).toBe(404);
    session.failNext(new UsageError('slide 1: over --max-images (0 for this review)'));
    const refused = await routeRequest(routes, post('/api/slide/1', { action: 'reroll' }));
    expect(refused.status).toBe(409);
    expect((JSON.parse(String(refused.body)) as DecisionReply).message).toBe('slide 1: over --max-images (0 for this review)');
    expect(session.acts).toEqual([]);
  });

  it('never shows a credential: an API error quoting the token is masked in the reply', async () => {
    const token = 'ik-secret-token-1234567890';
    const session = fakeSession();
    const routes = reviewRoutes(session, noRenderer, [token]);
    session.failNext(new SlideIllustrateError(`slide 1: no picture (POST /images: 400 Authorization: Bearer ${token})`));
    const reply = await routeRequest(routes, post('/api/slide/1', { action: 'generate' }));
    expect(reply.status).toBe(409);
    expect(String(reply.body)).not.toContain(token);
    expect((JSON.parse(String(reply.body)) as DecisionReply).message).toBe(
      'slide 1: no picture (POST /images: 400 Authorization: Bearer [redacted])',
    );
  });

  it('runs decisions one at a time, in the order they came', async () => {
    const session = fakeSession();
    const order: string[] = [];
    const act = session.act.bind(session);
    session.act = async (slide, action) => {
      order.push(`start ${slide}`);
      await new Promise((r) => setTimeout(r, slide === 1 ? 40 : 1));
      order.push(`end ${slide}`);
      return act(slide, action);
    };
    const routes = reviewRoutes(session, noRenderer);
    await Promise.all([
      routeRequest(routes, post('/api/slide/1', { action: 'accept' })),
      routeRequest(routes, post('/api/slide/2', { action: 'accept' })),
    ]);
    expect(order).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('escapes slide text in the page: a title is text, never markup', async () => {
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const routes = reviewRoutes(
      fakeSession([fakeSlide(1, { title: evil, text: { title: evil, body: '', notes: '' }, prompt: evil })]),
      noRenderer,
    );
    const page = String((await routeRequest(routes, get('/'))).body);
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('actionOf', () => {
  it('reads each action, and names the field of a bad one', () => {
    expect(actionOf({ action: 'skip', skip: true })).toEqual({ kind: 'skip', skip: true });
    expect(actionOf({ action: 'prompt', prompt: '  a lighthouse in a storm ' })).toEqual({
      kind: 'prompt',
      prompt: 'a lighthouse in a storm',
    });
    expect(actionOf({ action: 'placement', placement: 'background' })).toEqual({ kind: 'placement', placement: 'background' });
    expect(actionOf({ action: 'reroll' })).toEqual({ kind: 'reroll' });
    expect(actionOf({ action: 'variant', variant: 6 })).toBe('variant: expected 1 to 5');
    expect(actionOf({ action: 'prompt', prompt: ' ' })).toBe('prompt: expected the prompt text');
    expect(actionOf({ action: 'placement', placement: 'top' })).toBe('placement: expected one of auto, placeholder, background, none');
    expect(actionOf({ action: 'skip' })).toBe('skip: expected true or false');
  });
});
