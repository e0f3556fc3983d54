/**
 * A key's owner cannot raise the key's own limits: only REST Gateway
 * Managers set `rate_limit` and `allow_webhooks`, through POST
 * /auth/api-key as through Odoo. XML-RPC is the oracle of what was stored.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { adminToken, login, relaxLoginCooldown } from './support/auth.js';
import { createUser, exposedModelId, unique } from './support/fixtures.js';
import { admin, api } from './support/stack.js';

describe('self-service API keys', () => {
  let user: { id: number; login: string; password: string };
  before(async () => {
    await relaxLoginCooldown();
    await exposedModelId('res.partner');
    user = await createUser({ login: unique('owner'), companyIds: [1], groups: ['base.group_user', 'rest_gateway.group_user'] });
  });

  const keysOf = async (userId: number): Promise<Array<{ rate_limit: number; allow_webhooks: boolean }>> =>
    (await admin()).execute('rest.gateway.key', 'search_read', [[['user_id', '=', userId]], ['rate_limit', 'allow_webhooks']], { context: { active_test: false } });

  it('refuses rate_limit and allow_webhooks from a user who is not a manager, naming the field', async () => {
    const { token } = await login(user.login, user.password);
    const scopes = [{ model: 'res.partner', operations: ['read'] }];
    const limit = await api('/auth/api-key', { key: token, method: 'POST', body: { name: 'fast', scopes, rate_limit: 1_000_000 } });
    assert.equal(limit.status, 403, limit.text);
    assert.equal(limit.body.errors?.[0]?.field, 'rate_limit', limit.text);
    const hooks = await api('/auth/api-key', { key: token, method: 'POST', body: { name: 'hooks', scopes, allow_webhooks: true } });
    assert.equal(hooks.status, 403, hooks.text);
    assert.equal(hooks.body.errors?.[0]?.field, 'allow_webhooks', hooks.text);
    assert.deepEqual(await keysOf(user.id), []);
    const plain = await api('/auth/api-key', { key: token, method: 'POST', body: { name: 'plain', scopes } });
    assert.equal(plain.status, 201, plain.text);
    assert.equal(plain.body.data.rate_limit, 0);
    assert.equal(plain.body.data.allow_webhooks, false);
    assert.deepEqual((await keysOf(user.id)).map((k) => [k.rate_limit, k.allow_webhooks]), [[0, false]]);
  });

  it('lets a manager set them on their own key', async () => {
    const token = await adminToken();
    const r = await api('/auth/api-key', {
      key: token,
      method: 'POST',
      body: { name: unique('managed'), scopes: [{ model: 'res.partner', operations: ['read'] }], rate_limit: 90, allow_webhooks: true },
    });
    assert.equal(r.status, 201, r.text);
    const [row] = await (await admin()).execute<Array<{ rate_limit: number; allow_webhooks: boolean }>>('rest.gateway.key', 'read', [[r.body.data.id], ['rate_limit', 'allow_webhooks']]);
    assert.deepEqual([row?.rate_limit, row?.allow_webhooks], [90, true]);
  });
});
