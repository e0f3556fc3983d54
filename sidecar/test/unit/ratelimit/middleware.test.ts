/** The anonymous per-address limit and the headers on errors, through a minimal Koa app (D-L1). */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import Koa from 'koa';
import type { GatewayConfigCache } from '../../../src/config/gateway-config-cache.js';
import { readGatewaySettings } from '../../../src/config/gateway-settings.js';
import type { ApiState } from '../../../src/http/types.js';
import type { Logger } from '../../../src/observability/logger.js';
import { problemResponder } from '../../../src/observability/problem-responder.js';
import { createRateLimiter } from '../../../src/ratelimit/limiter.js';
import { MemoryCounterStore } from '../../../src/ratelimit/memory-store.js';
import { rateLimitHeadersMiddleware } from '../../../src/ratelimit/middleware.js';

const silent = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined } as unknown as Logger;
const settings = { ...readGatewaySettings({ 'rest_gateway.rate_limit_anonymous': '2' }, silent), rateLimitBackend: 'memory' as const };
const config = { config: { settings } } as unknown as GatewayConfigCache;

describe('rate limit middleware', async () => {
  const app = new Koa<ApiState>();
  app.silent = true;
  app.use(async (ctx, next) => {
    ctx.state.requestId = 'test';
    ctx.state.clientAddress = '192.0.2.1';
    await next();
  });
  app.use(problemResponder(silent));
  // the address is counted fresh per app: a fixed clock keeps the test inside one window
  app.use(rateLimitHeadersMiddleware(createRateLimiter({ memory: new MemoryCounterStore(), database: new MemoryCounterStore() }, () => 30_000), config));
  app.use((ctx) => {
    if (ctx.path === '/missing') return;
    ctx.body = { data: 'ok' };
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  after(() => server.close());

  it('limits requests without a credential per address, with headers on 404 and 429', async () => {
    const first = await fetch(`${base}/x`);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-ratelimit-limit'), '2');
    assert.equal(first.headers.get('x-ratelimit-remaining'), '1');
    const missing = await fetch(`${base}/missing`);
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('x-ratelimit-remaining'), '0');
    const limited = await fetch(`${base}/x`);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '30');
    assert.equal(limited.headers.get('ratelimit'), '"default";r=0;t=30');
    assert.equal(((await limited.json()) as { code: string }).code, 'rate_limited');
  });

  it('exempts health checks', async () => {
    const health = await fetch(`${base}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(health.headers.get('x-ratelimit-limit'), null);
  });
});

describe('rate limit middleware, off backend', async () => {
  const off = { config: { settings: { ...settings, rateLimitBackend: 'off' as const } } } as unknown as GatewayConfigCache;
  const counted: string[] = [];
  const limiter = createRateLimiter({ memory: new MemoryCounterStore(), database: new MemoryCounterStore() }, () => 30_000);
  const app = new Koa<ApiState>();
  app.use(async (ctx, next) => {
    ctx.state.requestId = 'test';
    ctx.state.clientAddress = '192.0.2.2';
    await next();
  });
  app.use(problemResponder(silent));
  app.use(rateLimitHeadersMiddleware({ ...limiter, consume: (...args) => (counted.push(args[0]), limiter.consume(...args)) }, off));
  app.use((ctx) => {
    ctx.body = { data: 'ok' };
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  after(() => server.close());

  it('counts nothing and sets no headers, past any limit', async () => {
    for (let i = 0; i < 4; i += 1) {
      const response = await fetch(`${base}/x`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('x-ratelimit-limit'), null);
      assert.equal(response.headers.get('ratelimit'), null);
    }
    assert.deepEqual(counted, []);
  });
});
