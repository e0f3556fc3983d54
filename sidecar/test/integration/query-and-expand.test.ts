/**
 * The read side of the REST core: structured filters, relational expansion
 * (policy at every level, per-relation options), field metadata, language
 * and companies. Oracle: Odoo's XML-RPC as the same user.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createCompany, createKey, createUser, unique } from './support/fixtures.js';
import { admin, api, eventually, OdooRpc } from './support/stack.js';

const enc = encodeURIComponent;

describe('structured filters', () => {
  it('answer what the equivalent JSON domain answers', async () => {
    const rpc = await admin();
    const tag = unique('sf');
    const [be] = await rpc.execute<number[]>('res.country', 'search', [[['code', '=', 'BE']]]);
    await rpc.execute('res.partner', 'create', [[
      { name: `${tag} a`, country_id: be, is_company: true },
      { name: `${tag} b`, country_id: be },
      { name: `${tag} c` },
    ]]);
    const structured = await api(`/res.partner?filter[name][like]=${enc(tag)}&filter[country_id.code][eq]=BE&filter[is_company][eq]=false&fields=name`);
    const json = await api(`/res.partner?filter=${enc(JSON.stringify([['name', 'like', tag], ['country_id.code', '=', 'BE'], ['is_company', '=', false]]))}&fields=name`);
    assert.equal(structured.status, 200, structured.text);
    assert.deepEqual(structured.body.data, json.body.data);
    assert.deepEqual(structured.body.data.map((p: { name: string }) => p.name), [`${tag} b`]);
    const both = await api(`/res.partner/count?filter=${enc(JSON.stringify([['name', 'like', tag]]))}&filter[country_id][null]=true`);
    assert.equal(both.body.data.count, 1);
    const bad = await api('/res.partner?filter[name][regex]=x');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'invalid_filter');
  });
});

describe('relational expansion', () => {
  let tag: string;
  let parentId: number;

  before(async () => {
    const rpc = await admin();
    tag = unique('exp');
    const [be] = await rpc.execute<number[]>('res.country', 'search', [[['code', '=', 'BE']]]);
    const cats = await rpc.execute<number[]>('res.partner.category', 'create', [[{ name: `${tag} vip` }, { name: `${tag} gold` }]]);
    parentId = await rpc.execute<number>('res.partner', 'create', [{
      name: `${tag} parent`, is_company: true, country_id: be, category_id: [[6, 0, cats]],
      child_ids: [[0, 0, { name: `${tag} child z`, category_id: [[6, 0, [cats[0]]]] }], [0, 0, { name: `${tag} child a` }], [0, 0, { name: `${tag} child m` }]],
    }]);
  });

  it('expands many2one and x2many, nested, with per-relation options', async () => {
    const r = await api(
      `/res.partner/${parentId}?fields=name&expand=country_id,category_id,child_ids.category_id` +
        `&expand[country_id][fields]=code,name&expand[child_ids][fields]=name&expand[child_ids][sort]=name&expand[child_ids][limit]=2` +
        `&expand[child_ids.category_id][fields]=name`,
    );
    assert.equal(r.status, 200, r.text);
    const record = r.body.data;
    assert.deepEqual(record.country_id, { id: record.country_id.id, code: 'BE', name: 'Belgium' });
    assert.deepEqual(record.category_id.map((c: { name: string }) => c.name).sort(), [`${tag} gold`, `${tag} vip`]);
    assert.deepEqual(record.child_ids.map((c: { name: string }) => c.name), [`${tag} child a`, `${tag} child m`]);
    assert.deepEqual(record.child_ids[0].category_id, []);
    const z = await api(`/res.partner/${parentId}?fields=name&expand=child_ids.category_id&expand[child_ids][filter]=${enc(JSON.stringify([['name', 'like', 'child z']]))}`);
    assert.deepEqual(z.body.data.child_ids.map((c: { name: string; category_id: Array<{ name: string }> }) => [c.name, c.category_id.map((x) => x.name)]), [[`${tag} child z`, [`${tag} vip`]]]);
  });

  it('matches what Odoo returns for the same relations', async () => {
    const rpc = await admin();
    const [parent] = await rpc.execute<Array<{ child_ids: number[]; category_id: number[] }>>('res.partner', 'read', [[parentId], ['child_ids', 'category_id']]);
    const children = await rpc.execute<Array<{ id: number; name: string }>>('res.partner', 'read', [parent!.child_ids, ['name']]);
    const r = await api(`/res.partner/${parentId}?fields=name&expand=child_ids&expand[child_ids][fields]=name`);
    assert.deepEqual(
      r.body.data.child_ids.map((c: { id: number }) => c.id).sort(),
      children.map((c) => c.id).sort(),
    );
  });

  it('applies policy at every level', async () => {
    const { key } = await createKey({
      userId: 2,
      scopes: [
        { model: 'res.partner' },
        { model: 'res.country', domain: "[('code', '=', 'FR')]", allowed: ['name'] },
      ],
    });
    // category_id leads to a model outside the key's scopes
    const forbidden = await api(`/res.partner/${parentId}?expand=category_id`, { key });
    assert.equal(forbidden.status, 403, forbidden.text);
    assert.equal(forbidden.body.code, 'field_not_allowed');
    assert.match(forbidden.body.detail, /res\.partner\.category/);
    // Belgium is outside the country scope domain: it stays a plain many2one value
    const outside = await api(`/res.partner/${parentId}?fields=name&expand=country_id`, { key });
    assert.equal(outside.status, 200, outside.text);
    assert.deepEqual(outside.body.data.country_id, { id: outside.body.data.country_id.id, display_name: 'Belgium' });
    const blocked = await api(`/res.partner/${parentId}?expand=country_id&expand[country_id][fields]=code`, { key });
    assert.equal(blocked.status, 403);
    const deep = await api(`/res.partner?expand=child_ids.child_ids.child_ids.child_ids.child_ids`, { key });
    assert.equal(deep.status, 400);
    assert.equal(deep.body.code, 'expand_too_deep');
  });
});

describe('field metadata', () => {
  it('describes the fields the caller may see, blocked fields absent', async () => {
    const { key } = await createKey({ userId: 2, scopes: [{ model: 'res.partner', blocked: ['email'] }] });
    const r = await api('/res.partner/fields', { key });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.data.email, undefined);
    assert.deepEqual(
      { type: r.body.data.country_id.type, relation: r.body.data.country_id.relation, required: r.body.data.name.required },
      { type: 'many2one', relation: 'res.country', required: false },
    );
    assert.ok(Array.isArray(r.body.data.type.selection));
  });
});

describe('language and companies', () => {
  let fr: boolean;
  before(async () => {
    const rpc = await admin();
    const [lang] = await rpc.execute<number[]>('res.lang', 'search', [[['code', '=', 'fr_FR'], ['active', 'in', [true, false]]]]);
    const wizard = await rpc.execute<number>('base.language.install', 'create', [{ lang_ids: [[6, 0, [lang]]] }]);
    await rpc.execute('base.language.install', 'lang_install', [[wizard]]);
    // the sidecar learns installed languages on NOTIFY: wait for its reload
    await eventually(() => api('/res.country?limit=1&lang=fr_FR'), (r) => r.status === 200);
    fr = true;
  });

  it('answers in the language asked, and refuses one not installed', async () => {
    assert.ok(fr);
    const q = `/res.country?filter[code][eq]=BE&fields=name`;
    assert.equal((await api(`${q}&lang=fr_FR`)).body.data[0].name, 'Belgique');
    const negotiated = await api(q, { headers: { 'Accept-Language': 'de;q=0.9, fr;q=0.8, en;q=0.1' } });
    assert.equal(negotiated.body.data[0].name, 'Belgique');
    assert.equal(negotiated.headers.get('content-language'), 'fr-FR');
    assert.equal((await api(q, { headers: { 'Accept-Language': 'en-US' } })).body.data[0].name, 'Belgium');
    assert.equal((await api(`${q}&lang=en_US`, { headers: { 'Accept-Language': 'fr' } })).body.data[0].name, 'Belgium');
    const unknown = await api(`${q}&lang=xx_XX`);
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.detail, /en_US/);
    assert.match(unknown.body.detail, /fr_FR/);
  });

  it('acts in the companies asked, among the user\'s own', async () => {
    const root = await admin();
    const tag = unique('co');
    const a = await createCompany(`${tag} A`);
    const b = await createCompany(`${tag} B`);
    const c = await createCompany(`${tag} C`);
    const user = await createUser({ login: `${tag}-user`, companyIds: [a, b] });
    await root.execute('res.partner', 'create', [[
      { name: `${tag} p a`, company_id: a },
      { name: `${tag} p b`, company_id: b },
      { name: `${tag} p none` },
    ]]);
    const { key } = await createKey({ userId: user.id, scopes: [{ model: 'res.partner' }] });
    const rpc = await OdooRpc.login(user.login, user.password);
    const domain = [['name', 'like', `${tag} p `]];
    for (const companies of [[a], [b], [a, b]]) {
      const oracle = await rpc.execute<Array<{ name: string }>>('res.partner', 'search_read', [domain], { fields: ['name'], order: 'name', context: { allowed_company_ids: companies } });
      const r = await api(`/res.partner?filter=${enc(JSON.stringify(domain))}&fields=name&sort=name`, { key, headers: { 'X-Company-Id': companies.join(',') } });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.body.data.map((p: { name: string }) => p.name), oracle.map((p) => p.name), `companies ${companies}`);
    }
    const foreign = await api('/res.partner', { key, headers: { 'X-Company-Id': String(c) } });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.body.code, 'company_not_allowed');
    const malformed = await api('/res.partner', { key, headers: { 'X-Company-Id': 'a,b' } });
    assert.equal(malformed.status, 400);
  });
});
