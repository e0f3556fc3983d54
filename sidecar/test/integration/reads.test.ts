/**
 * Authenticated reads end to end: list, count, read one, models, values,
 * pagination links, record rules (oracle: Odoo's XML-RPC as the same user)
 * and the key's scopes and field rules.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createCompany, createKey, createUser, unique } from './support/fixtures.js';
import { admin, api, OdooRpc } from './support/stack.js';

describe('reads as the admin key', () => {
  it('lists the models in scope with their operations', async () => {
    const r = await api('/models');
    assert.equal(r.status, 200);
    const names = r.body.data.map((m: { model: string }) => m.model);
    for (const model of ['res.company', 'res.country', 'res.partner', 'res.partner.category', 'res.users']) assert.ok(names.includes(model), model);
    const partner = r.body.data.find((m: { model: string }) => m.model === 'res.partner');
    assert.deepEqual(partner.operations, ['read', 'create', 'update', 'delete', 'archive', 'restore']);
  });

  it('answers the same records as Odoo search_read, with API values', async () => {
    const rpc = await admin();
    const tag = unique('val');
    const [be] = await rpc.execute<number[]>('res.country', 'search', [[['code', '=', 'BE']]]);
    const id = await rpc.execute<number>('res.partner', 'create', [{ name: `${tag} A`, email: false, country_id: be }]);
    const filter = encodeURIComponent(JSON.stringify([['name', '=like', `${tag}%`]]));
    const r = await api(`/res.partner?filter=${filter}&fields=name,email,country_id,create_date,active`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.meta.total, 1);
    const [record] = r.body.data;
    assert.equal(record.id, id);
    assert.equal(record.email, null);
    assert.equal(record.active, true);
    assert.deepEqual(record.country_id, { id: be, display_name: 'Belgium' });
    assert.match(record.create_date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(Object.keys(record).sort(), ['active', 'country_id', 'create_date', 'email', 'id', 'name']);
    assert.ok(r.headers.get('x-request-id'));
    assert.match(r.headers.get('server-timing') ?? '', /odoo;dur=/);
  });

  it('pages with meta and links, and counts', async () => {
    const rpc = await admin();
    const tag = unique('page');
    await rpc.execute('res.partner', 'create', [Array.from({ length: 5 }, (_, i) => ({ name: `${tag} ${i}` }))]);
    const filter = encodeURIComponent(JSON.stringify([['name', '=like', `${tag}%`]]));
    const first = await api(`/res.partner?filter=${filter}&limit=2&sort=name&fields=name`);
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.body.meta, { total: 5, limit: 2, offset: 0, page: 1 });
    assert.deepEqual(first.body.data.map((p: { name: string }) => p.name), [`${tag} 0`, `${tag} 1`]);
    assert.equal(first.body.links.prev, null);
    const second = await api(first.body.links.next);
    assert.deepEqual(second.body.data.map((p: { name: string }) => p.name), [`${tag} 2`, `${tag} 3`]);
    const last = await api(`/res.partner?filter=${filter}&limit=2&page=3&order=name desc`);
    assert.equal(last.body.data.length, 1);
    assert.equal(last.body.links.next, null);
    const past = await api(`/res.partner?filter=${filter}&limit=2&offset=40`);
    assert.equal(past.body.meta.total, 5);
    assert.deepEqual(past.body.data, []);
    const uncounted = await api(`/res.partner?filter=${filter}&limit=2&count=false`);
    assert.equal(uncounted.body.meta.total, undefined);
    assert.ok(uncounted.body.links.next);
    const count = await api(`/res.partner/count?filter=${filter}`);
    assert.deepEqual(count.body, { data: { count: 5 } });
  });

  it('reads one record and answers 404 for a missing one', async () => {
    const r = await api('/res.country?filter=' + encodeURIComponent('[["code","=","FR"]]') + '&fields=name,code');
    const fr = r.body.data[0];
    const one = await api(`/res.country/${fr.id}?fields=name,code`);
    assert.deepEqual(one.body, { data: { id: fr.id, name: 'France', code: 'FR' } });
    const missing = await api('/res.country/2147483000');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'record_not_found');
  });
});

describe('a non-admin user in one of two companies', () => {
  let key: string;
  let rpc: OdooRpc;
  let tag: string;
  let partners: { a: number; b: number; shared: number };

  before(async () => {
    const root = await admin();
    tag = unique('mc');
    const companyA = await createCompany(`${tag} A`);
    const companyB = await createCompany(`${tag} B`);
    const user = await createUser({ login: `${tag}-user`, companyIds: [companyB] });
    partners = {
      a: await root.execute<number>('res.partner', 'create', [{ name: `${tag} p in A`, company_id: companyA }]),
      b: await root.execute<number>('res.partner', 'create', [{ name: `${tag} p in B`, company_id: companyB }]),
      shared: await root.execute<number>('res.partner', 'create', [{ name: `${tag} p shared` }]),
    };
    rpc = await OdooRpc.login(user.login, user.password);
    key = (await createKey({ userId: user.id, scopes: [{ model: 'res.partner', blocked: ['email'] }, { model: 'res.country', toggles: { read: false } }] })).key;
  });

  it('sees exactly what Odoo shows that user', async () => {
    const domain = [['name', '=like', `${tag} p %`]];
    const oracle = await rpc.execute<Array<{ id: number; name: string }>>('res.partner', 'search_read', [domain], { fields: ['name'], order: 'id' });
    const r = await api(`/res.partner?filter=${encodeURIComponent(JSON.stringify(domain))}&fields=name&sort=id`, { key });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.data, oracle.map(({ id, name }) => ({ id, name })));
    assert.deepEqual(oracle.map((p) => p.id).sort(), [partners.b, partners.shared].sort());
    const count = await api(`/res.partner/count?filter=${encodeURIComponent(JSON.stringify(domain))}`, { key });
    assert.equal(count.body.data.count, oracle.length);
    const hidden = await api(`/res.partner/${partners.a}`, { key });
    assert.equal(hidden.status, 404);
  });

  it('never shows, filters or sorts on a blocked field', async () => {
    const list = await api(`/res.partner?filter=${encodeURIComponent(JSON.stringify([['name', '=like', `${tag}%`]]))}`, { key });
    assert.equal(list.status, 200, list.text);
    for (const record of list.body.data) assert.ok(!('email' in record));
    const one = await api(`/res.partner/${partners.b}`, { key });
    assert.ok(!('email' in one.body.data));
    for (const path of ['/res.partner?fields=name,email', `/res.partner?filter=${encodeURIComponent('[["email","ilike","x"]]')}`, '/res.partner?sort=email', `/res.partner/count?filter=${encodeURIComponent('["|",["name","=","x"],["email","=","y"]]')}`, `/res.partner/${partners.b}?fields=email`]) {
      const r = await api(path, { key });
      assert.equal(r.status, 403, `${path}: ${r.text}`);
      assert.equal(r.body.code, 'field_not_allowed');
    }
  });

  it('answers 404 for models outside its scopes and 403 for operations not allowed', async () => {
    const outside = await api('/res.company', { key });
    assert.equal(outside.status, 404);
    assert.equal(outside.body.code, 'model_not_found');
    const notExposed = await api('/res.bank', { key });
    assert.equal(notExposed.status, 404);
    const readOff = await api('/res.country', { key });
    assert.equal(readOff.status, 403);
    assert.equal(readOff.body.code, 'operation_not_allowed');
    const models = await api('/models', { key });
    assert.deepEqual(models.body.data.map((m: { model: string; operations: string[] }) => [m.model, m.operations.includes('read')]), [
      ['res.country', false],
      ['res.partner', true],
    ]);
  });
});

describe('scope narrowing', () => {
  it('ANDs the scope domain and honours a field allowlist', async () => {
    const root = await admin();
    const tag = unique('narrow');
    await root.execute('res.partner', 'create', [[{ name: `${tag} co`, is_company: true }, { name: `${tag} person`, is_company: false }]]);
    const { key } = await createKey({ userId: 2, scopes: [{ model: 'res.partner', domain: "[('is_company', '=', True)]", allowed: ['name'] }] });
    const r = await api(`/res.partner?filter=${encodeURIComponent(JSON.stringify([['name', '=like', `${tag}%`]]))}`, { key });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.data.map((p: Record<string, unknown>) => Object.keys(p).sort()), [['id', 'name']]);
    assert.equal(r.body.data[0].name, `${tag} co`);
  });
});
