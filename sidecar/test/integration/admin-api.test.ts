/**
 * The admin token API (/admin/keys, /admin/oauth-clients, /admin/tokens):
 * managers only (403 otherwise), user credentials only, secrets shown once
 * and never listed, scopes within the target user's rights, usage counters.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createUser, unique } from './support/fixtures.js';
import { api, stack } from './support/stack.js';
import { adminToken, basic, clientToken, login, relaxLoginCooldown, sleep } from './support/auth.js';

describe('admin token API', () => {
  let manager: string;
  let plain: { id: number; login: string; password: string };
  before(async () => {
    await relaxLoginCooldown();
    manager = await adminToken();
    plain = await createUser({ login: unique('nonmgr'), companyIds: [1], groups: ['base.group_user', 'rest_gateway.group_user'] });
  });

  it('answers 403 to a non-manager on every route, and to keys and tokens of a manager', async () => {
    const { token } = await login(plain.login, plain.password);
    const routes: Array<[string, string]> = [
      ['GET', '/admin/keys'], ['POST', '/admin/keys'], ['GET', '/admin/keys/1'], ['PATCH', '/admin/keys/1'],
      ['POST', '/admin/keys/1/revoke'], ['POST', '/admin/keys/1/regenerate'], ['DELETE', '/admin/keys/1'],
      ['GET', '/admin/oauth-clients'], ['POST', '/admin/oauth-clients'], ['GET', '/admin/oauth-clients/1'],
      ['DELETE', '/admin/oauth-clients/1'], ['GET', '/admin/tokens'], ['POST', '/admin/tokens/1/revoke'], ['DELETE', '/admin/tokens/1'],
    ];
    for (const [method, path] of routes) {
      const body = method === 'POST' && !path.includes('/1/') ? { name: 'x', scopes: [] } : method === 'PATCH' ? { name: 'y' } : undefined;
      const r = await api(path, { key: token, method, body });
      assert.equal(r.status, 403, `${method} ${path}: ${r.text}`);
      assert.equal(r.body.code, 'manager_required', `${method} ${path}`);
    }
    const byKey = await api('/admin/keys', { key: stack.api_key });
    assert.equal(byKey.status, 403);
    assert.equal(byKey.body.code, 'session_required');
  });

  it('manages API keys: plaintext once, digest never, revoke, regenerate, delete', async () => {
    const created = await api('/admin/keys', {
      key: manager, method: 'POST',
      body: { name: 'ops', user_id: plain.id, scopes: [{ model: 'res.partner', operations: ['read'] }], allowed_ips: ['127.0.0.1'] },
    });
    assert.equal(created.status, 201, created.text);
    const { id, key } = created.body.data as { id: number; key: string };
    assert.equal((await api('/models', { key })).status, 200);
    const read = await api(`/admin/keys/${id}`, { key: manager });
    assert.equal(read.body.data.user.id, plain.id);
    assert.equal(read.body.data.key, undefined);
    assert.doesNotMatch(read.text, /digest|rgw_[a-z0-9]{10}_[A-Za-z0-9_-]{43}/);
    const listed = await api(`/admin/keys?user_id=${plain.id}`, { key: manager });
    assert.ok(listed.body.data.some((k: { id: number }) => k.id === id));
    assert.doesNotMatch(listed.text, /rgw_[a-z0-9]{10}_[A-Za-z0-9_-]{43}/);
    assert.equal(read.body.data.allow_webhooks, false);
    const patched = await api(`/admin/keys/${id}`, { key: manager, method: 'PATCH', body: { name: 'ops 2', rate_limit: 30, allow_webhooks: true } });
    assert.equal(patched.body.data.name, 'ops 2');
    assert.equal(patched.body.data.allow_webhooks, true);
    const regenerated = await api(`/admin/keys/${id}/regenerate`, { key: manager, method: 'POST' });
    const newKey = regenerated.body.data.key as string;
    assert.equal((await api('/models', { key })).status, 401);
    assert.equal((await api('/models', { key: newKey })).status, 200);
    const revoked = await api(`/admin/keys/${id}/revoke`, { key: manager, method: 'POST' });
    assert.equal(revoked.body.data.state, 'revoked');
    assert.equal((await api('/models', { key: newKey })).status, 401);
    assert.equal((await api(`/admin/keys/${id}`, { key: manager, method: 'DELETE' })).status, 204);
    assert.equal((await api(`/admin/keys/${id}`, { key: manager })).status, 404);
  });

  it('refuses scopes beyond the target user\'s Odoo rights or the exposed model', async () => {
    const beyond = await api('/admin/keys', { key: manager, method: 'POST', body: { name: 'x', user_id: plain.id, scopes: [{ model: 'res.partner', operations: ['delete'] }] } });
    assert.equal(beyond.status, 422);
    const unexposed = await api('/admin/keys', { key: manager, method: 'POST', body: { name: 'x', user_id: plain.id, scopes: [{ model: 'ir.cron' }] } });
    assert.equal(unexposed.status, 422);
    const bad = await api('/admin/keys', { key: manager, method: 'POST', body: { name: 'x', scopes: [{ model: 'res.partner', operations: ['fly'] }] } });
    assert.equal(bad.status, 400);
    const clientWebhooks = await api('/admin/oauth-clients', { key: manager, method: 'POST', body: { name: 'x', allow_webhooks: true } });
    assert.equal(clientWebhooks.status, 400);
  });

  it('manages OAuth clients and issued tokens', async () => {
    const created = await api('/admin/oauth-clients', { key: manager, method: 'POST', body: { name: 'bot', token_lifetime: 300, scopes: [{ model: 'res.country' }] } });
    assert.equal(created.status, 201, created.text);
    const client = { id: created.body.data.id as number, clientId: created.body.data.client_id as string, secret: created.body.data.client_secret as string };
    assert.match(client.secret, /^rgwcs_/);
    const token = await clientToken(client);
    const tokens = await api(`/admin/tokens?client_id=${client.id}&kind=oauth&state=active`, { key: manager });
    assert.equal(tokens.body.meta.total, 1);
    const tokenId = tokens.body.data[0].id as number;
    assert.equal((await api(`/admin/tokens/${tokenId}`, { key: manager })).body.data.client.client_id, client.clientId);
    assert.equal((await api(`/admin/tokens/${tokenId}/revoke`, { key: manager, method: 'POST' })).body.data.state, 'revoked');
    assert.equal((await api('/models', { key: token })).status, 401);
    assert.equal((await api(`/admin/tokens/${tokenId}`, { key: manager, method: 'DELETE' })).status, 204);
    const rotated = await api(`/admin/oauth-clients/${client.id}/regenerate`, { key: manager, method: 'POST' });
    assert.notEqual(rotated.body.data.client_secret, client.secret);
    const updated = await api(`/admin/oauth-clients/${client.id}`, { key: manager, method: 'PATCH', body: { token_lifetime: 120 } });
    assert.equal(updated.body.data.token_lifetime, 120);
    assert.equal((await api(`/admin/oauth-clients/${client.id}`, { key: manager, method: 'DELETE' })).status, 204);
  });

  it('counts uses and the last use in batches', async () => {
    const created = await api('/admin/keys', { key: manager, method: 'POST', body: { name: 'counted', scopes: [{ model: 'res.country' }] } });
    const { id, key } = created.body.data as { id: number; key: string };
    for (let i = 0; i < 3; i += 1) assert.equal((await api('/models', { key })).status, 200);
    assert.equal((await api('/models', { key: null, headers: { Authorization: basic('admin', key) } })).status, 200);
    await sleep(6_000); // the recorder flushes every 5 s
    const read = (await api(`/admin/keys/${id}`, { key: manager })).body.data;
    assert.equal(read.use_count, 4);
    assert.ok(Date.now() - Date.parse(read.last_used_at) < 30_000);
  });
});
