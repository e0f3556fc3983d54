/**
 * The bridge signature against the real Odoo (docs/bridge-protocol.md,
 * D-S20–D-S22): signed by the sidecar's own signer, a request is refused when
 * replayed, sent to another route, or stale; after a rotation the previous
 * secret works for the grace period only, while the sidecar follows the new
 * secret. And the sidecar believes X-Forwarded-Proto/-Host from
 * TRUSTED_PROXIES only (D-S24).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { signBridgeRequest } from '../../src/odoo/signature.js';
import { setParam, sql } from './support/auth.js';
import { startSidecar, stopSidecars } from './support/sidecar-process.js';
import { admin, api, stack } from './support/stack.js';

after(() => stopSidecars());

async function currentSecret(): Promise<string> {
  const [row] = await sql<{ value: string }>("SELECT value FROM ir_config_parameter WHERE key = 'rest_gateway.bridge_secret'");
  assert.ok(row?.value);
  return row.value;
}

const BODY = JSON.stringify({ uid: 2, operations: [{ model: 'res.partner', method: 'search_count', args: [[]] }] });

/** POSTs BODY to `route` with `headers`; answers the status and the error kind and message, if any. */
async function post(route: string, headers: Record<string, string>): Promise<{ status: number; kind?: string; message?: string }> {
  const response = await fetch(`${stack.odoo_url}${route}`, {
    method: 'POST',
    body: BODY,
    headers: { 'content-type': 'application/json', 'x-odoo-database': stack.db, ...headers },
  });
  const body = (await response.json()) as { error?: { kind: string; message: string } };
  return { status: response.status, kind: body.error?.kind, message: body.error?.message };
}

function signed(secret: string, route: string, overrides: { timestamp?: number; nonce?: string; database?: string } = {}): Record<string, string> {
  return signBridgeRequest(secret, { method: 'POST', path: route, database: overrides.database ?? stack.db, body: BODY, timestamp: overrides.timestamp ?? Date.now() / 1000, nonce: overrides.nonce });
}

describe('bridge signature', () => {
  it('refuses a replayed request, one signed for another route or database, and a stale one', async () => {
    const secret = await currentSecret();
    const headers = signed(secret, '/rest_gateway/bridge/ro');
    assert.equal((await post('/rest_gateway/bridge/ro', headers)).status, 200);
    const replayed = await post('/rest_gateway/bridge/ro', headers);
    assert.deepEqual([replayed.status, replayed.kind], [401, 'signature']);
    assert.match(replayed.message ?? '', /Replayed/);
    // signed for the read-only route, sent to the read/write one
    assert.equal((await post('/rest_gateway/bridge', signed(secret, '/rest_gateway/bridge/ro'))).status, 401);
    assert.equal((await post('/rest_gateway/bridge', signed(secret, '/rest_gateway/bridge', { database: `${stack.db}_other` }))).status, 401);
    assert.equal((await post('/rest_gateway/bridge', signed(secret, '/rest_gateway/bridge', { timestamp: Date.now() / 1000 - 120 }))).status, 401);
    assert.equal((await post('/rest_gateway/bridge', signed(secret, '/rest_gateway/bridge'))).status, 200);
  });

  it('accepts the previous secret for the grace period after a rotation, then refuses it', async () => {
    const old = await currentSecret();
    const rpc = await admin();
    await rpc.execute('rest.gateway.bridge', 'action_rotate_bridge_secret', []);
    const fresh = await currentSecret();
    assert.notEqual(fresh, old);
    assert.equal((await post('/rest_gateway/bridge', signed(old, '/rest_gateway/bridge'))).status, 200);
    assert.equal((await post('/rest_gateway/bridge', signed(fresh, '/rest_gateway/bridge'))).status, 200);
    // the sidecar signs with the new secret
    assert.equal((await api('/res.partner/count')).status, 200);
    // 6 minutes later (the default grace is 5): the old secret is refused
    const [rotated] = await sql<{ value: string }>("SELECT value FROM ir_config_parameter WHERE key = 'rest_gateway.bridge_secret_rotated_at'");
    await setParam('rest_gateway.bridge_secret_rotated_at', String(Number(rotated?.value) - 6 * 60));
    assert.equal((await post('/rest_gateway/bridge', signed(old, '/rest_gateway/bridge'))).status, 401);
    assert.equal((await post('/rest_gateway/bridge', signed(fresh, '/rest_gateway/bridge'))).status, 200);
    assert.equal((await api('/res.partner/count')).status, 200);
  });
});

describe('forwarded headers', () => {
  const forwarded = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'evil.example' };

  it('are ignored from a peer that is not a trusted proxy, though TRUSTED_PROXIES is set', async () => {
    const { origin } = await startSidecar({ env: { TRUSTED_PROXIES: '192.0.2.0/24' } });
    const r = await api(`${origin}/api/v1/res.partner?limit=1`, { headers: forwarded });
    assert.equal(r.status, 200);
    assert.ok(String(r.body.links.self).startsWith(`${origin}/api/v1/res.partner?`), r.body.links.self);
  });

  it('are followed from a trusted proxy', async () => {
    const { origin } = await startSidecar({ env: { TRUSTED_PROXIES: '127.0.0.1' } });
    const r = await api(`${origin}/api/v1/res.partner?limit=1`, { headers: forwarded });
    assert.equal(r.status, 200);
    assert.ok(String(r.body.links.self).startsWith('https://evil.example/api/v1/res.partner?'), r.body.links.self);
  });
});
