/**
 * The change feed names under `deleted` only ids its caller could see
 * (docs/decisions.md D-S50): a record outside the key's scope, or hidden by
 * Odoo's record rules (checked through the user's own XML-RPC), never
 * appears, changed or deleted; a record the feed served does, when it
 * leaves the scope or is deleted; a caller that sees every record of a
 * model gets every tombstone.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { drain, freshCursor } from './support/feed.js';
import { createCompany, createKey, createUser, unique } from './support/fixtures.js';
import { OdooRpc, admin } from './support/stack.js';

describe('change feed tombstones', () => {
  it('never names an id outside the key\'s scope domain; names a served record that leaves the scope or is deleted', async () => {
    const rpc = await admin();
    const tag = unique('tomb');
    const { key } = await createKey({ userId: rpc.uid, scopes: [{ model: 'res.partner', domain: `[('name', '=like', '${tag}%')]` }] });
    let cursor = await freshCursor('res.partner', key);
    const [inside, leaving, outside] = await rpc.execute<number[]>('res.partner', 'create', [[{ name: `${tag} in` }, { name: `${tag} leaving` }, { name: `other ${tag}` }]]);
    let page = await drain('res.partner', cursor, { fields: 'name' }, key);
    assert.deepEqual([...page.changed.keys()].sort(), [inside, leaving].sort());
    assert.ok(!page.deleted.has(outside as number), 'a change outside the scope names nothing');

    await rpc.execute('res.partner', 'write', [[outside], { name: `still other ${tag}` }]);
    await rpc.execute('res.partner', 'unlink', [[outside]]);
    await rpc.execute('res.partner', 'write', [[leaving], { name: `moved out ${tag}` }]);
    await rpc.execute('res.partner', 'unlink', [[inside]]);
    cursor = page.cursor;
    page = await drain('res.partner', cursor, { fields: 'name' }, key);
    assert.deepEqual([...page.changed.keys()], []);
    assert.deepEqual([...page.deleted].sort(), [inside, leaving].sort(), 'the served records, deleted or out of scope; never the other one');
    assert.equal(await rpc.execute<number>('res.partner', 'search_count', [[['id', '=', outside]]], { context: { active_test: false } }), 0, 'it was deleted');
  });

  it('never names a record hidden by the user\'s record rules (Odoo\'s XML-RPC as the user is the oracle)', async () => {
    const rpc = await admin();
    const tag = unique('rules');
    const other = await createCompany(unique('co'));
    const user = await createUser({ login: unique('feeduser'), companyIds: [1] });
    const { key } = await createKey({ userId: user.id, scopes: [{ model: 'res.partner' }] });
    const asUser = await OdooRpc.login(user.login, user.password);
    const cursor = await freshCursor('res.partner', key);
    const [hidden, shown] = await rpc.execute<number[]>('res.partner', 'create', [[{ name: `${tag} hidden`, company_id: other }, { name: `${tag} shown` }]]);
    assert.deepEqual(await asUser.execute<number[]>('res.partner', 'search', [[['id', 'in', [hidden, shown]]]]), [shown], 'Odoo hides the other company\'s partner from the user');
    await rpc.execute('res.partner', 'write', [[hidden], { comment: 'changed' }]);
    const seen = await drain('res.partner', cursor, { fields: 'name' }, key);
    assert.ok(seen.changed.has(shown as number));
    assert.ok(!seen.changed.has(hidden as number) && !seen.deleted.has(hidden as number), 'a hidden record is not named');
    await rpc.execute('res.partner', 'unlink', [[hidden, shown]]);
    const after = await drain('res.partner', seen.cursor, { fields: 'name' }, key);
    assert.deepEqual([...after.deleted], [shown], 'the deletion of the served record only');
  });

  it('gives every tombstone to a caller that sees every record of a model without record rules', async () => {
    const rpc = await admin();
    assert.equal(await rpc.execute<number>('ir.rule', 'search_count', [[['model_id.model', '=', 'res.partner.category']]]), 0, 'precondition: no record rule');
    const { key } = await createKey({ userId: rpc.uid, scopes: [{ model: 'res.partner.category' }] });
    const [listed] = await rpc.execute<number[]>('res.partner.category', 'create', [[{ name: unique('cat') }]]);
    const cursor = await freshCursor('res.partner.category', key); // the record is known from a list, not from the feed
    await rpc.execute('res.partner.category', 'unlink', [[listed]]);
    const got = await drain('res.partner.category', cursor, { fields: 'name' }, key);
    assert.deepEqual([...got.deleted], [listed]);
  });
});
