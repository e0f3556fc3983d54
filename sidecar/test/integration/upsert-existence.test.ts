/**
 * An upsert never tells a record its caller cannot see from one that does
 * not exist (docs/decisions.md D-S52): a match skips records outside the
 * key's scope or Odoo's record rules (the user's own XML-RPC is the oracle)
 * and answers as for a new value; an external id that names such a record,
 * or a record of another model, answers exactly as another taken or
 * missing name does, and never names the other model.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createCompany, createKey, createUser, exposedModelId, unique } from './support/fixtures.js';
import { OdooRpc, admin, api, type ApiResponse } from './support/stack.js';

const ALL = { allow_read: true, allow_create: true, allow_update: true, allow_delete: true, allow_archive: true, allow_restore: true };
const upsert = (body: unknown, key: string): Promise<ApiResponse> => api('/res.partner/upsert?fields=name,ref', { method: 'POST', body, key });

/** The answer without what differs between two names or two new records. */
function shape(r: ApiResponse, ...names: string[]): string {
  let text = JSON.stringify({ status: r.status, code: r.body.code ?? null, detail: r.body.detail ?? null, created: r.body.meta?.created ?? null });
  for (const name of names) text = text.split(name).join('<name>');
  return text;
}

describe('upsert existence', () => {
  let tag: string;
  let user: { id: number; login: string; password: string };
  let key: string;
  let other: number;
  before(async () => {
    tag = unique('ux').replace(/-/g, '_');
    const rpc = await admin();
    const [refField] = await rpc.execute<number[]>('ir.model.fields', 'search', [[['model', '=', 'res.partner'], ['name', '=', 'ref']]]);
    await exposedModelId('res.partner', { ...ALL, upsert_namespace: 'rest_api', upsert_match_field_ids: [[6, 0, [refField]]], max_batch_size: 100 });
    other = await createCompany(unique('uxco'));
    user = await createUser({ login: unique('uxuser'), companyIds: [1], groups: ['base.group_user', 'base.group_partner_manager'] });
    ({ key } = await createKey({ userId: user.id, scopes: [{ model: 'res.partner', domain: `[('name', '=like', '${tag}%')]` }] }));
  });

  it('a match skips records outside the scope or the record rules: the same answer as a value nobody has', async () => {
    const rpc = await admin();
    const [outOfScope, hidden] = await rpc.execute<number[]>('res.partner', 'create', [[
      { name: `other ${tag}`, ref: `${tag}-S` },
      { name: `${tag} hidden`, ref: `${tag}-H`, company_id: other },
    ]]);
    const asUser = await OdooRpc.login(user.login, user.password);
    assert.deepEqual(await asUser.execute<number[]>('res.partner', 'search', [[['id', 'in', [outOfScope, hidden]]]]), [outOfScope], 'Odoo hides the other company\'s partner');
    const answers: ApiResponse[] = [];
    for (const ref of [`${tag}-S`, `${tag}-H`, `${tag}-N`]) {
      const r = await upsert({ match: { ref }, values: { name: `${tag} new`, ref } }, key);
      assert.equal(r.status, 201, r.text);
      assert.ok(![outOfScope, hidden].includes(r.body.data.id as number));
      answers.push(r);
    }
    assert.equal(new Set(answers.map((r) => shape(r))).size, 1);
    const rows = await rpc.execute<Array<{ name: string }>>('res.partner', 'read', [[outOfScope, hidden], ['name']]);
    assert.deepEqual(rows.map((row) => row.name), [`other ${tag}`, `${tag} hidden`], 'unchanged');
  });

  it('an external id in the namespace taken by a hidden record or another model answers one 409 upsert_conflict, naming neither', async () => {
    const rpc = await admin();
    const [outOfScope] = await rpc.execute<number[]>('res.partner', 'create', [[{ name: `other ${tag} x` }]]);
    const [country] = await rpc.execute<number[]>('res.country', 'search', [[['code', '=', 'FR']]]);
    await rpc.execute('ir.model.data', 'create', [[
      { module: 'rest_api', name: `${tag}_scope`, model: 'res.partner', res_id: outOfScope },
      { module: 'rest_api', name: `${tag}_country`, model: 'res.country', res_id: country },
    ]]);
    const scoped = await upsert({ external_id: `${tag}_scope`, values: { name: `${tag} X` } }, key);
    const foreign = await upsert({ external_id: `${tag}_country`, values: { name: `${tag} X` } }, key);
    for (const r of [scoped, foreign]) {
      assert.equal(r.status, 409, r.text);
      assert.equal(r.body.code, 'upsert_conflict');
      assert.doesNotMatch(r.body.detail, /res\.country|res\.partner|France/);
      assert.ok(!r.body.detail.includes(String(outOfScope)));
    }
    assert.equal(shape(scoped, `${tag}_scope`), shape(foreign, `${tag}_country`));
    assert.equal(await rpc.execute<number>('res.partner', 'search_count', [[['name', '=', `${tag} X`]]]), 0);
  });

  it('an external id outside the namespace answers "does not exist" alike, whatever it names', async () => {
    const rpc = await admin();
    const [outOfScope] = await rpc.execute<number[]>('res.partner', 'create', [[{ name: `other ${tag} y` }]]);
    await rpc.execute('ir.model.data', 'create', [[{ module: 'elsewhere', name: `${tag}_p`, model: 'res.partner', res_id: outOfScope }]]);
    const answers = [
      [await upsert({ external_id: `elsewhere.${tag}_p`, values: { name: `${tag} Y` } }, key), `elsewhere.${tag}_p`],
      [await upsert({ external_id: 'base.user_admin', values: { name: `${tag} Y` } }, key), 'base.user_admin'],
      [await upsert({ external_id: `elsewhere.${tag}_none`, values: { name: `${tag} Y` } }, key), `elsewhere.${tag}_none`],
    ] as const;
    for (const [r] of answers) {
      assert.equal(r.status, 422, r.text);
      assert.doesNotMatch(r.body.detail, /res\.users|res\.partner/);
    }
    assert.equal(new Set(answers.map(([r, name]) => shape(r, name))).size, 1, answers.map(([r]) => r.text).join('\n'));
  });
});
