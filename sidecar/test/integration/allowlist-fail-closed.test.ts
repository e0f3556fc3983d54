/**
 * An allowlist fails closed: when every field it lists disappears (a
 * module uninstalled, the field deleted), the key reads no field but `id`,
 * never every field.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createKey, exposedModelId, unique } from './support/fixtures.js';
import { admin, api, eventually } from './support/stack.js';

describe('allowlists whose fields are gone', () => {
  let field: string;
  let fieldId: number;
  let partnerId: number;
  before(async () => {
    const rpc = await admin();
    await exposedModelId('res.partner');
    field = `x_${unique('gone').replace(/-/g, '_')}`;
    const [modelId] = await rpc.execute<number[]>('ir.model', 'search', [[['model', '=', 'res.partner']]]);
    fieldId = await rpc.execute<number>('ir.model.fields', 'create', [{ model_id: modelId, name: field, ttype: 'char', field_description: 'Soon gone', state: 'manual' }]);
    partnerId = await rpc.execute<number>('res.partner', 'create', [{ name: unique('allowlisted'), email: 'hidden@example.com', [field]: 'visible' }]);
  });

  it('serves only id once the allowed fields are deleted', async () => {
    const { id: keyId, key } = await createKey({ userId: 2, scopes: [{ model: 'res.partner', allowed: [field] }] });
    const before = await eventually(() => api(`/res.partner/${partnerId}`, { key }), (r) => r.status === 200 && field in (r.body.data ?? {}));
    assert.deepEqual(before.body.data, { id: partnerId, [field]: 'visible' }, before.text);
    const rpc = await admin();
    await rpc.execute('ir.model.fields', 'unlink', [[fieldId]]);
    // any configuration change makes the sidecar read its scopes again
    await rpc.execute('rest.gateway.key', 'write', [[keyId], { notes: 'reload' }]);
    const after = await eventually(() => api(`/res.partner/${partnerId}`, { key }), (r) => r.status === 200 && !(field in (r.body.data ?? {})), 10_000);
    assert.equal(after.status, 200, after.text);
    assert.deepEqual(after.body.data, { id: partnerId }, after.text);
    const email = await api(`/res.partner/${partnerId}?fields=email`, { key });
    assert.equal(email.status, 403, email.text);
    assert.equal(email.body.code, 'field_not_allowed');
  });
});
