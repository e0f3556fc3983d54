/** The fixed-window algorithm, the memory backend and the headers (D-L1). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readGatewaySettings } from '../../../src/config/gateway-settings.js';
import { decide, windowStart } from '../../../src/ratelimit/fixed-window.js';
import { limitedHeaders, rateLimitHeaders } from '../../../src/ratelimit/headers.js';
import { createRateLimiter } from '../../../src/ratelimit/limiter.js';
import { MemoryCounterStore } from '../../../src/ratelimit/memory-store.js';
import type { Logger } from '../../../src/observability/logger.js';

const silent = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined } as unknown as Logger;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('fixed window', () => {
  it('aligns windows on the minute', () => {
    assert.equal(windowStart(T0 + 59_999), T0);
    assert.equal(windowStart(T0 + 60_000), T0 + 60_000);
  });

  it('allows up to the limit and reports remaining and reset', () => {
    const d = decide(5, 5, T0 + 20_500);
    assert.equal(d.allowed, true);
    assert.equal(d.remaining, 0);
    assert.equal(d.resetAt, (T0 + 60_000) / 1000);
    assert.equal(d.resetIn, 40);
    const over = decide(5, 6, T0 + 59_999);
    assert.equal(over.allowed, false);
    assert.equal(over.remaining, 0);
    assert.equal(over.resetIn, 1);
  });
});

describe('memory backend', () => {
  it('limits the 6th request of a 5/min bucket and restarts in the next window', async () => {
    let now = T0 + 1_000;
    const limiter = createRateLimiter({ memory: new MemoryCounterStore(), database: new MemoryCounterStore() }, () => now);
    const results: boolean[] = [];
    for (let i = 0; i < 6; i += 1) results.push((await limiter.consume('api_key:1', 5, 'memory')).allowed);
    assert.deepEqual(results, [true, true, true, true, true, false]);
    assert.equal((await limiter.consume('api_key:2', 5, 'memory')).remaining, 4, 'buckets are separate');
    now = T0 + 60_000;
    assert.equal((await limiter.consume('api_key:1', 5, 'memory')).remaining, 4);
  });

  it('uses the backend it is given', async () => {
    const memory = new MemoryCounterStore();
    const database = new MemoryCounterStore();
    const limiter = createRateLimiter({ memory, database }, () => T0);
    await limiter.consume('b', 10, 'database');
    assert.equal((await limiter.consume('b', 10, 'memory')).remaining, 9);
  });
});

describe('headers', () => {
  it('sets the X-RateLimit trio and the IETF draft fields; Retry-After only when limited', () => {
    const d = decide(100, 30, T0 + 15_000);
    assert.deepEqual(rateLimitHeaders(d), {
      'X-RateLimit-Limit': '100',
      'X-RateLimit-Remaining': '70',
      'X-RateLimit-Reset': String((T0 + 60_000) / 1000),
      'RateLimit-Policy': '"default";q=100;w=60',
      RateLimit: '"default";r=70;t=45',
    });
    assert.equal(limitedHeaders(d)['Retry-After'], '45');
  });
});

describe('rate limit settings', () => {
  it('defaults to the database backend, 600 per key and 60 per address', () => {
    const s = readGatewaySettings({}, silent);
    assert.equal(s.rateLimitBackend, 'database');
    assert.equal(s.rateLimitDefault, 600);
    assert.equal(s.rateLimitAnonymous, 60);
  });

  it('reads the parameters and ignores invalid ones', () => {
    const s = readGatewaySettings({ 'rest_gateway.rate_limit_backend': 'memory', 'rest_gateway.rate_limit_default': '50', 'rest_gateway.rate_limit_anonymous': '-3' }, silent);
    assert.equal(s.rateLimitBackend, 'memory');
    assert.equal(s.rateLimitDefault, 50);
    assert.equal(s.rateLimitAnonymous, 60);
    assert.equal(readGatewaySettings({ 'rest_gateway.rate_limit_backend': 'redis' }, silent).rateLimitBackend, 'database');
    assert.equal(readGatewaySettings({ 'rest_gateway.rate_limit_backend': 'off' }, silent).rateLimitBackend, 'off');
  });
});
