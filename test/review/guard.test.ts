// The review server's gate: the secret, the Host header (DNS rebinding) and the Origin (another page).
import { describe, expect, it } from 'vitest';
import { checkRequest, newSecret, pageUrl, type GuardRequest } from '../../src/review/guard.js';

const secret = 'A'.repeat(32);
const port = 4123;
const ours = { host: `127.0.0.1:${port}` };
const get = (url: string, headers: GuardRequest['headers'] = ours): GuardRequest => ({ method: 'GET', url, headers });
const post = (url: string, headers: GuardRequest['headers']): GuardRequest => ({ method: 'POST', url, headers });
const check = (req: GuardRequest) => checkRequest(req, { secret, port });

describe('checkRequest', () => {
  it('lets the page in with its secret, and hands the routes the path after it', () => {
    expect(check(get(`/s/${secret}/`))).toEqual({ ok: true, path: '/' });
    expect(check(get(`/s/${secret}/picture/3/2?k=abc`))).toEqual({ ok: true, path: '/picture/3/2' });
    expect(check(get(`/s/${secret}`))).toEqual({ ok: true, path: '' });
    expect(check(get(`/s/${secret}/`, { host: `localhost:${port}` }))).toEqual({ ok: true, path: '/' });
  });

  it('refuses a missing, wrong, shorter or longer secret with 403', () => {
    for (const url of [
      '/',
      '/favicon.ico',
      `/s/${secret.slice(1)}/`,
      `/s/${secret}B/`,
      `/s/${'B'.repeat(32)}/`,
      `/x/${secret}/`,
      `/?s=${secret}`,
    ])
      expect(check(get(url)), url).toEqual({ ok: false, status: 403, why: 'missing or wrong secret' });
  });

  it('refuses a foreign Host (a DNS-rebinding page names its own host), another port, or none', () => {
    for (const host of ['evil.example:4123', `127.0.0.1:${port + 1}`, '127.0.0.1', `[::1]:${port}`, undefined])
      expect(check(get(`/s/${secret}/`, { host })), String(host)).toMatchObject({ ok: false, status: 403, why: 'foreign Host' });
  });

  it('refuses a request from another page: foreign Origin, or cross-site fetch metadata', () => {
    for (const origin of ['http://evil.example', `https://127.0.0.1:${port}`, `http://127.0.0.1:${port + 1}`, 'null'])
      expect(check(get(`/s/${secret}/`, { ...ours, origin })), origin).toMatchObject({ ok: false, status: 403, why: 'foreign Origin' });
    expect(check(get(`/s/${secret}/picture/1/1`, { ...ours, 'sec-fetch-site': 'cross-site' }))).toMatchObject({ ok: false, status: 403 });
    expect(check(get(`/s/${secret}/`, { ...ours, 'sec-fetch-site': 'same-origin', origin: `http://127.0.0.1:${port}` })).ok).toBe(true);
  });

  it('takes a POST only with the secret, our Origin and a JSON body', () => {
    const json = { 'content-type': 'application/json' };
    const origin = `http://127.0.0.1:${port}`;
    expect(check(post(`/s/${secret}/api/write`, { ...ours, ...json, origin }))).toEqual({ ok: true, path: '/api/write' });
    expect(check(post(`/s/${secret}/api/write`, { ...ours, ...json }))).toMatchObject({ status: 403, why: 'POST without Origin' });
    expect(check(post(`/s/${secret}/api/write`, { ...ours, origin, 'content-type': 'text/plain' }))).toMatchObject({ status: 403 });
    expect(check(post(`/s/${secret}/api/write`, { ...ours, ...json, origin: 'http://evil.example' }))).toMatchObject({ status: 403 });
    expect(check(post(`/s/nope/api/write`, { ...ours, ...json, origin }))).toMatchObject({ status: 403 });
    expect(check({ method: 'DELETE', url: `/s/${secret}/`, headers: ours })).toMatchObject({ ok: false, status: 405 });
  });
});

describe('newSecret and pageUrl', () => {
  it('makes a fresh URL-safe secret of 32 characters each time; the URL carries it on 127.0.0.1', () => {
    const a = newSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(newSecret()).not.toBe(a);
    expect(pageUrl(4123, a)).toBe(`http://127.0.0.1:4123/s/${a}/`);
  });
});
