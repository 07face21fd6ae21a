// The review server on a real socket: only 127.0.0.1, a secret in every path, 403 for a wrong
// secret, a foreign Host or a foreign Origin, security headers on every answer.
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { reviewRoutes } from '../../src/review/routes.js';
import { MAX_BODY_BYTES, startReviewServer, type ReviewServer } from '../../src/review/server.js';
import { fakeSession, noRenderer } from '../helpers/review-session.js';

const servers: ReviewServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve() {
  const session = fakeSession();
  const refused: string[] = [];
  const server = await startReviewServer(reviewRoutes(session, noRenderer), {
    onRefused: (status, why) => refused.push(`${status} ${why}`),
  });
  servers.push(server);
  return { server, session, refused };
}

/** A raw request, so Host and Origin can be anything (fetch would not let a test set Host). */
function request(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the review server', () => {
  it('listens on 127.0.0.1 at a random port; its URL carries a fresh secret; the page answers with its policy headers', async () => {
    const { server } = await serve();
    const other = await startReviewServer(reviewRoutes(fakeSession(), noRenderer));
    servers.push(other);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/s\/[A-Za-z0-9_-]{32}\/$/);
    expect(other.secret).not.toBe(server.secret);
    const page = await request(server.port, `/s/${server.secret}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Write deck');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('answers 403 to a wrong or missing secret, a foreign Host and a foreign Origin, and never reaches the session', async () => {
    const { server, session, refused } = await serve();
    const { port, secret } = server;
    expect((await request(port, '/s/wrong-secret/')).status).toBe(403);
    expect((await request(port, '/')).status).toBe(403);
    expect((await request(port, `/s/${secret}/`, { headers: { host: `rebound.example:${port}` } })).status).toBe(403);
    expect((await request(port, `/s/${secret}/`, { headers: { origin: 'http://evil.example' } })).status).toBe(403);
    const post = (headers: Record<string, string>, path = `/s/${secret}/api/slide/1`) =>
      request(port, path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"action":"accept"}' });
    expect((await post({ origin: 'http://evil.example' })).status).toBe(403);
    expect((await post({})).status).toBe(403);
    expect((await post({ origin: `http://127.0.0.1:${port}` }, '/s/wrong/api/slide/1')).status).toBe(403);
    expect(session.acts).toEqual([]);
    expect(refused).toEqual([
      '403 missing or wrong secret',
      '403 missing or wrong secret',
      '403 foreign Host',
      '403 foreign Origin',
      '403 foreign Origin',
      '403 POST without Origin',
      '403 missing or wrong secret',
    ]);
    const ok = await post({ origin: `http://127.0.0.1:${port}` });
    expect(ok.status).toBe(200);
    expect(session.acts).toEqual([{ slide: 1, action: { kind: 'accept' } }]);
  });

  it('refuses a body larger than it reads (413)', async () => {
    const { server, session } = await serve();
    const big = JSON.stringify({ action: 'prompt', prompt: 'x'.repeat(MAX_BODY_BYTES) });
    const r = await request(server.port, `/s/${server.secret}/api/slide/1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: `http://127.0.0.1:${server.port}` },
      body: big,
    });
    expect(r.status).toBe(413);
    expect(session.acts).toEqual([]);
  });

  it('stops listening when closed', async () => {
    const { server } = await serve();
    await server.close();
    await expect(request(server.port, `/s/${server.secret}/`)).rejects.toThrow(/ECONNREFUSED/);
  });
});
