/**
 * A write naming a related record that does not exist answers 422
 * `related_record_not_found` naming the field and the missing id, for
 * many2one values and x2many command ids, in create, update, batch and
 * upsert (docs/decisions.md D-S53); nothing is written (XML-RPC is the
 * oracle). Before, it was "another model requires the record…".
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { unique } from './support/fixtures.js';
import { admin, api, type ApiResponse } from './support/stack.js';

const MISSING = 2_000_000_000;

function expectMissing(r: ApiResponse, field: string): void {
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.code, 'related_record_not_found', r.text);
  assert.match(r.body.detail, new RegExp(`(^|: )${field.replace('.', '\\.')}: .*${MISSING} does not exist`), r.text);
  assert.deepEqual(r.body.errors.map((e: { field: string }) => e.field), [field], r.text);
}

describe('related records that do not exist', () => {
  let tag: string;
  let partner: number;
  let category: number;
  before(async () => {
    tag = unique('relmiss');
    const rpc = await admin();
    partner = (await rpc.execute<number[]>('res.partner', 'create', [[{ name: `${tag} base` }]]))[0] as number;
    category = (await rpc.execute<number[]>('res.partner.category', 'create', [[{ name: `${tag} cat` }]]))[0] as number;
  });

  it('many2one on create and update', async () => {
    expectMissing(await api('/res.partner', { method: 'POST', body: { name: `${tag} new`, country_id: MISSING } }), 'country_id');
    expectMissing(await api(`/res.partner/${partner}`, { method: 'PATCH', body: { parent_id: MISSING } }), 'parent_id');
  });

  it('x2many command ids: a list, add, update, and inside a nested create', async () => {
    const path = `/res.partner/${partner}`;
    expectMissing(await api(path, { method: 'PATCH', body: { category_id: [category, MISSING] } }), 'category_id');
    expectMissing(await api(path, { method: 'PATCH', body: { category_id: { add: [MISSING] } } }), 'category_id');
    expectMissing(await api(path, { method: 'PATCH', body: { child_ids: { update: [{ id: MISSING, name: 'x' }] } } }), 'child_ids');
    expectMissing(await api(path, { method: 'PATCH', body: { child_ids: { create: [{ name: `${tag} child`, country_id: MISSING }] } } }), 'child_ids.country_id');
  });

  it('in a batch operation and an upsert', async () => {
    const atomic = await api('/res.partner/batch', { method: 'POST', body: { atomic: true, operations: [{ op: 'create', ref: 'ok', values: { name: `${tag} ok` } }, { op: 'create', ref: 'bad', values: { name: `${tag} bad`, country_id: MISSING } }] } });
    expectMissing(atomic, 'country_id');
    assert.equal(atomic.body.ref, 'bad');
    const partial = await api('/res.partner/batch', { method: 'POST', body: { operations: [{ op: 'update', ref: 'u', id: partner, values: { country_id: MISSING } }] } });
    assert.equal(partial.status, 207, partial.text);
    expectMissing({ ...partial, status: partial.body.data[0].status, body: partial.body.data[0].error }, 'country_id');
    expectMissing(await api('/res.partner/upsert', { method: 'POST', body: { external_id: `${tag.replace(/-/g, '_')}_up`, values: { name: `${tag} up`, country_id: MISSING } } }), 'country_id');
  });

  it('wrote nothing, and a real id still works', async () => {
    const rpc = await admin();
    assert.equal(await rpc.execute<number>('res.partner', 'search_count', [[['name', 'like', tag], ['id', '!=', partner]]], { context: { active_test: false } }), 0);
    const [row] = await rpc.execute('res.partner', 'read', [[partner], ['country_id', 'parent_id', 'category_id']]);
    assert.deepEqual([row.country_id, row.parent_id, row.category_id], [false, false, []]);
    const [france] = await rpc.execute<number[]>('res.country', 'search', [[['code', '=', 'FR']]]);
    const ok = await api(`/res.partner/${partner}?fields=country_id`, { method: 'PATCH', body: { country_id: france, category_id: [category] } });
    assert.equal(ok.status, 200, ok.text);
  });
});
