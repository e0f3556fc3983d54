/** Bearer API key authentication: every refusal, and configuration changes taking effect at once. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from './support/auth.js';
import { createKey } from './support/fixtures.js';
import { admin, api, eventually, stack } from './support/stack.js';

function assertChallenge(r: { status: number; headers: Headers; body: any }, code: string): void {
  assert.equal(r.status, 401);
  assert.equal(r.body.code, code);
  assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer realm="api"/);
  assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
}

describe('Bearer API keys', () => {
  it('refuses a missing, malformed or unknown key with 401 and a challenge', async () => {
    assertChallenge(await api('/models', { key: null }), 'unauthorized');
    // Basic is a way in too: a login that does not verify answers with the Basic challenge
    const basicRefused = await api('/models', { key: null, headers: { Authorization: 'Basic Zm9vOmJhcg==' } });
    assert.equal(basicRefused.status, 401);
    assert.equal(basicRefused.body.code, 'invalid_credentials');
    assert.match(basicRefused.headers.get('www-authenticate') ?? '', /^Basic realm="api"/);
    assertChallenge(await api('/models', { key: null, headers: { Authorization: 'Token abc' } }), 'invalid_token');
    assertChallenge(await api('/models', { key: 'not-a-key' }), 'invalid_token');
    const forged = stack.api_key.slice(0, -4) + (stack.api_key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    assertChallenge(await api('/models', { key: forged }), 'invalid_token');
  });

  it('refuses an expired key', async () => {
    // The addon refuses an expiry in the past: make the key with a later one, let the sidecar
    // load it, then move the expiry back in the database (a loaded machine may take seconds to
    // create a key, so a near expiry could already be past when Odoo checks it).
    const later = new Date(Date.now() + 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    const { id, key } = await createKey({ userId: 2, scopes: [{ model: 'res.partner' }], values: { expires_at: later } });
    await eventually(() => api('/models', { key }), (x) => x.status === 200);
    await sql("UPDATE rest_gateway_key SET expires_at = now() AT TIME ZONE 'UTC' - interval '1 second' WHERE id = $1", [id]);
    await sql("SELECT pg_notify('rest_gateway_config', 'rest.gateway.key')");
    const r = await eventually(() => api('/models', { key }), (x) => x.status === 401, 10_000);
    assertChallenge(r, 'invalid_token');
    assert.match(r.body.detail, /expired/);
  });

  it('enforces allowed addresses and origins', async () => {
    const ip = await createKey({ userId: 2, scopes: [{ model: 'res.partner' }], values: { allowed_ips: '10.0.0.0/8' } });
    const r = await api('/models', { key: ip.key });
    assert.equal(r.status, 403);
    assert.equal(r.body.code, 'ip_not_allowed');
    const local = await createKey({ userId: 2, scopes: [{ model: 'res.partner' }], values: { allowed_ips: '127.0.0.1\n::1' } });
    assert.equal((await api('/models', { key: local.key })).status, 200);
    const origin = await createKey({ userId: 2, scopes: [{ model: 'res.partner' }], values: { allowed_origins: 'https://app.example.com' } });
    assert.equal((await api('/models', { key: origin.key, headers: { Origin: 'https://evil.example.com' } })).body.code, 'origin_not_allowed');
    assert.equal((await api('/models', { key: origin.key, headers: { Origin: 'https://app.example.com' } })).status, 200);
  });

  it('stops accepting a key as soon as it is archived', async () => {
    const { id, key } = await createKey({ userId: 2, scopes: [{ model: 'res.partner' }] });
    assert.equal((await api('/models', { key })).status, 200);
    await (await admin()).execute('rest.gateway.key', 'write', [[id], { active: false }]);
    const r = await eventually(() => api('/models', { key }), (x) => x.status === 401, 3_000);
    assertChallenge(r, 'invalid_token');
  });

  it('answers health checks without a credential', async () => {
    const base = stack.api_url.replace(/\/api\/v1$/, '');
    assert.equal((await api(`${base}/healthz`, { key: null })).status, 200);
    const ready = await api(`${base}/readyz`, { key: null });
    assert.deepEqual(ready.body, { status: 'ready', checks: { database: 'ok', odoo: 'ok' } });
  });
});
