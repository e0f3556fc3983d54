/**
 * POST /{model}/upsert end to end: by external id (created in the admin's
 * namespace) and by an admin-marked field, single and list bodies, scope
 * and bad input, and the concurrency proof: many simultaneous upserts of
 * one key leave exactly one record (XML-RPC is the oracle).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createCompany, createKey, createUser, exposedModelId, unique } from './support/fixtures.js';
import { admin, api, type ApiResponse } from './support/stack.js';

const ALL = { allow_read: true, allow_create: true, allow_update: true, allow_delete: true, allow_archive: true, allow_restore: true };
const upsert = (body: unknown, key?: string, query = ''): Promise<ApiResponse> => api(`/res.partner/upsert${query}`, { method: 'POST', body, key });

function expectProblem(r: ApiResponse, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.body.code, code, r.text);
}

async function count(model: string, domain: unknown[]): Promise<number> {
  return (await admin()).execute<number>(model, 'search_count', [domain], { context: { active_test: false } });
}

describe('upsert', () => {
  let tag: string;
  before(async () => {
    tag = unique('up').replace(/-/g, '_');
    const [refField] = await (await admin()).execute<number[]>('ir.model.fields', 'search', [[['model', '=', 'res.partner'], ['name', '=', 'ref']]]);
    await exposedModelId('res.partner', { ...ALL, upsert_namespace: 'rest_api', upsert_match_field_ids: [[6, 0, [refField]]], max_batch_size: 100 });
  });

  it('by external id: 201 and the xmlid in the namespace, then 200 on the same record', async () => {
    const first = await upsert({ external_id: `rest_api.${tag}_x1`, values: { name: `${tag} X1` } }, undefined, '?fields=name');
    assert.equal(first.status, 201, first.text);
    assert.equal(first.body.meta.created, true);
    const id = first.body.data.id as number;
    assert.deepEqual(first.body.data, { id, name: `${tag} X1` });
    assert.equal(first.headers.get('location'), `/api/v1/res.partner/${id}`);
    const [data] = await (await admin()).execute('ir.model.data', 'search_read', [[['module', '=', 'rest_api'], ['name', '=', `${tag}_x1`]], ['model', 'res_id']]);
    assert.deepEqual([data.model, data.res_id], ['res.partner', id]);
    const second = await upsert({ external_id: `${tag}_x1`, values: { name: `${tag} X1 again` } });
    assert.equal(second.status, 200, second.text);
    assert.deepEqual([second.body.meta.created, second.body.data.id], [false, id]);
    assert.equal(await count('res.partner', [['name', '=like', `${tag} X1%`]]), 1);
  });

  it('does not create external ids outside the namespace', async () => {
    expectProblem(await upsert({ external_id: `elsewhere.${tag}`, values: { name: `${tag} E` } }), 422, 'validation_error');
    assert.equal(await count('res.partner', [['name', '=', `${tag} E`]]), 0);
  });

  it('by a marked field: creates, then updates the match', async () => {
    const first = await upsert({ match: { ref: `${tag}-M` }, values: { name: `${tag} M`, ref: `${tag}-M` } });
    assert.equal(first.status, 201, first.text);
    const second = await upsert({ match: { ref: `${tag}-M` }, values: { email: 'm@example.com' } });
    assert.equal(second.status, 200, second.text);
    assert.equal(second.body.data.id, first.body.data.id);
    assert.equal(await count('res.partner', [['ref', '=', `${tag}-M`]]), 1);
  });

  it('refuses a field the admin did not mark, and answers 409 on more than one match', async () => {
    expectProblem(await upsert({ match: { email: 'x@example.com' }, values: { name: 'x' } }), 422, 'validation_error');
    await (await admin()).execute('res.partner', 'create', [[{ name: `${tag} D1`, ref: `${tag}-DUP` }, { name: `${tag} D2`, ref: `${tag}-DUP` }]]);
    expectProblem(await upsert({ match: { ref: `${tag}-DUP` }, values: { name: `${tag} D3` } }), 409, 'upsert_ambiguous');
    assert.equal(await count('res.partner', [['ref', '=', `${tag}-DUP`]]), 2);
  });

  it('a list body upserts all or nothing and answers a list', async () => {
    const body = [1, 2, 3].map((n) => ({ external_id: `rest_api.${tag}_l${n}`, values: { name: `${tag} L${n}` } }));
    const first = await upsert(body);
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.body.meta.created, [true, true, true]);
    const again = await upsert([...body.slice(0, 2), { external_id: `rest_api.${tag}_l4`, values: { name: `${tag} L4` } }]);
    assert.deepEqual(again.body.meta.created, [false, false, true]);
    const failing = await upsert([{ external_id: `rest_api.${tag}_l5`, values: { name: `${tag} L5` } }, { match: { email: 'no' }, values: { name: 'x' } }]);
    expectProblem(failing, 422, 'validation_error');
    assert.equal(failing.body.operation, 1);
    assert.equal(await count('res.partner', [['name', '=', `${tag} L5`]]), 0, 'nothing of a failed list is kept');
  });

  it('does not match an existing record outside the credential\'s scope, and changes nothing of it', async () => {
    const company = await createCompany(unique('upco'));
    const user = await createUser({ login: unique('upuser'), companyIds: [company], groups: ['base.group_user', 'base.group_partner_manager'] });
    const { key } = await createKey({ userId: user.id, scopes: [{ model: 'res.partner', domain: "[('is_company', '=', True)]" }] });
    const [person] = await (await admin()).execute<number[]>('res.partner', 'create', [[{ name: `${tag} P`, ref: `${tag}-P` }]]);
    // a record outside the scope is not there for this key (upsert-existence.test.ts)
    expectProblem(await upsert({ match: { ref: `${tag}-P` }, values: { is_company: false, name: `${tag} P2` } }, key), 403, 'forbidden');
    const [row] = await (await admin()).execute('res.partner', 'read', [[person], ['is_company']]);
    assert.equal(row.is_company, false);
    const readOnly = await createKey({ userId: user.id, scopes: [{ model: 'res.partner', toggles: { update: false } }] });
    expectProblem(await upsert({ match: { ref: `${tag}-P` }, values: {} }, readOnly.key), 403, 'operation_not_allowed');
  });

  for (const [label, keyOf] of [
    ['external id', (t: string) => ({ external_id: `rest_api.${t}_race` })],
    ['match value', (t: string) => ({ match: { ref: `${t}-RACE-M` } })],
  ] as const) {
    it(`20 concurrent upserts of one ${label} create exactly one record`, async () => {
      const key = keyOf(tag);
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) =>
        upsert({ ...key, values: { name: `${tag} race ${label}`, ref: `${tag}-RACE-${'match' in key ? 'M' : 'X'}`, comment: `writer ${i}` } })));
      const statuses = answers.map((r) => r.status);
      assert.ok(statuses.every((s) => s === 200 || s === 201), `${statuses.join(',')} ${answers.find((r) => r.status >= 300)?.text ?? ''}`);
      assert.equal(statuses.filter((s) => s === 201).length, 1, 'one creator');
      assert.equal(new Set(answers.map((r) => r.body.data.id)).size, 1, 'all answered the same record');
      assert.equal(await count('res.partner', [['name', '=', `${tag} race ${label}`]]), 1);
      if ('external_id' in key) assert.equal(await count('ir.model.data', [['module', '=', 'rest_api'], ['name', '=', `${tag}_race`]]), 1);
    });
  }
});

describe('upsert bad input', () => {
  let tag: string;
  before(async () => {
    tag = unique('ub');
    await exposedModelId('res.partner', { ...ALL, max_batch_size: 100 });
  });
  const cases: Array<[string, unknown, number, string]> = [
    ['no key', { values: { name: 'x' } }, 400, 'invalid_operation'],
    ['both keys', { external_id: 'rest_api.a', match: { ref: 'a' }, values: { name: 'x' } }, 400, 'invalid_operation'],
    ['a malformed external id', { external_id: 'has space.x', values: { name: 'x' } }, 400, 'invalid_operation'],
    ['an external id not a string', { external_id: 12, values: { name: 'x' } }, 400, 'invalid_operation'],
    ['a match of two fields', { match: { ref: 'a', name: 'b' }, values: { name: 'x' } }, 400, 'invalid_operation'],
    ['a match on an unknown field', { match: { nope: 'a' }, values: { name: 'x' } }, 400, 'unknown_field'],
    ['no values', { external_id: 'rest_api.a' }, 400, 'invalid_operation'],
    ['values not an object', { external_id: 'rest_api.a', values: 'x' }, 400, 'invalid_operation'],
    ['an unknown key', { external_id: 'rest_api.a', values: {}, id: 3 }, 400, 'invalid_operation'],
    ['a scalar body (not JSON for a strict parser)', 42, 400, 'invalid_json'],
    ['a string list item', ['x'], 400, 'invalid_operation'],
    ['an empty list', [], 400, 'invalid_body'],
  ];
  for (const [label, body, status, code] of cases) {
    it(`refuses ${label}`, async () => {
      const withTag = body && typeof body === 'object' && !Array.isArray(body) && 'values' in body && typeof (body as any).values === 'object'
        ? { ...(body as object), values: { name: `${tag} bad` } }
        : body;
      expectProblem(await upsert(withTag), status, code);
    });
  }
  it('names the body\'s own keys, not operations[0]', async () => {
    const r = await upsert({ values: { name: 'x' } });
    assert.deepEqual(r.body.errors.map((e: any) => e.field), ['external_id']);
  });
  it('refuses a list over the maximum batch size with 413', async () => {
    const body = Array.from({ length: 101 }, (_, i) => ({ external_id: `rest_api.${tag.replace(/-/g, '_')}_${i}`, values: { name: `${tag} bad` } }));
    expectProblem(await upsert(body), 413, 'batch_too_large');
  });
  it('wrote nothing', async () => {
    assert.equal(await count('res.partner', [['name', '=', `${tag} bad`]]), 0);
  });
});
