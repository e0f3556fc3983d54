/**
 * Rate limits (D-L1): the headers on every answer, success or error (5xx
 * included); a key limited to 5 per minute answers 429 with Retry-After on
 * its 6th request; X-RateLimit-Reset is the window's end, after which the
 * count restarts; in the database backend the count is shared by two
 * sidecar processes, written asynchronously far from the limit; with the
 * counter table gone the API keeps serving (fail-open) and writes the counts
 * once it is back; the `off` backend counts nothing and sends no headers.
 * The stack raises the default and anonymous limits (scripts/lib/configure.ts),
 * so these tests give their keys small explicit limits.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { setParam, sleep, sql } from './support/auth.js';
import { createKey } from './support/fixtures.js';
import { freePort, startSidecar, stopSidecars } from './support/sidecar-process.js';
import { api, eventually, stack, type ApiResponse } from './support/stack.js';

const COUNTERS = 'rest_gateway_rate_counter';

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

after(stopSidecars);

/** The database's count of a key's requests in the current window. */
async function storedCount(keyId: number): Promise<number> {
  const rows = await sql<{ count: number }>(
    `SELECT count FROM ${COUNTERS} WHERE bucket = $1 AND window_start = date_trunc('minute', now() AT TIME ZONE 'UTC')`,
    [`api_key:${keyId}`],
  );
  return rows[0]?.count ?? 0;
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

  it('are on 5xx answers (a sidecar whose Odoo is unreachable)', async () => {
    const unreachableOdoo = `http://127.0.0.1:${await freePort()}`;
    const { origin } = await startSidecar({ env: { ODOO_URL: unreachableOdoo }, waitFor: '/healthz' });
    const failed = await api(`${origin}/api/v1/res.partner/count`);
    assert.ok(failed.status >= 500 && failed.status <= 504, `status ${failed.status}`);
    assert.match(failed.headers.get('content-type') ?? '', /application\/problem\+json/);
    assertRateLimitHeaders(failed, String(failed.status));
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

describe('window reset', () => {
  it('X-RateLimit-Reset is the window\'s end; after it the count restarts', async () => {
    await awaitRoomInWindow(5);
    const key = await limitedKey(2);
    const before = Date.now();
    let r = await api('/res.partner/count', { key });
    const reset = Number(r.headers.get('x-ratelimit-reset'));
    assert.equal(reset, (Math.floor(before / 60_000) + 1) * 60, 'the end of the current minute, in Unix seconds');
    const t = Number(/t=(\d+)/.exec(r.headers.get('ratelimit') ?? '')?.[1]);
    assert.ok(Math.abs(t - (reset - before / 1000)) <= 1.5, `RateLimit t=${t} is the time to the reset`);
    while (r.status !== 429) r = await api('/res.partner/count', { key });
    assert.equal(Number(r.headers.get('x-ratelimit-reset')), reset);
    const retryAfter = Number(r.headers.get('retry-after'));
    assert.ok(Math.abs(retryAfter - (reset - Date.now() / 1000)) <= 1.5, `Retry-After ${retryAfter} is the time to the reset`);
    // bounded wait: at most one minute
    await sleep(Math.max(0, reset * 1000 - Date.now()) + 250);
    const next = await api('/res.partner/count', { key });
    assert.equal(next.status, 200);
    assert.equal(next.headers.get('x-ratelimit-remaining'), '1', 'the count restarted');
    assert.equal(Number(next.headers.get('x-ratelimit-reset')), reset + 60);
  });
});

describe('fail-open', () => {
  it('serves requests while the counter table is gone, still limiting per process, and writes the counts once it is back', async () => {
    await awaitRoomInWindow(20);
    // createKey's probe spends 1 of the 4, written to the table
    const { id, key } = await createKey({ userId: 2, scopes: [{ model: 'res.partner' }], values: { rate_limit: 4 } });
    assert.equal(await storedCount(id), 1);
    await sql(`ALTER TABLE ${COUNTERS} RENAME TO ${COUNTERS}_away`);
    const statuses: number[] = [];
    try {
      // near a limit of 4 every request is written before it is decided: those writes fail
      const first = await api('/res.partner/count', { key });
      statuses.push(first.status);
      assertRateLimitHeaders(first, 'fail-open');
      for (let i = 0; i < 3; i += 1) statuses.push((await api('/res.partner/count', { key })).status);
    } finally {
      await sql(`ALTER TABLE ${COUNTERS}_away RENAME TO ${COUNTERS}`);
    }
    assert.deepEqual(statuses, [200, 200, 200, 429], 'served while failing, and the 4/min limit held in this process');
    // the flusher retries every second: the four requests counted meanwhile reach the table
    assert.equal(await eventually(() => storedCount(id), (n) => n === 5, 10_000), 5);
    const later = await api('/res.partner/count', { key });
    assert.equal(later.status, 429);
    assert.equal(await eventually(() => storedCount(id), (n) => n === 6, 5_000), 6);
  });
});

describe('off backend', () => {
  it('counts nothing and sends no rate-limit headers', async () => {
    const key = await limitedKey(2);
    await setParam('rest_gateway.rate_limit_backend', 'off');
    try {
      await eventually(() => api('/res.partner/count', { key }), (r) => r.status === 200 && r.headers.get('x-ratelimit-limit') === null);
      for (let i = 0; i < 4; i += 1) {
        const r = await api('/res.partner/count', { key });
        assert.equal(r.status, 200, 'a 2/min key is not limited');
        assert.equal(r.headers.get('x-ratelimit-limit'), null);
        assert.equal(r.headers.get('ratelimit'), null);
      }
      const unauthorized = await api('/models', { key: null });
      assert.equal(unauthorized.status, 401);
      assert.equal(unauthorized.headers.get('x-ratelimit-limit'), null);
    } finally {
      await setParam('rest_gateway.rate_limit_backend', 'database');
    }
    await eventually(() => api('/models'), (r) => r.headers.get('x-ratelimit-limit') !== null);
  });
});

describe('database backend across processes', () => {
  let second = '';

  it('shares one key\'s count between two sidecars', async () => {
    second = (await startSidecar()).origin;
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

  it('allows exactly the limit in total when most requests are written asynchronously', async () => {
    await awaitRoomInWindow(20);
    // createKey's probe (on the stack's sidecar) spends 1 of the 40
    const { id, key } = await createKey({ userId: 2, scopes: [{ model: 'res.partner' }], values: { rate_limit: 40 } });
    // the second process must know the key before the budget is spent (401 probes count against the address)
    await eventually(() => api(`${second}/api/v1/models`, { key }), (r) => r.status === 200);
    const spent = await storedCount(id);
    assert.equal(spent, 2);
    const statuses: number[] = [];
    for (let i = 0; i < 50; i += 1) statuses.push((await api(i % 2 ? `${second}/api/v1/res.partner/count` : '/res.partner/count', { key })).status);
    const allowed = statuses.filter((s) => s === 200).length;
    assert.equal(allowed, 40 - spent, `the probes and ${allowed} requests make exactly 40: ${statuses.join(',')}`);
    assert.ok(statuses.slice(allowed).every((s) => s === 429), 'once refused, refused on both');
    // every request, refused ones included, reaches the table
    assert.equal(await eventually(() => storedCount(id), (n) => n === 52, 5_000), 52);
  });
});
