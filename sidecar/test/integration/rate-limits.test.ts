/**
 * Rate limits (D-L1): the headers on every answer, success or error; a key
 * limited to 5 per minute answers 429 with Retry-After on its 6th request;
 * in the database backend the count is shared by two sidecar processes.
 * The stack raises the default and anonymous limits (scripts/lib/configure.ts),
 * so these tests give their keys small explicit limits.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createKey } from './support/fixtures.js';
import { api, eventually, stack, type ApiResponse } from './support/stack.js';

const ENTRY = join(import.meta.dirname, '..', '..', 'dist', 'server.js');

function assertRateLimitHeaders(r: ApiResponse, label: string): void {
  for (const name of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'ratelimit-policy', 'ratelimit']) {
    assert.ok(r.headers.get(name), `${label}: ${name} missing`);
  }
  assert.match(r.headers.get('x-ratelimit-reset') ?? '', /^\d+$/);
  assert.match(r.headers.get('ratelimit-policy') ?? '', /^"default";q=\d+;w=60$/);
  assert.match(r.headers.get('ratelimit') ?? '', /^"default";r=\d+;t=\d+$/);
}

/** Starts on a fresh minute when the current one is nearly over, so a test's requests share one window. */
async function awaitRoomInWindow(seconds = 15): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < seconds * 1000) await new Promise((r) => setTimeout(r, left + 200));
}

/** A key for admin on res.partner with `limit` per minute, once the sidecar has loaded it. */
async function limitedKey(limit: number): Promise<string> {
  const { key } = await createKey({ userId: 2, scopes: [{ model: 'res.partner' }], values: { rate_limit: limit } });
  // probes before the key is loaded answer 401 and count against the address; later ones spend the key's budget
  await eventually(() => api('/res.partner/count', { key }), (r) => r.status === 200 || r.status === 429);
  return key;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

describe('rate limit headers', () => {
  it('are on 200, 401 and 404 answers', async () => {
    const ok = await api('/models');
    assert.equal(ok.status, 200);
    assertRateLimitHeaders(ok, '200');
    const unauthorized = await api('/models', { key: null });
    assert.equal(unauthorized.status, 401);
    assertRateLimitHeaders(unauthorized, '401');
    const missing = await api('/no.such.model/1');
    assert.equal(missing.status, 404);
    assertRateLimitHeaders(missing, '404');
    const noRoute = await api('/does/not/exist/at/all', { key: null });
    assert.equal(noRoute.status, 404);
    assertRateLimitHeaders(noRoute, 'unmatched 404');
  });

  it('are not on health checks', async () => {
    const health = await fetch(new URL('/healthz', stack.api_url));
    assert.equal(health.status, 200);
    assert.equal(health.headers.get('x-ratelimit-limit'), null);
  });
});

describe('per-key limit', () => {
  it('answers 429 with Retry-After and a problem on the 6th request of a 5/min key', async () => {
    await awaitRoomInWindow();
    const key = await limitedKey(5);
    // the probe spent one request (or more if a window rolled): send until refused
    let last: ApiResponse | undefined;
    const seen: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      last = await api('/res.partner/count', { key });
      seen.push(last.status);
      if (last.status === 429) break;
      assert.equal(last.headers.get('x-ratelimit-limit'), '5');
    }
    assert.ok(last && last.status === 429, `never limited: ${seen.join(',')}`);
    assert.ok(seen.filter((s) => s === 200).length <= 4, 'the probe spent at least one of the 5');
    assert.match(last.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal(last.body.code, 'rate_limited');
    assert.equal(last.body.status, 429);
    const retryAfter = Number(last.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.equal(last.headers.get('x-ratelimit-remaining'), '0');
    assertRateLimitHeaders(last, '429');
  });

  it('counts exactly: the 6th request is the first refused', async () => {
    await awaitRoomInWindow();
    const key = await limitedKey(5);
    const spent = 5 - Number((await api('/res.partner/count', { key })).headers.get('x-ratelimit-remaining'));
    const statuses: number[] = [];
    for (let i = spent; i < 6; i += 1) statuses.push((await api('/res.partner/count', { key })).status);
    assert.deepEqual(statuses, [...statuses.slice(0, -1).map(() => 200), 429]);
  });
});

describe('database backend across processes', () => {
  const children: ChildProcess[] = [];
  after(async () => {
    for (const child of children) {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    }
  });

  it('shares one key\'s count between two sidecars', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [ENTRY], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: stack.database_url, ODOO_URL: stack.odoo_url, ODOO_DB: stack.db, PORT: String(port), HOST: '127.0.0.1' },
      stdio: 'ignore',
    });
    children.push(child);
    const second = `http://127.0.0.1:${port}`;
    await eventually(() => fetch(`${second}/healthz`).then((r) => r.ok, () => false), (ok) => ok, 15_000);
    await awaitRoomInWindow();
    const key = await limitedKey(6);
    const first = await api('/res.partner/count', { key });
    const used = 6 - Number(first.headers.get('x-ratelimit-remaining'));
    // alternate between the stack's sidecar and the second one until the budget is spent
    const remaining: number[] = [];
    for (let i = used; i < 6; i += 1) {
      const r = await api(i % 2 ? `${second}/api/v1/res.partner/count` : '/res.partner/count', { key });
      assert.equal(r.status, 200);
      remaining.push(Number(r.headers.get('x-ratelimit-remaining')));
    }
    assert.deepEqual(remaining, remaining.map((_, i) => 6 - used - 1 - i), 'both processes see one count');
    const refused = await api(`${second}/api/v1/res.partner/count`, { key });
    assert.equal(refused.status, 429);
    const alsoRefused = await api('/res.partner/count', { key });
    assert.equal(alsoRefused.status, 429);
  });
});
