/**
 * POST /{model}/batch end to end: partial (207, each operation alone) and
 * atomic (all or nothing) batches, policy and field rules checked before
 * anything runs, batch size limits and malformed operations; XML-RPC is
 * the oracle of what Odoo kept.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCompany, createKey, createUser, exposedModelId, unique } from './support/fixtures.js';
import { admin, api, type ApiResponse } from './support/stack.js';

const ALL = { allow_read: true, allow_create: true, allow_update: true, allow_delete: true, allow_archive: true, allow_restore: true };
const batch = (body: unknown, key?: string, model = 'res.partner', query = ''): Promise<ApiResponse> =>
  api(`/${model}/batch${query}`, { method: 'POST', body, key });

async function partnersNamed(prefix: string): Promise<Array<Record<string, any>>> {
  return (await admin()).execute('res.partner', 'search_read', [[['name', '=like', `${prefix}%`]], ['name', 'active', 'email']], { context: { active_test: false } });
}

function expectProblem(r: ApiResponse, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.body.code, code, r.text);
}

describe('batch writes', () => {
  let tag: string;
  let existing: number[];
  before(async () => {
    tag = unique('b');
    await exposedModelId('res.partner', { ...ALL, max_batch_size: 100 });
    await exposedModelId('res.partner.category', { ...ALL, max_batch_size: 2 });
    existing = await (await admin()).execute<number[]>('res.partner', 'create', [[1, 2, 3, 4].map((n) => ({ name: `${tag} old ${n}` }))]);
  });

  it('partial: every operation runs alone; 207 lists each status in order', async () => {
    const [e1, e2, e3, e4] = existing as [number, number, number, number];
    const r = await batch({
      operations: [
        { op: 'create', ref: 'c1', values: { name: `${tag} new`, email: 'new@example.com' } },
        { op: 'update', ref: 'u1', id: e1, values: { email: 'u1@example.com' } },
        { op: 'update', ref: 'missing', id: 2_000_000_000, values: { email: 'x@example.com' } },
        { op: 'archive', ref: 'a1', id: e2 },
        { op: 'delete', ref: 'd1', id: e3, force: true },
        { op: 'delete', ref: 'd2', id: e4 },
        { op: 'create', ref: 'bad-related', values: { name: `${tag} rel`, category_id: [2_000_000_000] } },
      ],
    }, undefined, 'res.partner', '?fields=name,email,active');
    assert.equal(r.status, 207, r.text);
    assert.deepEqual(r.body.data.map((d: any) => [d.ref, d.status]), [
      ['c1', 201], ['u1', 200], ['missing', 404], ['a1', 200], ['d1', 204], ['d2', 200], ['bad-related', 404],
    ]);
    assert.equal(r.body.data[0].data.name, `${tag} new`);
    assert.equal(r.body.data[1].data.email, 'u1@example.com');
    assert.equal(r.body.data[2].error.code, 'record_not_found');
    assert.equal(r.body.data[3].data.active, false);
    assert.equal(r.body.data[4].data, null);
    assert.equal(r.body.data[5].data.active, false, 'delete archives a model with active, as DELETE does');
    assert.equal(r.body.data[6].error.code, 'record_not_found', 'as the same POST answers');
    const kept = await partnersNamed(tag);
    const names = kept.map((p) => p.name).sort();
    assert.deepEqual(names, [`${tag} new`, `${tag} old 1`, `${tag} old 2`, `${tag} old 4`], 'the create naming a missing category failed alone; d1 is gone');
    assert.equal(kept.find((p) => p.name === `${tag} old 1`)?.email, 'u1@example.com');
  });

  it('partial: 200 when every operation succeeded; restore brings a record back', async () => {
    const r = await batch({ operations: [{ op: 'restore', ref: 1, id: existing[1] }, { op: 'create', values: { name: `${tag} ok` } }] });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.data.map((d: any) => [d.ref, d.status]), [[1, 200], [null, 201]]);
    const [restored] = await (await admin()).execute('res.partner', 'read', [[existing[1]], ['active']]);
    assert.equal(restored.active, true);
  });

  it('atomic: a failure answers its problem with its ref, and nothing is kept', async () => {
    const r = await batch({
      atomic: true,
      operations: [
        { op: 'create', ref: 'first', values: { name: `${tag} atomic 1` } },
        { op: 'update', ref: 'second', id: existing[0], values: { email: 'atomic@example.com' } },
        { op: 'update', ref: 'boom', id: 2_000_000_000, values: { name: 'x' } },
      ],
    });
    expectProblem(r, 404, 'record_not_found');
    assert.equal(r.body.ref, 'boom');
    assert.equal(r.body.operation, 2);
    assert.match(r.body.detail, /operations\[2\] \(ref boom\)/);
    assert.equal((await partnersNamed(`${tag} atomic`)).length, 0);
    const [first] = await (await admin()).execute('res.partner', 'read', [[existing[0]], ['email']]);
    assert.equal(first.email, 'u1@example.com');
  });

  it('atomic: a failing create among merged creates is named, and nothing is kept', async () => {
    const r = await batch({
      atomic: true,
      operations: [
        { op: 'create', ref: 'a', values: { name: `${tag} merged a` } },
        { op: 'create', ref: 'b', values: { name: `${tag} merged b`, parent_id: 2_000_000_000 } },
        { op: 'create', ref: 'c', values: { name: `${tag} merged c` } },
      ],
    });
    assert.ok(r.status === 404 || r.status === 422, r.text);
    assert.deepEqual([r.body.operation, r.body.ref], [1, 'b']);
    assert.equal((await partnersNamed(`${tag} merged`)).length, 0);
  });

  it('atomic: all succeed in one transaction', async () => {
    const operations = Array.from({ length: 10 }, (_, i) => ({ op: 'create', ref: `a${i}`, values: { name: `${tag} all ${i}` } }));
    const r = await batch({ atomic: true, operations });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.data.length, 10);
    assert.ok(r.body.data.every((d: any) => d.status === 201 && d.data.id > 0));
    assert.equal((await partnersNamed(`${tag} all`)).length, 10);
  });

  it('atomic: checks policy for every operation before running any', async () => {
    const company = await createCompany(unique('bco'));
    const user = await createUser({ login: unique('buser'), companyIds: [company], groups: ['base.group_user', 'base.group_partner_manager'] });
    const { key } = await createKey({ userId: user.id, scopes: [{ model: 'res.partner', toggles: { delete: false }, blocked: ['comment'] }] });
    const denied = await batch({ atomic: true, operations: [{ op: 'create', values: { name: `${tag} pol 1` } }, { op: 'delete', ref: 'del', id: existing[0], force: true }] }, key);
    expectProblem(denied, 403, 'operation_not_allowed');
    assert.equal(denied.body.ref, 'del');
    const blocked = await batch({ atomic: true, operations: [{ op: 'create', values: { name: `${tag} pol 2` } }, { op: 'create', values: { name: `${tag} pol 3`, comment: 'no' } }] }, key);
    expectProblem(blocked, 403, 'field_not_allowed');
    assert.deepEqual(blocked.body.errors.map((e: any) => e.field), ['operations[1].values.comment']);
    assert.equal((await partnersNamed(`${tag} pol`)).length, 0, 'nothing ran');
  });

  it('partial: an operation refused by policy fails alone; the others run (Odoo as the oracle)', async () => {
    const company = await createCompany(unique('bco'));
    const user = await createUser({ login: unique('buser'), companyIds: [company], groups: ['base.group_user', 'base.group_partner_manager'] });
    const { key } = await createKey({ userId: user.id, scopes: [{ model: 'res.partner', toggles: { delete: false }, blocked: ['comment'] }] });
    const r = await batch(
      {
        operations: [
          { op: 'create', ref: 'ok1', values: { name: `${tag} ppol 1` } },
          { op: 'delete', ref: 'del', id: existing[0], force: true },
          { op: 'create', ref: 'blocked', values: { name: `${tag} ppol 2`, comment: 'no' } },
          { op: 'create', ref: 'unknown', values: { name: `${tag} ppol 3`, nope: 1 } },
          { op: 'create', ref: 'ok2', values: { name: `${tag} ppol 4` } },
        ],
      },
      key,
    );
    assert.equal(r.status, 207, r.text);
    assert.deepEqual(r.body.data.map((d: any) => [d.ref, d.status, d.error?.code ?? null]), [
      ['ok1', 201, null],
      ['del', 403, 'operation_not_allowed'],
      ['blocked', 403, 'field_not_allowed'],
      ['unknown', 400, 'unknown_field'],
      ['ok2', 201, null],
    ]);
    assert.deepEqual(r.body.data[2].error.errors.map((e: any) => e.field), ['operations[2].values.comment']);
    assert.deepEqual((await partnersNamed(`${tag} ppol`)).map((p) => p.name).sort(), [`${tag} ppol 1`, `${tag} ppol 4`]);
    assert.equal((await (await admin()).execute<number>('res.partner', 'search_count', [[['id', '=', existing[0]]]], { context: { active_test: false } })), 1, 'the refused delete did not run');
  });

  it('refuses a batch over the model\'s maximum with 413', async () => {
    const small = await batch({ operations: [1, 2, 3].map((n) => ({ op: 'create', values: { name: `${tag} cat ${n}` } })) }, undefined, 'res.partner.category');
    expectProblem(small, 413, 'batch_too_large');
    const big = await batch({ operations: Array.from({ length: 101 }, () => ({ op: 'create', values: { name: `${tag} big` } })) });
    expectProblem(big, 413, 'batch_too_large');
    assert.equal((await partnersNamed(`${tag} big`)).length, 0);
  });
});

describe('batch bad input', () => {
  let tag: string;
  let id: number;
  before(async () => {
    tag = unique('bb');
    await exposedModelId('res.partner', { ...ALL, max_batch_size: 100 });
    id = await (await admin()).execute<number>('res.partner', 'create', [{ name: `${tag} target` }]);
  });
  after(async () => {
    assert.equal((await partnersNamed(tag)).length, 1, 'no bad batch wrote anything');
  });

  const cases: Array<[string, unknown, number, string, string?]> = [
    ['a list body', [], 400, 'invalid_body'],
    ['no operations', { atomic: true }, 400, 'invalid_body'],
    ['an empty list', { operations: [] }, 400, 'invalid_body'],
    ['operations not a list', { operations: { op: 'create' } }, 400, 'invalid_body'],
    ['atomic not a boolean', { atomic: 'yes', operations: [{ op: 'create', values: { name: 'x' } }] }, 400, 'invalid_body'],
    ['an unknown body key', { operations: [], extra: 1 }, 400, 'invalid_body'],
    ['an operation not an object', { operations: ['create'] }, 400, 'invalid_operation', 'operations[0]'],
    ['an unknown op', { operations: [{ op: 'merge', id: 1 }] }, 400, 'invalid_operation', 'operations[0].op'],
    ['a missing op', { operations: [{ values: { name: 'x' } }] }, 400, 'invalid_operation', 'operations[0].op'],
    ['update without id', { operations: [{ op: 'update', values: { name: 'x' } }] }, 400, 'invalid_operation', 'operations[0].id'],
    ['an id as a string', { operations: [{ op: 'archive', id: '12' }] }, 400, 'invalid_operation', 'operations[0].id'],
    ['a negative id', { operations: [{ op: 'delete', id: -3 }] }, 400, 'invalid_operation', 'operations[0].id'],
    ['values not an object', { operations: [{ op: 'create', values: [1] }] }, 400, 'invalid_operation', 'operations[0].values'],
    ['a key the op does not take', { operations: [{ op: 'create', id: 3, values: { name: 'x' } }] }, 400, 'invalid_operation', 'operations[0].id'],
    ['force not a boolean', { operations: [{ op: 'delete', id: 3, force: 'yes' }] }, 400, 'invalid_operation', 'operations[0].force'],
    ['a ref too long', { operations: [{ op: 'create', ref: 'r'.repeat(256), values: { name: 'x' } }] }, 400, 'invalid_operation', 'operations[0].ref'],
    ['upsert without a key', { operations: [{ op: 'upsert', values: { name: 'x' } }] }, 400, 'invalid_operation', 'operations[0].external_id'],
    ['an unknown field', { operations: [{ op: 'create', values: { name: 'x', nope: 1 } }] }, 400, 'unknown_field', 'operations[0].values.nope'],
    ['a wrong value type', { operations: [{ op: 'create', values: { name: 'x', is_company: 'maybe' } }] }, 400, 'invalid_value', 'operations[0].values.is_company'],
  ];
  const good = (name: string) => ({ op: 'update', id, values: { name: `${tag} target ${name}` } });
  for (const [label, body, status, code, field] of cases) {
    const hasOperations = body !== null && typeof body === 'object' && Array.isArray((body as any).operations) && (body as any).operations.length > 0;
    if (!hasOperations || field === undefined) {
      // a malformed envelope refuses the whole request, atomic or not
      it(`refuses ${label}`, async () => expectProblem(await batch(body), status, code));
      continue;
    }
    it(`atomic: refuses the whole batch for ${label}`, async () => {
      const r = await batch({ ...(body as object), atomic: true, operations: [good('atomic'), ...(body as any).operations] });
      expectProblem(r, status, code);
      assert.ok(r.body.errors.some((e: any) => e.field === field.replace('operations[0]', 'operations[1]')), r.text);
      assert.equal((await partnersNamed(`${tag} target atomic`)).length, 0, 'the good operation did not run');
    });
    it(`partial: refuses only the operation with ${label}`, async () => {
      const name = unique('p');
      const r = await batch({ ...(body as object), atomic: false, operations: [good(name), ...(body as any).operations] });
      assert.equal(r.status, 207, r.text);
      assert.equal(r.body.data.length, 2);
      assert.equal(r.body.data[0].status, 200, r.text);
      assert.equal(r.body.data[1].status, status, r.text);
      assert.equal(r.body.data[1].error.code, code, r.text);
      assert.ok(r.body.data[1].error.errors.some((e: any) => e.field === field.replace('operations[0]', 'operations[1]')), r.text);
      assert.equal((await partnersNamed(`${tag} target ${name}`)).length, 1, 'the good operation ran');
    });
  }

  it('atomic: names every malformed operation at once', async () => {
    const r = await batch({ atomic: true, operations: [{ op: 'x' }, { op: 'create', values: { name: `${tag} fine` } }, { op: 'update' }] });
    expectProblem(r, 400, 'invalid_operation');
    assert.deepEqual(r.body.errors.map((e: any) => e.field), ['operations[0].op', 'operations[2].id', 'operations[2].values']);
  });

  it('partial: answers every operation in order, malformed ones with their own problems', async () => {
    const r = await batch({ operations: [{ op: 'x', ref: 'a' }, good('order'), { op: 'update', ref: 'c' }] });
    assert.equal(r.status, 207, r.text);
    assert.deepEqual(r.body.data.map((d: any) => [d.ref, d.status]), [['a', 400], [null, 200], ['c', 400]]);
    assert.deepEqual(r.body.data[2].error.errors.map((e: any) => e.field), ['operations[2].id', 'operations[2].values']);
  });

  it('refuses a body that is not JSON', async () => {
    const r = await api('/res.partner/batch', { method: 'POST', body: 'operations=1', headers: { 'Content-Type': 'text/plain' } });
    expectProblem(r, 415, 'unsupported_media_type');
  });

  it('answers 404 for a model that is not exposed', async () => {
    expectProblem(await batch({ operations: [{ op: 'create', values: {} }] }, undefined, 'res.bank.nope'), 404, 'model_not_found');
  });
});
