/**
 * Credentials stay out of the record routes: passwords, API keys, TOTP and
 * OAuth secrets can be neither read, filtered, sorted nor written, the
 * gateway's own credential models cannot be exposed, and a password changed
 * anywhere ends the user's sessions. Odoo's XML-RPC is the oracle.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { adminToken, login, relaxLoginCooldown, sql } from './support/auth.js';
import { createUser, exposedModelId, unique } from './support/fixtures.js';
import { OdooRpc, admin, api, eventually, type ApiResponse } from './support/stack.js';

const ALL = { allow_read: true, allow_create: true, allow_update: true, allow_delete: true, allow_archive: true, allow_restore: true };

function expectRefused(r: ApiResponse, field: string): void {
  assert.ok(r.status >= 400 && r.status < 500, `${r.status} ${r.text}`);
  assert.ok(JSON.stringify(r.body).includes(field), `the answer names ${field}: ${r.text}`);
}

async function canLogIn(login: string, password: string): Promise<boolean> {
  try {
    await OdooRpc.login(login, password);
    return true;
  } catch {
    return false;
  }
}

describe('credential fields', () => {
  let victim: { id: number; login: string; password: string };
  before(async () => {
    await relaxLoginCooldown();
    await exposedModelId('res.users', ALL);
    await exposedModelId('res.partner', ALL);
    victim = await createUser({ login: unique('victim'), companyIds: [1] });
  });

  it('PATCH of a password through the record routes is refused and the password still works', async () => {
    for (const field of ['password', 'new_password']) {
      const r = await api(`/res.users/${victim.id}`, { method: 'PATCH', body: { [field]: 'Hijacked-123' } });
      expectRefused(r, field);
      assert.equal(r.body.errors?.[0]?.field, field, r.text);
    }
    const onAdmin = await api('/res.users/2', { method: 'PATCH', body: { password: 'Hijacked-123' } });
    expectRefused(onAdmin, 'password');
    assert.ok(await canLogIn(victim.login, victim.password), 'the old password still works');
    assert.ok(!(await canLogIn(victim.login, 'Hijacked-123')), 'the new one does not');
  });

  it('refuses passwords in creates, copies, nested writes and batches', async () => {
    const login = unique('created');
    expectRefused(await api('/res.users', { method: 'POST', body: { name: login, login, password: 'Hijacked-123' } }), 'password');
    expectRefused(await api(`/res.users/${victim.id}/copy`, { method: 'POST', body: { login: unique('copy'), password: 'Hijacked-123' } }), 'password');
    const [partnerId] = (await (await admin()).execute<Array<{ partner_id: [number, string] }>>('res.users', 'read', [[victim.id], ['partner_id']]))[0]?.partner_id ?? [];
    expectRefused(
      await api(`/res.partner/${partnerId}`, { method: 'PATCH', body: { user_ids: { update: [{ id: victim.id, password: 'Hijacked-123' }] } } }),
      'password',
    );
    const batch = await api('/res.users/batch', { method: 'POST', body: { operations: [{ op: 'update', id: victim.id, values: { password: 'Hijacked-123' } }] } });
    assert.ok(batch.status === 207 || (batch.status >= 400 && batch.status < 500), batch.text);
    assert.ok(batch.text.includes('password'), batch.text);
    if (batch.status === 207) assert.ok(batch.body.data[0].status >= 400, batch.text);
    assert.ok(await canLogIn(victim.login, victim.password));
    assert.equal(await (await admin()).execute<number>('res.users', 'search_count', [[['login', '=', login]]]), 0);
  });

  it('refuses reading, filtering and sorting on credential fields', async () => {
    for (const field of ['password', 'new_password', 'api_key_ids', 'totp_secret']) {
      expectRefused(await api(`/res.users/${victim.id}?fields=${field}`), field);
      expectRefused(await api(`/res.users?fields=id,${field}`), field);
    }
    expectRefused(await api(`/res.users?filter=${encodeURIComponent(JSON.stringify([['password', '!=', false]]))}`), 'password');
    expectRefused(await api(`/res.users?filter=${encodeURIComponent(JSON.stringify([['api_key_ids', '!=', false]]))}`), 'api_key_ids');
    expectRefused(await api(`/res.partner?filter=${encodeURIComponent(JSON.stringify([['user_ids.password', '!=', false]]))}`), 'password');
    expectRefused(await api(`/res.partner?filter=${encodeURIComponent(JSON.stringify([['user_ids', 'any', [['totp_secret', '!=', false]]]]))}`), 'totp_secret');
    expectRefused(await api('/res.users?sort=password'), 'password');
    const fields = await api('/res.users/fields');
    assert.equal(fields.status, 200, fields.text);
    const names = JSON.stringify(fields.body.data);
    for (const field of ['"password"', '"new_password"', '"api_key_ids"', '"totp_secret"']) assert.ok(!names.includes(field), field);
    const user = await api(`/res.users/${victim.id}`);
    assert.equal(user.status, 200, user.text);
    for (const field of ['password', 'new_password', 'api_key_ids', 'totp_secret']) assert.ok(!(field in user.body.data), field);
  });

  it('refuses to expose the gateway credential models, and does not serve one exposed behind its back', async () => {
    const rpc = await admin();
    const [keyModel] = await rpc.execute<number[]>('ir.model', 'search', [[['model', '=', 'rest.gateway.key']]]);
    await assert.rejects(rpc.execute('rest.gateway.model', 'create', [{ model_id: keyModel }]), /credential/i);
    const [apikeys] = await rpc.execute<number[]>('ir.model', 'search', [[['model', '=', 'res.users.apikeys']]]);
    await assert.rejects(rpc.execute('rest.gateway.model', 'create', [{ model_id: apikeys }]), /credential/i);
    // written around the addon's checks: the sidecar still refuses it
    const spare = await exposedModelId('res.partner.industry', { allow_read: true });
    const [row] = await sql<{ id: number }>(
      `UPDATE rest_gateway_model m SET model_id = im.id, model = im.model FROM ir_model im
        WHERE im.model = 'rest.gateway.token' AND m.id = $1 RETURNING m.id`,
      [spare],
    );
    assert.ok(row, 'the row now exposes rest.gateway.token');
    try {
      await sql(`SELECT pg_notify('rest_gateway_config', 'rest.gateway.model')`);
      const token = await adminToken();
      const listed = await eventually(() => api('/models', { key: token }), (r) => r.status === 200);
      assert.ok(!JSON.stringify(listed.body.data).includes('rest.gateway.token'), listed.text);
      const tokens = await api('/rest.gateway.token', { key: token });
      assert.equal(tokens.status, 404, tokens.text);
    } finally {
      await sql(`UPDATE rest_gateway_model m SET model_id = im.id, model = im.model FROM ir_model im
                  WHERE im.model = 'res.partner.industry' AND m.id = $1`, [spare]);
      await rpc.execute('rest.gateway.model', 'unlink', [[spare]]);
    }
  });

  it('a password changed in Odoo revokes the user API sessions', async () => {
    const user = await createUser({ login: unique('revoked'), companyIds: [1], groups: ['base.group_user', 'rest_gateway.group_user'] });
    const { token } = await login(user.login, user.password);
    assert.equal((await api('/user/me', { key: token })).status, 200);
    await (await admin()).execute('res.users', 'write', [[user.id], { password: 'Changed-Elsewhere-1' }]);
    const after = await api('/user/me', { key: token });
    assert.equal(after.status, 401, after.text);
    const { token: fresh } = await login(user.login, 'Changed-Elsewhere-1');
    assert.equal((await api('/user/me', { key: fresh })).status, 200);
  });

  it('POST /auth/password keeps the session it was made with and revokes the others', async () => {
    const user = await createUser({ login: unique('changer'), companyIds: [1], groups: ['base.group_user', 'rest_gateway.group_user'] });
    const { token: current } = await login(user.login, user.password);
    const { token: other } = await login(user.login, user.password);
    const r = await api('/auth/password', { key: current, method: 'POST', body: { old_password: user.password, new_password: 'Changed-Here-1' } });
    assert.equal(r.status, 200, r.text);
    assert.equal((await api('/user/me', { key: current })).status, 200);
    assert.equal((await api('/user/me', { key: other })).status, 401);
  });
});
