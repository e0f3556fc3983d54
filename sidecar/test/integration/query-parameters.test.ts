/**
 * Routes take only the query parameters they declare: a typo such as
 * `filters=` or a credential in the URL is a 400 `unknown_parameter` naming
 * it, the change feed refuses `filter` and `sort` (it would otherwise ignore
 * them), and a batch refuses a ref given twice, changing nothing (Odoo's
 * XML-RPC is the oracle).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unique } from './support/fixtures.js';
import { admin, api } from './support/stack.js';

interface Problem {
  code: string;
  detail: string;
  errors: Array<{ field: string }>;
}

async function refused(path: string, names: string[], options: { method?: string; body?: unknown } = {}): Promise<void> {
  const r = await api<Problem>(path, options);
  assert.equal(r.status, 400, `${path}: ${r.text}`);
  assert.equal(r.body.code, 'unknown_parameter', r.text);
  assert.deepEqual(r.body.errors.map((e) => e.field), names, r.text);
  for (const name of names) assert.ok(r.body.detail.includes(`"${name}"`), r.body.detail);
}

describe('query parameters', () => {
  it('answers 400 unknown_parameter for a parameter a route does not take', async () => {
    await refused('/res.partner?filters=[]&limit=1', ['filters']);
    await refused('/res.partner?access_token=abc', ['access_token']);
    await refused('/res.partner/count?limit=1&fitler[name][eq]=x', ['limit', 'fitler[name][eq]']);
    await refused('/res.partner/1?sort=name', ['sort']);
    await refused('/models?verbose=1', ['verbose']);
    await refused('/res.partner/fields?fields=name', ['fields']);
    await refused('/res.partner?expand[parent_id][fields]=name&expandd=parent_id', ['expandd']);
  });

  it('still takes the declared ones, their bracketed families and lang', async () => {
    const ok = await api('/res.partner?filter=[["id",">",0]]&filter[id][gt]=0&fields=name&sort=-id&limit=2&page=1&count=false&expand=parent_id&expand[parent_id][fields]=name&lang=en_US&binary=base64');
    assert.equal(ok.status, 200, ok.text);
    assert.equal((await api('/res.partner/count?filter[id][gt]=0&lang=en_US')).status, 200);
    assert.equal((await api('/res.partner/changes?since=0&limit=1&fields=name')).status, 200);
  });

  it('refuses filter and sort on the change feed instead of ignoring them', async () => {
    await refused('/res.partner/changes?since=0&filter=[["id","=",1]]', ['filter']);
    await refused('/res.partner/changes?since=0&filter[id][eq]=1', ['filter[id][eq]']);
    await refused('/res.partner/changes?since=0&sort=-id', ['sort']);
    await refused('/res.partner/changes?order=id desc', ['order']);
  });

  it('refuses a parameter on a write before anything is written', async () => {
    const name = unique('param');
    await refused('/res.partner?dry_run=true', ['dry_run'], { method: 'POST', body: { name } });
    assert.equal(await (await admin()).execute<number>('res.partner', 'search_count', [[['name', '=', name]]]), 0);
  });

  it('refuses a batch whose ref is given twice, naming it, and runs nothing', async () => {
    const name = unique('dupref');
    const r = await api<Problem>('/res.partner/batch', {
      method: 'POST',
      body: { operations: [{ op: 'create', ref: 'a', values: { name } }, { op: 'create', ref: 'b', values: { name } }, { op: 'create', ref: 'a', values: { name } }] },
    });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.code, 'duplicate_ref');
    assert.match(r.body.detail, /"a"/);
    assert.deepEqual(r.body.errors.map((e) => e.field), ['operations[2].ref']);
    assert.equal(await (await admin()).execute<number>('res.partner', 'search_count', [[['name', '=', name]]]), 0);
  });
});
