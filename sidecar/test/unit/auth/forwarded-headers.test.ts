/** X-Forwarded-Proto / -Host / -For are believed from TRUSTED_PROXIES only (Koa's app.proxy stays off). */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import Koa from 'koa';
import { parseAddressList } from '../../../src/auth/address-match.js';
import { clientAddressMiddleware, resolveForwardedOrigin } from '../../../src/auth/client-address.js';
import type { ApiState } from '../../../src/http/types.js';

async function serve(trustedProxies: string): Promise<string> {
  const app = new Koa<ApiState>();
  app.proxy = false;
  app.use(clientAddressMiddleware(parseAddressList(trustedProxies)));
  app.use((ctx) => {
    ctx.body = { protocol: ctx.protocol, host: ctx.host, secure: ctx.secure, ip: ctx.ip, address: ctx.state.clientAddress, href: ctx.href };
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  after(() => server.close());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const FORWARDED = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-For': '203.0.113.7' };

describe('forwarded headers', () => {
  it('are ignored from a peer that is not a trusted proxy', async () => {
    const base = await serve('192.0.2.0/24');
    const seen = (await (await fetch(`${base}/x`, { headers: FORWARDED })).json()) as Record<string, unknown>;
    const host = new URL(base).host;
    assert.deepEqual(seen, { protocol: 'http', host, secure: false, ip: '127.0.0.1', address: '127.0.0.1', href: `${base}/x` });
  });

  it('are followed from a trusted proxy', async () => {
    const base = await serve('127.0.0.1');
    const seen = (await (await fetch(`${base}/x`, { headers: FORWARDED })).json()) as Record<string, unknown>;
    assert.deepEqual(seen, { protocol: 'https', host: 'evil.example', secure: true, ip: '203.0.113.7', address: '203.0.113.7', href: 'https://evil.example/x' });
  });

  it('keep only a protocol and a host that make a sound URL', () => {
    const trusted = parseAddressList('10.0.0.1');
    assert.deepEqual(resolveForwardedOrigin('10.0.0.1', 'HTTPS, http', 'api.example.com:8443, other', trusted), { protocol: 'https', host: 'api.example.com:8443' });
    assert.deepEqual(resolveForwardedOrigin('10.0.0.1', 'gopher', 'a/b@c', trusted), {});
    assert.deepEqual(resolveForwardedOrigin('10.0.0.1', '', '[2001:db8::1]:443', trusted), { host: '[2001:db8::1]:443' });
    assert.deepEqual(resolveForwardedOrigin('10.0.0.2', 'https', 'api.example.com', trusted), {});
    assert.deepEqual(resolveForwardedOrigin('10.0.0.1', 'https', 'x', parseAddressList('')), {});
  });
});
