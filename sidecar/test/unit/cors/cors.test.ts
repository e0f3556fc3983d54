import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import Router from '@koa/router';
import Koa from 'koa';
import type { GatewayConfigCache } from '../../../src/config/gateway-config-cache.js';
import { corsMiddleware } from '../../../src/cors/cors.js';
import { parseOriginList } from '../../../src/cors/origins.js';
import { problemResponder } from '../../../src/observability/problem-responder.js';
import { createLogger } from '../../../src/observability/logger.js';

const GLOBAL = 'https://app.example.com';
const KEY_ONLY = 'https://partner.example.com';

describe('CORS middleware', () => {
  let base = '';
  let server: ReturnType<Koa['listen']>;
  before(async () => {
    const config = {
      config: { configuredOrigins: new Set([GLOBAL, KEY_ONLY]), settings: { corsOrigins: new Set([GLOBAL]) } },
    } as unknown as GatewayConfigCache;
    const router = new Router();
    router.get('/items', (ctx) => { ctx.body = { ok: true }; });
    router.post('/items', (ctx) => { ctx.body = { ok: true }; });
    router.delete('/items/:id', (ctx) => { ctx.status = 204; });
    const app = new Koa();
    app.use(async (ctx, next) => { ctx.state.requestId = 'r'; await next(); });
    app.use(problemResponder(createLogger('error', () => undefined)));
    app.use(corsMiddleware(config, router));
    app.use(router.routes());
    server = app.listen(0);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  const preflight = (path: string, origin: string) =>
    fetch(`${base}${path}`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' } });

  it('answers a preflight with the methods of that route', async () => {
    const r = await preflight('/items', GLOBAL);
    assert.equal(r.status, 204);
    assert.equal(r.headers.get('access-control-allow-methods'), 'GET, HEAD, POST, OPTIONS');
    assert.equal(r.headers.get('access-control-allow-credentials'), 'true');
    assert.equal((await preflight('/items/3', GLOBAL)).headers.get('access-control-allow-methods'), 'DELETE, OPTIONS');
    assert.equal((await preflight('/nowhere', GLOBAL)).status, 404);
  });

  it('gives credentials to globally listed origins only', async () => {
    const r = await preflight('/items', KEY_ONLY);
    assert.equal(r.headers.get('access-control-allow-origin'), KEY_ONLY);
    assert.equal(r.headers.get('access-control-allow-credentials'), null);
    const denied = await preflight('/items', 'https://evil.example.com');
    assert.equal(denied.status, 403);
    assert.equal(denied.headers.get('access-control-allow-origin'), null);
  });

  it('exposes the request id, rate-limit and timing headers on actual requests', async () => {
    const r = await fetch(`${base}/items`, { headers: { Origin: GLOBAL } });
    assert.equal(r.headers.get('access-control-allow-origin'), GLOBAL);
    assert.match(r.headers.get('access-control-expose-headers') ?? '', /X-Request-ID.*X-RateLimit-Limit.*X-RateLimit-Remaining.*X-RateLimit-Reset.*Server-Timing/);
    assert.match(r.headers.get('vary') ?? '', /Origin/);
    const other = await fetch(`${base}/items`, { headers: { Origin: 'https://evil.example.com' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });

  it('normalizes origin lists', () => {
    assert.deepEqual([...parseOriginList('HTTPS://App.Example.com/, https://b.example:8443\ncapacitor://localhost')], [
      'https://app.example.com', 'https://b.example:8443', 'capacitor://localhost',
    ]);
  });
});
