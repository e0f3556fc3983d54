/**
 * The webhook HTTP client against a local node:http server: the address
 * guard (IP literal and resolved name), no redirects, the capped excerpt,
 * the deadline and Retry-After.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { EXCERPT_CHARS, OutboundClient } from '../../../src/webhooks/outbound-client.js';

let server: Server;
let origin = '';
let connections = 0;
const client = new OutboundClient(4);

before(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/redirect') return void res.writeHead(301, { Location: '/target' }).end();
      if (req.url === '/big') return void res.writeHead(200).end('é'.repeat(200_000));
      if (req.url === '/slow') return void setTimeout(() => res.writeHead(200).end('late'), 2_000);
      if (req.url === '/busy') return void res.writeHead(429, { 'Retry-After': '30' }).end('busy');
      res.writeHead(204).end();
    });
  });
  server.on('connection', () => {
    connections += 1;
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(async () => {
  await client.close();
  server.closeAllConnections();
  server.close();
});

const send = (url: string, allowPrivate = true, timeoutMs = 5_000) => client.send({ url, headers: {}, body: '{}', timeoutMs, allowPrivate });

describe('outbound client', () => {
  it('refuses a private IP literal without connecting', async () => {
    const before = connections;
    const outcome = await send(`${origin}/`, false);
    assert.equal(outcome.status, null);
    assert.equal(outcome.error, 'refused: private address 127.0.0.1');
    assert.equal(connections, before);
  });

  it('refuses a name resolving to a private address, checked at connect time', async () => {
    const before = connections;
    const outcome = await send(`${origin.replace('127.0.0.1', 'localhost')}/`, false);
    assert.equal(outcome.status, null);
    assert.match(outcome.error ?? '', /^refused: private address (127\.0\.0\.1|::1)/);
    assert.equal(connections, before);
  });

  it('refuses other schemes and always refuses unspecified addresses', async () => {
    assert.match((await send('ftp://example.com/')).error ?? '', /^refused: scheme/);
    assert.match((await send('http://0.0.0.0:9/')).error ?? '', /^refused: unspecified/);
  });

  it('reaches it with allow_private', async () => {
    const outcome = await send(`${origin}/`);
    assert.equal(outcome.status, 204);
    assert.equal(outcome.error, null);
  });

  it('does not follow redirects', async () => {
    const outcome = await send(`${origin}/redirect`);
    assert.equal(outcome.status, 301);
  });

  it('keeps 1,024 characters of a large answer', async () => {
    const outcome = await send(`${origin}/big`);
    assert.equal(outcome.status, 200);
    assert.equal(outcome.responseExcerpt?.length, EXCERPT_CHARS);
  });

  it('times out', async () => {
    const started = Date.now();
    const outcome = await send(`${origin}/slow`, true, 300);
    assert.equal(outcome.error, 'timeout');
    assert.ok(Date.now() - started < 1_500);
  });

  it('reads Retry-After', async () => {
    const outcome = await send(`${origin}/busy`);
    assert.equal(outcome.status, 429);
    assert.equal(outcome.retryAfterSeconds, 30);
    assert.equal(outcome.responseExcerpt, 'busy');
  });

  it('answers a connection failure as an outcome', async () => {
    const outcome = await send('http://127.0.0.1:1/');
    assert.equal(outcome.status, null);
    assert.equal(outcome.error, 'connection refused');
  });
});
