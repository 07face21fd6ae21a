import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterEach, describe, expect, test } from 'vitest';
import { nodeTransport, type TransportRequest } from '../../src/providers/transport.js';

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

// A loopback server answering with `handler`; its base URL.
async function serve(handler: Handler): Promise<string> {
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => handler(req, Buffer.concat(parts).toString('utf8'), res));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const init = (more: Partial<TransportRequest> = {}): TransportRequest => ({
  method: 'GET',
  headers: {},
  body: null,
  signal: new AbortController().signal,
  ...more,
});

async function readAll(body: AsyncIterable<Uint8Array> | null): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of body ?? []) parts.push(Buffer.from(c));
  return Buffer.concat(parts).toString('utf8');
}

describe('nodeTransport', () => {
  test('says when the request has left (for the rate limiter), before the answer is handed over', async () => {
    const events: string[] = [];
    const url = await serve((_req, body, res) => {
      events.push(`server got ${body}`);
      setTimeout(() => res.end('{}'), 30);
    });
    const res = await nodeTransport(url, init({ method: 'POST', body: '{"a":1}', onSent: () => events.push('sent') }));
    events.push(`answer ${res.status}`);
    // (The server, in this same process, may read it before the client hears its write has finished.)
    expect(events.filter((e) => e !== 'server got {"a":1}')).toEqual(['sent', 'answer 200']);
    expect(events).toContain('server got {"a":1}');
  });

  test('sends method, headers and a JSON body; returns status, headers (any case) and the body', async () => {
    let seen: { method?: string; auth?: string; type?: string; length?: string; body?: string } = {};
    const base = await serve((req, body, res) => {
      seen = {
        method: req.method,
        auth: req.headers.authorization,
        type: req.headers['content-type'],
        length: req.headers['content-length'],
        body,
      };
      res.setHeader('x-request-id', 'req-1');
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end('{"ok":true,"text":"é"}');
    });
    const body = JSON.stringify({ prompt: 'un château' });
    const res = await nodeTransport(
      `${base}/v1/x`,
      init({ method: 'POST', headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body }),
    );
    expect(seen).toEqual({ method: 'POST', auth: 'Bearer t', type: 'application/json', length: String(Buffer.byteLength(body)), body });
    expect(res.status).toBe(201);
    expect(res.ok).toBe(true);
    expect(res.headers.get('X-Request-Id')).toBe('req-1');
    expect(res.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(res.headers.get('retry-after')).toBeNull();
    expect(await res.text()).toBe('{"ok":true,"text":"é"}');
  });

  test('a non-2xx answer is not ok and still readable', async () => {
    const base = await serve((_req, _body, res) => {
      res.writeHead(503, { 'retry-after': '2' });
      res.end('{"error":"down"}');
    });
    const res = await nodeTransport(base, init());
    expect([res.status, res.ok, res.headers.get('retry-after')]).toEqual([503, false, '2']);
    expect(await res.text()).toBe('{"error":"down"}');
  });

  test.each([
    ['gzip', zlib.gzipSync],
    ['deflate', zlib.deflateSync],
    ['br', zlib.brotliCompressSync],
  ] as const)('a %s answer is inflated, and its wire length hidden', async (encoding, compress) => {
    const json = JSON.stringify({ data: [{ b64_json: 'QUJD'.repeat(5000) }] });
    let accepted: string | undefined;
    const base = await serve((req, _body, res) => {
      accepted = req.headers['accept-encoding'];
      const packed = compress(Buffer.from(json));
      res.writeHead(200, { 'content-encoding': encoding, 'content-length': String(packed.length) });
      res.end(packed);
    });
    const res = await nodeTransport(base, init());
    expect(accepted).toContain(encoding);
    expect(res.headers.get('content-length')).toBeNull();
    expect(await readAll(res.body)).toBe(json);
  });

  test('the body streams: its first bytes are readable before the answer ends', async () => {
    let finish: () => void = () => undefined;
    const base = await serve((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"first":');
      finish = () => res.end('true}');
    });
    const res = await nodeTransport(base, init());
    const it = res.body![Symbol.asyncIterator]();
    const first = await it.next();
    expect(Buffer.from(first.value as Uint8Array).toString()).toBe('{"first":');
    finish();
    let rest = '';
    for (let n = await it.next(); !n.done; n = await it.next()) rest += Buffer.from(n.value).toString();
    expect(rest).toBe('true}');
  });

  test('an abort before the answer rejects; an abort mid-body makes reading the body throw', async () => {
    const early = new AbortController();
    const base = await serve((req, _body, res) => {
      if (req.url === '/slow') return; // never answers
      res.writeHead(200);
      res.write('{"partial":');
    });
    const pending = nodeTransport(`${base}/slow`, init({ signal: early.signal }));
    setTimeout(() => early.abort(new Error('stop')), 20);
    await expect(pending).rejects.toThrow();

    const late = new AbortController();
    const res = await nodeTransport(`${base}/half`, init({ signal: late.signal }));
    const reading = readAll(res.body);
    setTimeout(() => late.abort(new Error('timeout')), 20);
    await expect(reading).rejects.toThrow();
  });

  test('a connection cut mid-body makes reading the body throw, not end quietly', async () => {
    const base = await serve((_req, _body, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('{"cut":');
      setTimeout(() => res.socket?.destroy(), 10);
    });
    const res = await nodeTransport(base, init());
    await expect(readAll(res.body)).rejects.toThrow();
  });

  test('a refused connection rejects with the socket error code', async () => {
    const base = await serve(() => undefined);
    const port = new URL(base).port;
    await new Promise((r) => servers.pop()!.close(r));
    await expect(nodeTransport(`http://127.0.0.1:${port}/`, init())).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('nodeTransport, compressed answers cut short', () => {
  test('a gzip answer whose connection is cut makes reading the body throw', async () => {
    const packed = (await import('node:zlib')).gzipSync(Buffer.from(JSON.stringify({ data: 'x'.repeat(200_000) })));
    const base = await serve((_req, _body, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(packed.length) });
      res.write(packed.subarray(0, 100));
      setTimeout(() => res.socket?.destroy(), 10);
    });
    const res = await nodeTransport(base, init());
    await expect(readAll(res.body)).rejects.toThrow();
  });
});

describe('nodeTransport, redirects', () => {
  test('307 and 308 are followed with method and body; the token goes along on the same origin only', async () => {
    const seen: { host: string; url?: string; method?: string; auth?: string; body: string }[] = [];
    const other = await serve((req, body, res) => {
      seen.push({ host: 'other', url: req.url, method: req.method, auth: req.headers.authorization, body });
      res.writeHead(200);
      res.end('{"at":"other"}');
    });
    const base = await serve((req, body, res) => {
      seen.push({ host: 'base', url: req.url, method: req.method, auth: req.headers.authorization, body });
      if (req.url === '/start') res.writeHead(307, { location: '/moved' }).end();
      else if (req.url === '/moved') res.writeHead(308, { location: `${other}/elsewhere` }).end('moved');
      else res.writeHead(500).end();
    });
    const hops: string[] = [];
    const res = await nodeTransport(
      `${base}/start`,
      init({
        method: 'POST',
        headers: { authorization: 'Bearer secret' },
        body: '{"n":1}',
        // Announced after the 3xx was read and before the next hop leaves; whether it goes back to the first origin.
        onRedirect: async (toOrigin) => void hops.push(`${seen.length}:${toOrigin}`),
      }),
    );
    expect(await res.text()).toBe('{"at":"other"}');
    expect(hops).toEqual(['1:true', '2:false']);
    expect(seen).toEqual([
      { host: 'base', url: '/start', method: 'POST', auth: 'Bearer secret', body: '{"n":1}' },
      { host: 'base', url: '/moved', method: 'POST', auth: 'Bearer secret', body: '{"n":1}' },
      { host: 'other', url: '/elsewhere', method: 'POST', auth: undefined, body: '{"n":1}' },
    ]);
  });

  test('a 303, or a 301 of a POST, comes back as it is; a loop stops after a few hops', async () => {
    let hits = 0;
    const base = await serve((req, _body, res) => {
      hits++;
      if (req.url === '/see-other') res.writeHead(303, { location: '/x' }).end('see');
      else if (req.url === '/moved') res.writeHead(301, { location: '/x' }).end('moved');
      else res.writeHead(307, { location: '/loop' }).end();
    });
    const see = await nodeTransport(`${base}/see-other`, init({ method: 'POST', body: '{}' }));
    expect([see.status, await see.text()]).toEqual([303, 'see']);
    const moved = await nodeTransport(`${base}/moved`, init({ method: 'POST', body: '{}' }));
    expect([moved.status, await moved.text()]).toEqual([301, 'moved']);
    hits = 0;
    const loop = await nodeTransport(`${base}/loop`, init());
    expect(loop.status).toBe(307);
    expect(hits).toBe(6);
  });
});
