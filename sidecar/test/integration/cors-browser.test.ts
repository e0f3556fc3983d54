/**
 * CORS in a real browser (Debian's Chromium driven by playwright-core): a
 * page served from another origin logs in with the session cookie, calls
 * the API with credentials and with a Bearer key, and reads the exposed
 * headers; a page from an origin not configured cannot read anything.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { api, eventually, stack } from './support/stack.js';
import { relaxLoginCooldown, setParam } from './support/auth.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu'];

describe('CORS from a browser', () => {
  let server: Server;
  let browser: Browser;
  let pageOrigin: string;
  let strangerOrigin: string;

  before(async () => {
    await relaxLoginCooldown();
    server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<!doctype html><title>client</title><p>client app</p>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    pageOrigin = `http://127.0.0.1:${port}`;
    strangerOrigin = `http://localhost:${port}`; // another origin: the host differs
    await setParam('rest_gateway.cors_allowed_origins', pageOrigin);
    const preflight = () => api('/models', { key: null, method: 'OPTIONS', headers: { Origin: pageOrigin, 'Access-Control-Request-Method': 'GET' } });
    await eventually(preflight, (r) => r.status === 204);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  });

  after(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await setParam('rest_gateway.cors_allowed_origins', '');
  });

  async function open(origin: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    return page;
  }

  it('answers preflights with the route\'s methods and the allowed headers', async () => {
    const r = await api('/res.partner/1', { key: null, method: 'OPTIONS', headers: { Origin: pageOrigin, 'Access-Control-Request-Method': 'PATCH', 'Access-Control-Request-Headers': 'authorization,content-type' } });
    assert.equal(r.status, 204);
    assert.equal(r.headers.get('access-control-allow-origin'), pageOrigin);
    assert.equal(r.headers.get('access-control-allow-credentials'), 'true');
    const methods = (r.headers.get('access-control-allow-methods') ?? '').split(', ');
    for (const m of ['GET', 'PATCH', 'PUT', 'DELETE']) assert.ok(methods.includes(m), m);
    assert.ok(!methods.includes('POST'));
    assert.match(r.headers.get('access-control-allow-headers') ?? '', /Authorization/);
    assert.match(r.headers.get('vary') ?? '', /Origin/);
    const stranger = await api('/models', { key: null, method: 'OPTIONS', headers: { Origin: strangerOrigin, 'Access-Control-Request-Method': 'GET' } });
    assert.equal(stranger.status, 403);
    assert.equal(stranger.headers.get('access-control-allow-origin'), null);
  });

  it('lets a listed origin log in, use the cookie and read the exposed headers', async () => {
    const page = await open(pageOrigin);
    const result = await page.evaluate(async ({ apiUrl, login, password }) => {
      const logged = await fetch(`${apiUrl}/auth/login`, {
        method: 'POST', credentials: 'include', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login, password }),
      });
      const me = await fetch(`${apiUrl}/user/me`, { credentials: 'include' });
      return {
        login: logged.status,
        me: me.status,
        kind: ((await me.json()) as { data: { credential: { scheme: string } } }).data.credential.scheme,
        requestId: me.headers.get('X-Request-ID'),
        timing: me.headers.get('Server-Timing'),
      };
    }, { apiUrl: stack.api_url, login: stack.odoo_login, password: stack.odoo_password });
    assert.equal(result.login, 200);
    assert.equal(result.me, 200);
    assert.equal(result.kind, 'cookie');
    assert.match(result.requestId ?? '', /^[0-9a-f-]{36}$/);
    assert.match(result.timing ?? '', /sidecar;dur=/);
    await page.close();
  });

  it('lets a listed origin call with a Bearer key and read the rate-limit and timing headers', async () => {
    const page = await open(pageOrigin);
    const result = await page.evaluate(async ({ apiUrl, key }) => {
      const r = await fetch(`${apiUrl}/res.country?limit=1`, { headers: { Authorization: `Bearer ${key}` } });
      return { status: r.status, expose: r.headers.get('Access-Control-Expose-Headers'), requestId: r.headers.get('X-Request-ID'), timing: r.headers.get('Server-Timing') };
    }, { apiUrl: stack.api_url, key: stack.api_key });
    assert.equal(result.status, 200);
    assert.ok(result.requestId);
    assert.ok(result.timing);
    // the expose list is not itself readable; the server's answer is checked below
    const direct = await api('/res.country?limit=1', { headers: { Origin: pageOrigin } });
    const exposed = direct.headers.get('access-control-expose-headers') ?? '';
    for (const name of ['X-Request-ID', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Server-Timing']) assert.match(exposed, new RegExp(name));
    await page.close();
  });

  it('keeps an origin that is not configured from reading anything', async () => {
    const page = await open(strangerOrigin);
    const outcome = await page.evaluate(async ({ apiUrl, key }) => {
      try {
        await fetch(`${apiUrl}/models`, { headers: { Authorization: `Bearer ${key}` } });
        return 'read';
      } catch {
        return 'blocked';
      }
    }, { apiUrl: stack.api_url, key: stack.api_key });
    assert.equal(outcome, 'blocked');
    await page.close();
  });
});
